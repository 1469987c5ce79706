#include "migcheck/revision/revision.hpp"

#include "migcheck/python/ast.hpp"
#include "migcheck/util/text.hpp"

#include <array>

namespace migcheck::revision {
namespace {

using python::Module;
using python::Node;
using python::NodeId;
using python::NodeKind;
using python::Statement;
using python::StatementKind;

constexpr std::array<std::string_view, 4> header_names = {"revision", "down_revision",
                                                          "branch_labels", "depends_on"};

bool is_header_name(std::string_view n) {
    for (auto h : header_names) {
        if (h == n) {
            return true;
        }
    }
    return false;
}

// A header assignment found at module level, with its value expression.
struct Assignment {
    NodeId value = python::no_node;
    int line = 0;
    std::string conditional;  // the enclosing block keyword when not at top level
};

struct Headers {
    std::array<std::optional<Assignment>, 4> found;
    std::optional<Assignment>& operator[](std::string_view name) {
        for (std::size_t i = 0; i < header_names.size(); ++i) {
            if (header_names[i] == name) {
                return found[i];
            }
        }
        return found[0];
    }
};

void collect(const Module& m, const std::vector<Statement>& body, const std::string& block,
             Headers& headers) {
    for (const auto& s : body) {
        if (s.kind == StatementKind::compound) {
            if (s.keyword == "def" || s.keyword == "async def" || s.keyword == "class") {
                continue;  // their names are local
            }
            collect(m, s.body, block.empty() ? s.keyword : block, headers);
            continue;
        }
        auto record = [&](NodeId target, NodeId value) {
            const Node& t = m.node(target);
            if (t.kind == NodeKind::name && is_header_name(t.text)) {
                headers[t.text] = Assignment{value, t.line, block};
            } else if ((t.kind == NodeKind::tuple || t.kind == NodeKind::list)) {
                const Node* v = value == python::no_node ? nullptr : &m.node(value);
                bool pairs = v != nullptr && (v->kind == NodeKind::tuple || v->kind == NodeKind::list) &&
                             v->children.size() == t.children.size();
                for (std::size_t i = 0; i < t.children.size(); ++i) {
                    const Node& sub = m.node(t.children[i]);
                    if (sub.kind == NodeKind::name && is_header_name(sub.text)) {
                        headers[sub.text] = Assignment{pairs ? v->children[i] : python::no_node,
                                                       sub.line, block};
                    }
                }
            }
        };
        if (s.kind == StatementKind::assign) {
            for (NodeId t : s.targets) {
                record(t, s.value);
            }
        } else if (s.kind == StatementKind::annotated && s.value != python::no_node) {
            record(s.targets[0], s.value);
        } else if (s.kind == StatementKind::augmented) {
            record(s.targets[0], python::no_node);
        }
    }
}

// Values Alembic accepts: None, a string, or a tuple/list/set of strings.
// Returns false when the expression is not such a literal.
bool literal_strings(const Module& m, NodeId id, std::vector<std::string>& out, bool& is_none,
                     std::string& why) {
    if (id == python::no_node) {
        why = "its value is computed";
        return false;
    }
    const Node& n = m.node(id);
    switch (n.kind) {
    case NodeKind::constant:
        if (n.text == "None") {
            is_none = true;
            return true;
        }
        why = "it is " + n.text + ", not a string";
        return false;
    case NodeKind::string:
        if (n.inexact) {
            why = "it uses a \\N{...} escape";
            return false;
        }
        out.push_back(n.text);
        return true;
    case NodeKind::tuple:
    case NodeKind::list:
    case NodeKind::set:
        for (NodeId c : n.children) {
            const Node& e = m.node(c);
            if (e.kind != NodeKind::string || e.inexact) {
                why = e.kind == NodeKind::name
                          ? "an element is the name '" + e.text + "', not a string literal"
                          : "an element is not a string literal";
                return false;
            }
            out.push_back(e.text);
        }
        return true;
    case NodeKind::name:
        why = "it is the name '" + n.text + "', defined elsewhere";
        return false;
    case NodeKind::call:
        why = "it is computed by a call to " +
              (python::dotted_name(m, n.children[0]).empty()
                   ? std::string("a function")
                   : "'" + python::dotted_name(m, n.children[0]) + "'");
        return false;
    case NodeKind::fstring:
        why = "it is an f-string";
        return false;
    case NodeKind::bytes:
        why = "it is a bytes literal, not a string";
        return false;
    case NodeKind::number:
        why = "it is the number " + n.text + ", not a string";
        return false;
    default:
        why = "it is an expression, not a literal";
        return false;
    }
}

// Python's str.strip(): ASCII whitespace, the separators \x1c-\x1f, and the
// Unicode spaces (U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029,
// U+202F, U+205F, U+3000).
std::size_t space_at_start(std::string_view s) {
    auto u = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    if (s.empty()) {
        return 0;
    }
    unsigned char c = u(0);
    if (c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f)) {
        return 1;
    }
    if (c == 0xC2 && s.size() >= 2 && (u(1) == 0x85 || u(1) == 0xA0)) {
        return 2;
    }
    if (s.size() >= 3) {
        char32_t cp = (static_cast<char32_t>(c & 0x0F) << 12) |
                      (static_cast<char32_t>(u(1) & 0x3F) << 6) | (u(2) & 0x3F);
        if ((c & 0xF0) == 0xE0 &&
            (cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 ||
             cp == 0x202F || cp == 0x205F || cp == 0x3000)) {
            return 3;
        }
    }
    return 0;
}

std::size_t space_at_end(std::string_view s) {
    for (std::size_t len = 1; len <= 3; ++len) {
        if (s.size() >= len && space_at_start(s.substr(s.size() - len)) == len) {
            return len;
        }
    }
    return 0;
}

std::string python_strip(std::string_view s) {
    while (std::size_t n = space_at_start(s)) {
        s.remove_prefix(n);
    }
    while (std::size_t n = space_at_end(s)) {
        s.remove_suffix(n);
    }
    return std::string(s);
}

Finding finding(const std::string& code, const std::string& path, int line, int col,
                std::string message) {
    return Finding{Severity::error, code, path, line, col, std::move(message)};
}

}  // namespace

bool is_revision_file_name(std::string_view name) {
    return name.ends_with(".py") && !name.starts_with(".#") && !name.starts_with("__init__");
}

ReadResult read_revision(std::string_view bytes, const std::string& path) {
    ReadResult result;
    if (text::trim(bytes).empty()) {
        result.findings.push_back(finding("missing-revision-id", path, 1, 1,
                                          "empty file: a revision file must assign `revision` "
                                          "and `down_revision`"));
        return result;
    }
    // Only module-level names matter here; upgrade() and downgrade() are
    // read by the operations reader, which parses their bodies in full.
    python::ParseResult parsed = python::parse_module(bytes, {.skip_function_bodies = true});
    if (parsed.error) {
        result.findings.push_back(finding("syntax-error", path, parsed.error->line,
                                          parsed.error->column,
                                          "invalid Python: " + parsed.error->message));
        return result;
    }
    const Module& m = *parsed.module;
    Headers headers;
    collect(m, m.body, "", headers);

    Revision rev;
    rev.path = path;
    if (!m.body.empty() && m.body[0].kind == StatementKind::expression) {
        const Node& first = m.node(m.body[0].value);
        if (first.kind == NodeKind::string) {
            rev.doc = python_strip(first.text);
            std::size_t para = rev.doc.find("\n\n");
            rev.message = para == std::string::npos ? rev.doc : rev.doc.substr(0, para);
            for (auto& line : text::split(rev.doc, '\n')) {
                std::string_view t = text::trim(line);
                if (text::starts_with(t, "Create Date:")) {
                    rev.create_date = std::string(text::trim(t.substr(12)));
                    break;
                }
            }
        }
    }
    rev.data_only = m.source.find("# migcheck: data-only") != std::string::npos;

    bool ok = true;
    auto values = [&](std::string_view name, std::vector<std::string>& out, int& line,
                      bool required) -> bool {
        auto& a = headers[name];
        if (!a) {
            if (required) {
                result.findings.push_back(finding(
                    name == "revision" ? "missing-revision-id" : "missing-down-revision", path, 1,
                    1,
                    "no module-level `" + std::string(name) + " = ...` assignment" +
                        (name == "revision" ? std::string(": this is not a revision file")
                                            : std::string(": use `down_revision = None` for a "
                                                          "first revision"))));
                ok = false;
            }
            return false;
        }
        line = a->line;
        if (!a->conditional.empty()) {
            result.findings.push_back(finding(
                "non-literal-header", path, a->line, 1,
                "`" + std::string(name) + "` is assigned inside an `" + a->conditional +
                    "` block, so its value is decided at run time; assign it once, at module "
                    "level, as a literal"));
            ok = false;
            return false;
        }
        bool is_none = false;
        std::string why;
        if (!literal_strings(m, a->value, out, is_none, why)) {
            const Node* v = a->value == python::no_node ? nullptr : &m.node(a->value);
            if (name == "revision" && v != nullptr &&
                (v->kind == NodeKind::number || v->kind == NodeKind::constant ||
                 v->kind == NodeKind::bytes)) {
                std::string what = v->kind == NodeKind::number ? "the number " + v->text
                                   : v->kind == NodeKind::bytes ? std::string("a bytes literal")
                                                                : v->text;
                result.findings.push_back(finding("invalid-revision-id", path, a->line, 1,
                                                  "`revision` must be a string, not " + what));
                ok = false;
                return false;
            }
            result.findings.push_back(finding("non-literal-header", path, a->line, 1,
                                              "`" + std::string(name) + "` is not a literal: " +
                                                  why + "; migcheck reads header values without "
                                                        "running the file"));
            ok = false;
            return false;
        }
        // Alembic treats "" and an empty tuple as "none".
        std::erase(out, std::string());
        return true;
    };

    std::vector<std::string> ids;
    if (values("revision", ids, rev.line, true)) {
        const auto& a = *headers["revision"];
        const Node& v = m.node(a.value);
        if (v.kind != NodeKind::string) {
            result.findings.push_back(finding("invalid-revision-id", path, a.line, 1,
                                              "`revision` must be a string, not " +
                                                  std::string(v.kind == NodeKind::constant
                                                                  ? v.text
                                                                  : "a tuple or list")));
            ok = false;
        } else if (ids.empty()) {
            result.findings.push_back(
                finding("invalid-revision-id", path, a.line, 1, "`revision` is an empty string"));
            ok = false;
        } else {
            rev.id = ids[0];
            for (char c : rev.id) {
                if (c == '@' || c == '-' || c == '+') {
                    result.findings.push_back(finding(
                        "invalid-revision-id", path, a.line, 1,
                        std::string("revision id '") + rev.id + "' holds '" + c +
                            "', which Alembic does not allow in an id ('@', '-' and '+' mark "
                            "branches and relative steps)"));
                    ok = false;
                    break;
                }
            }
        }
    }
    // A file without `revision` is not a revision file: one finding says so.
    if (headers["revision"]) {
        values("down_revision", rev.down_revisions, rev.down_line, true);
    }
    values("branch_labels", rev.branch_labels, rev.labels_line, false);
    values("depends_on", rev.depends_on, rev.depends_line, false);
    if (ok) {
        for (const auto& d : rev.down_revisions) {
            if (d == rev.id) {
                result.findings.push_back(finding("cycle", path, rev.down_line, 1,
                                                  "revision " + rev.id +
                                                      " names itself as its down_revision"));
                ok = false;
            }
        }
    }
    if (ok) {
        result.revision = std::move(rev);
    }
    return result;
}

}  // namespace migcheck::revision

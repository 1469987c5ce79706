#include "migcheck/models/detail.hpp"

#include <cctype>
#include <string_view>

namespace migcheck::models::detail {
namespace {

bool is_ident_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' ||
           static_cast<unsigned char>(c) >= 0x80;
}

// The words of one import statement: identifiers, dots, commas and '*'. The
// parser checks the statement's syntax but keeps none of its names, so they
// are read back from the source, up to the end of the logical line.
std::vector<std::string> import_words(const Module& m, const Statement& s) {
    const std::string& src = m.source;
    std::size_t pos = 0;
    for (int line = 1; line < s.line && pos < src.size(); ++line) {
        pos = src.find('\n', pos);
        pos = pos == std::string::npos ? src.size() : pos + 1;
    }
    pos += static_cast<std::size_t>(std::max(0, s.column - 1));
    std::vector<std::string> words;
    int depth = 0;
    while (pos < src.size()) {
        char c = src[pos];
        if (c == '\\' && pos + 1 < src.size() && src[pos + 1] == '\n') {
            pos += 2;
        } else if (c == '\n' || c == ';' || c == '#') {
            if (depth == 0 || c == ';') {
                break;
            }
            if (c == '#') {
                pos = src.find('\n', pos);
                if (pos == std::string::npos) {
                    break;
                }
            }
            ++pos;
        } else if (c == '(') {
            ++depth;
            ++pos;
        } else if (c == ')') {
            --depth;
            ++pos;
        } else if (c == '.' || c == ',' || c == '*') {
            words.emplace_back(1, c);
            ++pos;
        } else if (is_ident_char(c)) {
            std::size_t start = pos;
            while (pos < src.size() && is_ident_char(src[pos])) {
                ++pos;
            }
            words.push_back(src.substr(start, pos - start));
        } else {
            ++pos;
        }
    }
    return words;
}

// A dotted module name starting at words[i] ("." for each leading dot).
std::string read_dotted(const std::vector<std::string>& w, std::size_t& i) {
    std::string out;
    while (i < w.size() && (w[i] == "." || (w[i] != "," && w[i] != "import" && w[i] != "as" &&
                                             w[i] != "*"))) {
        out += w[i];
        ++i;
    }
    return out;
}

// Module prefixes whose names are SQLAlchemy's public ones.
bool is_sqlalchemy_module(std::string_view q) {
    return q == "sqlalchemy" || q.substr(0, 11) == "sqlalchemy.";
}

}  // namespace

void collect_imports(ModuleInfo& mod) {
    for (const Statement& s : mod.module->body) {
        if (s.kind != StatementKind::import) {
            continue;
        }
        std::vector<std::string> w = import_words(*mod.module, s);
        std::size_t i = 1;  // past "import" / "from"
        if (s.keyword == "import") {
            while (i < w.size()) {
                std::string name = read_dotted(w, i);
                if (i < w.size() && w[i] == "as" && i + 1 < w.size()) {
                    mod.aliases[w[i + 1]] = name;
                    i += 2;
                } else {
                    // `import a.b` binds `a`.
                    std::string first = name.substr(0, name.find('.'));
                    mod.aliases[first] = first;
                }
                if (i < w.size() && w[i] == ",") {
                    ++i;
                }
            }
            continue;
        }
        std::string from = read_dotted(w, i);
        if (i < w.size() && w[i] == "import") {
            ++i;
        }
        if (i < w.size() && w[i] == "*") {
            if (is_sqlalchemy_module(from)) {
                mod.star_sqlalchemy = true;
            }
            continue;
        }
        std::string prefix = from.empty() || from.back() == '.' ? from : from + ".";
        while (i < w.size()) {
            std::string name = w[i++];
            std::string local = name;
            if (i + 1 < w.size() && w[i] == "as") {
                local = w[i + 1];
                i += 2;
            }
            mod.aliases[local] = prefix + name;
            if (i < w.size() && w[i] == ",") {
                ++i;
            }
        }
    }
}

void Reader::warn(const Site& at, const std::string& message) {
    Finding f;
    f.severity = Severity::warning;
    f.code = "models-not-understood";
    f.file = at.mod != nullptr ? at.mod->path : "";
    f.line = at.line;
    f.column = at.column;
    f.message = message;
    result.findings.push_back(std::move(f));
}

void Reader::unchecked(const std::string& table, const std::string& column) {
    result.unchecked.emplace(table, column);
}

std::string Reader::qualified(const ModuleInfo& mod, NodeId id) const {
    std::string dotted = python::dotted_name(*mod.module, id);
    if (dotted.empty()) {
        return "";
    }
    std::size_t dot = dotted.find('.');
    std::string first = dotted.substr(0, dot);
    std::string rest = dot == std::string::npos ? "" : dotted.substr(dot);
    auto it = mod.aliases.find(first);
    if (it != mod.aliases.end()) {
        return it->second + rest;
    }
    if (mod.star_sqlalchemy && classes.count(first) == 0) {
        return "sqlalchemy." + dotted;
    }
    return dotted;
}

std::string Reader::sa_symbol(const ModuleInfo& mod, NodeId id) const {
    std::string dotted = python::dotted_name(*mod.module, id);
    if (dotted.empty()) {
        return "";
    }
    std::size_t dot = dotted.find('.');
    std::string first = dotted.substr(0, dot);
    // A Flask-SQLAlchemy object is `db = SQLAlchemy()` in some file, usually
    // imported as `db` from a module outside the models (`from app import db`).
    std::string bound = first;
    auto alias = mod.aliases.find(first);
    if (alias != mod.aliases.end()) {
        bound = alias->second.substr(alias->second.rfind('.') + 1);
    }
    bool flask = flask_db_names.count(bound) != 0 ||
                 (alias != mod.aliases.end() && bound == "db" &&
                  !is_sqlalchemy_module(alias->second));
    std::string q;
    if (flask && dot != std::string::npos) {
        std::string rest = dotted.substr(dot + 1);
        if (rest == "Model") {
            return "db.Model";
        }
        q = "sqlalchemy." + rest;
    } else {
        q = qualified(mod, id);
    }
    if (!is_sqlalchemy_module(q)) {
        return "";
    }
    std::size_t func = q.find(".func.");
    if (func != std::string::npos) {
        return q.substr(func + 1);
    }
    const std::string dialects = "sqlalchemy.dialects.";
    if (q.compare(0, dialects.size(), dialects) == 0) {
        std::string rest = q.substr(dialects.size());
        std::size_t d = rest.find('.');
        if (d == std::string::npos) {
            return rest;
        }
        return rest.substr(0, d) + "." + rest.substr(rest.rfind('.') + 1);
    }
    return q.substr(q.rfind('.') + 1);
}

const ClassInfo* Reader::find_class(const ModuleInfo& mod, NodeId id) const {
    std::string dotted = python::dotted_name(*mod.module, id);
    if (dotted.empty()) {
        return nullptr;
    }
    std::string q = qualified(mod, id);
    std::string name = q.substr(q.rfind('.') + 1);
    auto it = classes.find(name);
    if (it == classes.end()) {
        return nullptr;
    }
    for (const ClassInfo& c : it->second) {
        if (c.mod == &mod) {
            return &c;
        }
    }
    return &it->second.front();
}

BaseRef Reader::classify_base(const ModuleInfo& mod, NodeId id) const {
    const Module& m = *mod.module;
    BaseRef ref;
    ref.spelling = describe_expr(m, id);
    NodeId target = id;
    if (m.node(id).kind == NodeKind::subscript) {
        target = m.node(id).children[0];  // Generic[T], SomeBase[T]
    }
    std::string sym = sa_symbol(mod, target);
    if (sym == "db.Model") {
        ref.kind = BaseRef::Kind::flask_root;
        return ref;
    }
    if (sym == "DeclarativeBase" || sym == "DeclarativeBaseNoMeta") {
        ref.kind = BaseRef::Kind::root;
        return ref;
    }
    if (!sym.empty()) {
        return ref;  // MappedAsDataclass and other SQLAlchemy helpers add no columns
    }
    if (const ClassInfo* c = find_class(mod, target)) {
        ref.kind = BaseRef::Kind::model_class;
        ref.cls = c;
        return ref;
    }
    std::string q = qualified(mod, target);
    std::string last = q.substr(q.rfind('.') + 1);
    if (declarative_names.count(last) != 0) {
        ref.kind = BaseRef::Kind::root;
        return ref;
    }
    // Bases that never add mapped columns.
    static const std::set<std::string> harmless = {"object", "typing.Generic", "Generic",
                                                   "typing.Protocol", "abc.ABC"};
    std::string first = q.substr(0, q.find('.'));
    if (harmless.count(q) != 0 || first == "flask_login" || first == "typing" ||
        first == "enum") {
        return ref;
    }
    ref.kind = BaseRef::Kind::external;
    return ref;
}

std::optional<std::string> literal_string(const Module& m, NodeId id) {
    if (id == python::no_node || m.node(id).kind != NodeKind::string || m.node(id).inexact) {
        return std::nullopt;
    }
    return m.node(id).text;
}

std::optional<bool> literal_bool(const Module& m, NodeId id) {
    if (id == python::no_node || m.node(id).kind != NodeKind::constant) {
        return std::nullopt;
    }
    if (m.node(id).text == "True") {
        return true;
    }
    if (m.node(id).text == "False") {
        return false;
    }
    return std::nullopt;
}

std::optional<int> literal_int(const Module& m, NodeId id) {
    if (id == python::no_node || m.node(id).kind != NodeKind::number) {
        return std::nullopt;
    }
    const std::string& t = m.node(id).text;
    if (t.empty() || t.size() > 9) {
        return std::nullopt;
    }
    for (char c : t) {
        if (std::isdigit(static_cast<unsigned char>(c)) == 0) {
            return std::nullopt;
        }
    }
    return std::stoi(t);
}

NodeId keyword_arg(const Node& call, const std::string& name) {
    for (const python::Keyword& k : call.keywords) {
        if (k.name == name) {
            return k.value;
        }
    }
    return python::no_node;
}

std::string describe_expr(const Module& m, NodeId id) {
    if (id == python::no_node) {
        return "";
    }
    const Node& n = m.node(id);
    switch (n.kind) {
    case NodeKind::call: {
        std::string callee = describe_expr(m, n.children[0]);
        return callee + (n.children.size() > 1 || !n.keywords.empty() ? "(...)" : "()");
    }
    case NodeKind::subscript:
        return describe_expr(m, n.children[0]) + "[" + describe_expr(m, n.children[1]) + "]";
    case NodeKind::string:
        return "'" + n.text + "'";
    case NodeKind::number:
    case NodeKind::constant:
        return n.text;
    case NodeKind::binary:
        return describe_expr(m, n.children[0]) + " " + n.text + " " +
               describe_expr(m, n.children[1]);
    case NodeKind::tuple: {
        std::string out;
        for (NodeId c : n.children) {
            out += (out.empty() ? "" : ", ") + describe_expr(m, c);
        }
        return out;
    }
    default: {
        std::string dotted = python::dotted_name(m, id);
        return dotted.empty() ? "an expression" : dotted;
    }
    }
}

}  // namespace migcheck::models::detail

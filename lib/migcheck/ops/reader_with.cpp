#include "migcheck/ops/reader_detail.hpp"

#include <algorithm>

namespace migcheck::ops::detail {

bool batch_table(const Module& h, const Node& call, const std::string& spelled, std::string& table,
                 std::string& why) {
    // Alembic 1.8's batch_alter_table(). naming_convention= names the
    // constraints that reflection finds unnamed, which matters only to a
    // real database; partial_reordering= and recreate= only change how the
    // table is rebuilt.
    Signature sig{{"table_name", "schema", "recreate", "partial_reordering", "copy_from",
                   "table_args", "table_kwargs", "reflect_args", "reflect_kwargs",
                   "naming_convention"},
                  {},
                  false,
                  false};
    Bound b;
    if (!bind(h, call, sig, spelled, b, why)) {
        return false;
    }
    auto name = models::detail::literal_string(h, b.get("table_name"));
    if (!name) {
        why = "the table name of " + spelled + " is not a string literal";
        return false;
    }
    NodeId schema = b.get("schema");
    if (schema != python::no_node && !is_none(h, schema)) {
        why = "the schema of " + spelled + " is not None";
        return false;
    }
    for (const char* param :
         {"copy_from", "table_args", "table_kwargs", "reflect_args", "reflect_kwargs"}) {
        if (b.get(param) != python::no_node) {
            why = std::string("the ") + param + "= argument of " + spelled;
            return false;
        }
    }
    table = *name;
    return true;
}

std::optional<WithItem> with_item(const Module& m, const std::vector<python::Token>& tokens,
                                  const Statement& s) {
    const std::string& src = m.source;
    auto at = std::lower_bound(
        tokens.begin(), tokens.end(), s, [](const python::Token& t, const Statement& st) {
            return t.line < st.line || (t.line == st.line && t.column < st.column);
        });
    // INDENT and DEDENT tokens share the position of the line's first token.
    while (at != tokens.end() &&
           (at->kind == python::TokenKind::indent || at->kind == python::TokenKind::dedent)) {
        ++at;
    }
    if (at == tokens.end() || at->text != "with") {
        return std::nullopt;
    }
    const python::Token* as = nullptr;
    const python::Token* end = nullptr;
    int depth = 0;
    for (auto t = at + 1; t != tokens.end() && end == nullptr; ++t) {
        if (t->kind == python::TokenKind::newline || t->kind == python::TokenKind::end) {
            return std::nullopt;
        }
        if (t->kind == python::TokenKind::op) {
            if (t->text == "(" || t->text == "[" || t->text == "{") {
                ++depth;
            } else if (t->text == ")" || t->text == "]" || t->text == "}") {
                --depth;
            } else if (depth == 0 && t->text == ",") {
                return std::nullopt;  // several context managers
            } else if (depth == 0 && t->text == ":") {
                end = &*t;
            }
        } else if (depth == 0 && t->kind == python::TokenKind::name && t->text == "as") {
            as = &*t;
        }
    }
    if (end == nullptr) {
        return std::nullopt;
    }
    WithItem item;
    if (as != nullptr) {
        const python::Token& name = *(as + 1);
        if (&name == end) {
            return std::nullopt;
        }
        item.alias = std::string(name.text);
    }
    auto offset = [&](const python::Token& t) {
        return static_cast<std::size_t>(t.text.data() - src.data());
    };
    std::size_t from = offset(*(at + 1));
    std::size_t to = offset(as != nullptr ? *as : *end);
    std::string text = src.substr(from, to - from);
    // A backslash continuation before `as` would end the text.
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' ||
                             text.back() == '\\')) {
        text.pop_back();
    }
    python::ParseResult parsed = python::parse_module(text + "\n");
    if (!parsed.module || parsed.module->body.size() != 1 ||
        parsed.module->body[0].kind != StatementKind::expression) {
        return std::nullopt;
    }
    item.expr = std::move(parsed.module);
    return item;
}

}  // namespace migcheck::ops::detail

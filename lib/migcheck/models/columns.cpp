#include "migcheck/models/detail.hpp"

#include "migcheck/util/text.hpp"

#include <set>

namespace migcheck::models::detail {
namespace {

// Column(...) keywords that say nothing about the database schema.
const std::set<std::string>& python_side_keywords() {
    static const std::set<std::string> names = {
        "default",       "onupdate",       "server_onupdate", "key",          "doc",
        "info",          "quote",          "system",          "insert_default", "init",
        "repr",          "compare",        "kw_only",         "default_factory", "sort_order",
        "deferred",      "deferred_group", "deferred_raiseload", "active_history",
        "use_existing_column", "hash",     "dataclass_metadata", "_creation_order",
        "_proxies",      "comparator_factory", "expire_on_flush", "raiseload", "",
    };
    return names;
}

// SQL functions SQLAlchemy renders as bare ANSI keywords, without parentheses.
const std::set<std::string>& ansi_functions() {
    static const std::set<std::string> names = {
        "current_timestamp", "current_date", "current_time", "localtime",
        "localtimestamp",    "current_user", "session_user", "user",
    };
    return names;
}

std::string sql_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        out += c;
        if (c == '\'') {
            out += '\'';
        }
    }
    return out + "'";
}

void read_foreign_key(const ModuleInfo& mod, const Node& call, ColumnDecl& decl) {
    const Module& m = *mod.module;
    NodeId target = call.children.size() > 1 ? call.children[1] : python::no_node;
    schema::ForeignKeyRef fk;
    auto spec = literal_string(m, target);
    if (spec && spec->find('.') != std::string::npos) {
        fk.table = spec->substr(0, spec->rfind('.'));
        fk.column = spec->substr(spec->rfind('.') + 1);
    } else if (target != python::no_node && m.node(target).kind == NodeKind::attribute) {
        // ForeignKey(User.id): resolved to the class's table once every table
        // is known (reader.cpp); kept here as "class:User".
        fk.table = "class:" + python::dotted_name(m, m.node(target).children[0]);
        fk.column = m.node(target).text;
    } else {
        decl.problems.push_back("ForeignKey target `" + describe_expr(m, target) +
                                "` is not a \"table.column\" literal");
        return;
    }
    auto text_kw = [&](const char* name, std::string& out) {
        NodeId v = keyword_arg(call, name);
        if (v == python::no_node) {
            return;
        }
        if (auto s = literal_string(m, v)) {
            out = *s;
        } else if (!(m.node(v).kind == NodeKind::constant && m.node(v).text == "None")) {
            decl.problems.push_back(std::string("ForeignKey ") + name + "= is not a string literal");
        }
    };
    text_kw("ondelete", fk.on_delete);
    text_kw("onupdate", fk.on_update);
    text_kw("name", fk.name);
    if (decl.column.foreign_key) {
        decl.problems.push_back("a second ForeignKey on one column");
        return;
    }
    decl.column.foreign_key = fk;
}

bool is_none(const Module& m, NodeId id) {
    return m.node(id).kind == NodeKind::constant && m.node(id).text == "None";
}

void read_keyword(const Reader& r, const ModuleInfo& mod, const python::Keyword& k,
                  ColumnDecl& decl, std::optional<bool>& primary_key, NodeId& type_kw) {
    const Module& m = *mod.module;
    schema::Column& c = decl.column;
    auto flag = [&](std::optional<bool>& out) {
        if (is_none(m, k.value)) {
            return;
        }
        out = literal_bool(m, k.value);
        if (!out) {
            decl.problems.push_back(k.name + "= is not True or False");
        }
    };
    if (k.name == "name") {
        auto s = literal_string(m, k.value);
        if (!s) {
            decl.problems.push_back("name= is not a string literal");
            return;
        }
        c.name = *s;
        decl.explicit_name = true;
    } else if (k.name == "type_") {
        type_kw = k.value;
    } else if (k.name == "primary_key") {
        flag(primary_key);
    } else if (k.name == "nullable") {
        std::optional<bool> v;
        flag(v);
        if (v) {
            c.nullable = *v;
            decl.nullable_given = true;
        }
    } else if (k.name == "unique" || k.name == "index") {
        std::optional<bool> v;
        flag(v);
        (k.name == "unique" ? c.unique : c.index) = v.value_or(false);
    } else if (k.name == "autoincrement") {
        if (auto s = literal_string(m, k.value)) {
            if (*s != "auto" && *s != "ignore_fk") {
                decl.problems.push_back("autoincrement='" + *s + "' is not a known value");
            }
            return;  // "auto" is the default; "ignore_fk" is auto for DDL
        }
        flag(c.autoincrement);
    } else if (k.name == "server_default") {
        std::string why;
        c.server_default = server_default_sql(r, mod, k.value, why);
        if (!why.empty()) {
            decl.problems.push_back("server_default " + why);
        }
    } else if (k.name == "comment") {
        if (auto s = literal_string(m, k.value)) {
            c.comment = *s;
        } else if (!is_none(m, k.value)) {
            decl.problems.push_back("comment= is not a string literal");
        }
    } else if (python_side_keywords().count(k.name) == 0 && k.name.find('_') == std::string::npos) {
        decl.problems.push_back("keyword " + k.name + "= is not one migcheck knows");
    }
    // Other names with an underscore are dialect options (sqlite_on_conflict_*,
    // mysql_*, postgresql_*): not part of the schema format.
}

}  // namespace

std::optional<std::string> server_default_sql(const Reader& r, const ModuleInfo& mod, NodeId id,
                                              std::string& why) {
    const Module& m = *mod.module;
    if (is_none(m, id)) {
        return std::nullopt;
    }
    if (auto s = literal_string(m, id)) {
        return sql_quote(*s);  // SQLAlchemy renders a plain string as a literal
    }
    const Node& n = m.node(id);
    if (n.kind == NodeKind::call) {
        std::string sym = r.sa_symbol(mod, n.children[0]);
        NodeId arg = n.children.size() > 1 ? n.children[1] : python::no_node;
        if ((sym == "text" || sym == "literal_column") && literal_string(m, arg)) {
            return *literal_string(m, arg);
        }
        if (sym == "DefaultClause" && arg != python::no_node) {
            return server_default_sql(r, mod, arg, why);
        }
        if (sym == "FetchedValue") {
            return std::nullopt;  // a marker: the database sets it, no DDL
        }
        if (sym == "true" || sym == "false") {
            return sym;
        }
        if (sym.rfind("func.", 0) == 0 && n.children.size() == 1 && n.keywords.empty()) {
            std::string name = sym.substr(5);
            if (ansi_functions().count(text::to_lower(name)) != 0) {
                std::string upper;
                for (char c : name) {
                    upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
                }
                return upper;
            }
            return name + "()";
        }
    }
    why = "`" + describe_expr(m, id) + "` is not a string, text(), or a func call without arguments";
    return std::nullopt;
}

bool is_column_call(const Reader& r, const ModuleInfo& mod, NodeId id) {
    const Module& m = *mod.module;
    if (id == python::no_node || m.node(id).kind != NodeKind::call) {
        return false;
    }
    std::string sym = r.sa_symbol(mod, m.node(id).children[0]);
    if (sym == "deferred" && m.node(id).children.size() > 1) {
        return is_column_call(r, mod, m.node(id).children[1]);
    }
    return sym == "Column" || sym == "mapped_column";
}

ColumnDecl read_column(const Reader& r, const ModuleInfo& mod, NodeId call,
                       const std::string& attribute, NodeId annotation) {
    const Module& m = *mod.module;
    const Node* n = &m.node(call);
    std::string sym = r.sa_symbol(mod, n->children[0]);
    if (sym == "deferred") {
        n = &m.node(n->children[1]);
        sym = r.sa_symbol(mod, n->children[0]);
    }
    ColumnDecl decl;
    decl.column.name = attribute;
    decl.column.where = {mod.path, n->line};
    NodeId type_node = python::no_node;
    for (std::size_t i = 1; i < n->children.size(); ++i) {
        NodeId arg = n->children[i];
        if (i == 1 && literal_string(m, arg)) {
            decl.column.name = *literal_string(m, arg);
            decl.explicit_name = true;
            continue;
        }
        const Node& a = m.node(arg);
        std::string arg_sym = r.sa_symbol(mod, a.kind == NodeKind::call ? a.children[0] : arg);
        if (arg_sym == "ForeignKey" && a.kind == NodeKind::call) {
            read_foreign_key(mod, a, decl);
        } else if (arg_sym == "Sequence" || arg_sym == "Identity" || arg_sym == "Computed" ||
                   arg_sym == "CheckConstraint" || arg_sym == "FetchedValue") {
            continue;  // not part of the schema format
        } else if (type_node == python::no_node) {
            type_node = arg;
        } else {
            decl.problems.push_back("argument `" + describe_expr(m, arg) + "` is not one migcheck knows");
        }
    }
    std::optional<bool> primary_key;
    for (const python::Keyword& k : n->keywords) {
        read_keyword(r, mod, k, decl, primary_key, type_node);
    }
    decl.column.primary_key = primary_key.value_or(false);
    std::optional<MappedAnnotation> mapped = mapped_annotation(r, mod, annotation);
    std::string why;
    if (type_node != python::no_node) {
        if (auto t = read_type(r, mod, type_node, why)) {
            decl.column.type = *t;
        } else {
            decl.problems.push_back("its type " + why);
        }
    } else if (mapped) {
        if (auto t = annotation_type(r, mod, mapped->inner, why)) {
            decl.column.type = *t;
        } else {
            decl.problems.push_back("its type cannot be inferred: " + why);
        }
    } else if (decl.column.foreign_key) {
        decl.type_from_fk = true;
    } else {
        decl.problems.push_back("it has no type");
    }
    if (!decl.nullable_given) {
        if (sym == "mapped_column" && mapped) {
            decl.column.nullable = mapped->optional && !decl.column.primary_key;
        } else {
            decl.column.nullable = !decl.column.primary_key;
        }
    }
    return decl;
}

std::optional<ColumnDecl> read_annotation_only(const Reader& r, const ModuleInfo& mod,
                                               NodeId annotation, const std::string& attribute,
                                               bool& not_understood) {
    const Module& m = *mod.module;
    not_understood = false;
    std::optional<MappedAnnotation> mapped = mapped_annotation(r, mod, annotation);
    if (!mapped) {
        return std::nullopt;
    }
    const Node& inner = m.node(mapped->inner);
    // Mapped[List["Address"]], Mapped["User"], Mapped[User]: relationships.
    if (inner.kind == NodeKind::subscript) {
        return std::nullopt;
    }
    const ClassInfo* cls = r.find_class(mod, mapped->inner);
    if (cls == nullptr) {
        if (auto s = literal_string(m, mapped->inner)) {
            auto it = r.classes.find(*s);
            cls = it == r.classes.end() ? nullptr : &it->second.front();
        }
    }
    if (cls != nullptr && !enum_members(r, *cls)) {
        return std::nullopt;
    }
    ColumnDecl decl;
    decl.column.name = attribute;
    decl.column.where = {mod.path, m.node(annotation).line};
    std::string why;
    if (auto t = annotation_type(r, mod, mapped->inner, why)) {
        decl.column.type = *t;
    } else {
        decl.problems.push_back("its type cannot be inferred: " + why);
        not_understood = true;
    }
    decl.column.nullable = mapped->optional;
    return decl;
}

}  // namespace migcheck::models::detail

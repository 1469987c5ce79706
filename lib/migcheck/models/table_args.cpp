#include "migcheck/models/detail.hpp"

#include "migcheck/util/text.hpp"

namespace migcheck::models::detail {
namespace {

Site site_of(const ModuleInfo& mod, NodeId id) {
    const Node& n = mod.module->node(id);
    return {&mod, n.line, n.column};
}

// A column named in a table-level item: "email", User.email, users.c.email.
std::optional<std::string> column_ref(const Module& m, NodeId id) {
    if (auto s = literal_string(m, id)) {
        return s;
    }
    if (m.node(id).kind == NodeKind::attribute && !python::dotted_name(m, id).empty()) {
        return m.node(id).text;
    }
    return std::nullopt;
}

// Column names given as positional arguments from `first` on, or as one list.
bool column_list(const Module& m, const Node& call, std::size_t first,
                 std::vector<std::string>& out, std::string& bad) {
    for (std::size_t i = first; i < call.children.size(); ++i) {
        NodeId arg = call.children[i];
        if (m.node(arg).kind == NodeKind::list || m.node(arg).kind == NodeKind::tuple) {
            for (NodeId e : m.node(arg).children) {
                auto c = column_ref(m, e);
                if (!c) {
                    bad = describe_expr(m, e);
                    return false;
                }
                out.push_back(*c);
            }
            continue;
        }
        auto c = column_ref(m, arg);
        if (!c) {
            bad = describe_expr(m, arg);
            return false;
        }
        out.push_back(*c);
    }
    return true;
}

std::optional<std::string> name_kw(const Module& m, const Node& call, bool& ok) {
    NodeId v = keyword_arg(call, "name");
    ok = true;
    if (v == python::no_node || (m.node(v).kind == NodeKind::constant && m.node(v).text == "None")) {
        return std::nullopt;
    }
    auto s = literal_string(m, v);
    ok = s.has_value();
    return s;
}

void not_read(Reader& r, const ModuleInfo& mod, const schema::Table& table, NodeId item,
              const std::string& why) {
    r.warn(site_of(mod, item), "cannot read `" + describe_expr(*mod.module, item) +
                                   "` of table `" + table.name + "`: " + why +
                                   "; the table's constraints are not checked");
    r.unchecked(table.name, "");
}

void apply_primary_key(Reader& r, schema::Table& table, schema::PrimaryKey pk) {
    for (const std::string& name : pk.columns) {
        if (schema::Column* c = table.find_column(name)) {
            c->primary_key = true;
            // As SQLAlchemy does: a key column is NOT NULL unless nullable= says.
            if (r.nullable_given.count({table.name, name}) == 0) {
                c->nullable = false;
            }
        }
    }
    table.primary_key = std::move(pk);
}

}  // namespace

void add_column(Reader& r, const ModuleInfo& mod, schema::Table& table, ColumnDecl decl, int line) {
    decl.column.where = {mod.path, line};
    const std::string& name = decl.column.name;
    if (name.empty()) {
        r.warn({&mod, line, 0}, "cannot read a column of table `" + table.name +
                                    "`: it has no name; the table is not checked");
        r.unchecked(table.name, "");
        return;
    }
    if (!decl.problems.empty()) {
        r.warn({&mod, line, 0}, "cannot read column `" + table.name + "." + name + "`: " +
                                    text::join(decl.problems, "; ") + "; the column is not checked");
        r.unchecked(table.name, name);
    }
    if (decl.nullable_given) {
        r.nullable_given.emplace(table.name, name);
    }
    if (decl.type_from_fk) {
        r.type_from_fk.emplace(table.name, name);
    }
    if (table.find_column(name) != nullptr) {
        r.warn({&mod, line, 0}, "column `" + table.name + "." + name +
                                    "` is declared twice; the first one is kept");
        return;
    }
    table.columns.push_back(std::move(decl.column));
}

void apply_table_item(Reader& r, const ModuleInfo& mod, schema::Table& table, NodeId item) {
    const Module& m = *mod.module;
    const Node& n = m.node(item);
    std::string sym = n.kind == NodeKind::call ? r.sa_symbol(mod, n.children[0]) : "";
    schema::Location where{mod.path, n.line};
    std::string bad;
    bool name_ok = true;
    if (sym == "CheckConstraint") {
        return;  // check constraints are not part of the schema format
    }
    if (sym == "Index") {
        schema::Index index;
        auto name = n.children.size() > 1 ? literal_string(m, n.children[1]) : std::nullopt;
        if (!name) {
            not_read(r, mod, table, item, "the index name is not a string literal");
            return;
        }
        index.name = *name;
        if (!column_list(m, n, 2, index.columns, bad)) {
            not_read(r, mod, table, item, "`" + bad + "` is not a column name (an expression index?)");
            return;
        }
        NodeId unique = keyword_arg(n, "unique");
        if (unique != python::no_node) {
            auto u = literal_bool(m, unique);
            if (!u) {
                not_read(r, mod, table, item, "unique= is not True or False");
                return;
            }
            index.unique = *u;
        }
        index.where = where;
        table.indexes.push_back(std::move(index));
        return;
    }
    if (sym == "UniqueConstraint" || sym == "PrimaryKeyConstraint") {
        std::vector<std::string> columns;
        auto name = name_kw(m, n, name_ok);
        if (!name_ok || !column_list(m, n, 1, columns, bad)) {
            not_read(r, mod, table, item,
                     name_ok ? "`" + bad + "` is not a column name" : "name= is not a string literal");
            return;
        }
        if (sym == "UniqueConstraint") {
            table.unique_constraints.push_back({name.value_or(""), std::move(columns), where});
        } else {
            apply_primary_key(r, table, {name.value_or(""), std::move(columns), where});
        }
        return;
    }
    if (sym == "ForeignKeyConstraint") {
        schema::ForeignKey fk;
        fk.where = where;
        std::vector<std::string> targets;
        auto name = name_kw(m, n, name_ok);
        bool ok = name_ok && n.children.size() == 3;
        if (ok) {
            Node only_cols = n;
            only_cols.children = {n.children[0], n.children[1]};
            Node only_refs = n;
            only_refs.children = {n.children[0], n.children[2]};
            ok = column_list(m, only_cols, 1, fk.columns, bad) &&
                 column_list(m, only_refs, 1, targets, bad);
        }
        for (NodeId id : n.children.size() == 3 ? m.node(n.children[2]).children
                                                 : std::vector<NodeId>{}) {
            auto spec = literal_string(m, id);
            if (!spec || spec->find('.') == std::string::npos) {
                ok = false;
                break;
            }
            std::string t = spec->substr(0, spec->rfind('.'));
            if (!fk.referred_table.empty() && fk.referred_table != t) {
                ok = false;
            }
            fk.referred_table = t;
            fk.referred_columns.push_back(spec->substr(spec->rfind('.') + 1));
        }
        for (const char* action : {"ondelete", "onupdate"}) {
            NodeId v = keyword_arg(n, action);
            if (v != python::no_node) {
                auto s = literal_string(m, v);
                ok = ok && s.has_value();
                (std::string(action) == "ondelete" ? fk.on_delete : fk.on_update) = s.value_or("");
            }
        }
        if (!ok || fk.columns.size() != fk.referred_columns.size()) {
            not_read(r, mod, table, item,
                     "its columns and targets are not literal lists of \"column\" and \"table.column\"");
            return;
        }
        fk.name = name.value_or("");
        table.foreign_keys.push_back(std::move(fk));
        return;
    }
    not_read(r, mod, table, item, "it is not an Index or a constraint migcheck knows");
}

void apply_table_args(Reader& r, const ModuleInfo& mod, schema::Table& table, NodeId args) {
    const Module& m = *mod.module;
    const Node& n = m.node(args);
    auto read_dict = [&](const Node& d) {
        for (std::size_t i = 0; i + 1 < d.children.size(); i += 2) {
            auto key = d.children[i] == python::no_node ? std::nullopt : literal_string(m, d.children[i]);
            if (!key) {
                not_read(r, mod, table, args, "a key of its dict is not a string literal");
                continue;
            }
            if (*key == "comment") {
                auto value = literal_string(m, d.children[i + 1]);
                if (!value) {
                    not_read(r, mod, table, d.children[i + 1], "the comment is not a string literal");
                    continue;
                }
                table.comment = *value;
            }
            // Other options (schema, sqlite_autoincrement, mysql_engine,
            // extend_existing, info...) are not part of the schema format.
        }
    };
    if (n.kind == NodeKind::dict) {
        read_dict(n);
        return;
    }
    if (n.kind != NodeKind::tuple && n.kind != NodeKind::list) {
        r.warn(site_of(mod, args), "cannot read `__table_args__` of table `" + table.name +
                                       "`: it is not a tuple or dict literal; the table's "
                                       "constraints are not checked");
        r.unchecked(table.name, "");
        return;
    }
    for (NodeId item : n.children) {
        if (m.node(item).kind == NodeKind::dict) {
            read_dict(m.node(item));
        } else {
            apply_table_item(r, mod, table, item);
        }
    }
}

std::optional<schema::Table> read_table_call(Reader& r, const ModuleInfo& mod, NodeId call) {
    const Module& m = *mod.module;
    const Node& n = m.node(call);
    auto name = n.children.size() > 1 ? literal_string(m, n.children[1]) : std::nullopt;
    if (!name) {
        r.warn(site_of(mod, call), "cannot read the name of `" + describe_expr(m, call) +
                                       "`: it is not a string literal; the table is not checked");
        return std::nullopt;
    }
    schema::Table table;
    table.name = *name;
    table.where = {mod.path, n.line};
    std::vector<NodeId> items;
    for (std::size_t i = 2; i < n.children.size(); ++i) {
        NodeId arg = n.children[i];
        if (is_column_call(r, mod, arg)) {
            add_column(r, mod, table, read_column(r, mod, arg, "", python::no_node),
                       m.node(arg).line);
        } else if (m.node(arg).kind == NodeKind::call) {
            items.push_back(arg);
        }
        // Anything else is the MetaData argument.
    }
    for (NodeId item : items) {
        apply_table_item(r, mod, table, item);
    }
    if (auto comment = literal_string(m, keyword_arg(n, "comment"))) {
        table.comment = *comment;
    }
    return table;
}

}  // namespace migcheck::models::detail

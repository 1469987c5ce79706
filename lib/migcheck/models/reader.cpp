#include "migcheck/models/detail.hpp"

namespace migcheck::models {
namespace {

using namespace detail;

// Names every class, declarative base and Flask-SQLAlchemy object of the
// files before any class is read, so that a class may derive from a mixin or
// base declared in a file read later.
void collect_names(Reader& r, const ModuleInfo& mod) {
    const Module& m = *mod.module;
    for (const Statement& s : m.body) {
        if (s.kind == StatementKind::compound && s.keyword == "class") {
            r.classes[s.name].push_back(ClassInfo{&mod, &s});
            for (const Statement& attr : s.body) {
                if (attr.kind == StatementKind::assign || attr.kind == StatementKind::annotated) {
                    if (!attr.targets.empty() &&
                        python::dotted_name(m, attr.targets[0]) == "type_annotation_map" &&
                        attr.value != python::no_node && m.node(attr.value).kind == NodeKind::dict) {
                        const Node& d = m.node(attr.value);
                        for (std::size_t i = 0; i + 1 < d.children.size(); i += 2) {
                            if (d.children[i] != python::no_node) {
                                r.annotation_map[r.qualified(mod, d.children[i])] = {&mod, d.children[i + 1]};
                            }
                        }
                    }
                }
            }
            continue;
        }
        if (s.kind != StatementKind::assign || s.value == python::no_node ||
            m.node(s.value).kind != NodeKind::call) {
            continue;
        }
        NodeId callee = m.node(s.value).children[0];
        std::string sym = r.sa_symbol(mod, callee);
        std::string q = r.qualified(mod, callee);
        std::string last = q.substr(q.rfind('.') + 1);
        for (NodeId t : s.targets) {
            std::string target = python::dotted_name(m, t);
            if (sym == "declarative_base" || last == "generate_base") {
                r.declarative_names.insert(target);
            } else if (last == "SQLAlchemy" && q.rfind("flask_sqlalchemy", 0) == 0) {
                r.flask_db_names.insert(target);
            }
        }
    }
}

// Module-level Index("ix", User.email) and Index("ix", table.c.email): the
// table comes from the first column.
void read_module_index(Reader& r, const ModuleInfo& mod, NodeId call) {
    const Module& m = *mod.module;
    const Node& n = m.node(call);
    std::string table_name;
    if (n.children.size() > 2 && m.node(n.children[2]).kind == NodeKind::attribute) {
        NodeId owner = m.node(n.children[2]).children[0];
        if (m.node(owner).kind == NodeKind::attribute && m.node(owner).text == "c") {
            auto it = r.table_vars.find(python::dotted_name(m, m.node(owner).children[0]));
            table_name = it == r.table_vars.end() ? "" : it->second;
        } else if (const ClassInfo* cls = r.find_class(mod, owner)) {
            auto it = r.class_table.find(cls->stmt);
            table_name = it == r.class_table.end() ? "" : it->second;
        }
    }
    schema::Table* table = table_name.empty() ? nullptr : r.table(table_name);
    if (table == nullptr) {
        r.warn({&mod, n.line, n.column}, "cannot tell which table `" + describe_expr(m, call) +
                                             "` belongs to; it is not checked");
        return;
    }
    apply_table_item(r, mod, *table, call);
}

void read_statement(Reader& r, const ModuleInfo& mod, const Statement& s) {
    const Module& m = *mod.module;
    if (s.kind == StatementKind::compound && s.keyword == "class") {
        for (const ClassInfo& c : r.classes[s.name]) {
            if (c.stmt == &s) {
                read_class(r, c);
            }
        }
        return;
    }
    bool assign = s.kind == StatementKind::assign || s.kind == StatementKind::annotated;
    if (!(assign || s.kind == StatementKind::expression) || s.value == python::no_node ||
        m.node(s.value).kind != NodeKind::call) {
        return;
    }
    std::string sym = r.sa_symbol(mod, m.node(s.value).children[0]);
    if (sym == "Table") {
        if (auto table = read_table_call(r, mod, s.value)) {
            for (NodeId t : s.targets) {
                r.table_vars[python::dotted_name(m, t)] = table->name;
            }
            r.add_table(mod, std::move(*table));
        }
    } else if (sym == "Index" || sym == "UniqueConstraint") {
        read_module_index(r, mod, s.value);
    }
}

// ForeignKey(User.id) names a class; a column without a type takes the type
// of the column its ForeignKey names, as SQLAlchemy does when it emits DDL.
void resolve_references(Reader& r) {
    for (schema::Table& table : r.result.schema.tables) {
        for (schema::Column& c : table.columns) {
            if (!c.foreign_key) {
                continue;
            }
            schema::ForeignKeyRef& fk = *c.foreign_key;
            if (fk.table.rfind("class:", 0) == 0) {
                std::string cls = fk.table.substr(6);
                cls = cls.substr(cls.rfind('.') + 1);
                fk.table.clear();
                auto it = r.classes.find(cls);
                if (it != r.classes.end()) {
                    auto t = r.class_table.find(it->second.front().stmt);
                    fk.table = t == r.class_table.end() ? "" : t->second;
                }
            }
            if (r.type_from_fk.count({table.name, c.name}) == 0) {
                continue;
            }
            const schema::Table* target = r.result.schema.find_table(fk.table);
            const schema::Column* referred = target ? target->find_column(fk.column) : nullptr;
            if (referred == nullptr || r.result.unchecked.count({fk.table, fk.column}) != 0) {
                r.result.findings.push_back(Finding{
                    Severity::warning, "models-not-understood", c.where.file, c.where.line, 0,
                    "cannot read column `" + table.name + "." + c.name +
                        "`: it has no type and its ForeignKey target `" + fk.table + "." +
                        fk.column + "` is not a column migcheck read; the column is not checked"});
                r.result.unchecked.emplace(table.name, c.name);
                continue;
            }
            c.type = referred->type;
        }
    }
}

}  // namespace

void detail::Reader::add_table(const ModuleInfo& mod, schema::Table table) {
    if (const schema::Table* first = result.schema.find_table(table.name)) {
        warn({&mod, table.where.line, 0}, "table `" + table.name + "` is declared twice (first at " +
                                              schema::to_string(first->where) +
                                              "); the first one is kept");
        return;
    }
    result.schema.tables.push_back(std::move(table));
}

ModelsResult read_models(const std::vector<SourceFile>& files) {
    Reader r;
    r.modules.reserve(files.size());
    for (const SourceFile& f : files) {
        python::ParseResult parsed = python::parse_module(f.bytes);
        if (parsed.error) {
            r.result.findings.push_back(Finding{Severity::error, "syntax-error", f.path,
                                                parsed.error->line, parsed.error->column,
                                                "invalid Python: " + parsed.error->message});
            continue;
        }
        ModuleInfo mod;
        mod.path = f.path;
        mod.module = std::move(parsed.module);
        collect_imports(mod);
        r.modules.push_back(std::move(mod));
    }
    for (const ModuleInfo& mod : r.modules) {
        collect_names(r, mod);
    }
    for (const ModuleInfo& mod : r.modules) {
        for (const Statement& s : mod.module->body) {
            read_statement(r, mod, s);
        }
    }
    resolve_references(r);
    sort_findings(r.result.findings);
    return std::move(r.result);
}

}  // namespace migcheck::models

#include "migcheck/models/detail.hpp"

#include "migcheck/util/text.hpp"

#include <cctype>

namespace migcheck::models::detail {
namespace {

// How a class stands in the declarative hierarchy, and the classes whose
// attributes become its table's columns: itself, then its mixins and abstract
// bases in method resolution order. A mapped parent is not among them: it
// has its own table.
struct Lineage {
    bool mapped = false;
    bool flask = false;
    const ClassInfo* parent = nullptr;           // nearest mapped base class
    std::vector<const ClassInfo*> contributors;  // cls first
    std::vector<std::string> external;           // bases outside the files
};

bool has_decorator(const Reader& r, const ClassInfo& cls, std::initializer_list<const char*> names) {
    const Module& m = *cls.mod->module;
    for (NodeId d : cls.stmt->decorators) {
        NodeId callee = m.node(d).kind == NodeKind::call ? m.node(d).children[0] : d;
        std::string q = r.qualified(*cls.mod, callee);
        std::string last = q.substr(q.rfind('.') + 1);
        for (const char* n : names) {
            if (last == n) {
                return true;
            }
        }
    }
    return false;
}

bool is_abstract(const ClassInfo& cls) {
    const Module& m = *cls.mod->module;
    for (const Statement& s : cls.stmt->body) {
        if (s.kind == StatementKind::assign && s.targets.size() == 1 &&
            python::dotted_name(m, s.targets[0]) == "__abstract__") {
            return literal_bool(m, s.value).value_or(false);
        }
    }
    return false;
}

std::vector<NodeId> base_nodes(const ClassInfo& cls) {
    if (cls.stmt->header == python::no_node) {
        return {};
    }
    const Node& h = cls.mod->module->node(cls.stmt->header);
    return {h.children.begin() + 1, h.children.end()};
}

// The declarative base class itself (`class Base(DeclarativeBase)`,
// `@as_declarative()`): its subclasses are mapped, it is not.
bool is_root_class(const Reader& r, const ClassInfo& cls) {
    if (has_decorator(r, cls, {"as_declarative", "as_declarative_base"})) {
        return true;
    }
    for (NodeId b : base_nodes(cls)) {
        std::string sym = r.sa_symbol(*cls.mod, b);
        if (sym == "DeclarativeBase" || sym == "DeclarativeBaseNoMeta") {
            return true;
        }
    }
    return false;
}

bool is_mapped(const Reader& r, const ClassInfo& cls, bool& flask, int depth = 0) {
    if (depth > 50 || is_root_class(r, cls)) {
        return false;
    }
    if (has_decorator(r, cls, {"mapped"})) {
        return true;
    }
    for (NodeId b : base_nodes(cls)) {
        BaseRef ref = r.classify_base(*cls.mod, b);
        if (ref.kind == BaseRef::Kind::root || ref.kind == BaseRef::Kind::flask_root) {
            flask = flask || ref.kind == BaseRef::Kind::flask_root;
            return true;
        }
        if (ref.kind == BaseRef::Kind::model_class && ref.cls != &cls &&
            (is_root_class(r, *ref.cls) || is_mapped(r, *ref.cls, flask, depth + 1))) {
            return true;
        }
    }
    return false;
}

void walk(const Reader& r, const ClassInfo& cls, Lineage& out, int depth) {
    for (const ClassInfo* c : out.contributors) {
        if (c == &cls) {
            return;
        }
    }
    out.contributors.push_back(&cls);
    if (depth > 50) {
        return;
    }
    for (NodeId b : base_nodes(cls)) {
        BaseRef ref = r.classify_base(*cls.mod, b);
        if (ref.kind == BaseRef::Kind::external) {
            out.external.push_back(ref.spelling);
        } else if (ref.kind == BaseRef::Kind::model_class) {
            // A declarative base's own columns are inherited like a mixin's.
            bool flask = false;
            if (!is_root_class(r, *ref.cls) && is_mapped(r, *ref.cls, flask) &&
                !is_abstract(*ref.cls)) {
                if (out.parent == nullptr) {
                    out.parent = ref.cls;
                }
            } else {
                walk(r, *ref.cls, out, depth + 1);
            }
        }
    }
}

// Flask-SQLAlchemy's table name for a class without __tablename__:
// "UserRole" -> "user_role", "HTTPResponse" -> "http_response".
std::string camel_to_snake(const std::string& name) {
    std::string out;
    for (std::size_t i = 0; i < name.size(); ++i) {
        auto c = static_cast<unsigned char>(name[i]);
        if (std::isupper(c) != 0 && i > 0) {
            auto prev = static_cast<unsigned char>(name[i - 1]);
            bool next_lower = i + 1 < name.size() &&
                              std::islower(static_cast<unsigned char>(name[i + 1])) != 0;
            if (std::islower(prev) != 0 || std::isdigit(prev) != 0 || next_lower) {
                out += '_';
            }
        }
        out += static_cast<char>(std::tolower(c));
    }
    std::size_t first = out.find_first_not_of('_');
    return first == std::string::npos ? "" : out.substr(first);
}

bool is_declared_attr(const Reader& r, const ClassInfo& cls, const Statement& def) {
    const Module& m = *cls.mod->module;
    for (NodeId d : def.decorators) {
        NodeId callee = m.node(d).kind == NodeKind::call ? m.node(d).children[0] : d;
        std::string sym = r.sa_symbol(*cls.mod, callee);
        if (sym == "declared_attr" || sym == "directive" || sym == "cascading") {
            return true;
        }
    }
    return false;
}

// The value a declared_attr function returns when its body is one return.
NodeId single_return(const Statement& def) {
    NodeId found = python::no_node;
    for (const Statement& s : def.body) {
        if (s.kind == StatementKind::keyword && s.keyword == "return") {
            if (found != python::no_node) {
                return python::no_node;
            }
            found = s.value;
        } else if (s.kind != StatementKind::expression) {  // a docstring is fine
            return python::no_node;
        }
    }
    return found;
}

bool mentions_column(const Reader& r, const ModuleInfo& mod, const std::vector<Statement>& body) {
    for (const Statement& s : body) {
        for (NodeId id = 0; id < static_cast<NodeId>(mod.module->nodes.size()); ++id) {
            const Node& n = mod.module->node(id);
            if (n.line >= s.line && n.line <= std::max(s.line, s.end_line) &&
                n.kind == NodeKind::call && is_column_call(r, mod, id)) {
                return true;
            }
        }
    }
    return false;
}

// A class attribute or declared_attr of that name in the contributors, first
// found wins, as Python's attribute lookup does.
struct Attribute {
    const ClassInfo* owner = nullptr;
    const Statement* stmt = nullptr;
    NodeId value = python::no_node;  // for a declared_attr: what it returns
    bool function = false;
};

std::optional<Attribute> find_attribute(const Reader& r, const Lineage& lin, const std::string& name) {
    for (const ClassInfo* c : lin.contributors) {
        const Module& m = *c->mod->module;
        for (const Statement& s : c->stmt->body) {
            if ((s.kind == StatementKind::assign || s.kind == StatementKind::annotated) &&
                s.targets.size() == 1 && python::dotted_name(m, s.targets[0]) == name &&
                s.value != python::no_node) {
                return Attribute{c, &s, s.value, false};
            }
            if (s.kind == StatementKind::compound && s.keyword == "def" && s.name == name &&
                is_declared_attr(r, *c, s)) {
                return Attribute{c, &s, single_return(s), true};
            }
        }
    }
    return std::nullopt;
}

// __tablename__ as a literal or `cls.__name__[.lower()]`; "" when absent,
// nothing (warned) when it cannot be read.
std::optional<std::string> table_name(Reader& r, const ClassInfo& cls, const Lineage& lin) {
    auto attr = find_attribute(r, lin, "__tablename__");
    if (!attr) {
        return std::string();
    }
    const Module& m = *attr->owner->mod->module;
    if (auto s = literal_string(m, attr->value)) {
        return s;
    }
    if (attr->value != python::no_node) {
        const Node& n = m.node(attr->value);
        std::string spelled = python::dotted_name(m, attr->value);
        if (spelled.size() > 9 && spelled.substr(spelled.size() - 9) == ".__name__") {
            return cls.stmt->name;
        }
        if (n.kind == NodeKind::call && n.children.size() == 1) {
            std::string callee = python::dotted_name(m, n.children[0]);
            if (callee.size() > 15 && callee.substr(callee.size() - 15) == ".__name__.lower") {
                return text::to_lower(cls.stmt->name);
            }
        }
    }
    r.warn({attr->owner->mod, attr->stmt->line, attr->stmt->column},
           "cannot read the table name of class `" + cls.stmt->name +
               "`: `__tablename__` is computed, not a string literal; the class is not checked");
    return std::nullopt;
}

void read_columns(Reader& r, const Lineage& lin, schema::Table& table) {
    std::set<std::string> seen;
    for (const ClassInfo* c : lin.contributors) {
        const ModuleInfo& mod = *c->mod;
        const Module& m = *mod.module;
        for (const Statement& s : c->stmt->body) {
            bool def = s.kind == StatementKind::compound && s.keyword == "def";
            std::string name = def ? s.name
                               : (s.kind == StatementKind::assign || s.kind == StatementKind::annotated) &&
                                         s.targets.size() == 1
                                   ? python::dotted_name(m, s.targets[0])
                                   : "";
            if (name.empty() || name.rfind("__", 0) == 0 || !seen.insert(name).second) {
                continue;
            }
            if (def) {
                if (!is_declared_attr(r, *c, s)) {
                    continue;
                }
                NodeId ret = single_return(s);
                if (ret != python::no_node && is_column_call(r, mod, ret)) {
                    add_column(r, mod, table, read_column(r, mod, ret, name, python::no_node), s.line);
                } else if (mentions_column(r, mod, s.body)) {
                    r.warn({&mod, s.line, s.column}, "cannot read the declared_attr `" + name +
                                                         "` of class `" + c->stmt->name +
                                                         "`: it is not one `return Column(...)`; "
                                                         "the column is not checked");
                    r.unchecked(table.name, name);
                }
                continue;
            }
            if (is_column_call(r, mod, s.value)) {
                add_column(r, mod, table, read_column(r, mod, s.value, name, s.annotation), s.line);
            } else if (s.kind == StatementKind::annotated && s.value == python::no_node) {
                bool not_understood = false;
                if (auto decl = read_annotation_only(r, mod, s.annotation, name, not_understood)) {
                    add_column(r, mod, table, std::move(*decl), s.line);
                }
            }
        }
    }
}

bool has_own_primary_key(const schema::Table& t) {
    for (const schema::Column& c : t.columns) {
        if (c.primary_key) {
            return true;
        }
    }
    return t.primary_key.has_value();
}

}  // namespace

void read_class(Reader& r, const ClassInfo& cls) {
    bool flask = false;
    if (is_root_class(r, cls) || !is_mapped(r, cls, flask) || is_abstract(cls)) {
        return;
    }
    Lineage lin;
    walk(r, cls, lin, 0);
    lin.flask = flask;
    std::optional<std::string> name = table_name(r, cls, lin);
    if (!name) {
        return;
    }
    schema::Table table;
    table.where = {cls.mod->path, cls.stmt->line};
    bool single_table = false;
    if (name->empty()) {
        if (auto attr = find_attribute(r, lin, "__table__")) {
            if (auto t = read_table_call(r, *attr->owner->mod, attr->value)) {
                r.class_table[cls.stmt] = t->name;
                r.add_table(*cls.mod, std::move(*t));
            }
            return;
        }
        if (lin.flask) {
            *name = camel_to_snake(cls.stmt->name);
        } else if (lin.parent != nullptr) {
            single_table = true;
        } else {
            r.warn({cls.mod, cls.stmt->line, cls.stmt->column},
                   "class `" + cls.stmt->name +
                       "` is mapped but has no `__tablename__` or `__table__`; it is not checked");
            return;
        }
    }
    table.name = *name;
    if (single_table) {
        table.name = r.class_table.count(lin.parent->stmt) != 0 ? r.class_table[lin.parent->stmt] : "";
    }
    read_columns(r, lin, table);
    if (lin.flask && lin.parent != nullptr && !has_own_primary_key(table)) {
        single_table = true;  // Flask-SQLAlchemy maps it into the parent's table
        table.name = r.class_table.count(lin.parent->stmt) != 0 ? r.class_table[lin.parent->stmt] : "";
    }
    if (single_table) {
        schema::Table* parent = r.table(table.name);
        if (parent == nullptr) {
            r.warn({cls.mod, cls.stmt->line, cls.stmt->column},
                   "class `" + cls.stmt->name + "` inherits the table of `" + lin.parent->stmt->name +
                       "`, which migcheck could not read; it is not checked");
            return;
        }
        r.class_table[cls.stmt] = parent->name;
        for (schema::Column& c : table.columns) {
            if (parent->find_column(c.name) == nullptr) {
                parent->columns.push_back(std::move(c));
            }
        }
        return;
    }
    for (const std::string& ext : lin.external) {
        r.warn({cls.mod, cls.stmt->line, cls.stmt->column},
               "class `" + cls.stmt->name + "` derives from `" + ext +
                   "`, which is not in the models files; columns it may add are not checked");
        r.unchecked(table.name, "");
    }
    if (auto args = find_attribute(r, lin, "__table_args__")) {
        if (args->value == python::no_node) {
            r.warn({args->owner->mod, args->stmt->line, args->stmt->column},
                   "cannot read `__table_args__` of table `" + table.name +
                       "`: the declared_attr is not one `return`; the table's constraints are not checked");
            r.unchecked(table.name, "");
        } else {
            apply_table_args(r, *args->owner->mod, table, args->value);
        }
    }
    r.class_table[cls.stmt] = table.name;
    r.add_table(*cls.mod, std::move(table));
}

}  // namespace migcheck::models::detail

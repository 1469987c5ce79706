// Columns of config/schema.yaml: the shorthand type name or the full mapping,
// each parameter checked against the column's type.
#include "migcheck/schema/yaml_reader.hpp"

#include "migcheck/util/text.hpp"

#include <algorithm>
#include <cctype>

namespace migcheck::schema::detail {
namespace {

const std::vector<std::string> column_keys = {
    "type",           "length",      "precision",   "scale",       "timezone", "values",
    "enum_name",      "nullable",    "primary_key", "unique",      "index",    "autoincrement",
    "server_default", "foreign_key", "comment",     "renamed_from"};
const std::vector<std::string> foreign_key_keys = {"references", "on_delete", "on_update", "name"};
const std::vector<std::string> actions = {"CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT",
                                          "NO ACTION"};

// Parameters that only some types take.
struct Parameter {
    const char* key;
    std::vector<TypeKind> kinds;
    const char* applies_to;
};

const std::vector<Parameter>& parameters() {
    static const std::vector<Parameter> list = {
        {"length", {TypeKind::string, TypeKind::binary}, "string and binary"},
        {"precision", {TypeKind::numeric}, "numeric"},
        {"scale", {TypeKind::numeric}, "numeric"},
        {"timezone", {TypeKind::datetime, TypeKind::time}, "datetime and time"},
        {"values", {TypeKind::enum_}, "enum"},
        {"enum_name", {TypeKind::enum_}, "enum"},
        {"autoincrement",
         {TypeKind::integer, TypeKind::biginteger, TypeKind::smallinteger},
         "integer, biginteger and smallinteger"},
    };
    return list;
}

// Names from SQL and SQLAlchemy that people reach for, and what they are here.
const char* alias_of(const std::string& lower) {
    static const std::vector<std::pair<const char*, const char*>> aliases = {
        {"varchar", "string"},       {"char", "string"},           {"nvarchar", "string"},
        {"unicode", "string"},       {"int", "integer"},           {"int4", "integer"},
        {"serial", "integer"},       {"bigint", "biginteger"},     {"int8", "biginteger"},
        {"bigserial", "biginteger"}, {"smallint", "smallinteger"}, {"int2", "smallinteger"},
        {"bool", "boolean"},         {"timestamp", "datetime"},    {"timestamptz", "datetime"},
        {"blob", "binary"},          {"bytea", "binary"},          {"largebinary", "binary"},
        {"jsonb", "json"},           {"decimal", "numeric"},       {"double", "float"},
        {"real", "float"},           {"unicodetext", "text"},      {"clob", "text"},
    };
    for (const auto& [from, to] : aliases) {
        if (lower == from) {
            return to;
        }
    }
    return nullptr;
}

std::string line_of(const Entry& e) {
    return std::to_string(e.key_node.Mark().line + 1);
}

TypeKind read_kind(const Reader& r, const std::string& name, const YAML::Mark& mark) {
    if (auto kind = parse_type_kind(name)) {
        return *kind;
    }
    std::string message = "unknown type '" + name + "'";
    if (name.find('(') != std::string::npos) {
        r.fail(mark, message + ": write the type's name alone and its parameters as keys, as in "
                               "{type: string, length: 255}");
    }
    if (const char* alias = alias_of(text::to_lower(name))) {
        r.fail(mark, message + " (did you mean '" + alias + "'?)");
    }
    r.fail(mark, message + suggestion(name, type_kind_names(),
                                      "the types are " + text::join(type_kind_names(), ", ")));
}

void check_applies(const Reader& r, const Entry& e, TypeKind kind) {
    for (const auto& p : parameters()) {
        if (e.key == p.key && std::find(p.kinds.begin(), p.kinds.end(), kind) == p.kinds.end()) {
            r.fail(e.key_node.Mark(),
                   "'" + e.key + "' does not apply to type " + type_kind_name(kind) +
                       "; remove it or change the type (it applies to " + p.applies_to + ")");
        }
    }
}

std::vector<std::string> read_values(const Reader& r, const Entry& e) {
    const char* what = "'values' must be a non-empty list of the enum's values, e.g. [active, "
                       "suspended]";
    if (!e.value.IsSequence() || e.value.size() == 0) {
        r.fail(r.value_mark(e), what);
    }
    std::vector<std::string> out;
    for (const auto& v : e.value) {
        if (!v.IsScalar()) {
            r.fail(v.Mark(), what);
        }
        if (std::find(out.begin(), out.end(), v.Scalar()) != out.end()) {
            r.fail(v.Mark(), "value '" + v.Scalar() + "' is listed twice; list each value once");
        }
        out.push_back(v.Scalar());
    }
    return out;
}

std::string read_default(const Reader& r, const Entry& e) {
    const char* sql = "SQL text such as \"'en'\", 0 or CURRENT_TIMESTAMP";
    std::string value = r.text(e, std::string(sql) + "; leave it out for no default");
    if (text::trim(value).empty()) {
        r.fail(r.value_mark(e), "'server_default' is empty; give " + std::string(sql) +
                                    ", or leave it out for no default");
    }
    return value;
}

std::string read_action(const Reader& r, const Entry& e) {
    std::string value = r.text(e, "one of " + text::join(actions, ", "));
    std::string canonical;
    for (const auto& word : text::split(text::trim(value), ' ')) {
        if (!word.empty()) {
            canonical += (canonical.empty() ? "" : " ");
            for (char c : word) {
                canonical += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            }
        }
    }
    if (std::find(actions.begin(), actions.end(), canonical) == actions.end()) {
        r.fail(r.value_mark(e),
               "unknown action '" + value + "' for '" + e.key + "'" +
                   suggestion(value, actions, "use one of " + text::join(actions, ", ")));
    }
    return canonical;
}

ForeignKeyRef read_foreign_key(Reader& r, const std::string& owner, const Entry& e) {
    if (!e.value.IsMap()) {
        r.fail(r.value_mark(e), "'foreign_key' must be a mapping such as {references: "
                                "organizations.id, on_delete: CASCADE}");
    }
    std::string context = "in the foreign key of " + owner;
    auto items = r.entries(e.value, foreign_key_keys, context, "");
    ForeignKeyRef fk;
    const Entry* references = find_entry(items, "references");
    if (references == nullptr) {
        r.fail(e.key_node.Mark(), "the foreign key of " + owner +
                                      " has no 'references'; add references: table.column");
    }
    for (const auto& k : items) {
        if (k.key == "references") {
            auto parts = text::split(r.text(k, "table.column, e.g. organizations.id"), '.');
            if (parts.size() != 2 || parts[0].empty() || parts[1].empty()) {
                r.fail(r.value_mark(k), "'references' must be table.column, e.g. organizations.id");
            }
            fk.table = parts[0];
            fk.column = parts[1];
            r.defer(PendingReference{owner, fk.table, fk.column, r.value_mark(k)});
        } else if (k.key == "on_delete") {
            fk.on_delete = read_action(r, k);
        } else if (k.key == "on_update") {
            fk.on_update = read_action(r, k);
        } else if (k.key == "name") {
            fk.name = r.text(k, "the constraint's name");
            r.check_identifier(r.value_mark(k), fk.name, "foreign key name");
            r.claim_name(fk.name, r.value_mark(k), "foreign key",
                         "the foreign key of " + owner + " at line " + line_of(k));
        }
    }
    return fk;
}

// Checks that need the whole column: enum parameters, numeric scale, keys.
void check_column(const Reader& r, const Column& c, const std::string& owner, const Entry& e,
                  const std::vector<Entry>& items) {
    if (c.type.kind == TypeKind::enum_) {
        if (find_entry(items, "values") == nullptr) {
            r.fail(e.key_node.Mark(), "enum column " + owner +
                                          " has no 'values'; add values: [...], the allowed "
                                          "values");
        }
        if (find_entry(items, "enum_name") == nullptr) {
            r.fail(e.key_node.Mark(), "enum column " + owner +
                                          " has no 'enum_name'; add enum_name: <name>, the name "
                                          "of the database type");
        }
    }
    if (const Entry* scale = find_entry(items, "scale")) {
        if (!c.type.precision) {
            r.fail(scale->key_node.Mark(), "'scale' needs 'precision' too; add precision: N, the "
                                           "number of digits in all");
        }
        if (*c.type.scale > *c.type.precision) {
            r.fail(r.value_mark(*scale),
                   "'scale' (" + std::to_string(*c.type.scale) +
                       ") cannot be larger than "
                       "'precision' (" +
                       std::to_string(*c.type.precision) +
                       "): the scale counts the digits after the point, the precision all of "
                       "them");
        }
    }
    const Entry* nullable = find_entry(items, "nullable");
    if (c.primary_key && nullable != nullptr && c.nullable) {
        r.fail(r.value_mark(*nullable), "column " + owner +
                                            " is in the primary key, which cannot be nullable; "
                                            "remove 'nullable: true'");
    }
}

}  // namespace

Column read_column(Reader& r, const Table& table, const Entry& e) {
    Column c;
    c.name = e.key;
    c.where = r.location(e.key_node.Mark());
    r.check_identifier(e.key_node.Mark(), c.name, "column name");
    std::string owner = table.name + "." + c.name;
    if (e.value.IsScalar()) {
        c.type.kind = read_kind(r, e.value.Scalar(), e.value.Mark());
        if (c.type.kind == TypeKind::enum_) {
            r.fail(e.value.Mark(), "enum column " + owner +
                                       " needs 'values' and 'enum_name': write {type: enum, "
                                       "values: [...], enum_name: <name>}");
        }
        return c;
    }
    if (!e.value.IsMap()) {
        r.fail(r.value_mark(e), "column " + owner +
                                    " needs a type: write a type name such as "
                                    "'string', or a mapping such as {type: string, length: 100}");
    }
    auto items = r.entries(e.value, column_keys, "in column " + owner, "");
    const Entry* type = find_entry(items, "type");
    if (type == nullptr) {
        r.fail(e.key_node.Mark(), "column " + owner + " has no 'type'; add one, e.g. type: string");
    }
    c.type.kind = read_kind(r, r.text(*type, "a type name such as 'string'"), r.value_mark(*type));
    for (const auto& k : items) {
        check_applies(r, k, c.type.kind);
        if (k.key == "length") {
            c.type.length = r.whole_number(k, 1);
        } else if (k.key == "precision") {
            c.type.precision = r.whole_number(k, 1);
        } else if (k.key == "scale") {
            c.type.scale = r.whole_number(k, 0);
        } else if (k.key == "timezone") {
            c.type.timezone = r.boolean(k);
        } else if (k.key == "values") {
            c.type.enum_values = read_values(r, k);
        } else if (k.key == "enum_name") {
            c.type.enum_name = r.text(k, "the name of the enum's database type");
            r.check_identifier(r.value_mark(k), c.type.enum_name, "enum name");
        } else if (k.key == "nullable") {
            c.nullable = r.boolean(k);
        } else if (k.key == "primary_key") {
            c.primary_key = r.boolean(k);
        } else if (k.key == "unique") {
            c.unique = r.boolean(k);
        } else if (k.key == "index") {
            c.index = r.boolean(k);
            if (c.index) {
                r.claim_name(implicit_index_name(table.name, c.name), k.key_node.Mark(), "index",
                             "'index: true' on " + owner + " at line " + line_of(k));
            }
        } else if (k.key == "autoincrement") {
            c.autoincrement = r.boolean(k);
        } else if (k.key == "server_default") {
            c.server_default = read_default(r, k);
        } else if (k.key == "foreign_key") {
            c.foreign_key = read_foreign_key(r, owner, k);
        } else if (k.key == "comment") {
            c.comment = r.text(k, "text");
        } else if (k.key == "renamed_from") {
            c.renamed_from = r.text(k, "the column's previous name");
            r.check_identifier(r.value_mark(k), c.renamed_from, "previous column name");
            if (c.renamed_from == c.name) {
                r.fail(r.value_mark(k),
                       "column " + owner + " is renamed from itself; remove 'renamed_from'");
            }
        }
    }
    if (find_entry(items, "nullable") == nullptr) {
        c.nullable = !c.primary_key;
    }
    check_column(r, c, owner, e, items);
    return c;
}

}  // namespace migcheck::schema::detail

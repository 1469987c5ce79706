#include "migcheck/schema/schema.hpp"

#include <algorithm>
#include <array>

namespace migcheck::schema {
namespace {

struct KindInfo {
    TypeKind kind;
    const char* name;        // schema.yaml
    const char* sqlalchemy;  // render_type
};

constexpr std::array<KindInfo, 15> kinds = {{
    {TypeKind::integer, "integer", "Integer"},
    {TypeKind::biginteger, "biginteger", "BigInteger"},
    {TypeKind::smallinteger, "smallinteger", "SmallInteger"},
    {TypeKind::string, "string", "String"},
    {TypeKind::text, "text", "Text"},
    {TypeKind::boolean, "boolean", "Boolean"},
    {TypeKind::date, "date", "Date"},
    {TypeKind::datetime, "datetime", "DateTime"},
    {TypeKind::time, "time", "Time"},
    {TypeKind::float_, "float", "Float"},
    {TypeKind::numeric, "numeric", "Numeric"},
    {TypeKind::json, "json", "JSON"},
    {TypeKind::binary, "binary", "LargeBinary"},
    {TypeKind::uuid, "uuid", "Uuid"},
    {TypeKind::enum_, "enum", "Enum"},
}};

// info() indexes the table by the enum's value.
constexpr bool in_enum_order() {
    for (std::size_t i = 0; i < kinds.size(); ++i) {
        if (static_cast<std::size_t>(kinds[i].kind) != i) {
            return false;
        }
    }
    return true;
}
static_assert(in_enum_order(), "kinds must list TypeKind in order");

const KindInfo& info(TypeKind kind) {
    return kinds[static_cast<std::size_t>(kind)];
}

// Python's repr of a str, as SQLAlchemy's Enum(...) would be written.
std::string python_string(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    return out + "'";
}

template <typename T, typename Columns>
auto find_by_name(Columns& columns, std::string_view name) -> T* {
    auto it =
        std::find_if(columns.begin(), columns.end(), [&](const auto& c) { return c.name == name; });
    return it == columns.end() ? nullptr : &*it;
}

}  // namespace

std::string to_string(const Location& where) {
    if (where.file.empty()) {
        return "";
    }
    if (where.line <= 0) {
        return where.file;
    }
    return where.file + ":" + std::to_string(where.line);
}

const char* type_kind_name(TypeKind kind) {
    return info(kind).name;
}

std::optional<TypeKind> parse_type_kind(std::string_view name) {
    for (const auto& k : kinds) {
        if (name == k.name) {
            return k.kind;
        }
    }
    return std::nullopt;
}

const std::vector<std::string>& type_kind_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const auto& k : kinds) {
            out.emplace_back(k.name);
        }
        return out;
    }();
    return names;
}

bool is_integer_kind(TypeKind kind) {
    return kind == TypeKind::integer || kind == TypeKind::biginteger ||
           kind == TypeKind::smallinteger;
}

std::string render_type(const Type& type) {
    if (!type.declared.empty()) {
        return type.declared;
    }
    std::string out = info(type.kind).sqlalchemy;
    switch (type.kind) {
    case TypeKind::string:
    case TypeKind::binary:
        if (type.length) {
            out += "(" + std::to_string(*type.length) + ")";
        }
        break;
    case TypeKind::datetime:
    case TypeKind::time:
        if (type.timezone) {
            out += "(timezone=True)";
        }
        break;
    case TypeKind::numeric:
        if (type.precision && type.scale) {
            out += "(" + std::to_string(*type.precision) + ", " + std::to_string(*type.scale) + ")";
        } else if (type.precision) {
            out += "(" + std::to_string(*type.precision) + ")";
        } else if (type.scale) {
            out += "(scale=" + std::to_string(*type.scale) + ")";
        }
        break;
    case TypeKind::enum_: {
        std::string args;
        for (const auto& v : type.enum_values) {
            args += (args.empty() ? "" : ", ") + python_string(v);
        }
        if (!type.enum_name.empty()) {
            args +=
                (args.empty() ? "" : ", ") + std::string("name=") + python_string(type.enum_name);
        }
        out += "(" + args + ")";
        break;
    }
    default:
        break;
    }
    return out;
}

const Column* Table::find_column(std::string_view column) const {
    return find_by_name<const Column>(columns, column);
}

Column* Table::find_column(std::string_view column) {
    return find_by_name<Column>(columns, column);
}

std::vector<std::string> Table::primary_key_columns() const {
    if (primary_key) {
        return primary_key->columns;
    }
    std::vector<std::string> out;
    for (const auto& c : columns) {
        if (c.primary_key) {
            out.push_back(c.name);
        }
    }
    return out;
}

bool Table::in_primary_key(std::string_view column) const {
    if (primary_key) {
        const auto& key = primary_key->columns;
        return std::find(key.begin(), key.end(), column) != key.end();
    }
    return std::any_of(columns.begin(), columns.end(),
                       [&](const Column& c) { return c.primary_key && c.name == column; });
}

std::vector<Index> Table::all_indexes() const {
    std::vector<Index> out = indexes;
    for (const auto& c : columns) {
        if (c.index) {
            out.push_back(Index{implicit_index_name(name, c.name), {c.name}, c.unique, c.where});
        }
    }
    return out;
}

std::vector<UniqueConstraint> Table::all_unique_constraints() const {
    std::vector<UniqueConstraint> out = unique_constraints;
    for (const auto& c : columns) {
        if (c.unique && !c.index) {
            out.push_back(UniqueConstraint{"", {c.name}, c.where});
        }
    }
    return out;
}

std::vector<ForeignKey> Table::all_foreign_keys() const {
    std::vector<ForeignKey> out = foreign_keys;
    for (const auto& c : columns) {
        if (c.foreign_key) {
            const ForeignKeyRef& fk = *c.foreign_key;
            out.push_back(ForeignKey{
                fk.name, {c.name}, fk.table, {fk.column}, fk.on_delete, fk.on_update, c.where});
        }
    }
    return out;
}

const Table* Schema::find_table(std::string_view table) const {
    return find_by_name<const Table>(tables, table);
}

Table* Schema::find_table(std::string_view table) {
    return find_by_name<Table>(tables, table);
}

std::string implicit_index_name(std::string_view table, std::string_view column) {
    return "ix_" + std::string(table) + "_" + std::string(column);
}

}  // namespace migcheck::schema

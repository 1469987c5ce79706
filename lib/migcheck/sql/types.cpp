#include "migcheck/sql/types.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace migcheck::sql {
namespace {

using schema::Type;
using schema::TypeKind;

std::string with_length(const char* name, const std::optional<int>& length) {
    return length ? std::string(name) + "(" + std::to_string(*length) + ")" : std::string(name);
}

// Upper case, spaces removed: "varchar ( 20 )" -> "VARCHAR(20)".
std::string canonical(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (!std::isspace(static_cast<unsigned char>(c))) {
            out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
    }
    return out;
}

// Splits "NAME(1,2)" into NAME and its integer arguments; false when the
// arguments are not integers or the parentheses do not close.
bool split_type(const std::string& text, std::string& name, std::vector<int>& args) {
    auto open = text.find('(');
    name = text.substr(0, open);
    if (open == std::string::npos) {
        return true;
    }
    if (text.back() != ')') {
        return false;
    }
    std::string inner = text.substr(open + 1, text.size() - open - 2);
    std::size_t start = 0;
    while (start <= inner.size()) {
        auto comma = inner.find(',', start);
        std::string part = inner.substr(start, comma == std::string::npos ? std::string::npos
                                                                          : comma - start);
        // More than nine digits would overflow an int: no real type has them.
        if (part.empty() || part.size() > 9 || !std::all_of(part.begin(), part.end(), [](char c) {
                return std::isdigit(static_cast<unsigned char>(c)) != 0;
            })) {
            return false;
        }
        args.push_back(std::atoi(part.c_str()));
        if (comma == std::string::npos) {
            break;
        }
        start = comma + 1;
    }
    return true;
}

}  // namespace

std::string sqlite_type(const Type& type) {
    if (!type.declared.empty()) {
        return type.declared;
    }
    switch (type.kind) {
    case TypeKind::integer:
        return "INTEGER";
    case TypeKind::biginteger:
        return "BIGINT";
    case TypeKind::smallinteger:
        return "SMALLINT";
    case TypeKind::string:
        return with_length("VARCHAR", type.length);
    case TypeKind::text:
        return "TEXT";
    case TypeKind::boolean:
        return "BOOLEAN";
    case TypeKind::date:
        return "DATE";
    case TypeKind::datetime:
        return "DATETIME";
    case TypeKind::time:
        return "TIME";
    case TypeKind::float_:
        return "FLOAT";
    case TypeKind::numeric:
        if (type.precision && type.scale) {
            return "NUMERIC(" + std::to_string(*type.precision) + ", " +
                   std::to_string(*type.scale) + ")";
        }
        return with_length("NUMERIC", type.precision);
    case TypeKind::json:
        return "JSON";
    case TypeKind::binary:
        return "BLOB";
    case TypeKind::uuid:
        return "CHAR(32)";
    case TypeKind::enum_: {
        std::size_t longest = 0;
        for (const auto& v : type.enum_values) {
            longest = std::max(longest, v.size());
        }
        return "VARCHAR(" + std::to_string(longest) + ")";
    }
    }
    return "";
}

Type parse_sqlite_type(std::string_view declared) {
    std::string text = canonical(declared);
    if (text.empty()) {
        Type none;
        none.declared = "(no type)";
        return none;
    }
    std::string name;
    std::vector<int> args;
    Type t;
    if (!split_type(text, name, args)) {
        t.declared = std::string(declared);
        return t;
    }
    auto kind_without_args = [&](TypeKind kind) {
        if (!args.empty()) {
            return false;
        }
        t.kind = kind;
        return true;
    };
    bool ok = false;
    if (name == "INTEGER" || name == "INT") {
        ok = kind_without_args(TypeKind::integer);
    } else if (name == "BIGINT") {
        ok = kind_without_args(TypeKind::biginteger);
    } else if (name == "SMALLINT") {
        ok = kind_without_args(TypeKind::smallinteger);
    } else if (name == "VARCHAR" || name == "NVARCHAR") {
        ok = args.size() <= 1;
        t.kind = TypeKind::string;
        if (args.size() == 1) {
            t.length = args[0];
        }
    } else if (name == "TEXT" || name == "CLOB") {
        ok = kind_without_args(TypeKind::text);
    } else if (name == "BOOLEAN") {
        ok = kind_without_args(TypeKind::boolean);
    } else if (name == "DATE") {
        ok = kind_without_args(TypeKind::date);
    } else if (name == "DATETIME" || name == "TIMESTAMP") {
        ok = kind_without_args(TypeKind::datetime);
    } else if (name == "TIME") {
        ok = kind_without_args(TypeKind::time);
    } else if (name == "FLOAT" || name == "REAL") {
        ok = kind_without_args(TypeKind::float_);
    } else if (name == "NUMERIC" || name == "DECIMAL") {
        ok = args.size() <= 2;
        t.kind = TypeKind::numeric;
        if (!args.empty()) {
            t.precision = args[0];
        }
        if (args.size() == 2) {
            t.scale = args[1];
        }
    } else if (name == "JSON") {
        ok = kind_without_args(TypeKind::json);
    } else if (name == "BLOB") {
        ok = kind_without_args(TypeKind::binary);
    } else if (name == "CHAR" && args.size() == 1 && args[0] == 32) {
        ok = true;
        t.kind = TypeKind::uuid;
    }
    if (!ok) {
        t = Type{};
        t.declared = std::string(declared);
    }
    return t;
}

void lower_to_sqlite(schema::Table& table) {
    table.comment.clear();
    for (auto& column : table.columns) {
        column.type = parse_sqlite_type(sqlite_type(column.type));
        column.comment.clear();
        column.autoincrement.reset();
    }
}

schema::Schema sqlite_view(const schema::Schema& schema) {
    schema::Schema out = schema;
    for (auto& table : out.tables) {
        lower_to_sqlite(table);
    }
    return out;
}

}  // namespace migcheck::sql

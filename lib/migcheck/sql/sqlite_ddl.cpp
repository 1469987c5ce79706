// CREATE TABLE and CREATE INDEX as SQLAlchemy 1.4 compiles them for SQLite
// (CreateTable(t).compile(dialect=sqlite.dialect())), so that a database
// built by migcheck's scratch replay holds the same sqlite_master text, and
// introspects the same, as one built by Alembic.
#include "migcheck/sql/sqlite_ddl.hpp"

#include "migcheck/sql/sqlite_render.hpp"
#include "migcheck/sql/types.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace migcheck::sql {
namespace {

// SQLAlchemy 1.4's sqlalchemy.dialects.sqlite.base.RESERVED_WORDS, sorted.
// clang-format off
constexpr std::array<std::string_view, 117> reserved_words = {
    "add", "after", "all", "alter", "analyze", "and", "as", "asc", "attach", "autoincrement",
    "before", "begin", "between", "by", "cascade", "case", "cast", "check", "collate", "column",
    "commit", "conflict", "constraint", "create", "cross", "current_date", "current_time",
    "current_timestamp", "database", "default", "deferrable", "deferred", "delete", "desc",
    "detach", "distinct", "drop", "each", "else", "end", "escape", "except", "exclusive", "exists",
    "explain", "fail", "false", "for", "foreign", "from", "full", "glob", "group", "having", "if",
    "ignore", "immediate", "in", "index", "indexed", "initially", "inner", "insert", "instead",
    "intersect", "into", "is", "isnull", "join", "key", "left", "like", "limit", "match",
    "natural", "not", "notnull", "null", "of", "offset", "on", "or", "order", "outer", "plan",
    "pragma", "primary", "query", "raise", "references", "reindex", "rename", "replace",
    "restrict", "right", "rollback", "row", "select", "set", "table", "temp", "temporary", "then",
    "to", "transaction", "trigger", "true", "union", "unique", "update", "using", "vacuum",
    "values", "view", "virtual", "when", "where",
};
// clang-format on

static_assert(std::is_sorted(reserved_words.begin(), reserved_words.end()),
              "is_reserved searches reserved_words by bisection");

bool is_reserved(std::string_view name) {
    return std::binary_search(reserved_words.begin(), reserved_words.end(), name);
}

// SQLAlchemy's IdentifierPreparer._requires_quotes for a lower-case-only
// dialect: upper case, a leading digit or "$", or any character outside
// [A-Za-z0-9_$] forces quotes.
bool requires_quotes(std::string_view name) {
    if (name.empty() || is_reserved(name) || (name[0] >= '0' && name[0] <= '9') || name[0] == '$') {
        return true;
    }
    return !std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
    });
}

std::string quoted_list(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& name : names) {
        out += (out.empty() ? "" : ", ") + quote_identifier(name);
    }
    return out;
}

std::string named(const std::string& name) {
    return name.empty() ? "" : "CONSTRAINT " + quote_identifier(name) + " ";
}

std::string actions(const std::string& on_delete, const std::string& on_update) {
    std::string out;
    if (!on_delete.empty()) {
        out += " ON DELETE " + on_delete;
    }
    if (!on_update.empty()) {
        out += " ON UPDATE " + on_update;
    }
    return out;
}

std::string foreign_key_constraint(const schema::ForeignKey& fk) {
    return named(fk.name) + "FOREIGN KEY(" + quoted_list(fk.columns) + ") REFERENCES " +
           quote_identifier(fk.referred_table) + " (" + quoted_list(fk.referred_columns) + ")" +
           actions(fk.on_delete, fk.on_update);
}

std::string unique_constraint(const schema::UniqueConstraint& uc) {
    return named(uc.name) + "UNIQUE (" + quoted_list(uc.columns) + ")";
}

// Whether the default is a function call, "now()" or "datetime('now')",
// not already in parentheses. SQLAlchemy's SQLite dialect parenthesises a
// func.*() default, and SQLite accepts a call there only in parentheses.
bool is_bare_call(std::string_view sql) {
    if (sql.empty() || sql.back() != ')') {
        return false;
    }
    std::size_t i = 0;
    while (i < sql.size() && (std::isalnum(static_cast<unsigned char>(sql[i])) != 0 ||
                              sql[i] == '_' || sql[i] == '.')) {
        ++i;
    }
    return i > 0 && i < sql.size() && sql[i] == '(';
}

}  // namespace

std::string quote_identifier(std::string_view name) {
    if (!requires_quotes(name)) {
        return std::string(name);
    }
    std::string out = "\"";
    for (char c : name) {
        out += c;
        if (c == '"') {
            out += '"';
        }
    }
    return out + "\"";
}

std::string column_definition(const schema::Column& column) {
    std::string out = quote_identifier(column.name) + " " + sqlite_type(column.type);
    if (column.server_default) {
        const std::string& sql = *column.server_default;
        out += " DEFAULT " + (is_bare_call(sql) ? "(" + sql + ")" : sql);
    }
    if (!column.nullable) {
        out += " NOT NULL";
    }
    return out;
}

std::string references_clause(const schema::ForeignKeyRef& fk) {
    return named(fk.name) + "REFERENCES " + quote_identifier(fk.table) + " (" +
           quote_identifier(fk.column) + ")" + actions(fk.on_delete, fk.on_update);
}

std::string create_table_sql(const schema::Table& table) {
    std::vector<std::string> parts;
    for (const auto& column : table.columns) {
        parts.push_back(column_definition(column));
    }
    const auto key = table.primary_key_columns();
    if (!key.empty()) {
        parts.push_back(named(table.primary_key ? table.primary_key->name : "") + "PRIMARY KEY (" +
                        quoted_list(key) + ")");
    }
    // SQLAlchemy emits constraints in creation order: the table's own
    // constraint objects exist before the Table, while a column's unique and
    // ForeignKey become constraints as the column joins it, column by column.
    for (const auto& uc : table.unique_constraints) {
        parts.push_back(unique_constraint(uc));
    }
    for (const auto& fk : table.foreign_keys) {
        parts.push_back(foreign_key_constraint(fk));
    }
    for (const auto& column : table.columns) {
        if (column.unique && !column.index) {
            parts.push_back(unique_constraint({"", {column.name}, column.where}));
        }
        if (column.foreign_key) {
            const schema::ForeignKeyRef& ref = *column.foreign_key;
            parts.push_back(foreign_key_constraint({ref.name,
                                                    {column.name},
                                                    ref.table,
                                                    {ref.column},
                                                    ref.on_delete,
                                                    ref.on_update,
                                                    column.where}));
        }
    }
    std::string out = "CREATE TABLE " + quote_identifier(table.name) + " (";
    for (std::size_t i = 0; i < parts.size(); ++i) {
        out += (i == 0 ? "\n\t" : ", \n\t") + parts[i];
    }
    return out + "\n)";
}

std::string create_index_sql(const std::string& table, const schema::Index& index) {
    std::string elements;
    for (const auto& element : index.columns) {
        // An expression element is SQL text already.
        const std::string text = element.starts_with("(") ? element : quote_identifier(element);
        elements += (elements.empty() ? "" : ", ") + text;
    }
    return std::string("CREATE ") + (index.unique ? "UNIQUE " : "") + "INDEX " +
           quote_identifier(index.name) + " ON " + quote_identifier(table) + " (" + elements + ")";
}

}  // namespace migcheck::sql

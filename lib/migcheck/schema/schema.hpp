#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

// A database schema as data: what config/schema.yaml declares, what the models
// describe, what replaying the migrations builds. Pure: no I/O. Every element
// records where it was declared, so that a difference can name both places.
namespace migcheck::schema {

// Where an element was declared. `line` is 1-based; 0 means "the whole file",
// and an empty `file` means "nowhere in particular" (the element is missing).
struct Location {
    std::string file;
    int line = 0;

    bool operator==(const Location&) const = default;
};

// "file:line", "file" when the line is unknown, "" when the file is.
std::string to_string(const Location& where);

// The column types of schema.yaml; see docs/schema-yaml.md for the mapping
// to SQLAlchemy, SQLite and PostgreSQL.
enum class TypeKind {
    integer,
    biginteger,
    smallinteger,
    string,
    text,
    boolean,
    date,
    datetime,
    time,
    float_,
    numeric,
    json,
    binary,
    uuid,
    enum_,
};

// The type's name as schema.yaml spells it: "integer", "float", "enum"...
const char* type_kind_name(TypeKind kind);

// The kind schema.yaml's name stands for, or nothing for an unknown name.
// Exact match only: "Integer" is not a type name.
std::optional<TypeKind> parse_type_kind(std::string_view name);

// Every type name schema.yaml accepts, in the order of TypeKind.
const std::vector<std::string>& type_kind_names();

// True for integer, biginteger and smallinteger.
bool is_integer_kind(TypeKind kind);

// A column's type with its parameters. A parameter that does not apply to the
// kind (a length on an integer) is ignored by render_type and by comparison.
struct Type {
    TypeKind kind = TypeKind::integer;
    std::optional<int> length;     // string, binary
    std::optional<int> precision;  // numeric
    std::optional<int> scale;      // numeric
    bool timezone = false;         // datetime, time
    std::vector<std::string> enum_values;
    std::string enum_name;
    // A type read from a database that has no schema type ("CHAR(10)",
    // "VARCHAR2"), as declared; empty otherwise. When set, render_type
    // returns it and the kind means nothing.
    std::string declared;
};

// The type as SQLAlchemy spells it, with only the parameters that apply:
// "String(255)", "String", "Numeric(12, 2)", "DateTime(timezone=True)",
// "Enum('active', 'suspended', name='user_status')". Two types are the same
// type exactly when their renderings are equal.
std::string render_type(const Type& type);

// A column-level foreign key: `references: table.column` in schema.yaml,
// `ForeignKey("table.column")` in a model. Actions are SQL keywords ("CASCADE",
// "SET NULL"), empty when not given; an empty name means unnamed.
struct ForeignKeyRef {
    std::string table;
    std::string column;
    std::string on_delete;
    std::string on_update;
    std::string name;
};

struct Column {
    std::string name;
    Type type;
    bool nullable = true;
    bool primary_key = false;
    // A single-column unique constraint, unnamed. With `index` set too it is,
    // as in SQLAlchemy, one unique index instead (see Table::all_indexes).
    bool unique = false;
    // A single-column index named ix_<table>_<column>.
    bool index = false;
    // Unset means SQLAlchemy's default ("auto").
    std::optional<bool> autoincrement;
    // SQL text of the database-side default, exactly as it goes into DDL:
    // "'viewer'" for a string, "CURRENT_TIMESTAMP", "1".
    std::optional<std::string> server_default;
    std::optional<ForeignKeyRef> foreign_key;
    std::string comment;       // empty: none
    std::string renamed_from;  // empty: none; a hint for generate
    Location where;
};

struct Index {
    std::string name;
    std::vector<std::string> columns;  // in index order
    bool unique = false;
    Location where;
};

// An empty name means unnamed.
struct UniqueConstraint {
    std::string name;
    std::vector<std::string> columns;
    Location where;
};

// A table-level foreign key (ForeignKeyConstraint), possibly composite:
// columns[i] refers to referred_columns[i].
struct ForeignKey {
    std::string name;  // empty: unnamed
    std::vector<std::string> columns;
    std::string referred_table;
    std::vector<std::string> referred_columns;
    std::string on_delete;
    std::string on_update;
    Location where;
};

// A primary key declared as a table-level constraint (PrimaryKeyConstraint).
struct PrimaryKey {
    std::string name;  // empty: unnamed
    std::vector<std::string> columns;
    Location where;
};

struct Table {
    std::string name;
    std::vector<Column> columns;  // declaration order; kept, never compared
    std::vector<Index> indexes;
    std::vector<UniqueConstraint> unique_constraints;
    std::vector<ForeignKey> foreign_keys;  // table-level ones only
    // Set when the key is declared on the table; otherwise the primary key is
    // the columns with primary_key set.
    std::optional<PrimaryKey> primary_key;
    std::string comment;       // empty: none
    std::string renamed_from;  // empty: none; a hint for generate
    Location where;

    // The column of that name, or nullptr.
    const Column* find_column(std::string_view column) const;
    Column* find_column(std::string_view column);

    // The primary key's columns: the explicit key's, else the columns marked
    // primary_key in declaration order. Empty when the table has no key.
    std::vector<std::string> primary_key_columns() const;

    // Whether the column is part of the primary key.
    bool in_primary_key(std::string_view column) const;

    // The explicit indexes followed by one index per column with `index` set
    // (named ix_<table>_<column>, unique when the column is `unique` too), in
    // declaration order.
    std::vector<Index> all_indexes() const;

    // The explicit unique constraints followed by one unnamed constraint per
    // column that is `unique` without being `index`, in declaration order.
    std::vector<UniqueConstraint> all_unique_constraints() const;

    // The table-level foreign keys followed by one per column-level
    // foreign_key, in declaration order.
    std::vector<ForeignKey> all_foreign_keys() const;
};

struct Schema {
    std::vector<Table> tables;  // declaration order

    // The table of that name, or nullptr.
    const Table* find_table(std::string_view table) const;
    Table* find_table(std::string_view table);
};

// The name SQLAlchemy gives the index of `Column(..., index=True)` under its
// default naming convention, and op.f() keeps: "ix_<table>_<column>".
std::string implicit_index_name(std::string_view table, std::string_view column);

}  // namespace migcheck::schema

#pragma once

#include "migcheck/schema/schema.hpp"

#include <string>
#include <vector>

// The normalising comparison of two schemas: config/schema.yaml against the
// models, or against what the migrations build. Pure.
namespace migcheck::schema {

// What differs. Order here is the order of differences within one column or
// table in compare()'s output.
enum class DifferenceKind {
    table_missing,  // in expected, not in actual
    table_extra,    // in actual, not in expected
    column_missing,
    column_extra,
    type,  // render_type() differs
    nullable,
    primary_key,  // membership of a column, or the key's name
    autoincrement,
    server_default,
    foreign_key,
    unique,  // a unique constraint
    index,
    comment,  // of a table (column empty) or of a column
};

// The kind's name in snake_case, for JSON output and tests: "table_missing".
const char* difference_kind_name(DifferenceKind kind);

// A rule code for a difference: `prefix` joined to the kind in kebab case,
// "model-type", "migration-table-missing".
std::string difference_code(const std::string& prefix, DifferenceKind kind);

// One difference. `expected` and `actual` are the two sides' values rendered
// as text; for foreign_key, unique and index an empty side means the object
// is missing from that side. `expected_at` and `actual_at` say where each side
// declares the element; for a missing element they point at the table (or
// the schema, for a table) on that side that lacks it, and may be empty.
struct Difference {
    DifferenceKind kind = DifferenceKind::type;
    std::string table;
    std::string column;  // empty for a table-level difference
    std::string name;    // the index or constraint's name, when it has one
    std::string expected;
    std::string actual;
    Location expected_at;
    Location actual_at;
    std::string note;  // an extra hint for the reader, or ""
};

// Every difference between `expected` and `actual`, sorted by table, column,
// kind, name, expected and actual, so that output diffs cleanly. Empty when
// the schemas are the same schema. What counts as the same:
//
//  - Tables and columns are matched by name; the order of tables and of
//    columns is never compared. renamed_from is a hint, never compared.
//  - Types are compared by render_type(): String and String(255) differ,
//    enum values are compared in order (PostgreSQL orders them), and
//    timezone counts for datetime and time.
//  - A primary key column is NOT NULL whatever its nullable flag says.
//  - Primary keys are compared as sets of columns; their names only when both
//    sides name them.
//  - autoincrement is compared when at least one side sets it, as the value
//    SQLAlchemy would use: false outside the primary key whatever the flag;
//    unset means true for a lone integer or numeric key column without a
//    foreign key or server default, else false.
//  - Server defaults are compared by normalise_server_default().
//  - Comments are compared exactly; empty means none.
//  - Indexes (Table::all_indexes: `index: true` is an index named
//    ix_<table>_<column>, the name op.f() keeps) are matched by name, then by
//    columns and uniqueness where a side has no name; columns are compared in
//    order.
//  - Unique constraints (Table::all_unique_constraints: `unique: true` is an
//    unnamed single-column one) are matched by their set of columns; names
//    are compared only when both sides name them.
//  - A unique index and a unique constraint on the same columns
//    enforce the same rule, and SQLite keeps a UNIQUE clause as an index:
//    they are one fact, and neither side is reported.
//  - Foreign keys (Table::all_foreign_keys) are matched by their columns and
//    referred table and columns; actions are compared by normalise_action();
//    names only when both sides name them.
std::vector<Difference> compare(const Schema& expected, const Schema& actual);

// One line for a human, naming both places: each side's Location, or its
// label when the Location has no file. For example
//   column users.email: type String(255) in config/schema.yaml:22 but
//   String(200) in app/models/user.py:14
//   column users.nickname: declared in config/schema.yaml:30 but not in
//   app/models/user.py:5
std::string describe(const Difference& difference, const std::string& expected_label,
                     const std::string& actual_label);

}  // namespace migcheck::schema

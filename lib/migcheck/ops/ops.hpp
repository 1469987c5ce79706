#pragma once

#include "migcheck/schema/schema.hpp"

#include <optional>
#include <string>
#include <variant>
#include <vector>

// Typed migration operations: what the upgrade() and downgrade() bodies of a
// revision file do, read without running Python (ops/reader.hpp), applied to
// the schema model (ops/apply.hpp) or rendered to SQL (sql/). Pure data.
namespace migcheck::ops {

// op.create_table("t", sa.Column(...), sa.PrimaryKeyConstraint(...), ...).
// Column-level keywords land on the columns; constraints given as arguments
// land in the table's indexes, unique_constraints, foreign_keys and
// primary_key, as in the schema model.
struct CreateTable {
    schema::Table table;
};

struct DropTable {
    std::string table;
};

struct RenameTable {
    std::string table;
    std::string new_name;
};

// op.add_column("t", sa.Column(...)) and batch_op.add_column(sa.Column(...)).
struct AddColumn {
    std::string table;
    schema::Column column;
};

struct DropColumn {
    std::string table;
    std::string column;
};

// op.alter_column("t", "c", ...). Each change is unset when the call does not
// give it. server_default and comment distinguish "set to nothing"
// (`server_default=None`: the inner optional is empty) from "unchanged".
struct AlterColumn {
    std::string table;
    std::string column;
    std::optional<bool> nullable;
    std::optional<schema::Type> type;
    std::optional<std::optional<std::string>> server_default;
    std::optional<std::optional<std::string>> comment;
    std::optional<std::string> new_name;  // new_column_name=
    std::optional<bool> autoincrement;
    // The existing_* arguments: what the caller says the column is now.
    std::optional<schema::Type> existing_type;
    std::optional<bool> existing_nullable;
    std::optional<std::optional<std::string>> existing_server_default;
};

// op.create_index(name, "t", ["c", ...], unique=...). `index.columns` holds
// column names; an expression element (sa.text(...)) is kept as its SQL text
// in parentheses.
struct CreateIndex {
    std::string table;
    schema::Index index;
};

// op.drop_index(name, table_name="t"). The table may be empty: Alembic
// allows dropping an index by name alone.
struct DropIndex {
    std::string table;
    std::string name;
};

struct CreateUniqueConstraint {
    std::string table;
    schema::UniqueConstraint constraint;
};

// op.create_foreign_key(name, "source", "referent", [local], [remote], ...).
struct CreateForeignKey {
    std::string table;
    schema::ForeignKey foreign_key;
};

// op.create_primary_key(name, "t", [columns]).
struct CreatePrimaryKey {
    std::string table;
    schema::PrimaryKey primary_key;
};

// op.drop_constraint(name, "t", type_=...). `type` is Alembic's type_
// ("foreignkey", "unique", "primary", "check") or "" when not given.
struct DropConstraint {
    std::string table;
    std::string name;
    std::string type;
};

// op.execute("SQL") or op.execute(sa.text("SQL")): the SQL text as written.
struct Execute {
    std::string sql;
};

using Change = std::variant<CreateTable, DropTable, RenameTable, AddColumn, DropColumn,
                            AlterColumn, CreateIndex, DropIndex, CreateUniqueConstraint,
                            CreateForeignKey, CreatePrimaryKey, DropConstraint, Execute>;

// One operation with the place of its call.
struct Operation {
    Change change;
    schema::Location where;  // the revision file and the line of the call
    int column = 0;          // 1-based column of the call
    // Written inside `with op.batch_alter_table("t") as batch_op:`; Alembic
    // then rebuilds the table on SQLite for alterations it cannot do in place.
    bool batch = false;
};

// Operation kind names as Alembic spells the call: "create_table",
// "alter_column"...
const char* change_name(const Change& change);

// The table an operation works on ("" for execute, and for drop_index
// without a table).
std::string target_table(const Change& change);

// What a function body does: its operations in order, or, when it holds
// something migcheck does not interpret (a loop, a helper call, an ORM data
// migration, op.get_bind()), where the first such statement is and why.
struct Body {
    std::vector<Operation> operations;
    bool interpretable = true;
    schema::Location stopped_at;  // the first statement not interpreted
    int stopped_column = 0;
    std::string why;              // "a for loop", "a call of helper()"...
    bool present = true;          // false when the file defines no such function
};

struct RevisionOps {
    Body upgrade;
    Body downgrade;
};

}  // namespace migcheck::ops

#pragma once

#include "migcheck/ops/ops.hpp"
#include "migcheck/report/finding.hpp"

#include <string>
#include <string_view>
#include <vector>

// Shared by the files that implement ops::apply (apply.cpp for tables and
// columns, apply_constraints.cpp for indexes and constraints). Not a public
// interface.
namespace migcheck::ops::detail {

// The operation being applied and the findings it produces.
class Context {
  public:
    Context(const Operation& op, std::vector<Finding>& findings) : m_op(op), m_findings(findings) {}

    // Records the invalid-operation error "op.<call>: <problem>" at the
    // operation's place. Returns false, so that a check can end with
    // `return ctx.fail(...)`.
    bool fail(const std::string& problem);

    // Records a warning "op.<call>: <problem>" under `code`.
    void warn(const std::string& code, const std::string& problem);

    const Operation& op() const { return m_op; }

  private:
    Finding finding(Severity severity, const std::string& code, const std::string& problem) const;

    const Operation& m_op;
    std::vector<Finding>& m_findings;
};

// `"name"`: how every message names a table, column, index or constraint.
std::string quote(std::string_view name);

// "(a, b)".
std::string column_list(const std::vector<std::string>& columns);

// How messages name a constraint: `index "ix"`, `unique constraint "uq"` or
// `the unique constraint on (a, b)` when unnamed, `foreign key "fk"` or `the
// foreign key on (a)`, `primary key "pk"` or `the primary key`.
std::string describe(const schema::Index& index);
std::string describe(const schema::UniqueConstraint& constraint);
std::string describe(const schema::ForeignKey& foreign_key);
std::string describe(const schema::PrimaryKey& primary_key);

// The table, or nullptr after failing with `table "t" does not exist`.
schema::Table* require_table(schema::Schema& schema, const std::string& name, Context& ctx);

// Every name in `columns` is a column of `table`, except expression elements
// (text starting with "("), which cannot be checked; else fails with
// `table "t" has no column "c" for <what>`.
bool require_columns(const schema::Table& table, const std::vector<std::string>& columns,
                     const std::string& what, Context& ctx);

// No table of `schema` has an index called `name` (index names are
// schema-wide, as in PostgreSQL and SQLite); else fails with
// `index "ix" already exists on table "t"`.
bool require_free_index_name(const schema::Schema& schema, const std::string& name, Context& ctx);

// `owner` has no unique constraint, foreign key or primary key called `name`
// (an empty name is always free); else fails with
// `table "t" already has a constraint "c"`.
bool require_free_constraint_name(const schema::Table& owner, const std::string& name,
                                  Context& ctx);

// The foreign key's local columns are columns of `owner`, its referred table
// exists (`owner` itself for a self-reference, even before `owner` is in
// the schema) with the referred columns, and both lists have one length.
bool require_valid_foreign_key(const schema::Schema& schema, const schema::Table& owner,
                               const schema::ForeignKey& foreign_key, Context& ctx);

// Gives an element added by the operation the operation's place, unless
// the reader already recorded a more precise one (a column's own line).
void stamp(schema::Location& where, const schema::Location& op_where);

// The handlers of apply_constraints.cpp. Each checks everything before it
// changes anything, so that a failed operation leaves the schema as it was.
void create_index(schema::Schema& schema, const CreateIndex& change, Context& ctx);
void drop_index(schema::Schema& schema, const DropIndex& change, Context& ctx);
void create_unique_constraint(schema::Schema& schema, const CreateUniqueConstraint& change,
                              Context& ctx);
void create_foreign_key(schema::Schema& schema, const CreateForeignKey& change, Context& ctx);
void create_primary_key(schema::Schema& schema, const CreatePrimaryKey& change, Context& ctx);
void drop_constraint(schema::Schema& schema, const DropConstraint& change, Context& ctx);

}  // namespace migcheck::ops::detail

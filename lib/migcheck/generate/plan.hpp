#pragma once

#include "migcheck/ops/ops.hpp"
#include "migcheck/report/finding.hpp"
#include "migcheck/schema/schema.hpp"

#include <map>
#include <string>
#include <vector>

// What a new revision must do: the differences between the schema the
// history builds (its head) and config/schema.yaml, turned into operations
// in an order every database accepts. Pure: schemas in, operations out.
namespace migcheck::generate {

// Renames `generate` emits instead of a drop and a create, from the
// renamed_from hints. Table renames map the old name to the new one; column
// renames are keyed by the table's new name and map old column names to new.
struct Renames {
    std::map<std::string, std::string> tables;
    std::map<std::string, std::map<std::string, std::string>> columns;

    bool empty() const { return tables.empty() && columns.empty(); }
    // The same renames the other way round, for the downgrade.
    Renames inverse() const;
};

// The renames a target schema asks for against `from`: a table whose
// renamed_from names a table `from` has (and whose own name `from` lacks),
// and likewise for columns within a table. A column that `from` has and the
// target drops, in a table that gains a column of the same type without a
// hint, is a `rename-hint` warning suggesting `renamed_from`.
Renames find_renames(const schema::Schema& from, const schema::Schema& to,
                     const std::string& schema_path, std::vector<Finding>& warnings);

// One planned operation. `caution` says why it may lose data ("drops table
// users and its rows"), "" when it cannot.
struct Step {
    ops::Operation op;
    std::string caution;
};

// The operations that turn `from` into `to`, applying `renames` first, in
// this order:
//
//  1. table renames, then column renames (alter_column new_column_name=);
//  2. new tables, each with its indexes, a table before the tables whose
//     foreign keys refer to it (a foreign key closing a cycle among new
//     tables is created afterwards with create_foreign_key);
//  3. for each table kept, referred tables first: drops of foreign keys,
//     indexes, unique constraints and primary keys that change or go (so
//     before the columns they use are dropped), added columns, altered
//     columns, dropped columns, then the new primary key, unique
//     constraints, indexes and foreign keys (after the columns they use);
//  4. dropped tables, a table before the tables it refers to.
//
// With `batch`, every operation on a kept table is marked batch (Alembic's
// render_as_batch). Constraints and primary keys created without a name in
// `to` get conventional ones (uq_<table>_<columns>,
// fk_<table>_<column>_<referred>, pk_<table>) so that they can be dropped by
// name later, which batch mode requires; comparisons ignore
// a name one side lacks. What no operation can express (a table comment on
// a kept table, dropping a constraint that has no name) is a warning in
// `warnings` and left out.
std::vector<Step> plan_changes(const schema::Schema& from, const schema::Schema& to,
                               const Renames& renames, bool batch, std::vector<Finding>& warnings);

// A revision's two bodies: upgrade turns `head` into `target`, downgrade
// turns what the upgrade builds (`target` with the names the upgrade gave)
// back into `head`: the same planner the other way, with the renames
// inverted. `warnings` holds the upgrade's warnings only.
struct Plan {
    std::vector<Step> upgrade;
    std::vector<Step> downgrade;
    std::vector<Finding> warnings;
};

Plan plan_revision(const schema::Schema& head, const schema::Schema& target,
                   const std::string& schema_path, bool batch);

}  // namespace migcheck::generate

#pragma once

#include "migcheck/migrate/ops_loader.hpp"
#include "migcheck/report/finding.hpp"
#include "migcheck/revision/graph.hpp"
#include "migcheck/schema/schema.hpp"

#include <optional>
#include <string>
#include <vector>

// Replaying the history from an empty database: symbolically (operations
// applied to the schema model) and on a scratch SQLite database.
namespace migcheck::replay {

// The revisions from base to heads, parents first: the order both replays
// run them in.
std::vector<int> upgrade_order(const revision::Graph& graph);

struct SymbolicResult {
    schema::Schema head;            // the schema after every revision replayed
    std::vector<Finding> findings;  // not-interpretable, invalid-operation, ...
    // False when a revision could not be interpreted: it and the revisions
    // after it are not in `head`, which then says nothing about schema.yaml.
    bool complete = true;
};

// Applies every revision's upgrade() to an empty schema. When `sqlite` (the
// project's own database is SQLite) it also reports what Alembic cannot run
// there: alterations outside batch mode (sqlite-needs-batch) and ADD COLUMN
// with a non-constant default (sqlite-add-column-default).
SymbolicResult replay_symbolic(const revision::Graph& graph, migrate::OpsLoader& ops, bool sqlite);

// Applies the upgrade() of the revisions in `order` (parents before
// children) onto `start`, the result of replaying the revisions before them,
// as replay_symbolic does for a whole history: what a history that only
// gained revisions builds, without replaying it all again.
SymbolicResult replay_symbolic_onto(SymbolicResult start, const revision::Graph& graph,
                                    migrate::OpsLoader& ops, const std::vector<int>& order,
                                    bool sqlite);

struct ScratchOptions {
    std::string keep_path;  // "" for an in-memory database
    bool down_walk = true;  // walk back down and check each downgrade
};

struct ScratchResult {
    std::vector<Finding> findings;  // replay-failed, not-interpretable, downgrade-mismatch
    // What SQLite holds after the last revision that ran, and whether every
    // revision ran.
    schema::Schema head;
    bool complete = true;
};

// Upgrades a fresh SQLite database from base to heads one revision at a
// time, each in its own transaction, then (down_walk) downgrades it back to
// base one revision at a time, checking that each downgrade restores the
// schema that stood before its upgrade. A kept database (keep_path) is
// upgraded to heads again at the end, so that it shows the head.
ScratchResult replay_scratch(const revision::Graph& graph, migrate::OpsLoader& ops,
                             const ScratchOptions& options);

// Findings for the differences between schema.yaml (`expected`) and a schema
// the migrations build (`actual`), under the codes migration-<kind>, at the
// migration side's place when it has one, else schema.yaml's. `actual_label`
// names that side in messages ("the migrations", "the scratch database").
std::vector<Finding> schema_findings(const schema::Schema& expected, const schema::Schema& actual,
                                     const std::string& expected_label,
                                     const std::string& actual_label, const std::string& prefix);

}  // namespace migcheck::replay

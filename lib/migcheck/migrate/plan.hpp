#pragma once

#include "migcheck/revision/graph.hpp"

#include <set>
#include <string>
#include <vector>

// Which revisions an upgrade, downgrade or stamp runs, and how each step
// moves the version table's rows: Alembic's semantics, pure.
namespace migcheck::migrate {

// One revision run up or down.
struct Step {
    int revision = 0;
    bool upgrade = true;

    bool operator==(const Step&) const = default;
};

// The revisions the version table's rows name. Throws usage_error
// "the database is at revision 'x', which no revision file declares" for a
// row no file declares.
std::vector<int> current_revisions(const revision::Graph& graph,
                                   const std::vector<std::string>& rows);

// What `alembic current` shows for the rows: the rows and what they depend
// on, reduced to the tips of each branch (Alembic's get_all_current), by id.
std::vector<int> all_current(const revision::Graph& graph, const std::vector<int>& rows);

// The revisions a target names for an upgrade from `current`: an id, a
// unique prefix, head, heads (the default, for ""), label@head, `+N`
// (N revisions up from the single current revision) or `id+N`. Throws
// revision::ResolutionError with Alembic's wording.
std::vector<int> upgrade_targets(const revision::Graph& graph, const std::vector<int>& current,
                                 const std::string& target);

// The revisions a downgrade target names: base, an id or prefix, `-N` (N
// revisions down from the single current revision), label@-N, `id-N`.
std::vector<int> downgrade_targets(const revision::Graph& graph, const std::vector<int>& current,
                                   const std::string& target);

// The steps that take a database at `current` up to `targets`: every
// ancestor of a target (through down_revision and depends_on) that is not
// an ancestor of the current revisions, parents before children. Empty when
// there is nothing to do.
std::vector<Step> plan_upgrade(const revision::Graph& graph, const std::vector<int>& current,
                               const std::vector<int>& targets);

// The steps that take a database at `current` down to `targets` (empty:
// base): the applied descendants of the targets that are not ancestors of
// them, children before parents. With a `branch` label (from a label@target),
// only the current revisions on that branch go down. Throws
// revision::ResolutionError when a target is not below them.
std::vector<Step> plan_downgrade(const revision::Graph& graph, const std::vector<int>& current,
                                 const std::vector<int>& targets, const std::string& branch = "");

// The branch label of a label@target, or "".
std::string target_branch(const std::string& target);

// A change to the version table's rows.
struct RowChange {
    enum class Kind { insert, remove, update };
    Kind kind = Kind::update;
    std::string from;  // remove, update
    std::string to;    // insert, update

    bool operator==(const RowChange&) const = default;
};

// How running `step` moves the rows, as Alembic's HeadMaintainer does: a
// base or a new branch inserts a row, a linear step updates one, a merge
// deletes all but one of its parents' rows and updates the last, and the
// reverse for downgrades. `heads` (the rows) is updated in place.
std::vector<RowChange> version_changes(const revision::Graph& graph, const Step& step,
                                       std::set<std::string>& heads);

// The rows after `stamp` to `targets`: the targets, plus (unless `purge`)
// the current revisions on other branches, those that are neither ancestors
// nor descendants of a target.
std::vector<std::string> plan_stamp(const revision::Graph& graph, const std::vector<int>& current,
                                    const std::vector<int>& targets, bool purge);

}  // namespace migcheck::migrate

#pragma once

#include "migcheck/checks/side.hpp"
#include "migcheck/git/repository.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

// The rules a change to a project must keep, whether the change is what is
// staged for a commit (migcheck-staged) or a pull request (migcheck-pr): the
// models, config/schema.yaml and the migrations move together.
namespace migcheck::checks {

// Who is asking, for the wording of messages and the default severities.
enum class GateMode {
    staged,  // the index against HEAD: a changed old revision is a warning
    pull,    // a pull request against its merge base: append-only history
    commit,  // one commit of a pull request against its parent, as `pull`
};

// What a change touches, by path relative to the project root.
struct ChangedPaths {
    std::vector<std::string> models;     // matched by the models globs, either side
    std::vector<std::string> revisions;  // revision files under a version location
    bool schema = false;                 // config/schema.yaml
    bool config = false;                 // alembic.ini or config/migcheck.yaml
    bool venv = false;                   // a pyvenv.cfg (a virtual environment's mark)
    bool links = false;                  // a revision file that is a symbolic link
    // The blob each revision file had before the change (none: added).
    std::map<std::string, std::optional<git::ObjectId>> revisions_before;
    bool any() const { return !models.empty() || !revisions.empty() || schema || config; }
};

// Sorts `changes` (paths from the repository's top) into what the rules look
// at. `prefix` is the project root relative to the repository's top ("" at
// the top); changes outside it are left out. Renames count on both paths.
ChangedPaths classify_changes(const std::vector<git::Change>& changes, const std::string& prefix,
                              const config::Project& before, const config::Project& after);

struct GateResult {
    std::vector<Finding> findings;  // default severities (pull: history-rewriting rules at error)
    bool schema_changed = false;    // schema.yaml's schema differs between the sides
    bool models_changed = false;    // the models' schema differs between the sides
    std::vector<std::string> new_revisions;  // ids, sorted
};

// The rules, over the change from `before` to `after`:
//  1. the models' schema changed: after's schema.yaml must equal after's
//     models (schema-yaml-outdated) and a new revision must come with it;
//  2. schema.yaml's schema changed: a new revision must come with it
//     (revision-missing), and the history's symbolic head must equal
//     schema.yaml (migration-*);
//  3. a new revision while schema.yaml's schema is unchanged, unless it is a
//     merge or marked `# migcheck: data-only` (revision-without-schema-change);
//  4. after's history has one head (per branch label) and every revision's
//     parent exists: graph findings in the files the change touches, and the
//     heads rule;
//  5. a revision `before` has is changed or removed (revision-modified,
//     revision-deleted): a warning when staged, an error in a pull request.
// Schemas are compared, never bytes: a change that leaves the schema as it
// was demands nothing. When `whole_history` is set, graph and replay
// findings anywhere in after's history are kept, not only those in changed
// files.
GateResult check_change(Side& before, Side& after, const ChangedPaths& changed, GateMode mode,
                        bool whole_history);

// The history `head` would have once merged into `base_tip` (called
// `base_name`): the base's revisions with the head's new ones. When each
// history alone keeps the heads rule and the merged one does not (two pull
// requests that each add a revision on one parent), one finding
// (merged-multiple-heads) at the head's new revision names every head, its
// file and side, and the fix.
std::vector<Finding> check_merged(Side& base_tip, Side& head, const std::string& base_name);

// The command that writes a new revision, as messages suggest it.
std::string write_revision_command(const std::string& message);

}  // namespace migcheck::checks

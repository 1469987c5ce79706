#pragma once

#include "migcheck/report/render.hpp"

#include <ostream>
#include <string>

namespace migcheck::cli {

struct PrOptions {
    std::string dir;          // -C
    std::string base;         // --base: the branch the pull request merges into
    std::string head = "HEAD";  // --head
    bool per_commit = false;  // --per-commit: every commit consistent on its own
    bool replay = false;      // --replay: the scratch replay on SQLite too
    Format format = Format::text;
};

// `migcheck-pr`: checks a pull request as a whole, reading commits through
// libgit2 (nothing is checked out):
//  - the gate rules (checks/gate.hpp) over the change from the merge base to
//    the head, with the history append-only (a revision the merge base has,
//    changed or removed, is an error);
//  - the head's own history: one head, no graph problems, and its symbolic
//    head equal to its schema.yaml (with --replay, the scratch replay too);
//  - the merged history: the base's tip with the head's new revisions, for
//    a second head (checks::check_merged);
//  - with --per-commit, the gate rules over each commit against its first
//    parent, each finding naming the commit.
// Exit 0, or 1 when a finding is an error. Throws usage_error for a base or
// head that names no commit, or two that share no history.
int pr_command(const PrOptions& options, std::ostream& out);

}  // namespace migcheck::cli

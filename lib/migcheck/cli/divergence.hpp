#pragma once

#include "migcheck/report/finding.hpp"
#include "migcheck/revision/graph.hpp"

#include <optional>
#include <string>
#include <vector>

namespace migcheck::cli {

// One branch's revision files compared with the base's: what it adds or
// changes, and which of the base's revisions it no longer has as they are.
struct BranchRevisions {
    std::string name;    // as git shows it: "feature/a", "origin/x"
    std::string ref;     // "refs/heads/feature/a"
    std::string commit;  // 40 hex digits
    // Revisions read from the files the branch adds or changes, paths as in
    // the branch, in path order.
    std::vector<revision::Revision> changed;
    // Why some of those files could not be read.
    std::vector<Finding> unreadable;
    // Positions in the base graph of revisions whose files the branch lacks
    // or changed, sorted.
    std::vector<int> removed;
};

// What the comparison says of one branch.
struct BranchSummary {
    std::vector<std::size_t> added;  // positions in `changed` of ids the base does not have
    std::vector<std::string> heads;  // the heads of the branch's own history, sorted
};

struct Divergence {
    std::vector<Finding> findings;        // not sorted, default severities
    std::vector<BranchSummary> branches;  // one per input branch, in order
};

// Compares branches with the base history `base` (its branch called
// `base_name` in messages). Pure: no I/O. Finds
//  - parallel-revisions: branches whose new revisions revise one parent, so
//    that merging them leaves several heads (one finding per parent, naming
//    every branch, revision and file);
//  - branch-multiple-heads: a branch whose own history breaks the heads rule
//    (check_heads; `expected_heads` from config/migcheck.yaml), where its
//    heads are not simply the base's;
//  - stale-parent: a new revision whose parent has children in the base, so
//    that it no longer hangs off the base's head;
// and, for the files a branch adds or changes, what building its graph finds
// (missing-parent, duplicate-revision, cycle...) and what reading them found,
// each message beginning with the branch. Revisions that declare branch
// labels start a branch on purpose and are not checked for parallel or stale
// parents. Building a branch's whole graph is the costly part, so it is done
// only when a quick count of its heads says the heads rule may fail.
Divergence find_divergence(const revision::Graph& base, const std::string& base_name,
                           const std::vector<BranchRevisions>& branches,
                           std::optional<int> expected_heads);

}  // namespace migcheck::cli

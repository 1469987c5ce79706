#pragma once

#include "migcheck/report/render.hpp"

#include <ostream>
#include <string>
#include <vector>

namespace migcheck::cli {

struct DivergenceOptions {
    std::string dir;                 // -C
    std::string base;                // --base: a branch, remote branch or commit
    std::vector<std::string> globs;  // --refs: "refs/heads/*", "refs/remotes/origin/*"
    Format format = Format::text;
};

// `migcheck-heads --base REF --refs GLOB...`: compares every branch matching
// the globs (the base's own ref left out) with the base, reading revision
// files from their commits through libgit2, and reports the branches whose
// new revisions will leave several heads once merged (cli/divergence.hpp).
// Each distinct file (blob) is parsed once however many branches hold it,
// and only the files that differ from the base's are looked at per branch.
// Exit 0, or 1 with a finding at error severity. Throws usage_error for a
// base or glob that names nothing, or outside a git repository.
int divergence_command(const DivergenceOptions& options, std::ostream& out);

}  // namespace migcheck::cli

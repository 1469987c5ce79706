#pragma once

#include "migcheck/report/render.hpp"

#include <ostream>
#include <string>

namespace migcheck::cli {

struct StagedOptions {
    std::string dir;  // -C
    Format format = Format::text;
};

// `migcheck-staged`: the pre-commit check. Compares what is staged (the index,
// or $GIT_INDEX_FILE) with HEAD (nothing, before the first commit) under the
// rules of checks/gate.hpp, reading staged blobs only, never the working
// tree. A change that touches no model, schema.yaml, revision or
// configuration file is not looked at further. Text output is silent when
// there is nothing to report. Exit 0, or 1 when a finding is an error.
// Throws usage_error outside a repository or when the staged configuration
// or schema.yaml does not load.
int staged_command(const StagedOptions& options, std::ostream& out);

}  // namespace migcheck::cli

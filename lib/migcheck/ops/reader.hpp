#pragma once

#include "migcheck/ops/ops.hpp"

#include <string>
#include <string_view>

namespace migcheck::ops {

// Reads the upgrade() and downgrade() functions of a revision file's bytes
// into operations, with the shared Python tokenizer and parser (function
// bodies parsed in full). `path` goes into every Location. Statements that
// do nothing to the schema are skipped: docstrings, `pass`, comments,
// imports, `# ### commands auto generated ...` blocks. Anything else makes
// the body not interpretable at its first such statement. A file that does
// not parse gives two bodies that are not interpretable at the syntax error.
RevisionOps read_operations(std::string_view bytes, const std::string& path);

}  // namespace migcheck::ops

#pragma once

#include "migcheck/cli/tool.hpp"
#include "migcheck/models/glob.hpp"

#include <ostream>
#include <string>
#include <vector>

namespace migcheck::cli {

struct GenerateOptions {
    std::string message;
    bool empty = false;      // --empty: empty bodies (a merge when there are several heads)
    bool to_stdout = false;  // --stdout: print the file instead of writing it
    bool sql = false;        // --sql: print the SQL the revision would run
    std::string rev_id;      // --rev-id, or "" for 12 random hex characters
    std::string head;        // --head: the revision to build on, when there are several heads
    bool merge = false;      // `manage_migrations merge`
    std::vector<std::string> revisions;  // merge: what to merge, default every head
    models::IgnoredPredicate ignored;    // what git ignores, for the models globs
};

// `manage_migrations generate MESSAGE`: a new revision whose upgrade() turns
// the schema the history builds (replayed symbolically) into
// config/schema.yaml, and whose downgrade() turns it back, written into the
// first version location under alembic.ini's file_template, from the
// project's script.py.mako when it uses only the standard substitutions.
//
// Refuses, writing nothing (exit 1), when the models and schema.yaml differ,
// when the history has errors or more heads than it should (see
// revision::check_heads), or when a revision cannot be replayed. Where the
// project has several heads on purpose (one per branch label), `head` names
// the one to build on, as `alembic revision --head` does. Prints "No
// changes detected" and writes nothing (exit 0) when there is nothing to do.
// With `empty`, writes empty bodies without those checks; with several heads
// that is a merge revision whose down_revision is the tuple of the heads (as
// `merge`). Findings and the summary go to `out`, or to `err` when `out`
// carries the file (--stdout) or the SQL (--sql). Throws usage_error for a
// missing alembic.ini, version folder or schema.yaml, a bad --rev-id or
// file_template; runtime_error when the file cannot be written.
int generate_command(const Context& ctx, const GenerateOptions& opts, std::ostream& out,
                     std::ostream& err);

}  // namespace migcheck::cli

#pragma once

// Internals of `generate`, shared by its .cpp files.

#include "migcheck/cli/generate_command.hpp"
#include "migcheck/generate/plan.hpp"
#include "migcheck/replay/replay.hpp"
#include "migcheck/revision/graph.hpp"
#include "migcheck/report/finding.hpp"
#include "migcheck/schema/schema.hpp"

#include <future>
#include <string>
#include <vector>

namespace migcheck::cli::generate_detail {

// The models compared with schema.yaml as validate compares them: one error
// finding per difference (at the model's file and line), the reader's
// warnings, and `no-models` when the globs find no file. Started on another
// thread, since reading the models and replaying the history take
// comparable time; `declared` must outlive the future.
std::future<std::vector<Finding>> models_findings(const Context& ctx,
                                                  const schema::Schema& declared,
                                                  const models::IgnoredPredicate& ignored);

// The schema the history builds, replayed symbolically, as
// replay::replay_symbolic gives it. Kept in the derived cache
// (util/content_cache.hpp) under the revision files' paths and stamps (size,
// times, inode), as the header cache keeps headers: a history whose files
// are unchanged is not read again. Files changed in the last two seconds
// are never cached.
replay::SymbolicResult history_schema(const Context& ctx, const revision::Graph& graph);

// The SQL the steps run on SQLite from `head`, as `apply --sql` prints a
// revision: a "-- Running upgrade" comment, BEGIN, the statements, COMMIT.
void write_sql(std::ostream& out, const schema::Schema& head,
               const std::vector<generate::Step>& steps, const std::string& step_line);

// Differences between what the new revision builds, replayed from `head`
// through the operations reader (so as the file says it), and
// schema.yaml; and whether its downgrade() restores `head`. Warnings
// (`generated-incomplete`) naming what is left, for a revision that needs
// completing by hand.
std::vector<Finding> check_round_trip(const std::string& text, const std::string& path,
                                      const schema::Schema& head, const schema::Schema& declared,
                                      const std::string& schema_path);

}  // namespace migcheck::cli::generate_detail

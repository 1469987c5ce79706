#pragma once

#include "migcheck/replay/replay.hpp"

#include <string>
#include <vector>

namespace migcheck::replay {

struct ReplayCheck {
    // Both replays' findings, a statement both stop at once; then the
    // differences of the head from schema.yaml (migration-*) and of the
    // scratch database from the operations (replay-differs).
    std::vector<Finding> findings;
    bool symbolic_complete = false;
    bool scratch_complete = false;
};

// The history replayed symbolically and on a scratch SQLite database, each
// head compared: the symbolic one with schema.yaml (`declared`, at
// `schema_path`), the scratch one with the symbolic one (or, when the
// symbolic replay stopped, with schema.yaml as SQLite keeps it). `sqlite`:
// the project's own database is SQLite (see replay_symbolic).
ReplayCheck check_replays(const revision::Graph& graph, migrate::OpsLoader& ops,
                          const schema::Schema& declared, const std::string& schema_path,
                          bool sqlite, const ScratchOptions& options);

}  // namespace migcheck::replay

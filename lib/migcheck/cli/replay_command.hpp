#pragma once

#include "migcheck/cli/tool.hpp"
#include "migcheck/report/render.hpp"

#include <ostream>
#include <string>

namespace migcheck::cli {

struct ReplayOptions {
    std::string keep;            // --keep PATH: keep the scratch database there
    std::string runner = "builtin";  // or "alembic"
    bool down_walk = true;       // --no-downgrade turns it off
    Format format = Format::text;
};

// `migcheck-replay`: replays the history symbolically and on a scratch SQLite
// database, compares what it builds with config/schema.yaml, and checks that
// every downgrade undoes its upgrade. Exit 0, or 1 on any error finding.
int replay_command(const Context& ctx, const ReplayOptions& opts, std::ostream& out,
                   std::ostream& err);

}  // namespace migcheck::cli

#pragma once

#include "migcheck/cli/tool.hpp"
#include "migcheck/report/render.hpp"

#include <ostream>
#include <string>

namespace migcheck::cli {

struct HistoryOptions {
    std::string range;  // "START:END", either side may be empty
    bool range_given = false;
    bool verbose = false;
    Format format = Format::text;
};

// `manage_migrations history`: Alembic's history output, newest first. Exit 0,
// or 1 when the history has problems (reported on stderr, or in the JSON).
int history_command(const Context& ctx, const HistoryOptions& opts, std::ostream& out,
                    std::ostream& err);

// `manage_migrations heads`: every head, as `alembic heads` prints them. Exit
// 0 with any number of heads; 1 when the history cannot be built or read.
int heads_command(const Context& ctx, bool verbose, Format format, std::ostream& out,
                  std::ostream& err);

// `migcheck-heads`: fails (exit 1) when the history has more than one head
// (per branch label) or any graph problem.
int check_heads_command(const Context& ctx, Format format, std::ostream& out);

}  // namespace migcheck::cli

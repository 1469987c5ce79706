#pragma once

#include "migcheck/cli/tool.hpp"

#include <ostream>
#include <string>

// The commands that work on a real database: apply, downgrade, stamp,
// current and pending. The database is named by --url, DATABASE_URL or
// sqlalchemy.url in alembic.ini (see db/url.hpp).
namespace migcheck::cli {

struct DatabaseOptions {
    std::string url;       // --url, or ""
    std::string base_dir;  // where a relative SQLite path starts: the -C directory
};

// `apply [TARGET]`: upgrades to TARGET (default: every head), a revision per
// transaction, printing "Running upgrade a -> b, message" for each. With
// `sql`, prints the SQL instead (TARGET may be FROM:TO). Exit 0, or 1 when a
// revision fails (the database stays at the one before it) or the history
// has errors; 2 for a bad target or URL; 3 when the database cannot be used.
int apply_command(const Context& ctx, const DatabaseOptions& db, const std::string& target,
                  bool sql, std::ostream& out, std::ostream& err);

// `downgrade TARGET`: the reverse; TARGET is required (base, an id, -N).
int downgrade_command(const Context& ctx, const DatabaseOptions& db, const std::string& target,
                      bool sql, std::ostream& out, std::ostream& err);

// `stamp TARGET [--purge]`: sets the version table's rows without running a
// revision.
int stamp_command(const Context& ctx, const DatabaseOptions& db, const std::string& target,
                  bool purge, std::ostream& out, std::ostream& err);

// `current`: the database's revisions, as `alembic current` prints them.
int current_command(const Context& ctx, const DatabaseOptions& db, std::ostream& out,
                    std::ostream& err);

// `pending`: the revisions `apply` would run, in the order it would run
// them, as history lines.
int pending_command(const Context& ctx, const DatabaseOptions& db, std::ostream& out,
                    std::ostream& err);

}  // namespace migcheck::cli

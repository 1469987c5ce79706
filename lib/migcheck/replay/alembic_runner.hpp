#pragma once

#include "migcheck/config/project.hpp"
#include "migcheck/report/finding.hpp"
#include "migcheck/schema/schema.hpp"

#include <string>

namespace migcheck::replay {

struct AlembicRunOptions {
    std::string root;       // the project root, absolute
    std::string keep_path;  // the scratch database file; "" for a temporary one
    bool down_walk = true;
};

struct AlembicRun {
    std::vector<Finding> findings;  // replay-failed with Alembic's output
    schema::Schema head;            // what the scratch database holds at heads
    bool complete = false;          // upgrade heads succeeded
    std::string python;             // the interpreter used
};

// The replay handed to the real Alembic: `python3 -m alembic upgrade heads`
// on a scratch SQLite file, through a temporary copy of alembic.ini whose
// sqlalchemy.url names that file (and %(here)s the project's folder), with
// DATABASE_URL set to it too; then, with down_walk, `downgrade base`, after
// which the database must hold no table but the empty version table.
// Alembic runs in the folder of alembic.ini, as users run it. Fails loudly
// (replay-failed) when env.py migrated another database than the scratch one.
AlembicRun replay_with_alembic(const config::AlembicSettings& alembic,
                               const AlembicRunOptions& options);

// alembic.ini's text with sqlalchemy.url in the [alembic] section set to
// `url` (added when absent) and %(here)s replaced by `here`. Pure.
std::string rewrite_alembic_ini(const std::string& text, const std::string& url,
                                const std::string& here);

}  // namespace migcheck::replay

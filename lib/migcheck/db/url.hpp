#pragma once

#include "migcheck/config/project.hpp"

#include <string>

namespace migcheck::db {

// The database a command works on, from a SQLAlchemy URL.
struct Target {
    std::string url;     // as given
    std::string origin;  // where it came from: "--url", "DATABASE_URL", "alembic.ini:7"
    std::string path;    // the SQLite file, absolute; empty for an in-memory database
    bool memory = false;
};

// Parses a SQLAlchemy URL naming a SQLite database: `sqlite://` and
// `sqlite:///:memory:` are in memory, `sqlite:///relative.db` is relative to
// `base_dir` (the directory the command runs in, as SQLAlchemy takes it
// relative to the current directory), `sqlite:////abs/path.db` is absolute.
// A driver (`sqlite+pysqlite://`) is allowed and a `?query` is ignored.
// Throws usage_error "<origin>: <why>" for another database or a malformed URL.
Target parse_url(const std::string& url, const std::string& origin, const std::string& base_dir);

// Whether a SQLAlchemy URL names a SQLite database ("sqlite://...",
// "sqlite+pysqlite://...").
bool is_sqlite_url(const std::string& url);

// Picks the URL as the commands document it: `flag` (--url) when given, else
// the DATABASE_URL environment variable, else sqlalchemy.url in alembic.ini.
// Throws usage_error when none is set.
Target choose_target(const std::string& flag, const config::AlembicSettings& alembic,
                     const std::string& base_dir);

}  // namespace migcheck::db

#pragma once

#include "migcheck/db/url.hpp"

#include <memory>

namespace SQLite {
class Database;
}

namespace migcheck::db {

// Closes a database; defined where SQLite's headers are, so that callers
// need not include them.
struct DatabaseCloser {
    void operator()(SQLite::Database* db) const;
};
using DatabasePtr = std::unique_ptr<SQLite::Database, DatabaseCloser>;

// Opens the target's database for reading and writing, creating the file
// when `create` (else nullptr when the file does not exist). Waits up to 30 s
// for another writer's lock. Throws runtime_error "<path>: <why>".
DatabasePtr open_database(const Target& target, bool create);

// A fresh database: in memory for an empty path, else a new file, which must
// not exist yet (usage_error otherwise: nothing of the user's is overwritten).
DatabasePtr open_scratch(const std::string& path);

}  // namespace migcheck::db

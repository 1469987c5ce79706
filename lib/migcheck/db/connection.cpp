#include "migcheck/db/connection.hpp"

#include "migcheck/util/error.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>
#include <sys/stat.h>

namespace migcheck::db {
namespace {

bool file_exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

// SQLite counts every allocation under a global mutex so that
// sqlite3_memory_used() and the soft heap limit work; migcheck uses
// neither, and a rebuild's schema reload allocates for every table in the
// database, so the counting costs a sixth of SQLite's time on a large
// history. Only possible before SQLite initialises (the first open);
// later it is refused, and nothing changes.
void configure_sqlite_once() {
    static const int configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    (void)configured;
}

DatabasePtr open(const std::string& path, int flags) {
    configure_sqlite_once();
    try {
        DatabasePtr db(new SQLite::Database(path, flags));
        db->setBusyTimeout(30000);
        // SQLite reads the file's header only at the first query: a file that
        // is not a database fails here, with its path, not later.
        (void)db->execAndGet("SELECT count(*) FROM sqlite_master");
        return db;
    } catch (const SQLite::Exception& e) {
        throw runtime_error(path + ": cannot open the database: " + e.what());
    }
}

}  // namespace

void DatabaseCloser::operator()(SQLite::Database* db) const {
    delete db;
}

DatabasePtr open_database(const Target& target, bool create) {
    if (target.memory) {
        return open(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    }
    if (!create && !file_exists(target.path)) {
        return nullptr;
    }
    return open(target.path, SQLite::OPEN_READWRITE | (create ? SQLite::OPEN_CREATE : 0));
}

DatabasePtr open_scratch(const std::string& path) {
    if (path.empty()) {
        return open(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    }
    if (file_exists(path)) {
        throw usage_error("--keep " + path + ": the file exists; give a path that does not, so "
                          "that nothing is overwritten");
    }
    DatabasePtr db = open(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    // A kept scratch file is for looking at, not for keeping safe: its
    // rollback journal stays in memory, as an in-memory database's does
    // (each revision still rolls back whole when it fails), and nothing
    // waits for the disk.
    db->exec("PRAGMA journal_mode=MEMORY");
    db->exec("PRAGMA synchronous=OFF");
    return db;
}

}  // namespace migcheck::db

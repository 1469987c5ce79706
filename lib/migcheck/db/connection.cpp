#include "migcheck/db/connection.hpp"

#include "migcheck/util/error.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sys/stat.h>

namespace migcheck::db {
namespace {

bool file_exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

DatabasePtr open(const std::string& path, int flags) {
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
    return open(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
}

}  // namespace migcheck::db

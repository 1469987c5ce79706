#include "migcheck/db/url.hpp"

#include "migcheck/util/error.hpp"

#include <cstdlib>

namespace migcheck::db {

Target parse_url(const std::string& url, const std::string& origin, const std::string& base_dir) {
    Target t;
    t.url = url;
    t.origin = origin;
    auto scheme_end = url.find("://");
    if (scheme_end == std::string::npos) {
        throw usage_error(origin + ": '" + url +
                          "' is not a database URL; write sqlite:///path/to/file.db");
    }
    std::string scheme = url.substr(0, scheme_end);
    std::string dialect = scheme.substr(0, scheme.find('+'));
    if (dialect != "sqlite") {
        throw usage_error(origin + ": " + dialect +
                          " databases are not supported yet; migcheck applies migrations to "
                          "SQLite (sqlite:///path/to/file.db)");
    }
    std::string rest = url.substr(scheme_end + 3);
    rest = rest.substr(0, rest.find('?'));
    if (rest.empty()) {
        t.memory = true;
        return t;
    }
    if (rest[0] != '/') {
        throw usage_error(origin + ": '" + url +
                          "' names a host; a SQLite URL is sqlite:///relative.db or "
                          "sqlite:////absolute.db");
    }
    std::string path = rest.substr(1);
    if (path.empty() || path == ":memory:") {
        t.memory = true;
        return t;
    }
    t.path = path[0] == '/' ? path : base_dir + "/" + path;
    return t;
}

bool is_sqlite_url(const std::string& url) {
    auto scheme_end = url.find("://");
    return scheme_end != std::string::npos &&
           url.substr(0, url.find('+') < scheme_end ? url.find('+') : scheme_end) == "sqlite";
}

Target choose_target(const std::string& flag, const config::AlembicSettings& alembic,
                     const std::string& base_dir) {
    if (!flag.empty()) {
        return parse_url(flag, "--url", base_dir);
    }
    if (const char* env = std::getenv("DATABASE_URL"); env != nullptr && *env != '\0') {
        return parse_url(env, "DATABASE_URL", base_dir);
    }
    if (!alembic.sqlalchemy_url.empty()) {
        return parse_url(alembic.sqlalchemy_url,
                         alembic.ini_path + ":" + std::to_string(alembic.sqlalchemy_url_line),
                         base_dir);
    }
    throw usage_error("no database: give --url sqlite:///path.db, set DATABASE_URL, or set "
                      "sqlalchemy.url in " +
                      (alembic.ini_path.empty() ? std::string("alembic.ini") : alembic.ini_path));
}

}  // namespace migcheck::db

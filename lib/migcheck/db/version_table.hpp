#pragma once

#include "migcheck/migrate/plan.hpp"

#include <string>
#include <vector>

namespace SQLite {
class Database;
}

namespace migcheck::db {

// Alembic's version table: `version_num VARCHAR(32) NOT NULL` as primary key
// (constraint <table>_pkc), one row per current head, so that a database is
// interchangeable between migcheck and Alembic.
class VersionTable {
  public:
    VersionTable(SQLite::Database& db, std::string name) : m_db(db), m_name(std::move(name)) {}

    const std::string& name() const { return m_name; }
    bool exists() const;
    // The rows, sorted; empty when the table does not exist.
    std::vector<std::string> rows() const;
    // Creates the table when it does not exist.
    void ensure();
    // Applies one change. Throws runtime_error, with Alembic's wording, when
    // the rows are not what the change expects ("expected to match one row").
    void apply(const migrate::RowChange& change);

    // Asks the database again next time whether the table exists (after a
    // rollback).
    void forget() { m_seen = false; }

    // Sets the rows to `rows` in one transaction (stamp), creating the table
    // when needed.
    void replace(const std::vector<std::string>& rows);

  private:
    SQLite::Database& m_db;
    std::string m_name;
    // Once seen, the table stays: only stamp and apply create it, and no
    // command drops it.
    mutable bool m_seen = false;
};

// The table's CREATE TABLE statement, as Alembic writes it.
std::string version_table_sql(const std::string& name);

// The statement a change runs, as Alembic writes it:
// "INSERT INTO alembic_version (version_num) VALUES ('abc')",
// "UPDATE alembic_version SET version_num='b' WHERE alembic_version.version_num = 'a'",
// "DELETE FROM alembic_version WHERE alembic_version.version_num = 'a'".
std::string version_change_sql(const std::string& name, const migrate::RowChange& change);

}  // namespace migcheck::db

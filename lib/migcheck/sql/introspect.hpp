#pragma once

#include "migcheck/schema/schema.hpp"

#include <set>
#include <string>

namespace SQLite {
class Database;
}

namespace migcheck::sql {

// The schema of a SQLite database, read from sqlite_master and the pragmas
// (table_info, index_list, index_info, foreign_key_list): every table but
// SQLite's own and the version table. Types through parse_sqlite_type;
// nullability; the primary key in key order (a lone INTEGER PRIMARY KEY is
// the rowid alias); defaults as declared; indexes created with CREATE INDEX;
// unique constraints (the autoindexes of UNIQUE clauses, with the
// constraint's name when the CREATE TABLE text gives one); foreign keys
// grouped by constraint, with actions and, from the CREATE TABLE text, names.
// Every element's Location has `label` as its file and no line. With `only`,
// the tables not in it are listed by name alone, without their columns
// and constraints: reading a table costs several queries.
schema::Schema introspect(SQLite::Database& db, const std::string& label,
                          const std::string& version_table = "alembic_version",
                          const std::set<std::string>* only = nullptr);

}  // namespace migcheck::sql

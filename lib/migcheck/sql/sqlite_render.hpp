#pragma once

#include "migcheck/ops/ops.hpp"

#include <string>
#include <vector>

// Operations rendered to SQLite SQL, as Alembic and SQLAlchemy's SQLite
// dialect write it. Pure: the schema before the operation stands in for the
// database.
namespace migcheck::sql {

// "CREATE TABLE t (...)" as SQLAlchemy writes it for SQLite: columns in
// order, NOT NULL, DEFAULT, the primary key and unique and foreign key
// constraints at the end, named with CONSTRAINT when they have a name.
std::string create_table_sql(const schema::Table& table);

// "CREATE [UNIQUE] INDEX name ON t (a, b)".
std::string create_index_sql(const std::string& table, const schema::Index& index);

// The statements that perform `op` on a SQLite database whose schema is
// `before`. What SQLite cannot do in place (alter_column, dropping a column
// that is keyed, indexed, unique or referenced, adding or dropping a
// constraint) is rebuilt as Alembic's batch mode does it: CREATE TABLE
// _alembic_tmp_<t> with the new definition, INSERT INTO ... SELECT the
// kept columns, DROP TABLE <t>, ALTER TABLE _alembic_tmp_<t> RENAME TO <t>,
// then the table's indexes again. Throws migcheck::Error (runtime) when the
// operation cannot apply to `before` (ops::apply reports those as findings
// first).
std::vector<std::string> render_sqlite(const schema::Schema& before, const ops::Operation& op);

// The same statements for an operation already applied without error:
// `after` is the schema after `op`, and `before` need hold only the table
// `op` names as it stood before it (the other tables are not read). This
// spares a copy of the whole schema per operation where the caller keeps
// the model up to date itself (db::Migrator).
std::vector<std::string> render_sqlite_applied(const schema::Schema& before,
                                               const schema::Schema& after,
                                               const ops::Operation& op);

}  // namespace migcheck::sql

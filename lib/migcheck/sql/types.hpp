#pragma once

#include "migcheck/schema/schema.hpp"

#include <string>
#include <string_view>

// Column types as SQLite keeps them: the declared type text SQLAlchemy's
// SQLite dialect writes into CREATE TABLE, and the way back. Pure.
namespace migcheck::sql {

// The declared type SQLAlchemy 1.4's SQLite dialect renders: "INTEGER",
// "VARCHAR(255)", "VARCHAR" (no length), "NUMERIC(12, 2)", "DATETIME"
// (timezone is not kept), "CHAR(32)" for uuid, "VARCHAR(n)" for an enum,
// n being its longest value. A `declared` type is returned as it is.
std::string sqlite_type(const schema::Type& type);

// The schema type a declared type text stands for, the inverse of
// sqlite_type: "VARCHAR(255)" is string 255, "CHAR(32)" is uuid. Case and
// spacing do not matter ("varchar ( 20 )"). The spellings SQLAlchemy reads
// back as the same generic type are read so too: INT, REAL, TIMESTAMP, CLOB,
// NVARCHAR(n), DECIMAL(p, s). Other text keeps its spelling in `declared`
// ("CHAR(10)", "VARCHAR2(5)"); a column declared without a type has
// `declared` "(no type)".
schema::Type parse_sqlite_type(std::string_view declared);

// What of `schema` a SQLite database can hold, so that it compares equal to
// the database's introspected schema exactly when the database matches:
// every type goes through sqlite_type and back (an enum becomes a string of
// its longest value's length, timezone flags go), and comments and
// autoincrement flags, which SQLite does not keep, are cleared.
schema::Schema sqlite_view(const schema::Schema& schema);

// sqlite_view for one table, in place.
void lower_to_sqlite(schema::Table& table);

}  // namespace migcheck::sql

#pragma once

#include "migcheck/schema/schema.hpp"

#include <string>
#include <string_view>

// Pieces of SQLite DDL as SQLAlchemy 1.4's SQLite dialect writes them, shared
// by the files behind sql/sqlite_render.hpp. Pure.
namespace migcheck::sql {

// The identifier as SQLAlchemy quotes it for SQLite: as it is when it is
// `[a-z_][a-z0-9_$]*` and not one of the dialect's reserved words, else in
// double quotes with embedded double quotes doubled ("order", "Mixed").
std::string quote_identifier(std::string_view name);

// "name TYPE[ DEFAULT x][ NOT NULL]", the server default as written, except
// that a bare function call ("now()") goes in parentheses, as SQLAlchemy
// writes func.*() defaults and as SQLite requires.
std::string column_definition(const schema::Column& column);

// "[CONSTRAINT n ]REFERENCES r (c)[ ON DELETE x][ ON UPDATE y]": a
// column-level foreign key in the form ALTER TABLE ... ADD COLUMN takes.
std::string references_clause(const schema::ForeignKeyRef& foreign_key);

}  // namespace migcheck::sql

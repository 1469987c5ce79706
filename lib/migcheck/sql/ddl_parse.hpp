#pragma once

#include <string>
#include <string_view>
#include <vector>

// Just enough of SQLite's CREATE TABLE and CREATE INDEX grammar to recover
// what the pragmas forget: the names of constraints and the text of indexed
// expressions. Pure. Tokens respect '...' strings, "..." `...` [...] quoted
// identifiers, -- and /* */ comments, and nesting of parentheses (counted,
// not recursed into, so no input is too deep).
namespace migcheck::sql {

// A PRIMARY KEY, UNIQUE or FOREIGN KEY constraint as a CREATE TABLE statement
// writes it, table-level or column-level. Identifiers are unquoted ("order"
// is order) and keep their case.
struct DdlConstraint {
    enum class Kind { primary_key, unique, foreign_key };
    Kind kind = Kind::unique;
    std::string name;  // from CONSTRAINT <name>; empty when unnamed
    std::vector<std::string> columns;
    // foreign_key only; referred_columns is empty for `REFERENCES t`, which
    // refers to t's primary key.
    std::string referred_table;
    std::vector<std::string> referred_columns;
};

// Every PRIMARY KEY, UNIQUE and FOREIGN KEY constraint of a CREATE TABLE
// statement, named or not, in the order written: column-level ones
// (`a INTEGER CONSTRAINT pk PRIMARY KEY`, `b INTEGER REFERENCES p (id)`) on
// their one column. CHECK, NOT NULL, DEFAULT and COLLATE are skipped. Text
// that is not a CREATE TABLE with a parenthesised body gives nothing; the
// statement is assumed valid, as SQLite accepted it.
std::vector<DdlConstraint> parse_table_constraints(std::string_view create_table);

// The indexed terms of a CREATE INDEX statement as written, without their
// COLLATE and ASC/DESC, which the pragmas do not give for plain columns
// either ("lower(email)" for `lower(email) COLLATE NOCASE DESC`), and with
// whitespace and comments between two tokens as one space. A partial
// index's WHERE clause is not part of them.
std::vector<std::string> parse_index_terms(std::string_view create_index);

}  // namespace migcheck::sql

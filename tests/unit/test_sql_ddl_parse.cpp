#include "migcheck/sql/ddl_parse.hpp"

#include <doctest/doctest.h>
#include <string>
#include <vector>

using namespace migcheck::sql;
using Lines = std::vector<std::string>;

namespace {

std::string names(const std::vector<std::string>& columns) {
    std::string out = "(";
    for (std::size_t i = 0; i < columns.size(); ++i) {
        out += (i == 0 ? "" : ", ") + columns[i];
    }
    return out + ")";
}

std::string text(const Lines& lines) {
    std::string out;
    for (const auto& line : lines) {
        out += line + "\n";
    }
    return out;
}

// One line a constraint: "unique uq (a, b)", "foreign key - (a) p (id)".
std::string constraints(std::string_view sql) {
    Lines out;
    for (const auto& c : parse_table_constraints(sql)) {
        std::string name = c.name.empty() ? "-" : c.name;
        switch (c.kind) {
        case DdlConstraint::Kind::primary_key:
            out.push_back("primary key " + name + " " + names(c.columns));
            break;
        case DdlConstraint::Kind::unique:
            out.push_back("unique " + name + " " + names(c.columns));
            break;
        case DdlConstraint::Kind::foreign_key:
            out.push_back("foreign key " + name + " " + names(c.columns) + " " + c.referred_table +
                          " " + names(c.referred_columns));
            break;
        }
    }
    return text(out);
}

std::string terms(std::string_view sql) {
    return text(parse_index_terms(sql));
}

}  // namespace

TEST_CASE("sqlite introspect: constraints in SQLAlchemy's CREATE TABLE") {
    CHECK(constraints("CREATE TABLE grants (\n"
                      "\tid INTEGER NOT NULL, \n"
                      "\tuser_id INTEGER, \n"
                      "\torg_id INTEGER, \n"
                      "\tcode VARCHAR(10) DEFAULT 'UNIQUE (x), ' NOT NULL, \n"
                      "\tCONSTRAINT pk_grants PRIMARY KEY (id), \n"
                      "\tCONSTRAINT uq_grants_code UNIQUE (code), \n"
                      "\tUNIQUE (user_id, org_id), \n"
                      "\tCONSTRAINT fk_grants_membership FOREIGN KEY(user_id, org_id) "
                      "REFERENCES memberships (user_id, org_id) ON DELETE CASCADE, \n"
                      "\tFOREIGN KEY(user_id) REFERENCES users (id), \n"
                      "\tCONSTRAINT ck_code CHECK (code <> 'PRIMARY KEY (id)')\n"
                      ")") ==
          text({"primary key pk_grants (id)", "unique uq_grants_code (code)",
                "unique - (user_id, org_id)",
                "foreign key fk_grants_membership (user_id, org_id) memberships (user_id, org_id)",
                "foreign key - (user_id) users (id)"}));
}

TEST_CASE("sqlite introspect: quoted identifiers, comments and column-level constraints") {
    CHECK(constraints("CREATE TABLE \"order\" (\n"
                      "\tid INTEGER NOT NULL, \n"
                      "\t\"select\" VARCHAR(10), \n"
                      "\t\"group\" INTEGER, \n"
                      "\tCONSTRAINT pk_order PRIMARY KEY (id), \n"
                      "\tCONSTRAINT \"uq order \"\"select\"\"\" UNIQUE (\"select\"), \n"
                      "\tFOREIGN KEY(\"group\") REFERENCES users (id)\n"
                      ")") ==
          text({"primary key pk_order (id)", "unique uq order \"select\" (select)",
                "foreign key - (group) users (id)"}));
    CHECK(constraints("create table [t] ( -- a comment, UNIQUE (x)\n"
                      "  `a` integer constraint `pk t` primary key autoincrement,\n"
                      "  b text /* CONSTRAINT c UNIQUE (b), */ constraint nn not null unique,\n"
                      "  c int constraint fk_c references p, d int references \"q\" ([x]),\n"
                      "  e numeric(5, 2) default (round(1.5, 0)) check (e > 0),\n"
                      "  unique (b COLLATE NOCASE DESC, E)\n"
                      ") without rowid") ==
          text({"primary key pk t (a)", "unique - (b)", "foreign key fk_c (c) p ()",
                "foreign key - (d) q (x)", "unique - (b, E)"}));
}

TEST_CASE("sqlite introspect: what SQLite rewrites in CREATE TABLE") {
    // ALTER TABLE ADD COLUMN writes the column before the table's constraints;
    // RENAME TO quotes the new name.
    CHECK(constraints("CREATE TABLE \"t\" (id INTEGER NOT NULL, a INTEGER, b INTEGER "
                      "CONSTRAINT fk_t_b REFERENCES p (id), PRIMARY KEY (id), "
                      "CONSTRAINT uq_t_a UNIQUE (a))") ==
          text({"foreign key fk_t_b (b) p (id)", "primary key - (id)", "unique uq_t_a (a)"}));
}

TEST_CASE("sqlite introspect: text that is not a CREATE TABLE gives no constraints") {
    CHECK(constraints("").empty());
    CHECK(constraints("CREATE INDEX ix ON t (a)").empty());
    CHECK(constraints("CREATE TABLE t").empty());
    // Unclosed text gives what it has, without reading past the end.
    CHECK(constraints("CREATE TABLE t (a INTEGER, CONSTRAINT u UNIQUE (a") ==
          text({"unique u (a)"}));
    CHECK(constraints("CREATE TABLE t (a INTEGER, CONSTRAINT") == "");
    CHECK(constraints("CREATE TABLE t (a 'unterminated, UNIQUE (a))") == "");
    CHECK(constraints("CREATE TABLE t (a INTEGER REFERENCES") == text({"foreign key - (a)  ()"}));
}

TEST_CASE("sqlite introspect: deeply nested parentheses are counted, not recursed into") {
    std::string deep(100000, '(');
    CHECK(constraints("CREATE TABLE t (a INTEGER DEFAULT " + deep + "1, CONSTRAINT u UNIQUE (a)") ==
          text({}));
    CHECK(constraints("CREATE TABLE t (a INTEGER CHECK " + deep + std::string(100000, ')') +
                      ", CONSTRAINT u UNIQUE (a))") == text({"unique u (a)"}));
}

TEST_CASE("sqlite introspect: the terms of CREATE INDEX") {
    CHECK(terms("CREATE INDEX ix_users_org_created ON users (org_id, created_at)") ==
          text({"org_id", "created_at"}));
    CHECK(terms("CREATE UNIQUE INDEX \"ix on\" ON \"order\" (lower(\"select\"),  "
                "/* why */ b   DESC, substr(c, 1, 2) COLLATE NOCASE) "
                "WHERE a IN (1, 2)") == text({"lower(\"select\")", "b", "substr(c, 1, 2)"}));
    CHECK(terms("CREATE INDEX ix ON t (\"desc\" DESC, [collate] COLLATE \"binary\" ASC, "
                "\"x\" COLLATE NOCASE)") == text({"\"desc\"", "[collate]", "\"x\""}));
    CHECK(terms("CREATE INDEX ix ON t").empty());
}

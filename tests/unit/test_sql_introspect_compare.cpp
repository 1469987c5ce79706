// A database built with SQLAlchemy's DDL against the schema.yaml that
// describes it: what compare() makes of introspect()'s output.
#include "migcheck/schema/compare.hpp"
#include "migcheck/schema/yaml_loader.hpp"
#include "migcheck/sql/introspect.hpp"
#include "migcheck/sql/types.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>
#include <string>
#include <vector>

using namespace migcheck;
using Lines = std::vector<std::string>;

namespace {

// Line numbers matter: the expected differences name them.
const char* const schema_yaml = R"yaml(version: 1
tables:
  organizations:
    columns:
      id: {type: integer, primary_key: true}
      name: {type: string, length: 200, nullable: false, unique: true}
  users:
    columns:
      id: {type: integer, primary_key: true}
      email: {type: string, length: 255, nullable: false}
      display_name: string
      is_active: {type: boolean, nullable: false, server_default: "1"}
      created_at: {type: datetime, timezone: true, nullable: false,
                   server_default: CURRENT_TIMESTAMP}
      updated_at: {type: datetime, server_default: "(datetime('now'))"}
      org_id: {type: integer, nullable: false,
               foreign_key: {references: organizations.id, on_delete: CASCADE}}
      balance: {type: numeric, precision: 12, scale: 2}
      status: {type: enum, values: [active, suspended], enum_name: user_status}
      visits: {type: biginteger, server_default: "0"}
      rank: smallinteger
      bio: {type: text, server_default: "'x'", comment: About them.}
      born: date
      wakes: time
      score: float
      prefs: json
      avatar: binary
      token: uuid
    indexes:
      - {name: ix_users_email, columns: [email], unique: true}
      - {name: ix_users_org_created, columns: [org_id, created_at]}
    unique_constraints:
      - {name: uq_users_org_display_name, columns: [org_id, display_name]}
  memberships:
    columns:
      user_id: {type: integer, primary_key: true,
                foreign_key: {references: users.id, on_delete: CASCADE}}
      org_id: {type: integer, primary_key: true}
      role: {type: string, length: 20, nullable: false, server_default: "'member'"}
  order:
    columns:
      id: {type: integer, primary_key: true}
      select: {type: string, length: 10, unique: true}
      group: {type: integer, index: true, foreign_key: {references: users.id}}
  grants:
    columns:
      id: {type: integer, primary_key: true}
      user_id: integer
      org_id: integer
)yaml";

// What SQLAlchemy 1.4's SQLite dialect writes for the schema above, with
// grants' composite foreign key, which schema.yaml cannot declare.
const std::string ddl = "CREATE TABLE organizations (\n"
                        "\tid INTEGER NOT NULL, \n"
                        "\tname VARCHAR(200) NOT NULL, \n"
                        "\tPRIMARY KEY (id), \n"
                        "\tUNIQUE (name)\n"
                        ");\n"
                        "CREATE TABLE users (\n"
                        "\tid INTEGER NOT NULL, \n"
                        "\temail VARCHAR(255) NOT NULL, \n"
                        "\tdisplay_name VARCHAR, \n"
                        "\tis_active BOOLEAN DEFAULT '1' NOT NULL, \n"
                        "\tcreated_at DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL, \n"
                        "\tupdated_at DATETIME DEFAULT (datetime('now')), \n"
                        "\torg_id INTEGER NOT NULL, \n"
                        "\tbalance NUMERIC(12, 2), \n"
                        "\tstatus VARCHAR(9), \n"
                        "\tvisits BIGINT DEFAULT '0', \n"
                        "\trank SMALLINT, \n"
                        "\tbio TEXT DEFAULT 'x', \n"
                        "\tborn DATE, \n"
                        "\twakes TIME, \n"
                        "\tscore FLOAT, \n"
                        "\tprefs JSON, \n"
                        "\tavatar BLOB, \n"
                        "\ttoken CHAR(32), \n"
                        "\tPRIMARY KEY (id), \n"
                        "\tCONSTRAINT uq_users_org_display_name UNIQUE (org_id, display_name), \n"
                        "\tFOREIGN KEY(org_id) REFERENCES organizations (id) ON DELETE CASCADE\n"
                        ");\n"
                        "CREATE UNIQUE INDEX ix_users_email ON users (email);\n"
                        "CREATE INDEX ix_users_org_created ON users (org_id, created_at);\n"
                        "CREATE TABLE memberships (\n"
                        "\tuser_id INTEGER NOT NULL, \n"
                        "\torg_id INTEGER NOT NULL, \n"
                        "\trole VARCHAR(20) DEFAULT 'member' NOT NULL, \n"
                        "\tPRIMARY KEY (user_id, org_id), \n"
                        "\tFOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE\n"
                        ");\n"
                        "CREATE TABLE \"order\" (\n"
                        "\tid INTEGER NOT NULL, \n"
                        "\t\"select\" VARCHAR(10), \n"
                        "\t\"group\" INTEGER, \n"
                        "\tPRIMARY KEY (id), \n"
                        "\tUNIQUE (\"select\"), \n"
                        "\tFOREIGN KEY(\"group\") REFERENCES users (id)\n"
                        ");\n"
                        "CREATE INDEX ix_order_group ON \"order\" (\"group\");\n"
                        "CREATE TABLE grants (\n"
                        "\tid INTEGER NOT NULL, \n"
                        "\tuser_id INTEGER, \n"
                        "\torg_id INTEGER, \n"
                        "\tPRIMARY KEY (id), \n"
                        "\tCONSTRAINT fk_grants_membership FOREIGN KEY(user_id, org_id) "
                        "REFERENCES memberships (user_id, org_id) ON DELETE CASCADE\n"
                        ");\n"
                        "CREATE TABLE alembic_version (\n"
                        "\tversion_num VARCHAR(32) NOT NULL, \n"
                        "\tCONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n"
                        ");\n";

schema::Schema expected_schema() {
    schema::Schema s = schema::load_schema_yaml(schema_yaml, "config/schema.yaml");
    s.find_table("grants")->foreign_keys.push_back(schema::ForeignKey{"fk_grants_membership",
                                                                      {"user_id", "org_id"},
                                                                      "memberships",
                                                                      {"user_id", "org_id"},
                                                                      "CASCADE",
                                                                      "",
                                                                      {"config/schema.yaml", 45}});
    return sql::sqlite_view(s);
}

std::string text(const Lines& lines) {
    std::string out;
    for (const auto& line : lines) {
        out += line + "\n";
    }
    return out;
}

// The differences between schema.yaml and a database built by `sql`.
std::string differences(const std::string& sql) {
    SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec(sql);
    Lines out;
    for (const auto& d : schema::compare(expected_schema(), sql::introspect(db, "db"))) {
        out.push_back(schema::describe(d, "config/schema.yaml", "the database"));
    }
    return text(out);
}

// `ddl` with `from`, which must be in it, replaced by `to`.
std::string changed(const std::string& from, const std::string& to) {
    std::size_t at = ddl.find(from);
    REQUIRE(at != std::string::npos);
    return ddl.substr(0, at) + to + ddl.substr(at + from.size());
}

}  // namespace

TEST_CASE("sqlite introspect: the database SQLAlchemy builds equals schema.yaml") {
    CHECK(differences(ddl) == "");
}

TEST_CASE("sqlite introspect: a changed database gives exactly its differences") {
    struct Case {
        const char* change;
        std::string sql;
        Lines expected;
    };
    std::vector<Case> cases = {
        {"a missing index",
         changed("CREATE UNIQUE INDEX ix_users_email ON users (email);\n", ""),
         {"column users.email: index ix_users_email (email) unique in config/schema.yaml:30 but "
          "not in db"}},
        {"a different type",
         changed("email VARCHAR(255)", "email VARCHAR(200)"),
         {"column users.email: type String(255) in config/schema.yaml:10 but String(200) in db"}},
        {"a type no schema type has",
         changed("token CHAR(32)", "token CHAR(36)"),
         {"column users.token: type Uuid in config/schema.yaml:28 but CHAR(36) in db"}},
        {"a nullable column",
         changed("email VARCHAR(255) NOT NULL", "email VARCHAR(255)"),
         {"column users.email: NOT NULL in config/schema.yaml:10 but nullable in db"}},
        {"a missing foreign key",
         changed(", \n\tFOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE", ""),
         {"column memberships.user_id: foreign key to users.id ON DELETE CASCADE in "
          "config/schema.yaml:36 but not in db"}},
        {"a foreign key action",
         changed("REFERENCES memberships (user_id, org_id) ON DELETE CASCADE",
                 "REFERENCES memberships (user_id, org_id)"),
         {"table grants: foreign key (user_id, org_id) to memberships (user_id, org_id) ON DELETE "
          "CASCADE named fk_grants_membership in config/schema.yaml:45 but (user_id, org_id) to "
          "memberships (user_id, org_id) named fk_grants_membership in db"}},
        {"a renamed unique constraint",
         changed("CONSTRAINT uq_users_org_display_name", "CONSTRAINT uq_other"),
         {"table users: unique constraint uq_users_org_display_name (org_id, display_name) in "
          "config/schema.yaml:33 but uq_other (org_id, display_name) in db"}},
        {"a unique index for a unique constraint",
         changed("UNIQUE (\"select\"), ", "") +
             "CREATE UNIQUE INDEX ix_select ON \"order\" (\"select\");\n",
         {}},
        {"a different default",
         changed("DEFAULT 'member'", "DEFAULT 'guest'"),
         {"column memberships.role: server default 'member' in config/schema.yaml:39 but 'guest' "
          "in "
          "db"}},
        {"a default spelled otherwise",
         changed("DEFAULT '1' NOT NULL", "DEFAULT (1) NOT NULL"),
         {}},
        {"a primary key in another order",
         changed("PRIMARY KEY (user_id, org_id)", "PRIMARY KEY (org_id, user_id)"),
         {}},
        {"a missing key column",
         changed("PRIMARY KEY (user_id, org_id)", "PRIMARY KEY (user_id)"),
         {"column memberships.org_id: primary key in config/schema.yaml:38 but not primary key "
          "in db"}},
        {"a missing table",
         changed("CREATE TABLE grants", "CREATE TABLE grant_list"),
         {"table grant_list: declared in db but not in config/schema.yaml",
          "table grants: declared in config/schema.yaml:45 but not in the database"}},
    };
    for (const auto& c : cases) {
        CAPTURE(std::string(c.change));
        CHECK(differences(c.sql) == text(c.expected));
    }
}

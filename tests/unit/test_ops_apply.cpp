// ops::apply for tables, columns and op.execute; indexes and constraints are
// in test_ops_apply_constraints.cpp.
#include "test_ops_support.hpp"

#include "migcheck/schema/json.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace ops_test;
using schema::TypeKind;

namespace {

const std::string organizations = "  organizations:\n"
                                  "    columns:\n"
                                  "      id: {type: integer, primary_key: true}\n"
                                  "      name: {type: string, length: 200, nullable: false, "
                                  "unique: true}\n";

const std::string users_columns =
    "      id: {type: integer, primary_key: true}\n"
    "      email: {type: string, length: 255, nullable: false}\n"
    "      org_id: {type: integer, index: true,\n"
    "               foreign_key: {references: organizations.id, on_delete: CASCADE}}\n"
    "      handle: {type: string, length: 50}\n";

const std::string users_rest = "    indexes:\n"
                               "      - {name: ix_users_email, columns: [email], unique: true}\n"
                               "    unique_constraints:\n"
                               "      - {name: uq_users_org_handle, columns: [org_id, handle]}\n";

const std::string base = organizations + "  users:\n    columns:\n" + users_columns + users_rest;

// memberships(org_id, user_id): an explicit composite key and table-level
// foreign keys, which schema.yaml cannot spell.
schema::Table memberships() {
    schema::Table t;
    t.name = "memberships";
    t.columns = {column("org_id", TypeKind::integer), column("user_id", TypeKind::integer)};
    t.columns[0].nullable = t.columns[1].nullable = false;
    t.primary_key = schema::PrimaryKey{"pk_memberships", {"org_id", "user_id"}, {}};
    t.foreign_keys = {foreign_key("fk_memberships_org", {"org_id"}, "organizations", {"id"}),
                      foreign_key("fk_memberships_user", {"user_id"}, "users", {"id"})};
    return t;
}

}  // namespace

TEST_CASE("ops apply: a problem is an invalid-operation error at the call and changes nothing") {
    schema::Schema s = tables(base);
    const auto before = schema::schema_to_json(s);
    CHECK(apply(s, op(ops::DropColumn{"users", "nickname"})) ==
          "error invalid-operation versions/a.py:12:5 op.drop_column: table \"users\" has no "
          "column \"nickname\"\n");
    CHECK(schema::schema_to_json(s) == before);
}

TEST_CASE("ops apply: the problems of table and column operations, worded") {
    auto table_t = [](std::vector<schema::Column> columns) {
        schema::Table t;
        t.name = "t";
        t.columns = std::move(columns);
        return t;
    };
    schema::Table twice = table_t({column("a", TypeKind::integer), column("a", TypeKind::text)});
    schema::Table bad_index = table_t({column("a", TypeKind::integer)});
    bad_index.indexes = {schema::Index{"ix_t_b", {"b"}, false, {}}};
    schema::Table taken_index = table_t({column("a", TypeKind::integer)});
    taken_index.indexes = {schema::Index{"ix_users_email", {"a"}, false, {}}};
    schema::Column team_id = column("team_id", TypeKind::integer);
    team_id.foreign_key = schema::ForeignKeyRef{"teams", "id", "", "", ""};
    schema::Table to_teams = table_t({team_id});
    schema::Table to_slug = table_t({column("org_id", TypeKind::integer)});
    to_slug.foreign_keys = {foreign_key("", {"org_id"}, "organizations", {"slug"})};
    schema::Table bad_unique = table_t({column("a", TypeKind::integer)});
    bad_unique.unique_constraints = {schema::UniqueConstraint{"", {"x"}, {}}};
    schema::Table bad_key = table_t({column("a", TypeKind::integer)});
    bad_key.primary_key = schema::PrimaryKey{"pk_t", {"nope"}, {}};
    ops::AlterColumn onto_email = alter("users", "handle");
    onto_email.new_name = "email";

    struct Case {
        ops::Change change;
        std::string message;
    };
    const std::vector<Case> cases = {
        {ops::CreateTable{tables(organizations).tables[0]},
         "op.create_table: table \"organizations\" already exists"},
        {ops::CreateTable{twice}, "op.create_table: table \"t\" already has a column \"a\""},
        {ops::CreateTable{bad_index},
         "op.create_table: table \"t\" has no column \"b\" for index \"ix_t_b\""},
        {ops::CreateTable{taken_index},
         "op.create_table: index \"ix_users_email\" already exists on table \"users\""},
        {ops::CreateTable{to_teams}, "op.create_table: the foreign key on (team_id) refers to "
                                     "table \"teams\", which does not exist"},
        {ops::CreateTable{to_slug}, "op.create_table: table \"organizations\" has no column "
                                    "\"slug\" for the foreign key on (org_id)"},
        {ops::CreateTable{bad_unique},
         "op.create_table: table \"t\" has no column \"x\" for the unique constraint on (x)"},
        {ops::CreateTable{bad_key},
         "op.create_table: table \"t\" has no column \"nope\" for primary key \"pk_t\""},
        {ops::DropTable{"teams"}, "op.drop_table: table \"teams\" does not exist"},
        {ops::RenameTable{"teams", "squads"}, "op.rename_table: table \"teams\" does not exist"},
        {ops::RenameTable{"users", "organizations"},
         "op.rename_table: cannot rename table \"users\" to \"organizations\": table "
         "\"organizations\" already exists"},
        {ops::AddColumn{"teams", column("x", TypeKind::integer)},
         "op.add_column: table \"teams\" does not exist"},
        {ops::AddColumn{"users", column("email", TypeKind::text)},
         "op.add_column: table \"users\" already has a column \"email\""},
        {ops::AddColumn{"users", team_id}, "op.add_column: the foreign key on (team_id) refers "
                                           "to table \"teams\", which does not exist"},
        {ops::DropColumn{"teams", "x"}, "op.drop_column: table \"teams\" does not exist"},
        {ops::AlterColumn{alter("users", "nickname")},
         "op.alter_column: table \"users\" has no column \"nickname\""},
        {ops::AlterColumn{alter("teams", "x")}, "op.alter_column: table \"teams\" does not exist"},
        {ops::AlterColumn{onto_email},
         "op.alter_column: cannot rename column \"handle\" of table \"users\" to \"email\": "
         "table \"users\" already has a column \"email\""},
    };
    for (const auto& c : cases) {
        CAPTURE(c.message);
        schema::Schema s = tables(base);
        const auto before = schema::schema_to_json(s);
        CHECK(apply(s, op(c.change)) ==
              "error invalid-operation versions/a.py:12:5 " + c.message + "\n");
        CHECK(schema::schema_to_json(s) == before);
    }
}

TEST_CASE("ops apply: create_table adds the table, its elements located at the call") {
    schema::Schema s = tables(base);
    schema::Table t;
    t.name = "teams";
    t.columns = {column("id", TypeKind::integer), column("org_id", TypeKind::integer),
                 column("parent_id", TypeKind::integer)};
    t.columns[0].primary_key = true;
    t.columns[0].nullable = false;
    t.columns[0].where = {"versions/a.py", 14};  // the reader's own line for the column
    t.columns[2].foreign_key = schema::ForeignKeyRef{"teams", "id", "", "", ""};  // itself
    t.foreign_keys = {foreign_key("fk_teams_org", {"org_id"}, "organizations", {"id"})};
    t.indexes = {schema::Index{"ix_teams_org", {"org_id"}, false, {}}};
    CHECK(apply(s, op(ops::CreateTable{t})) == "");
    CHECK(differences(s, base + "  teams:\n    columns:\n"
                                "      id: {type: integer, primary_key: true}\n"
                                "      org_id: {type: integer, foreign_key: {references: "
                                "organizations.id, name: fk_teams_org}}\n"
                                "      parent_id: {type: integer, foreign_key: {references: "
                                "teams.id}}\n"
                                "    indexes:\n"
                                "      - {name: ix_teams_org, columns: [org_id]}\n") == "");
    const schema::Table& added = *s.find_table("teams");
    CHECK(added.where == call_site);
    CHECK(added.columns[0].where == schema::Location{"versions/a.py", 14});
    CHECK(added.columns[1].where == call_site);
    CHECK(added.indexes[0].where == call_site);
    CHECK(added.foreign_keys[0].where == call_site);
}

TEST_CASE("ops apply: rename_table takes the foreign keys that refer to it along") {
    schema::Schema s = tables(base);
    REQUIRE(apply(s, op(ops::CreateTable{memberships()})) == "");
    CHECK(apply(s, op(ops::RenameTable{"organizations", "orgs"})) == "");
    CHECK(apply(s, op(ops::RenameTable{"users", "people"})) == "");
    const schema::Table& people = *s.find_table("people");
    CHECK(people.columns[2].foreign_key->table == "orgs");
    const schema::Table& links = *s.find_table("memberships");
    CHECK(links.foreign_keys[0].referred_table == "orgs");
    CHECK(links.foreign_keys[1].referred_table == "people");
    // The database keeps the index's name: ix_users_org_id, not ix_people_org_id.
    CHECK_FALSE(people.columns[2].index);
    REQUIRE(people.indexes.size() == 2);
    CHECK(people.indexes[1].name == "ix_users_org_id");
    CHECK(people.indexes[1].columns == std::vector<std::string>{"org_id"});

    CHECK(apply(s, op(ops::DropTable{"memberships"})) == "");
    CHECK(apply(s, op(ops::DropTable{"people"})) == "");
    CHECK(differences(s, "  orgs:\n    columns:\n"
                         "      id: {type: integer, primary_key: true}\n"
                         "      name: {type: string, length: 200, nullable: false, unique: "
                         "true}\n") == "");
}

TEST_CASE("ops apply: add_column appends the column, located at the call") {
    schema::Schema s = tables(base);
    schema::Column nickname = string_column("nickname", 50);
    nickname.index = true;
    nickname.unique = true;
    CHECK(apply(s, op(ops::AddColumn{"users", nickname})) == "");
    CHECK(differences(s, organizations + "  users:\n    columns:\n" + users_columns +
                             "      nickname: {type: string, length: 50, unique: true, "
                             "index: true}\n" +
                             users_rest) == "");
    const schema::Table& users = *s.find_table("users");
    CHECK(users.columns.back().name == "nickname");
    CHECK(users.columns.back().where == call_site);
}

TEST_CASE("ops apply: drop_column takes the indexes, constraints and keys that include it") {
    schema::Schema s = tables(base);
    REQUIRE(apply(s, op(ops::CreateTable{memberships()})) == "");
    CHECK(apply(s, op(ops::DropColumn{"users", "org_id"})) == "");
    CHECK(apply(s, op(ops::DropColumn{"memberships", "user_id"})) == "");
    CHECK(differences(s, organizations + "  users:\n    columns:\n"
                                         "      id: {type: integer, primary_key: true}\n"
                                         "      email: {type: string, length: 255, nullable: "
                                         "false}\n"
                                         "      handle: {type: string, length: 50}\n"
                                         "    indexes:\n"
                                         "      - {name: ix_users_email, columns: [email], "
                                         "unique: true}\n"
                                         "  memberships:\n    columns:\n"
                                         "      org_id: {type: integer, nullable: false,\n"
                                         "               foreign_key: {references: "
                                         "organizations.id}}\n") == "");
    const schema::Table& links = *s.find_table("memberships");
    CHECK_FALSE(links.primary_key);
    CHECK(links.primary_key_columns().empty());
    REQUIRE(links.foreign_keys.size() == 1);
    CHECK(links.foreign_keys[0].name == "fk_memberships_org");
}

TEST_CASE("ops apply: alter_column changes what it is given and nothing else") {
    schema::Schema s = tables(base);
    ops::AlterColumn change = alter("users", "handle");
    change.nullable = false;
    change.type = schema::Type{};
    change.type->kind = TypeKind::text;
    change.server_default = std::optional<std::string>("'anonymous'");
    change.comment = std::optional<std::string>("Shown to others");
    change.autoincrement = false;
    CHECK(apply(s, op(change)) == "");
    const schema::Column& handle = *s.find_table("users")->find_column("handle");
    CHECK_FALSE(handle.nullable);
    CHECK(schema::render_type(handle.type) == "Text");
    CHECK(handle.server_default == "'anonymous'");
    CHECK(handle.comment == "Shown to others");
    CHECK(handle.autoincrement == false);

    ops::AlterColumn reset = alter("users", "handle");
    reset.server_default = std::optional<std::string>();
    reset.comment = std::optional<std::string>();
    CHECK(apply(s, op(reset)) == "");
    CHECK(differences(s, organizations +
                             "  users:\n    columns:\n"
                             "      id: {type: integer, primary_key: true}\n"
                             "      email: {type: string, length: 255, nullable: "
                             "false}\n"
                             "      org_id: {type: integer, index: true,\n"
                             "               foreign_key: {references: "
                             "organizations.id, on_delete: CASCADE}}\n"
                             "      handle: {type: text, nullable: false}\n" +
                             users_rest) == "");
}

TEST_CASE("ops apply: a renamed column is renamed wherever the schema names it") {
    schema::Schema s = tables(base);
    REQUIRE(apply(s, op(ops::CreateTable{memberships()})) == "");
    ops::AlterColumn org_key = alter("organizations", "id");
    org_key.new_name = "org_key";
    ops::AlterColumn organization_id = alter("users", "org_id");
    organization_id.new_name = "organization_id";
    ops::AlterColumn member_org = alter("memberships", "org_id");
    member_org.new_name = "organization_id";
    CHECK(apply(s, op(org_key)) == "");
    CHECK(apply(s, op(organization_id)) == "");
    CHECK(apply(s, op(member_org)) == "");

    const schema::Table& users = *s.find_table("users");
    const schema::Column& renamed = users.columns[2];
    CHECK(renamed.name == "organization_id");
    CHECK(renamed.foreign_key->column == "org_key");
    CHECK_FALSE(renamed.index);
    REQUIRE(users.indexes.size() == 2);
    CHECK(users.indexes[1].name == "ix_users_org_id");  // its name as the database keeps it
    CHECK(users.indexes[1].columns == std::vector<std::string>{"organization_id"});
    CHECK(users.unique_constraints[0].columns ==
          std::vector<std::string>{"organization_id", "handle"});
    const schema::Table& links = *s.find_table("memberships");
    CHECK(links.primary_key->columns == std::vector<std::string>{"organization_id", "user_id"});
    CHECK(links.foreign_keys[0].columns == std::vector<std::string>{"organization_id"});
    CHECK(links.foreign_keys[0].referred_columns == std::vector<std::string>{"org_key"});
    CHECK(s.find_table("organizations")->primary_key_columns() ==
          std::vector<std::string>{"org_key"});
}

TEST_CASE("ops apply: execute of DML changes nothing and reports nothing") {
    const std::vector<std::string> statements = {
        "INSERT INTO organizations (id, name) VALUES (1, 'acme')",
        "  update users set handle = email",
        "-- the old rows go\nDELETE FROM users WHERE handle IS NULL",
        "/* a check */ select count(*) from users",
        "WITH old AS (SELECT id FROM users) DELETE FROM users WHERE id IN old",
        "replace into organizations values (1, 'acme')",
        "(SELECT 1)",
    };
    for (const auto& sql : statements) {
        CAPTURE(sql);
        schema::Schema s = tables(base);
        const auto before = schema::schema_to_json(s);
        CHECK(apply(s, op(ops::Execute{sql})) == "");
        CHECK(schema::schema_to_json(s) == before);
    }
}

TEST_CASE("ops apply: execute of anything else is a warning that the replay does not model it") {
    schema::Schema s = tables(base);
    const auto before = schema::schema_to_json(s);
    CHECK(apply(s, op(ops::Execute{"CREATE VIEW active_users AS\n    SELECT * FROM users"})) ==
          "warning execute-not-modelled versions/a.py:12:5 op.execute: the symbolic replay does "
          "not model this SQL (CREATE VIEW active_users AS SELECT * FROM users); the scratch "
          "replay runs it\n");
    CHECK(apply(s,
                op(ops::Execute{
                    "ALTER TABLE users ADD CONSTRAINT ck_users_email CHECK (email LIKE '%@%')"})) ==
          "warning execute-not-modelled versions/a.py:12:5 op.execute: the symbolic replay does "
          "not model this SQL (ALTER TABLE users ADD CONSTRAINT ck_users_email CHECK (email...); "
          "the scratch replay runs it\n");
    CHECK(apply(s, op(ops::Execute{"INSERTED"})) ==
          "warning execute-not-modelled versions/a.py:12:5 op.execute: the symbolic replay does "
          "not model this SQL (INSERTED); the scratch replay runs it\n");
    CHECK(schema::schema_to_json(s) == before);
}

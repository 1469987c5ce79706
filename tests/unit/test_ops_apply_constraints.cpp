// ops::apply for indexes and constraints.
#include "test_ops_support.hpp"

#include "migcheck/schema/json.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace ops_test;
using schema::TypeKind;

namespace {

const std::string base =
    "  organizations:\n"
    "    columns:\n"
    "      id: {type: integer, primary_key: true}\n"
    "      name: {type: string, length: 200, nullable: false}\n"
    "  users:\n"
    "    columns:\n"
    "      id: {type: integer, primary_key: true}\n"
    "      email: {type: string, length: 255, nullable: false}\n"
    "      org_id: {type: integer, index: true,\n"
    "               foreign_key: {references: organizations.id, name: fk_users_org}}\n"
    "      handle: {type: string, length: 50, unique: true, index: true}\n"
    "    indexes:\n"
    "      - {name: ix_users_email, columns: [email], unique: true}\n"
    "    unique_constraints:\n"
    "      - {name: uq_users_org_handle, columns: [org_id, handle]}\n";

schema::Index index(const std::string& name, std::vector<std::string> columns) {
    return schema::Index{name, std::move(columns), false, {}};
}

ops::DropConstraint drop_constraint(const std::string& name, const std::string& type) {
    return ops::DropConstraint{"users", name, type};
}

}  // namespace

TEST_CASE("ops apply: the problems of index and constraint operations, worded") {
    struct Case {
        ops::Operation operation;
        std::string message;
    };
    const std::vector<Case> cases = {
        {op(ops::CreateIndex{"teams", index("ix_teams_a", {"a"})}),
         "op.create_index: table \"teams\" does not exist"},
        {op(ops::CreateIndex{"users", index("ix_users_nick", {"nickname"})}),
         "op.create_index: table \"users\" has no column \"nickname\" for index "
         "\"ix_users_nick\""},
        {op(ops::CreateIndex{"organizations", index("ix_users_email", {"name"})}),
         "op.create_index: index \"ix_users_email\" already exists on table \"users\""},
        {op(ops::CreateIndex{"organizations", index("ix_users_org_id", {"name"})}),
         "op.create_index: index \"ix_users_org_id\" already exists on table \"users\""},
        {op(ops::DropIndex{"users", "ix_users_nick"}),
         "op.drop_index: table \"users\" has no index \"ix_users_nick\""},
        {op(ops::DropIndex{"organizations", "ix_users_email"}),
         "op.drop_index: table \"organizations\" has no index \"ix_users_email\""},
        {op(ops::DropIndex{"", "ix_nope"}), "op.drop_index: no table has an index \"ix_nope\""},
        {op(ops::DropIndex{"teams", "ix_nope"}), "op.drop_index: table \"teams\" does not exist"},
        {op(ops::CreateUniqueConstraint{"users", {"uq_x", {"nickname"}, {}}}),
         "op.create_unique_constraint: table \"users\" has no column \"nickname\" for unique "
         "constraint \"uq_x\""},
        {op(ops::CreateUniqueConstraint{"users", {"", {"email", "nickname"}, {}}}),
         "op.create_unique_constraint: table \"users\" has no column \"nickname\" for the "
         "unique constraint on (email, nickname)"},
        {op(ops::CreateUniqueConstraint{"users", {"fk_users_org", {"email"}, {}}}),
         "op.create_unique_constraint: table \"users\" already has a constraint "
         "\"fk_users_org\""},
        {op(ops::CreateForeignKey{"users", foreign_key("fk_team", {"team_id"}, "teams", {"id"})}),
         "op.create_foreign_key: table \"users\" has no column \"team_id\" for foreign key "
         "\"fk_team\""},
        {op(ops::CreateForeignKey{"users", foreign_key("fk_x", {"handle"}, "teams", {"id"})}),
         "op.create_foreign_key: foreign key \"fk_x\" refers to table \"teams\", which does "
         "not exist"},
        {op(ops::CreateForeignKey{"users",
                                  foreign_key("fk_x", {"handle"}, "organizations", {"slug"})}),
         "op.create_foreign_key: table \"organizations\" has no column \"slug\" for foreign "
         "key \"fk_x\""},
        {op(ops::CreateForeignKey{
             "users", foreign_key("fk_x", {"handle", "email"}, "organizations", {"id"})}),
         "op.create_foreign_key: foreign key \"fk_x\" has 2 columns but refers to 1"},
        {op(ops::CreateForeignKey{
             "users", foreign_key("uq_users_org_handle", {"handle"}, "organizations", {"id"})}),
         "op.create_foreign_key: table \"users\" already has a constraint "
         "\"uq_users_org_handle\""},
        {op(ops::CreatePrimaryKey{"users", {"pk_users", {"id", "email"}, {}}}),
         "op.create_primary_key: table \"users\" already has a primary key on (id)"},
        {op(ops::CreatePrimaryKey{"users", {"pk_users", {"nickname"}, {}}}, true),
         "op.create_primary_key: table \"users\" has no column \"nickname\" for primary key "
         "\"pk_users\""},
        {op(drop_constraint("uq_nope", "")),
         "op.drop_constraint: table \"users\" has no constraint \"uq_nope\""},
        {op(drop_constraint("uq_users_org_handle", "foreignkey")),
         "op.drop_constraint: table \"users\" has no foreign key \"uq_users_org_handle\""},
        {op(drop_constraint("fk_users_org", "unique")),
         "op.drop_constraint: table \"users\" has no unique constraint \"fk_users_org\""},
        {op(drop_constraint("uq_users_org_handle", "primary")),
         "op.drop_constraint: table \"users\" has no primary key \"uq_users_org_handle\""},
        {op(drop_constraint("", "unique")),
         "op.drop_constraint: a constraint without a name cannot be dropped (table \"users\")"},
        {op(ops::DropConstraint{"teams", "fk_x", ""}),
         "op.drop_constraint: table \"teams\" does not exist"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.message);
        schema::Schema s = tables(base);
        const auto before = schema::schema_to_json(s);
        CHECK(apply(s, c.operation) ==
              "error invalid-operation versions/a.py:12:5 " + c.message + "\n");
        CHECK(schema::schema_to_json(s) == before);
    }
}

TEST_CASE("ops apply: create_index adds an index at the call; expressions are not checked") {
    schema::Schema s = tables(base);
    CHECK(apply(s, op(ops::CreateIndex{"organizations", index("ix_org_name", {"name"})})) == "");
    CHECK(apply(s, op(ops::CreateIndex{"users", index("ix_users_lower", {"(lower(handle))"})})) ==
          "");
    const schema::Table& organizations = *s.find_table("organizations");
    REQUIRE(organizations.indexes.size() == 1);
    CHECK(organizations.indexes[0].name == "ix_org_name");
    CHECK(organizations.indexes[0].where == call_site);
    CHECK(s.find_table("users")->indexes.back().columns ==
          std::vector<std::string>{"(lower(handle))"});
}

TEST_CASE("ops apply: drop_index finds the index with or without its table") {
    schema::Schema s = tables(base);
    CHECK(apply(s, op(ops::DropIndex{"users", "ix_users_email"})) == "");
    CHECK(apply(s, op(ops::DropIndex{"", "ix_users_org_id"})) == "");
    // A unique `index: true` index was the column's only uniqueness.
    CHECK(apply(s, op(ops::DropIndex{"users", "ix_users_handle"})) == "");
    CHECK(differences(s, "  organizations:\n"
                         "    columns:\n"
                         "      id: {type: integer, primary_key: true}\n"
                         "      name: {type: string, length: 200, nullable: false}\n"
                         "  users:\n"
                         "    columns:\n"
                         "      id: {type: integer, primary_key: true}\n"
                         "      email: {type: string, length: 255, nullable: false}\n"
                         "      org_id: {type: integer,\n"
                         "               foreign_key: {references: organizations.id}}\n"
                         "      handle: {type: string, length: 50}\n"
                         "    unique_constraints:\n"
                         "      - {name: uq_users_org_handle, columns: [org_id, handle]}\n") == "");
}

TEST_CASE("ops apply: constraints are created at the call and dropped by name") {
    schema::Schema s = tables(base);
    CHECK(apply(s, op(ops::CreateUniqueConstraint{"users", {"uq_users_email", {"email"}, {}}})) ==
          "");
    CHECK(apply(s, op(ops::CreateForeignKey{"organizations", foreign_key("fk_org_owner", {"id"},
                                                                         "users", {"id"})})) == "");
    const schema::Table& users = *s.find_table("users");
    CHECK(users.unique_constraints.back().name == "uq_users_email");
    CHECK(users.unique_constraints.back().where == call_site);
    CHECK(s.find_table("organizations")->foreign_keys[0].where == call_site);

    CHECK(apply(s, op(drop_constraint("uq_users_org_handle", "unique"))) == "");
    CHECK(apply(s, op(drop_constraint("fk_users_org", "foreignkey"))) == "");  // column-level
    CHECK(apply(s, op(ops::DropConstraint{"organizations", "fk_org_owner", ""})) == "");
    const auto before_check = schema::schema_to_json(s);
    CHECK(apply(s, op(drop_constraint("ck_users_email", "check"))) == "");
    CHECK(schema::schema_to_json(s) == before_check);
    CHECK(differences(s, "  organizations:\n"
                         "    columns:\n"
                         "      id: {type: integer, primary_key: true}\n"
                         "      name: {type: string, length: 200, nullable: false}\n"
                         "  users:\n"
                         "    columns:\n"
                         "      id: {type: integer, primary_key: true}\n"
                         "      email: {type: string, length: 255, nullable: false}\n"
                         "      org_id: {type: integer, index: true}\n"
                         "      handle: {type: string, length: 50, unique: true, index: true}\n"
                         "    indexes:\n"
                         "      - {name: ix_users_email, columns: [email], unique: true}\n"
                         "    unique_constraints:\n"
                         "      - {name: uq_users_email, columns: [email]}\n") == "");
}

TEST_CASE("ops apply: create_primary_key and dropping the key") {
    schema::Schema s = tables(base + "  tags:\n    columns:\n      label: string\n"
                                     "      kind: string\n");
    CHECK(apply(s, op(ops::CreatePrimaryKey{"tags", {"pk_tags", {"label", "kind"}, {}}})) == "");
    schema::Table& tags = *s.find_table("tags");
    CHECK(tags.primary_key_columns() == std::vector<std::string>{"label", "kind"});
    CHECK_FALSE(tags.columns[0].nullable);  // key columns are NOT NULL
    CHECK(tags.primary_key->where == call_site);
    CHECK(tags.columns[1].primary_key);

    CHECK(apply(s, op(ops::DropConstraint{"tags", "pk_tags", "primary"})) == "");
    CHECK(tags.primary_key_columns().empty());

    // In batch mode the table is rebuilt with the new key in the old one's place.
    CHECK(apply(s, op(ops::CreatePrimaryKey{"users", {"pk_users", {"email"}, {}}}, true)) == "");
    const schema::Table& users = *s.find_table("users");
    CHECK(users.primary_key_columns() == std::vector<std::string>{"email"});
    CHECK_FALSE(users.columns[0].primary_key);
    CHECK(users.columns[1].primary_key);
    CHECK(apply(s, op(ops::DropConstraint{"users", "pk_users", ""})) == "");
    CHECK(users.primary_key_columns().empty());
}

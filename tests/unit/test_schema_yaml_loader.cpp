#include "migcheck/schema/yaml_loader.hpp"

#include <doctest/doctest.h>
#include <string>

using namespace migcheck::schema;

namespace {

// The example of docs/schema-yaml.md, line for line.
const char* const example = R"(version: 1
tables:
  organizations:
    columns:
      id:   {type: integer, primary_key: true}
      name: {type: string, length: 200, nullable: false, unique: true}

  users:
    comment: People who sign in.
    columns:
      id:           {type: integer, primary_key: true}
      email:        {type: string, length: 255, nullable: false}
      display_name: string              # shorthand: just the type, all else default
      is_active:    {type: boolean, nullable: false, server_default: "1"}
      created_at:   {type: datetime, timezone: true, nullable: false,
                     server_default: CURRENT_TIMESTAMP}
      org_id:       {type: integer, nullable: false,
                     foreign_key: {references: organizations.id, on_delete: CASCADE}}
      balance:      {type: numeric, precision: 12, scale: 2}
      status:       {type: enum, values: [active, suspended], enum_name: user_status}
      nickname:     {type: string, length: 50, renamed_from: handle}
    indexes:
      - {name: ix_users_email, columns: [email], unique: true}
      - {name: ix_users_org_created, columns: [org_id, created_at]}
    unique_constraints:
      - {name: uq_users_org_display_name, columns: [org_id, display_name]}
)";

Schema load(const std::string& text) {
    return load_schema_yaml(text, "config/schema.yaml");
}

// A document whose tables are `body`, which starts on line 3.
std::string tables(const std::string& body) {
    return "version: 1\ntables:\n" + body;
}

}  // namespace

TEST_CASE("the documented example loads to the model it describes") {
    Schema s = load(example);
    REQUIRE(s.tables.size() == 2);

    const Table& orgs = s.tables[0];
    CHECK(orgs.name == "organizations");
    CHECK(orgs.where == Location{"config/schema.yaml", 3});
    REQUIRE(orgs.columns.size() == 2);
    CHECK(orgs.primary_key_columns() == std::vector<std::string>{"id"});
    CHECK(!orgs.primary_key);
    const Column& org_name = orgs.columns[1];
    CHECK(org_name.name == "name");
    CHECK(render_type(org_name.type) == "String(200)");
    CHECK(!org_name.nullable);
    CHECK(org_name.unique);
    CHECK(!org_name.index);

    const Table& users = s.tables[1];
    CHECK(users.name == "users");
    CHECK(users.comment == "People who sign in.");
    CHECK(users.renamed_from.empty());
    std::vector<std::string> names;
    for (const auto& c : users.columns) {
        names.push_back(c.name);
    }
    CHECK(names == std::vector<std::string>{"id", "email", "display_name", "is_active",
                                            "created_at", "org_id", "balance", "status",
                                            "nickname"});

    const Column& id = *users.find_column("id");
    CHECK(id.type.kind == TypeKind::integer);
    CHECK(id.primary_key);
    CHECK(!id.nullable);  // the default for a key column
    CHECK(!id.autoincrement);
    CHECK(id.where == Location{"config/schema.yaml", 11});

    const Column& email = *users.find_column("email");
    CHECK(email.type.kind == TypeKind::string);
    CHECK(email.type.length == 255);
    CHECK(!email.nullable);
    CHECK(!email.server_default);

    const Column& display_name = *users.find_column("display_name");
    CHECK(render_type(display_name.type) == "String");
    CHECK(display_name.nullable);
    CHECK(!display_name.primary_key);
    CHECK(!display_name.unique);
    CHECK(display_name.where == Location{"config/schema.yaml", 13});

    const Column& is_active = *users.find_column("is_active");
    CHECK(is_active.type.kind == TypeKind::boolean);
    CHECK(is_active.server_default == "1");

    const Column& created_at = *users.find_column("created_at");
    CHECK(render_type(created_at.type) == "DateTime(timezone=True)");
    CHECK(created_at.server_default == "CURRENT_TIMESTAMP");
    CHECK(!created_at.nullable);

    const Column& org_id = *users.find_column("org_id");
    REQUIRE(org_id.foreign_key);
    CHECK(org_id.foreign_key->table == "organizations");
    CHECK(org_id.foreign_key->column == "id");
    CHECK(org_id.foreign_key->on_delete == "CASCADE");
    CHECK(org_id.foreign_key->on_update.empty());
    CHECK(org_id.foreign_key->name.empty());
    CHECK(org_id.where == Location{"config/schema.yaml", 17});

    const Column& balance = *users.find_column("balance");
    CHECK(render_type(balance.type) == "Numeric(12, 2)");
    CHECK(balance.nullable);

    const Column& status = *users.find_column("status");
    CHECK(status.type.kind == TypeKind::enum_);
    CHECK(status.type.enum_values == std::vector<std::string>{"active", "suspended"});
    CHECK(status.type.enum_name == "user_status");
    CHECK(render_type(status.type) == "Enum('active', 'suspended', name='user_status')");

    const Column& nickname = *users.find_column("nickname");
    CHECK(nickname.renamed_from == "handle");

    REQUIRE(users.indexes.size() == 2);
    CHECK(users.indexes[0].name == "ix_users_email");
    CHECK(users.indexes[0].columns == std::vector<std::string>{"email"});
    CHECK(users.indexes[0].unique);
    CHECK(users.indexes[0].where == Location{"config/schema.yaml", 23});
    CHECK(users.indexes[1].name == "ix_users_org_created");
    CHECK(users.indexes[1].columns == std::vector<std::string>{"org_id", "created_at"});
    CHECK(!users.indexes[1].unique);
    REQUIRE(users.unique_constraints.size() == 1);
    CHECK(users.unique_constraints[0].name == "uq_users_org_display_name");
    CHECK(users.unique_constraints[0].columns ==
          std::vector<std::string>{"org_id", "display_name"});
    CHECK(users.unique_constraints[0].where == Location{"config/schema.yaml", 26});
    CHECK(users.foreign_keys.empty());

    // The derived views the comparison works on.
    auto fks = users.all_foreign_keys();
    REQUIRE(fks.size() == 1);
    CHECK(fks[0].columns == std::vector<std::string>{"org_id"});
    CHECK(fks[0].referred_table == "organizations");
    CHECK(orgs.all_unique_constraints().size() == 1);
    CHECK(orgs.all_unique_constraints()[0].name.empty());
}

TEST_CASE("defaults, shorthand and optional parts") {
    Schema s = load(tables("  t:\n"
                           "    columns:\n"
                           "      a: {type: integer, primary_key: true, autoincrement: false}\n"
                           "      b: {type: integer, primary_key: true, nullable: false}\n"
                           "      c: {type: string, index: true, unique: true, comment: hi}\n"
                           "      d: {type: string, length: 3, nullable: true}\n"
                           "      e: {type: numeric, precision: 5}\n"
                           "      f: {type: time, timezone: false}\n"
                           "      g: {type: binary, length: 16}\n"
                           "      h: {type: uuid, server_default: \"'x'\"}\n"
                           "      i: {type: integer, foreign_key: {references: t.a, on_delete: "
                           "set  null, on_update: cascade, name: fk_t_i}}\n"
                           "    renamed_from: old_t\n"
                           "    indexes:\n"
                           "    unique_constraints: []\n"
                           "  empty_comment: {columns: {id: biginteger}, comment: ''}\n"));
    const Table& t = s.tables[0];
    CHECK(t.renamed_from == "old_t");
    CHECK(t.primary_key_columns() == std::vector<std::string>{"a", "b"});
    CHECK(t.find_column("a")->autoincrement == false);
    CHECK(!t.find_column("a")->nullable);
    CHECK(t.find_column("c")->index);
    CHECK(t.find_column("c")->comment == "hi");
    CHECK(t.find_column("d")->nullable);
    CHECK(render_type(t.find_column("e")->type) == "Numeric(5)");
    CHECK(render_type(t.find_column("f")->type) == "Time");
    CHECK(render_type(t.find_column("g")->type) == "LargeBinary(16)");
    CHECK(t.find_column("h")->server_default == "'x'");
    const ForeignKeyRef& fk = *t.find_column("i")->foreign_key;
    CHECK(fk.on_delete == "SET NULL");
    CHECK(fk.on_update == "CASCADE");
    CHECK(fk.name == "fk_t_i");
    auto indexes = t.all_indexes();
    REQUIRE(indexes.size() == 1);
    CHECK(indexes[0].name == "ix_t_c");
    CHECK(indexes[0].unique);  // index and unique together: one unique index
    CHECK(t.all_unique_constraints().empty());
    CHECK(s.tables[1].comment.empty());

    CHECK(load("version: 1\ntables:\n").tables.empty());
    CHECK(load("version: 1\ntables: {}\n").tables.empty());
    CHECK(load("version: \"1\"\ntables: {}\n").tables.empty());
}

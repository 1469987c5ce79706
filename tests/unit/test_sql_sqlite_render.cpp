// The SQL text of sql/sqlite_render.hpp. Every expected statement was
// printed by SQLAlchemy 1.4.46 (CreateTable/CreateIndex compiled for
// sqlite.dialect()) or logged from Alembic 1.8.1 running the same operation
// on SQLite. That the statements run is in test_sql_sqlite_render_db.cpp.
#include "test_ops_support.hpp"

#include "migcheck/sql/sqlite_ddl.hpp"
#include "migcheck/sql/sqlite_render.hpp"
#include "migcheck/util/error.hpp"

#include <doctest/doctest.h>

using namespace ops_test;
using schema::TypeKind;
namespace sql = migcheck::sql;

namespace {

// Statements one a line, so that a failure shows them all.
std::string lines(const std::vector<std::string>& statements) {
    std::string out;
    for (const auto& s : statements) {
        out += s + "\n";
    }
    return out;
}

std::string render(const schema::Schema& before, const ops::Operation& o) {
    return lines(sql::render_sqlite(before, o));
}

// As Alembic's tests build it: organizations, then users with an indexed
// foreign key, a unique indexed handle and a reserved word for a column.
const std::string alembic_tables =
    "  organizations:\n"
    "    columns:\n"
    "      id: {type: integer, primary_key: true}\n"
    "      name: {type: string, length: 200, nullable: false, unique: true}\n"
    "  users:\n"
    "    columns:\n"
    "      id: {type: integer, primary_key: true}\n"
    "      email: {type: string, length: 255, nullable: false}\n"
    "      org_id: {type: integer, index: true,\n"
    "               foreign_key: {references: organizations.id, on_delete: CASCADE}}\n"
    "      handle: {type: string, length: 50, unique: true, index: true}\n"
    "      display_name: string\n"
    "      order: {type: integer, server_default: \"0\"}\n";

}  // namespace

TEST_CASE("sqlite render: create_table_sql writes what SQLAlchemy 1.4 writes") {
    schema::Table users;
    users.name = "users";
    users.columns = {column("id", TypeKind::integer),
                     string_column("email", 255),
                     column("org_id", TypeKind::integer),
                     column("order", TypeKind::text),
                     string_column("Mixed", 200),
                     column("is_active", TypeKind::boolean),
                     column("created_at", TypeKind::datetime),
                     column("status", TypeKind::enum_),
                     column("balance", TypeKind::numeric),
                     string_column("handle", 50)};
    users.columns[0].primary_key = true;
    users.columns[0].nullable = false;
    users.columns[1].unique = true;
    users.columns[2].nullable = false;
    users.columns[2].foreign_key =
        schema::ForeignKeyRef{"organizations", "id", "CASCADE", "", "fk_x"};
    users.columns[5].nullable = false;
    users.columns[5].server_default = "1";
    users.columns[6].type.timezone = true;
    users.columns[6].server_default = "CURRENT_TIMESTAMP";
    users.columns[7].type.enum_values = {"active", "suspended"};
    users.columns[7].type.enum_name = "user_status";
    users.columns[8].type.precision = 12;
    users.columns[8].type.scale = 2;
    users.columns[9].unique = true;
    users.columns[9].index = true;
    users.unique_constraints = {{"uq_users_order_mixed", {"order", "Mixed"}, {}}};
    users.foreign_keys = {
        {"fk_mixed", {"Mixed"}, "organizations", {"name"}, "SET NULL", "CASCADE", {}}};
    CHECK(sql::create_table_sql(users) ==
          "CREATE TABLE users (\n\tid INTEGER NOT NULL, \n\temail VARCHAR(255), \n\torg_id "
          "INTEGER NOT NULL, \n\t\"order\" TEXT, \n\t\"Mixed\" VARCHAR(200), \n\tis_active "
          "BOOLEAN DEFAULT 1 NOT NULL, \n\tcreated_at DATETIME DEFAULT CURRENT_TIMESTAMP, "
          "\n\tstatus VARCHAR(9), \n\tbalance NUMERIC(12, 2), \n\thandle VARCHAR(50), "
          "\n\tPRIMARY KEY (id), \n\tCONSTRAINT uq_users_order_mixed UNIQUE (\"order\", "
          "\"Mixed\"), \n\tCONSTRAINT fk_mixed FOREIGN KEY(\"Mixed\") REFERENCES organizations "
          "(name) ON DELETE SET NULL ON UPDATE CASCADE, \n\tUNIQUE (email), \n\tCONSTRAINT fk_x "
          "FOREIGN KEY(org_id) REFERENCES organizations (id) ON DELETE CASCADE\n)");

    schema::Table odd;
    odd.name = "Key Values";
    odd.columns = {column("we\"ird", TypeKind::integer), column("a$b", TypeKind::integer),
                   column("2fa", TypeKind::integer), column("current_timestamp", TypeKind::integer),
                   column("_x", TypeKind::integer)};
    odd.columns[0].nullable = odd.columns[1].nullable = false;
    odd.primary_key = schema::PrimaryKey{"pk_Key", {"we\"ird", "a$b"}, {}};
    CHECK(sql::create_table_sql(odd) ==
          "CREATE TABLE \"Key Values\" (\n\t\"we\"\"ird\" INTEGER NOT NULL, \n\ta$b INTEGER NOT "
          "NULL, \n\t\"2fa\" INTEGER, \n\t\"current_timestamp\" INTEGER, \n\t_x INTEGER, "
          "\n\tCONSTRAINT \"pk_Key\" PRIMARY KEY (\"we\"\"ird\", a$b)\n)");
}

TEST_CASE("sqlite render: a function call as server default goes in parentheses") {
    // SQLAlchemy writes func.lower('X') as DEFAULT (lower('X')); SQLite
    // refuses a call without them.
    schema::Table t;
    t.name = "t";
    const std::vector<std::string> defaults = {
        "now()", "datetime('now')", "(1 + 2)", "CURRENT_TIMESTAMP", "'x()'", "-1", "true"};
    for (std::size_t i = 0; i < defaults.size(); ++i) {
        t.columns.push_back(column("c" + std::to_string(i), TypeKind::text));
        t.columns.back().server_default = defaults[i];
    }
    CHECK(sql::create_table_sql(t) ==
          "CREATE TABLE t (\n\tc0 TEXT DEFAULT (now()), \n\tc1 TEXT DEFAULT (datetime('now')), "
          "\n\tc2 TEXT DEFAULT (1 + 2), \n\tc3 TEXT DEFAULT CURRENT_TIMESTAMP, \n\tc4 TEXT "
          "DEFAULT 'x()', \n\tc5 TEXT DEFAULT -1, \n\tc6 TEXT DEFAULT true\n)");
}

TEST_CASE("sqlite render: identifiers are quoted as SQLAlchemy quotes them") {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"users", "users"},
        {"_x", "_x"},
        {"x1", "x1"},
        {"a$b", "a$b"},
        {"order", "\"order\""},
        {"Mixed", "\"Mixed\""},
        {"2fa", "\"2fa\""},
        {"$x", "\"$x\""},
        {"we\"ird", "\"we\"\"ird\""},
        {"has space", "\"has space\""},
        {"current_timestamp", "\"current_timestamp\""},
        {"\xc3\xa9", "\"\xc3\xa9\""},
    };
    for (const auto& [name, quoted] : cases) {
        CHECK(sql::quote_identifier(name) == quoted);
    }
}

TEST_CASE("sqlite render: create_index_sql") {
    CHECK(sql::create_index_sql("users", {"ix_users_order", {"order", "Mixed"}, false, {}}) ==
          "CREATE INDEX ix_users_order ON users (\"order\", \"Mixed\")");
    CHECK(sql::create_index_sql("users", {"ix_lower", {"(lower(email))", "id"}, true, {}}) ==
          "CREATE UNIQUE INDEX ix_lower ON users ((lower(email)), id)");
}

TEST_CASE("sqlite render: the operations SQLite does in place") {
    const schema::Schema before = tables(alembic_tables);
    schema::Column o_id = column("o_id", TypeKind::integer);
    o_id.nullable = false;
    o_id.server_default = "5";
    o_id.foreign_key = schema::ForeignKeyRef{"organizations", "id", "CASCADE", "", ""};
    schema::Column u = column("u", TypeKind::integer);
    u.unique = u.index = true;
    ops::AlterColumn rename = alter("users", "display_name");
    rename.new_name = "shown_name";
    ops::AlterColumn comment = alter("users", "email");
    comment.comment = std::optional<std::string>("Where mail goes");
    comment.autoincrement = false;

    struct Case {
        ops::Operation operation;
        std::string statements;
    };
    const std::vector<Case> cases = {
        {op(ops::CreateTable{before.tables[1]}),
         "CREATE TABLE users (\n\tid INTEGER NOT NULL, \n\temail VARCHAR(255) NOT NULL, "
         "\n\torg_id INTEGER, \n\thandle VARCHAR(50), \n\tdisplay_name VARCHAR, \n\t\"order\" "
         "INTEGER DEFAULT 0, \n\tPRIMARY KEY (id), \n\tFOREIGN KEY(org_id) REFERENCES "
         "organizations (id) ON DELETE CASCADE\n)\n"
         "CREATE INDEX ix_users_org_id ON users (org_id)\n"
         "CREATE UNIQUE INDEX ix_users_handle ON users (handle)\n"},
        {op(ops::DropTable{"users"}), "DROP TABLE users\n"},
        {op(ops::RenameTable{"users", "people"}), "ALTER TABLE users RENAME TO people\n"},
        {op(ops::AddColumn{"users", o_id}),
         "ALTER TABLE users ADD COLUMN o_id INTEGER DEFAULT 5 NOT NULL REFERENCES "
         "organizations (id) ON DELETE CASCADE\n"},
        {op(ops::AddColumn{"users", u}),
         "ALTER TABLE users ADD COLUMN u INTEGER\nCREATE UNIQUE INDEX ix_users_u ON users (u)\n"},
        {op(ops::DropColumn{"users", "display_name"}),
         "ALTER TABLE users DROP COLUMN display_name\n"},
        {op(rename), "ALTER TABLE users RENAME display_name TO shown_name\n"},
        {op(comment), ""},  // SQLite keeps neither
        {op(ops::CreateIndex{"users", {"ix_users_order", {"order"}, false, {}}}),
         "CREATE INDEX ix_users_order ON users (\"order\")\n"},
        {op(ops::DropIndex{"users", "ix_users_org_id"}), "DROP INDEX ix_users_org_id\n"},
        {op(ops::DropConstraint{"users", "ck_users_email", "check"}), ""},
        {op(ops::Execute{"UPDATE users SET handle = email"}), "UPDATE users SET handle = email\n"},
    };
    schema::Schema without_users = before;
    without_users.tables.pop_back();
    for (const auto& c : cases) {
        CAPTURE(c.statements);
        const bool creates = std::holds_alternative<ops::CreateTable>(c.operation.change);
        CHECK(render(creates ? without_users : before, c.operation) == c.statements);
    }
}

TEST_CASE("sqlite render: a rebuild is the statements of Alembic's batch mode") {
    const schema::Schema before = tables(alembic_tables);
    // batch_op.alter_column("order", new_column_name="position",
    //                       type_=sa.String(10), existing_type=sa.Integer)
    ops::AlterColumn position = alter("users", "order");
    position.new_name = "position";
    position.type = schema::Type{};
    position.type->kind = TypeKind::string;
    position.type->length = 10;
    const std::string tail = "DROP TABLE users\n"
                             "ALTER TABLE _alembic_tmp_users RENAME TO users\n"
                             "CREATE INDEX ix_users_org_id ON users (org_id)\n"
                             "CREATE UNIQUE INDEX ix_users_handle ON users (handle)\n";
    CHECK(render(before, op(position, true)) ==
          "CREATE TABLE _alembic_tmp_users (\n\tid INTEGER NOT NULL, \n\temail VARCHAR(255) NOT "
          "NULL, \n\torg_id INTEGER, \n\thandle VARCHAR(50), \n\tdisplay_name VARCHAR, "
          "\n\tposition VARCHAR(10) DEFAULT 0, \n\tPRIMARY KEY (id), \n\tFOREIGN KEY(org_id) "
          "REFERENCES organizations (id) ON DELETE CASCADE\n)\n"
          "INSERT INTO _alembic_tmp_users (id, email, org_id, handle, display_name, position) "
          "SELECT users.id, users.email, users.org_id, users.handle, users.display_name, "
          "CAST(users.\"order\" AS VARCHAR(10)) AS \"order\" \nFROM users\n" +
              tail);

    // batch_op.alter_column("email", type_=sa.Text(), nullable=True): String
    // to Text keeps the affinity, so Alembic copies without a CAST.
    ops::AlterColumn email = alter("users", "email");
    email.nullable = true;
    email.type = schema::Type{};
    email.type->kind = TypeKind::text;
    CHECK(render(before, op(email, true)) ==
          "CREATE TABLE _alembic_tmp_users (\n\tid INTEGER NOT NULL, \n\temail TEXT, \n\torg_id "
          "INTEGER, \n\thandle VARCHAR(50), \n\tdisplay_name VARCHAR, \n\t\"order\" INTEGER "
          "DEFAULT 0, \n\tPRIMARY KEY (id), \n\tFOREIGN KEY(org_id) REFERENCES organizations "
          "(id) ON DELETE CASCADE\n)\n"
          "INSERT INTO _alembic_tmp_users (id, email, org_id, handle, display_name, \"order\") "
          "SELECT users.id, users.email, users.org_id, users.handle, users.display_name, "
          "users.\"order\" \nFROM users\n" +
              tail);
}

TEST_CASE("sqlite render: what SQLite cannot do in place is rebuilt") {
    const schema::Schema before = tables(alembic_tables);
    const std::string id = "\n\tid INTEGER NOT NULL, \n\temail VARCHAR(255) NOT NULL, ";
    const std::string rest = "\n\tdisplay_name VARCHAR, \n\t\"order\" INTEGER DEFAULT 0, ";
    const std::string key = "\n\tPRIMARY KEY (id), \n\t";
    const std::string fk = "FOREIGN KEY(org_id) REFERENCES organizations (id) ON DELETE CASCADE";
    auto temp_table = [](const std::string& body) {
        return "CREATE TABLE _alembic_tmp_users (" + body + "\n)\n";
    };
    const std::string all = id + "\n\torg_id INTEGER, \n\thandle VARCHAR(50), " + rest;
    const std::string copy = "INSERT INTO _alembic_tmp_users (id, email, org_id, handle, "
                             "display_name, \"order\") SELECT users.id, users.email, "
                             "users.org_id, users.handle, users.display_name, users.\"order\" "
                             "\nFROM users\n";
    const std::string swap = "DROP TABLE users\nALTER TABLE _alembic_tmp_users RENAME TO users\n";
    const std::string indexes = "CREATE INDEX ix_users_org_id ON users (org_id)\n"
                                "CREATE UNIQUE INDEX ix_users_handle ON users (handle)\n";

    CHECK(render(before,
                 op(ops::CreateUniqueConstraint{"users", {"uq_users_email", {"email"}, {}}})) ==
          temp_table(all + key + "CONSTRAINT uq_users_email UNIQUE (email), \n\t" + fk) + copy +
              swap + indexes);
    CHECK(render(before, op(ops::CreateForeignKey{"users", foreign_key("fk_users_self", {"org_id"},
                                                                       "users", {"id"})})) ==
          temp_table(all + key +
                     "CONSTRAINT fk_users_self FOREIGN KEY(org_id) REFERENCES users (id), \n\t" +
                     fk) +
              copy + swap + indexes);

    // The dropped column is not copied; its index goes with it. In batch
    // mode Alembic rebuilds for any column, constrained or not.
    CHECK(render(before, op(ops::DropColumn{"users", "handle"})) ==
          temp_table(id + "\n\torg_id INTEGER, " + rest + key + fk) +
              "INSERT INTO _alembic_tmp_users (id, email, org_id, display_name, \"order\") SELECT "
              "users.id, users.email, users.org_id, users.display_name, users.\"order\" \nFROM "
              "users\n" +
              swap + "CREATE INDEX ix_users_org_id ON users (org_id)\n");
    CHECK(render(before, op(ops::DropColumn{"users", "display_name"}, true)) ==
          temp_table(id +
                     "\n\torg_id INTEGER, \n\thandle VARCHAR(50), \n\t\"order\" INTEGER "
                     "DEFAULT 0, " +
                     key + fk) +
              "INSERT INTO _alembic_tmp_users (id, email, org_id, handle, \"order\") SELECT "
              "users.id, users.email, users.org_id, users.handle, users.\"order\" \nFROM users\n" +
              swap + indexes);

    // A batch rename copies the column from its old name.
    ops::AlterColumn rename = alter("users", "display_name");
    rename.new_name = "shown_name";
    CHECK(render(before, op(rename, true)) ==
          temp_table(id +
                     "\n\torg_id INTEGER, \n\thandle VARCHAR(50), \n\tshown_name VARCHAR, "
                     "\n\t\"order\" INTEGER DEFAULT 0, " +
                     key + fk) +
              "INSERT INTO _alembic_tmp_users (id, email, org_id, handle, shown_name, \"order\") "
              "SELECT users.id, users.email, users.org_id, users.handle, users.display_name, "
              "users.\"order\" \nFROM users\n" +
              swap + indexes);

    // ALTER TABLE cannot add a unique column, nor, in batch mode (which
    // Alembic rebuilds for it), one whose default is a SQL expression.
    schema::Column code = string_column("code", 8);
    code.unique = true;
    CHECK(render(before, op(ops::AddColumn{"users", code})) ==
          temp_table(all + "\n\tcode VARCHAR(8), " + key + fk + ", \n\tUNIQUE (code)") + copy +
              swap + indexes);
    schema::Column seen = column("seen_at", TypeKind::datetime);
    seen.server_default = "CURRENT_TIMESTAMP";
    CHECK(render(before, op(ops::AddColumn{"users", seen})) ==
          "ALTER TABLE users ADD COLUMN seen_at DATETIME DEFAULT CURRENT_TIMESTAMP\n");
    CHECK(render(before, op(ops::AddColumn{"users", seen}, true)) ==
          temp_table(all + "\n\tseen_at DATETIME DEFAULT CURRENT_TIMESTAMP, " + key + fk) + copy +
              swap + indexes);
}

TEST_CASE("sqlite render: an operation that cannot apply throws") {
    const schema::Schema before = tables(alembic_tables);
    CHECK_THROWS_WITH_AS(sql::render_sqlite(before, op(ops::DropColumn{"users", "nickname"})),
                         "op.drop_column: table \"users\" has no column "
                         "\"nickname\"",
                         migcheck::Error);
    CHECK_THROWS_WITH_AS(sql::render_sqlite(before, op(ops::DropIndex{"", "ix_nope"})),
                         "op.drop_index: no table has an index \"ix_nope\"", migcheck::Error);
    CHECK(sql::render_sqlite(before, op(ops::Execute{"CREATE VIEW v AS SELECT 1"})) ==
          std::vector<std::string>{"CREATE VIEW v AS SELECT 1"});
}

TEST_CASE("sqlite render: from the schema after, with only the target table before") {
    // What db::Migrator does: it moves its model first and keeps a copy of
    // the one table the operation names. The statements must be the same.
    const schema::Schema before = tables(alembic_tables);
    ops::AlterColumn position = alter("users", "order");
    position.new_name = "position";
    position.type = schema::Type{};
    position.type->kind = TypeKind::string;
    position.type->length = 10;
    ops::AlterColumn nullable = alter("users", "email");
    nullable.nullable = true;
    const std::vector<ops::Operation> operations = {
        op(position, true),
        op(nullable),
        op(ops::DropColumn{"users", "org_id"}),
        op(ops::DropColumn{"users", "display_name"}),
        op(ops::DropColumn{"users", "display_name"}, true),
        op(ops::AddColumn{"users", column("seen", TypeKind::integer)}),
        op(ops::CreateUniqueConstraint{"users", {"uq_users_email", {"email"}, {}}}),
        op(ops::RenameTable{"users", "people"}),
        op(ops::CreateIndex{"users", {"ix_users_order", {"order"}, false, {}}}),
        op(ops::DropIndex{"", "ix_users_org_id"}),
    };
    for (const auto& o : operations) {
        CAPTURE(ops::change_name(o.change));
        schema::Schema after = before;
        CHECK(apply(after, o) == "");
        schema::Schema target;
        if (const schema::Table* t = before.find_table(ops::target_table(o.change))) {
            target.tables.push_back(*t);
        }
        CHECK(lines(sql::render_sqlite_applied(target, after, o)) == render(before, o));
    }
}

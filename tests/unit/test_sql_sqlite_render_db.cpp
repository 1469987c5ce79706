// The rendered statements run on a real SQLite database: sequences of
// operations over tables that hold rows, checked through sqlite_master and
// the pragmas.
#include "test_ops_support.hpp"

#include "migcheck/sql/introspect.hpp"
#include "migcheck/sql/sqlite_render.hpp"
#include "migcheck/sql/types.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

using namespace ops_test;
using schema::TypeKind;
namespace sql = migcheck::sql;

namespace {

// An in-memory database and the schema model kept beside it, as the scratch
// replay keeps them.
class Scratch {
  public:
    explicit Scratch(const std::string& yaml_tables)
        : m_db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE) {
        for (const auto& table : tables(yaml_tables).tables) {
            run(op(ops::CreateTable{table}));
        }
    }

    // Renders `o` against the model, runs it, applies it to the model, and
    // checks that the database, read back, is what the model says.
    void run(const ops::Operation& o) {
        for (const auto& statement : sql::render_sqlite(m_schema, o)) {
            m_db.exec(statement);
        }
        REQUIRE(apply(m_schema, o) == "");
        CAPTURE(ops::change_name(o.change));
        CHECK(drift() == "");
    }

    void exec(const std::string& statement) { m_db.exec(statement); }

    // The query's rows, one a line, values joined by "|", NULL as NULL.
    std::string rows(const std::string& query) {
        SQLite::Statement q(m_db, query);
        std::string out;
        while (q.executeStep()) {
            for (int i = 0; i < q.getColumnCount(); ++i) {
                const SQLite::Column value = q.getColumn(i);
                out += (i == 0 ? "" : "|") + (value.isNull() ? "NULL" : value.getString());
            }
            out += "\n";
        }
        return out;
    }

    // Every table and index SQLite holds, by name, with its SQL.
    std::string master() {
        return rows("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name");
    }

    const schema::Schema& model() const { return m_schema; }

    // How the database, read back, differs from the model, one difference a
    // line; empty when the model says what SQLite holds.
    std::string drift() {
        std::string out;
        for (const auto& d :
             schema::compare(sql::sqlite_view(m_schema), sql::introspect(m_db, "scratch"))) {
            out += schema::describe(d, "the model", "the database") + "\n";
        }
        return out;
    }

  private:
    SQLite::Database m_db;
    schema::Schema m_schema;
};

const std::string shop = "  organizations:\n"
                         "    columns:\n"
                         "      id: {type: integer, primary_key: true}\n"
                         "      name: {type: string, length: 200, nullable: false, unique: true}\n"
                         "  users:\n"
                         "    columns:\n"
                         "      id: {type: integer, primary_key: true}\n"
                         "      email: {type: string, length: 255, nullable: false}\n"
                         "      org_id: {type: integer, index: true,\n"
                         "               foreign_key: {references: organizations.id}}\n"
                         "      handle: {type: string, length: 50, unique: true, index: true}\n"
                         "      score: integer\n"
                         "    indexes:\n"
                         "      - {name: ix_users_email, columns: [email]}\n";

}  // namespace

TEST_CASE("sqlite render: statements run on SQLite and the rows survive every rebuild") {
    Scratch db(shop);
    db.exec("INSERT INTO organizations VALUES (1, 'acme')");
    db.exec("INSERT INTO users VALUES (1, 'ann@x', 1, 'ann', 5), (2, 'bob@x', 1, 'bob', 7)");

    ops::AlterColumn score = alter("users", "score");
    score.type = schema::Type{};
    score.type->kind = TypeKind::string;
    score.type->length = 10;
    db.run(op(score));  // rebuilt, the values cast to text
    ops::AlterColumn nick = alter("users", "handle");
    nick.new_name = "nick";
    db.run(op(nick));
    db.run(op(ops::DropColumn{"users", "org_id"}));  // keyed and indexed: rebuilt
    schema::Column active = column("active", TypeKind::boolean);
    active.nullable = false;
    active.server_default = "1";
    db.run(op(ops::AddColumn{"users", active}));
    db.run(op(ops::CreateUniqueConstraint{"users", {"uq_users_email", {"email"}, {}}}));
    db.run(op(ops::CreateIndex{"users", {"ix_users_nick_score", {"nick", "score"}, false, {}}}));
    db.run(op(ops::DropIndex{"users", "ix_users_email"}));
    db.run(op(ops::RenameTable{"users", "people"}));
    db.run(op(ops::DropConstraint{"people", "uq_users_email", "unique"}));

    CHECK(db.rows("SELECT id, email, nick, score, typeof(score), active FROM people ORDER BY id") ==
          "1|ann@x|ann|5|text|1\n2|bob@x|bob|7|text|1\n");
    // SQLite quotes the name it writes into a renamed table's SQL.
    CHECK(db.master() ==
          "index|ix_users_handle|people|CREATE UNIQUE INDEX ix_users_handle ON people (nick)\n"
          "index|ix_users_nick_score|people|CREATE INDEX ix_users_nick_score ON people (nick, "
          "score)\n"
          "table|organizations|organizations|CREATE TABLE organizations (\n\tid INTEGER NOT NULL, "
          "\n\tname VARCHAR(200) NOT NULL, \n\tPRIMARY KEY (id), \n\tUNIQUE (name)\n)\n"
          "table|people|people|CREATE TABLE \"people\" (\n\tid INTEGER NOT NULL, \n\temail "
          "VARCHAR(255) NOT NULL, \n\tnick VARCHAR(50), \n\tscore VARCHAR(10), \n\tactive "
          "BOOLEAN DEFAULT 1 NOT NULL, \n\tPRIMARY KEY (id)\n)\n"
          "index|sqlite_autoindex_organizations_1|organizations|NULL\n");
    CHECK(db.rows(
              "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('people')") ==
          "id|INTEGER|1|NULL|1\nemail|VARCHAR(255)|1|NULL|0\nnick|VARCHAR(50)|0|NULL|0\n"
          "score|VARCHAR(10)|0|NULL|0\nactive|BOOLEAN|1|1|0\n");
}

TEST_CASE("sqlite render: keys and foreign keys are rebuilt with the rows") {
    Scratch db("  tags:\n    columns:\n      label: {type: string, nullable: false}\n"
               "      kind: string\n"
               "  notes:\n    columns:\n      id: {type: integer, primary_key: true}\n"
               "      tag: string\n");
    db.exec("INSERT INTO tags VALUES ('red', 'colour'), ('big', 'size')");
    db.exec("INSERT INTO notes VALUES (1, 'red'), (2, NULL)");

    db.run(op(ops::CreatePrimaryKey{"tags", {"pk_tags", {"label", "kind"}, {}}}));
    schema::Column parent = column("parent_id", TypeKind::integer);
    parent.foreign_key = schema::ForeignKeyRef{"notes", "id", "CASCADE", "", "fk_notes_parent"};
    db.run(op(ops::AddColumn{"notes", parent}));
    db.run(op(ops::CreateForeignKey{
        "notes", foreign_key("fk_notes_tag", {"tag", "id"}, "tags", {"label", "kind"})}));
    // The key's columns become NOT NULL.
    CHECK(db.rows("SELECT name, \"notnull\", pk FROM pragma_table_info('tags')") ==
          "label|1|1\nkind|1|2\n");
    CHECK(db.rows("SELECT id, seq, \"table\", \"from\", \"to\", on_delete FROM "
                  "pragma_foreign_key_list('notes') ORDER BY id, seq") ==
          "0|0|notes|parent_id|id|CASCADE\n1|0|tags|tag|label|NO ACTION\n"
          "1|1|tags|id|kind|NO ACTION\n");

    db.run(op(ops::DropConstraint{"tags", "pk_tags", "primary"}));
    db.run(op(ops::DropConstraint{"notes", "fk_notes_parent", "foreignkey"}));
    CHECK(db.rows("SELECT name, \"notnull\", pk FROM pragma_table_info('tags')") ==
          "label|1|0\nkind|1|0\n");
    CHECK(db.rows("SELECT \"table\", \"from\" FROM pragma_foreign_key_list('notes')") ==
          "tags|tag\ntags|id\n");
    CHECK(db.rows("SELECT * FROM tags ORDER BY label") == "big|size\nred|colour\n");
    CHECK(db.rows("SELECT * FROM notes ORDER BY id") == "1|red|NULL\n2|NULL|NULL\n");
    CHECK(db.master() ==
          "table|notes|notes|CREATE TABLE \"notes\" (\n\tid INTEGER NOT NULL, \n\ttag VARCHAR, "
          "\n\tparent_id INTEGER, \n\tPRIMARY KEY (id), \n\tCONSTRAINT fk_notes_tag FOREIGN "
          "KEY(tag, id) REFERENCES tags (label, kind)\n)\n"
          "table|tags|tags|CREATE TABLE \"tags\" (\n\tlabel VARCHAR NOT NULL, \n\tkind VARCHAR "
          "NOT NULL\n)\n");
}

TEST_CASE("sqlite render: SQLite refuses what it refuses when Alembic runs it") {
    Scratch db(shop);
    db.exec("INSERT INTO organizations VALUES (1, 'acme')");
    schema::Column code = column("code", TypeKind::integer);
    code.nullable = false;
    const auto statements =
        sql::render_sqlite(db.model(), op(ops::AddColumn{"organizations", code}));
    REQUIRE(statements ==
            std::vector<std::string>{"ALTER TABLE organizations ADD COLUMN code INTEGER NOT NULL"});
    CHECK_THROWS_WITH_AS(db.exec(statements[0]),
                         "Cannot add a NOT NULL column with default value NULL", SQLite::Exception);
}

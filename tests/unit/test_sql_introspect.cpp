#include "migcheck/sql/introspect.hpp"
#include "migcheck/util/error.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>
#include <string>
#include <vector>

using namespace migcheck;
using Lines = std::vector<std::string>;

namespace {

schema::Schema read(const std::string& sql, const std::string& version_table = "alembic_version") {
    SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec(sql);
    return sql::introspect(db, "db", version_table);
}

std::string list(const std::vector<std::string>& names) {
    std::string out = "(";
    for (std::size_t i = 0; i < names.size(); ++i) {
        out += (i == 0 ? "" : ", ") + names[i];
    }
    return out + ")";
}

std::string or_dash(const std::string& name) {
    return name.empty() ? "-" : name;
}

std::string text(const Lines& lines) {
    std::string out;
    for (const auto& line : lines) {
        out += line + "\n";
    }
    return out;
}

// One line per element of the table, with every field introspection fills
// in; fields SQLite does not keep must stay unset.
std::string elements(const schema::Table& t) {
    Lines out;
    for (const auto& c : t.columns) {
        std::string line = "column " + c.name + " " + schema::render_type(c.type);
        line += c.nullable ? "" : " NOT NULL";
        line += c.primary_key ? " PRIMARY KEY" : "";
        line += c.server_default ? " DEFAULT " + *c.server_default : "";
        if (c.unique || c.index || c.autoincrement || c.foreign_key || !c.comment.empty() ||
            !c.renamed_from.empty()) {
            line += " and fields SQLite does not keep";
        }
        out.push_back(line);
    }
    if (t.primary_key) {
        out.push_back("primary key " + or_dash(t.primary_key->name) + " " +
                      list(t.primary_key->columns));
    }
    for (const auto& i : t.indexes) {
        out.push_back("index " + i.name + " " + list(i.columns) + (i.unique ? " unique" : ""));
    }
    for (const auto& u : t.unique_constraints) {
        out.push_back("unique " + or_dash(u.name) + " " + list(u.columns));
    }
    for (const auto& fk : t.foreign_keys) {
        std::string line = "foreign key " + or_dash(fk.name) + " " + list(fk.columns) + " -> " +
                           fk.referred_table + " " + list(fk.referred_columns);
        line += fk.on_delete.empty() ? "" : " ON DELETE " + fk.on_delete;
        line += fk.on_update.empty() ? "" : " ON UPDATE " + fk.on_update;
        out.push_back(line);
    }
    return text(out);
}

std::string table_names(const schema::Schema& s) {
    Lines out;
    for (const auto& t : s.tables) {
        out.push_back(t.name);
    }
    return text(out);
}

// Elements whose Location is not the label without a line.
std::string misplaced(const schema::Schema& s) {
    const schema::Location db{"db", 0};
    Lines out;
    for (const auto& t : s.tables) {
        auto check = [&](const schema::Location& where, const std::string& what) {
            if (where != db) {
                out.push_back(t.name + " " + what + " at " + schema::to_string(where));
            }
        };
        check(t.where, "table");
        for (const auto& c : t.columns) {
            check(c.where, c.name);
        }
        if (t.primary_key) {
            check(t.primary_key->where, "primary key");
        }
        for (const auto& i : t.indexes) {
            check(i.where, i.name);
        }
        for (const auto& u : t.unique_constraints) {
            check(u.where, "unique " + list(u.columns));
        }
        for (const auto& fk : t.foreign_keys) {
            check(fk.where, "foreign key " + list(fk.columns));
        }
    }
    return text(out);
}

}  // namespace

TEST_CASE("sqlite introspect: every schema.yaml type, defaults and nullability") {
    auto s = read("CREATE TABLE users (\n"
                  "\tid INTEGER NOT NULL, \n"
                  "\temail VARCHAR(255) NOT NULL, \n"
                  "\tdisplay_name VARCHAR, \n"
                  "\tis_active BOOLEAN DEFAULT '1' NOT NULL, \n"
                  "\tcreated_at DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL, \n"
                  "\tupdated_at DATETIME DEFAULT (datetime('now')), \n"
                  "\tbalance NUMERIC(12, 2), \n"
                  "\tstatus VARCHAR(9), \n"
                  "\tvisits BIGINT DEFAULT '0', \n"
                  "\trank SMALLINT DEFAULT 0, \n"
                  "\tbio TEXT DEFAULT 'x', \n"
                  "\tborn DATE, \n"
                  "\twakes TIME, \n"
                  "\tscore FLOAT, \n"
                  "\tprefs JSON, \n"
                  "\tavatar BLOB, \n"
                  "\ttoken CHAR(32), \n"
                  "\tcode CHAR(10), \n"
                  "\tPRIMARY KEY (id)\n"
                  ");\n");
    REQUIRE(s.tables.size() == 1);
    CHECK(s.tables[0].name == "users");
    CHECK(
        elements(s.tables[0]) ==
        text({"column id Integer NOT NULL PRIMARY KEY", "column email String(255) NOT NULL",
              "column display_name String", "column is_active Boolean NOT NULL DEFAULT '1'",
              "column created_at DateTime NOT NULL DEFAULT CURRENT_TIMESTAMP",
              "column updated_at DateTime DEFAULT datetime('now')", "column balance Numeric(12, 2)",
              "column status String(9)", "column visits BigInteger DEFAULT '0'",
              "column rank SmallInteger DEFAULT 0", "column bio Text DEFAULT 'x'",
              "column born Date", "column wakes Time", "column score Float", "column prefs JSON",
              "column avatar LargeBinary", "column token Uuid", "column code CHAR(10)"}));
    CHECK(misplaced(s) == "");
}

TEST_CASE("sqlite introspect: primary keys") {
    auto s = read("CREATE TABLE plain (\n\tid INTEGER NOT NULL, \n\tPRIMARY KEY (id)\n);\n"
                  "CREATE TABLE counted (\n\tid INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT\n);\n"
                  "CREATE TABLE rowid_alias (id INTEGER PRIMARY KEY, x TEXT);\n"
                  "CREATE TABLE pairs (\n"
                  "\torg_id INTEGER NOT NULL, \n"
                  "\tuser_id INTEGER NOT NULL, \n"
                  "\tPRIMARY KEY (user_id, org_id)\n"
                  ");\n"
                  "CREATE TABLE named (\n"
                  "\tcode VARCHAR(8) NOT NULL, \n"
                  "\tCONSTRAINT pk_named PRIMARY KEY (code)\n"
                  ");\n"
                  "CREATE TABLE inline_named (id INTEGER CONSTRAINT pk_inline PRIMARY KEY);\n"
                  "CREATE TABLE clustered (a TEXT, b TEXT, CONSTRAINT pk_ab PRIMARY KEY (b, a)) "
                  "WITHOUT ROWID;\n"
                  "CREATE TABLE keyless (\n\tx INTEGER\n);\n");
    REQUIRE(s.tables.size() == 8);
    CHECK(table_names(s) == text({"plain", "counted", "rowid_alias", "pairs", "named",
                                  "inline_named", "clustered", "keyless"}));
    CHECK(elements(s.tables[0]) == text({"column id Integer NOT NULL PRIMARY KEY"}));
    CHECK(elements(s.tables[1]) == text({"column id Integer NOT NULL PRIMARY KEY"}));
    // SQLite reports a key column declared without NOT NULL as nullable.
    CHECK(elements(s.tables[2]) == text({"column id Integer PRIMARY KEY", "column x Text"}));
    CHECK(elements(s.tables[3]) ==
          text({"column org_id Integer NOT NULL PRIMARY KEY",
                "column user_id Integer NOT NULL PRIMARY KEY", "primary key - (user_id, org_id)"}));
    CHECK(elements(s.tables[4]) ==
          text({"column code String(8) NOT NULL PRIMARY KEY", "primary key pk_named (code)"}));
    CHECK(elements(s.tables[5]) ==
          text({"column id Integer PRIMARY KEY", "primary key pk_inline (id)"}));
    CHECK(elements(s.tables[6]) ==
          text({"column a Text NOT NULL PRIMARY KEY", "column b Text NOT NULL PRIMARY KEY",
                "primary key pk_ab (b, a)"}));
    CHECK(elements(s.tables[7]) == text({"column x Integer"}));
    CHECK(s.tables[7].primary_key_columns().empty());
    CHECK(misplaced(s) == "");
}

TEST_CASE("sqlite introspect: unique constraints and unique indexes") {
    auto s =
        read("CREATE TABLE u (\n"
             "\ta INTEGER, \n"
             "\tb INTEGER, \n"
             "\tc INTEGER, \n"
             "\td VARCHAR(5), \n"
             "\te INTEGER, \n"
             "\tCONSTRAINT uq_u_ba UNIQUE (b, a), \n"
             "\tUNIQUE (a, e), \n"
             "\tUNIQUE (c)\n"
             ");\n"
             "CREATE INDEX ix_u_ab ON u (a, b);\n"
             "CREATE UNIQUE INDEX ix_u_d ON u (d);\n"
             "CREATE UNIQUE INDEX ix_u_e ON u (e);\n"
             "CREATE INDEX ix_u_lower ON u (lower(d) COLLATE NOCASE DESC, e DESC) WHERE e > 0;\n"
             // Constraints on the same columns in the same order are one index
             // to SQLite; a column spelled in another case is the same column.
             "CREATE TABLE v (a INTEGER UNIQUE, b INTEGER, "
             "CONSTRAINT uq_v_a UNIQUE (A), CONSTRAINT uq_v_ab UNIQUE (b, a), "
             "CONSTRAINT uq_v_ba UNIQUE (a, b));\n");
    REQUIRE(s.tables.size() == 2);
    CHECK(elements(s.tables[0]) ==
          text({"column a Integer", "column b Integer", "column c Integer", "column d String(5)",
                "column e Integer", "index ix_u_ab (a, b)", "index ix_u_d (d) unique",
                "index ix_u_e (e) unique", "index ix_u_lower (lower(d), e)",
                "unique uq_u_ba (b, a)", "unique - (a, e)", "unique - (c)"}));
    CHECK(elements(s.tables[1]) ==
          text({"column a Integer", "column b Integer", "unique uq_v_a (a)",
                "unique uq_v_ab (b, a)", "unique uq_v_ba (a, b)"}));
    CHECK(misplaced(s) == "");
}

TEST_CASE("sqlite introspect: foreign keys") {
    auto s = read("CREATE TABLE p (\n"
                  "\tid INTEGER NOT NULL, \n"
                  "\tk INTEGER NOT NULL, \n"
                  "\tcode VARCHAR(5), \n"
                  "\tPRIMARY KEY (id, k), \n"
                  "\tUNIQUE (code)\n"
                  ");\n"
                  "CREATE TABLE c (\n"
                  "\tid INTEGER NOT NULL, \n"
                  "\tp_id INTEGER, \n"
                  "\tp_k INTEGER, \n"
                  "\tcode VARCHAR(5), \n"
                  "\tPRIMARY KEY (id), \n"
                  "\tCONSTRAINT fk_c_p FOREIGN KEY(p_id, p_k) REFERENCES p (id, k) ON DELETE "
                  "CASCADE, \n"
                  "\tCONSTRAINT fk_c_self FOREIGN KEY(p_id) REFERENCES c (id), \n"
                  "\tFOREIGN KEY(p_id) REFERENCES p (id), \n"
                  "\tFOREIGN KEY(code) REFERENCES p (code) ON DELETE RESTRICT ON UPDATE SET NULL\n"
                  ");\n"
                  // Without columns, REFERENCES means the referred table's key.
                  "CREATE TABLE d (x INTEGER, y INTEGER, z INTEGER CONSTRAINT fk_d_z REFERENCES c, "
                  "FOREIGN KEY (y, x) REFERENCES p ON UPDATE CASCADE);\n");
    REQUIRE(s.tables.size() == 3);
    CHECK(elements(s.tables[1]) ==
          text({"column id Integer NOT NULL PRIMARY KEY", "column p_id Integer",
                "column p_k Integer", "column code String(5)",
                "foreign key fk_c_p (p_id, p_k) -> p (id, k) ON DELETE CASCADE",
                "foreign key fk_c_self (p_id) -> c (id)", "foreign key - (p_id) -> p (id)",
                "foreign key - (code) -> p (code) ON DELETE RESTRICT ON UPDATE SET NULL"}));
    CHECK(elements(s.tables[2]) == text({"column x Integer", "column y Integer", "column z Integer",
                                         "foreign key fk_d_z (z) -> c (id)",
                                         "foreign key - (y, x) -> p (id, k) ON UPDATE CASCADE"}));
    CHECK(misplaced(s) == "");
}

TEST_CASE("sqlite introspect: quoted identifiers come back unquoted") {
    auto s = read("CREATE TABLE \"order\" (\n"
                  "\tid INTEGER NOT NULL, \n"
                  "\t\"select\" VARCHAR(10), \n"
                  "\t\"group\" INTEGER, \n"
                  "\tCONSTRAINT pk_order PRIMARY KEY (id), \n"
                  "\tCONSTRAINT \"uq order select\" UNIQUE (\"select\"), \n"
                  "\tCONSTRAINT \"fk \"\"group\"\"\" FOREIGN KEY(\"group\") REFERENCES \"order\" "
                  "(id)\n"
                  ");\n"
                  "CREATE INDEX ix_order_group ON \"order\" (\"group\");\n"
                  "CREATE TABLE [my table] (`key` INTEGER CONSTRAINT [uq key] UNIQUE, "
                  "[from] TEXT CONSTRAINT `fk from` REFERENCES \"order\" (\"select\"));\n");
    REQUIRE(s.tables.size() == 2);
    CHECK(table_names(s) == text({"order", "my table"}));
    CHECK(elements(s.tables[0]) ==
          text({"column id Integer NOT NULL PRIMARY KEY", "column select String(10)",
                "column group Integer", "primary key pk_order (id)", "index ix_order_group (group)",
                "unique uq order select (select)",
                "foreign key fk \"group\" (group) -> order (id)"}));
    CHECK(elements(s.tables[1]) ==
          text({"column key Integer", "column from Text", "unique uq key (key)",
                "foreign key fk from (from) -> order (select)"}));
}

TEST_CASE("sqlite introspect: a column added by ALTER TABLE") {
    // SQLite writes the added column into the CREATE TABLE text after the
    // last column, before the table's constraints.
    auto s = read("CREATE TABLE p (\n\tid INTEGER NOT NULL, \n\tPRIMARY KEY (id)\n);\n"
                  "CREATE TABLE t (\n"
                  "\tid INTEGER NOT NULL, \n"
                  "\tname VARCHAR(20), \n"
                  "\tPRIMARY KEY (id), \n"
                  "\tCONSTRAINT uq_t_name UNIQUE (name)\n"
                  ");\n"
                  "ALTER TABLE t ADD COLUMN note VARCHAR(20) DEFAULT 'n/a' NOT NULL;\n"
                  "ALTER TABLE t ADD COLUMN p_id INTEGER CONSTRAINT fk_t_p REFERENCES p (id) "
                  "ON DELETE SET NULL;\n"
                  "CREATE INDEX ix_t_note ON t (note);\n");
    REQUIRE(s.tables.size() == 2);
    CHECK(elements(s.tables[1]) ==
          text({"column id Integer NOT NULL PRIMARY KEY", "column name String(20)",
                "column note String(20) NOT NULL DEFAULT 'n/a'", "column p_id Integer",
                "index ix_t_note (note)", "unique uq_t_name (name)",
                "foreign key fk_t_p (p_id) -> p (id) ON DELETE SET NULL"}));
}

TEST_CASE("sqlite introspect: the version table and SQLite's own tables are skipped") {
    std::string sql =
        "CREATE TABLE alembic_version (\n"
        "\tversion_num VARCHAR(32) NOT NULL, \n"
        "\tCONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n"
        ");\n"
        "CREATE TABLE counted (\n\tid INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT\n);\n"
        "INSERT INTO counted DEFAULT VALUES;\n"
        "CREATE TABLE history (\n\tversion_num VARCHAR(32) NOT NULL\n);\n"
        "CREATE VIEW v AS SELECT id FROM counted;\n";
    CHECK(table_names(read(sql)) == text({"counted", "history"}));
    CHECK(table_names(read(sql, "history")) == text({"alembic_version", "counted"}));
}

TEST_CASE("sqlite introspect: a table rebuilt by rename, as batch mode does") {
    auto s = read("CREATE TABLE p (\n\tid INTEGER NOT NULL, \n\tPRIMARY KEY (id)\n);\n"
                  "CREATE TABLE t (\n"
                  "\tid INTEGER NOT NULL, \n"
                  "\tname VARCHAR(20), \n"
                  "\tPRIMARY KEY (id)\n"
                  ");\n"
                  "CREATE INDEX ix_t_name ON t (name);\n"
                  "INSERT INTO t (id, name) VALUES (1, 'a');\n"
                  "CREATE TABLE _alembic_tmp_t (\n"
                  "\tid INTEGER NOT NULL, \n"
                  "\tname VARCHAR(40) NOT NULL, \n"
                  "\tp_id INTEGER, \n"
                  "\tCONSTRAINT pk_t PRIMARY KEY (id), \n"
                  "\tCONSTRAINT uq_t_name UNIQUE (name), \n"
                  "\tCONSTRAINT fk_t_p_id_p FOREIGN KEY(p_id) REFERENCES p (id)\n"
                  ");\n"
                  "INSERT INTO _alembic_tmp_t (id, name) SELECT t.id, t.name FROM t;\n"
                  "DROP TABLE t;\n"
                  "ALTER TABLE _alembic_tmp_t RENAME TO t;\n"
                  "CREATE INDEX ix_t_name ON t (name);\n");
    REQUIRE(s.tables.size() == 2);
    CHECK(s.tables[1].name == "t");
    CHECK(elements(s.tables[1]) ==
          text({"column id Integer NOT NULL PRIMARY KEY", "column name String(40) NOT NULL",
                "column p_id Integer", "primary key pk_t (id)", "index ix_t_name (name)",
                "unique uq_t_name (name)", "foreign key fk_t_p_id_p (p_id) -> p (id)"}));
    CHECK(misplaced(s) == "");
}

TEST_CASE("sqlite introspect: an empty database, and one SQLite cannot read") {
    CHECK(read("").tables.empty());
    SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE TABLE t (a INTEGER);\n"
            "PRAGMA writable_schema = ON;\n"
            "UPDATE sqlite_master SET sql = 'CREATE TABLE t (a' WHERE name = 't';\n"
            "PRAGMA writable_schema = OFF;\n");
    db.exec("PRAGMA writable_schema = RESET");
    try {
        sql::introspect(db, "app.db");
        FAIL("introspect read a malformed schema");
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::runtime);
        CHECK(std::string(e.what()) == "app.db: cannot read the database's schema: malformed "
                                       "database schema (t) - incomplete input");
    }
}

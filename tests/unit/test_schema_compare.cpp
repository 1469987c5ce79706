#include "migcheck/schema/compare.hpp"
#include "migcheck/schema/yaml_loader.hpp"

#include <doctest/doctest.h>
#include <string>
#include <vector>

using namespace migcheck::schema;

namespace {

using Lines = std::vector<std::string>;

// Both sides are written in schema.yaml's format for brevity; the actual side
// is named as if it were the models. Tables start on line 3.
Schema expected_side(const std::string& tables) {
    return load_schema_yaml("version: 1\ntables:\n" + tables, "config/schema.yaml");
}

Schema actual_side(const std::string& tables) {
    return load_schema_yaml("version: 1\ntables:\n" + tables, "app/models.py");
}

Lines describe_all(const Schema& expected, const Schema& actual) {
    Lines out;
    for (const auto& d : compare(expected, actual)) {
        out.push_back(describe(d, "config/schema.yaml", "the models"));
    }
    return out;
}

Lines differences(const std::string& expected, const std::string& actual) {
    return describe_all(expected_side(expected), actual_side(actual));
}

// One message a line, so that a failure shows them.
std::string lines(const Lines& messages) {
    std::string out;
    for (const auto& m : messages) {
        out += m + "\n";
    }
    return out;
}

// One table t whose columns are the flow mapping `columns`, plus `rest`.
std::string table_t(const std::string& columns, const std::string& rest = "") {
    return "  t:\n    columns: {" + columns + "}\n" + rest;
}

Column column(const std::string& name, TypeKind kind) {
    Column c;
    c.name = name;
    c.type.kind = kind;
    return c;
}

}  // namespace

TEST_CASE("a schema equals itself and its reordering") {
    std::string tables = "  p:\n    columns:\n      id: {type: integer, primary_key: true}\n"
                         "  c:\n    columns:\n      id: {type: integer, primary_key: true}\n"
                         "      p_id: {type: integer, foreign_key: {references: p.id}}\n";
    std::string reordered = "  c:\n    columns:\n"
                            "      p_id: {type: integer, foreign_key: {references: p.id}}\n"
                            "      id: {type: integer, primary_key: true}\n"
                            "  p:\n    columns:\n      id: {type: integer, primary_key: true}\n";
    CHECK(differences(tables, tables).empty());
    CHECK(differences(tables, reordered).empty());
    CHECK(differences("", "").empty());
}

TEST_CASE("no false differences: each normalisation rule") {
    struct Case {
        const char* rule;
        std::string expected;
        std::string actual;
    };
    std::vector<Case> cases = {
        {"column order", table_t("a: integer, b: string, c: text"),
         table_t("c: text, a: integer, b: string")},
        {"boolean default 1 and (true)", table_t("f: {type: boolean, server_default: \"1\"}"),
         table_t("f: {type: boolean, server_default: \"(true)\"}")},
        {"boolean default 'true' and true",
         table_t("f: {type: boolean, server_default: \"'true'\"}"),
         table_t("f: {type: boolean, server_default: \"true\"}")},
        {"boolean default '1' and TRUE", table_t("f: {type: boolean, server_default: \"'1'\"}"),
         table_t("f: {type: boolean, server_default: \"TRUE\"}")},
        {"boolean default 't' and 1", table_t("f: {type: boolean, server_default: \"'t'\"}"),
         table_t("f: {type: boolean, server_default: \"1\"}")},
        {"boolean default 0 and false", table_t("f: {type: boolean, server_default: \"0\"}"),
         table_t("f: {type: boolean, server_default: \"(false)\"}")},
        {"(CURRENT_TIMESTAMP) and current_timestamp",
         table_t("at: {type: datetime, server_default: \"(CURRENT_TIMESTAMP)\"}"),
         table_t("at: {type: datetime, server_default: current_timestamp}")},
        {"'en' and ('en')", table_t("lang: {type: string, server_default: \"'en'\"}"),
         table_t("lang: {type: string, server_default: \"('en')\"}")},
        {"integer 0 and '0'", table_t("n: {type: integer, server_default: \"0\"}"),
         table_t("n: {type: integer, server_default: \"'0'\"}")},
        {"numeric 1.50 and 1.5", table_t("n: {type: numeric, server_default: \"1.50\"}"),
         table_t("n: {type: numeric, server_default: \"(1.5)\"}")},
        {"string 0 and '0'", table_t("s: {type: string, server_default: \"0\"}"),
         table_t("s: {type: string, server_default: \"'0'\"}")},
        {"function name case and spaces",
         table_t("at: {type: datetime, server_default: \"now()\"}"),
         table_t("at: {type: datetime, server_default: \"NOW( )\"}")},
        {"DEFAULT NULL is no default", table_t("s: {type: text, server_default: \"NULL\"}"),
         table_t("s: text")},
        {"unique: true and an unnamed one-column constraint",
         table_t("e: {type: string, unique: true}"),
         table_t("e: string", "    unique_constraints: [{columns: [e]}]\n")},
        {"unique: true and a named one-column constraint",
         table_t("e: {type: string, unique: true}"),
         table_t("e: string", "    unique_constraints: [{name: uq_t_e, columns: [e]}]\n")},
        {"constraint columns in another order",
         table_t("a: integer, b: integer",
                 "    unique_constraints: [{name: uq, columns: [a, b]}]\n"),
         table_t("a: integer, b: integer", "    unique_constraints: [{columns: [b, a]}]\n")},
        {"index: true and op.f('ix_t_e')", table_t("e: {type: string, index: true}"),
         table_t("e: string", "    indexes: [{name: ix_t_e, columns: [e]}]\n")},
        {"index and unique together and a unique index ix_t_e",
         table_t("e: {type: string, index: true, unique: true}"),
         table_t("e: string", "    indexes: [{name: ix_t_e, columns: [e], unique: true}]\n")},
        {"foreign key action case and NO ACTION",
         "  p: {columns: {id: integer}}\n" +
             table_t("p_id: {type: integer, foreign_key: {references: p.id, on_delete: cascade, "
                     "on_update: NO ACTION}}"),
         "  p: {columns: {id: integer}}\n" +
             table_t("p_id: {type: integer, foreign_key: {references: p.id, on_delete: "
                     "CASCADE}}")},
        {"foreign key named on one side only",
         "  p: {columns: {id: integer}}\n" +
             table_t("p_id: {type: integer, foreign_key: {references: p.id, name: fk_t_p}}"),
         "  p: {columns: {id: integer}}\n" +
             table_t("p_id: {type: integer, foreign_key: {references: p.id}}")},
        {"renamed_from is a hint",
         table_t("a: {type: integer, renamed_from: b}", "    renamed_from: u\n"),
         table_t("a: integer")},
        {"autoincrement set to what SQLAlchemy would use",
         table_t("id: {type: integer, primary_key: true, autoincrement: true}, "
                 "n: {type: integer, autoincrement: false}, m: {type: integer, autoincrement: "
                 "true}"),
         table_t("id: {type: integer, primary_key: true}, n: integer, m: integer")},
        {"autoincrement: false where SQLAlchemy would not use it",
         table_t("a: {type: integer, primary_key: true, autoincrement: false}, "
                 "b: {type: integer, primary_key: true}"),
         table_t("a: {type: integer, primary_key: true}, b: {type: integer, primary_key: true}")},
        {"comments and enums",
         table_t("s: {type: enum, values: [a, b], enum_name: st, comment: x}", "    comment: y\n"),
         table_t("s: {type: enum, values: [a, b], enum_name: st, comment: x}", "    comment: y\n")},
        {"parameters travel with their column", table_t("a: {type: string, length: 5}, b: text"),
         table_t("b: text, a: {type: string, length: 5}")},
    };
    for (const auto& c : cases) {
        CAPTURE(std::string(c.rule));
        CHECK(lines(differences(c.expected, c.actual)) == "");
    }
}

TEST_CASE("no false differences: what only the models express") {
    Schema expected = expected_side(table_t("a: {type: integer, primary_key: true}, "
                                            "b: {type: integer, primary_key: true}, "
                                            "x: integer, y: integer") +
                                    "  p:\n    columns: {a: integer, b: integer, id: integer}\n"
                                    "    unique_constraints: [{columns: [a, b]}]\n");
    Schema actual = expected;
    Table& t = actual.tables[0];
    // A key column that says nullable is NOT NULL all the same.
    t.find_column("a")->nullable = true;
    // A table-level key in another order, named on one side only.
    for (auto& c : t.columns) {
        c.primary_key = false;
    }
    t.primary_key = PrimaryKey{"pk_t", {"b", "a"}, {}};
    // The same places anywhere else.
    t.where = Location{"elsewhere.py", 99};
    CHECK(describe_all(expected, actual) == Lines{});

    // A composite foreign key, its pairs listed in another order.
    expected.tables[0].foreign_keys.push_back(
        ForeignKey{"", {"x", "y"}, "p", {"a", "b"}, "", "", {}});
    actual.tables[0].foreign_keys.push_back(
        ForeignKey{"fk", {"y", "x"}, "p", {"b", "a"}, "no action", "", {}});
    CHECK(describe_all(expected, actual) == Lines{});

    // A table-level foreign key on one column and a column-level one.
    expected.tables[0].find_column("x")->foreign_key = ForeignKeyRef{"p", "id", "CASCADE", "", ""};
    actual.tables[0].foreign_keys.push_back(ForeignKey{"", {"x"}, "p", {"id"}, "cascade", "", {}});
    CHECK(describe_all(expected, actual) == Lines{});
}

TEST_CASE("each kind of difference, in words") {
    struct Case {
        const char* kind;
        std::string expected;
        std::string actual;
        Lines messages;
    };
    const std::string p = "  p: {columns: {id: integer, code: string}}\n";
    std::vector<Case> cases = {
        {"table_missing",
         "  a: {columns: {id: integer}}\n  b: {columns: {id: integer}}\n",
         "  a: {columns: {id: integer}}\n",
         {"table b: declared in config/schema.yaml:4 but not in the models"}},
        {"table_extra",
         "  a: {columns: {id: integer}}\n",
         "  a: {columns: {id: integer}}\n  c: {columns: {id: integer}}\n",
         {"table c: declared in app/models.py:4 but not in config/schema.yaml"}},
        {"a table rename not made",
         "  accounts: {columns: {id: integer}, renamed_from: users}\n",
         "  users: {columns: {id: integer}}\n",
         {"table accounts: declared in config/schema.yaml:3 but not in the models; it is "
          "declared as renamed from users, which is still there: the rename has not been made",
          "table users: declared in app/models.py:3 but not in config/schema.yaml; accounts is "
          "declared as renamed from it: the rename has not been made"}},
        {"column_missing and column_extra",
         table_t("id: integer, nickname: string"),
         table_t("id: integer, legacy: text"),
         {"column t.legacy: declared in app/models.py:4 but not in config/schema.yaml:3",
          "column t.nickname: declared in config/schema.yaml:4 but not in app/models.py:3"}},
        {"a column rename not made",
         table_t("nickname: {type: string, renamed_from: handle}"),
         table_t("handle: string"),
         {"column t.handle: declared in app/models.py:4 but not in config/schema.yaml:3; "
          "nickname is declared as renamed from it: the rename has not been made",
          "column t.nickname: declared in config/schema.yaml:4 but not in app/models.py:3; it is "
          "declared as renamed from handle, which is still there: the rename has not been made"}},
        {"type: length",
         table_t("email: {type: string, length: 255}"),
         table_t("email: {type: string, length: 200}"),
         {"column t.email: type String(255) in config/schema.yaml:4 but String(200) in "
          "app/models.py:4"}},
        {"type: a length on one side only",
         table_t("email: {type: string, length: 255}"),
         table_t("email: string"),
         {"column t.email: type String(255) in config/schema.yaml:4 but String in "
          "app/models.py:4"}},
        {"type: kind",
         table_t("n: integer"),
         table_t("n: biginteger"),
         {"column t.n: type Integer in config/schema.yaml:4 but BigInteger in app/models.py:4"}},
        {"type: timezone",
         table_t("at: {type: datetime, timezone: true}"),
         table_t("at: datetime"),
         {"column t.at: type DateTime(timezone=True) in config/schema.yaml:4 but DateTime in "
          "app/models.py:4"}},
        {"type: enum values in order",
         table_t("s: {type: enum, values: [a, b], enum_name: st}"),
         table_t("s: {type: enum, values: [b, a], enum_name: st}"),
         {"column t.s: type Enum('a', 'b', name='st') in config/schema.yaml:4 but Enum('b', 'a', "
          "name='st') in app/models.py:4"}},
        {"type: numeric scale",
         table_t("n: {type: numeric, precision: 12, scale: 2}"),
         table_t("n: {type: numeric, precision: 12, scale: 4}"),
         {"column t.n: type Numeric(12, 2) in config/schema.yaml:4 but Numeric(12, 4) in "
          "app/models.py:4"}},
        {"nullable",
         table_t("a: {type: integer, nullable: false}"),
         table_t("a: integer"),
         {"column t.a: NOT NULL in config/schema.yaml:4 but nullable in app/models.py:4"}},
        {"primary_key",
         table_t("a: {type: integer, primary_key: true}, b: {type: integer, "
                 "primary_key: true}"),
         table_t("a: {type: integer, primary_key: true}, b: {type: integer, nullable: false}"),
         {"column t.b: primary key in config/schema.yaml:4 but not primary key in "
          "app/models.py:4"}},
        {"autoincrement",
         table_t("id: {type: integer, primary_key: true, autoincrement: false}"),
         table_t("id: {type: integer, primary_key: true}"),
         {"column t.id: autoincrement=False in config/schema.yaml:4 but autoincrement=True in "
          "app/models.py:4"}},
        {"server_default: values",
         table_t("n: {type: integer, server_default: \"0\"}"),
         table_t("n: {type: integer, server_default: \"1\"}"),
         {"column t.n: server default 0 in config/schema.yaml:4 but 1 in app/models.py:4"}},
        {"server_default: one side",
         table_t("at: {type: datetime, server_default: now()}"),
         table_t("at: datetime"),
         {"column t.at: server default now() in config/schema.yaml:4 but none in "
          "app/models.py:4"}},
        {"server_default: missing quotes",
         table_t("lang: {type: string, server_default: en}"),
         table_t("lang: {type: string, server_default: \"'en'\"}"),
         {"column t.lang: server default en in config/schema.yaml:4 but 'en' in app/models.py:4; "
          "server_default is SQL text: a string needs single quotes inside, as in "
          "server_default: \"'en'\""}},
        {"foreign_key: action",
         p + table_t("p_id: {type: integer, foreign_key: {references: p.id, on_delete: CASCADE}}"),
         p + table_t("p_id: {type: integer, foreign_key: {references: p.id}}"),
         {"column t.p_id: foreign key to p.id ON DELETE CASCADE in config/schema.yaml:5 but to "
          "p.id in app/models.py:5"}},
        {"foreign_key: target",
         p + table_t("p_id: {type: integer, foreign_key: {references: p.id}}"),
         p + table_t("p_id: {type: integer, foreign_key: {references: p.code, on_update: "
                     "cascade}}"),
         {"column t.p_id: foreign key to p.id in config/schema.yaml:5 but to p.code ON UPDATE "
          "CASCADE in app/models.py:5"}},
        {"foreign_key: both named differently",
         p + table_t("p_id: {type: integer, foreign_key: {references: p.id, name: fk_a}}"),
         p + table_t("p_id: {type: integer, foreign_key: {references: p.id, name: fk_b}}"),
         {"column t.p_id: foreign key to p.id named fk_a in config/schema.yaml:5 but to p.id "
          "named fk_b in app/models.py:5"}},
        {"foreign_key: missing and extra",
         p + table_t("a: {type: integer, foreign_key: {references: p.id, name: fk_a}}, b: integer"),
         p + table_t("a: integer, b: {type: integer, foreign_key: {references: p.id}}"),
         {"column t.a: foreign key to p.id named fk_a in config/schema.yaml:5 but not in "
          "app/models.py:4",
          "column t.b: foreign key to p.id in app/models.py:5 but not in config/schema.yaml:4"}},
        {"unique: missing and extra",
         table_t("a: {type: string, unique: true}, b: string"),
         table_t("a: string, b: {type: string, unique: true}"),
         {"column t.a: unique constraint (a) in config/schema.yaml:4 but not in app/models.py:3",
          "column t.b: unique constraint (b) in app/models.py:4 but not in config/schema.yaml:3"}},
        {"unique: both named differently",
         table_t("a: integer, b: integer",
                 "    unique_constraints: [{name: uq_a, columns: [a, b]}]\n"),
         table_t("a: integer, b: integer",
                 "    unique_constraints: [{name: uq_b, columns: [a, b]}]\n"),
         {"table t: unique constraint uq_a (a, b) in config/schema.yaml:5 but uq_b (a, b) in "
          "app/models.py:5"}},
        {"unique: same name, other columns",
         table_t("a: integer, b: integer",
                 "    unique_constraints: [{name: uq, columns: [a, b]}]\n"),
         table_t("a: integer, b: integer", "    unique_constraints: [{name: uq, columns: [a]}]\n"),
         {"table t: unique constraint uq (a, b) in config/schema.yaml:5 but uq (a) in "
          "app/models.py:5"}},
        {"a unique constraint equals a unique index on the same columns",
         table_t("e: {type: string, unique: true}, f: string"),
         table_t("e: string, f: string",
                 "    indexes: [{name: ix_t_e, columns: [e], unique: true}]\n"),
         {}},
        {"a unique index does not stand for a constraint on other columns",
         table_t("e: {type: string, unique: true}, f: string"),
         table_t("e: string, f: string",
                 "    indexes: [{name: ix_t_f, columns: [f], unique: true}]\n"),
         {"column t.e: unique constraint (e) in config/schema.yaml:4 but not in app/models.py:3",
          "column t.f: index ix_t_f (f) unique in app/models.py:5 but not in config/schema.yaml:3"}},
        {"index: missing and extra",
         table_t("a: {type: string, index: true}, b: string, c: string",
                 "    indexes: [{name: ix_bc, columns: [b, c]}]\n"),
         table_t("a: string, b: string, c: string"),
         {"table t: index ix_bc (b, c) in config/schema.yaml:5 but not in app/models.py:3",
          "column t.a: index ix_t_a (a) in config/schema.yaml:4 but not in app/models.py:3"}},
        {"index: columns in another order",
         table_t("b: string, c: string", "    indexes: [{name: ix_bc, columns: [b, c]}]\n"),
         table_t("b: string, c: string", "    indexes: [{name: ix_bc, columns: [c, b]}]\n"),
         {"table t: index ix_bc (b, c) in config/schema.yaml:5 but ix_bc (c, b) in "
          "app/models.py:5"}},
        {"index: uniqueness",
         table_t("e: {type: string, index: true}"),
         table_t("e: {type: string, index: true, unique: true}"),
         {"column t.e: index ix_t_e (e) in config/schema.yaml:4 but ix_t_e (e) unique in "
          "app/models.py:4"}},
        {"index: renamed",
         table_t("e: {type: string, index: true}"),
         table_t("e: string", "    indexes: [{name: ix_email, columns: [e]}]\n"),
         {"column t.e: index ix_t_e (e) in config/schema.yaml:4 but ix_email (e) in "
          "app/models.py:5"}},
        {"comment: table",
         table_t("a: integer", "    comment: People.\n"),
         table_t("a: integer"),
         {"table t: comment \"People.\" in config/schema.yaml:3 but none in app/models.py:3"}},
        {"comment: column",
         table_t("a: {type: integer, comment: old}"),
         table_t("a: {type: integer, comment: new}"),
         {"column t.a: comment \"old\" in config/schema.yaml:4 but \"new\" in app/models.py:4"}},
    };
    for (const auto& c : cases) {
        CAPTURE(std::string(c.kind));
        CHECK(lines(differences(c.expected, c.actual)) == lines(c.messages));
    }
}

TEST_CASE("differences come sorted, with their data") {
    Schema expected =
        expected_side("  b:\n    columns: {id: integer, x: {type: string, length: 5}}\n"
                      "  a:\n    columns: {id: integer, y: integer}\n");
    Schema actual = actual_side("  a:\n    columns: {y: {type: integer, nullable: false}}\n"
                                "  c: {columns: {id: integer}}\n"
                                "  b:\n    columns: {id: integer, x: text}\n");
    auto diffs = compare(expected, actual);
    std::vector<std::string> summary;
    for (const auto& d : diffs) {
        summary.push_back(d.table + "." + d.column + " " + difference_kind_name(d.kind) + " " +
                          d.expected + " | " + d.actual);
    }
    CHECK(summary == Lines{"a.id column_missing  | ", "a.y nullable nullable | NOT NULL",
                           "b.x type String(5) | Text", "c. table_extra  | "});
    REQUIRE(diffs.size() == 4);
    CHECK(diffs[0].expected_at == Location{"config/schema.yaml", 6});
    CHECK(diffs[0].actual_at == Location{"app/models.py", 3});
    CHECK(diffs[3].expected_at == Location{});
    CHECK(diffs[3].actual_at == Location{"app/models.py", 5});
}

TEST_CASE("primary keys by name, and places without a file") {
    Table t;
    t.name = "t";
    t.columns = {column("a", TypeKind::integer)};
    t.primary_key = PrimaryKey{"pk_one", {"a"}, {"config/schema.yaml", 3}};
    Schema expected{{t}};
    t.primary_key = PrimaryKey{"pk_two", {"a"}, {"app/models.py", 0}};
    Schema actual{{t}};
    CHECK(describe_all(expected, actual) ==
          Lines{"table t: primary key named pk_one in config/schema.yaml:3 but named pk_two in "
                "app/models.py"});
    // An unnamed key matches any name.
    actual.tables[0].primary_key->name.clear();
    CHECK(describe_all(expected, actual).empty());

    Difference d;
    d.kind = DifferenceKind::table_missing;
    d.table = "t";
    CHECK(describe(d, "config/schema.yaml", "the database") ==
          "table t: declared in config/schema.yaml but not in the database");
}

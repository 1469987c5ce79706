// generate::plan_changes and plan_revision: which operations, in which
// order, with which cautions; and that they build the target and back.
#include "test_ops_support.hpp"

#include "migcheck/generate/plan_detail.hpp"
#include "migcheck/generate/python.hpp"

#include <doctest/doctest.h>

using namespace ops_test;
namespace generate = migcheck::generate;

namespace {

// One line a step: what it does, "[batch]" when in a batch block, and
// "!" before a step with a caution.
std::vector<std::string> lines(const std::vector<generate::Step>& steps) {
    std::vector<std::string> out;
    for (const auto& s : steps) {
        out.push_back((s.caution.empty() ? "" : "! ") + generate::describe_step(s.op) +
                      (s.op.batch ? " [batch]" : ""));
    }
    return out;
}

std::vector<generate::Step> plan(const schema::Schema& from, const schema::Schema& to,
                                 bool batch = false) {
    std::vector<migcheck::Finding> warnings;
    auto renames = generate::find_renames(from, to, "config/schema.yaml", warnings);
    return generate::plan_changes(from, to, renames, batch, warnings);
}

schema::Schema applied(schema::Schema s, const std::vector<generate::Step>& steps) {
    std::vector<migcheck::Finding> findings;
    for (const auto& step : steps) {
        ops::apply(s, step.op, findings);
    }
    CHECK(describe(findings) == "");
    return s;
}

const std::string chain = "  c:\n    columns:\n      id: {type: integer, primary_key: true}\n"
                          "      b_id: {type: integer, foreign_key: {references: b.id}}\n"
                          "  b:\n    columns:\n      id: {type: integer, primary_key: true}\n"
                          "      a_id: {type: integer, index: true, foreign_key: {references: a.id}}\n"
                          "  a:\n    columns:\n      id: {type: integer, primary_key: true}\n";

const std::string users = "  users:\n    columns:\n"
                          "      id: {type: integer, primary_key: true}\n"
                          "      email: {type: string, length: 255, nullable: false}\n"
                          "      old: {type: string, length: 20}\n";

}  // namespace

TEST_CASE("new tables are created in foreign-key order and dropped in reverse") {
    schema::Schema empty;
    schema::Schema target = tables(chain);
    auto up = plan(empty, target);
    CHECK(lines(up) == std::vector<std::string>{"create_table a", "create_table b",
                                                "create_index ix_b_a_id on b", "create_table c"});
    auto down = plan(target, empty);
    CHECK(lines(down) == std::vector<std::string>{"! drop_table c", "drop_index ix_b_a_id on b",
                                                  "! drop_table b", "! drop_table a"});
    CHECK(schema::compare(target, applied(empty, up)).empty());
    CHECK(applied(target, down).tables.empty());
}

TEST_CASE("a foreign key closing a cycle among new tables comes after both tables") {
    schema::Schema target =
        tables("  a:\n    columns:\n      id: {type: integer, primary_key: true}\n"
               "      b_id: {type: integer, foreign_key: {references: b.id}}\n"
               "  b:\n    columns:\n      id: {type: integer, primary_key: true}\n"
               "      a_id: {type: integer, foreign_key: {references: a.id}}\n");
    auto up = plan({}, target);
    CHECK(lines(up) == std::vector<std::string>{"create_table b", "create_table a",
                                                "create_foreign_key fk_b_a_id_a on b"});
    CHECK(schema::compare(target, applied({}, up)).empty());
}

TEST_CASE("constraint drops come before column drops, columns before what uses them") {
    schema::Schema head = tables(users + "    indexes:\n"
                                         "      - {name: ix_users_old, columns: [old]}\n"
                                         "    unique_constraints:\n"
                                         "      - {name: uq_users_old, columns: [email, old]}\n");
    schema::Schema target = tables(
        "  users:\n    columns:\n      id: {type: integer, primary_key: true}\n"
        "      email: {type: string, length: 255, nullable: false}\n"
        "      nick: {type: string, length: 30, index: true, unique: true}\n");
    auto up = plan(head, target, true);
    CHECK(lines(up) == std::vector<std::string>{
                           "drop_index ix_users_old on users [batch]",
                           "drop_constraint uq_users_old on users [batch]",
                           "add_column users.nick [batch]", "! drop_column users.old [batch]",
                           "create_index ix_users_nick on users [batch]"});
    CHECK(schema::compare(target, applied(head, up)).empty());
}

TEST_CASE("kept tables are altered after the tables their new foreign keys refer to") {
    schema::Schema head = tables("  b:\n    columns:\n      id: {type: integer, primary_key: true}\n"
                                 "  a:\n    columns:\n      id: {type: integer, primary_key: true}\n");
    schema::Schema target =
        tables("  b:\n    columns:\n      id: {type: integer, primary_key: true}\n"
               "      a_id: {type: integer, foreign_key: {references: a.id, on_delete: CASCADE}}\n"
               "  a:\n    columns:\n      id: {type: integer, primary_key: true}\n"
               "      code: {type: string, length: 5, unique: true}\n");
    auto up = plan(head, target);
    CHECK(lines(up) == std::vector<std::string>{"add_column a.code",
                                                "create_unique_constraint uq_a_code on a",
                                                "add_column b.a_id",
                                                "create_foreign_key fk_b_a_id_a on b"});
    CHECK(schema::compare(target, applied(head, up)).empty());
}

TEST_CASE("renamed_from gives renames, and the downgrade renames back") {
    schema::Schema head = tables(users);
    schema::Schema target = tables(
        "  people:\n    renamed_from: users\n    columns:\n"
        "      id: {type: integer, primary_key: true}\n"
        "      email: {type: string, length: 255, nullable: false}\n"
        "      legacy: {type: string, length: 20, renamed_from: old}\n");
    auto p = generate::plan_revision(head, target, "config/schema.yaml", false);
    CHECK(lines(p.upgrade) == std::vector<std::string>{"rename_table users -> people",
                                                       "alter_column people.old -> legacy"});
    CHECK(lines(p.downgrade) == std::vector<std::string>{"rename_table people -> users",
                                                         "alter_column users.legacy -> old"});
    CHECK(p.warnings.empty());
    schema::Schema up = applied(head, p.upgrade);
    CHECK(schema::compare(target, up).empty());
    CHECK(schema::compare(head, applied(up, p.downgrade)).empty());
}

TEST_CASE("a column that goes while one of its type comes is a rename hint") {
    schema::Schema head = tables(users);
    schema::Schema target = tables(
        "  users:\n    columns:\n      id: {type: integer, primary_key: true}\n"
        "      email: {type: string, length: 255, nullable: false}\n"
        "      legacy: {type: string, length: 20}\n");
    auto p = generate::plan_revision(head, target, "config/schema.yaml", false);
    REQUIRE(p.warnings.size() == 1);
    CHECK(p.warnings[0].code == "rename-hint");
    CHECK(p.warnings[0].line == 7);
    CHECK(lines(p.upgrade) ==
          std::vector<std::string>{"add_column users.legacy", "! drop_column users.old"});
}

TEST_CASE("destructive changes carry a caution") {
    schema::Schema head = tables(
        "  t:\n    columns:\n      id: {type: integer, primary_key: true}\n"
        "      a: {type: string, length: 50}\n      b: {type: integer}\n"
        "      c: {type: numeric, precision: 10, scale: 2}\n"
        "      d: {type: enum, values: [x, y], enum_name: e}\n      f: {type: text}\n");
    schema::Schema target = tables(
        "  t:\n    columns:\n      id: {type: integer, primary_key: true}\n"
        "      a: {type: string, length: 80, nullable: false}\n"
        "      b: {type: biginteger, nullable: false, server_default: '0'}\n"
        "      c: {type: numeric, precision: 8, scale: 2}\n"
        "      d: {type: enum, values: [x, y, z], enum_name: e}\n      f: {type: string, length: 9}\n"
        "      g: {type: integer, nullable: false}\n");
    auto up = plan(head, target);
    std::vector<std::string> cautions;
    for (const auto& s : up) {
        cautions.push_back(generate::describe_step(s.op) + ": " + s.caution);
    }
    CHECK(cautions ==
          std::vector<std::string>{
              "add_column t.g: adds NOT NULL column t.g without a server default: fails on a "
              "table that has rows",
              "alter_column t.a (type, nullable): makes t.a NOT NULL without a server default: "
              "fails while a row holds NULL",
              "alter_column t.b (type, nullable, server_default): ",
              "alter_column t.c (type): changes the type from Numeric(10, 2) to Numeric(8, 2): "
              "digits are lost or values refused",
              "alter_column t.d (type): ",
              "alter_column t.f (type): changes the type from Text to String(9): values that do "
              "not convert are lost or refused"});
}

TEST_CASE("narrowing: which type changes lose data") {
    auto type = [](schema::TypeKind k, std::optional<int> length = {}) {
        schema::Type t;
        t.kind = k;
        t.length = length;
        return t;
    };
    using K = schema::TypeKind;
    namespace d = generate::detail;
    CHECK(d::narrowing(type(K::smallinteger), type(K::biginteger)).empty());
    CHECK(d::narrowing(type(K::string, 10), type(K::text)).empty());
    CHECK(d::narrowing(type(K::string, 10), type(K::string)).empty());
    CHECK(!d::narrowing(type(K::string), type(K::string, 10)).empty());
    CHECK(!d::narrowing(type(K::biginteger), type(K::integer)).empty());
    CHECK(!d::narrowing(type(K::text), type(K::integer)).empty());
}

TEST_CASE("batch marks the operations on kept tables only") {
    schema::Schema head = tables(users);
    schema::Schema target = tables(users + chain);
    auto up = plan(head, target, true);
    for (const auto& s : up) {
        CHECK(!s.op.batch);
    }
    schema::Schema wider = tables(users + "      extra: {type: text}\n");
    auto alter = plan(head, wider, true);
    REQUIRE(alter.size() == 1);
    CHECK(alter[0].op.batch);
}

TEST_CASE("nothing to do when the schemas are one schema") {
    schema::Schema a = tables(chain + users);
    CHECK(plan(a, a).empty());
    auto p = generate::plan_revision(a, a, "config/schema.yaml", true);
    CHECK(p.upgrade.empty());
    CHECK(p.downgrade.empty());
}

#include "migcheck/schema/yaml_loader.hpp"
#include "migcheck/sql/types.hpp"

#include <doctest/doctest.h>
#include <string>
#include <vector>

using namespace migcheck;
using schema::Type;
using schema::TypeKind;

namespace {

Type type(TypeKind kind) {
    Type t;
    t.kind = kind;
    return t;
}

Type with_length(TypeKind kind, int length) {
    Type t = type(kind);
    t.length = length;
    return t;
}

Type numeric(std::optional<int> precision, std::optional<int> scale) {
    Type t = type(TypeKind::numeric);
    t.precision = precision;
    t.scale = scale;
    return t;
}

Type enum_of(std::vector<std::string> values) {
    Type t = type(TypeKind::enum_);
    t.enum_values = std::move(values);
    t.enum_name = "e";
    return t;
}

}  // namespace

TEST_CASE("sqlite types: what SQLAlchemy 1.4's SQLite dialect writes for each type") {
    Type tz = type(TypeKind::datetime);
    tz.timezone = true;
    Type time_tz = type(TypeKind::time);
    time_tz.timezone = true;
    Type declared = type(TypeKind::integer);
    declared.declared = "VARCHAR2(5)";
    struct Case {
        Type type;
        std::string sql;
    };
    std::vector<Case> cases = {
        {type(TypeKind::integer), "INTEGER"},
        {type(TypeKind::biginteger), "BIGINT"},
        {type(TypeKind::smallinteger), "SMALLINT"},
        {with_length(TypeKind::string, 255), "VARCHAR(255)"},
        {type(TypeKind::string), "VARCHAR"},
        {type(TypeKind::text), "TEXT"},
        {type(TypeKind::boolean), "BOOLEAN"},
        {type(TypeKind::date), "DATE"},
        {type(TypeKind::datetime), "DATETIME"},
        {tz, "DATETIME"},
        {type(TypeKind::time), "TIME"},
        {time_tz, "TIME"},
        {type(TypeKind::float_), "FLOAT"},
        {numeric(12, 2), "NUMERIC(12, 2)"},
        {numeric(10, std::nullopt), "NUMERIC(10)"},
        {numeric(std::nullopt, std::nullopt), "NUMERIC"},
        {type(TypeKind::json), "JSON"},
        {type(TypeKind::binary), "BLOB"},
        {with_length(TypeKind::binary, 16), "BLOB"},
        {type(TypeKind::uuid), "CHAR(32)"},
        {enum_of({"active", "suspended"}), "VARCHAR(9)"},
        {declared, "VARCHAR2(5)"},
    };
    for (const auto& c : cases) {
        CAPTURE(schema::render_type(c.type));
        CHECK(sql::sqlite_type(c.type) == c.sql);
    }
}

TEST_CASE("sqlite types: declared text back to a schema type") {
    struct Case {
        std::string declared;
        std::string rendered;  // render_type of the result
        std::string kept;      // the result's `declared`
    };
    std::vector<Case> cases = {
        {"INTEGER", "Integer", ""},
        {"BIGINT", "BigInteger", ""},
        {"SMALLINT", "SmallInteger", ""},
        {"VARCHAR(255)", "String(255)", ""},
        {"VARCHAR", "String", ""},
        {"TEXT", "Text", ""},
        {"BOOLEAN", "Boolean", ""},
        {"DATE", "Date", ""},
        {"DATETIME", "DateTime", ""},
        {"TIME", "Time", ""},
        {"FLOAT", "Float", ""},
        {"NUMERIC(12, 2)", "Numeric(12, 2)", ""},
        {"NUMERIC(10)", "Numeric(10)", ""},
        {"NUMERIC", "Numeric", ""},
        {"JSON", "JSON", ""},
        {"BLOB", "LargeBinary", ""},
        {"CHAR(32)", "Uuid", ""},
        // Case and spacing do not matter.
        {"varchar ( 20 )", "String(20)", ""},
        {"numeric(12,2)", "Numeric(12, 2)", ""},
        {" char(32) ", "Uuid", ""},
        // No schema type renders to these: kept as written.
        {"CHAR(10)", "CHAR(10)", "CHAR(10)"},
        {"CHAR", "CHAR", "CHAR"},
        {"VARCHAR2(5)", "VARCHAR2(5)", "VARCHAR2(5)"},
        {"DOUBLE PRECISION", "DOUBLE PRECISION", "DOUBLE PRECISION"},
        {"INTEGER(11)", "INTEGER(11)", "INTEGER(11)"},
        {"VARCHAR(10, 2)", "VARCHAR(10, 2)", "VARCHAR(10, 2)"},
        {"NUMERIC(1, 2, 3)", "NUMERIC(1, 2, 3)", "NUMERIC(1, 2, 3)"},
        {"VARCHAR(n)", "VARCHAR(n)", "VARCHAR(n)"},
        {"VARCHAR(-1)", "VARCHAR(-1)", "VARCHAR(-1)"},
        {"VARCHAR()", "VARCHAR()", "VARCHAR()"},
        {"VARCHAR(20", "VARCHAR(20", "VARCHAR(20"},
        {"VARCHAR(1,)", "VARCHAR(1,)", "VARCHAR(1,)"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.declared);
        Type t = sql::parse_sqlite_type(c.declared);
        CHECK(schema::render_type(t) == c.rendered);
        CHECK(t.declared == c.kept);
    }
}

TEST_CASE("sqlite types: parameters read back into their fields") {
    Type s = sql::parse_sqlite_type("VARCHAR(50)");
    CHECK(s.kind == TypeKind::string);
    CHECK(s.length == 50);
    Type n = sql::parse_sqlite_type("NUMERIC(12, 2)");
    CHECK(n.kind == TypeKind::numeric);
    CHECK(n.precision == 12);
    CHECK(n.scale == 2);
    CHECK(n.length == std::nullopt);
    Type u = sql::parse_sqlite_type("CHAR(32)");
    CHECK(u.kind == TypeKind::uuid);
    CHECK(u.length == std::nullopt);
}

TEST_CASE("sqlite types: every rendering reads back as the same SQLite type") {
    for (const auto& name : schema::type_kind_names()) {
        CAPTURE(name);
        Type t = type(*schema::parse_type_kind(name));
        if (t.kind == TypeKind::enum_) {
            t = enum_of({"a", "bcd"});
        }
        std::string sql = sql::sqlite_type(t);
        CHECK(sql::sqlite_type(sql::parse_sqlite_type(sql)) == sql);
        CHECK(sql::parse_sqlite_type(sql).declared == "");
    }
}

TEST_CASE("sqlite types: the SQLite view of a schema") {
    schema::Schema full = schema::load_schema_yaml(R"(version: 1
tables:
  p:
    comment: Parents.
    columns:
      id: {type: integer, primary_key: true, autoincrement: false, comment: Key.}
  t:
    columns:
      id: {type: integer, primary_key: true}
      status: {type: enum, values: [active, suspended], enum_name: st, nullable: false,
               server_default: "'active'"}
      at: {type: datetime, timezone: true, index: true}
      p_id: {type: integer, foreign_key: {references: p.id, on_delete: CASCADE}}
      token: {type: uuid, unique: true}
      data: {type: binary, length: 16}
    unique_constraints:
      - {name: uq_t_at, columns: [at, p_id]}
)",
                                                   "config/schema.yaml");
    schema::Schema view = sql::sqlite_view(full);
    REQUIRE(view.tables.size() == 2);
    const schema::Table& p = view.tables[0];
    CHECK(p.comment == "");
    CHECK(p.columns[0].comment == "");
    CHECK(p.columns[0].autoincrement == std::nullopt);
    CHECK(p.columns[0].primary_key);
    CHECK(p.columns[0].where == schema::Location{"config/schema.yaml", 6});

    const schema::Table& t = view.tables[1];
    std::vector<std::string> types;
    for (const auto& c : t.columns) {
        types.push_back(c.name + " " + schema::render_type(c.type));
    }
    CHECK(types == std::vector<std::string>{"id Integer", "status String(9)", "at DateTime",
                                            "p_id Integer", "token Uuid", "data LargeBinary"});
    // What SQLite keeps stays.
    const schema::Column& status = *t.find_column("status");
    CHECK(status.nullable == false);
    CHECK(status.server_default == "'active'");
    CHECK(t.find_column("at")->index);
    CHECK(t.find_column("token")->unique);
    REQUIRE(t.find_column("p_id")->foreign_key.has_value());
    CHECK(t.find_column("p_id")->foreign_key->on_delete == "CASCADE");
    REQUIRE(t.unique_constraints.size() == 1);
    CHECK(t.unique_constraints[0].name == "uq_t_at");
    CHECK(t.unique_constraints[0].columns == std::vector<std::string>{"at", "p_id"});
    // The original is left alone.
    CHECK(schema::render_type(full.tables[1].columns[1].type) ==
          "Enum('active', 'suspended', name='st')");
    CHECK(full.tables[0].comment == "Parents.");
}

#pragma once

// Helpers shared by the unit tests of ops::apply and of the SQLite renderer.

#include "migcheck/ops/apply.hpp"
#include "migcheck/schema/compare.hpp"
#include "migcheck/schema/yaml_loader.hpp"

#include <string>
#include <utility>
#include <vector>

namespace ops_test {

namespace ops = migcheck::ops;
namespace schema = migcheck::schema;

// Where every operation of these tests is called.
inline const schema::Location call_site{"versions/a.py", 12};

inline ops::Operation op(ops::Change change, bool batch = false) {
    return ops::Operation{std::move(change), call_site, 5, batch};
}

// A schema written as schema.yaml's `tables:` body; tables start on line 3.
inline schema::Schema tables(const std::string& body) {
    return schema::load_schema_yaml("version: 1\ntables:\n" + body, "config/schema.yaml");
}

inline schema::Column column(const std::string& name, schema::TypeKind kind) {
    schema::Column c;
    c.name = name;
    c.type.kind = kind;
    return c;
}

inline schema::Column string_column(const std::string& name, int length) {
    schema::Column c = column(name, schema::TypeKind::string);
    c.type.length = length;
    return c;
}

inline ops::AlterColumn alter(const std::string& table, const std::string& name) {
    ops::AlterColumn a;
    a.table = table;
    a.column = name;
    return a;
}

inline schema::ForeignKey foreign_key(const std::string& name, std::vector<std::string> columns,
                                      const std::string& referred_table,
                                      std::vector<std::string> referred_columns) {
    return schema::ForeignKey{
        name, std::move(columns), referred_table, std::move(referred_columns), "", "", {}};
}

// The findings, one a line: "severity code file:line:column message".
inline std::string describe(const std::vector<migcheck::Finding>& findings) {
    std::string out;
    for (const auto& f : findings) {
        out += std::string(migcheck::severity_name(f.severity)) + " " + f.code + " " + f.file +
               ":" + std::to_string(f.line) + ":" + std::to_string(f.column) + " " + f.message +
               "\n";
    }
    return out;
}

// Applies one operation; returns its findings as describe() writes them.
inline std::string apply(schema::Schema& s, const ops::Operation& o) {
    std::vector<migcheck::Finding> findings;
    ops::apply(s, o, findings);
    return describe(findings);
}

// How `actual` differs from the schema that `expected_tables` describes, one
// difference a line; empty when they are the same schema.
inline std::string differences(const schema::Schema& actual, const std::string& expected_tables) {
    std::string out;
    for (const auto& d : schema::compare(tables(expected_tables), actual)) {
        out += schema::describe(d, "expected", "replayed") + "\n";
    }
    return out;
}

}  // namespace ops_test

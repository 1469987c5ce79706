#include "migcheck/schema/yaml_loader.hpp"
#include "migcheck/util/error.hpp"

#include <doctest/doctest.h>
#include <functional>
#include <string>
#include <vector>

using namespace migcheck;
using namespace migcheck::schema;

namespace {

Schema load(const std::string& text) { return load_schema_yaml(text, "config/schema.yaml"); }

std::string usage_message(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::usage);
        return e.what();
    }
    FAIL("no error");
    return {};
}

// A document whose tables are `body`, which starts on line 3.
std::string tables(const std::string& body) { return "version: 1\ntables:\n" + body; }

// A document with one table `t` whose columns are `columns`, which start on
// line 5.
std::string columns(const std::string& columns) {
    return tables("  t:\n    columns:\n" + columns);
}

}  // namespace

TEST_CASE("every error names file, line, column and what to do") {
    struct Case {
        std::string text;
        std::string message;
    };
    std::vector<Case> cases = {
        // The document.
        {"", "config/schema.yaml:1:1: the file is empty; start it with 'version: 1' and a "
             "'tables:' map"},
        {"# nothing yet\n", "config/schema.yaml:1:1: the file is empty; start it with 'version: "
                            "1' and a 'tables:' map"},
        {"version: 1\ntables: [a\n",
         "config/schema.yaml:3:1: invalid YAML: end of sequence flow not found"},
        {"- version\n", "config/schema.yaml:1:1: expected a mapping with 'version' and 'tables'"},
        {"tables: {}\n", "config/schema.yaml:1:1: missing 'version'; add 'version: 1' at the top"},
        {"version: 2\ntables: {}\n",
         "config/schema.yaml:1:10: format version 2 is newer than this migcheck reads (1); "
         "upgrade migcheck"},
        {"version: one\ntables: {}\n", "config/schema.yaml:1:10: 'version' must be 1"},
        {"version: [1]\ntables: {}\n", "config/schema.yaml:1:10: 'version' must be 1"},
        {"version: 1\n", "config/schema.yaml:1:1: missing 'tables'; add a 'tables:' map of table "
                         "names to tables"},
        {"version: 1\ntables: [users]\n",
         "config/schema.yaml:2:9: 'tables' must map table names to tables"},
        {"version: 1\ntabels: {}\n",
         "config/schema.yaml:2:1: unknown key 'tabels' at the top level (did you mean 'tables'?)"},
        {"version: 1\nowner: me\ntables: {}\n",
         "config/schema.yaml:2:1: unknown key 'owner' at the top level; the keys here are "
         "version, tables"},
        {"version: 1\nversion: 1\ntables: {}\n",
         "config/schema.yaml:2:1: 'version' is given twice at the top level (first at line 1); "
         "keep one"},
        {"version: 1\n[a]: 1\ntables: {}\n",
         "config/schema.yaml:2:1: expected a name here, not a list or a mapping"},

        // Tables.
        {tables("  users: {columns: {id: integer}}\n  users: {columns: {id: integer}}\n"),
         "config/schema.yaml:4:3: table users is declared twice (first at line 3); remove or "
         "rename one"},
        {tables("  1users: {columns: {id: integer}}\n"),
         "config/schema.yaml:3:3: table name '1users' starts with a digit: use letters, digits "
         "and underscores, starting with a letter or underscore"},
        {tables("  user-accounts: {columns: {id: integer}}\n"),
         "config/schema.yaml:3:3: table name 'user-accounts' contains '-': use letters, digits "
         "and underscores, starting with a letter or underscore"},
        {tables("  \"\": {columns: {id: integer}}\n"),
         "config/schema.yaml:3:3: table name '' is empty: use letters, digits and underscores, "
         "starting with a letter or underscore"},
        {tables("  " + std::string(64, 'a') + ": {columns: {id: integer}}\n"),
         "config/schema.yaml:3:3: table name '" + std::string(64, 'a') +
             "' is 64 characters long, more than the 63 PostgreSQL keeps: shorten it"},
        {tables("  users: [id]\n"),
         "config/schema.yaml:3:10: table users must be a mapping with a 'columns' map"},
        {tables("  users:\n"),
         "config/schema.yaml:3:3: table users must be a mapping with a 'columns' map"},
        {tables("  users: {comment: x}\n"),
         "config/schema.yaml:3:3: table users has no 'columns'; add a 'columns:' map of column "
         "names to types"},
        {tables("  users: {columns: [id]}\n"),
         "config/schema.yaml:3:20: 'columns' of table users must map column names to columns"},
        {tables("  users: {columns: {}}\n"),
         "config/schema.yaml:3:20: table users has no columns; declare at least one"},
        {tables("  users: {colums: {id: integer}}\n"),
         "config/schema.yaml:3:11: unknown key 'colums' in table users (did you mean "
         "'columns'?)"},
        {tables("  users:\n    <<: {comment: x}\n    columns: {id: integer}\n"),
         "config/schema.yaml:4:5: YAML merge keys ('<<') are not supported; write the keys out"},
        {tables("  users: {columns: {id: integer}, comment: [a]}\n"),
         "config/schema.yaml:3:44: 'comment' must be text"},
        {tables("  users: {columns: {id: integer}, renamed_from: users}\n"),
         "config/schema.yaml:3:49: table users is renamed from itself; remove 'renamed_from'"},
        {tables("  users: {columns: {id: integer}, renamed_from: old users}\n"),
         "config/schema.yaml:3:49: previous table name 'old users' contains a space: use "
         "letters, digits and underscores, starting with a letter or underscore"},

        // Columns.
        {columns("      id: integer\n      id: string\n"),
         "config/schema.yaml:6:7: column t.id is declared twice (first at line 5); remove or "
         "rename one"},
        {columns("      email address: string\n"),
         "config/schema.yaml:5:7: column name 'email address' contains a space: use letters, "
         "digits and underscores, starting with a letter or underscore"},
        {columns("      naïve: string\n"),
         "config/schema.yaml:5:7: column name 'naïve' contains 'ï': use letters, digits and "
         "underscores, starting with a letter or underscore"},
        {columns("      id:\n"),
         "config/schema.yaml:5:7: column t.id needs a type: write a type name such as 'string', "
         "or a mapping such as {type: string, length: 100}"},
        {columns("      id: [integer]\n"),
         "config/schema.yaml:5:11: column t.id needs a type: write a type name such as 'string', "
         "or a mapping such as {type: string, length: 100}"},
        {columns("      id: {nullable: false}\n"),
         "config/schema.yaml:5:7: column t.id has no 'type'; add one, e.g. type: string"},
        {columns("      id: {type: [string]}\n"),
         "config/schema.yaml:5:18: 'type' must be a type name such as 'string'"},
        {columns("      id: varchar\n"),
         "config/schema.yaml:5:11: unknown type 'varchar' (did you mean 'string'?)"},
        {columns("      id: {type: strng}\n"),
         "config/schema.yaml:5:18: unknown type 'strng' (did you mean 'string'?)"},
        {columns("      id: Integer\n"),
         "config/schema.yaml:5:11: unknown type 'Integer' (did you mean 'integer'?)"},
        {columns("      id: money\n"),
         "config/schema.yaml:5:11: unknown type 'money'; the types are integer, biginteger, "
         "smallinteger, string, text, boolean, date, datetime, time, float, numeric, json, "
         "binary, uuid, enum"},
        {columns("      id: string(255)\n"),
         "config/schema.yaml:5:11: unknown type 'string(255)': write the type's name alone and "
         "its parameters as keys, as in {type: string, length: 255}"},
        {columns("      id: {type: integer, nulable: false}\n"),
         "config/schema.yaml:5:27: unknown key 'nulable' in column t.id (did you mean "
         "'nullable'?)"},
        {columns("      id: {type: integer, default: 0}\n"),
         "config/schema.yaml:5:27: unknown key 'default' in column t.id; the keys here are type, "
         "length, precision, scale, timezone, values, enum_name, nullable, primary_key, unique, "
         "index, autoincrement, server_default, foreign_key, comment, renamed_from"},
        {columns("      id: {type: integer, type: string}\n"),
         "config/schema.yaml:5:27: 'type' is given twice in column t.id (first at line 5); keep "
         "one"},
        {columns("      id: {type: integer, length: 10}\n"),
         "config/schema.yaml:5:27: 'length' does not apply to type integer; remove it or change "
         "the type (it applies to string and binary)"},
        {columns("      id: {type: string, precision: 10}\n"),
         "config/schema.yaml:5:26: 'precision' does not apply to type string; remove it or "
         "change the type (it applies to numeric)"},
        {columns("      id: {type: float, scale: 2}\n"),
         "config/schema.yaml:5:25: 'scale' does not apply to type float; remove it or change the "
         "type (it applies to numeric)"},
        {columns("      id: {type: date, timezone: true}\n"),
         "config/schema.yaml:5:24: 'timezone' does not apply to type date; remove it or change "
         "the type (it applies to datetime and time)"},
        {columns("      id: {type: string, values: [a]}\n"),
         "config/schema.yaml:5:26: 'values' does not apply to type string; remove it or change "
         "the type (it applies to enum)"},
        {columns("      id: {type: text, enum_name: e}\n"),
         "config/schema.yaml:5:24: 'enum_name' does not apply to type text; remove it or change "
         "the type (it applies to enum)"},
        {columns("      id: {type: uuid, autoincrement: true}\n"),
         "config/schema.yaml:5:24: 'autoincrement' does not apply to type uuid; remove it or "
         "change the type (it applies to integer, biginteger and smallinteger)"},
        {columns("      id: {type: string, length: 0}\n"),
         "config/schema.yaml:5:34: 'length' must be a whole number, 1 or more"},
        {columns("      id: {type: string, length: -5}\n"),
         "config/schema.yaml:5:34: 'length' must be a whole number, 1 or more"},
        {columns("      id: {type: string, length: long}\n"),
         "config/schema.yaml:5:34: 'length' must be a whole number, 1 or more"},
        {columns("      id: {type: numeric, precision: 5, scale: -1}\n"),
         "config/schema.yaml:5:48: 'scale' must be a whole number, 0 or more"},
        {columns("      id: {type: numeric, scale: 2}\n"),
         "config/schema.yaml:5:27: 'scale' needs 'precision' too; add precision: N, the number "
         "of digits in all"},
        {columns("      id: {type: numeric, precision: 2, scale: 4}\n"),
         "config/schema.yaml:5:48: 'scale' (4) cannot be larger than 'precision' (2): the scale "
         "counts the digits after the point, the precision all of them"},
        {columns("      id: {type: integer, nullable: maybe}\n"),
         "config/schema.yaml:5:37: 'nullable' must be true or false"},
        {columns("      id: {type: integer, primary_key: true, nullable: true}\n"),
         "config/schema.yaml:5:56: column t.id is in the primary key, which cannot be nullable; "
         "remove 'nullable: true'"},
        {columns("      id: {type: string, renamed_from: id}\n"),
         "config/schema.yaml:5:40: column t.id is renamed from itself; remove 'renamed_from'"},
        {columns("      id: {type: string, comment: {a: b}}\n"),
         "config/schema.yaml:5:35: 'comment' must be text"},

        // Enums.
        {columns("      s: {type: enum, enum_name: st}\n"),
         "config/schema.yaml:5:7: enum column t.s has no 'values'; add values: [...], the "
         "allowed values"},
        {columns("      s: {type: enum, values: [a, b]}\n"),
         "config/schema.yaml:5:7: enum column t.s has no 'enum_name'; add enum_name: <name>, the "
         "name of the database type"},
        {columns("      s: enum\n"),
         "config/schema.yaml:5:10: enum column t.s needs 'values' and 'enum_name': write {type: "
         "enum, values: [...], enum_name: <name>}"},
        {columns("      s: {type: enum, values: [], enum_name: st}\n"),
         "config/schema.yaml:5:31: 'values' must be a non-empty list of the enum's values, e.g. "
         "[active, suspended]"},
        {columns("      s: {type: enum, values: a, enum_name: st}\n"),
         "config/schema.yaml:5:31: 'values' must be a non-empty list of the enum's values, e.g. "
         "[active, suspended]"},
        {columns("      s: {type: enum, values: [a, [b]], enum_name: st}\n"),
         "config/schema.yaml:5:35: 'values' must be a non-empty list of the enum's values, e.g. "
         "[active, suspended]"},
        {columns("      s: {type: enum, values: [a, b, a], enum_name: st}\n"),
         "config/schema.yaml:5:38: value 'a' is listed twice; list each value once"},
        {columns("      s: {type: enum, values: [a], enum_name: 2st}\n"),
         "config/schema.yaml:5:47: enum name '2st' starts with a digit: use letters, digits and "
         "underscores, starting with a letter or underscore"},

        // Server defaults.
        {columns("      n: {type: integer, server_default: }\n"),
         "config/schema.yaml:5:26: 'server_default' must be SQL text such as \"'en'\", 0 or "
         "CURRENT_TIMESTAMP; leave it out for no default"},
        {columns("      n: {type: integer, server_default: NULL}\n"),
         "config/schema.yaml:5:26: 'server_default' must be SQL text such as \"'en'\", 0 or "
         "CURRENT_TIMESTAMP; leave it out for no default"},
        {columns("      n: {type: integer, server_default: \" \"}\n"),
         "config/schema.yaml:5:42: 'server_default' is empty; give SQL text such as \"'en'\", 0 "
         "or CURRENT_TIMESTAMP, or leave it out for no default"},

        // Foreign keys.
        {tables("  p: {columns: {id: integer}}\n  c:\n    columns:\n"
                "      p_id: {type: integer, foreign_key: p.id}\n"),
         "config/schema.yaml:6:42: 'foreign_key' must be a mapping such as {references: "
         "organizations.id, on_delete: CASCADE}"},
        {columns("      p_id: {type: integer, foreign_key: {on_delete: CASCADE}}\n"),
         "config/schema.yaml:5:29: the foreign key of t.p_id has no 'references'; add "
         "references: table.column"},
        {columns("      p_id: {type: integer, foreign_key: {references: t}}\n"),
         "config/schema.yaml:5:55: 'references' must be table.column, e.g. organizations.id"},
        {columns("      p_id: {type: integer, foreign_key: {references: a.b.c}}\n"),
         "config/schema.yaml:5:55: 'references' must be table.column, e.g. organizations.id"},
        {columns("      p_id: {type: integer, foreign_key: {references: t.p_id, ondelete: x}}\n"),
         "config/schema.yaml:5:63: unknown key 'ondelete' in the foreign key of t.p_id (did you "
         "mean 'on_delete'?)"},
        {columns("      p_id: {type: integer, foreign_key: {references: t.p_id, on_delete: "
                 "CASCADES}}\n"),
         "config/schema.yaml:5:74: unknown action 'CASCADES' for 'on_delete' (did you mean "
         "'CASCADE'?)"},
        {columns("      p_id: {type: integer, foreign_key: {references: t.p_id, on_update: "
                 "explode}}\n"),
         "config/schema.yaml:5:74: unknown action 'explode' for 'on_update'; use one of CASCADE, "
         "SET NULL, SET DEFAULT, RESTRICT, NO ACTION"},
        {columns("      p_id: {type: integer, foreign_key: {references: t.p_id, name: fk-1}}\n"),
         "config/schema.yaml:5:69: foreign key name 'fk-1' contains '-': use letters, digits and "
         "underscores, starting with a letter or underscore"},
        {tables("  organizations: {columns: {id: integer}}\n  users:\n    columns:\n"
                "      org_id: {type: integer, foreign_key: {references: organisations.id}}\n"),
         "config/schema.yaml:6:57: the foreign key of users.org_id references table "
         "'organisations', which is not declared (did you mean 'organizations'?)"},
        {tables("  users:\n    columns:\n"
                "      org_id: {type: integer, foreign_key: {references: orgs.id}}\n"),
         "config/schema.yaml:5:57: the foreign key of users.org_id references table 'orgs', "
         "which is not declared; declare it under 'tables' or fix the name"},
        {tables("  users:\n    columns:\n"
                "      org_id: {type: integer, foreign_key: {references: orgs.ident}}\n"
                "  orgs: {columns: {id: integer}}\n"),
         "config/schema.yaml:5:57: the foreign key of users.org_id references column orgs.ident, "
         "which is not declared; declare it under the table's 'columns' or fix the name"},
        {tables("  orgs: {columns: {uid: integer}}\n  users:\n    columns:\n"
                "      org_id: {type: integer, foreign_key: {references: orgs.id}}\n"),
         "config/schema.yaml:6:57: the foreign key of users.org_id references column orgs.id, "
         "which is not declared (did you mean 'uid'?)"},

        // Indexes.
        {tables("  t:\n    columns: {id: integer}\n    indexes: {name: ix}\n"),
         "config/schema.yaml:5:14: 'indexes' of table t must be a list of {name, columns, "
         "unique}"},
        {tables("  t:\n    columns: {id: integer}\n    indexes: [ix_t_id]\n"),
         "config/schema.yaml:5:15: each index of table t must be a mapping such as {name: "
         "ix_t_email, columns: [email]}"},
        {tables("  t:\n    columns: {id: integer, at: date}\n"
                "    indexes:\n      - {columns: [id, at]}\n"),
         "config/schema.yaml:6:9: an index of table t has no 'name'; add one, e.g. name: "
         "ix_t_id_at"},
        {tables("  t:\n    columns: {id: integer}\n    indexes:\n      - {name: ix_t}\n"),
         "config/schema.yaml:6:9: index ix_t has no 'columns'; add columns: [...], the indexed "
         "columns"},
        {tables("  t:\n    columns: {id: integer}\n    indexes:\n      - {name: ix_t, columns: "
                "[]}\n"),
         "config/schema.yaml:6:31: 'columns' of index ix_t must be a non-empty list of column "
         "names, e.g. [email]"},
        {tables("  t:\n    columns: {id: integer}\n    indexes:\n      - {name: ix_t, columns: "
                "id}\n"),
         "config/schema.yaml:6:31: 'columns' of index ix_t must be a non-empty list of column "
         "names, e.g. [email]"},
        {tables("  t:\n    columns: {id: integer}\n    indexes:\n      - {name: ix_t, columns: "
                "[{a: b}]}\n"),
         "config/schema.yaml:6:32: 'columns' of index ix_t must list column names"},
        {tables("  t:\n    columns: {email: string}\n    indexes:\n      - {name: ix_t, "
                "columns: [emal]}\n"),
         "config/schema.yaml:6:32: index ix_t names column 'emal', which table t does not have "
         "(did you mean 'email'?)"},
        {tables("  t:\n    columns: {email: string}\n    indexes:\n      - {name: ix_t, "
                "columns: [created_at]}\n"),
         "config/schema.yaml:6:32: index ix_t names column 'created_at', which table t does not "
         "have; declare it under 'columns' or fix the name"},
        {tables("  t:\n    columns: {email: string}\n    indexes:\n      - {name: ix_t, "
                "columns: [email, email]}\n"),
         "config/schema.yaml:6:39: index ix_t lists column 'email' twice; list each column once"},
        {tables("  t:\n    columns: {email: string}\n    indexes:\n      - {name: ix_t, "
                "columns: [email], unique: yes please}\n"),
         "config/schema.yaml:6:48: 'unique' must be true or false"},
        {tables("  t:\n    columns: {email: string}\n    indexes:\n      - {name: ix_t, "
                "columns: [email], uniqe: true}\n"),
         "config/schema.yaml:6:40: unknown key 'uniqe' in an index of table t (did you mean "
         "'unique'?)"},
        {tables("  t:\n    columns: {email: string}\n    indexes:\n      - {name: ix t, "
                "columns: [email]}\n"),
         "config/schema.yaml:6:16: index name 'ix t' contains a space: use letters, digits and "
         "underscores, starting with a letter or underscore"},
        {tables("  a:\n    columns: {x: string}\n    indexes: [{name: ix_x, columns: [x]}]\n"
                "  b:\n    columns: {x: string}\n    indexes: [{name: ix_x, columns: [x]}]\n"),
         "config/schema.yaml:8:22: index name 'ix_x' is already used by the index at line 5; "
         "index and constraint names must be unique in the whole schema: rename one"},
        {tables("  t:\n    columns:\n      email: {type: string, index: true}\n"
                "    indexes: [{name: ix_t_email, columns: [email]}]\n"),
         "config/schema.yaml:6:22: index name 'ix_t_email' is already used by 'index: true' on "
         "t.email at line 5; index and constraint names must be unique in the whole schema: "
         "rename one"},

        // Unique constraints.
        {tables("  t:\n    columns: {id: integer}\n    unique_constraints: [id]\n"),
         "config/schema.yaml:5:26: each unique constraint of table t must be a mapping such as "
         "{name: uq_t_email, columns: [email]}"},
        {tables("  t:\n    columns: {id: integer}\n    unique_constraints: id\n"),
         "config/schema.yaml:5:25: 'unique_constraints' of table t must be a list of {name, "
         "columns}"},
        {tables("  t:\n    columns: {id: integer}\n    unique_constraints: [{name: uq_t}]\n"),
         "config/schema.yaml:5:26: unique constraint uq_t has no 'columns'; add columns: [...], "
         "the columns whose values together are unique"},
        {tables("  t:\n    columns: {id: integer}\n    unique_constraints: [{columns: [ident]}]\n"),
         "config/schema.yaml:5:37: a unique constraint of table t names column 'ident', which "
         "table t does not have; declare it under 'columns' or fix the name"},
        {tables("  t:\n    columns: {id: integer}\n    unique_constraints: [{column: [id]}]\n"),
         "config/schema.yaml:5:27: unknown key 'column' in a unique constraint of table t (did "
         "you mean 'columns'?)"},
        {tables("  t:\n    columns: {id: integer}\n    indexes: [{name: k, columns: [id]}]\n"
                "    unique_constraints: [{name: k, columns: [id]}]\n"),
         "config/schema.yaml:6:33: unique constraint name 'k' is already used by the index at "
         "line 5; index and constraint names must be unique in the whole schema: rename one"},
        {tables("  t:\n    columns:\n      id: {type: integer, foreign_key: {references: t.id, "
                "name: k}}\n    unique_constraints: [{name: k, columns: [id]}]\n"),
         "config/schema.yaml:6:33: unique constraint name 'k' is already used by the foreign key "
         "of t.id at line 5; index and constraint names must be unique in the whole schema: "
         "rename one"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.text);
        CHECK(usage_message([&] { load(c.text); }) == c.message);
    }
    // The path is the one given, in every message.
    CHECK(usage_message([] { load_schema_yaml("tables: {}\n", "db/schema.yaml"); }) ==
          "db/schema.yaml:1:1: missing 'version'; add 'version: 1' at the top");
}

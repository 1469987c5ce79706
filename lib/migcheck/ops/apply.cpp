// The symbolic replay: one operation applied to the schema model.
//
// Every problem is an `invalid-operation` error at the operation's file, line
// and column, worded "op.<call>: <problem>", and leaves the schema as it was.
// The problems, with T a table, C a column, X a constraint described as in
// detail::describe (`index "ix"`, `unique constraint "uq"`, `the unique
// constraint on (a, b)`, `foreign key "fk"`, `the foreign key on (a)`,
// `primary key "pk"`, `the primary key`):
//
//   table "T" does not exist             any operation naming a missing table
//   table "T" already exists             create_table
//   cannot rename table "A" to "B": table "B" already exists
//                                        rename_table
//   table "T" already has a column "C"   create_table (a column given twice),
//                                        add_column
//   table "T" has no column "C"          drop_column, alter_column
//   cannot rename column "A" of table "T" to "B": table "T" already has a
//   column "B"                           alter_column
//   table "T" has no column "C" for X    create_table, add_column, create_*
//   index "I" already exists on table "T"
//                                        create_table, add_column (an
//                                        `index: true` column), create_index
//   table "T" already has a constraint "N"
//                                        create_unique_constraint,
//                                        create_foreign_key, create_primary_key
//   X refers to table "R", which does not exist
//   table "R" has no column "C" for X    (a referred column)
//   X has N columns but refers to M      create_table, add_column,
//                                        create_foreign_key
//   table "T" already has a primary key on (a, b)
//                                        create_primary_key outside batch
//                                        mode (batch mode replaces the key)
//   table "T" has no index "I"           drop_index with a table
//   no table has an index "I"            drop_index without a table
//   table "T" has no constraint "N"      drop_constraint; with type_ given:
//                                        "no unique constraint", "no foreign
//                                        key", "no primary key"
//   a constraint without a name cannot be dropped (table "T")
//                                        drop_constraint
//
// op.execute of DML (the first keyword, after blanks, comments and opening
// parentheses, is INSERT, UPDATE, DELETE, SELECT, WITH or REPLACE) changes
// nothing; of anything else it is an `execute-not-modelled` warning:
//   op.execute: the symbolic replay does not model this SQL (<first 60
//   characters>); the scratch replay runs it
#include "migcheck/ops/apply.hpp"

#include "migcheck/ops/apply_detail.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

namespace migcheck::ops {
namespace {

using detail::Context;
using detail::quote;

bool contains(const std::vector<std::string>& names, std::string_view name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

void rename_in(std::vector<std::string>& names, const std::string& from, const std::string& to) {
    std::replace(names.begin(), names.end(), from, to);
}

// A renamed table or column keeps the name its `index: true` index was
// created with (ix_<old table>_<old column>), in PostgreSQL as in SQLite, so
// the index becomes an explicit one under that name before the rename.
void freeze_implicit_index(schema::Table& table, schema::Column& column) {
    if (!column.index) {
        return;
    }
    table.indexes.push_back(schema::Index{schema::implicit_index_name(table.name, column.name),
                                          {column.name},
                                          column.unique,
                                          column.where});
    column.index = false;
    // The uniqueness lives in the unique index now; kept, it would also count
    // as a unique constraint.
    column.unique = false;
}

void create_table(schema::Schema& schema, const CreateTable& change, Context& ctx) {
    const schema::Table& table = change.table;
    if (schema.find_table(table.name) != nullptr) {
        ctx.fail("table " + quote(table.name) + " already exists");
        return;
    }
    std::set<std::string> columns;
    for (const auto& column : table.columns) {
        if (!columns.insert(column.name).second) {
            ctx.fail("table " + quote(table.name) + " already has a column " + quote(column.name));
            return;
        }
    }
    std::set<std::string> index_names;
    for (const auto& index : table.all_indexes()) {
        if (!detail::require_columns(table, index.columns, detail::describe(index), ctx) ||
            !detail::require_free_index_name(schema, index.name, ctx)) {
            return;
        }
        if (!index.name.empty() && !index_names.insert(index.name).second) {
            ctx.fail(detail::describe(index) + " already exists on table " + quote(table.name));
            return;
        }
    }
    for (const auto& constraint : table.all_unique_constraints()) {
        if (!detail::require_columns(table, constraint.columns, detail::describe(constraint),
                                     ctx)) {
            return;
        }
    }
    if (table.primary_key && !detail::require_columns(table, table.primary_key->columns,
                                                      detail::describe(*table.primary_key), ctx)) {
        return;
    }
    for (const auto& foreign_key : table.all_foreign_keys()) {
        if (!detail::require_valid_foreign_key(schema, table, foreign_key, ctx)) {
            return;
        }
    }
    schema::Table added = table;
    const schema::Location& where = ctx.op().where;
    detail::stamp(added.where, where);
    for (auto& column : added.columns) {
        detail::stamp(column.where, where);
    }
    for (auto& index : added.indexes) {
        detail::stamp(index.where, where);
    }
    for (auto& constraint : added.unique_constraints) {
        detail::stamp(constraint.where, where);
    }
    for (auto& foreign_key : added.foreign_keys) {
        detail::stamp(foreign_key.where, where);
    }
    if (added.primary_key) {
        detail::stamp(added.primary_key->where, where);
    }
    schema.tables.push_back(std::move(added));
}

void drop_table(schema::Schema& schema, const DropTable& change, Context& ctx) {
    if (detail::require_table(schema, change.table, ctx) == nullptr) {
        return;
    }
    std::erase_if(schema.tables, [&](const schema::Table& t) { return t.name == change.table; });
}

void rename_table(schema::Schema& schema, const RenameTable& change, Context& ctx) {
    schema::Table* table = detail::require_table(schema, change.table, ctx);
    if (table == nullptr) {
        return;
    }
    if (schema.find_table(change.new_name) != nullptr) {
        ctx.fail("cannot rename table " + quote(change.table) + " to " + quote(change.new_name) +
                 ": table " + quote(change.new_name) + " already exists");
        return;
    }
    for (auto& column : table->columns) {
        freeze_implicit_index(*table, column);
    }
    // Foreign keys name the table they refer to; the database follows the
    // rename, the self-references of the table itself included.
    for (auto& other : schema.tables) {
        for (auto& foreign_key : other.foreign_keys) {
            if (foreign_key.referred_table == change.table) {
                foreign_key.referred_table = change.new_name;
            }
        }
        for (auto& column : other.columns) {
            if (column.foreign_key && column.foreign_key->table == change.table) {
                column.foreign_key->table = change.new_name;
            }
        }
    }
    table->name = change.new_name;
}

void add_column(schema::Schema& schema, const AddColumn& change, Context& ctx) {
    schema::Table* table = detail::require_table(schema, change.table, ctx);
    if (table == nullptr) {
        return;
    }
    const schema::Column& column = change.column;
    if (table->find_column(column.name) != nullptr) {
        ctx.fail("table " + quote(table->name) + " already has a column " + quote(column.name));
        return;
    }
    schema::Table widened = *table;
    widened.columns.push_back(column);
    detail::stamp(widened.columns.back().where, ctx.op().where);
    if (column.index && !detail::require_free_index_name(
                            schema, schema::implicit_index_name(table->name, column.name), ctx)) {
        return;
    }
    if (column.foreign_key) {
        const auto foreign_keys = widened.all_foreign_keys();
        if (!detail::require_valid_foreign_key(schema, widened, foreign_keys.back(), ctx)) {
            return;
        }
    }
    *table = std::move(widened);
}

void drop_column(schema::Schema& schema, const DropColumn& change, Context& ctx) {
    schema::Table* table = detail::require_table(schema, change.table, ctx);
    if (table == nullptr) {
        return;
    }
    if (table->find_column(change.column) == nullptr) {
        ctx.fail("table " + quote(table->name) + " has no column " + quote(change.column));
        return;
    }
    const std::string& name = change.column;
    // The whole key goes, as PostgreSQL drops the constraint; the other key
    // columns lose their flag too, or they would form a key of their own.
    if (table->in_primary_key(name)) {
        for (const auto& key_column : table->primary_key_columns()) {
            if (schema::Column* c = table->find_column(key_column)) {
                c->primary_key = false;
            }
        }
        table->primary_key.reset();
    }
    std::erase_if(table->indexes, [&](const auto& i) { return contains(i.columns, name); });
    std::erase_if(table->unique_constraints,
                  [&](const auto& u) { return contains(u.columns, name); });
    std::erase_if(table->foreign_keys, [&](const auto& f) { return contains(f.columns, name); });
    std::erase_if(table->columns, [&](const auto& c) { return c.name == name; });
}

void rename_column(schema::Schema& schema, schema::Table& table, const std::string& from,
                   const std::string& to) {
    schema::Column& column = *table.find_column(from);
    freeze_implicit_index(table, column);
    for (auto& index : table.indexes) {
        rename_in(index.columns, from, to);
    }
    for (auto& constraint : table.unique_constraints) {
        rename_in(constraint.columns, from, to);
    }
    for (auto& foreign_key : table.foreign_keys) {
        rename_in(foreign_key.columns, from, to);
    }
    if (table.primary_key) {
        rename_in(table.primary_key->columns, from, to);
    }
    for (auto& other : schema.tables) {
        for (auto& foreign_key : other.foreign_keys) {
            if (foreign_key.referred_table == table.name) {
                rename_in(foreign_key.referred_columns, from, to);
            }
        }
        for (auto& c : other.columns) {
            if (c.foreign_key && c.foreign_key->table == table.name &&
                c.foreign_key->column == from) {
                c.foreign_key->column = to;
            }
        }
    }
    column.name = to;
}

void alter_column(schema::Schema& schema, const AlterColumn& change, Context& ctx) {
    schema::Table* table = detail::require_table(schema, change.table, ctx);
    if (table == nullptr) {
        return;
    }
    schema::Column* column = table->find_column(change.column);
    if (column == nullptr) {
        ctx.fail("table " + quote(table->name) + " has no column " + quote(change.column));
        return;
    }
    const bool renames = change.new_name && *change.new_name != change.column;
    if (renames && table->find_column(*change.new_name) != nullptr) {
        ctx.fail("cannot rename column " + quote(change.column) + " of table " +
                 quote(table->name) + " to " + quote(*change.new_name) + ": table " +
                 quote(table->name) + " already has a column " + quote(*change.new_name));
        return;
    }
    if (change.nullable) {
        column->nullable = *change.nullable;
    }
    if (change.type) {
        column->type = *change.type;
    }
    if (change.server_default) {
        column->server_default = *change.server_default;
    }
    if (change.comment) {
        column->comment = change.comment->value_or("");
    }
    if (change.autoincrement) {
        column->autoincrement = *change.autoincrement;
    }
    if (renames) {
        rename_column(schema, *table, change.column, *change.new_name);
    }
}

// The first keyword of the statement, upper-cased, after blanks, comments
// and opening parentheses.
std::string first_keyword(std::string_view sql) {
    std::size_t i = 0;
    while (i < sql.size()) {
        const char c = sql[i];
        if (std::isspace(static_cast<unsigned char>(c)) || c == '(') {
            ++i;
        } else if (sql.substr(i, 2) == "--") {
            i = std::min(sql.find('\n', i), sql.size());
        } else if (sql.substr(i, 2) == "/*") {
            const auto end = sql.find("*/", i + 2);
            i = end == std::string_view::npos ? sql.size() : end + 2;
        } else {
            break;
        }
    }
    std::string word;
    while (i < sql.size() && std::isalpha(static_cast<unsigned char>(sql[i]))) {
        word += static_cast<char>(std::toupper(static_cast<unsigned char>(sql[i])));
        ++i;
    }
    return word;
}

// The statement on one line, blanks collapsed, cut to 60 characters.
std::string excerpt(std::string_view sql) {
    std::string out;
    for (char c : sql) {
        if (std::isspace(static_cast<unsigned char>(c))) {
            if (!out.empty() && out.back() != ' ') {
                out += ' ';
            }
        } else {
            out += c;
        }
    }
    while (!out.empty() && out.back() == ' ') {
        out.pop_back();
    }
    constexpr std::size_t limit = 60;
    if (out.size() > limit) {
        out = out.substr(0, limit) + "...";
    }
    return out;
}

void execute(const Execute& change, Context& ctx) {
    if (!may_change_schema(change)) {
        return;
    }
    ctx.warn("execute-not-modelled", "the symbolic replay does not model this SQL (" +
                                         excerpt(change.sql) + "); the scratch replay runs it");
}

}  // namespace

bool may_change_schema(const Execute& change) {
    static constexpr std::array<std::string_view, 6> dml = {"INSERT", "UPDATE", "DELETE",
                                                            "SELECT", "WITH",   "REPLACE"};
    const std::string keyword = first_keyword(change.sql);
    return std::find(dml.begin(), dml.end(), keyword) == dml.end();
}

namespace {

struct Apply {
    schema::Schema& schema;
    Context& ctx;

    void operator()(const CreateTable& c) const { create_table(schema, c, ctx); }
    void operator()(const DropTable& c) const { drop_table(schema, c, ctx); }
    void operator()(const RenameTable& c) const { rename_table(schema, c, ctx); }
    void operator()(const AddColumn& c) const { add_column(schema, c, ctx); }
    void operator()(const DropColumn& c) const { drop_column(schema, c, ctx); }
    void operator()(const AlterColumn& c) const { alter_column(schema, c, ctx); }
    void operator()(const CreateIndex& c) const { detail::create_index(schema, c, ctx); }
    void operator()(const DropIndex& c) const { detail::drop_index(schema, c, ctx); }
    void operator()(const CreateUniqueConstraint& c) const {
        detail::create_unique_constraint(schema, c, ctx);
    }
    void operator()(const CreateForeignKey& c) const { detail::create_foreign_key(schema, c, ctx); }
    void operator()(const CreatePrimaryKey& c) const { detail::create_primary_key(schema, c, ctx); }
    void operator()(const DropConstraint& c) const { detail::drop_constraint(schema, c, ctx); }
    void operator()(const Execute& c) const { execute(c, ctx); }
};

}  // namespace

void apply(schema::Schema& schema, const Operation& op, std::vector<Finding>& findings) {
    Context ctx(op, findings);
    std::visit(Apply{schema, ctx}, op.change);
}

}  // namespace migcheck::ops

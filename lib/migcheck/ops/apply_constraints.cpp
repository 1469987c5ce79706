// Indexes and constraints for ops::apply, and the checks every operation
// shares. The messages are listed in apply.cpp.
#include "migcheck/ops/apply_detail.hpp"

#include <algorithm>

namespace migcheck::ops::detail {
namespace {

bool named(const auto& element, const std::string& name) {
    return !element.name.empty() && element.name == name;
}

// Removes the index called `name` from `table`; an `index: true` column's
// index counts under its implicit name. False when the table has none.
bool remove_index(schema::Table& table, const std::string& name) {
    auto it = std::find_if(table.indexes.begin(), table.indexes.end(),
                           [&](const schema::Index& i) { return i.name == name; });
    if (it != table.indexes.end()) {
        table.indexes.erase(it);
        return true;
    }
    for (auto& column : table.columns) {
        if (column.index && schema::implicit_index_name(table.name, column.name) == name) {
            column.index = false;
            // A unique index was the column's only uniqueness: it goes with
            // the index rather than turning into a unique constraint.
            column.unique = false;
            return true;
        }
    }
    return false;
}

}  // namespace

bool Context::fail(const std::string& problem) {
    m_findings.push_back(finding(Severity::error, "invalid-operation", problem));
    return false;
}

void Context::warn(const std::string& code, const std::string& problem) {
    m_findings.push_back(finding(Severity::warning, code, problem));
}

Finding Context::finding(Severity severity, const std::string& code,
                         const std::string& problem) const {
    Finding f;
    f.severity = severity;
    f.code = code;
    f.file = m_op.where.file;
    f.line = m_op.where.line;
    f.column = m_op.column;
    f.message = std::string("op.") + change_name(m_op.change) + ": " + problem;
    return f;
}

std::string quote(std::string_view name) {
    return "\"" + std::string(name) + "\"";
}

std::string column_list(const std::vector<std::string>& columns) {
    std::string out;
    for (const auto& c : columns) {
        out += (out.empty() ? "" : ", ") + c;
    }
    return "(" + out + ")";
}

std::string describe(const schema::Index& index) {
    return index.name.empty() ? "the index on " + column_list(index.columns)
                              : "index " + quote(index.name);
}

std::string describe(const schema::UniqueConstraint& constraint) {
    return constraint.name.empty() ? "the unique constraint on " + column_list(constraint.columns)
                                   : "unique constraint " + quote(constraint.name);
}

std::string describe(const schema::ForeignKey& foreign_key) {
    return foreign_key.name.empty() ? "the foreign key on " + column_list(foreign_key.columns)
                                    : "foreign key " + quote(foreign_key.name);
}

std::string describe(const schema::PrimaryKey& primary_key) {
    return primary_key.name.empty() ? "the primary key" : "primary key " + quote(primary_key.name);
}

schema::Table* require_table(schema::Schema& schema, const std::string& name, Context& ctx) {
    schema::Table* table = schema.find_table(name);
    if (table == nullptr) {
        ctx.fail("table " + quote(name) + " does not exist");
    }
    return table;
}

bool require_columns(const schema::Table& table, const std::vector<std::string>& columns,
                     const std::string& what, Context& ctx) {
    for (const auto& column : columns) {
        if (column.starts_with("(")) {
            continue;
        }
        if (table.find_column(column) == nullptr) {
            return ctx.fail("table " + quote(table.name) + " has no column " + quote(column) +
                            " for " + what);
        }
    }
    return true;
}

bool require_free_index_name(const schema::Schema& schema, const std::string& name, Context& ctx) {
    if (name.empty()) {
        return true;
    }
    for (const auto& table : schema.tables) {
        for (const auto& index : table.all_indexes()) {
            if (index.name == name) {
                return ctx.fail("index " + quote(name) + " already exists on table " +
                                quote(table.name));
            }
        }
    }
    return true;
}

bool require_free_constraint_name(const schema::Table& owner, const std::string& name,
                                  Context& ctx) {
    if (name.empty()) {
        return true;
    }
    const auto uniques = owner.all_unique_constraints();
    const auto foreign_keys = owner.all_foreign_keys();
    const bool taken = std::any_of(uniques.begin(), uniques.end(),
                                   [&](const auto& u) { return named(u, name); }) ||
                       std::any_of(foreign_keys.begin(), foreign_keys.end(),
                                   [&](const auto& f) { return named(f, name); }) ||
                       (owner.primary_key && named(*owner.primary_key, name));
    if (taken) {
        return ctx.fail("table " + quote(owner.name) + " already has a constraint " + quote(name));
    }
    return true;
}

bool require_valid_foreign_key(const schema::Schema& schema, const schema::Table& owner,
                               const schema::ForeignKey& foreign_key, Context& ctx) {
    const std::string what = describe(foreign_key);
    if (!require_columns(owner, foreign_key.columns, what, ctx)) {
        return false;
    }
    const schema::Table* referred = foreign_key.referred_table == owner.name
                                        ? &owner
                                        : schema.find_table(foreign_key.referred_table);
    if (referred == nullptr) {
        return ctx.fail(what + " refers to table " + quote(foreign_key.referred_table) +
                        ", which does not exist");
    }
    if (!require_columns(*referred, foreign_key.referred_columns, what, ctx)) {
        return false;
    }
    if (foreign_key.columns.size() != foreign_key.referred_columns.size()) {
        return ctx.fail(what + " has " + std::to_string(foreign_key.columns.size()) +
                        " columns but refers to " +
                        std::to_string(foreign_key.referred_columns.size()));
    }
    return true;
}

void stamp(schema::Location& where, const schema::Location& op_where) {
    if (where.file.empty()) {
        where = op_where;
    }
}

void create_index(schema::Schema& schema, const CreateIndex& change, Context& ctx) {
    schema::Table* table = require_table(schema, change.table, ctx);
    if (table == nullptr ||
        !require_columns(*table, change.index.columns, describe(change.index), ctx) ||
        !require_free_index_name(schema, change.index.name, ctx)) {
        return;
    }
    table->indexes.push_back(change.index);
    stamp(table->indexes.back().where, ctx.op().where);
}

void drop_index(schema::Schema& schema, const DropIndex& change, Context& ctx) {
    if (!change.table.empty()) {
        schema::Table* table = require_table(schema, change.table, ctx);
        if (table != nullptr && !remove_index(*table, change.name)) {
            ctx.fail("table " + quote(table->name) + " has no index " + quote(change.name));
        }
        return;
    }
    for (auto& table : schema.tables) {
        if (remove_index(table, change.name)) {
            return;
        }
    }
    ctx.fail("no table has an index " + quote(change.name));
}

void create_unique_constraint(schema::Schema& schema, const CreateUniqueConstraint& change,
                              Context& ctx) {
    schema::Table* table = require_table(schema, change.table, ctx);
    if (table == nullptr ||
        !require_columns(*table, change.constraint.columns, describe(change.constraint), ctx) ||
        !require_free_constraint_name(*table, change.constraint.name, ctx)) {
        return;
    }
    table->unique_constraints.push_back(change.constraint);
    stamp(table->unique_constraints.back().where, ctx.op().where);
}

void create_foreign_key(schema::Schema& schema, const CreateForeignKey& change, Context& ctx) {
    schema::Table* table = require_table(schema, change.table, ctx);
    if (table == nullptr || !require_valid_foreign_key(schema, *table, change.foreign_key, ctx) ||
        !require_free_constraint_name(*table, change.foreign_key.name, ctx)) {
        return;
    }
    table->foreign_keys.push_back(change.foreign_key);
    stamp(table->foreign_keys.back().where, ctx.op().where);
}

void create_primary_key(schema::Schema& schema, const CreatePrimaryKey& change, Context& ctx) {
    schema::Table* table = require_table(schema, change.table, ctx);
    if (table == nullptr ||
        !require_columns(*table, change.primary_key.columns, describe(change.primary_key), ctx)) {
        return;
    }
    const auto existing = table->primary_key_columns();
    // Batch mode rebuilds the table with the new key in place of the old
    // one; a database given ALTER TABLE ... ADD PRIMARY KEY refuses a second.
    if (!existing.empty() && !ctx.op().batch) {
        ctx.fail("table " + quote(table->name) + " already has a primary key on " +
                 column_list(existing));
        return;
    }
    const bool keeps_name =
        table->primary_key && table->primary_key->name == change.primary_key.name;
    if (!keeps_name && !require_free_constraint_name(*table, change.primary_key.name, ctx)) {
        return;
    }
    for (const auto& name : existing) {
        if (schema::Column* column = table->find_column(name)) {
            column->primary_key = false;
        }
    }
    // Key columns are NOT NULL, as PostgreSQL makes them and schema.yaml
    // defaults them; their flags follow the explicit key, as the models
    // reader and the SQLite introspection set them.
    for (const auto& name : change.primary_key.columns) {
        if (schema::Column* column = table->find_column(name)) {
            column->nullable = false;
            column->primary_key = true;
        }
    }
    table->primary_key = change.primary_key;
    stamp(table->primary_key->where, ctx.op().where);
}

void drop_constraint(schema::Schema& schema, const DropConstraint& change, Context& ctx) {
    schema::Table* table = require_table(schema, change.table, ctx);
    if (table == nullptr) {
        return;
    }
    // A CHECK constraint is not part of the model: nothing to verify or drop.
    if (change.type == "check") {
        return;
    }
    if (change.name.empty()) {
        ctx.fail("a constraint without a name cannot be dropped (table " + quote(table->name) +
                 ")");
        return;
    }
    const bool any =
        change.type != "unique" && change.type != "foreignkey" && change.type != "primary";
    const std::string& name = change.name;
    if (any || change.type == "unique") {
        auto& uniques = table->unique_constraints;
        auto it = std::find_if(uniques.begin(), uniques.end(),
                               [&](const auto& u) { return named(u, name); });
        if (it != uniques.end()) {
            uniques.erase(it);
            return;
        }
    }
    if (any || change.type == "foreignkey") {
        auto& foreign_keys = table->foreign_keys;
        auto it = std::find_if(foreign_keys.begin(), foreign_keys.end(),
                               [&](const auto& f) { return named(f, name); });
        if (it != foreign_keys.end()) {
            foreign_keys.erase(it);
            return;
        }
        for (auto& column : table->columns) {
            if (column.foreign_key && named(*column.foreign_key, name)) {
                column.foreign_key.reset();
                return;
            }
        }
    }
    if ((any || change.type == "primary") && table->primary_key &&
        named(*table->primary_key, name)) {
        // The columns lose their flags too, or they would still form a key.
        for (const auto& key_column : table->primary_key->columns) {
            if (schema::Column* column = table->find_column(key_column)) {
                column->primary_key = false;
            }
        }
        table->primary_key.reset();
        return;
    }
    const char* kind = change.type == "unique"       ? "unique constraint"
                       : change.type == "foreignkey" ? "foreign key"
                       : change.type == "primary"    ? "primary key"
                                                     : "constraint";
    ctx.fail("table " + quote(table->name) + " has no " + kind + " " + quote(name));
}

}  // namespace migcheck::ops::detail

#include "migcheck/generate/plan_detail.hpp"

#include "migcheck/ops/apply.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

namespace migcheck::generate {
namespace detail {

void Planner::emit(ops::Change change, bool on_kept_table, std::string caution) {
    ops::Operation op;
    op.change = std::move(change);
    op.batch = batch && on_kept_table;
    steps.push_back(Step{std::move(op), std::move(caution)});
}

void Planner::warn(const schema::Table& table, const std::string& message) {
    Finding f;
    f.severity = Severity::warning;
    f.code = "not-generated";
    f.file = table.where.file;
    f.line = table.where.line;
    f.message = message;
    warnings->push_back(std::move(f));
}

std::string unique_name(const std::string& table, const std::vector<std::string>& columns) {
    std::string name = "uq_" + table;
    for (const auto& c : columns) {
        name += "_" + c;
    }
    return name;
}

std::string foreign_key_name(const std::string& table, const schema::ForeignKey& fk) {
    return "fk_" + table + "_" + (fk.columns.empty() ? std::string() : fk.columns.front()) + "_" +
           fk.referred_table;
}

std::string primary_key_name(const std::string& table) { return "pk_" + table; }

}  // namespace detail

namespace {

using detail::Planner;

// The tables in an order where a table comes after the tables (of the same
// list) its foreign keys refer to, declaration order otherwise. A cycle is
// broken where it closes.
std::vector<const schema::Table*> by_references(const std::vector<const schema::Table*>& tables) {
    std::map<std::string, const schema::Table*> by_name;
    for (const auto* t : tables) {
        by_name[t->name] = t;
    }
    std::vector<const schema::Table*> order;
    std::set<std::string> done;
    std::set<std::string> visiting;
    std::function<void(const schema::Table*)> visit = [&](const schema::Table* t) {
        if (done.count(t->name) != 0U || !visiting.insert(t->name).second) {
            return;
        }
        for (const auto& fk : t->all_foreign_keys()) {
            auto it = by_name.find(fk.referred_table);
            if (it != by_name.end() && it->second != t) {
                visit(it->second);
            }
        }
        visiting.erase(t->name);
        done.insert(t->name);
        order.push_back(t);
    };
    for (const auto* t : tables) {
        visit(t);
    }
    return order;
}

// A table as create_table writes it: constraints at table level and named,
// indexes apart (returned), foreign keys to tables not created yet apart.
schema::Table creatable(const schema::Table& to, const std::set<std::string>& pending,
                        std::vector<schema::Index>& indexes,
                        std::vector<schema::ForeignKey>& deferred) {
    schema::Table t = to;
    indexes = to.all_indexes();
    t.indexes.clear();
    t.unique_constraints = to.all_unique_constraints();
    for (auto& u : t.unique_constraints) {
        if (u.name.empty()) {
            u.name = detail::unique_name(t.name, u.columns);
        }
    }
    t.foreign_keys.clear();
    for (auto fk : to.all_foreign_keys()) {
        if (fk.name.empty()) {
            fk.name = detail::foreign_key_name(t.name, fk);
        }
        (pending.count(fk.referred_table) != 0U ? deferred : t.foreign_keys).push_back(fk);
    }
    const auto key = to.primary_key_columns();
    if (!key.empty() && (!t.primary_key || t.primary_key->name.empty())) {
        t.primary_key = schema::PrimaryKey{detail::primary_key_name(t.name), key, to.where};
    }
    for (auto& c : t.columns) {
        c.unique = false;
        c.index = false;
        c.foreign_key.reset();
        c.renamed_from.clear();
    }
    t.renamed_from.clear();
    return t;
}

// Renames tables, then columns, in `current` and as operations. Column
// renames get a batch block of their own: within one block Alembic's batch
// mode still knows a renamed column by its old name, so a later
// alter_column of the new name in the same block fails.
void rename_first(Planner& p, schema::Schema& current, const Renames& renames) {
    std::vector<Finding> ignored;
    for (const auto& [from, to] : renames.tables) {
        if (current.find_table(from) != nullptr && current.find_table(to) == nullptr) {
            ops::Operation op{ops::RenameTable{from, to}, {}, 0, false};
            ops::apply(current, op, ignored);
            p.emit(ops::RenameTable{from, to}, false);
        }
    }
    for (const auto& [table, columns] : renames.columns) {
        for (const auto& [from, to] : columns) {
            schema::Table* t = current.find_table(table);
            const schema::Column* c = t == nullptr ? nullptr : t->find_column(from);
            if (c == nullptr || t->find_column(to) != nullptr) {
                continue;
            }
            ops::AlterColumn alter;
            alter.table = table;
            alter.column = from;
            alter.new_name = to;
            alter.existing_type = c->type;
            alter.existing_nullable = c->nullable && !t->in_primary_key(from);
            if (c->server_default) {
                alter.existing_server_default.emplace(c->server_default);
            }
            ops::apply(current, ops::Operation{alter, {}, 0, false}, ignored);
            p.emit(std::move(alter), true);
        }
    }
}

}  // namespace

std::vector<Step> plan_changes(const schema::Schema& from, const schema::Schema& to,
                               const Renames& renames, bool batch, std::vector<Finding>& warnings) {
    Planner p;
    p.batch = batch;
    p.warnings = &warnings;
    schema::Schema current = from;
    rename_first(p, current, renames);

    std::vector<const schema::Table*> created;
    std::vector<const schema::Table*> kept;
    for (const auto& t : to.tables) {
        (current.find_table(t.name) == nullptr ? created : kept).push_back(&t);
    }
    std::set<std::string> pending;
    for (const auto* t : created) {
        pending.insert(t->name);
    }
    std::vector<std::pair<std::string, schema::ForeignKey>> deferred;
    for (const auto* t : by_references(created)) {
        pending.erase(t->name);
        std::vector<schema::Index> indexes;
        std::vector<schema::ForeignKey> later;
        p.emit(ops::CreateTable{creatable(*t, pending, indexes, later)}, false);
        for (auto& index : indexes) {
            p.emit(ops::CreateIndex{t->name, std::move(index)}, false);
        }
        for (auto& fk : later) {
            deferred.emplace_back(t->name, std::move(fk));
        }
    }
    for (auto& [table, fk] : deferred) {
        p.emit(ops::CreateForeignKey{table, std::move(fk)}, true);
    }
    for (const auto* t : by_references(kept)) {
        plan_table(p, *current.find_table(t->name), *t);
    }

    std::vector<const schema::Table*> dropped;
    for (const auto& t : current.tables) {
        if (to.find_table(t.name) == nullptr) {
            dropped.push_back(&t);
        }
    }
    std::vector<const schema::Table*> order = by_references(dropped);
    std::reverse(order.begin(), order.end());
    for (const auto* t : order) {
        for (const auto& index : t->all_indexes()) {
            p.emit(ops::DropIndex{t->name, index.name}, false);
        }
        p.emit(ops::DropTable{t->name}, false, "drops table " + t->name + " and its rows");
    }
    return std::move(p.steps);
}

Plan plan_revision(const schema::Schema& head, const schema::Schema& target,
                   const std::string& schema_path, bool batch) {
    Plan plan;
    Renames renames = find_renames(head, target, schema_path, plan.warnings);
    plan.upgrade = plan_changes(head, target, renames, batch, plan.warnings);
    // The downgrade starts from what the upgrade builds, which names the
    // constraints schema.yaml leaves unnamed.
    schema::Schema built = head;
    std::vector<Finding> ignored;
    for (const auto& step : plan.upgrade) {
        ops::apply(built, step.op, ignored);
    }
    plan.downgrade = plan_changes(built, head, renames.inverse(), batch, ignored);
    return plan;
}

}  // namespace migcheck::generate

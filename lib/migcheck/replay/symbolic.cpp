#include "migcheck/migrate/plan.hpp"
#include "migcheck/ops/apply.hpp"
#include "migcheck/replay/replay.hpp"
#include "migcheck/schema/compare.hpp"
#include "migcheck/util/text.hpp"

#include <algorithm>

namespace migcheck::replay {
namespace {

// SQLite refuses ADD COLUMN with a default that is not a constant, but only
// on a table that has rows: a scratch database never shows it.
bool non_constant_default(const std::string& sql) {
    std::string lower = text::to_lower(std::string(text::trim(sql)));
    return lower.rfind("current_", 0) == 0 || lower.rfind('(', 0) == 0;
}

// What Alembic's SQLite implementation cannot do outside batch mode.
std::optional<std::string> needs_batch(const ops::Operation& op) {
    if (op.batch) {
        return std::nullopt;
    }
    if (const auto* alter = std::get_if<ops::AlterColumn>(&op.change)) {
        bool only_rename = !alter->nullable && !alter->type && !alter->server_default &&
                           !alter->comment && !alter->autoincrement;
        if (!only_rename) {
            return "SQLite cannot alter a column in place (ALTER COLUMN)";
        }
        return std::nullopt;
    }
    if (std::holds_alternative<ops::CreateUniqueConstraint>(op.change) ||
        std::holds_alternative<ops::CreateForeignKey>(op.change) ||
        std::holds_alternative<ops::CreatePrimaryKey>(op.change) ||
        std::holds_alternative<ops::DropConstraint>(op.change)) {
        return "SQLite cannot add or drop a constraint with ALTER TABLE";
    }
    return std::nullopt;
}

Finding at(const ops::Operation& op, const char* code, Severity severity, std::string message) {
    Finding f;
    f.severity = severity;
    f.code = code;
    f.file = op.where.file;
    f.line = op.where.line;
    f.column = op.column;
    f.message = std::move(message);
    return f;
}

void sqlite_checks(const ops::Operation& op, std::vector<Finding>& out) {
    if (auto why = needs_batch(op)) {
        std::string table = ops::target_table(op.change);
        out.push_back(at(op, "sqlite-needs-batch", Severity::error,
                         std::string("op.") + ops::change_name(op.change) + " on table \"" + table +
                             "\": " + *why +
                             ", so Alembic fails here on the project's SQLite database; move it "
                             "into `with op.batch_alter_table(\"" + table +
                             "\") as batch_op:`"));
    }
    if (const auto* add = std::get_if<ops::AddColumn>(&op.change)) {
        if (add->column.server_default && non_constant_default(*add->column.server_default)) {
            out.push_back(at(op, "sqlite-add-column-default", Severity::error,
                             "add_column " + add->table + "." + add->column.name +
                                 " with server_default " + *add->column.server_default +
                                 ": SQLite refuses ADD COLUMN with a non-constant default on a "
                                 "table that has rows (\"Cannot add a column with non-constant "
                                 "default\"); add the column without it and set the default in "
                                 "a batch_op.alter_column, or backfill it"));
        }
    }
}

// The first statement of a body migcheck cannot interpret, as a finding.
Finding not_interpretable(const revision::Revision& rev, const ops::Body& body, bool upgrade,
                          const std::string& consequence) {
    Finding f;
    f.code = "not-interpretable";
    f.file = body.stopped_at.file.empty() ? rev.path : body.stopped_at.file;
    f.line = body.stopped_at.line;
    f.column = body.stopped_column;
    f.message = std::string(upgrade ? "upgrade()" : "downgrade()") + " of revision " + rev.id +
                " holds " + body.why + ", which migcheck does not interpret; " + consequence;
    return f;
}

}  // namespace

std::vector<int> upgrade_order(const revision::Graph& graph) {
    std::vector<migrate::Step> steps = migrate::plan_upgrade(graph, {}, graph.real_heads());
    std::vector<int> out;
    for (const auto& s : steps) {
        out.push_back(s.revision);
    }
    return out;
}

SymbolicResult replay_symbolic(const revision::Graph& graph, migrate::OpsLoader& ops, bool sqlite) {
    return replay_symbolic_onto(SymbolicResult{}, graph, ops, upgrade_order(graph), sqlite);
}

SymbolicResult replay_symbolic_onto(SymbolicResult start, const revision::Graph& graph,
                                    migrate::OpsLoader& ops, const std::vector<int>& order,
                                    bool sqlite) {
    SymbolicResult result = std::move(start);
    ops.preload(order);
    std::vector<char> skipped(graph.size(), 0);
    for (int r : order) {
        const revision::Revision& rev = graph.at(r);
        bool after_skip = false;
        for (int p : graph.down(r)) {
            after_skip = after_skip || skipped[static_cast<std::size_t>(p)] != 0;
        }
        for (int p : graph.dependencies(r)) {
            after_skip = after_skip || skipped[static_cast<std::size_t>(p)] != 0;
        }
        const ops::Body& body = ops.get(r).upgrade;
        if (after_skip || !body.interpretable) {
            skipped[static_cast<std::size_t>(r)] = 1;
            result.complete = false;
            if (!after_skip) {
                result.findings.push_back(not_interpretable(
                    rev, body, true,
                    "the revisions from here on are not replayed; `migcheck-replay --runner "
                    "alembic` replays them with Alembic"));
            }
            continue;
        }
        for (const auto& op : body.operations) {
            if (sqlite) {
                sqlite_checks(op, result.findings);
            }
            ops::apply(result.head, op, result.findings);
        }
        if (sqlite) {
            for (const auto& op : ops.get(r).downgrade.operations) {
                sqlite_checks(op, result.findings);
            }
        }
    }
    return result;
}

std::vector<Finding> schema_findings(const schema::Schema& expected, const schema::Schema& actual,
                                     const std::string& expected_label,
                                     const std::string& actual_label, const std::string& prefix) {
    std::vector<Finding> out;
    for (const auto& d : schema::compare(expected, actual)) {
        // A database's elements have no line: schema.yaml's place is the
        // one to show then.
        const schema::Location& where =
            d.actual_at.file.empty() || d.actual_at.line == 0 ? d.expected_at : d.actual_at;
        Finding f;
        f.code = schema::difference_code(prefix, d.kind);
        f.file = where.file.empty() ? expected_label : where.file;
        f.line = where.line;
        std::string subject = d.column.empty() ? d.table : d.table + "." + d.column;
        f.message = schema::describe(d, expected_label, actual_label) +
                    "; write the migration that makes them agree (manage_migrations generate \"update " +
                    subject + "\"), or correct " + expected_label;
        out.push_back(std::move(f));
    }
    return out;
}

}  // namespace migcheck::replay

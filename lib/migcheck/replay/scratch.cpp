#include "migcheck/db/connection.hpp"
#include "migcheck/db/migrator.hpp"
#include "migcheck/ops/apply.hpp"
#include "migcheck/replay/replay.hpp"
#include "migcheck/schema/compare.hpp"
#include "migcheck/sql/introspect.hpp"

#include <map>
#include <set>

namespace migcheck::replay {
namespace {

Finding failure_finding(const revision::Graph& graph, migrate::OpsLoader& ops,
                        const db::StepFailure& failure, int revision) {
    Finding f;
    f.file = failure.file;
    f.line = failure.line;
    f.column = failure.column;
    const ops::Body& body =
        failure.upgrade ? ops.get(revision).upgrade : ops.get(revision).downgrade;
    const char* direction = failure.upgrade ? "upgrade" : "downgrade";
    if (!body.interpretable && failure.sql.empty()) {
        f.code = "not-interpretable";
        f.message = std::string(direction) + "() of revision " + failure.revision + " holds " +
                    body.why +
                    ", which migcheck does not interpret; the scratch replay stops here "
                    "(`migcheck-replay --runner alembic` replays it with Alembic)";
        return f;
    }
    f.code = "replay-failed";
    f.message = std::string(direction) + " of revision " + failure.revision + " failed on SQLite: " +
                failure.message;
    if (!failure.sql.empty()) {
        f.message += "; the statement was: " + failure.sql;
    }
    (void)graph;
    return f;
}

int revision_of(const revision::Graph& graph, const std::string& id) {
    return graph.find(id).value_or(0);
}

// The tables a revision's operations name, or nothing when one runs SQL
// that may touch any table. The up/down check reads only these back.
std::optional<std::set<std::string>> touched_tables(const ops::RevisionOps& both) {
    std::set<std::string> out;
    for (const ops::Body* body : {&both.upgrade, &both.downgrade}) {
        for (const auto& op : body->operations) {
            if (const auto* sql = std::get_if<ops::Execute>(&op.change)) {
                if (ops::may_change_schema(*sql)) {
                    return std::nullopt;
                }
                continue;
            }
            out.insert(ops::target_table(op.change));
            if (const auto* rename = std::get_if<ops::RenameTable>(&op.change)) {
                out.insert(rename->new_name);
            }
            if (const auto* index = std::get_if<ops::DropIndex>(&op.change);
                index != nullptr && index->table.empty()) {
                return std::nullopt;
            }
        }
    }
    return out;
}

// The schema with every table not in `only` reduced to its name, to compare
// with introspect(..., &only).
schema::Schema restricted(const schema::Schema& full, const std::optional<std::set<std::string>>& only) {
    if (!only) {
        return full;
    }
    schema::Schema out;
    for (const auto& t : full.tables) {
        if (only->count(t.name) != 0) {
            out.tables.push_back(t);
        } else {
            schema::Table bare;
            bare.name = t.name;
            bare.where = t.where;
            out.tables.push_back(std::move(bare));
        }
    }
    return out;
}

}  // namespace

ScratchResult replay_scratch(const revision::Graph& graph, migrate::OpsLoader& ops,
                             const ScratchOptions& options) {
    ScratchResult result;
    auto db = db::open_scratch(options.keep_path);
    const std::string label = options.keep_path.empty() ? "the scratch database" : options.keep_path;
    db::Migrator migrator(*db, graph, ops, "alembic_version", label);

    // The schema before each revision's upgrade, to hold its downgrade to.
    std::map<int, schema::Schema> before;
    migrator.before_step = [&](const migrate::Step& step) {
        if (step.upgrade && options.down_walk) {
            before[step.revision] = restricted(migrator.schema(),
                                               touched_tables(ops.get(step.revision)));
        }
    };
    if (auto failure = migrator.run(true, graph.real_heads())) {
        result.complete = false;
        result.findings.push_back(
            failure_finding(graph, ops, *failure, revision_of(graph, failure->revision)));
    }
    result.head = sql::introspect(*db, label);
    if (!result.complete || !options.down_walk) {
        return result;
    }
    std::set<std::string> reported;
    migrator.after_step = [&](const migrate::Step& step) {
        const revision::Revision& rev = graph.at(step.revision);
        std::optional<std::set<std::string>> only = touched_tables(ops.get(step.revision));
        schema::Schema now = sql::introspect(*db, label, "alembic_version", only ? &*only : nullptr);
        const ops::Body& body = ops.get(step.revision).downgrade;
        for (const auto& d : schema::compare(before[step.revision], now)) {
            // A difference one downgrade leaves behind stays for every
            // downgrade after it: it is reported once, at the first.
            std::string key = std::string(schema::difference_kind_name(d.kind)) + "|" + d.table +
                              "|" + d.column + "|" + d.name + "|" + d.expected + "|" + d.actual;
            if (!reported.insert(key).second) {
                continue;
            }
            Finding f;
            f.code = "downgrade-mismatch";
            f.file = rev.path;
            f.line = body.operations.empty() ? rev.line : body.operations.front().where.line;
            // Both sides are this one database at two moments: say which
            // moment, not where each element was declared.
            schema::Difference moment = d;
            moment.expected_at = {};
            moment.actual_at = {};
            f.message = "downgrade() of revision " + rev.id +
                        " does not restore the schema that stood before its upgrade: " +
                        schema::describe(moment, "the schema before the upgrade",
                                         "the schema after the downgrade");
            result.findings.push_back(std::move(f));
        }
    };
    if (auto failure = migrator.run(false, {})) {
        result.findings.push_back(
            failure_finding(graph, ops, *failure, revision_of(graph, failure->revision)));
        return result;
    }
    if (!options.keep_path.empty()) {
        // A kept database is for looking at the head: up once more.
        migrator.before_step = nullptr;
        migrator.after_step = nullptr;
        if (auto failure = migrator.run(true, graph.real_heads())) {
            result.findings.push_back(
                failure_finding(graph, ops, *failure, revision_of(graph, failure->revision)));
        }
    }
    return result;
}

}  // namespace migcheck::replay

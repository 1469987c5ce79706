#include "migcheck/db/offline.hpp"

#include "migcheck/ops/apply.hpp"
#include "migcheck/sql/sqlite_render.hpp"
#include "migcheck/util/error.hpp"

#include <set>

namespace migcheck::db {
namespace {

std::optional<StepFailure> not_interpretable(const revision::Revision& rev, const migrate::Step& step,
                                             const ops::Body& body) {
    StepFailure f{rev.id, step.upgrade, body.stopped_at.file, body.stopped_at.line,
                  body.stopped_column, "", ""};
    f.message = std::string(step.upgrade ? "upgrade()" : "downgrade()") + " holds " + body.why +
                ", which migcheck does not render; write the SQL of this revision with "
                "`alembic upgrade --sql`";
    return f;
}

}  // namespace

std::optional<StepFailure> write_offline_sql(std::ostream& out, const revision::Graph& graph,
                                             migrate::OpsLoader& ops, const std::vector<int>& from,
                                             const std::vector<migrate::Step>& steps,
                                             const std::string& version_table) {
    schema::Schema schema;
    std::vector<Finding> ignored;
    for (const auto& step : migrate::plan_upgrade(graph, {}, from)) {
        const ops::Body& body = ops.get(step.revision).upgrade;
        if (!body.interpretable) {
            return not_interpretable(graph.at(step.revision), step, body);
        }
        for (const auto& op : body.operations) {
            ops::apply(schema, op, ignored);
        }
    }
    if (from.empty() && !steps.empty() && steps.front().upgrade) {
        out << version_table_sql(version_table) << ";\n\n";
    }
    std::set<std::string> heads;
    for (int r : from) {
        heads.insert(graph.at(r).id);
    }
    for (const auto& step : steps) {
        const revision::Revision& rev = graph.at(step.revision);
        const ops::RevisionOps& both = ops.get(step.revision);
        const ops::Body& body = step.upgrade ? both.upgrade : both.downgrade;
        if (!body.interpretable) {
            return not_interpretable(rev, step, body);
        }
        out << "-- " << step_line(graph, step) << "\n\nBEGIN;\n\n";
        for (const auto& op : body.operations) {
            try {
                for (const auto& sql : sql::render_sqlite(schema, op)) {
                    out << sql << ";\n\n";
                }
            } catch (const Error& e) {
                return StepFailure{rev.id, step.upgrade, op.where.file, op.where.line, op.column,
                                   "", e.what()};
            }
            ops::apply(schema, op, ignored);
        }
        for (const auto& change : migrate::version_changes(graph, step, heads)) {
            out << version_change_sql(version_table, change) << ";\n\n";
        }
        out << "COMMIT;\n\n";
    }
    return std::nullopt;
}

}  // namespace migcheck::db

#include "migcheck/db/migrator.hpp"

#include "migcheck/ops/apply.hpp"
#include "migcheck/sql/introspect.hpp"
#include "migcheck/sql/sqlite_render.hpp"
#include "migcheck/sql/types.hpp"
#include "migcheck/util/error.hpp"
#include "migcheck/util/text.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <algorithm>
#include <set>

namespace migcheck::db {

std::string step_line(const revision::Graph& graph, const migrate::Step& step) {
    const revision::Revision& r = graph.at(step.revision);
    // Alembic names the parents only, not the dependencies.
    std::string others = text::join(r.down_revisions, ", ");
    return step.upgrade ? "Running upgrade " + others + " -> " + r.id + ", " + r.message
                        : "Running downgrade " + r.id + " -> " + others + ", " + r.message;
}

Migrator::Migrator(SQLite::Database& db, const revision::Graph& graph, migrate::OpsLoader& ops,
                   const std::string& version_table, std::string label)
    : m_db(db), m_graph(graph), m_ops(ops), m_version(db, version_table), m_label(std::move(label)) {}

const schema::Schema& Migrator::schema() {
    if (!m_schema) {
        m_schema = sql::introspect(m_db, m_label, m_version.name());
    }
    return *m_schema;
}

std::optional<StepFailure> Migrator::run(bool upgrade, const std::vector<int>& targets,
                                         const std::string& branch) {
    for (;;) {
        std::vector<std::string> expected = m_version.rows();
        std::vector<int> current = migrate::current_revisions(m_graph, expected);
        std::vector<migrate::Step> steps = upgrade ? migrate::plan_upgrade(m_graph, current, targets)
                                                   : migrate::plan_downgrade(m_graph, current, targets, branch);
        std::vector<int> revs;
        for (const auto& s : steps) {
            revs.push_back(s.revision);
        }
        m_ops.preload(revs);
        bool moved = false;
        for (const auto& step : steps) {
            std::vector<std::string> rows_after;
            if (auto failure = run_step(step, expected, moved, rows_after)) {
                return failure;
            }
            if (moved) {
                break;
            }
            expected = std::move(rows_after);
        }
        if (!moved) {
            return std::nullopt;
        }
        // Another process moved the rows: what it did is in the database,
        // which is read again.
        m_schema.reset();
    }
}

std::optional<StepFailure> Migrator::run_step(const migrate::Step& step,
                                              const std::vector<std::string>& expected, bool& moved,
                                              std::vector<std::string>& rows_after) {
    const revision::Revision& rev = m_graph.at(step.revision);
    // Rolled back on every way out but the commit below.
    SQLite::Transaction tx(m_db, SQLite::TransactionBehavior::IMMEDIATE);
    std::vector<std::string> now = m_version.rows();
    if (now != expected) {
        moved = true;
        return std::nullopt;
    }
    const ops::RevisionOps& all = m_ops.get(step.revision);
    const ops::Body& body = step.upgrade ? all.upgrade : all.downgrade;
    StepFailure failure{rev.id, step.upgrade, rev.path, rev.line, 0, "", ""};
    if (!body.interpretable) {
        failure.file = body.stopped_at.file;
        failure.line = body.stopped_at.line;
        failure.column = body.stopped_column;
        failure.message = std::string(step.upgrade ? "upgrade()" : "downgrade()") +
                          " holds " + body.why +
                          ", which migcheck does not run; run this revision with Alembic";
        return failure;
    }
    if (log) {
        log(step_line(m_graph, step));
    }
    m_version.ensure();
    if (before_step) {
        before_step(step);
    }
    // The tracked schema is changed in place; any way out before the commit
    // forgets it, and it is read again from the database when next needed.
    schema();
    struct Forget {
        std::optional<schema::Schema>& tracked;
        VersionTable& version;
        bool keep = false;
        ~Forget() {
            if (!keep) {
                tracked.reset();
                version.forget();  // the rollback may take the table with it
            }
        }
    } forget{m_schema, m_version};
    schema::Schema& work = *m_schema;
    std::set<std::string> touched;
    for (const auto& op : body.operations) {
        touched.insert(ops::target_table(op.change));
        if (const auto* rename = std::get_if<ops::RenameTable>(&op.change)) {
            touched.insert(rename->new_name);
        }
        failure.file = op.where.file;
        failure.line = op.where.line;
        failure.column = op.column;
        // The model moves first, then the statements are rendered from the
        // table as it stood and the schema after: one table copied per
        // operation, not the whole schema (render_sqlite's way).
        schema::Schema before;
        if (const schema::Table* t = work.find_table(ops::target_table(op.change))) {
            before.tables.push_back(*t);
        }
        std::vector<Finding> notes;
        ops::apply(work, op, notes);
        // An error leaves the model as it was; its message alone, as
        // render_sqlite words it.
        auto error = std::find_if(notes.begin(), notes.end(),
                                  [](const Finding& f) { return f.severity == Severity::error; });
        if (error != notes.end()) {
            failure.message = error->message;
            return failure;
        }
        std::vector<std::string> statements;
        try {
            statements = sql::render_sqlite_applied(before, work, op);
        } catch (const Error& e) {
            failure.message = e.what();
            return failure;
        }
        for (const auto& sql : statements) {
            try {
                m_db.exec(sql);
            } catch (const SQLite::Exception& e) {
                failure.sql = sql;
                failure.message = e.what();
                return failure;
            }
        }
        if (std::holds_alternative<ops::Execute>(op.change) && !notes.empty()) {
            // SQL the model does not follow: read back what it did.
            work = sql::introspect(m_db, m_label, m_version.name());
        }
    }
    std::set<std::string> heads(now.begin(), now.end());
    try {
        for (const auto& change : migrate::version_changes(m_graph, step, heads)) {
            m_version.apply(change);
        }
    } catch (const std::exception& e) {
        // Error for a row count Alembic would refuse, SQLite::Exception for
        // a row that is there already.
        failure.file = rev.path;
        failure.line = rev.line;
        failure.column = 0;
        failure.message = std::string("the version table: ") + e.what();
        return failure;
    }
    tx.commit();
    // What this process wrote: the next step's transaction must find exactly
    // these rows, or another process has moved them in between.
    rows_after = {heads.begin(), heads.end()};
    // Kept as SQLite holds it, like the introspected schema it started from;
    // only the tables this step changed need lowering.
    for (const auto& name : touched) {
        if (schema::Table* t = work.find_table(name)) {
            sql::lower_to_sqlite(*t);
        }
    }
    forget.keep = true;
    if (after_step) {
        after_step(step);
    }
    return std::nullopt;
}

}  // namespace migcheck::db

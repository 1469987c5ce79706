#pragma once

#include "migcheck/db/version_table.hpp"
#include "migcheck/migrate/ops_loader.hpp"
#include "migcheck/migrate/plan.hpp"
#include "migcheck/schema/schema.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace SQLite {
class Database;
}

namespace migcheck::db {

// Why a revision could not run. The database is left at the revision before
// it: the revision's statements and its version row change share one
// transaction.
struct StepFailure {
    std::string revision;
    bool upgrade = true;
    std::string file;  // where: the failing operation's call, or the
    int line = 0;      // statement migcheck cannot interpret
    int column = 0;
    std::string sql;      // the statement SQLite refused; "" when none ran
    std::string message;  // SQLite's message, or why the revision cannot run
};

// Runs revisions against a SQLite database: each revision in its own
// transaction, taken with BEGIN IMMEDIATE (the write lock) before the
// version rows are read again inside it, so that two processes migrating one
// database never run a revision twice: when another process moved the rows,
// the plan is made again from where it left them.
class Migrator {
  public:
    Migrator(SQLite::Database& db, const revision::Graph& graph, migrate::OpsLoader& ops,
             const std::string& version_table, std::string label);

    // Called inside the revision's transaction before its first statement,
    // and after its commit. For the scratch replay's snapshots.
    std::function<void(const migrate::Step&)> before_step;
    std::function<void(const migrate::Step&)> after_step;
    // A line per revision: "Running upgrade a -> b, message".
    std::function<void(const std::string&)> log;

    // The version table's rows, sorted.
    std::vector<std::string> rows() const { return m_version.rows(); }

    // Upgrades (or downgrades) until the database is at `targets` (empty:
    // base), or a revision fails. Throws usage_error for a version row that
    // names an unknown revision, runtime_error for I/O and locking failures.
    // A downgrade to label@target moves only the branch `branch`.
    std::optional<StepFailure> run(bool upgrade, const std::vector<int>& targets,
                                   const std::string& branch = "");

    // The schema the migrator believes the database has, kept up to date
    // operation by operation (what SQLite keeps; see sql/types.hpp).
    const schema::Schema& schema();

  private:
    std::optional<StepFailure> run_step(const migrate::Step& step,
                                        const std::vector<std::string>& expected, bool& moved,
                                        std::vector<std::string>& rows_after);

    SQLite::Database& m_db;
    const revision::Graph& m_graph;
    migrate::OpsLoader& m_ops;
    VersionTable m_version;
    std::string m_label;
    std::optional<schema::Schema> m_schema;
};

// "Running upgrade a, b -> c, message" / "Running downgrade c -> a, b, message",
// as Alembic logs a step.
std::string step_line(const revision::Graph& graph, const migrate::Step& step);

}  // namespace migcheck::db

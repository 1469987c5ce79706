#include "migcheck/cli/apply_commands.hpp"

#include "migcheck/cli/loaded_history.hpp"
#include "migcheck/db/connection.hpp"
#include "migcheck/db/migrator.hpp"
#include "migcheck/db/offline.hpp"
#include "migcheck/report/render.hpp"
#include "migcheck/revision/format.hpp"
#include "migcheck/util/error.hpp"
#include "migcheck/util/text.hpp"

#include <cstdlib>

namespace migcheck::cli {
namespace {

using revision::Graph;

// The graph, refusing to migrate a database over a history with errors: a
// missing parent or a duplicate id would make the plan wrong.
LoadedGraph& history_for_migrating(const Context& ctx, std::ostream& err) {
    LoadedGraph& h = load_graph(ctx);
    render_text(err, h.findings, false);
    if (has_errors(h.findings)) {
        throw Error(ExitCode::check_failed,
                    "the revision history has errors (above); fix them before migrating a "
                    "database");
    }
    return h;
}

// Runs `how`, turning a target that does not resolve into a usage error.
template <typename F>
auto resolve(const F& how, const std::string& target) {
    try {
        return how();
    } catch (const revision::ResolutionError& e) {
        throw usage_error("target '" + target + "': " + e.what());
    }
}

// A row as `alembic current` prints it: the id, then (head) or (effective
// head), (branchpoint) and (mergepoint); no branch labels.
std::string current_line(const Graph& g, int i) {
    std::string s = g.at(i).id;
    if (g.is_real_head(i)) {
        s += " (head)";
    } else if (g.is_head(i)) {
        s += " (effective head)";
    }
    if (g.is_branch_point(i)) {
        s += " (branchpoint)";
    }
    if (g.is_merge_point(i)) {
        s += " (mergepoint)";
    }
    return s;
}

std::string where_now(const Graph& g, const std::vector<std::string>& rows) {
    if (rows.empty()) {
        return "base (no revision applied)";
    }
    std::vector<std::string> lines;
    for (int i : migrate::current_revisions(g, rows)) {
        lines.push_back(current_line(g, i));
    }
    return text::join(lines, ", ");
}

void report_step_failure(const db::StepFailure& f, std::ostream& err) {
    Finding finding;
    finding.code = f.sql.empty() ? "not-interpretable" : "migration-failed";
    finding.file = f.file;
    finding.line = f.line;
    finding.column = f.column;
    finding.message = std::string(f.upgrade ? "upgrade" : "downgrade") + " of revision " +
                      f.revision + " failed: " + f.message;
    if (!f.sql.empty()) {
        finding.message += "; the statement was: " + f.sql;
    }
    render_text(err, {finding}, false);
}

int report_failure(const db::StepFailure& f, const Graph& g, const std::vector<std::string>& rows,
                   const char* command, std::ostream& err) {
    report_step_failure(f, err);
    err << command << ": stopped at revision " << f.revision << "; the database stays at "
        << where_now(g, rows) << "\n";
    return static_cast<int>(ExitCode::check_failed);
}

// FROM:TO for --sql; FROM empty means base.
std::pair<std::string, std::string> split_range(const std::string& target) {
    auto colon = target.find(':');
    if (colon == std::string::npos) {
        return {"", target};
    }
    return {target.substr(0, colon), target.substr(colon + 1)};
}

int offline(const Context& ctx, const Graph& g, bool upgrade, const std::string& target,
            std::ostream& out, std::ostream& err) {
    auto [from_text, to_text] = split_range(target);
    if (!upgrade && from_text.empty()) {
        throw usage_error("downgrade --sql needs a range FROM:TO, as there is no database to "
                          "read the current revision from");
    }
    std::vector<int> from =
        resolve([&] { return from_text.empty() ? std::vector<int>{} : g.resolve(from_text); },
                from_text);
    migrate::OpsLoader ops(*ctx.files, g);
    std::vector<migrate::Step> steps;
    if (upgrade) {
        std::vector<int> to = resolve([&] { return migrate::upgrade_targets(g, from, to_text); }, to_text);
        steps = migrate::plan_upgrade(g, from, to);
    } else {
        std::vector<int> to = resolve([&] { return migrate::downgrade_targets(g, from, to_text); }, to_text);
        steps = resolve([&] { return migrate::plan_downgrade(g, from, to, migrate::target_branch(to_text)); },
                        to_text);
    }
    if (auto failure = db::write_offline_sql(out, g, ops, from, steps, ctx.project.alembic.version_table)) {
        report_step_failure(*failure, err);
        err << (upgrade ? "apply --sql" : "downgrade --sql") << ": stopped at revision "
            << failure->revision << "; the SQL above ends before it\n";
        return static_cast<int>(ExitCode::check_failed);
    }
    return 0;
}

int migrate_database(const Context& ctx, const DatabaseOptions& opts, bool upgrade,
                     const std::string& target, bool sql, std::ostream& out, std::ostream& err) {
    LoadedGraph& h = history_for_migrating(ctx, err);
    const Graph& g = h.graph;
    if (sql) {
        // Offline SQL is SQLite's: a URL for another database is refused,
        // and none at all is fine.
        const char* env = std::getenv("DATABASE_URL");
        if (!opts.url.empty() || (env != nullptr && *env != '\0') ||
            !ctx.project.alembic.sqlalchemy_url.empty()) {
            db::choose_target(opts.url, ctx.project.alembic, opts.base_dir);
        }
        return offline(ctx, g, upgrade, target, out, err);
    }
    db::Target where = db::choose_target(opts.url, ctx.project.alembic, opts.base_dir);
    db::DatabasePtr database = db::open_database(where, true);
    migrate::OpsLoader ops(*ctx.files, g);
    db::Migrator migrator(*database, g, ops, ctx.project.alembic.version_table, where.url);
    std::vector<int> current = migrate::current_revisions(g, migrator.rows());
    std::vector<int> targets =
        resolve([&] { return upgrade ? migrate::upgrade_targets(g, current, target)
                                     : migrate::downgrade_targets(g, current, target); },
                target);
    if (!upgrade) {
        // A target above the database is a usage error before anything runs.
        resolve([&] { return migrate::plan_downgrade(g, current, targets, migrate::target_branch(target)); },
                target);
    }
    std::size_t ran = 0;
    migrator.log = [&](const std::string& line) { out << line << "\n" << std::flush; };
    migrator.after_step = [&](const migrate::Step&) { ++ran; };
    const char* command = upgrade ? "apply" : "downgrade";
    if (auto failure = migrator.run(upgrade, targets, upgrade ? "" : migrate::target_branch(target))) {
        return report_failure(*failure, g, migrator.rows(), command, err);
    }
    out << command << ": " << (ran == 0 ? std::string("nothing to run")
                                        : std::to_string(ran) + (ran == 1 ? " revision" : " revisions") +
                                              (upgrade ? " applied" : " downgraded"))
        << "; " << where.url << " is at " << where_now(g, migrator.rows()) << "\n";
    return 0;
}

}  // namespace

int apply_command(const Context& ctx, const DatabaseOptions& db, const std::string& target,
                  bool sql, std::ostream& out, std::ostream& err) {
    return migrate_database(ctx, db, true, target, sql, out, err);
}

int downgrade_command(const Context& ctx, const DatabaseOptions& db, const std::string& target,
                      bool sql, std::ostream& out, std::ostream& err) {
    return migrate_database(ctx, db, false, target, sql, out, err);
}

int stamp_command(const Context& ctx, const DatabaseOptions& opts, const std::string& target,
                  bool purge, std::ostream& out, std::ostream& err) {
    LoadedGraph& h = history_for_migrating(ctx, err);
    const Graph& g = h.graph;
    db::Target where = db::choose_target(opts.url, ctx.project.alembic, opts.base_dir);
    db::DatabasePtr database = db::open_database(where, true);
    db::VersionTable version(*database, ctx.project.alembic.version_table);
    std::vector<std::string> before = version.rows();
    std::vector<int> current = purge ? std::vector<int>{} : migrate::current_revisions(g, before);
    std::vector<int> targets = resolve([&] { return g.resolve(target); }, target);
    std::vector<std::string> rows = migrate::plan_stamp(g, current, targets, purge);
    version.replace(rows);
    out << "stamp: " << where.url << " is at " << where_now(g, version.rows())
        << " (no revision was run)\n";
    return 0;
}

int current_command(const Context& ctx, const DatabaseOptions& opts, std::ostream& out,
                    std::ostream& err) {
    // Rows print as ids and marks: no message or docstring is needed.
    LoadedGraph& h = load_graph(ctx, revision::HeaderText::none);
    render_text(err, h.findings, false);
    db::Target where = db::choose_target(opts.url, ctx.project.alembic, opts.base_dir);
    db::DatabasePtr database = db::open_database(where, false);
    if (!database) {
        return 0;
    }
    db::VersionTable version(*database, ctx.project.alembic.version_table);
    for (int i : migrate::all_current(h.graph, migrate::current_revisions(h.graph, version.rows()))) {
        out << current_line(h.graph, i) << "\n";
    }
    return 0;
}

int pending_command(const Context& ctx, const DatabaseOptions& opts, std::ostream& out,
                    std::ostream& err) {
    LoadedGraph& h = load_graph(ctx);
    render_text(err, h.findings, false);
    db::Target where = db::choose_target(opts.url, ctx.project.alembic, opts.base_dir);
    db::DatabasePtr database = db::open_database(where, false);
    std::vector<std::string> rows;
    if (database) {
        rows = db::VersionTable(*database, ctx.project.alembic.version_table).rows();
    }
    std::vector<int> current = migrate::current_revisions(h.graph, rows);
    for (const auto& step : migrate::plan_upgrade(h.graph, current, h.graph.real_heads())) {
        out << revision::history_line(h.graph, step.revision) << "\n";
    }
    return 0;
}

}  // namespace migcheck::cli

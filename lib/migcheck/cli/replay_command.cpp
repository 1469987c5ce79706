#include "migcheck/cli/replay_command.hpp"

#include "migcheck/cli/loaded_history.hpp"
#include "migcheck/db/url.hpp"
#include "migcheck/replay/alembic_runner.hpp"
#include "migcheck/replay/check.hpp"
#include "migcheck/replay/replay.hpp"
#include "migcheck/schema/compare.hpp"
#include "migcheck/schema/yaml_loader.hpp"
#include "migcheck/sql/types.hpp"
#include "migcheck/util/error.hpp"

#include <algorithm>

namespace migcheck::cli {
namespace {

struct Outcome {
    std::vector<Finding> findings;
    std::string compared;  // what the head was compared with, for the summary
    bool symbolic_complete = false;
    bool scratch_complete = false;
    std::string python;
};

Outcome run_builtin(const Context& ctx, const revision::Graph& graph, const schema::Schema& declared,
                    const ReplayOptions& opts) {
    Outcome o;
    const std::string& schema_path = ctx.project.settings.schema;
    migrate::OpsLoader ops(*ctx.files, graph);
    // What Alembic cannot run on SQLite matters when the project's own
    // database is SQLite.
    bool sqlite = db::is_sqlite_url(ctx.project.alembic.sqlalchemy_url);
    replay::ReplayCheck check = replay::check_replays(graph, ops, declared, schema_path, sqlite,
                                                      {opts.keep, opts.down_walk});
    o.findings = std::move(check.findings);
    o.symbolic_complete = check.symbolic_complete;
    o.scratch_complete = check.scratch_complete;
    return o;
}

Outcome run_alembic(const Context& ctx, const schema::Schema& declared, const ReplayOptions& opts) {
    Outcome o;
    replay::AlembicRun run =
        replay::replay_with_alembic(ctx.project.alembic, {ctx.root, opts.keep, opts.down_walk});
    o.python = run.python;
    o.findings = std::move(run.findings);
    o.scratch_complete = run.complete;
    if (run.complete) {
        auto diff = replay::schema_findings(sql::sqlite_view(declared), run.head,
                                            ctx.project.settings.schema, "the scratch database",
                                            "migration");
        o.findings.insert(o.findings.end(), diff.begin(), diff.end());
    }
    return o;
}

std::string plural(std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

int replay_command(const Context& ctx, const ReplayOptions& opts, std::ostream& out,
                   std::ostream& err) {
    if (opts.runner != "builtin" && opts.runner != "alembic") {
        throw usage_error("--runner " + opts.runner + ": give builtin or alembic");
    }
    const std::string& schema_path = ctx.project.settings.schema;
    std::optional<std::string> schema_text = ctx.files->read(schema_path);
    if (!schema_text) {
        throw usage_error(schema_path + ": not found in " + ctx.files->description() +
                          "; declare the schema there (see docs/schema-yaml.md), or point "
                          "`schema:` in config/migcheck.yaml at it");
    }
    schema::Schema declared = schema::load_schema_yaml(*schema_text, schema_path);
    LoadedGraph& h = load_graph(ctx);
    Outcome o = opts.runner == "alembic" ? run_alembic(ctx, declared, opts)
                                         : run_builtin(ctx, h.graph, declared, opts);
    std::vector<Finding> findings = h.findings;
    findings.insert(findings.end(), o.findings.begin(), o.findings.end());
    apply_severities(findings, ctx.project.settings);
    sort_findings(findings);
    bool ok = !has_errors(findings);
    std::string where = !opts.keep.empty()            ? opts.keep
                        : opts.runner == "alembic" ? "a temporary file"
                                                   : "in memory";
    if (opts.format == Format::json) {
        nlohmann::json doc;
        doc["version"] = json_version;
        doc["runner"] = opts.runner;
        if (!o.python.empty()) {
            doc["python"] = o.python;
        }
        doc["revisions"] = h.graph.size();
        doc["database"] = opts.keep.empty() ? nlohmann::json(nullptr) : nlohmann::json(opts.keep);
        doc["schema"] = schema_path;
        doc["symbolic_complete"] = o.symbolic_complete;
        doc["scratch_complete"] = o.scratch_complete;
        doc["downgrades_checked"] = opts.down_walk && o.scratch_complete;
        doc["findings"] = findings_json(findings);
        doc["ok"] = ok;
        out << dump_json(doc) << "\n";
    } else if (opts.format == Format::github) {
        render_github(out, findings);
    } else {
        render_text(out, findings, use_colour());
        out << "replay: " << plural(h.graph.size(), "revision", "revisions");
        if (opts.runner == "alembic") {
            out << " run by Alembic (" << o.python << ")";
        }
        out << " on SQLite (" << where << ")"
            << (opts.down_walk ? ", up and back down" : ", up only") << ": ";
        if (ok) {
            out << "the migrations build " << schema_path
                << (findings.empty() ? "" : " (" + summary(findings) + ")");
        } else {
            out << summary(findings);
        }
        out << "\n";
    }
    (void)err;
    return static_cast<int>(ok ? ExitCode::ok : ExitCode::check_failed);
}

}  // namespace migcheck::cli

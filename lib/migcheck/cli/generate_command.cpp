#include "migcheck/cli/generate_command.hpp"

#include "migcheck/cli/generate_detail.hpp"
#include "migcheck/cli/loaded_history.hpp"
#include "migcheck/db/url.hpp"
#include "migcheck/generate/python.hpp"
#include "migcheck/generate/revision_file.hpp"
#include "migcheck/replay/replay.hpp"
#include "migcheck/report/render.hpp"
#include "migcheck/schema/yaml_loader.hpp"
#include "migcheck/util/error.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <set>
#include <sys/stat.h>

namespace migcheck::cli {
namespace {

using generate::Step;

struct Bodies {
    std::vector<Step> upgrade;
    std::vector<Step> downgrade;
    schema::Schema head;
    schema::Schema declared;
};

std::string ids(const revision::Graph& graph, const std::vector<int>& revs) {
    std::string out;
    for (int r : revs) {
        out += (out.empty() ? "" : ", ") + graph.at(r).id;
    }
    return out;
}

int refuse(std::ostream& report, std::vector<Finding> findings, const config::Settings& settings,
           const std::string& why) {
    apply_severities(findings, settings);
    sort_findings(findings);
    render_text(report, findings, use_colour());
    report << "generate: " << why << "; nothing written\n";
    return static_cast<int>(ExitCode::check_failed);
}

// The revisions the new one revises: every head, or for a merge the
// revisions named.
std::vector<int> parents_of(const revision::Graph& graph, const GenerateOptions& opts) {
    std::vector<std::string> names = opts.merge ? opts.revisions : std::vector<std::string>();
    if (!opts.merge && !opts.head.empty()) {
        names = {opts.head};
    }
    if (names.empty()) {
        return graph.heads();
    }
    std::set<int> picked;
    for (const auto& name : names) {
        try {
            for (int r : graph.resolve(name)) {
                picked.insert(r);
            }
        } catch (const revision::ResolutionError& e) {
            throw usage_error(std::string(opts.merge ? "merge: " : "--head: ") + e.what());
        }
    }
    std::vector<int> out(picked.begin(), picked.end());
    std::sort(out.begin(), out.end(),
              [&](int a, int b) { return graph.at(a).id < graph.at(b).id; });
    return out;
}

std::string checked_rev_id(const GenerateOptions& opts, const revision::Graph& graph) {
    if (opts.rev_id.empty()) {
        return generate::new_revision_id();
    }
    for (char c : opts.rev_id) {
        if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '_') {
            throw usage_error("--rev-id '" + opts.rev_id +
                              "': a revision id is letters, digits and _ only");
        }
    }
    if (opts.rev_id.size() > 32) {
        throw usage_error("--rev-id '" + opts.rev_id +
                          "': longer than the 32 characters the version table holds");
    }
    if (graph.find(opts.rev_id)) {
        throw usage_error("--rev-id '" + opts.rev_id + "': revision " + opts.rev_id +
                          " exists already (" + graph.at(*graph.find(opts.rev_id)).path + ")");
    }
    return opts.rev_id;
}

// The template: the project's script.py.mako when it uses only the
// standard substitutions, else Alembic's own.
std::string revision_text(const Context& ctx, const generate::RevisionText& fields,
                          std::vector<Finding>& warnings) {
    const std::string mako_path = ctx.project.alembic.script_location + "/script.py.mako";
    std::string why;
    if (std::optional<std::string> mako = ctx.files->read(mako_path)) {
        if (auto text = generate::fill_template(*mako, fields, why)) {
            return *text;
        }
        Finding f;
        f.severity = Severity::warning;
        f.code = "template-not-used";
        f.file = mako_path;
        f.message = mako_path + " uses more than Alembic's standard substitutions (" + why +
                    "), so the revision was written from Alembic's default template";
        warnings.push_back(std::move(f));
    }
    return *generate::fill_template(generate::default_template(), fields, why);
}

void write_file(const std::string& abs_path, const std::string& text) {
    std::FILE* f = std::fopen(abs_path.c_str(), "wx");
    if (f == nullptr) {
        throw runtime_error(abs_path + ": cannot be created: " + std::strerror(errno));
    }
    const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
    if (std::fclose(f) != 0 || !ok) {
        throw runtime_error(abs_path + ": cannot be written: " + std::strerror(errno));
    }
}

}  // namespace

int generate_command(const Context& ctx, const GenerateOptions& opts, std::ostream& out,
                     std::ostream& err) {
    const config::AlembicSettings& alembic = ctx.project.alembic;
    const config::Settings& settings = ctx.project.settings;
    std::ostream& report = opts.to_stdout || opts.sql ? err : out;
    if (opts.sql && opts.to_stdout) {
        throw usage_error("--sql and --stdout print different things; give one of them");
    }
    if (!alembic.present) {
        throw usage_error(alembic.ini_path + ": not found; generate writes revisions where "
                                             "alembic.ini's version locations say");
    }
    LoadedGraph& loaded = load_graph(ctx);
    const revision::Graph& graph = loaded.graph;
    if (has_errors(loaded.findings)) {
        return refuse(report, loaded.findings, settings, "the history has errors");
    }
    std::vector<int> parents = parents_of(graph, opts);
    const bool merging = opts.merge || (opts.empty && parents.size() > 1);
    if (opts.merge && parents.size() < 2) {
        report << "generate: nothing to merge: the history has "
               << (parents.empty() ? std::string("no revision")
                                   : "one head (" + ids(graph, parents) + ")")
               << "; nothing written\n";
        return static_cast<int>(ExitCode::check_failed);
    }
    if (!merging) {
        std::vector<Finding> heads = revision::check_heads(graph, settings.heads);
        apply_severities(heads, settings);
        if (has_errors(heads)) {
            return refuse(report, heads, settings,
                          "the history has " + std::to_string(graph.heads().size()) +
                              " heads; write a merge revision first: manage_migrations merge");
        }
        if (parents.size() > 1) {
            report << "generate: the history has " << parents.size() << " heads ("
                   << ids(graph, parents)
                   << "); name the one the new revision builds on with --head (an id or "
                      "label@head); nothing written\n";
            return static_cast<int>(ExitCode::check_failed);
        }
        if (!opts.head.empty() && !parents.empty() && !graph.is_head(parents.front())) {
            throw usage_error("--head " + opts.head + ": revision " + graph.at(parents.front()).id +
                              " is not a head");
        }
    }

    generate::RevisionText fields;
    fields.revision = checked_rev_id(opts, graph);
    Bodies bodies;
    std::vector<Finding> warnings;
    const std::string& schema_path = settings.schema;
    if (!opts.empty && !opts.merge) {
        std::optional<std::string> schema_text = ctx.files->read(schema_path);
        if (!schema_text) {
            throw usage_error(schema_path + ": not found in " + ctx.files->description() +
                              "; generate writes the revision that builds it");
        }
        bodies.declared = schema::load_schema_yaml(*schema_text, schema_path);
        auto models = generate_detail::models_findings(ctx, bodies.declared, opts.ignored);
        replay::SymbolicResult sym = generate_detail::history_schema(ctx, graph);
        std::vector<Finding> model_findings = models.get();
        apply_severities(model_findings, settings);
        apply_severities(sym.findings, settings);
        if (has_errors(model_findings)) {
            return refuse(report, model_findings, settings,
                          "the models and " + schema_path + " differ");
        }
        if (!sym.complete || has_errors(sym.findings)) {
            return refuse(report, sym.findings, settings,
                          "the history cannot be replayed, so the schema it builds is not known");
        }
        warnings = std::move(model_findings);
        bodies.head = std::move(sym.head);
        const bool batch =
            settings.render_as_batch.value_or(db::is_sqlite_url(alembic.sqlalchemy_url));
        generate::Plan plan =
            generate::plan_revision(bodies.head, bodies.declared, schema_path, batch);
        warnings.insert(warnings.end(), plan.warnings.begin(), plan.warnings.end());
        bodies.upgrade = std::move(plan.upgrade);
        bodies.downgrade = std::move(plan.downgrade);
        if (bodies.upgrade.empty()) {
            apply_severities(warnings, settings);
            sort_findings(warnings);
            render_text(report, warnings, use_colour());
            report << "No changes detected\n";
            return static_cast<int>(ExitCode::ok);
        }
    }

    fields.message = opts.message.empty() ? "empty message" : opts.message;
    for (int p : parents) {
        fields.down_revisions.push_back(graph.at(p).id);
    }
    const generate::CreateDate date = generate::now();
    fields.create_date = generate::to_string(date);
    const auto dialect = alembic.sqlalchemy_url.rfind("postgres", 0) == 0
                             ? generate::Dialect::postgresql
                             : generate::Dialect::generic;
    std::set<std::string> imports;
    fields.upgrades = generate::render_body(bodies.upgrade, dialect, imports);
    fields.downgrades = generate::render_body(bodies.downgrade, dialect, imports);
    fields.imports.assign(imports.begin(), imports.end());
    const std::string text = revision_text(ctx, fields, warnings);

    const std::string dir = alembic.version_locations.front();
    const std::string name = generate::file_name(
        alembic.file_template, fields.revision,
        generate::slug(opts.message, alembic.truncate_slug_length.value_or(40)), date,
        alembic.ini_path);
    const std::string rel_path = dir + "/" + name;
    if (!bodies.upgrade.empty()) {
        auto left = generate_detail::check_round_trip(text, rel_path, bodies.head,
                                                      bodies.declared, schema_path);
        warnings.insert(warnings.end(), left.begin(), left.end());
    }
    apply_severities(warnings, settings);
    sort_findings(warnings);
    render_text(report, warnings, use_colour());

    const std::string from = fields.down_revisions.empty() ? "" : ids(graph, parents);
    if (opts.sql) {
        generate_detail::write_sql(out, bodies.head, bodies.upgrade,
                                   "Running upgrade " + from + " -> " + fields.revision + ", " +
                                       fields.message);
        return static_cast<int>(ExitCode::ok);
    }
    if (opts.to_stdout) {
        out << text;
        return static_cast<int>(ExitCode::ok);
    }
    const std::string abs_dir = dir.front() == '/' ? dir : ctx.root + "/" + dir;
    struct stat st {};
    if (::stat(abs_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        throw usage_error(dir + ": the version location (" + alembic.ini_path +
                          ") does not exist; create it first");
    }
    write_file(abs_dir + "/" + name, text);
    std::size_t destructive = 0;
    for (const auto& step : bodies.upgrade) {
        out << (step.caution.empty() ? "  " : "! ") << generate::describe_step(step.op);
        if (!step.caution.empty()) {
            ++destructive;
            out << ": destructive: " << step.caution;
        }
        out << "\n";
    }
    out << "Generating " << rel_path << " ...  done\n";
    out << "generate: revision " << fields.revision;
    if (merging) {
        out << " merges " << from << "\n";
        return static_cast<int>(ExitCode::ok);
    }
    out << (from.empty() ? " (the first)" : " on " + from);
    if (opts.empty) {
        out << ", empty\n";
        return static_cast<int>(ExitCode::ok);
    }
    out << ": " << bodies.upgrade.size()
        << (bodies.upgrade.size() == 1 ? " operation" : " operations");
    if (destructive > 0) {
        out << ", " << destructive << " destructive (marked in the file)";
    }
    out << "; review it, then apply\n";
    return static_cast<int>(ExitCode::ok);
}

}  // namespace migcheck::cli

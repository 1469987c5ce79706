#include "migcheck/cli/validate_command.hpp"

#include "migcheck/migrate/ops_loader.hpp"
#include "migcheck/models/reader.hpp"
#include "migcheck/replay/replay.hpp"
#include "migcheck/revision/loader.hpp"
#include "migcheck/schema/compare.hpp"
#include "migcheck/schema/yaml_loader.hpp"
#include "migcheck/util/error.hpp"

#include <algorithm>
#include <future>
#include <set>
#include <utility>

namespace migcheck::cli {
namespace {

using Unchecked = std::set<std::pair<std::string, std::string>>;

std::string rule_for(schema::DifferenceKind kind) {
    return schema::difference_code("model", kind);
}

// What to change, for a reader who knows only that the two disagree. Either
// side may be the one that is wrong, so both are offered.
std::string fix_for(const schema::Difference& d, const std::string& schema_path) {
    using K = schema::DifferenceKind;
    std::string change;
    switch (d.kind) {
    case K::table_missing:
        change = "declare a model for it, or remove it from " + schema_path;
        break;
    case K::table_extra:
        change = "declare it in " + schema_path + ", or remove the model";
        break;
    case K::column_missing:
        change = "add the column to the model, or remove it from " + schema_path;
        break;
    case K::column_extra:
        change = "declare it in " + schema_path + ", or remove it from the model";
        break;
    default:
        change = "change the model or " + schema_path + " so that they agree";
        break;
    }
    std::string subject = d.column.empty() ? d.table : d.table + "." + d.column;
    return change + ", then write the migration: manage_migrations generate \"update " + subject + "\"";
}

bool is_unchecked(const schema::Difference& d, const Unchecked& unchecked) {
    return unchecked.count({d.table, ""}) != 0U ||
           (!d.column.empty() && unchecked.count({d.table, d.column}) != 0U);
}

// The model's place when it has one; a table missing from the models has
// none, and is reported where schema.yaml declares it.
Finding finding_for(const schema::Difference& d, const std::string& schema_path) {
    const schema::Location& at = d.actual_at.file.empty() ? d.expected_at : d.actual_at;
    Finding f;
    f.code = rule_for(d.kind);
    f.file = at.file.empty() ? schema_path : at.file;
    f.line = at.line;
    f.message = schema::describe(d, schema_path, "the models") + "; " + fix_for(d, schema_path);
    return f;
}

std::string quoted_list(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "\"" : ", \"") + item + "\"";
    }
    return out;
}

Finding no_models_finding(const Context& ctx) {
    const config::Settings& s = ctx.project.settings;
    bool configured = !s.path.empty() && s.models != config::Settings{}.models;
    Finding f;
    f.code = "no-models";
    f.file = s.path.empty() ? "config/migcheck.yaml" : s.path;
    f.message = "no model files in " + ctx.files->description() + " match the models glob" +
                (s.models.size() == 1 ? " " : "s ") + quoted_list(s.models) +
                (configured ? " (models in " + s.path + ")" : " (the default)") +
                "; list the globs of the model files under `models:` in " + f.file;
    return f;
}

std::string unchecked_text(const Unchecked& unchecked) {
    std::string out;
    for (const auto& [table, column] : unchecked) {
        out += (out.empty() ? "" : ", ") +
               (column.empty() ? table + " (the whole table)" : table + "." + column);
    }
    return out;
}

nlohmann::json location_json(const schema::Location& at) {
    return {{"file", at.file}, {"line", at.line}};
}

nlohmann::json difference_json(const schema::Difference& d) {
    return {{"kind", schema::difference_kind_name(d.kind)},
            {"code", rule_for(d.kind)},
            {"table", d.table},
            {"column", d.column},
            {"name", d.name},
            {"expected", d.expected},
            {"actual", d.actual},
            {"expected_at", location_json(d.expected_at)},
            {"actual_at", location_json(d.actual_at)},
            {"note", d.note}};
}

std::string plural(std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

// The migrations side: the schema the history builds, replayed symbolically.
struct MigrationsSide {
    bool compared = false;       // a history was found and replayed in full
    std::size_t revisions = 0;
    std::string skipped;         // why it was not compared, for the summary
    std::vector<Finding> findings;
};

MigrationsSide migrations_side(const Context& ctx, const schema::Schema& declared) {
    MigrationsSide side;
    if (!ctx.project.alembic.present) {
        side.skipped = "no " + ctx.project.alembic.ini_path + ", so no migration history was compared";
        return side;
    }
    revision::LoadedHistory loaded;
    try {
        loaded = revision::load_history(*ctx.files, ctx.project.alembic, ctx.root);
    } catch (const Error& e) {
        side.skipped = std::string("no migration history was compared: ") + e.what();
        return side;
    }
    // The graph lives as long as the process, as in the history commands.
    static auto* graphs = new std::vector<revision::Graph*>();
    graphs->push_back(new revision::Graph(std::move(loaded.revisions)));
    const revision::Graph& graph = *graphs->back();
    side.revisions = graph.size();
    if (graph.size() == 0) {
        side.skipped = "the migration history has no revisions yet, so it was not compared";
        return side;
    }
    migrate::OpsLoader ops(*ctx.files, graph);
    replay::SymbolicResult sym = replay::replay_symbolic(graph, ops, false);
    for (auto& f : sym.findings) {
        if (f.code == "not-interpretable") {
            if (side.skipped.empty()) {
                f.code = "migrations-not-compared";
                f.severity = Severity::warning;
                f.message += "; validate compares the migrations only when it can replay every "
                             "revision, so they were not compared";
                side.skipped = "the migrations were not compared (see the warning)";
                side.findings.push_back(std::move(f));
            }
        } else {
            side.findings.push_back(std::move(f));
        }
    }
    if (sym.complete) {
        side.compared = true;
        auto diff = replay::schema_findings(declared, sym.head, ctx.project.settings.schema,
                                            "the migrations", "migration");
        side.findings.insert(side.findings.end(), diff.begin(), diff.end());
    }
    return side;
}

}  // namespace

int validate_command(const Context& ctx, const ValidateOptions& opts, std::ostream& out) {
    const config::Settings& settings = ctx.project.settings;
    const std::string& schema_path = settings.schema;
    std::optional<std::string> schema_text = ctx.files->read(schema_path);
    if (!schema_text) {
        throw usage_error(schema_path + ": not found in " + ctx.files->description() +
                          "; declare the schema there (see docs/schema-yaml.md), or point "
                          "`schema:` in config/migcheck.yaml at it");
    }
    // The models are found and read on a second thread while schema.yaml is
    // parsed: the two are independent and take comparable time.
    struct ModelsSide {
        std::vector<std::string> paths;
        models::ModelsResult read;
    };
    std::future<ModelsSide> models_side = std::async(std::launch::async, [&] {
        ModelsSide side;
        side.paths = models::find_model_files(*ctx.files, settings.models, opts.ignored);
        std::vector<models::SourceFile> sources;
        for (const auto& path : side.paths) {
            if (std::optional<std::string> bytes = ctx.files->read(path)) {
                sources.push_back(models::SourceFile{path, std::move(*bytes)});
            }
        }
        if (!sources.empty()) {
            side.read = models::read_models(sources);
        }
        return side;
    });
    schema::Schema declared = schema::load_schema_yaml(*schema_text, schema_path);
    std::size_t columns = 0;
    for (const auto& t : declared.tables) {
        columns += t.columns.size();
    }

    MigrationsSide migrations = migrations_side(ctx, declared);
    ModelsSide side = models_side.get();
    const std::vector<std::string>& paths = side.paths;
    std::vector<Finding> findings;
    std::vector<schema::Difference> differences;
    Unchecked unchecked;
    if (paths.empty()) {
        findings.push_back(no_models_finding(ctx));
    } else {
        models::ModelsResult& read = side.read;
        findings = std::move(read.findings);
        unchecked = std::move(read.unchecked);
        for (auto& d : schema::compare(declared, read.schema)) {
            if (!is_unchecked(d, unchecked)) {
                findings.push_back(finding_for(d, schema_path));
                differences.push_back(std::move(d));
            }
        }
    }
    findings.insert(findings.end(), migrations.findings.begin(), migrations.findings.end());
    apply_severities(findings, settings);
    sort_findings(findings);
    bool ok = !has_errors(findings);

    if (opts.format == Format::json) {
        nlohmann::json doc;
        doc["version"] = json_version;
        doc["source"] = ctx.files->description();
        doc["schema"] = {{"file", schema_path},
                         {"tables", declared.tables.size()},
                         {"columns", columns}};
        nlohmann::json unchecked_json = nlohmann::json::array();
        for (const auto& [table, column] : unchecked) {
            unchecked_json.push_back({{"table", table}, {"column", column}});
        }
        nlohmann::json differences_json = nlohmann::json::array();
        for (const auto& d : differences) {
            differences_json.push_back(difference_json(d));
        }
        doc["models"] = {{"globs", settings.models},
                         {"files", paths},
                         {"differences", differences_json},
                         {"unchecked", unchecked_json}};
        doc["migrations"] = {{"revisions", migrations.revisions},
                             {"compared", migrations.compared},
                             {"skipped", migrations.skipped}};
        doc["compared"] = migrations.compared ? nlohmann::json::array({"models", "migrations"})
                                              : nlohmann::json::array({"models"});
        doc["findings"] = findings_json(findings);
        doc["ok"] = ok;
        out << dump_json(doc) << "\n";
        return static_cast<int>(ok ? ExitCode::ok : ExitCode::check_failed);
    }

    std::string note;
    if (!unchecked.empty()) {
        note = "not compared, as the models reader could not read them: " +
               unchecked_text(unchecked);
    }
    if (opts.format == Format::github) {
        render_github(out, findings);
        if (!note.empty()) {
            out << "::notice title=validate::" << note << "\n";
        }
        return static_cast<int>(ok ? ExitCode::ok : ExitCode::check_failed);
    }
    render_text(out, findings, use_colour());
    if (!note.empty()) {
        out << "note: " << note << "\n";
    }
    out << "validate: " << plural(declared.tables.size(), "table", "tables") << ", "
        << plural(columns, "column", "columns") << ": the models ("
        << plural(paths.size(), "file", "files") << ")"
        << (migrations.compared
                ? ", the migrations (" + plural(migrations.revisions, "revision", "revisions") + ")"
                : std::string())
        << " and " << schema_path;
    std::string counts = summary(findings);
    if (ok) {
        out << " agree" << (findings.empty() ? "" : " (" + counts + ")");
    } else if (!differences.empty() ||
               std::any_of(findings.begin(), findings.end(), [](const Finding& f) {
                   return f.code.rfind("migration-", 0) == 0;
               })) {
        out << " differ: " << counts;
    } else {
        out << ": " << counts;
    }
    if (!migrations.skipped.empty()) {
        out << "; " << migrations.skipped;
    }
    out << "\n";
    return static_cast<int>(ok ? ExitCode::ok : ExitCode::check_failed);
}

}  // namespace migcheck::cli

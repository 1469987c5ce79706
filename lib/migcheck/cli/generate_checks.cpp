#include "migcheck/cli/generate_detail.hpp"

#include "migcheck/migrate/ops_loader.hpp"
#include "migcheck/models/reader.hpp"
#include "migcheck/ops/apply.hpp"
#include "migcheck/ops/reader.hpp"
#include "migcheck/schema/compare.hpp"
#include "migcheck/sql/sqlite_render.hpp"
#include "migcheck/replay/encode.hpp"
#include "migcheck/util/content_cache.hpp"
#include "migcheck/util/error.hpp"

#include <chrono>

namespace migcheck::cli::generate_detail {
namespace {

// Bump when what is cached, or how it is derived, changes.
constexpr std::string_view history_cache_format = "migcheck-generate-history 1\n";

// The key of the history's files as they are now, or "" when one of them
// has no stamp or changed too recently for its stamp to tell a later change.
std::string history_key(const Context& ctx, const revision::Graph& graph) {
    const auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    constexpr std::int64_t settle_ns = 2'000'000'000;
    std::string key(history_cache_format);
    key.reserve(graph.size() * 96);
    for (int i = 0; i < static_cast<int>(graph.size()); ++i) {
        const std::string& path = graph.at(i).path;
        std::optional<FileStamp> st = ctx.files->stamp(path);
        if (!st || now - st->mtime_ns < settle_ns || now - st->ctime_ns < settle_ns) {
            return {};
        }
        key += path + "\n" + std::to_string(st->size) + " " + std::to_string(st->mtime_ns) + " " +
               std::to_string(st->ctime_ns) + " " + std::to_string(st->inode) + " " +
               std::to_string(st->device) + "\n";
    }
    return key;
}

}  // namespace

replay::SymbolicResult history_schema(const Context& ctx, const revision::Graph& graph) {
    ContentCache cache = ContentCache::open();
    const std::string key = cache.enabled() ? history_key(ctx, graph) : std::string();
    if (!key.empty()) {
        if (auto bytes = cache.get("generate-history", key)) {
            if (auto decoded = replay::decode_symbolic(*bytes)) {
                return std::move(*decoded);
            }
        }
    }
    migrate::OpsLoader ops(*ctx.files, graph);
    replay::SymbolicResult sym = replay::replay_symbolic(graph, ops, false);
    if (!key.empty()) {
        cache.put("generate-history", key, replay::encode_symbolic(sym));
    }
    return sym;
}

std::future<std::vector<Finding>> models_findings(const Context& ctx,
                                                  const schema::Schema& declared,
                                                  const models::IgnoredPredicate& ignored) {
    return std::async(std::launch::async, [&ctx, &declared, ignored] {
        const config::Settings& settings = ctx.project.settings;
        std::vector<Finding> findings;
        std::vector<std::string> paths =
            models::find_model_files(*ctx.files, settings.models, ignored);
        if (paths.empty()) {
            Finding f;
            f.code = "no-models";
            f.file = settings.path.empty() ? "config/migcheck.yaml" : settings.path;
            f.message = "no model files match the models globs, so the models cannot be checked "
                        "against " +
                        settings.schema + "; list the globs of the model files under `models:` in " +
                        f.file;
            findings.push_back(std::move(f));
            return findings;
        }
        std::vector<models::SourceFile> sources;
        for (const auto& path : paths) {
            if (std::optional<std::string> bytes = ctx.files->read(path)) {
                sources.push_back(models::SourceFile{path, std::move(*bytes)});
            }
        }
        models::ModelsResult read = models::read_models(sources);
        findings = std::move(read.findings);
        for (const auto& d : schema::compare(declared, read.schema)) {
            if (read.unchecked.count({d.table, ""}) != 0U ||
                (!d.column.empty() && read.unchecked.count({d.table, d.column}) != 0U)) {
                continue;
            }
            const schema::Location& at = d.actual_at.file.empty() ? d.expected_at : d.actual_at;
            Finding f;
            f.code = schema::difference_code("model", d.kind);
            f.file = at.file.empty() ? settings.schema : at.file;
            f.line = at.line;
            f.message = schema::describe(d, settings.schema, "the models") +
                        "; change the model or " + settings.schema +
                        " so that they agree, then generate again";
            findings.push_back(std::move(f));
        }
        return findings;
    });
}

void write_sql(std::ostream& out, const schema::Schema& head,
               const std::vector<generate::Step>& steps, const std::string& step_line) {
    schema::Schema schema = head;
    std::vector<Finding> ignored;
    out << "-- " << step_line << "\n\nBEGIN;\n\n";
    for (const auto& step : steps) {
        for (const auto& sql : sql::render_sqlite(schema, step.op)) {
            out << sql << ";\n\n";
        }
        ops::apply(schema, step.op, ignored);
    }
    out << "COMMIT;\n\n";
}

std::vector<Finding> check_round_trip(const std::string& text, const std::string& path,
                                      const schema::Schema& head, const schema::Schema& declared,
                                      const std::string& schema_path) {
    std::vector<Finding> out;
    ops::RevisionOps read = ops::read_operations(text, path);
    auto replay = [&](const ops::Body& body, schema::Schema schema) {
        std::vector<Finding> ignored;
        for (const auto& op : body.operations) {
            ops::apply(schema, op, ignored);
        }
        return schema;
    };
    schema::Schema up = replay(read.upgrade, head);
    for (const auto& d : schema::compare(declared, up)) {
        Finding f;
        f.severity = Severity::warning;
        f.code = "generated-incomplete";
        f.file = path;
        f.message = "the new revision does not build " + schema_path + ": " +
                    schema::describe(d, schema_path, "the new revision") +
                    "; complete it by hand";
        out.push_back(std::move(f));
    }
    schema::Schema down = replay(read.downgrade, up);
    for (const auto& d : schema::compare(head, down)) {
        Finding f;
        f.severity = Severity::warning;
        f.code = "generated-incomplete";
        f.file = path;
        f.message = "downgrade() does not restore the schema before the revision: " +
                    schema::describe(d, "the history", "the downgrade") +
                    "; complete it by hand";
        out.push_back(std::move(f));
    }
    return out;
}

}  // namespace migcheck::cli::generate_detail

// Links libgit2: only migcheck-staged calls it (see git_context.cpp).
#include "migcheck/cli/staged_command.hpp"

#include "migcheck/checks/gate.hpp"
#include "migcheck/cli/git_place.hpp"
#include "migcheck/cli/tool.hpp"
#include "migcheck/util/error.hpp"
#include "migcheck/util/text.hpp"

namespace migcheck::cli {
namespace {

// HEAD's configuration, or the index's when HEAD has none that loads: the
// before side is read with it only to find its files.
config::Project project_before(const git::GitFiles* head, const config::Project& after,
                               const std::string& root) {
    if (head == nullptr) {
        return after;
    }
    try {
        return config::load_project(*head, root);
    } catch (const Error&) {
        return after;
    }
}

}  // namespace

int staged_command(const StagedOptions& options, std::ostream& out) {
    // The index is what the hook is about: its reading need not wait for
    // libgit2 to start.
    git::Repository::read_index_ahead(absolute_dir(options.dir));
    GitPlace place = open_git_place(options.dir);
    std::unique_ptr<git::GitFiles> index = place.repo.index_files(place.prefix);
    std::unique_ptr<git::GitFiles> head;
    if (auto resolved = place.repo.resolve("HEAD")) {
        head = place.repo.commit_files(resolved->commit, place.prefix, "HEAD");
    }
    config::Project after = config::load_project(*index, place.root);
    config::Project before = project_before(head.get(), after, place.root);

    git::DiffOptions diff;
    if (!place.prefix.empty()) {
        diff.paths.push_back(place.prefix);
    }
    std::vector<git::Change> changes = place.repo.staged_changes(diff);
    checks::ChangedPaths changed = checks::classify_changes(changes, place.prefix, before, after);

    std::vector<Finding> findings;
    checks::GateResult result;
    if (changed.any()) {
        // Header caches keyed by blob, one for each side: the two hold the
        // same files but a few, and one cache for both would be rewritten
        // for that difference at every run.
        // They live until the process ends, a moment later: freeing two
        // histories and their schemas piece by piece would cost more than
        // comparing them. Kept reachable, so leak checkers are quiet.
        static auto* kept = new std::vector<std::unique_ptr<checks::Side>>();
        kept->push_back(
            std::make_unique<checks::Side>(head.get(), before, place.root + " (git HEAD)"));
        kept->push_back(
            std::make_unique<checks::Side>(index.get(), after, place.root + " (git index)"));
        result = checks::check_change(*(*kept)[0], *(*kept)[1], changed,
                                      checks::GateMode::staged, false);
        findings = std::move(result.findings);
    }
    apply_severities(findings, after.settings);
    sort_findings(findings);
    bool ok = !has_errors(findings);
    auto code = static_cast<int>(ok ? ExitCode::ok : ExitCode::check_failed);

    if (options.format == Format::json) {
        nlohmann::json doc;
        doc["version"] = json_version;
        doc["staged"] = {{"files", changes.size()},
                         {"models", changed.models},
                         {"revisions", changed.revisions},
                         {"schema", changed.schema},
                         {"config", changed.config}};
        doc["schema_changed"] = result.schema_changed;
        doc["models_changed"] = result.models_changed;
        doc["new_revisions"] = result.new_revisions;
        doc["findings"] = findings_json(findings);
        doc["ok"] = ok;
        out << dump_json(doc) << "\n";
        return code;
    }
    if (options.format == Format::github) {
        render_github(out, findings);
        return code;
    }
    if (findings.empty()) {
        return code;
    }
    render_text(out, findings, use_colour());
    out << "migcheck-staged: " << summary(findings);
    if (!ok) {
        out << "; the commit is stopped (git commit --no-verify commits anyway)";
    }
    out << "\n";
    return code;
}

}  // namespace migcheck::cli

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

// What a run reads: the repository, its index and HEAD, and what the rules
// derive from them. It lives until the process ends, a moment later:
// freeing two histories and their schemas piece by piece, unmapping the
// index and closing libgit2 would cost more than comparing them. Kept
// reachable, so leak checkers are quiet.
struct Run {
    explicit Run(GitPlace p) : place(std::move(p)) {}
    GitPlace place;
    std::unique_ptr<git::GitFiles> index;
    std::unique_ptr<git::GitFiles> head;
    std::unique_ptr<checks::Side> before;
    std::unique_ptr<checks::Side> after;
};

Run& keep(GitPlace place) {
    static auto* runs = new std::vector<std::unique_ptr<Run>>();
    runs->push_back(std::make_unique<Run>(std::move(place)));
    return *runs->back();
}

}  // namespace

int staged_command(const StagedOptions& options, std::ostream& out) {
    // The index is what the hook is about: its reading need not wait for
    // libgit2 to start.
    git::Repository::read_index_ahead(absolute_dir(options.dir));
    Run& run = keep(open_git_place(options.dir));
    const GitPlace& place = run.place;
    run.index = place.repo.index_files(place.prefix);
    if (auto resolved = place.repo.resolve("HEAD")) {
        run.head = place.repo.commit_files(resolved->commit, place.prefix, "HEAD");
    }
    config::Project after = config::load_project(*run.index, place.root);
    config::Project before = project_before(run.head.get(), after, place.root);

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
        run.before = std::make_unique<checks::Side>(run.head.get(), before,
                                                    place.root + " (git HEAD)");
        run.after = std::make_unique<checks::Side>(run.index.get(), after,
                                                   place.root + " (git index)");
        result = checks::check_change(*run.before, *run.after, changed, checks::GateMode::staged,
                                      false);
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

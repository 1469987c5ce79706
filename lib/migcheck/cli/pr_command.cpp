// Links libgit2: only migcheck-pr calls it (see git_context.cpp).
#include "migcheck/cli/pr_command.hpp"

#include "migcheck/checks/gate.hpp"
#include "migcheck/cli/git_place.hpp"
#include "migcheck/db/url.hpp"
#include "migcheck/replay/check.hpp"
#include "migcheck/util/error.hpp"
#include "migcheck/util/text.hpp"

namespace migcheck::cli {
namespace {

std::string short_id(const git::ObjectId& id) { return id.hex().substr(0, 7); }

git::Resolved resolve(const git::Repository& repo, const std::string& flag, const std::string& rev) {
    auto r = repo.resolve(rev);
    if (!r) {
        throw usage_error(flag + " " + rev + ": no such branch or commit in this repository" +
                          (text::starts_with(rev, "origin/")
                               ? " (a shallow clone lacks it: fetch with `git fetch origin` or "
                                 "check out with fetch-depth: 0)"
                               : ""));
    }
    return *r;
}

// The commits of one pull request, as sides of the gate.
class Commits {
  public:
    explicit Commits(const GitPlace& place) : m_place(place) {}

    // The side of `commit`, described as `description`; kept for reuse.
    // `role` names its header cache: one per role, so that a run does not
    // rewrite one cache for each commit it reads.
    checks::Side& side(const git::ObjectId& commit, const std::string& description,
                       const std::string& role, const config::Project* fallback = nullptr) {
        auto it = m_sides.find(commit);
        if (it != m_sides.end()) {
            return *it->second.side;
        }
        Entry e;
        e.files = m_place.repo.commit_files(commit, m_place.prefix, description);
        config::Project project;
        if (fallback == nullptr) {
            project = config::load_project(*e.files, m_place.root);
        } else {
            try {
                project = config::load_project(*e.files, m_place.root);
            } catch (const Error&) {
                project = *fallback;
            }
        }
        e.side = std::make_unique<checks::Side>(e.files.get(), std::move(project),
                                                m_place.root + " (git " + role + ")");
        return *m_sides.emplace(commit, std::move(e)).first->second.side;
    }

    // The gate over the change from `from` to `to`.
    checks::GateResult gate(checks::Side& from, const git::ObjectId& from_id, checks::Side& to,
                            const git::ObjectId& to_id, checks::GateMode mode,
                            bool whole) const {
        git::DiffOptions diff;
        if (!m_place.prefix.empty()) {
            diff.paths.push_back(m_place.prefix);
        }
        auto changes = m_place.repo.diff_trees(from_id, to_id, diff);
        auto changed =
            checks::classify_changes(changes, m_place.prefix, from.project(), to.project());
        return checks::check_change(from, to, changed, mode, whole);
    }

  private:
    struct Entry {
        std::unique_ptr<git::GitFiles> files;
        std::unique_ptr<checks::Side> side;
    };
    const GitPlace& m_place;
    std::map<git::ObjectId, Entry> m_sides;
};

std::string plural(std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

// Findings of the whole range and of single commits say the same thing
// twice when a commit's problem is still there at the head: kept once.
void add_unique(std::vector<Finding>& out, std::vector<Finding> more) {
    for (auto& f : more) {
        bool seen = std::any_of(out.begin(), out.end(), [&](const Finding& g) {
            return g.code == f.code && g.file == f.file && g.line == f.line &&
                   g.message == f.message;
        });
        if (!seen) {
            out.push_back(std::move(f));
        }
    }
}

}  // namespace

int pr_command(const PrOptions& options, std::ostream& out) {
    GitPlace place = open_git_place(options.dir);
    git::Resolved base = resolve(place.repo, "--base", options.base);
    git::Resolved head = resolve(place.repo, "--head", options.head);
    auto merge_base = place.repo.merge_base(base.commit, head.commit);
    if (!merge_base) {
        throw usage_error("--base " + options.base + " and --head " + options.head +
                          " share no history; a shallow clone cuts it: fetch the whole history "
                          "(git fetch --unshallow, or fetch-depth: 0)");
    }
    Commits commits(place);
    checks::Side& after = commits.side(head.commit, "commit " + options.head, "head");
    checks::Side& before = commits.side(*merge_base, "the merge base " + short_id(*merge_base),
                                        "merge base", &after.project());
    checks::GateResult whole =
        commits.gate(before, *merge_base, after, head.commit, checks::GateMode::pull, true);
    std::vector<Finding> findings = std::move(whole.findings);

    // The history once merged, when the base has moved on.
    if (base.commit != *merge_base && after.project().alembic.present) {
        checks::Side& tip =
            commits.side(base.commit, "commit " + options.base, "base", &after.project());
        add_unique(findings, checks::check_merged(tip, after, options.base));
    }

    std::vector<git::Commit> range = place.repo.commits_between(*merge_base, head.commit);
    if (options.per_commit) {
        for (const auto& c : range) {
            if (c.parents.empty()) {
                continue;
            }
            std::string name = "commit " + short_id(c.id);
            checks::Side& parent = commits.side(
                c.parents.front(), "commit " + short_id(c.parents.front()), "commit", &after.project());
            checks::Side& self = commits.side(c.id, name, "commit", &after.project());
            auto result = commits.gate(parent, c.parents.front(), self, c.id,
                                       checks::GateMode::commit, false);
            for (auto& f : result.findings) {
                f.message = name + " (" + c.summary + "): " + f.message;
            }
            add_unique(findings, std::move(result.findings));
        }
    }

    bool replayed = false;
    if (options.replay && after.project().alembic.present && after.declared() &&
        after.history().graph->size() != 0) {
        bool sqlite = db::is_sqlite_url(after.project().alembic.sqlalchemy_url);
        auto check = replay::check_replays(*after.history().graph, after.ops(), *after.declared(),
                                           after.project().settings.schema, sqlite, {});
        // The symbolic part repeats what the gate found.
        std::erase_if(check.findings, [](const Finding& f) {
            return f.code.rfind("migration-", 0) == 0 || f.code == "not-interpretable";
        });
        add_unique(findings, std::move(check.findings));
        replayed = true;
    }

    apply_severities(findings, after.project().settings);
    sort_findings(findings);
    bool ok = !has_errors(findings);
    auto code = static_cast<int>(ok ? ExitCode::ok : ExitCode::check_failed);
    if (options.format == Format::json) {
        nlohmann::json doc;
        doc["version"] = json_version;
        doc["base"] = {{"name", options.base}, {"commit", base.commit.hex()}};
        doc["head"] = {{"name", options.head}, {"commit", head.commit.hex()}};
        doc["merge_base"] = merge_base->hex();
        doc["commits"] = range.size();
        doc["schema_changed"] = whole.schema_changed;
        doc["models_changed"] = whole.models_changed;
        doc["new_revisions"] = whole.new_revisions;
        doc["replayed"] = replayed;
        doc["findings"] = findings_json(findings);
        doc["ok"] = ok;
        out << dump_json(doc) << "\n";
        return code;
    }
    if (options.format == Format::github) {
        render_github(out, findings);
        return code;
    }
    render_text(out, findings, use_colour());
    out << "migcheck-pr: " << options.head << " against " << options.base << " (merge base "
        << short_id(*merge_base) << ", " << plural(range.size(), "commit", "commits") << ", "
        << plural(whole.new_revisions.size(), "new revision", "new revisions")
        << (replayed ? ", replayed on SQLite" : "") << "): " << summary(findings) << "\n";
    return code;
}

}  // namespace migcheck::cli

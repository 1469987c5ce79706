#include "migcheck/checks/gate.hpp"

#include "migcheck/models/glob.hpp"
#include "migcheck/revision/revision.hpp"
#include "migcheck/schema/compare.hpp"
#include "migcheck/util/error.hpp"
#include "migcheck/util/text.hpp"

#include <algorithm>
#include <future>
#include <map>
#include <set>
#include <thread>

namespace migcheck::checks {
namespace {

using schema::Difference;
using schema::DifferenceKind;

bool under(const std::string& path, const std::string& dir) {
    return dir.empty() || (path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 &&
                           path[dir.size()] == '/');
}

bool is_revision_path(const std::string& path, const config::AlembicSettings& alembic) {
    if (!alembic.present) {
        return false;
    }
    std::vector<std::string> parts = text::split(path, '/');
    if (!revision::is_revision_file_name(parts.back()) ||
        std::find(parts.begin(), parts.end(), "__pycache__") != parts.end()) {
        return false;
    }
    for (const auto& location : alembic.version_locations) {
        std::string dir = normalize_path(location);
        if (under(path, dir) && (alembic.recursive || path.rfind('/') == dir.size() ||
                                 (dir.empty() && path.find('/') == std::string::npos))) {
            return true;
        }
    }
    return false;
}

void classify_one(const std::string& path, const config::Project& project, ChangedPaths& out) {
    if (path == project.settings.schema) {
        out.schema = true;
    }
    if (path == project.alembic.ini_path || path == "config/migcheck.yaml") {
        out.config = true;
    }
    if (path == "pyvenv.cfg" || path.ends_with("/pyvenv.cfg")) {
        out.venv = true;
    }
    if (models::may_match(project.settings.models, path)) {
        out.models.push_back(path);
    }
    if (is_revision_path(path, project.alembic)) {
        out.revisions.push_back(path);
    }
}

void sort_unique(std::vector<std::string>& v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
}

std::string plural(std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string subject(const Difference& d) {
    return d.column.empty() ? d.table : d.table + "." + d.column;
}

// A difference between the two sides' schema.yaml (expected: after,
// actual: before) in a few words.
std::string change_words(const Difference& d) {
    auto object = [&](const char* what) {
        std::string name = d.name.empty() ? "" : " " + d.name;
        if (d.actual.empty()) {
            return std::string(what) + name + " added to " + d.table;
        }
        if (d.expected.empty()) {
            return std::string(what) + name + " removed from " + d.table;
        }
        return std::string(what) + name + " of " + d.table + " changed";
    };
    switch (d.kind) {
    case DifferenceKind::table_missing:
        return "table " + d.table + " added";
    case DifferenceKind::table_extra:
        return "table " + d.table + " removed";
    case DifferenceKind::column_missing:
        return "column " + subject(d) + " added";
    case DifferenceKind::column_extra:
        return "column " + subject(d) + " removed";
    case DifferenceKind::index:
        return object("index");
    case DifferenceKind::unique:
        return object("unique constraint");
    case DifferenceKind::foreign_key:
        return object("foreign key");
    default: {
        std::string kind = schema::difference_kind_name(d.kind);
        std::replace(kind.begin(), kind.end(), '_', ' ');
        return subject(d) + ": " + kind + " " + (d.actual.empty() ? "none" : d.actual) + " -> " +
               (d.expected.empty() ? "none" : d.expected);
    }
    }
}

std::string changes_words(const std::vector<Difference>& diffs) {
    std::string out = change_words(diffs.front());
    if (diffs.size() > 1) {
        out += ", and " + plural(diffs.size() - 1, "more change", "more changes");
    }
    return out;
}

// The differences between two sides' schemas that the models reader read in
// full on both.
std::vector<Difference> readable(std::vector<Difference> diffs, const ModelsSide& a,
                                 const ModelsSide& b) {
    auto skipped = [&](const Difference& d) {
        for (const auto* side : {&a, &b}) {
            const auto& u = side->read.unchecked;
            if (u.count({d.table, ""}) != 0U ||
                (!d.column.empty() && u.count({d.table, d.column}) != 0U)) {
                return true;
            }
        }
        return false;
    };
    std::erase_if(diffs, skipped);
    return diffs;
}

struct Wording {
    GateMode mode;
    // "the staged change", "this pull request"
    std::string change() const {
        switch (mode) {
        case GateMode::staged:
            return "the staged change";
        case GateMode::pull:
            return "this pull request";
        case GateMode::commit:
            break;
        }
        return "the commit";
    }
    // "... and stage it", "... and push it to this pull request"
    std::string commit(const std::string& what) const {
        switch (mode) {
        case GateMode::staged:
            return what + " and stage it";
        case GateMode::pull:
            return what + " and push it to this pull request";
        case GateMode::commit:
            break;
        }
        return what + " and add it in the same commit (git rebase -i joins commits)";
    }
};

struct RevisionChanges {
    std::vector<int> added;                                  // after's positions
    std::vector<std::pair<revision::Revision, int>> modified;  // before's, after's position
    std::vector<revision::Revision> deleted;                 // before's
    std::size_t before_size = 0;                             // revisions before
};

// What the change does to the history. Before the change, a file it did not
// touch holds what it holds after, so only the touched files are read on
// that side: its whole history is never loaded.
RevisionChanges revision_changes(Side& before, Side& after, const ChangedPaths& changed) {
    RevisionChanges out;
    const revision::Graph& graph = *after.history().graph;
    std::set<std::string> paths(changed.revisions.begin(), changed.revisions.end());
    // Before's revisions: after's in untouched files, and those read here.
    std::map<std::string, revision::Revision> then;  // by id, in touched files
    for (const auto& path : changed.revisions) {
        if (before.empty()) {
            break;
        }
        // By the blob the change names, when it does: no folder looked up.
        auto was = changed.revisions_before.find(path);
        bool known = was != changed.revisions_before.end() && !changed.links;
        if (auto r = known ? before.revision_in(path, was->second) : before.revision_at(path)) {
            std::string id = r->id;
            then.emplace(std::move(id), std::move(*r));
        }
    }
    // The ids in touched files, and the first untouched file of each.
    std::map<std::string, int> untouched_by_id;
    for (int i = 0; i < static_cast<int>(graph.size()); ++i) {
        if (paths.count(graph.at(i).path) != 0U) {
            untouched_by_id.emplace(graph.at(i).id, -1);
        }
    }
    std::size_t untouched = 0;
    for (int i = 0; i < static_cast<int>(graph.size()); ++i) {
        const revision::Revision& r = graph.at(i);
        if (paths.count(r.path) == 0U) {
            ++untouched;
            if (auto it = untouched_by_id.find(r.id); it != untouched_by_id.end() && it->second < 0) {
                it->second = i;
            }
        }
    }
    out.before_size = untouched + then.size();
    for (int i = 0; i < static_cast<int>(graph.size()); ++i) {
        const revision::Revision& r = graph.at(i);
        if (paths.count(r.path) == 0U) {
            continue;
        }
        if (auto it = then.find(r.id); it != then.end()) {
            auto was = changed.revisions_before.find(it->second.path);
            std::optional<git::ObjectId> old_blob =
                was != changed.revisions_before.end() && !changed.links
                    ? was->second
                    : before.files()->blob_id(it->second.path);
            if (old_blob != after.files()->blob_id(r.path)) {
                out.modified.emplace_back(it->second, i);
            }
        } else if (auto kept = untouched_by_id.find(r.id);
                   kept != untouched_by_id.end() && kept->second >= 0) {
            // The same id in an untouched file: the same blob there before.
            const revision::Revision& old = graph.at(kept->second);
            if (after.files()->blob_id(old.path) != after.files()->blob_id(r.path)) {
                out.modified.emplace_back(old, i);
            }
        } else {
            out.added.push_back(i);
        }
    }
    for (auto& [id, r] : then) {
        if (!graph.find(id)) {
            out.deleted.push_back(std::move(r));
        }
    }
    std::sort(out.deleted.begin(), out.deleted.end(),
              [](const auto& a, const auto& b) { return a.path < b.path; });
    return out;
}

// Keeps findings in the given files, or all of them.
void keep_in(std::vector<Finding>& out, const std::vector<Finding>& findings,
             const std::set<std::string>& files, bool all) {
    for (const auto& f : findings) {
        if (all || files.count(f.file) != 0U || f.code == "multiple-heads") {
            out.push_back(f);
        }
    }
}

// Gives both sides their model files while walking the globs over one side
// at most: the files are the same on both but for those the change touched.
// A side whose list is cached (a commit's, by its tree) gives it to the
// other; else the index's walk gives it to HEAD, which keeps it for its tree.
void share_model_paths(Side& before, Side& after, const ChangedPaths& changed) {
    if (before.empty() || changed.config || changed.venv) {
        return;
    }
    auto derive = [&](const std::vector<std::string>& from, Side& to) {
        std::set<std::string> touched(changed.models.begin(), changed.models.end());
        std::vector<std::string> paths;
        for (const auto& path : from) {
            if (touched.count(path) == 0U) {
                paths.push_back(path);
            }
        }
        for (const auto& path : changed.models) {
            if (to.files()->blob_id(path)) {
                paths.push_back(path);
            }
        }
        std::sort(paths.begin(), paths.end());
        to.set_model_paths(std::move(paths));
    };
    bool after_known = after.model_paths_if_known() != nullptr;
    const std::vector<std::string>* known = before.model_paths_if_known();
    if (known != nullptr && !after_known) {
        derive(*known, after);
    } else if (known == nullptr) {
        derive(after.model_paths(), before);
    }
}

// Reads what the rules will ask of both sides on two threads: the schemas on
// one, the histories on the other. Each comes from its own files and
// caches, and takes milliseconds on a large project. Anything that fails is
// left for the rules to meet again, in order, where it is reported.
// The comparisons of schemas the rules make, when made ahead.
struct Compared {
    std::optional<std::vector<Difference>> schemas;  // after's schema.yaml against before's
    std::optional<std::vector<Difference>> models;   // after's models against before's, readable
    std::optional<std::vector<Difference>> declared_models;  // after's schema.yaml against its models
    // after's schema.yaml against the replay `migrations_of`, as findings
    std::optional<std::vector<Finding>> migrations;
    const replay::SymbolicResult* migrations_of = nullptr;
};

const schema::Schema& no_schema() {
    static const schema::Schema none;
    return none;
}

class ReadAhead {
  public:
    ReadAhead(Side& before, Side& after, const ChangedPaths& changed, bool whole_history,
              Compared& compared) {
        bool schema = changed.schema || changed.config;
        bool models = !changed.models.empty() || changed.config;
        bool history = after.project().alembic.present &&
                       (whole_history || !changed.revisions.empty() || schema || models);
        if (before.empty() || !(schema || models || history)) {
            return;
        }
        // The schemas (decoding each takes a millisecond or two) on one
        // thread, the histories and their replays on the other.
        // after's schema.yaml, once decoded, for the other thread: null when
        // it is absent or does not load.
        std::future<const schema::Schema*> declared_now = m_declared.get_future();
        m_thread = std::thread([&before, &after, &changed, &compared,
                                &declared_ready = m_declared, schema, models, history] {
            const schema::Schema* declared = nullptr;
            quietly([&] {
                if (schema || history) {
                    const auto& loaded = after.declared();
                    declared = loaded ? &*loaded : nullptr;
                }
            });
            declared_ready.set_value(declared);
            quietly([&] {
                if (schema) {
                    const auto& then = before.declared();
                    compared.schemas = schema::compare(declared ? *declared : no_schema(),
                                                       then ? *then : no_schema());
                }
            });
            quietly([&] {
                if (models) {
                    share_model_paths(before, after, changed);
                    const ModelsSide& now = after.models();
                    const ModelsSide& then = before.models();
                    compared.models =
                        readable(schema::compare(now.read.schema, then.read.schema), now, then);
                    if (const auto& loaded = after.declared()) {
                        compared.declared_models =
                            readable(schema::compare(*loaded, now.read.schema), now, now);
                    }
                }
            });
        });
        quietly([&] {
            if (history) {
                before.symbolic_if_known();
                if (after.history().graph->size() != 0) {
                    const replay::SymbolicResult* sym = after.symbolic_if_known();
                    const schema::Schema* now = declared_now.get();
                    if (sym != nullptr && sym->complete && now != nullptr) {
                        compared.migrations =
                            replay::schema_findings(*now, sym->head, after.project().settings.schema,
                                                    "the migrations", "migration");
                        compared.migrations_of = sym;
                    }
                }
            }
        });
    }
    ReadAhead(const ReadAhead&) = delete;
    ReadAhead& operator=(const ReadAhead&) = delete;
    ~ReadAhead() { join(); }

    void join() {
        if (m_thread.joinable()) {
            m_thread.join();
        }
    }

  private:
    template <class F>
    static void quietly(F&& f) {
        try {
            f();
        } catch (...) {  // NOLINT(bugprone-empty-catch): met again, and reported, in order
        }
    }

    // Set by the thread once after's schema.yaml is decoded; a member, since
    // the thread may set it after the constructor has returned.
    std::promise<const schema::Schema*> m_declared;
    std::thread m_thread;
};

}  // namespace

std::string write_revision_command(const std::string& message) {
    return "manage_migrations generate \"" + message + "\"";
}

ChangedPaths classify_changes(const std::vector<git::Change>& changes, const std::string& prefix,
                              const config::Project& before, const config::Project& after) {
    ChangedPaths out;
    auto add = [&](const std::string& repo_path) {
        if (!under(repo_path, prefix)) {
            return;
        }
        std::string path = prefix.empty() ? repo_path : repo_path.substr(prefix.size() + 1);
        classify_one(path, after, out);
        classify_one(path, before, out);
    };
    for (const auto& c : changes) {
        std::size_t revisions = out.revisions.size();
        add(c.path);
        if (c.old_path != c.path && !c.old_path.empty()) {
            add(c.old_path);
        }
        out.links = out.links || (c.link && out.revisions.size() != revisions);
        // What each path held before: the old blob at the old path, and
        // nothing at a new path.
        for (std::size_t k = revisions; k < out.revisions.size(); ++k) {
            const std::string& path = out.revisions[k];
            bool old_here = prefix.empty() ? path == c.old_path
                                           : prefix + "/" + path == c.old_path;
            bool had = old_here && c.status != git::ChangeStatus::added;
            out.revisions_before[path] = had ? c.old_blob : std::nullopt;
        }
    }
    sort_unique(out.models);
    sort_unique(out.revisions);
    return out;
}

GateResult check_change(Side& before, Side& after, const ChangedPaths& changed, GateMode mode,
                        bool whole_history) {
    // After's revision files are before's but for those the change touched.
    if (!before.empty() && !changed.config && !changed.links) {
        after.derive_history(&before, changed.revisions);
    }
    Compared compared;
    ReadAhead(before, after, changed, whole_history, compared).join();
    GateResult result;
    std::vector<Finding>& out = result.findings;
    Wording words{mode};
    const config::Project& project = after.project();
    const std::string& schema_path = project.settings.schema;
    const bool history = after.project().alembic.present;
    const std::string versions = history && !project.alembic.version_locations.empty()
                                     ? project.alembic.version_locations.front()
                                     : std::string("alembic/versions");

    // schema.yaml: its schema before and after, compared as schemas.
    std::vector<Difference> schema_diffs;
    if (changed.schema || changed.config) {
        const auto& now = after.declared();
        const schema::Schema* then = &no_schema();
        try {
            if (const auto& declared = before.declared()) {
                then = &*declared;
            }
        } catch (const Error&) {
            // A schema.yaml that did not load before cannot be compared: the
            // change is taken as changing the schema.
        }
        schema_diffs = compared.schemas ? std::move(*compared.schemas)
                                        : schema::compare(now ? *now : no_schema(), *then);
        result.schema_changed = !schema_diffs.empty();
    }

    // Rule 1: the models.
    std::vector<Difference> model_diffs;
    if (!changed.models.empty() || changed.config) {
        // Before the change, the models are in the same files but for those
        // the change touched: no need to walk the older tree for the globs.
        share_model_paths(before, after, changed);
        const ModelsSide& now = after.models();
        const ModelsSide& then = before.models();
        model_diffs = compared.models
                          ? std::move(*compared.models)
                          : readable(schema::compare(now.read.schema, then.read.schema), now, then);
        result.models_changed = !model_diffs.empty();
        if (result.models_changed) {
            const auto& declared = after.declared();
            if (!declared) {
                out.push_back(Finding{Severity::error, "schema-yaml-outdated", schema_path, 0, 0,
                                      "the models change the schema (" + changes_words(model_diffs) +
                                          ") but " + schema_path + " is not in " +
                                          after.description() + "; " +
                                          words.commit("declare the schema the models describe there")});
            } else {
                std::vector<Difference> diffs =
                    compared.declared_models
                        ? std::move(*compared.declared_models)
                        : readable(schema::compare(*declared, now.read.schema), now, now);
                for (const auto& d : diffs) {
                    const schema::Location& at = d.actual_at.file.empty() ? d.expected_at : d.actual_at;
                    out.push_back(Finding{
                        Severity::error, "schema-yaml-outdated",
                        at.file.empty() ? schema_path : at.file, at.line, 0,
                        schema::describe(d, schema_path, "the models") + "; " + words.change() +
                            " changes the models' schema, so " + schema_path +
                            " must change with it: " + words.commit("make it match the models")});
                }
            }
        }
    }

    // The history: what is new, changed or gone.
    RevisionChanges revs;
    bool check_history = history && (whole_history || !changed.revisions.empty() ||
                                     changed.config || result.schema_changed ||
                                     result.models_changed);
    if (check_history) {
        revs = revision_changes(before, after, changed);
    }
    const revision::Graph* graph = check_history ? after.history().graph.get() : nullptr;
    for (int i : revs.added) {
        result.new_revisions.push_back(graph->at(i).id);
    }
    std::sort(result.new_revisions.begin(), result.new_revisions.end());

    // Rules 1 and 2: a schema change needs a new revision.
    if (history && (result.schema_changed || result.models_changed) && revs.added.empty()) {
        const std::vector<Difference>& diffs = result.schema_changed ? schema_diffs : model_diffs;
        const Difference& first = diffs.front();
        const schema::Location& at = first.expected_at.file.empty() ? first.actual_at : first.expected_at;
        std::string what = result.schema_changed ? schema_path : std::string("the models");
        out.push_back(Finding{
            Severity::error, "revision-missing",
            at.file.empty() ? (result.schema_changed ? schema_path : changed.models.front()) : at.file,
            at.line, 0,
            what + " change" + (result.schema_changed ? "s" : "") + " the schema (" +
                changes_words(diffs) + ") but " + words.change() + " adds no revision under " +
                versions + "; " +
                words.commit("write one: " + write_revision_command("update " + first.table) +
                             ", fill in upgrade() and downgrade(),")});
    }

    // Rule 3: a new revision needs a schema change, or says it moves data.
    if (check_history && !result.schema_changed) {
        for (int i : revs.added) {
            const revision::Revision& r = graph->at(i);
            if (r.data_only || r.down_revisions.size() > 1) {
                continue;
            }
            out.push_back(Finding{
                Severity::error, "revision-without-schema-change", r.path, r.line, 0,
                "revision " + r.id + " is new but " + schema_path + " declares the same schema as " +
                    before.description() + "; if the revision only moves data, add a `# migcheck: "
                    "data-only` comment to it; if it changes the schema, " +
                    words.commit("change " + schema_path + " to match")});
        }
    }

    // Rule 5: revisions that may already have run somewhere stay as they are.
    Severity rewrite = mode == GateMode::staged ? Severity::warning : Severity::error;
    std::string where = mode == GateMode::staged ? "HEAD" : before.description();
    for (const auto& [old_revision, new_pos] : revs.modified) {
        const revision::Revision& r = graph->at(new_pos);
        out.push_back(Finding{
            rewrite, "revision-modified", r.path, r.line, 0,
            "revision " + r.id + " exists in " + where + " and " + words.change() +
                " changes it; databases that ran it will not run it again: undo the change and "
                "write a new revision instead (" +
                write_revision_command("...") + ")"});
    }
    for (const revision::Revision& r : revs.deleted) {
        out.push_back(Finding{
            rewrite, "revision-deleted", r.path, 0, 0,
            "revision " + r.id + " exists in " + where + " and " + words.change() +
                " removes it; databases that ran it still record it in alembic_version: restore " +
                r.path + ", and undo its changes with a new revision instead"});
    }

    // Rule 4 and the migrations side of rule 2.
    if (check_history) {
        std::set<std::string> touched(changed.revisions.begin(), changed.revisions.end());
        keep_in(out, after.history().findings, touched, whole_history);
        bool rewritten = !revs.modified.empty() || !revs.deleted.empty();
        const auto& declared = after.declared();
        if (declared && graph->size() != 0 &&
            (result.schema_changed || !revs.added.empty() || rewritten || changed.config ||
             whole_history)) {
            std::vector<int> added = revs.added;
            const replay::SymbolicResult& sym =
                rewritten || changed.config ? after.symbolic() : after.symbolic(&before, added, revs.before_size);
            bool noted = false;
            for (Finding f : sym.findings) {
                if (f.code == "not-interpretable") {
                    if (noted) {
                        continue;
                    }
                    noted = true;
                    f.code = "migrations-not-compared";
                    f.severity = Severity::warning;
                    f.message += "; the migrations were not compared with " + schema_path +
                                 " (migcheck-replay --runner alembic replays such histories)";
                    out.push_back(std::move(f));
                } else if (whole_history || touched.count(f.file) != 0U) {
                    out.push_back(std::move(f));
                }
            }
            if (sym.complete) {
                auto diff = compared.migrations && compared.migrations_of == &sym
                                ? std::move(*compared.migrations)
                                : replay::schema_findings(*declared, sym.head, schema_path,
                                                          "the migrations", "migration");
                out.insert(out.end(), diff.begin(), diff.end());
            }
        }
    }
    return result;
}

std::vector<Finding> check_merged(Side& base_tip, Side& head, const std::string& base_name) {
    const revision::Graph& base = *base_tip.history().graph;
    const revision::Graph& own = *head.history().graph;
    std::optional<int> expected = head.project().settings.heads;
    std::vector<revision::Revision> merged;
    merged.reserve(base.size() + own.size());
    for (int i = 0; i < static_cast<int>(base.size()); ++i) {
        merged.push_back(base.at(i));
    }
    std::set<std::string> added;
    for (int i = 0; i < static_cast<int>(own.size()); ++i) {
        if (!base.find(own.at(i).id)) {
            merged.push_back(own.at(i));
            added.insert(own.at(i).id);
        }
    }
    // Each side alone is judged by its own checks; only what the merge adds
    // is reported here.
    if (added.empty() || !revision::check_heads(own, expected).empty() ||
        !revision::check_heads(base, expected).empty()) {
        return {};
    }
    revision::Graph graph(std::move(merged));
    if (revision::check_heads(graph, expected).empty()) {
        return {};
    }
    std::vector<int> ours;
    std::vector<int> theirs;
    std::vector<std::string> ids;
    std::vector<std::string> parts;
    for (int h : graph.heads()) {
        const revision::Revision& r = graph.at(h);
        bool mine = added.count(r.id) != 0U;
        (mine ? ours : theirs).push_back(h);
        ids.push_back(r.id);
        parts.push_back(r.id + " (" + r.path + ", " +
                        (mine ? std::string("this pull request") : "on " + base_name) + ")");
    }
    if (ours.empty()) {
        return {};
    }
    const revision::Revision& first = graph.at(ours.front());
    std::string fix;
    if (theirs.size() == 1) {
        fix = "rebase onto " + base_name + " and revise its head: set down_revision = \"" +
              graph.at(theirs.front()).id + "\" in " + first.path + ", or ";
    }
    Finding f{Severity::error, "merged-multiple-heads", first.path, first.line, 0,
              "merging into " + base_name + " leaves " + std::to_string(ids.size()) +
                  " heads: " + text::join(parts, " and ") + "; " + fix +
                  "write the merge revision: alembic merge -m \"merge heads\" " +
                  text::join(ids, " ")};
    return {f};
}

}  // namespace migcheck::checks

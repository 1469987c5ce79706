// Links libgit2: only migcheck-heads calls it (see git_context.cpp).
#include "migcheck/cli/divergence_command.hpp"

#include "migcheck/cli/divergence.hpp"
#include "migcheck/cli/git_place.hpp"
#include "migcheck/cli/tool.hpp"
#include "migcheck/config/project.hpp"
#include "migcheck/git/repository.hpp"
#include "migcheck/revision/cache.hpp"
#include "migcheck/util/error.hpp"
#include "migcheck/util/text.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <future>
#include <system_error>
#include <thread>
#include <unordered_map>

namespace migcheck::cli {
namespace {

using git::ObjectId;

// The stamp of a file whose content is `blob`, as GitFiles::stamp makes it:
// git names a blob by its content, so its id says the content is unchanged.
FileStamp blob_stamp(const ObjectId& blob) {
    FileStamp s;
    std::uint32_t tail = 0;
    std::memcpy(&s.size, blob.bytes.data(), 8);
    std::memcpy(&s.inode, blob.bytes.data() + 8, 8);
    std::memcpy(&tail, blob.bytes.data() + 16, 4);
    s.device = tail;
    return s;
}

// Every revision file's blob, parsed once: a file that many branches share
// (every file of the base, mostly) costs one read and one parse. What was
// read is kept in the header cache by blob, as the other git commands keep
// it, so that a later run reads and parses only the blobs it has not seen.
class BlobReader {
  public:
    // The slot of a blob, first met at `path`.
    std::size_t want(const ObjectId& id, const std::string& path) {
        auto [it, added] = m_index.emplace(id, m_ids.size());
        if (added) {
            m_ids.push_back(id);
            m_paths.push_back(path);
        }
        return it->second;
    }

    // Fills every slot, from `cache` where it holds the blob.
    void read_all(const git::Repository& repo, const revision::HeaderCache& cache) {
        m_results.resize(m_ids.size());
        m_taken.assign(cache.enabled() ? m_ids.size() : 0, 0);
        std::vector<char>& taken = m_taken;
        std::vector<ObjectId> unseen_ids;
        std::vector<std::size_t> unseen;
        for (std::size_t k = 0; k < m_ids.size(); ++k) {
            if (cache.enabled()) {
                revision::Revision rev;
                std::vector<Finding> findings;
                if (auto holds = cache.take(m_paths[k], k, blob_stamp(m_ids[k]),
                                            revision::HeaderText::none, rev, findings)) {
                    if (*holds) {
                        m_results[k].revision = std::move(rev);
                    }
                    m_results[k].findings = std::move(findings);
                    taken[k] = 1;
                    continue;
                }
            }
            unseen_ids.push_back(m_ids[k]);
            unseen.push_back(k);
        }
        std::vector<revision::HeaderCache::Fresh>& fresh = m_fresh;
        fresh.assign(cache.enabled() ? unseen.size() : 0, {});
        unsigned threads = std::min(8U, std::max(1U, std::thread::hardware_concurrency()));
        repo.for_each_blob(unseen_ids, threads, [&](std::size_t u, std::string_view bytes) {
            std::size_t k = unseen[u];
            m_results[k] = revision::read_revision(bytes, m_paths[k]);
            if (cache.enabled()) {
                fresh[u] = revision::HeaderCache::Fresh{
                    k, blob_stamp(m_ids[k]), revision::HeaderCache::encode(m_results[k])};
            }
        });
    }

    // Saves in `cache` what read_all() read afresh, with what it took there.
    void save(const revision::HeaderCache& cache) const {
        if (cache.enabled()) {
            cache.save(m_paths, m_taken, m_fresh);
        }
    }

    // What slot k holds, as if read at `path`.
    revision::ReadResult at(std::size_t k, const std::string& path) const {
        revision::ReadResult r = m_results[k];
        if (r.revision) {
            r.revision->path = path;
        }
        for (auto& f : r.findings) {
            f.file = path;
        }
        return r;
    }

  private:
    std::unordered_map<ObjectId, std::size_t, git::ObjectIdHash> m_index;
    std::vector<ObjectId> m_ids;
    std::vector<std::string> m_paths;
    std::vector<revision::ReadResult> m_results;
    std::vector<char> m_taken;                          // from the cache, by slot
    std::vector<revision::HeaderCache::Fresh> m_fresh;  // read afresh
};

// The revision files under the version locations of a commit, as the loader
// finds them: files by name, then subfolders when recursive.
// False when `dir` is no folder.
bool list_location(const git::GitFiles& files, const std::string& dir, bool recursive,
                   std::vector<std::pair<std::string, ObjectId>>& out) {
    auto entries = files.list_blobs(dir);
    if (!entries) {
        return false;
    }
    std::vector<std::string> subdirs;
    for (const auto& e : *entries) {
        std::string path = join_path(dir, e.entry.name);
        if (e.entry.type == EntryType::directory) {
            if (recursive && e.entry.name != "__pycache__") {
                subdirs.push_back(path);
            }
        } else if (e.entry.type == EntryType::file && e.blob &&
                   revision::is_revision_file_name(e.entry.name)) {
            out.emplace_back(path, *e.blob);
        }
    }
    for (const auto& sub : subdirs) {
        list_location(files, sub, recursive, out);
    }
    return true;
}

// Whether a path names a revision file outside any __pycache__ folder; for
// every path of every branch's changes, so without splitting it.
bool is_revision_path(std::string_view path) {
    constexpr std::string_view cache = "__pycache__";
    for (auto at = path.find(cache); at != std::string_view::npos; at = path.find(cache, at + 1)) {
        bool starts = at == 0 || path[at - 1] == '/';
        bool ends = at + cache.size() == path.size() || path[at + cache.size()] == '/';
        if (starts && ends) {
            return false;
        }
    }
    auto slash = path.rfind('/');
    std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
    return revision::is_revision_file_name(name);
}

std::string plural(std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

// What a branch's changes ask for: files to read, base files it lacks.
struct Branch {
    BranchRevisions revisions;
    std::vector<std::pair<std::string, ObjectId>> wanted;    // (path, blob) in path order
    std::vector<std::pair<std::string, std::size_t>> reads;  // the same, (path, slot)
    std::vector<std::size_t> lost;  // base files gone or changed, in the base's list
};

// The base's revision files by path: the place of each in its list.
class BaseIndex {
  public:
    explicit BaseIndex(const std::vector<std::pair<std::string, ObjectId>>& list)
        : m_list(list), m_first(list.size(), 0) {
        m_by_path.reserve(list.size());
        for (std::size_t i = 0; i < list.size(); ++i) {
            m_first[i] = m_by_path.emplace(list[i].first, i).second ? 1 : 0;
        }
    }

    // Whether place i is the first of its path (several version locations
    // can list one file twice).
    bool first_at(std::size_t i) const { return m_first[i] != 0; }

    // The place of the file at `path`, whose blob in the base is `blob`.
    // A branch's changes come in the order the base lists its files, so the
    // places just after `hint` (the last one found) are tried first, by
    // blob: a stale branch lacks thousands of the base's files, and looking
    // each up by its path cost more than comparing the branch's trees.
    std::optional<std::size_t> find(std::string_view path, const ObjectId& blob,
                                    std::size_t& hint) const {
        constexpr std::size_t ahead = 16;
        for (std::size_t i = hint; i < std::min(m_list.size(), hint + ahead); ++i) {
            if (m_list[i].second == blob && m_first[i] != 0 && m_list[i].first == path) {
                hint = i + 1;
                return i;
            }
        }
        auto it = m_by_path.find(path);
        if (it == m_by_path.end()) {
            return std::nullopt;
        }
        hint = it->second + 1;
        return it->second;
    }

  private:
    const std::vector<std::pair<std::string, ObjectId>>& m_list;
    std::vector<char> m_first;
    std::unordered_map<std::string_view, std::size_t> m_by_path;
};

// The repository, where the project lies in it, and the base.
struct Place : GitPlace {
    git::Resolved base;
};

Place open_place(const DivergenceOptions& options) {
    Place place{open_git_place(options.dir), {}};
    auto base = place.repo.resolve(options.base);
    if (!base) {
        throw usage_error("--base " + options.base +
                          ": no such branch or commit in this repository");
    }
    place.base = *base;
    return place;
}

// The branches the globs name, once each, sorted, without the base's own ref.
std::vector<git::Ref> branch_refs(const git::Repository& repo, const DivergenceOptions& options,
                                  const std::string& base_ref) {
    std::vector<git::Ref> refs;
    for (const auto& glob : options.globs) {
        if (!text::starts_with(glob, "refs/")) {
            throw usage_error("--refs " + glob +
                              ": give a pattern over full reference names, such as "
                              "'refs/heads/*' or 'refs/remotes/origin/*'");
        }
        auto matched = repo.refs(glob);
        if (matched.empty()) {
            throw usage_error("--refs " + glob + ": matches no reference in this repository");
        }
        refs.insert(refs.end(), matched.begin(), matched.end());
    }
    auto by_name = [](const git::Ref& a, const git::Ref& b) { return a.name < b.name; };
    auto same = [](const git::Ref& a, const git::Ref& b) { return a.name == b.name; };
    std::sort(refs.begin(), refs.end(), by_name);
    refs.erase(std::unique(refs.begin(), refs.end(), same), refs.end());
    std::erase_if(refs, [&](const git::Ref& r) { return r.name == base_ref; });
    return refs;
}

// The revision files a branch adds, changes or lacks, from its changes. A
// stale branch lacks thousands of the base's files: each costs a lookup, and
// no string of its own.
Branch classify(const Place& place, const git::Ref& ref,
                const std::vector<git::ChangeView>& changes, const BaseIndex& base_index) {
    Branch b{BranchRevisions{ref.short_name, ref.name, ref.commit.hex(), {}, {}, {}}, {}, {}, {}};
    std::unique_ptr<git::GitFiles> files;  // for links only
    std::string full;
    std::size_t hint = 0;
    for (const auto& c : changes) {
        full.assign(c.dir);
        if (!c.dir.empty()) {
            full += '/';
        }
        full += c.name;
        std::string_view path = full;
        if (!place.prefix.empty()) {
            path.remove_prefix(place.prefix.size() + 1);
        }
        if (!is_revision_path(path)) {
            continue;
        }
        if (c.status != git::ChangeStatus::added) {
            if (auto i = base_index.find(path, *c.old_blob, hint)) {
                b.lost.push_back(*i);
            }
        }
        if (c.status == git::ChangeStatus::deleted) {
            continue;
        }
        std::optional<ObjectId> blob = c.new_blob;
        if (c.link) {
            if (!files) {
                files = place.repo.commit_files(ref.commit, place.prefix,
                                                "commit " + ref.short_name);
            }
            blob = files->blob_id(std::string(path));
            if (!blob) {
                b.revisions.unreadable.push_back(Finding{
                    Severity::error, "syntax-error", std::string(path), 0, 0,
                    "cannot read: the link points to '" +
                        place.repo.read_blob(*c.new_blob).value_or("") +
                        "', which is no file in the branch"});
                continue;
            }
        }
        b.wanted.emplace_back(std::string(path), *blob);
    }
    // Changes come by folder, and several version locations can name a file
    // twice: in path order, once each.
    std::sort(b.wanted.begin(), b.wanted.end());
    b.wanted.erase(std::unique(b.wanted.begin(), b.wanted.end()), b.wanted.end());
    std::sort(b.lost.begin(), b.lost.end());
    b.lost.erase(std::unique(b.lost.begin(), b.lost.end()), b.lost.end());
    auto& unreadable = b.revisions.unreadable;
    auto by_file = [](const Finding& x, const Finding& y) { return x.file < y.file; };
    auto same_file = [](const Finding& x, const Finding& y) { return x.file == y.file; };
    std::stable_sort(unreadable.begin(), unreadable.end(), by_file);
    unreadable.erase(std::unique(unreadable.begin(), unreadable.end(), same_file),
                     unreadable.end());
    return b;
}

void render(const DivergenceOptions& options, const Place& place, const revision::Graph& graph,
            const std::vector<BranchRevisions>& inputs, const Divergence& d, std::ostream& out) {
    std::vector<std::string> heads;
    for (int h : graph.heads()) {
        heads.push_back(graph.at(h).id);
    }
    if (options.format == Format::github) {
        render_github(out, d.findings);
        return;
    }
    if (options.format == Format::text) {
        std::size_t added = 0;
        std::size_t adding = 0;
        for (const auto& s : d.branches) {
            added += s.added.size();
            adding += s.added.empty() ? 0U : 1U;
        }
        render_text(out, d.findings, use_colour());
        out << plural(inputs.size(), "branch", "branches") << " compared with " << options.base
            << " (" << plural(graph.size(), "revision", "revisions") << ", "
            << (heads.empty() ? std::string("no head")
                              : (heads.size() == 1 ? "head " : "heads ") + text::join(heads, ", "))
            << "), " << plural(added, "new revision", "new revisions") << " in " << adding
            << " of them: " << summary(d.findings) << "\n";
        return;
    }
    nlohmann::json doc;
    doc["version"] = json_version;
    doc["base"] = {
        {"name", options.base},
        {"ref", place.base.ref.empty() ? nlohmann::json() : nlohmann::json(place.base.ref)},
        {"commit", place.base.commit.hex()},
        {"revisions", graph.size()},
        {"heads", heads}};
    doc["refs"] = options.globs;
    doc["branches"] = nlohmann::json::array();
    for (std::size_t b = 0; b < inputs.size(); ++b) {
        nlohmann::json revs = nlohmann::json::array();
        for (std::size_t k : d.branches[b].added) {
            const auto& r = inputs[b].changed[k];
            revs.push_back({{"revision", r.id},
                            {"down_revision", r.down_revisions},
                            {"path", r.path},
                            {"line", r.line}});
        }
        doc["branches"].push_back({{"name", inputs[b].name},
                                   {"ref", inputs[b].ref},
                                   {"commit", inputs[b].commit},
                                   {"heads", d.branches[b].heads},
                                   {"new_revisions", revs}});
    }
    doc["findings"] = findings_json(d.findings);
    doc["ok"] = !has_errors(d.findings);
    out << dump_json(doc) << "\n";
}

}  // namespace

int divergence_command(const DivergenceOptions& options, std::ostream& out) {
    Place place = open_place(options);
    std::vector<git::Ref> refs = branch_refs(place.repo, options, place.base.ref);

    // The base's configuration says where revisions live, for every branch.
    auto base_files =
        place.repo.commit_files(place.base.commit, place.prefix, "commit " + options.base);
    config::Project project = config::load_project(*base_files, place.root);
    const config::AlembicSettings& alembic = project.alembic;
    if (!alembic.present) {
        throw usage_error(alembic.ini_path + ": not found in " + base_files->description() +
                          "; run in the project's root, pass -C DIR, or set alembic_ini in "
                          "config/migcheck.yaml");
    }
    BlobReader reader;
    std::vector<std::pair<std::string, ObjectId>> base_list;
    git::DiffOptions diff;
    diff.recursive = alembic.recursive;
    diff.renames = false;
    for (const auto& location : alembic.version_locations) {
        if (!list_location(*base_files, location, alembic.recursive, base_list)) {
            int line = alembic.version_locations_line != 0 ? alembic.version_locations_line : 1;
            throw usage_error(alembic.ini_path + ":" + std::to_string(line) +
                              ": version location '" + location + "' does not exist in " +
                              base_files->description());
        }
        diff.paths.push_back(join_path(place.prefix, location));
    }
    std::vector<std::size_t> base_slots;
    BaseIndex base_index(base_list);
    for (std::size_t i = 0; i < base_list.size(); ++i) {
        const auto& [path, blob] = base_list[i];
        base_slots.push_back(base_index.first_at(i) ? reader.want(blob, path) : SIZE_MAX);
    }

    // Each branch: only the files that differ from the base's.
    std::vector<git::ObjectId> commits;
    for (const auto& r : refs) {
        commits.push_back(r.commit);
    }
    // Comparing trees is most of the work when there are many branches.
    unsigned cores = std::min(8U, std::max(1U, std::thread::hardware_concurrency()));
    std::vector<Branch> branches(refs.size());
    place.repo.diff_views_each(place.base.commit, commits, diff, cores,
                               [&](std::size_t i, const std::vector<git::ChangeView>& changes) {
                                   branches[i] = classify(place, refs[i], changes, base_index);
                               });
    // Slots in branch order, whichever thread finished first: a blob met at
    // two paths is read at the first.
    for (auto& b : branches) {
        for (auto& [path, blob] : b.wanted) {
            std::size_t slot = reader.want(blob, path);
            b.reads.emplace_back(std::move(path), slot);
        }
    }
    // One cache for this command: its files are the base's and the
    // branches', which no other command reads together.
    revision::HeaderCache cache = revision::HeaderCache::open(place.root + " (git heads)");
    reader.read_all(place.repo, cache);
    // A first run writes the whole cache, 2 MB for 5,000 revisions: beside
    // the comparison of the histories, which leaves the other cores idle.
    std::future<void> saved;
    try {
        saved = std::async(std::launch::async, [&] { reader.save(cache); });
    } catch (const std::system_error&) {
        reader.save(cache);  // no thread to spare
    }

    std::vector<revision::Revision> base_revisions;
    std::vector<int> base_position(base_list.size(), -1);  // in the graph
    for (std::size_t i = 0; i < base_list.size(); ++i) {
        if (base_slots[i] == SIZE_MAX) {
            continue;
        }
        auto r = reader.at(base_slots[i], base_list[i].first);
        if (r.revision) {
            base_position[i] = static_cast<int>(base_revisions.size());
            base_revisions.push_back(std::move(*r.revision));
        }
    }
    revision::Graph graph(std::move(base_revisions));

    std::vector<BranchRevisions> inputs;
    inputs.reserve(branches.size());
    for (auto& b : branches) {
        for (std::size_t i : b.lost) {
            if (base_position[i] >= 0) {
                b.revisions.removed.push_back(base_position[i]);
            }
        }
        std::sort(b.revisions.removed.begin(), b.revisions.removed.end());
        for (const auto& [path, slot] : b.reads) {
            auto r = reader.at(slot, path);
            if (r.revision) {
                b.revisions.changed.push_back(std::move(*r.revision));
            }
            b.revisions.unreadable.insert(b.revisions.unreadable.end(), r.findings.begin(),
                                          r.findings.end());
        }
        inputs.push_back(std::move(b.revisions));
    }

    Divergence d = find_divergence(graph, options.base, inputs, project.settings.heads);
    apply_severities(d.findings, project.settings);
    sort_findings(d.findings);
    render(options, place, graph, inputs, d, out);
    if (saved.valid()) {
        saved.get();
    }
    return static_cast<int>(has_errors(d.findings) ? ExitCode::check_failed : ExitCode::ok);
}

}  // namespace migcheck::cli

// Changed files between two trees. Folders are compared side by side
// (tree_walk.cpp) and skipped when their ids are equal, so only what changed
// is ever named or copied, where libgit2's diff builds every path. Renames
// are then found by libgit2, among the added and deleted files only.
#include "migcheck/git/libgit2.hpp"

#include "migcheck/util/error.hpp"

#include <algorithm>
#include <atomic>
#include <deque>
#include <exception>
#include <numeric>
#include <thread>

namespace migcheck::git::detail {
namespace {

bool is_tree(const git_tree_entry* e) { return git_tree_entry_filemode(e) == GIT_FILEMODE_TREE; }

bool is_file(const git_tree_entry* e) {
    git_filemode_t m = git_tree_entry_filemode(e);
    return m == GIT_FILEMODE_BLOB || m == GIT_FILEMODE_BLOB_EXECUTABLE || m == GIT_FILEMODE_LINK;
}

// `path`'s folder ("" at the top) and name.
std::pair<std::string, std::string_view> split_path(const std::string& path) {
    auto slash = path.rfind('/');
    if (slash == std::string::npos) {
        return {std::string(), path};
    }
    return {path.substr(0, slash), std::string_view(path).substr(slash + 1)};
}

// An entry a caller named, on one side only: a file, or every file of a folder.
void one_side(Handle& h, const std::string& path, const git_tree_entry* e, ChangeStatus status,
              bool recursive, ChangeSink& sink, bool keep_b) {
    if (is_tree(e)) {
        bool added = status == ChangeStatus::added;
        walk_trees(h, path, added ? nullptr : git_tree_entry_id(e),
                   added ? git_tree_entry_id(e) : nullptr, recursive, sink, keep_b);
        return;
    }
    if (!is_file(e)) {
        return;  // a submodule
    }
    bool added = status == ChangeStatus::added;
    auto [dir, name] = split_path(path);
    sink.file(status, dir, name, added ? nullptr : git_tree_entry_id(e),
              added ? git_tree_entry_id(e) : nullptr,
              git_tree_entry_filemode(e) == GIT_FILEMODE_LINK);
}

// The entries at one path a caller named, on both sides (either may be null).
void named(Handle& h, const std::string& path, const git_tree_entry* ea,
           const git_tree_entry* eb, bool recursive, ChangeSink& sink, bool keep_b) {
    if (ea != nullptr && eb != nullptr && is_tree(ea) && is_tree(eb)) {
        walk_trees(h, path, git_tree_entry_id(ea), git_tree_entry_id(eb), recursive, sink,
                   keep_b);
        return;
    }
    if (ea != nullptr && eb != nullptr && is_file(ea) && is_file(eb)) {
        if (git_oid_equal(git_tree_entry_id(ea), git_tree_entry_id(eb)) == 0 ||
            git_tree_entry_filemode(ea) != git_tree_entry_filemode(eb)) {
            auto [dir, name] = split_path(path);
            sink.file(ChangeStatus::modified, dir, name, git_tree_entry_id(ea),
                      git_tree_entry_id(eb), git_tree_entry_filemode(eb) == GIT_FILEMODE_LINK);
        }
        return;
    }
    if (ea != nullptr) {
        one_side(h, path, ea, ChangeStatus::deleted, recursive, sink, true);
    }
    if (eb != nullptr) {
        one_side(h, path, eb, ChangeStatus::added, recursive, sink, keep_b);
    }
}

// The entry at `path` in `root`, or null.
EntryPtr entry_at(const git_tree* root, const std::string& path) {
    if (root == nullptr) {
        return nullptr;
    }
    git_tree_entry* raw = nullptr;
    int rc = git_tree_entry_bypath(&raw, root, path.c_str());
    if (rc == GIT_ENOTFOUND) {
        return nullptr;
    }
    check(rc, path);
    return EntryPtr(raw);
}

std::optional<Change> change_of(const git_diff_delta& d) {
    auto file = [](const git_diff_file& f) {
        return f.mode == GIT_FILEMODE_BLOB || f.mode == GIT_FILEMODE_BLOB_EXECUTABLE ||
               f.mode == GIT_FILEMODE_LINK;
    };
    Change c;
    c.path = d.new_file.path;
    c.old_path = d.old_file.path;
    switch (d.status) {
    case GIT_DELTA_ADDED:
        c.status = ChangeStatus::added;
        break;
    case GIT_DELTA_DELETED:
        c.status = ChangeStatus::deleted;
        c.path = c.old_path;
        break;
    case GIT_DELTA_MODIFIED:
    case GIT_DELTA_TYPECHANGE:
        c.status = ChangeStatus::modified;
        break;
    case GIT_DELTA_RENAMED:
        c.status = ChangeStatus::renamed;
        break;
    default:
        return std::nullopt;  // unmodified, conflicted, ignored...
    }
    if (c.status != ChangeStatus::added) {
        if (!file(d.old_file)) {
            return std::nullopt;
        }
        c.old_blob = to_id(d.old_file.id);
    }
    if (c.status != ChangeStatus::deleted) {
        if (!file(d.new_file)) {
            return std::nullopt;
        }
        c.new_blob = to_id(d.new_file.id);
    }
    c.link = (c.status == ChangeStatus::deleted ? d.old_file.mode : d.new_file.mode) ==
             GIT_FILEMODE_LINK;
    return c;
}

git_diff_options diff_options(const std::vector<std::string>& paths,
                              std::vector<const char*>& storage) {
    git_diff_options o = GIT_DIFF_OPTIONS_INIT;
    o.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH;
    storage.clear();
    for (const auto& p : paths) {
        storage.push_back(p.c_str());
    }
    o.pathspec.strings = const_cast<char**>(storage.data());
    o.pathspec.count = storage.size();
    return o;
}

// Replaces added and deleted files that libgit2 pairs into renames.
void find_renames(Handle& h, const git_tree* a, const git_tree* b, std::vector<Change>& changes) {
    std::vector<std::string> paths;
    for (const auto& c : changes) {
        if (c.status == ChangeStatus::added || c.status == ChangeStatus::deleted) {
            paths.push_back(c.path);
        }
    }
    std::vector<const char*> storage;
    git_diff_options o = diff_options(paths, storage);
    git_diff* raw = nullptr;
    check(git_diff_tree_to_tree(&raw, h.repo.get(), const_cast<git_tree*>(a),
                                const_cast<git_tree*>(b), &o),
          "cannot compare the trees");
    DiffPtr diff(raw);
    apply_renames(diff.get(), changes);
}

// The size in bytes of the folders of `commit` a diff with `options` reads
// (its root tree when it names none), found from the pack's headers without
// rebuilding them (mutex held).
std::uint64_t folder_size(Handle& h, const ObjectId& commit, const DiffOptions& options) {
    if (!h.odb) {
        git_odb* raw = nullptr;
        check(git_repository_odb(&raw, h.repo.get()), "cannot open the object database");
        h.odb.reset(raw);
    }
    SharedTree root = commit_tree(h, commit);
    auto size_of = [&](const git_oid& id) -> std::uint64_t {
        std::size_t len = 0;
        git_object_t type = GIT_OBJECT_INVALID;
        check(git_odb_read_header(&len, &type, h.odb.get(), &id), "tree " + to_id(id).hex());
        return len;
    };
    std::uint64_t total = 0;
    for (const auto& p : options.paths) {
        std::string path = normalize_path(p);
        if (path.empty()) {
            return size_of(*git_tree_id(root.get()));
        }
        EntryPtr e = entry_at(root.get(), path);
        if (e && is_tree(e.get())) {
            total += size_of(*git_tree_entry_id(e.get()));
        }
    }
    return options.paths.empty() ? size_of(*git_tree_id(root.get())) : total;
}

// Hands the files that differ between trees `a` (null: empty) and `b`, in
// the folders `options` names, to `sink` (mutex held). `keep_b`: keep b's
// folders in the handle, for a caller that will read them again.
void compare(Handle& h, const git_tree* a, const git_tree* b, const DiffOptions& options,
             ChangeSink& sink, bool keep_b) {
    if (options.paths.empty()) {
        walk_trees(h, "", a ? git_tree_id(a) : nullptr, git_tree_id(b), true, sink, keep_b);
    }
    for (const auto& p : options.paths) {
        std::string path = normalize_path(p);
        if (path.empty()) {
            walk_trees(h, "", a ? git_tree_id(a) : nullptr, git_tree_id(b), options.recursive,
                       sink, keep_b);
            continue;
        }
        EntryPtr ea = entry_at(a, path);
        EntryPtr eb = entry_at(b, path);
        named(h, path, ea.get(), eb.get(), options.recursive, sink, keep_b);
    }
}

// Keeps each file as a view: the folders and names are copied into two
// buffers, not into a string each.
class ViewList : public ChangeSink {
  public:
    void file(ChangeStatus status, const std::string& dir, std::string_view name,
              const git_oid* old_id, const git_oid* new_id, bool link) override {
        if (m_dirs.empty() || m_dirs.back() != dir) {
            m_dirs.push_back(dir);
        }
        Kept k{ChangeView{status, {}, {}, std::nullopt, std::nullopt, link}, m_dirs.size() - 1,
               m_names.size(), name.size()};
        if (old_id != nullptr) {
            k.view.old_blob = to_id(*old_id);
        }
        if (new_id != nullptr) {
            k.view.new_blob = to_id(*new_id);
        }
        m_names += name;
        m_kept.push_back(std::move(k));
    }

    // The views, valid while this lives.
    std::vector<ChangeView> views() const {
        std::vector<ChangeView> out;
        out.reserve(m_kept.size());
        for (const Kept& k : m_kept) {
            out.push_back(k.view);
            out.back().dir = m_dirs[k.dir];
            out.back().name = std::string_view(m_names).substr(k.name, k.name_size);
        }
        return out;
    }

  private:
    struct Kept {
        ChangeView view;  // without its folder and name
        std::size_t dir;
        std::size_t name;
        std::size_t name_size;
    };
    std::deque<std::string> m_dirs;
    std::string m_names;
    std::vector<Kept> m_kept;
};

// Calls work(r, k) for every k of `to` on up to `threads` threads, each with
// a handle r of its own, in the order of the sizes of the folders `options`
// names, smallest first (see Repository::diff_trees_each).
void each_by_size(const Repository& self, Handle& h, const std::vector<ObjectId>& to,
                  const DiffOptions& options, unsigned threads,
                  const std::function<void(const Repository&, std::size_t)>& work) {
    std::vector<std::uint64_t> sizes(to.size());
    {
        std::lock_guard<std::mutex> lock(h.mutex);
        for (std::size_t k = 0; k < to.size(); ++k) {
            sizes[k] = folder_size(h, to[k], options);
        }
    }
    std::vector<std::size_t> order(to.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return sizes[a] < sizes[b]; });

    std::size_t workers =
        std::max<std::size_t>(1, std::min<std::size_t>(threads, to.size() / 16 + 1));
    std::atomic<std::size_t> next{0};
    std::exception_ptr failure;
    std::mutex failure_mutex;
    auto fail = [&] {
        std::lock_guard<std::mutex> lock(failure_mutex);
        if (!failure) {
            failure = std::current_exception();
        }
        next.store(to.size());
    };
    // The threads take the trees in that order, from one counter, so that
    // they rebuild neighbours in the chains at about the same time.
    auto run = [&](const Repository& r) {
        try {
            for (std::size_t i = next++; i < to.size(); i = next++) {
                work(r, order[i]);
            }
        } catch (...) {
            fail();
        }
    };
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < workers; ++t) {
        pool.emplace_back([&] {
            std::optional<Repository> own;
            try {
                own = self.reopen();
            } catch (...) {
                fail();
                return;
            }
            run(*own);
        });
    }
    run(self);
    for (auto& t : pool) {
        t.join();
    }
    if (failure) {
        std::rethrow_exception(failure);
    }
}

}  // namespace

bool directly_in(const std::string& path, const std::vector<std::string>& folders) {
    auto slash = path.rfind('/');
    std::string parent = slash == std::string::npos ? "" : path.substr(0, slash);
    return std::any_of(folders.begin(), folders.end(), [&](const std::string& f) {
        std::string n = normalize_path(f);
        return n == parent || n == path;
    });
}

void apply_renames(git_diff* diff, std::vector<Change>& changes) {
    git_diff_find_options f = GIT_DIFF_FIND_OPTIONS_INIT;
    f.flags = GIT_DIFF_FIND_RENAMES;
    check(git_diff_find_similar(diff, &f), "cannot find renames");
    for (const auto& r : changes_of(diff, DiffOptions{})) {
        if (r.status != ChangeStatus::renamed) {
            continue;
        }
        std::erase_if(changes, [&](const Change& c) {
            return (c.status == ChangeStatus::deleted && c.path == r.old_path) ||
                   (c.status == ChangeStatus::added && c.path == r.path);
        });
        changes.push_back(r);
    }
}

void sort_changes(std::vector<Change>& changes) {
    auto before = [](const Change& a, const Change& b) {
        return std::tie(a.path, a.old_path, a.status) < std::tie(b.path, b.old_path, b.status);
    };
    // A folder's changes come out of the tree walk nearly always in order
    // already, thousands of them for a stale branch.
    if (!std::is_sorted(changes.begin(), changes.end(), before)) {
        std::sort(changes.begin(), changes.end(), before);
    }
    changes.erase(std::unique(changes.begin(), changes.end()), changes.end());
}

std::vector<Change> changes_of(git_diff* diff, const DiffOptions& options) {
    std::vector<Change> out;
    std::size_t n = git_diff_num_deltas(diff);
    for (std::size_t i = 0; i < n; ++i) {
        auto c = change_of(*git_diff_get_delta(diff, i));
        if (!c) {
            continue;
        }
        if (!options.recursive && !options.paths.empty() && !directly_in(c->path, options.paths) &&
            !directly_in(c->old_path, options.paths)) {
            continue;
        }
        out.push_back(std::move(*c));
    }
    sort_changes(out);
    return out;
}

}  // namespace migcheck::git::detail

namespace migcheck::git {

using namespace detail;

std::vector<Change> Repository::diff_trees(const std::optional<ObjectId>& from, const ObjectId& to,
                                           const DiffOptions& options) const {
    std::lock_guard<std::mutex> lock(m_h->mutex);
    SharedTree a = from ? commit_tree(*m_h, *from) : nullptr;
    SharedTree b = commit_tree(*m_h, to);
    std::vector<Change> changes;
    ChangeList list(changes);
    compare(*m_h, a.get(), b.get(), options, list, true);
    bool added = std::any_of(changes.begin(), changes.end(),
                             [](const Change& c) { return c.status == ChangeStatus::added; });
    bool deleted = std::any_of(changes.begin(), changes.end(),
                               [](const Change& c) { return c.status == ChangeStatus::deleted; });
    if (options.renames && added && deleted) {
        find_renames(*m_h, a.get(), b.get(), changes);
    }
    sort_changes(changes);
    return changes;
}

}  // namespace migcheck::git

namespace migcheck::git {

void Repository::diff_trees_each(
    const std::optional<ObjectId>& from, const std::vector<ObjectId>& to,
    const DiffOptions& options, unsigned threads,
    const std::function<void(std::size_t, std::vector<Change>)>& use) const {
    each_by_size(*this, *m_h, to, options, threads, [&](const Repository& r, std::size_t k) {
        use(k, r.diff_trees(from, to[k], options));
    });
}

void Repository::diff_views_each(
    const std::optional<ObjectId>& from, const std::vector<ObjectId>& to,
    const DiffOptions& options, unsigned threads,
    const std::function<void(std::size_t, const std::vector<ChangeView>&)>& use) const {
    each_by_size(*this, *m_h, to, options, threads, [&](const Repository& r, std::size_t k) {
        ViewList list;
        {
            std::lock_guard<std::mutex> lock(r.m_h->mutex);
            SharedTree a = from ? commit_tree(*r.m_h, *from) : nullptr;
            SharedTree b = commit_tree(*r.m_h, to[k]);
            // Each commit's folders are read once; the base's, kept, are
            // compared with every one, and are not to be pushed out by them.
            compare(*r.m_h, a.get(), b.get(), options, list, false);
        }
        use(k, list.views());
    });
}

}  // namespace migcheck::git

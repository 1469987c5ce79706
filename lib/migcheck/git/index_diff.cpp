// HEAD's tree against the index, as `git diff --cached` compares them: the
// cache tree names the tree each folder's staged entries make, and a folder
// whose tree is HEAD's is skipped whole. After `git add` of a few files only
// the folders above them are invalid, so a 50,000-file index costs the
// entries of those folders, where libgit2's diff builds every path of both
// sides. Renames are then found by libgit2, among the added and deleted
// files only.
#include "migcheck/git/libgit2.hpp"

#include "migcheck/util/error.hpp"

#include <algorithm>

namespace migcheck::git::detail {
namespace {

bool is_file(std::uint32_t mode) {
    EntryKind k = RawEntry::kind_of_mode(mode);
    return k == EntryKind::file || k == EntryKind::link;
}

bool is_link(std::uint32_t mode) { return RawEntry::kind_of_mode(mode) == EntryKind::link; }

// Git's order of a folder's entries: a folder sorts as its name and '/'.
int compare(std::string_view a, bool a_folder, std::string_view b, bool b_folder) {
    std::size_t n = std::min(a.size(), b.size());
    if (int c = a.substr(0, n).compare(b.substr(0, n)); c != 0) {
        return c;
    }
    auto next = [&](std::string_view s, bool folder) {
        return s.size() > n ? static_cast<unsigned char>(s[n]) : (folder ? '/' : '\0');
    };
    return static_cast<int>(next(a, a_folder)) - static_cast<int>(next(b, b_folder));
}

// An entry of HEAD's tree, copied out of the tree's bytes.
struct HeadEntry {
    std::uint32_t mode = 0;
    git_oid id{};
};

class IndexWalker {
  public:
    IndexWalker(Handle& h, const IndexFile& index, std::vector<Change>& out)
        : m_h(h), m_entries(index.entries()), m_index(index), m_out(out) {}

    // Folder `dir` ("" for the top) of HEAD (`tree`, or null: HEAD has no
    // such folder) against the index entries [lo, hi), those under it.
    void folder(const std::string& dir, const git_oid* tree, std::size_t lo, std::size_t hi) {
        if (tree == nullptr) {
            added(lo, hi);
            return;
        }
        if (const CacheTreeNode* node = m_index.cache_tree(dir);
            node != nullptr && node->valid() &&
            std::memcmp(node->id->bytes.data(), tree->id, GIT_OID_RAWSZ) == 0) {
            return;
        }
        if (lo == hi) {
            walk_trees(m_h, dir, tree, nullptr, true, m_out);
            return;
        }
        // Held here: the handle keeps only the few trees used last.
        std::shared_ptr<const RawTree> raw = m_h.raw_tree(*tree);
        std::string_view data = raw->data;
        std::size_t skip = dir.empty() ? 0 : dir.size() + 1;
        std::size_t at = 0;
        std::size_t j = lo;
        while (at < data.size() || j < hi) {
            RawEntry t;
            if (at < data.size()) {
                t = parse_raw_entry(data, at);
            }
            // The index's next name here: a file (its stages), or a folder
            // (every entry under it).
            std::string_view name;
            bool is_folder = false;
            std::size_t end = j;
            if (j < hi) {
                std::string_view rest = m_entries[j].path.substr(skip);
                auto slash = rest.find('/');
                is_folder = slash != std::string_view::npos;
                name = is_folder ? rest.substr(0, slash) : rest;
                end = is_folder ? folder_end(j, skip + slash + 1, hi) : file_end(j, hi);
            }
            int cmp = at == data.size() ? 1
                      : j == hi         ? -1
                                        : compare(t.name, t.kind() == EntryKind::tree, name,
                                                  is_folder);
            if (cmp < 0) {
                head_only(child_path(dir, t.name), HeadEntry{t.mode, t.oid()});
                at = t.end;
            } else if (cmp > 0) {
                index_only(j, end, is_folder);
                j = end;
            } else if (is_folder) {
                git_oid id = t.oid();
                folder(child_path(dir, t.name), &id, j, end);
                at = t.end;
                j = end;
            } else {
                file(std::string(m_entries[j].path), HeadEntry{t.mode, t.oid()}, j, end);
                at = t.end;
                j = end;
            }
        }
    }

    // A path in HEAD only: deleted, and every file under it when a folder.
    void head_only(const std::string& path, const HeadEntry& e) {
        EntryKind k = RawEntry::kind_of_mode(e.mode);
        if (k == EntryKind::tree) {
            walk_trees(m_h, path, &e.id, nullptr, true, m_out);
        } else if (is_file(e.mode)) {
            m_out.push_back(Change{ChangeStatus::deleted, path, path, to_id(e.id), std::nullopt,
                                   is_link(e.mode)});
        }
    }

    // Index entries [lo, hi) not in HEAD: a file's stages, or a folder's.
    void index_only(std::size_t lo, std::size_t hi, bool is_folder) {
        if (is_folder) {
            added(lo, hi);
        } else if (const IndexEntry* e = staged(lo, hi)) {
            add(*e);
        }
    }

    // One path, a file in HEAD (`head`) and in the index (its stages
    // [lo, hi)). A conflicted path is neither added, deleted nor modified,
    // as libgit2 and `git diff --cached` (which says "unmerged") have it.
    void file(const std::string& path, const HeadEntry& head, std::size_t lo, std::size_t hi) {
        for (std::size_t k = lo; k < hi; ++k) {
            if (m_entries[k].stage != 0) {
                return;
            }
        }
        const IndexEntry* e = staged(lo, hi);
        if (e == nullptr) {
            head_only(path, head);  // only intended to be added: not in the next commit
            return;
        }
        if (std::memcmp(head.id.id, e->id.bytes.data(), GIT_OID_RAWSZ) == 0 &&
            RawEntry::normal_of_mode(head.mode) == RawEntry::normal_of_mode(e->mode)) {
            return;
        }
        if (is_file(head.mode) && is_file(e->mode)) {
            m_out.push_back(Change{ChangeStatus::modified, path, path, to_id(head.id), e->id,
                                   is_link(e->mode)});
            return;
        }
        head_only(path, head);
        add(*e);
    }

    // Every staged file of index entries [lo, hi), added.
    void added(std::size_t lo, std::size_t hi) {
        for (std::size_t k = lo; k < hi; ++k) {
            if (m_entries[k].staged()) {
                add(m_entries[k]);
            }
        }
    }

  private:
    void add(const IndexEntry& e) {
        if (is_file(e.mode)) {
            std::string path(e.path);
            m_out.push_back(Change{ChangeStatus::added, path, path, std::nullopt, e.id,
                                   is_link(e.mode)});
        }
    }

    // The staged entry among a path's stages [lo, hi), or null.
    const IndexEntry* staged(std::size_t lo, std::size_t hi) const {
        for (std::size_t k = lo; k < hi; ++k) {
            if (m_entries[k].staged()) {
                return &m_entries[k];
            }
        }
        return nullptr;
    }

    // The end of the stages of entry j's path.
    std::size_t file_end(std::size_t j, std::size_t hi) const {
        std::size_t k = j + 1;
        while (k < hi && m_entries[k].path == m_entries[j].path) {
            ++k;
        }
        return k;
    }

    // The end of the entries that share entry j's first `length` bytes
    // (a folder's path and its '/'): found by halving, not by walking a
    // folder the cache tree may skip.
    std::size_t folder_end(std::size_t j, std::size_t length, std::size_t hi) const {
        std::string_view folder = m_entries[j].path.substr(0, length);
        auto it = std::partition_point(
            m_entries.begin() + static_cast<std::ptrdiff_t>(j),
            m_entries.begin() + static_cast<std::ptrdiff_t>(hi),
            [&](const IndexEntry& e) { return e.path.substr(0, length) == folder; });
        return static_cast<std::size_t>(it - m_entries.begin());
    }

    Handle& m_h;
    const std::vector<IndexEntry>& m_entries;
    const IndexFile& m_index;
    std::vector<Change>& m_out;
};

// The entry at `path` in HEAD's tree `root`, or nullopt.
std::optional<HeadEntry> head_entry(Handle& h, const git_oid& root, const std::string& path) {
    HeadEntry at{0040000U, root};
    std::size_t from = 0;
    while (from <= path.size()) {
        if (RawEntry::kind_of_mode(at.mode) != EntryKind::tree) {
            return std::nullopt;
        }
        std::size_t slash = path.find('/', from);
        std::string_view name = std::string_view(path).substr(
            from, slash == std::string::npos ? std::string::npos : slash - from);
        std::shared_ptr<const RawTree> tree = h.raw_tree(at.id);
        std::optional<HeadEntry> found;
        for (std::size_t k = 0; k < tree->data.size();) {
            RawEntry e = parse_raw_entry(tree->data, k);
            if (e.name == name) {
                found = HeadEntry{e.mode, e.oid()};
                break;
            }
            k = e.end;
        }
        if (!found) {
            return std::nullopt;
        }
        at = *found;
        if (slash == std::string::npos) {
            return at;
        }
        from = slash + 1;
    }
    return std::nullopt;
}

// A path the caller named: a file or a folder, on either side.
void named(IndexWalker& walker, Handle& h, const git_oid* root, const IndexFile& index,
           const std::string& path) {
    std::optional<HeadEntry> head = root != nullptr ? head_entry(h, *root, path) : std::nullopt;
    bool head_folder = head && RawEntry::kind_of_mode(head->mode) == EntryKind::tree;
    const auto& entries = index.entries();
    std::size_t file_lo = index.lower_bound(path);
    std::size_t file_hi = file_lo;
    while (file_hi < entries.size() && entries[file_hi].path == path) {
        ++file_hi;
    }
    auto [folder_lo, folder_hi] = index.prefixed(path + "/");
    if (head_folder) {
        walker.folder(path, &head->id, folder_lo, folder_hi);
    } else if (folder_lo != folder_hi) {
        walker.added(folder_lo, folder_hi);
    }
    if (head && !head_folder) {
        if (file_lo != file_hi) {
            walker.file(path, *head, file_lo, file_hi);
        } else {
            walker.head_only(path, *head);
        }
    } else if (file_lo != file_hi) {
        walker.index_only(file_lo, file_hi, false);
    }
}

// Replaces the added and deleted files libgit2 pairs into renames. libgit2
// compares HEAD with a small index of the added files only: reading the
// whole index into libgit2 is what this file avoids.
void find_renames(Handle& h, const git_oid* root, const IndexFile& index,
                  std::vector<Change>& changes) {
    IndexPtr added;
    {
        git_index* raw = nullptr;
        check(git_index_new(&raw), "cannot find renames");
        added.reset(raw);
    }
    std::vector<std::string> paths;
    const auto& entries = index.entries();
    for (const auto& c : changes) {
        if (c.status != ChangeStatus::added && c.status != ChangeStatus::deleted) {
            continue;
        }
        paths.push_back(c.path);
        if (c.status != ChangeStatus::added) {
            continue;
        }
        for (std::size_t k = index.lower_bound(c.path);
             k < entries.size() && entries[k].path == c.path; ++k) {
            if (entries[k].staged()) {
                git_index_entry e{};
                e.mode = entries[k].mode;
                e.id = to_oid(entries[k].id);
                e.path = c.path.c_str();
                check(git_index_add(added.get(), &e), "cannot find renames: " + c.path);
            }
        }
    }
    std::vector<const char*> pathspec;
    for (const auto& p : paths) {
        pathspec.push_back(p.c_str());
    }
    git_diff_options o = GIT_DIFF_OPTIONS_INIT;
    o.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH;
    o.pathspec.strings = const_cast<char**>(pathspec.data());
    o.pathspec.count = pathspec.size();
    SharedTree tree = root != nullptr ? h.tree(*root) : nullptr;
    git_diff* raw = nullptr;
    check(git_diff_tree_to_index(&raw, h.repo.get(), const_cast<git_tree*>(tree.get()),
                                 added.get(), &o),
          "cannot compare HEAD with the index");
    DiffPtr diff(raw);
    apply_renames(diff.get(), changes);
}

}  // namespace

std::vector<Change> index_changes(Handle& h, const git_oid* head, const IndexFile& index,
                                  const DiffOptions& options) {
    std::vector<Change> changes;
    IndexWalker walker(h, index, changes);
    std::size_t all = index.entries().size();
    if (options.paths.empty()) {
        walker.folder("", head, 0, all);
    }
    for (const auto& p : options.paths) {
        std::string path = normalize_path(p);
        if (path.empty()) {
            walker.folder("", head, 0, all);
        } else {
            named(walker, h, head, index, path);
        }
    }
    bool added = std::any_of(changes.begin(), changes.end(),
                             [](const Change& c) { return c.status == ChangeStatus::added; });
    bool deleted = std::any_of(changes.begin(), changes.end(),
                               [](const Change& c) { return c.status == ChangeStatus::deleted; });
    if (options.renames && added && deleted) {
        sort_changes(changes);
        find_renames(h, head, index, changes);
    }
    // Not recursive: the files directly in the folders named, or renamed
    // from there, as libgit2's diff limited them (its pathspec matches
    // subfolders too).
    if (!options.recursive && !options.paths.empty()) {
        std::erase_if(changes, [&](const Change& c) {
            return !directly_in(c.path, options.paths) && !directly_in(c.old_path, options.paths);
        });
    }
    sort_changes(changes);
    return changes;
}

}  // namespace migcheck::git::detail

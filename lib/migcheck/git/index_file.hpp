#pragma once
// Git's index file (.git/index) read directly: a 50,000-file index is read in
// a few milliseconds, where libgit2 hashes the whole file, allocates every
// entry and sorts them again. Pure code: no libgit2, tested on bytes.
// The format: git's Documentation/gitformat-index.txt.

#include "migcheck/git/repository.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace migcheck::git {

// What git records of a working-tree file when it stages it, to tell later
// whether the file changed. Seconds and nanoseconds as git stores them.
struct IndexStat {
    std::uint32_t ctime_sec = 0;
    std::uint32_t ctime_nsec = 0;
    std::uint32_t mtime_sec = 0;
    std::uint32_t mtime_nsec = 0;
    std::uint32_t dev = 0;
    std::uint32_t ino = 0;
    std::uint32_t uid = 0;
    std::uint32_t gid = 0;
    std::uint32_t size = 0;  // the low 32 bits of the size
};

// One entry of the index: a path at one stage.
struct IndexEntry {
    std::string_view path;  // '/'-separated, from the top; lives as long as its IndexFile
    ObjectId id;            // the blob (a submodule's commit)
    std::uint32_t mode = 0; // 0100644, 0100755, 0120000 (link) or 0160000 (submodule)
    std::uint8_t stage = 0; // 0, or 1-3: the base, ours and theirs of a conflict
    bool assume_valid = false;   // `git update-index --assume-unchanged`
    bool intent_to_add = false;  // `git add -N`: named, not staged
    bool skip_worktree = false;  // `git update-index --skip-worktree`, sparse checkout
    IndexStat stat;

    // What a commit would take: stage 0, and not only intended to be added.
    bool staged() const { return stage == 0 && !intent_to_add; }
};

// One folder of the cache tree (the TREE extension): the tree object the
// folder's staged entries make, when git knows it. `git add` invalidates the
// folders above what it stages; `git write-tree` and `git commit` fill them in.
struct CacheTreeNode {
    std::string path;              // "" for the top, else "a/b"
    std::int32_t entry_count = -1; // index entries under the folder; -1: unknown (invalid)
    std::int32_t subtrees = 0;
    std::optional<ObjectId> id;    // when valid

    bool valid() const { return entry_count >= 0 && id.has_value(); }
};

// An index file, parsed. Move-only: entries' paths point into its storage.
class IndexFile {
  public:
    // Reads the index file at `path` (mapped, not copied). A missing file is
    // an empty index, as git and libgit2 read it. Throws runtime_error naming
    // the file when it cannot be read, or is truncated or corrupt.
    static IndexFile read(const std::string& path);

    // Parses an index file's bytes; `name` is the file, for messages. Throws
    // as read() does.
    static IndexFile parse(std::string bytes, const std::string& name);
    // The same over bytes that `owner` keeps alive.
    static IndexFile parse(std::shared_ptr<const void> owner, std::string_view bytes,
                           const std::string& name);

    // An index of these entries (paths copied), sorted by path and stage;
    // no cache tree. For an index read by other means (libgit2).
    static IndexFile from_entries(std::vector<IndexEntry> entries);

    IndexFile(IndexFile&&) = default;
    IndexFile& operator=(IndexFile&&) = default;
    IndexFile(const IndexFile&) = delete;
    IndexFile& operator=(const IndexFile&) = delete;

    // 2, 3 or 4; 0 for a missing file.
    unsigned version() const { return m_version; }

    // Why this index cannot be read here (a split index, a sparse index,
    // an unknown required extension or version), or "" when it can. When
    // not "", entries and cache tree are empty: read it with libgit2.
    const std::string& unsupported() const { return m_unsupported; }

    // Every entry, sorted by path, then stage, as git keeps them.
    const std::vector<IndexEntry>& entries() const { return m_entries; }

    // The first entry whose path is not less than `path`.
    std::size_t lower_bound(std::string_view path) const;

    // The entries whose paths begin with `prefix`: [first, last).
    std::pair<std::size_t, std::size_t> prefixed(std::string_view prefix) const;

    // The cache tree's folders, sorted by path; empty when the index has no
    // TREE extension, or one git would not read either.
    const std::vector<CacheTreeNode>& cache_tree() const { return m_tree; }

    // Folder `dir`'s cache-tree node ("" for the top), or null.
    const CacheTreeNode* cache_tree(std::string_view dir) const;

  private:
    IndexFile() = default;

    std::shared_ptr<const void> m_owner;  // the mapped file or the bytes given
    std::vector<char> m_paths;            // the paths of a version-4 index, or copied ones
    std::vector<IndexEntry> m_entries;
    std::vector<CacheTreeNode> m_tree;
    unsigned m_version = 0;
    std::string m_unsupported;

    friend class IndexParser;
};

}  // namespace migcheck::git

#pragma once

#include "migcheck/util/file_source.hpp"

#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migcheck::git {

namespace detail {
struct Handle;
}

// A git object id (SHA-1).
struct ObjectId {
    std::array<unsigned char, 20> bytes{};

    // 40 hex digits.
    std::string hex() const;
    bool operator==(const ObjectId&) const = default;
    auto operator<=>(const ObjectId&) const = default;
};

struct ObjectIdHash {
    std::size_t operator()(const ObjectId& id) const noexcept {
        std::size_t h = 0;
        std::memcpy(&h, id.bytes.data(), sizeof h);  // already uniformly distributed
        return h;
    }
};

enum class ChangeStatus { added, modified, deleted, renamed };

// "added", "modified", "deleted", "renamed".
const char* status_name(ChangeStatus status);

// One changed file. Paths are relative to the repository's top, '/'-separated.
struct Change {
    ChangeStatus status = ChangeStatus::modified;
    std::string path;      // where the file is now (where it was, when deleted)
    std::string old_path;  // where it was: differs from `path` only when renamed
    std::optional<ObjectId> old_blob;  // nullopt when added
    std::optional<ObjectId> new_blob;  // nullopt when deleted
    bool link = false;  // the file (the old one, when deleted) is a symbolic link

    bool operator==(const Change&) const = default;
};

// A changed file as Repository::diff_views_each hands it over: its folder
// and name are views, valid during the call only.
struct ChangeView {
    ChangeStatus status = ChangeStatus::modified;  // added, modified or deleted
    std::string_view dir;                          // from the top ("" at the top)
    std::string_view name;                         // in `dir`
    std::optional<ObjectId> old_blob;              // nullopt when added
    std::optional<ObjectId> new_blob;              // nullopt when deleted
    bool link = false;  // the file (the old one, when deleted) is a symbolic link
};

struct DiffOptions {
    // Folders or files, relative to the repository's top; empty: everything.
    std::vector<std::string> paths;
    // false: only files directly inside the folders in `paths`.
    bool recursive = true;
    // Pair deleted and added files into renames as git does (50% similar).
    bool renames = true;
};

// A reference and the commit it points at.
struct Ref {
    std::string name;        // "refs/remotes/origin/main"
    std::string short_name;  // "origin/main", as git names it in messages
    ObjectId commit;
};

// A commit as a range of them lists it.
struct Commit {
    ObjectId id;
    std::vector<ObjectId> parents;
    std::string summary;  // the message's first line
};

// What a revision string names.
struct Resolved {
    ObjectId commit;
    std::string ref;  // the reference it named ("refs/heads/main"), or "" (a sha, HEAD~2)
};

// A directory entry with the blob behind it.
struct BlobEntry {
    DirEntry entry;
    std::optional<ObjectId> blob;  // files and links to files: the blob read() returns
};

// The files of a commit or of the index: a FileSource that also names the
// blob behind each file, so that callers can cache what they derive from a
// file by its content.
class GitFiles : public FileSource {
  public:
    // The blob read(path) returns (links followed), or nullopt when there is
    // no such file.
    virtual std::optional<ObjectId> blob_id(const std::string& path) const = 0;
    // list() with the blob of each file.
    virtual std::optional<std::vector<BlobEntry>> list_blobs(const std::string& dir) const = 0;
    // Calls `each` with every regular file's path (no links), sorted, when
    // the source holds them as one list (the index) and can give them
    // without walking folders, and says true; false, calling nothing, when it
    // cannot (a commit's trees). The views live during the call only.
    virtual bool for_each_file(const std::function<void(std::string_view)>& /*each*/) const {
        return false;
    }
    // A blob's bytes by its id (as blob_id() names it), or nullopt when
    // there is no such blob.
    virtual std::optional<std::string> read_blob(const ObjectId& /*id*/) const {
        return std::nullopt;
    }
    // Whether `dir` is a folder (links not followed), without listing it.
    virtual bool has_folder(const std::string& dir) const { return list(dir).has_value(); }
    // The id of the tree object folder `dir` ("" for the root) is, or would
    // be once committed: equal ids mean every entry under it is the same.
    // nullopt when there is no such folder, or when the index holds a
    // conflict or an intent-to-add entry under it (git would write no tree).
    // With `hash` false, the index gives only the ids its cache tree knows
    // (hashing a large folder takes milliseconds).
    virtual std::optional<ObjectId> tree_id(const std::string& /*dir*/,
                                            bool /*hash*/ = true) const {
        return std::nullopt;
    }
};

// A git repository opened through libgit2, the only code that includes
// <git2.h>. Nothing here changes the working tree, the index or any ref.
// Revisions that name nothing are answers (std::optional), not failures;
// libgit2 failures throw runtime_error (exit 3) with libgit2's message.
// Safe to use from several threads: each call holds the repository's lock.
class Repository {
  public:
    // Opens the repository containing `path` (searching upwards as git does).
    // Throws usage_error when there is none, and says what to do when git
    // refuses it for its owner (safe.directory).
    static Repository open(const std::string& path);

    // Starts reading, on another thread, the index of the repository
    // containing `path`, found as git finds it in the usual cases (a .git
    // folder or file above `path`, $GIT_DIR, $GIT_INDEX_FILE): starting
    // libgit2 takes milliseconds, and so does reading a large index.
    // index_files() and staged_changes() take what was read when it is the
    // file they would read, unchanged since; otherwise it is dropped.
    static void read_index_ahead(const std::string& path);

    // Another handle on the same repository, for another thread: calls on
    // one handle wait for each other, calls on two run at once.
    Repository reopen() const;

    // The absolute working directory, without a trailing slash. Throws
    // usage_error for a bare repository.
    std::string workdir() const;

    // The folder git runs this repository's hooks from, absolute, without a
    // trailing slash, existing or not: core.hooksPath when set (from the
    // repository's configuration and the user's, `~` expanded; a relative
    // path is relative to the top of the working tree, or to the git
    // directory of a bare repository, as git reads it), else `hooks` in the
    // common git directory (shared by linked worktrees). libgit2's own
    // GIT_REPOSITORY_ITEM_HOOKS ignores core.hooksPath.
    std::string hooks_dir() const;

    // What `rev` names, peeled to a commit: a branch ("main"), a remote
    // branch ("origin/main"), a tag, a sha or a prefix of one, or any
    // revision expression git accepts ("HEAD~2"). nullopt when it names
    // nothing, or nothing that peels to a commit. Throws usage_error when a
    // prefix is ambiguous.
    std::optional<Resolved> resolve(const std::string& rev) const;

    // The references whose full names match `glob` ("refs/heads/*",
    // "refs/remotes/origin/*"; '*' also matches '/'), peeled to commits,
    // sorted by name. Symbolic references (refs/remotes/origin/HEAD) and
    // references to anything but a commit are left out.
    std::vector<Ref> refs(const std::string& glob) const;

    // The best common ancestor of two commits, or nullopt when they share
    // no history.
    std::optional<ObjectId> merge_base(const ObjectId& a, const ObjectId& b) const;

    // The commits reachable from `head` but not from `base`, parents before
    // children (oldest first), as `git log --reverse --topo-order base..head`
    // lists them.
    std::vector<Commit> commits_between(const ObjectId& base, const ObjectId& head) const;

    // The files of a commit's tree; `prefix` is the project root relative to
    // the working directory ("" at the top), and paths given to the source
    // are relative to it. `description` is what messages call it
    // ("commit main").
    std::unique_ptr<GitFiles> commit_files(const ObjectId& commit, const std::string& prefix,
                                           const std::string& description) const;

    // The files of the commit or tree `rev` names, described as "commit
    // <rev>". Throws usage_error when it names neither.
    std::unique_ptr<FileSource> tree(const std::string& rev, const std::string& prefix) const;

    // The staged files: the index's stage-0 entries (conflicted and
    // intent-to-add paths are left out). The index is $GIT_INDEX_FILE when
    // set (relative to the current directory, as git reads it; a pre-commit
    // hook of `git commit -a` gets a temporary index there), else the
    // repository's own.
    std::unique_ptr<GitFiles> index_files(const std::string& prefix) const;

    // A blob's bytes, or nullopt when the repository has no such blob.
    std::optional<std::string> read_blob(const ObjectId& id) const;

    // Reads every blob in `ids` on up to `threads` threads, each with its
    // own repository handle, and calls `use(k, bytes)` for ids[k] on the
    // thread that read it (concurrently: `use` must be thread-safe, and must
    // not call this Repository, whose lock one of the threads holds). The
    // bytes live only during the call. The first exception thrown, by
    // libgit2 or by `use`, stops the others and is rethrown.
    void for_each_blob(const std::vector<ObjectId>& ids, unsigned threads,
                       const std::function<void(std::size_t, std::string_view)>& use) const;

    // The files that differ between two commits' trees (`from` nullopt: the
    // empty tree, as before a first commit), sorted by path. Folders with
    // equal ids on both sides are skipped without being read, so changes
    // under a few folders cost little however large the trees.
    std::vector<Change> diff_trees(const std::optional<ObjectId>& from, const ObjectId& to,
                                   const DiffOptions& options = {}) const;

    // Calls `use(k, diff_trees(from, to[k], options))` for every k, spread
    // over up to `threads` threads, each with a repository handle of its
    // own, on the thread that compared them (concurrently: `use` must be
    // thread-safe; no lock of this Repository is held during the call, so
    // `use` may call it). Each list is handed over as soon as it is made, so
    // that thousands of changes a branch are not all kept at once. The
    // trees are read smallest first (by the folders `options.paths` names):
    // a pack stores a folder's versions as chains of deltas, one on the next
    // in size, and libgit2 keeps the last bases it rebuilt (16 MiB of them),
    // so trees read in that order are mostly rebuilt from a base just used,
    // where in any other order each is rebuilt along its whole chain. The
    // first exception thrown, by libgit2 or by `use`, stops the others and
    // is rethrown.
    void diff_trees_each(const std::optional<ObjectId>& from, const std::vector<ObjectId>& to,
                         const DiffOptions& options, unsigned threads,
                         const std::function<void(std::size_t, std::vector<Change>)>& use) const;

    // diff_trees_each() for a caller that looks at thousands of changes a
    // commit and keeps few: each change a view, with no string of its own.
    // The views come as the comparison meets them, by folder, each folder's
    // files in git's order, not sorted; renames are not looked for
    // (options.renames is ignored), so a moved file is deleted and added.
    void diff_views_each(
        const std::optional<ObjectId>& from, const std::vector<ObjectId>& to,
        const DiffOptions& options, unsigned threads,
        const std::function<void(std::size_t, const std::vector<ChangeView>&)>& use) const;

    // What `git diff --cached` lists: HEAD's tree (empty before the first
    // commit) against the index of index_files(). Conflicted and
    // intent-to-add paths are no changes, as in git. Folders whose cache-tree
    // id (the index's TREE extension) is HEAD's are skipped unread, so a few
    // staged files cost little however large the index; the index is read
    // once for this and index_files() while its file is unchanged.
    std::vector<Change> staged_changes(const DiffOptions& options = {}) const;

  private:
    explicit Repository(std::shared_ptr<detail::Handle> h) : m_h(std::move(h)) {}
    std::shared_ptr<detail::Handle> m_h;
};

}  // namespace migcheck::git

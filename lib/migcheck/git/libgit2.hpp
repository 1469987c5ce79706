#pragma once
// Internal to lib/migcheck/git: the libgit2 handles and checks the git code
// shares. The only header that includes <git2.h>; nothing outside git/
// includes it.

#include "migcheck/git/index_file.hpp"
#include "migcheck/git/repository.hpp"

#include <git2.h>
#include <cstring>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace migcheck::git::detail {

// Initialises libgit2 once per process, before any other call.
void ensure_library();

// libgit2's message for the failure just reported on this thread; read at
// once, before any other libgit2 call replaces it.
std::string last_error();

// Throws runtime_error("<what>: <libgit2's message>") when rc is an error.
void check(int rc, const std::string& what);

template <class T, void (*Free)(T*)>
struct Deleter {
    void operator()(T* p) const { Free(p); }
};
using RepoPtr = std::unique_ptr<git_repository, Deleter<git_repository, git_repository_free>>;
using ObjectPtr = std::unique_ptr<git_object, Deleter<git_object, git_object_free>>;
using CommitPtr = std::unique_ptr<git_commit, Deleter<git_commit, git_commit_free>>;
using TreePtr = std::unique_ptr<git_tree, Deleter<git_tree, git_tree_free>>;
using EntryPtr = std::unique_ptr<git_tree_entry, Deleter<git_tree_entry, git_tree_entry_free>>;
using BlobPtr = std::unique_ptr<git_blob, Deleter<git_blob, git_blob_free>>;
using IndexPtr = std::unique_ptr<git_index, Deleter<git_index, git_index_free>>;
using RefPtr = std::unique_ptr<git_reference, Deleter<git_reference, git_reference_free>>;
using RefIterPtr =
    std::unique_ptr<git_reference_iterator,
                    Deleter<git_reference_iterator, git_reference_iterator_free>>;
using DiffPtr = std::unique_ptr<git_diff, Deleter<git_diff, git_diff_free>>;
using OdbPtr = std::unique_ptr<git_odb, Deleter<git_odb, git_odb_free>>;
using OdbObjectPtr = std::unique_ptr<git_odb_object, Deleter<git_odb_object, git_odb_object_free>>;

// A tree shared between the cache and its users.
using SharedTree = std::shared_ptr<const git_tree>;

ObjectId to_id(const git_oid& oid);
git_oid to_oid(const ObjectId& id);

// The objects used last, by id, most recent first: a few kept from one call
// to the next (the base's folders, compared with every branch's).
template <class T>
class Recent {
  public:
    // The object, kept unless `keep` is false (an object the caller will not
    // ask for again, which would push out one it will).
    template <class Load>
    std::shared_ptr<const T> get(const ObjectId& id, Load load, bool keep = true) {
        if (auto it = m_index.find(id); it != m_index.end()) {
            m_list.splice(m_list.begin(), m_list, it->second);
            return it->second->second;
        }
        std::shared_ptr<const T> value = load();
        if (!keep) {
            return value;
        }
        m_list.emplace_front(id, value);
        m_index[id] = m_list.begin();
        if (m_list.size() > 16) {
            m_index.erase(m_list.back().first);
            m_list.pop_back();
        }
        return value;
    }

  private:
    using List = std::list<std::pair<ObjectId, std::shared_ptr<const T>>>;
    List m_list;
    std::unordered_map<ObjectId, typename List::iterator, ObjectIdHash> m_index;
};

// A tree object's bytes as git stores them ("<mode> <name>\0<20-byte id>"
// an entry), read without libgit2 parsing every entry: comparing a branch's
// folder with the base's then touches only the entries between their common
// first and last bytes (tree_walk.cpp).
struct RawTree {
    OdbObjectPtr object;
    std::string_view data;
    // Where each entry starts, found once for a tree compared again and again.
    mutable std::vector<std::uint32_t> starts;
};

enum class EntryKind { tree, file, link, other };

// One entry of a RawTree, pointing into its bytes.
struct RawEntry {
    std::uint32_t mode = 0;
    std::string_view name;
    const unsigned char* id = nullptr;  // 20 bytes
    std::size_t end = 0;                // where the next entry starts

    EntryKind kind() const { return kind_of_mode(mode); }
    // What counts as a change of mode: kind, and the executable bit.
    std::uint32_t normal_mode() const { return normal_of_mode(mode); }
    git_oid oid() const {
        git_oid o{};
        std::memcpy(o.id, id, GIT_OID_RAWSZ);
        return o;
    }

    static EntryKind kind_of_mode(std::uint32_t mode) {
        switch (mode & 0170000U) {
        case 0040000U:
            return EntryKind::tree;
        case 0100000U:
            return EntryKind::file;
        case 0120000U:
            return EntryKind::link;
        default:
            return EntryKind::other;  // a submodule's commit
        }
    }
    static std::uint32_t normal_of_mode(std::uint32_t mode) {
        return kind_of_mode(mode) == EntryKind::file ? (mode & 0111U ? 0100755U : 0100644U)
                                                     : mode;
    }
};

// The entry of tree bytes `data` that starts at byte `at` (tree_walk.cpp).
// Throws runtime_error when the bytes are not a tree's.
RawEntry parse_raw_entry(std::string_view data, std::size_t at);

// `name` in folder `dir` ("" for the top): "dir/name", or "name".
std::string child_path(const std::string& dir, std::string_view name);

// One open repository. libgit2 objects are used "from a single thread at a
// time" (its docs/threading.md), and the loader reads files on several
// threads: every libgit2 call on this repository, or on an object read from
// it, holds `mutex`.
struct Handle {
    RepoPtr repo;
    std::string gitdir;  // to open one more handle per worker thread
    std::mutex mutex;

    // A version folder's tree of thousands of entries is read and parsed
    // again on every lookup otherwise: libgit2 caches no tree over 4 KiB.
    Recent<git_tree> trees;
    Recent<RawTree> raw_trees;
    OdbPtr odb;

    // The tree with this id (mutex held).
    SharedTree tree(const ObjectId& id);
    SharedTree tree(const git_oid& id) { return tree(to_id(id)); }
    // Its bytes (mutex held); not kept for later calls unless `keep`.
    std::shared_ptr<const RawTree> raw_tree(const git_oid& id, bool keep = true);

    // The index last read, and the file's identity then (index.cpp): the
    // pre-commit check lists the index and compares it with HEAD, and
    // reads it once.
    std::shared_ptr<const IndexFile> index;
    std::string index_key;
};

// Where a comparison of trees puts the files it finds to differ, as it
// meets them: by folder, each folder's files in git's order.
class ChangeSink {
  public:
    virtual ~ChangeSink() = default;
    // The file `name` in folder `dir` ("" at the top; both valid during the
    // call only) is added (old_id null), deleted (new_id null) or modified;
    // `link`: it is a symbolic link (the old one, when deleted).
    virtual void file(ChangeStatus status, const std::string& dir, std::string_view name,
                      const git_oid* old_id, const git_oid* new_id, bool link) = 0;
};

// Makes each file a Change and appends it to a list.
class ChangeList : public ChangeSink {
  public:
    explicit ChangeList(std::vector<Change>& out) : m_out(out) {}
    void file(ChangeStatus status, const std::string& dir, std::string_view name,
              const git_oid* old_id, const git_oid* new_id, bool link) override;

  private:
    std::vector<Change>& m_out;
};

// Hands the files that differ between two folders' trees (either id may be
// null: no folder), under `path`, to `sink` (tree_walk.cpp). Subfolders are
// compared when `recursive`. `keep_b`: keep b's trees in the handle, for a
// caller that will read them again.
void walk_trees(Handle& h, const std::string& path, const git_oid* a, const git_oid* b,
                bool recursive, ChangeSink& sink, bool keep_b = true);

// The same, appended to `out` as changes.
void walk_trees(Handle& h, const std::string& path, const git_oid* a, const git_oid* b,
                bool recursive, std::vector<Change>& out);

// The root tree of a commit (mutex held).
SharedTree commit_tree(Handle& h, const ObjectId& commit);

// A blob's bytes (mutex held); `what` names it in errors.
std::string blob_text(git_repository* repo, const git_oid& id, const std::string& what);

// The index a command reads: $GIT_INDEX_FILE when set, else the repository's
// (mutex held). Throws usage_error for a bare repository. Through libgit2:
// for the indexes IndexFile does not read (a split or sparse index).
IndexPtr open_index(Handle& h);

// The same index parsed by IndexFile, kept in the handle while the file is
// unchanged (mutex held). Its unsupported() says when open_index() must read
// it instead.
std::shared_ptr<const IndexFile> read_index(Handle& h);

// What `git diff --cached` lists (index_diff.cpp): HEAD's tree (`head`, or
// null before the first commit) against `index`, skipping the folders whose
// cache-tree id is HEAD's (mutex held). Sorted by path.
std::vector<Change> index_changes(Handle& h, const git_oid* head, const IndexFile& index,
                                  const DiffOptions& options);

// Pairs the added and deleted files of `changes` that libgit2 finds in
// `diff` to be renames (diff.cpp): each pair becomes one renamed change.
void apply_renames(git_diff* diff, std::vector<Change>& changes);

// Whether `path` lies directly in one of `folders`, or is one of them.
bool directly_in(const std::string& path, const std::vector<std::string>& folders);

// A libgit2 diff's deltas as changes (renames as found by the caller's
// git_diff_find_similar), limited to files directly in `options.paths` when
// not recursive; submodules are left out. Sorted by path.
std::vector<Change> changes_of(git_diff* diff, const DiffOptions& options);

// Sorts changes by path, then old path.
void sort_changes(std::vector<Change>& changes);

// The FileSources over a tree and over an index (files.cpp).
std::unique_ptr<GitFiles> make_tree_files(std::shared_ptr<Handle> h, SharedTree root,
                                          std::string prefix, std::string description);
std::unique_ptr<GitFiles> make_index_files(std::shared_ptr<Handle> h,
                                           std::shared_ptr<const IndexFile> index,
                                           std::string prefix, std::string description);

}  // namespace migcheck::git::detail

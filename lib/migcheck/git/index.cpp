// The index: what is staged, and how it differs from HEAD. Read by IndexFile
// (index_file.cpp), once per change of the file; libgit2 reads the indexes
// IndexFile does not (a split or sparse index), as it did everything before.
#include "migcheck/git/libgit2.hpp"

#include "migcheck/util/error.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <sys/stat.h>

namespace migcheck::git::detail {
namespace {

// `git commit -a` and `git commit PATHS` run the pre-commit hook with
// GIT_INDEX_FILE naming a temporary index: that one is what will be
// committed. libgit2 1.5 reads the variable only when the repository is
// opened with GIT_REPOSITORY_OPEN_FROM_ENV, which also ignores the path given
// (-C); so it is read here. A relative path is relative to the current
// directory, as git takes it (a hook runs at the top of the working tree).
const char* index_from_env() {
    const char* env = std::getenv("GIT_INDEX_FILE");
    return env != nullptr && *env != '\0' ? env : nullptr;
}

[[noreturn]] void bare() {
    throw usage_error("the repository is bare: it has no index; run in a working tree");
}

// The file of the index a command reads.
std::string index_path(Handle& h) {
    if (const char* env = index_from_env()) {
        return env;
    }
    if (git_repository_is_bare(h.repo.get()) != 0) {
        bare();
    }
    git_buf buf = GIT_BUF_INIT;
    check(git_repository_item_path(&buf, h.repo.get(), GIT_REPOSITORY_ITEM_INDEX),
          "cannot find the index");
    std::string path(buf.ptr, buf.size);
    git_buf_dispose(&buf);
    return path;
}

// What tells one version of the file from another. git replaces the index
// by renaming a new file over it, so the inode changes with every write;
// the kept IndexFile maps the old file, whose inode is then not reused.
// Size and times catch a writer that rewrites in place.
// The file, as the system knows it: equal for two names of one file, and
// different once it is written again.
std::string file_identity(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        return "(none)";
    }
    return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino) + ":" +
           std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
           std::to_string(st.st_mtim.tv_nsec) + ":" + std::to_string(st.st_ctim.tv_sec) + "." +
           std::to_string(st.st_ctim.tv_nsec);
}

std::string identity(const std::string& path) { return path + "\n" + file_identity(path); }

// The index read_index_ahead() is reading, and the file it is.
struct AheadIndex {
    std::string identity;  // file_identity(), "" when not read
    std::shared_ptr<const IndexFile> index;
};
std::mutex ahead_mutex;
std::future<AheadIndex> ahead;

// The index git would read for the repository containing `start`, in the
// usual cases; "" when unsure.
std::string guess_index_path(const std::string& start) {
    if (const char* env = index_from_env()) {
        return env;
    }
    if (const char* dir = std::getenv("GIT_DIR"); dir != nullptr && *dir != '\0') {
        return std::string(dir) + "/index";
    }
    std::error_code ec;
    std::filesystem::path at = std::filesystem::absolute(start, ec);
    for (; !ec && !at.empty(); at = at.parent_path()) {
        std::filesystem::path dot = at / ".git";
        std::filesystem::file_status st = std::filesystem::status(dot, ec);
        if (std::filesystem::is_directory(st)) {
            return (dot / "index").string();
        }
        if (std::filesystem::is_regular_file(st)) {
            // A linked worktree or a submodule: "gitdir: PATH".
            std::ifstream in(dot);
            std::string line;
            if (!std::getline(in, line) || line.rfind("gitdir: ", 0) != 0) {
                return "";
            }
            std::filesystem::path gitdir = line.substr(8);
            return ((gitdir.is_absolute() ? gitdir : at / gitdir) / "index").string();
        }
        if (at == at.root_path()) {
            break;
        }
    }
    return "";
}

// What read_index_ahead() read, when it is the file at `path` as it is now.
std::shared_ptr<const IndexFile> take_ahead(const std::string& path) {
    std::future<AheadIndex> pending;
    {
        std::lock_guard<std::mutex> lock(ahead_mutex);
        pending = std::move(ahead);
    }
    if (!pending.valid()) {
        return nullptr;
    }
    AheadIndex got = pending.get();
    return !got.identity.empty() && got.identity == file_identity(path) ? got.index : nullptr;
}

// The libgit2 index's entries as an IndexFile, for IndexFiles.
std::shared_ptr<const IndexFile> convert(git_index* index) {
    std::vector<IndexEntry> entries;
    std::size_t n = git_index_entrycount(index);
    entries.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const git_index_entry* e = git_index_get_byindex(index, i);
        IndexEntry x;
        x.path = e->path;
        x.id = to_id(e->id);
        x.mode = e->mode;
        x.stage = static_cast<std::uint8_t>(GIT_INDEX_ENTRY_STAGE(e));
        x.intent_to_add = (e->flags_extended & GIT_INDEX_ENTRY_INTENT_TO_ADD) != 0;
        x.skip_worktree = (e->flags_extended & GIT_INDEX_ENTRY_SKIP_WORKTREE) != 0;
        entries.push_back(x);
    }
    return std::make_shared<const IndexFile>(IndexFile::from_entries(std::move(entries)));
}

// HEAD's tree, or nullopt before the first commit (an unborn branch).
std::optional<git_oid> head_tree(Handle& h) {
    git_object* raw = nullptr;
    int rc = git_revparse_single(&raw, h.repo.get(), "HEAD^{tree}");
    if (rc == GIT_ENOTFOUND || rc == GIT_EUNBORNBRANCH) {
        return std::nullopt;
    }
    check(rc, "HEAD");
    ObjectPtr tree(raw);
    return *git_object_id(tree.get());
}

// staged_changes() through libgit2, for an index IndexFile does not read.
std::vector<Change> libgit2_changes(Handle& h, const DiffOptions& options) {
    IndexPtr index = open_index(h);
    std::optional<git_oid> head = head_tree(h);
    SharedTree tree = head ? h.tree(*head) : nullptr;
    std::vector<const char*> paths;
    for (const auto& p : options.paths) {
        paths.push_back(p.c_str());
    }
    git_diff_options o = GIT_DIFF_OPTIONS_INIT;
    o.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH;
    o.pathspec.strings = const_cast<char**>(paths.data());
    o.pathspec.count = paths.size();
    git_diff* d = nullptr;
    check(git_diff_tree_to_index(&d, h.repo.get(), const_cast<git_tree*>(tree.get()),
                                 index.get(), &o),
          "cannot compare HEAD with the index");
    DiffPtr diff(d);
    if (options.renames) {
        git_diff_find_options f = GIT_DIFF_FIND_OPTIONS_INIT;
        f.flags = GIT_DIFF_FIND_RENAMES;
        check(git_diff_find_similar(diff.get(), &f), "cannot find renames");
    }
    return changes_of(diff.get(), options);
}

}  // namespace

IndexPtr open_index(Handle& h) {
    git_index* raw = nullptr;
    if (const char* env = index_from_env()) {
        check(git_index_open(&raw, env),
              std::string("GIT_INDEX_FILE=") + env + ": cannot read the index");
        return IndexPtr(raw);
    }
    int rc = git_repository_index(&raw, h.repo.get());
    if (rc == GIT_EBAREREPO) {
        bare();
    }
    check(rc, "cannot read the index");
    IndexPtr index(raw);
    // The repository keeps the index it read first; git may have written
    // another since.
    check(git_index_read(index.get(), 0), "cannot read the index");
    return index;
}

std::shared_ptr<const IndexFile> read_index(Handle& h) {
    std::string path = index_path(h);
    std::string key = identity(path);
    if (!h.index || h.index_key != key) {
        // Dropped first: the old mapping is not needed while the new one is read.
        h.index.reset();
        h.index = take_ahead(path);
        if (!h.index) {
            h.index = std::make_shared<const IndexFile>(IndexFile::read(path));
        }
        h.index_key = std::move(key);
    }
    return h.index;
}

}  // namespace migcheck::git::detail

namespace migcheck::git {

using namespace detail;

void Repository::read_index_ahead(const std::string& path) {
    std::lock_guard<std::mutex> lock(ahead_mutex);
    ahead = std::async(std::launch::async, [path] {
        AheadIndex out;
        try {
            std::string file = guess_index_path(path);
            if (!file.empty()) {
                // The identity first: a file written while it is read is
                // then taken for another.
                std::string id = file_identity(file);
                out.index = std::make_shared<const IndexFile>(IndexFile::read(file));
                out.identity = id;
            }
        } catch (...) {  // NOLINT(bugprone-empty-catch): read again, and reported, when used
            out = AheadIndex{};
        }
        return out;
    });
}

std::unique_ptr<GitFiles> Repository::index_files(const std::string& prefix) const {
    std::lock_guard<std::mutex> lock(m_h->mutex);
    std::shared_ptr<const IndexFile> index = read_index(*m_h);
    if (!index->unsupported().empty()) {
        index = convert(open_index(*m_h).get());
    }
    return make_index_files(m_h, std::move(index), prefix, "the index");
}

std::vector<Change> Repository::staged_changes(const DiffOptions& options) const {
    std::lock_guard<std::mutex> lock(m_h->mutex);
    std::shared_ptr<const IndexFile> index = read_index(*m_h);
    if (!index->unsupported().empty()) {
        return libgit2_changes(*m_h, options);
    }
    std::optional<git_oid> head = head_tree(*m_h);
    return index_changes(*m_h, head ? &*head : nullptr, *index, options);
}

}  // namespace migcheck::git

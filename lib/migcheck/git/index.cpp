// The index: what is staged, and how it differs from HEAD.
#include "migcheck/git/libgit2.hpp"

#include "migcheck/util/error.hpp"

#include <cstdlib>

namespace migcheck::git::detail {

IndexPtr open_index(Handle& h) {
    git_index* raw = nullptr;
    // `git commit -a` and `git commit PATHS` run the pre-commit hook with
    // GIT_INDEX_FILE naming a temporary index: that one is what will be
    // committed. libgit2 1.5 reads the variable only when the repository is
    // opened with GIT_REPOSITORY_OPEN_FROM_ENV, which also ignores the path
    // given (-C); so it is read here. A relative path is relative to the
    // current directory, as git takes it (a hook runs at the top of the
    // working tree).
    const char* env = std::getenv("GIT_INDEX_FILE");
    if (env != nullptr && *env != '\0') {
        check(git_index_open(&raw, env),
              std::string("GIT_INDEX_FILE=") + env + ": cannot read the index");
        return IndexPtr(raw);
    }
    int rc = git_repository_index(&raw, h.repo.get());
    if (rc == GIT_EBAREREPO) {
        throw usage_error("the repository is bare: it has no index; run in a working tree");
    }
    check(rc, "cannot read the index");
    IndexPtr index(raw);
    // The repository keeps the index it read first; git may have written
    // another since.
    check(git_index_read(index.get(), 0), "cannot read the index");
    return index;
}

}  // namespace migcheck::git::detail

namespace migcheck::git {

using namespace detail;

std::unique_ptr<GitFiles> Repository::index_files(const std::string& prefix) const {
    std::lock_guard<std::mutex> lock(m_h->mutex);
    return make_index_files(m_h, open_index(*m_h), prefix, "the index");
}

std::vector<Change> Repository::staged_changes(const DiffOptions& options) const {
    std::lock_guard<std::mutex> lock(m_h->mutex);
    IndexPtr index = open_index(*m_h);
    // Before the first commit HEAD names an unborn branch: everything staged
    // is added.
    git_object* raw = nullptr;
    int rc = git_revparse_single(&raw, m_h->repo.get(), "HEAD^{tree}");
    ObjectPtr head;
    if (rc == 0) {
        head.reset(raw);
    } else if (rc != GIT_ENOTFOUND && rc != GIT_EUNBORNBRANCH) {
        check(rc, "HEAD");
    }
    std::vector<const char*> paths;
    for (const auto& p : options.paths) {
        paths.push_back(p.c_str());
    }
    git_diff_options o = GIT_DIFF_OPTIONS_INIT;
    o.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH;
    o.pathspec.strings = const_cast<char**>(paths.data());
    o.pathspec.count = paths.size();
    git_diff* d = nullptr;
    check(git_diff_tree_to_index(&d, m_h->repo.get(), reinterpret_cast<git_tree*>(head.get()),
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

}  // namespace migcheck::git

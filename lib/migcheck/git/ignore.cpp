#include "migcheck/git/ignore.hpp"

#include "migcheck/util/error.hpp"

#include <climits>
#include <cstdlib>
#include <git2.h>
#include <memory>

namespace migcheck::git {
namespace {

std::string error_text() {
    const git_error* e = git_error_last();
    return e != nullptr && e->message != nullptr ? e->message : "unknown libgit2 error";
}

std::string resolved(const std::string& path) {
    char buf[PATH_MAX];
    return ::realpath(path.c_str(), buf) != nullptr ? std::string(buf) : path;
}

}  // namespace

std::function<bool(const std::string&)> ignored_paths(const std::string& root) {
    // libgit2 counts init and shutdown calls, so this pair nests safely with
    // the one in repository.cpp.
    struct Library {
        Library() { git_libgit2_init(); }
        ~Library() { git_libgit2_shutdown(); }
        Library(const Library&) = delete;
        Library& operator=(const Library&) = delete;
    };
    auto library = std::make_shared<Library>();
    git_repository* raw = nullptr;
    int rc = git_repository_open_ext(&raw, root.c_str(), 0, nullptr);
    if (rc == GIT_ENOTFOUND || rc == GIT_EOWNER) {
        return {};
    }
    if (rc != 0) {
        throw runtime_error(root + ": cannot open the git repository: " + error_text());
    }
    // The deleter holds the library, so it is shut down only after the free.
    std::shared_ptr<git_repository> repo(raw, [library](git_repository* r) {
        git_repository_free(r);
    });
    const char* workdir_raw = git_repository_workdir(repo.get());
    if (workdir_raw == nullptr) {
        return {};
    }
    std::string workdir = resolved(workdir_raw);
    std::string prefix;
    if (root.size() > workdir.size() && root.compare(0, workdir.size(), workdir) == 0 &&
        root[workdir.size()] == '/') {
        prefix = root.substr(workdir.size() + 1) + "/";
    }
    // A project inside a folder its enclosing repository ignores (a scratch
    // copy under build/) is not that repository's: its rules would skip every
    // file.
    if (!prefix.empty()) {
        int root_ignored = 0;
        if (git_ignore_path_is_ignored(&root_ignored, repo.get(), prefix.c_str()) != 0) {
            throw runtime_error(root + ": cannot tell whether git ignores it: " + error_text());
        }
        if (root_ignored != 0) {
            return {};
        }
    }
    return [repo, prefix](const std::string& path) {
        int ignored = 0;
        std::string full = prefix + path;
        if (git_ignore_path_is_ignored(&ignored, repo.get(), full.c_str()) != 0) {
            throw runtime_error(full + ": cannot tell whether git ignores it: " + error_text());
        }
        return ignored != 0;
    };
}

}  // namespace migcheck::git

#include "migcheck/git/ignore.hpp"

#include "migcheck/util/error.hpp"

#include <climits>
#include <dlfcn.h>
#include <cstdlib>
#include <git2.h>
#include <memory>

namespace migcheck::git {
namespace {

// libgit2 and the dozen libraries it needs take longer to load than a whole
// `manage_migrations heads` run, and manage_migrations needs git only here.
// So this file loads it on first use, by the soname CMake read from the
// library, instead of linking it; the other git code links it as usual.
struct Api {
    decltype(&::git_libgit2_init) init = nullptr;
    decltype(&::git_libgit2_shutdown) shutdown = nullptr;
    decltype(&::git_repository_open_ext) open_ext = nullptr;
    decltype(&::git_repository_free) free_repo = nullptr;
    decltype(&::git_repository_workdir) workdir = nullptr;
    decltype(&::git_ignore_path_is_ignored) is_ignored = nullptr;
    decltype(&::git_error_last) error_last = nullptr;
};

template <class F>
void bind(void* handle, const char* name, F& f) {
    void* sym = ::dlsym(handle, name);
    if (sym == nullptr) {
        throw runtime_error(std::string(MIGCHECK_LIBGIT2_SONAME) + ": has no " + name);
    }
    f = reinterpret_cast<F>(sym);
}

const Api& api() {
    static const Api loaded = [] {
        void* handle = ::dlopen(MIGCHECK_LIBGIT2_SONAME, RTLD_NOW | RTLD_LOCAL);
        if (handle == nullptr) {
            const char* why = ::dlerror();
            throw runtime_error(std::string("cannot load ") + MIGCHECK_LIBGIT2_SONAME + ": " +
                                (why != nullptr ? why : "unknown error") +
                                "; install libgit2 (apt-get install libgit2-1.5)");
        }
        Api a;
        bind(handle, "git_libgit2_init", a.init);
        bind(handle, "git_libgit2_shutdown", a.shutdown);
        bind(handle, "git_repository_open_ext", a.open_ext);
        bind(handle, "git_repository_free", a.free_repo);
        bind(handle, "git_repository_workdir", a.workdir);
        bind(handle, "git_ignore_path_is_ignored", a.is_ignored);
        bind(handle, "git_error_last", a.error_last);
        return a;
    }();
    return loaded;
}

std::string error_text() {
    const git_error* e = api().error_last();
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
        Library() { api().init(); }
        ~Library() { api().shutdown(); }
        Library(const Library&) = delete;
        Library& operator=(const Library&) = delete;
    };
    auto library = std::make_shared<Library>();
    git_repository* raw = nullptr;
    int rc = api().open_ext(&raw, root.c_str(), 0, nullptr);
    if (rc == GIT_ENOTFOUND || rc == GIT_EOWNER) {
        return {};
    }
    if (rc != 0) {
        throw runtime_error(root + ": cannot open the git repository: " + error_text());
    }
    // The deleter holds the library, so it is shut down only after the free.
    std::shared_ptr<git_repository> repo(raw, [library](git_repository* r) {
        api().free_repo(r);
    });
    const char* workdir_raw = api().workdir(repo.get());
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
        if (api().is_ignored(&root_ignored, repo.get(), prefix.c_str()) != 0) {
            throw runtime_error(root + ": cannot tell whether git ignores it: " + error_text());
        }
        if (root_ignored != 0) {
            return {};
        }
    }
    return [repo, prefix](const std::string& path) {
        int ignored = 0;
        std::string full = prefix + path;
        if (api().is_ignored(&ignored, repo.get(), full.c_str()) != 0) {
            throw runtime_error(full + ": cannot tell whether git ignores it: " + error_text());
        }
        return ignored != 0;
    };
}

}  // namespace migcheck::git

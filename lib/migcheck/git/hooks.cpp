#include "migcheck/git/libgit2.hpp"

#include <filesystem>

namespace migcheck::git {

using namespace detail;

namespace {

using ConfigPtr = std::unique_ptr<git_config, Deleter<git_config, git_config_free>>;

std::string without_trailing_slash(std::string s) {
    while (s.size() > 1 && s.back() == '/') {
        s.pop_back();
    }
    return s;
}

// The buffer's text, disposed of on every path.
struct Buf {
    git_buf buf = GIT_BUF_INIT;
    ~Buf() { git_buf_dispose(&buf); }
    std::string str() const { return buf.ptr != nullptr ? std::string(buf.ptr, buf.size) : ""; }
};

}  // namespace

std::string Repository::hooks_dir() const {
    std::lock_guard<std::mutex> lock(m_h->mutex);
    git_repository* repo = m_h->repo.get();
    git_config* raw = nullptr;
    check(git_repository_config_snapshot(&raw, repo), "cannot read the git configuration");
    ConfigPtr config(raw);
    Buf configured;
    int rc = git_config_get_path(&configured.buf, config.get(), "core.hooksPath");
    if (rc == 0) {
        std::filesystem::path path = configured.str();
        if (path.is_relative()) {
            // git runs hooks from the top of the working tree (the git
            // directory when bare), and so reads a relative path from there.
            const char* workdir = git_repository_workdir(repo);
            std::filesystem::path base = workdir != nullptr ? workdir : git_repository_path(repo);
            path = base / path;
        }
        return without_trailing_slash(path.lexically_normal().string());
    }
    if (rc != GIT_ENOTFOUND) {
        check(rc, "core.hooksPath");
    }
    Buf item;
    check(git_repository_item_path(&item.buf, repo, GIT_REPOSITORY_ITEM_HOOKS),
          "cannot find the hooks folder");
    return without_trailing_slash(item.str());
}

}  // namespace migcheck::git

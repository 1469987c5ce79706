// Kept apart from tool.cpp so that a tool which never reads commits does not
// link libgit2 and its dozen shared libraries, which cost start-up time.
#include "migcheck/cli/git_place.hpp"
#include "migcheck/cli/tool.hpp"

namespace migcheck::cli {

GitPlace open_git_place(const std::string& dir) {
    std::string start = absolute_dir(dir);
    git::Repository repo = git::Repository::open(start);
    std::string workdir = repo.workdir();
    std::string root = config::find_root(start);
    if (root.size() < workdir.size() || root.compare(0, workdir.size(), workdir) != 0) {
        root = workdir;
    }
    std::string prefix = root.size() > workdir.size() ? root.substr(workdir.size() + 1) : "";
    return GitPlace{std::move(repo), std::move(root), std::move(prefix)};
}

Context open_project_at(const std::string& dir, const std::string& rev) {
    GitPlace place = open_git_place(dir);
    Context c;
    c.root = place.root;
    c.files = place.repo.tree(rev, place.prefix);
    c.project = config::load_project(*c.files, c.root);
    return c;
}

}  // namespace migcheck::cli

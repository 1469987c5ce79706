// Kept apart from tool.cpp so that a tool which never reads commits does not
// link libgit2 and its dozen shared libraries, which cost start-up time.
#include "migcheck/cli/tool.hpp"

#include "migcheck/git/repository.hpp"

namespace migcheck::cli {

Context open_project_at(const std::string& dir, const std::string& rev) {
    Context c;
    std::string start = absolute_dir(dir);
    git::Repository repo = git::Repository::open(start);
    std::string workdir = repo.workdir();
    c.root = config::find_root(start);
    if (c.root.size() < workdir.size() || c.root.compare(0, workdir.size(), workdir) != 0) {
        c.root = workdir;
    }
    std::string prefix = c.root.size() > workdir.size() ? c.root.substr(workdir.size() + 1) : "";
    c.files = repo.tree(rev, prefix);
    c.project = config::load_project(*c.files, c.root);
    return c;
}

}  // namespace migcheck::cli

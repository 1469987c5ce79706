#include "migcheck/git/repository.hpp"
#include "test_git_support.hpp"

#include <doctest/doctest.h>
#include <filesystem>

using namespace migcheck;
using migcheck::test::TempRepo;

namespace {

std::string canonical(const std::string& path) {
    return std::filesystem::weakly_canonical(path).string();
}

}  // namespace

TEST_CASE("hooks_dir: .git/hooks, and core.hooksPath relative or absolute") {
    TempRepo repo;
    std::string top = canonical(repo.root());
    repo.write("sub/file.txt", "x\n");

    CHECK(git::Repository::open(repo.path("sub")).hooks_dir() == top + "/.git/hooks");

    // Relative to the top of the working tree, from wherever it is opened.
    repo.git("config core.hooksPath .githooks/");
    CHECK(git::Repository::open(repo.path("sub")).hooks_dir() == top + "/.githooks");
    repo.git("config core.hooksPath ../outside/hooks");
    CHECK(git::Repository::open(repo.root()).hooks_dir() ==
          std::filesystem::path(top).parent_path().string() + "/outside/hooks");

    repo.git("config core.hooksPath /srv/hooks");
    CHECK(git::Repository::open(repo.root()).hooks_dir() == "/srv/hooks");

    // `~` and the user's configuration: libgit2 reads HOME once per process,
    // so tests/cli/test_hooks_cli.py covers them.
}

TEST_CASE("hooks_dir: a linked worktree shares the main repository's hooks") {
    TempRepo repo;
    repo.write("f.txt", "1\n");
    repo.commit("one");
    repo.git("worktree add -q -b other wt");
    std::string top = canonical(repo.root());
    CHECK(git::Repository::open(repo.path("wt")).hooks_dir() == top + "/.git/hooks");
}

#include "migcheck/git/repository.hpp"
#include "migcheck/util/error.hpp"
#include "test_git_support.hpp"

#include <doctest/doctest.h>

using namespace migcheck;
using migcheck::test::ScopedEnv;
using migcheck::test::TempRepo;
using migcheck::git::BlobEntry;

namespace {

std::string listing(const std::optional<std::vector<BlobEntry>>& entries) {
    if (!entries) {
        return "(none)";
    }
    static const char* kinds[] = {"file", "dir", "dirlink", "broken", "other"};
    std::string out;
    for (const auto& e : *entries) {
        out += e.entry.name + ":" + kinds[static_cast<int>(e.entry.type)];
        if (!e.entry.target.empty()) {
            out += "->" + e.entry.target;
        }
        if (e.blob) {
            out += "@" + e.blob->hex().substr(0, 7);
        }
        out += " ";
    }
    return out;
}

std::string short_id(const TempRepo& repo, const std::string& spec) {
    return repo.git("rev-parse --short=7 " + spec);
}

}  // namespace

TEST_CASE("commit files: read, list, blob ids, links, and a project prefix") {
    TempRepo repo;
    repo.write("proj/alembic/versions/a_rev.py", "revision = 'a'\n");
    repo.write("proj/alembic/versions/b_rev.py", "revision = 'b'\n");
    repo.write("proj/alembic/versions/sub/c_rev.py", "revision = 'c'\n");
    repo.write("proj/other.txt", "other\n");
    std::filesystem::create_symlink("a_rev.py", repo.path("proj/alembic/versions/l_link.py"));
    std::filesystem::create_symlink("sub", repo.path("proj/alembic/versions/m_dirlink"));
    std::filesystem::create_symlink("nowhere.py", repo.path("proj/alembic/versions/n_broken.py"));
    std::filesystem::create_symlink("o_loop.py", repo.path("proj/alembic/versions/o_loop.py"));
    repo.commit("tree");
    // The working tree moves on; the commit's files do not.
    repo.write("proj/alembic/versions/a_rev.py", "revision = 'changed'\n");
    repo.write("proj/alembic/versions/z_new.py", "revision = 'z'\n");

    auto r = git::Repository::open(repo.root());
    auto files = r.commit_files(r.resolve("main")->commit, "proj", "commit main");
    CHECK(files->description() == "commit main");
    CHECK(files->read("alembic/versions/a_rev.py") == "revision = 'a'\n");
    CHECK(files->read("alembic/versions/l_link.py") == "revision = 'a'\n");
    CHECK(files->read("alembic/./versions/../versions/sub/c_rev.py") == "revision = 'c'\n");
    CHECK(files->read("alembic/versions/m_dirlink/c_rev.py") == std::nullopt);  // as before
    CHECK(files->read("alembic/versions/z_new.py") == std::nullopt);
    CHECK(files->read("alembic/versions/n_broken.py") == std::nullopt);
    CHECK(files->read("alembic/versions") == std::nullopt);  // a folder is no file
    CHECK_THROWS_WITH(files->read("alembic/versions/o_loop.py"),
                      "commit main:proj/alembic/versions/o_loop.py: too many levels of "
                      "symbolic links");

    std::string a = short_id(repo, "main:proj/alembic/versions/a_rev.py");
    std::string b = short_id(repo, "main:proj/alembic/versions/b_rev.py");
    CHECK(files->blob_id("alembic/versions/a_rev.py")->hex().substr(0, 7) == a);
    CHECK(files->blob_id("alembic/versions/l_link.py")->hex().substr(0, 7) == a);
    CHECK_FALSE(files->blob_id("alembic/versions/sub").has_value());
    CHECK_FALSE(files->blob_id("alembic/versions/nothing.py").has_value());

    CHECK(listing(files->list_blobs("alembic/versions")) ==
          "a_rev.py:file@" + a + " b_rev.py:file@" + b + " l_link.py:file->a_rev.py@" + a +
              " m_dirlink:dirlink->sub n_broken.py:broken->nowhere.py o_loop.py:file->o_loop.py "
              "sub:dir ");
    CHECK(listing(files->list_blobs("nothing")) == "(none)");
    CHECK(listing(files->list_blobs("other.txt")) == "(none)");
    auto plain = files->list("alembic");
    REQUIRE(plain.has_value());
    REQUIRE(plain->size() == 1);
    CHECK(plain->front().name == "versions");
    CHECK(plain->front().type == EntryType::directory);

    // The first form of migcheck-heads reads through tree(): a commit or a tree.
    auto by_rev = r.tree("HEAD^{tree}", "proj");
    CHECK(by_rev->description() == "commit HEAD^{tree}");
    CHECK(by_rev->read("other.txt") == "other\n");
}

TEST_CASE("tree: a revision that names nothing is a usage error") {
    TempRepo repo;
    repo.write("f.txt", "x\n");
    repo.commit("one");
    auto r = git::Repository::open(repo.root());
    for (auto [rev, message] : std::vector<std::pair<std::string, std::string>>{
             {"nosuch", "--rev nosuch: no such commit in this repository"},
             {"HEAD:f.txt", "--rev HEAD:f.txt: does not name a commit or tree"},
         }) {
        try {
            r.tree(rev, "");
            FAIL("no error");
        } catch (const Error& e) {
            CHECK(e.code() == ExitCode::usage);
            CHECK(std::string(e.what()) == message);
        }
    }
}

TEST_CASE("index files: the staged content, not the working tree's or HEAD's") {
    TempRepo repo;
    repo.write("alembic/versions/a_rev.py", "head\n");
    repo.write("alembic/versions/b_rev.py", "b\n");
    repo.commit("one");
    repo.write("alembic/versions/a_rev.py", "staged\n");
    repo.write("alembic/versions/sub/c_rev.py", "c\n");
    repo.git("add -A");
    repo.write("alembic/versions/a_rev.py", "working tree\n");
    repo.write("alembic/versions/d_rev.py", "untracked\n");
    repo.write("alembic/versions/e_rev.py", "intent to add\n");
    repo.git("add -N alembic/versions/e_rev.py");
    std::filesystem::create_symlink("b_rev.py", repo.path("alembic/versions/l_link.py"));
    repo.git("add alembic/versions/l_link.py");
    repo.git("rm -q --cached alembic/versions/b_rev.py");

    auto r = git::Repository::open(repo.root());
    auto files = r.index_files("");
    CHECK(files->description() == "the index");
    CHECK(files->read("alembic/versions/a_rev.py") == "staged\n");
    CHECK(files->read("alembic/versions/sub/c_rev.py") == "c\n");
    CHECK(files->read("alembic/versions/b_rev.py") == std::nullopt);
    CHECK(files->read("alembic/versions/d_rev.py") == std::nullopt);
    CHECK(files->read("alembic/versions/e_rev.py") == std::nullopt);
    CHECK(files->read("alembic/versions/l_link.py") == std::nullopt);  // b is not staged
    std::string a = short_id(repo, ":alembic/versions/a_rev.py");
    CHECK(files->blob_id("alembic/versions/a_rev.py")->hex().substr(0, 7) == a);
    CHECK(listing(files->list_blobs("alembic/versions")) ==
          "a_rev.py:file@" + a + " l_link.py:broken->b_rev.py sub:dir ");
    CHECK(listing(files->list_blobs("alembic")) == "versions:dir ");
    CHECK(listing(files->list_blobs("alembic/versions/a_rev.py")) == "(none)");
    CHECK(listing(files->list_blobs("nothing")) == "(none)");
    auto top = files->list("");
    REQUIRE(top.has_value());
    REQUIRE(top->size() == 1);
    CHECK(top->front().name == "alembic");

    auto prefixed = r.index_files("alembic");
    CHECK(prefixed->read("versions/a_rev.py") == "staged\n");
}

TEST_CASE("index files: $GIT_INDEX_FILE is the index a hook must read") {
    TempRepo repo;
    repo.write("a.py", "committed\n");
    repo.commit("one");
    repo.write("a.py", "in the temporary index\n");
    std::string temp_index = repo.path(".git/next-index.lock");
    repo.git("read-tree HEAD", "GIT_INDEX_FILE='" + temp_index + "'");
    repo.git("add a.py", "GIT_INDEX_FILE='" + temp_index + "'");

    auto r = git::Repository::open(repo.root());
    CHECK(r.index_files("")->read("a.py") == "committed\n");
    {
        ScopedEnv env("GIT_INDEX_FILE", temp_index);
        CHECK(r.index_files("")->read("a.py") == "in the temporary index\n");
        CHECK(r.staged_changes().size() == 1);
    }
    CHECK(r.staged_changes().empty());
    {
        ScopedEnv env("GIT_INDEX_FILE", repo.path(".git/no-such-index"));
        // git reads a missing index as an empty one, and so does libgit2.
        CHECK(r.index_files("")->read("a.py") == std::nullopt);
    }
}

TEST_CASE("index files: conflicted paths are left out") {
    TempRepo repo;
    repo.write("a.py", "base\n");
    repo.write("b.py", "b\n");
    repo.commit("base");
    repo.git("checkout -q -b other");
    repo.write("a.py", "other\n");
    repo.commit("other");
    repo.git("checkout -q main");
    repo.write("a.py", "main\n");
    repo.commit("main");
    CHECK_THROWS(repo.git("merge -q other"));
    auto r = git::Repository::open(repo.root());
    auto files = r.index_files("");
    CHECK(files->read("a.py") == std::nullopt);
    CHECK(files->read("b.py") == "b\n");
    CHECK(listing(files->list_blobs("")).find("a.py") == std::string::npos);
}

TEST_CASE("tree ids: a commit's folders, and the index's as git write-tree writes them") {
    TempRepo repo;
    repo.write("alembic/versions/a_rev.py", "a\n");
    repo.write("alembic/versions/a-b_rev.py", "ab\n");
    repo.write("alembic/versions/a/nested_rev.py", "nested\n");
    repo.write("alembic/versions/a.py", "a file beside folder a\n");
    repo.write("alembic/versions/a0.py", "after folder a\n");
    repo.write("alembic/env.py", "env\n");
    repo.write("tool.sh", "#!/bin/sh\n");
    repo.git("update-index --add --chmod=+x tool.sh");
    std::filesystem::create_symlink("a_rev.py", repo.path("alembic/versions/l_link.py"));
    repo.commit("one");

    auto r = git::Repository::open(repo.root());
    auto commit = r.commit_files(r.resolve("HEAD")->commit, "", "HEAD");
    auto index = r.index_files("");
    for (const std::string dir : {"", "alembic", "alembic/versions", "alembic/versions/a"}) {
        CAPTURE(dir);
        std::string expected = repo.git("rev-parse HEAD:" + dir);
        CHECK(commit->tree_id(dir)->hex() == expected);
        CHECK(index->tree_id(dir)->hex() == expected);
    }
    CHECK(commit->tree_id("tool.sh") == std::nullopt);
    CHECK(index->tree_id("alembic/versions/a_rev.py") == std::nullopt);
    CHECK(index->tree_id("nothing") == std::nullopt);

    // Staging invalidates the cache tree above the change: the ids are
    // hashed from the entries then, and agree with git's.
    repo.write("alembic/versions/b_rev.py", "b\n");
    repo.write("alembic/versions/a/nested_rev.py", "changed\n");
    repo.git("add -A");
    auto staged = r.index_files("");
    for (const std::string dir : {"", "alembic", "alembic/versions", "alembic/versions/a"}) {
        CAPTURE(dir);
        std::string expected = repo.git("write-tree --prefix=" + (dir.empty() ? "" : dir + "/"));
        CHECK(staged->tree_id(dir)->hex() == expected);
    }
    CHECK(r.index_files("alembic")->tree_id("versions")->hex() ==
          repo.git("write-tree --prefix=alembic/versions/"));

    // An intent-to-add entry would not be written: no id.
    repo.write("alembic/versions/c_rev.py", "c\n");
    repo.git("add -N alembic/versions/c_rev.py");
    CHECK(r.index_files("")->tree_id("alembic/versions") == std::nullopt);
    CHECK(r.index_files("")->tree_id("alembic/versions/a").has_value());
}

TEST_CASE("index read ahead: taken when it is the index libgit2 names, unchanged") {
    TempRepo repo;
    repo.write("a.py", "one\n");
    repo.commit("one");
    repo.write("a.py", "staged\n");
    repo.git("add a.py");

    git::Repository::read_index_ahead(repo.path("sub/folder"));
    auto r = git::Repository::open(repo.root());
    CHECK(r.index_files("")->read("a.py") == "staged\n");

    // Staged again after the read began: the index is another file now.
    git::Repository::read_index_ahead(repo.root());
    repo.write("a.py", "staged again\n");
    repo.git("add a.py");
    CHECK(git::Repository::open(repo.root()).index_files("")->read("a.py") == "staged again\n");

    // A temporary index of a hook.
    std::string temp_index = repo.path(".git/next-index.lock");
    repo.git("read-tree HEAD", "GIT_INDEX_FILE='" + temp_index + "'");
    {
        ScopedEnv env("GIT_INDEX_FILE", temp_index);
        git::Repository::read_index_ahead(repo.root());
        CHECK(git::Repository::open(repo.root()).index_files("")->read("a.py") == "one\n");
    }

    // A linked worktree: its .git is a file naming its own git folder.
    repo.git("worktree add -q other");
    repo.write("other/a.py", "in the worktree\n");
    repo.git("-C other add a.py");
    git::Repository::read_index_ahead(repo.path("other"));
    CHECK(git::Repository::open(repo.path("other")).index_files("")->read("a.py") ==
          "in the worktree\n");
    git::Repository::read_index_ahead(repo.root());
    CHECK(git::Repository::open(repo.root()).index_files("")->read("a.py") == "staged again\n");
}

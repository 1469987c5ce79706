#include "migcheck/git/repository.hpp"
#include "migcheck/util/error.hpp"
#include "test_git_support.hpp"

#include <doctest/doctest.h>
#include <atomic>
#include <mutex>
#include <map>
#include <set>
#include <sstream>

using namespace migcheck;
using migcheck::test::TempRepo;

namespace {

std::string hex(const std::optional<git::ObjectId>& id) { return id ? id->hex() : "(none)"; }

std::string usage_message(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::usage);
        return e.what();
    }
    FAIL("no error");
    return {};
}

}  // namespace

TEST_CASE("open: a repository from a subfolder, and a folder that is none") {
    TempRepo repo;
    repo.write("a/b/file.txt", "x\n");
    repo.commit("one");
    auto r = git::Repository::open(repo.path("a/b"));
    CHECK(r.workdir() == std::filesystem::canonical(repo.root()).string());

    std::string outside =
        (std::filesystem::temp_directory_path() / "migcheck-plain-XXXXXX").string();
    REQUIRE(::mkdtemp(outside.data()) != nullptr);
    CHECK(usage_message([&] { git::Repository::open(outside); }) ==
          outside + ": not a git repository (or any parent up to /)");
    std::filesystem::remove(outside);
}

TEST_CASE("resolve: branches, remote branches, tags, ids, expressions") {
    TempRepo repo;
    repo.write("f.txt", "1\n");
    std::string first = repo.commit("first");
    repo.write("f.txt", "2\n");
    std::string second = repo.commit("second");
    repo.git("branch feature/a " + first);
    repo.git("update-ref refs/remotes/origin/main " + first);
    repo.git("tag -a v1 -m release " + first);
    repo.git("symbolic-ref refs/remotes/origin/HEAD refs/remotes/origin/main");
    auto r = git::Repository::open(repo.root());

    struct Case {
        std::string rev;
        std::string commit;
        std::string ref;
    };
    for (const Case& c : std::vector<Case>{
             {"main", second, "refs/heads/main"},
             {"HEAD", second, "refs/heads/main"},
             {"feature/a", first, "refs/heads/feature/a"},
             {"origin/main", first, "refs/remotes/origin/main"},
             {"origin/HEAD", first, "refs/remotes/origin/main"},
             {"refs/remotes/origin/main", first, "refs/remotes/origin/main"},
             {"v1", first, "refs/tags/v1"},
             {second, second, ""},
             {second.substr(0, 10), second, ""},
             {"HEAD~1", first, ""},
             {"main^", first, ""},
         }) {
        CAPTURE(c.rev);
        auto got = r.resolve(c.rev);
        REQUIRE(got.has_value());
        CHECK(got->commit.hex() == c.commit);
        CHECK(got->ref == c.ref);
    }
    // Names of nothing, and of things that are not commits, are answers.
    for (const std::string& rev : std::vector<std::string>{"nosuch", "origin/nosuch", "HEAD~5", "", "main..", "a b",
                            repo.git("rev-parse HEAD:f.txt"), repo.git("rev-parse HEAD^{tree}")}) {
        CAPTURE(rev);
        CHECK_FALSE(r.resolve(rev).has_value());
    }
}

TEST_CASE("resolve: an ambiguous id prefix is a usage error") {
    TempRepo repo;
    // Blobs until two ids share their first four hex digits.
    std::map<std::string, int> seen;
    std::string prefix;
    for (int i = 0; i < 1000; ++i) {
        repo.write("f" + std::to_string(i), std::to_string(i));
    }
    repo.commit("many");
    std::string all = repo.git("rev-list --objects --all");
    std::istringstream lines(all);
    for (std::string line; std::getline(lines, line) && prefix.empty();) {
        std::string p = line.substr(0, 4);
        if (++seen[p] == 2) {
            prefix = p;
        }
    }
    REQUIRE_FALSE(prefix.empty());
    auto r = git::Repository::open(repo.root());
    CHECK(usage_message([&] { r.resolve(prefix); }) ==
          prefix + ": ambiguous: it begins the ids of several objects; give more of the id");
}

TEST_CASE("refs: globs over full names, sorted, without symbolic refs") {
    TempRepo repo;
    repo.write("f.txt", "1\n");
    std::string c1 = repo.commit("first");
    repo.write("f.txt", "2\n");
    std::string c2 = repo.commit("second");
    repo.git("branch feature/a " + c1);
    repo.git("branch b2 " + c2);
    repo.git("update-ref refs/remotes/origin/main " + c2);
    repo.git("update-ref refs/remotes/origin/x " + c1);
    repo.git("symbolic-ref refs/remotes/origin/HEAD refs/remotes/origin/main");
    // A ref to a blob peels to no commit and is left out.
    repo.git("update-ref refs/remotes/origin/blob " + repo.git("rev-parse HEAD:f.txt"));
    repo.git("tag -a v1 -m release " + c1);
    auto r = git::Repository::open(repo.root());

    auto names = [&](const std::string& glob) {
        std::vector<std::string> out;
        for (const auto& ref : r.refs(glob)) {
            out.push_back(ref.name + " " + ref.short_name + " " + ref.commit.hex());
        }
        return out;
    };
    CHECK(names("refs/heads/*") == std::vector<std::string>{
                                       "refs/heads/b2 b2 " + c2,
                                       "refs/heads/feature/a feature/a " + c1,
                                       "refs/heads/main main " + c2,
                                   });
    CHECK(names("refs/remotes/origin/*") == std::vector<std::string>{
                                                "refs/remotes/origin/main origin/main " + c2,
                                                "refs/remotes/origin/x origin/x " + c1,
                                            });
    CHECK(names("refs/tags/*") == std::vector<std::string>{"refs/tags/v1 v1 " + c1});
    CHECK(names("refs/heads/feature/*").size() == 1);
    CHECK(names("refs/heads/main").size() == 1);
    CHECK(names("refs/nothing/*").empty());
}

TEST_CASE("merge_base: the fork point, and none for unrelated histories") {
    TempRepo repo;
    repo.write("f.txt", "1\n");
    std::string base = repo.commit("base");
    repo.write("f.txt", "2\n");
    std::string main_tip = repo.commit("main moves on");
    repo.git("checkout -q -b side " + base);
    repo.write("g.txt", "side\n");
    std::string side = repo.commit("side");
    repo.git("checkout -q --orphan lonely");
    repo.write("h.txt", "alone\n");
    std::string lonely = repo.commit("unrelated");
    auto r = git::Repository::open(repo.root());
    auto id = [&](const std::string& rev) { return r.resolve(rev)->commit; };
    CHECK(hex(r.merge_base(id(main_tip), id(side))) == base);
    CHECK(hex(r.merge_base(id(side), id(main_tip))) == base);
    CHECK(hex(r.merge_base(id(base), id(main_tip))) == base);
    CHECK(hex(r.merge_base(id(main_tip), id(lonely))) == "(none)");
}

TEST_CASE("read_blob and for_each_blob read by id, on several threads") {
    TempRepo repo;
    for (int i = 0; i < 300; ++i) {
        repo.write("d/f" + std::to_string(i) + ".txt", "content " + std::to_string(i) + "\n");
    }
    repo.commit("many files");
    auto r = git::Repository::open(repo.root());
    auto files = r.commit_files(r.resolve("HEAD")->commit, "", "commit HEAD");
    std::vector<git::ObjectId> ids;
    for (int i = 0; i < 300; ++i) {
        ids.push_back(*files->blob_id("d/f" + std::to_string(i) + ".txt"));
    }
    CHECK(r.read_blob(ids[7]) == "content 7\n");
    CHECK_FALSE(r.read_blob(git::ObjectId{}).has_value());

    std::mutex m;
    std::map<std::size_t, std::string> seen;
    r.for_each_blob(ids, 4, [&](std::size_t k, std::string_view bytes) {
        std::lock_guard<std::mutex> lock(m);
        seen[k] = std::string(bytes);
    });
    REQUIRE(seen.size() == 300);
    for (int i = 0; i < 300; ++i) {
        CHECK(seen[static_cast<std::size_t>(i)] == "content " + std::to_string(i) + "\n");
    }

    // A failure in the callback stops the others and reaches the caller.
    std::atomic<int> calls{0};
    CHECK_THROWS_WITH(r.for_each_blob(ids, 4,
                                      [&](std::size_t k, std::string_view) {
                                          ++calls;
                                          if (k == 5) {
                                              throw std::runtime_error("stop at 5");
                                          }
                                      }),
                      "stop at 5");
    // A missing object is a libgit2 failure, exit 3.
    std::vector<git::ObjectId> missing{git::ObjectId{}};
    try {
        r.for_each_blob(missing, 1, [](std::size_t, std::string_view) {});
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::runtime);
        CHECK(std::string(e.what()).rfind("blob 0000000000000000000000000000000000000000: ", 0) ==
              0);
    }
}

#include "migcheck/git/index_file.hpp"
#include "migcheck/git/repository.hpp"
#include "migcheck/util/error.hpp"
#include "test_git_support.hpp"

#include <algorithm>
#include <cstdio>
#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <sys/stat.h>
#include <tuple>

using namespace migcheck;
using migcheck::git::IndexFile;
using migcheck::test::ScopedEnv;
using migcheck::test::TempRepo;

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void spill(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// The entries as `git ls-files -s --debug` prints them, without the
// in-memory flags git adds.
std::string debug_listing(const IndexFile& index) {
    std::string out;
    char buf[512];
    for (const auto& e : index.entries()) {
        std::snprintf(buf, sizeof buf, "%06o %s %d\t", e.mode, e.id.hex().c_str(), e.stage);
        out += buf;
        out += e.path;
        std::snprintf(buf, sizeof buf,
                      "\n  ctime: %u:%u\n  mtime: %u:%u\n  dev: %u\tino: %u\n  uid: %u\tgid: %u\n"
                      "  size: %u\n",
                      e.stat.ctime_sec, e.stat.ctime_nsec, e.stat.mtime_sec, e.stat.mtime_nsec,
                      e.stat.dev, e.stat.ino, e.stat.uid, e.stat.gid, e.stat.size);
        out += buf;
    }
    return out;
}

std::string git_debug_listing(const TempRepo& repo) {
    std::istringstream in(repo.git("ls-files -s --debug"));
    std::string out;
    std::string line;
    while (std::getline(in, line)) {
        auto flags = line.find("\tflags: ");
        out += (flags == std::string::npos ? line : line.substr(0, flags)) + "\n";
    }
    return out;
}

IndexFile read_index(const TempRepo& repo) { return IndexFile::read(repo.path(".git/index")); }

// "A path", "M path", "D path", "R old -> new", sorted by path.
using Row = std::tuple<std::string, std::string, char>;  // path, old path, status

std::string render(std::vector<Row> rows) {
    std::sort(rows.begin(), rows.end());
    std::string out;
    for (const auto& [path, old_path, status] : rows) {
        out += std::string(1, status) + " " + (status == 'R' ? old_path + " -> " : "") + path +
               "\n";
    }
    return out;
}

std::string ours(const git::Repository& r, const git::DiffOptions& options = {}) {
    std::vector<Row> rows;
    for (const auto& c : r.staged_changes(options)) {
        char s = static_cast<char>(std::toupper(git::status_name(c.status)[0]));
        rows.emplace_back(c.path, c.old_path, s);
        CHECK(c.old_blob.has_value() == (c.status != git::ChangeStatus::added));
        CHECK(c.new_blob.has_value() == (c.status != git::ChangeStatus::deleted));
    }
    return render(rows);
}

// What `git diff --cached --name-status -M` lists, in the same form. Unmerged
// paths ("U") are left out, as staged_changes leaves them; a change of type
// ("T") is a modification.
std::string theirs(const TempRepo& repo, const std::string& args = "",
                   const std::string& env = "") {
    std::istringstream in(repo.git("diff --cached --name-status -M " + args, env));
    std::vector<Row> rows;
    std::string line;
    while (std::getline(in, line)) {
        std::vector<std::string> f;
        std::istringstream fields(line);
        std::string x;
        while (std::getline(fields, x, '\t')) {
            f.push_back(x);
        }
        REQUIRE(f.size() >= 2);
        char s = f[0][0];
        if (s == 'U') {
            continue;
        }
        if (s == 'R') {
            REQUIRE(f.size() == 3);
            rows.emplace_back(f[2], f[1], 'R');
        } else {
            rows.emplace_back(f[1], f[1], s == 'T' ? 'M' : s);
        }
    }
    return render(rows);
}

std::string body(const std::string& name, int lines = 12) {
    std::string out;
    for (int i = 0; i < lines; ++i) {
        out += name + " line " + std::to_string(i) + " with enough text to compare\n";
    }
    return out;
}

// A repository of a few folders, committed.
void populate(TempRepo& repo) {
    repo.write("README.md", "readme\n");
    repo.write("a-b.txt", "sorts before a/\n");
    repo.write("a/x.py", body("x"));
    repo.write("a/y.py", body("y"));
    repo.write("a/sub/z.py", body("z"));
    repo.write("a/sub/deep/w.py", body("w"));
    repo.write("b/one.txt", body("one"));
    repo.write("b/two.txt", body("two"));
    repo.write("c/run.sh", "#!/bin/sh\n");
    std::filesystem::permissions(repo.path("c/run.sh"), std::filesystem::perms::owner_exec,
                                 std::filesystem::perm_options::add);
    std::filesystem::create_symlink("../b/one.txt", repo.path("c/link.txt"));
    repo.commit("one");
}

const git::CacheTreeNode& node(const IndexFile& index, const std::string& dir) {
    const git::CacheTreeNode* n = index.cache_tree(dir);
    REQUIRE(n != nullptr);
    return *n;
}

}  // namespace

TEST_CASE("index file: version 2, every field as git reads it, and a valid cache tree") {
    TempRepo repo;
    populate(repo);
    IndexFile index = read_index(repo);
    CHECK(index.version() == 2);
    CHECK(index.unsupported().empty());
    CHECK(debug_listing(index) == git_debug_listing(repo));
    // The size and times are the working tree's.
    struct stat st {};
    REQUIRE(::stat(repo.path("a/x.py").c_str(), &st) == 0);
    const auto& x = index.entries()[index.lower_bound("a/x.py")];
    CHECK(x.path == "a/x.py");
    CHECK(x.stat.size == st.st_size);
    CHECK(x.stat.mtime_sec == static_cast<std::uint32_t>(st.st_mtim.tv_sec));
    CHECK(x.stat.ino == static_cast<std::uint32_t>(st.st_ino));

    // After a commit every folder's tree is known, and is HEAD's.
    for (const std::string dir : {"", "a", "a/sub", "a/sub/deep", "b", "c"}) {
        CAPTURE(dir);
        const auto& n = node(index, dir);
        CHECK(n.valid());
        CHECK(n.id->hex() == repo.git("rev-parse HEAD:" + dir));
    }
    CHECK(node(index, "").entry_count == static_cast<int>(index.entries().size()));
    CHECK(node(index, "a").subtrees == 1);
    CHECK(index.cache_tree("nothing") == nullptr);

    auto r = git::Repository::open(repo.root());
    CHECK(ours(r) == "");
    CHECK(ours(r) == theirs(repo));
}

TEST_CASE("index file: a cache tree invalidated by git add, then written again") {
    TempRepo repo;
    populate(repo);
    repo.write("a/sub/z.py", body("z") + "changed\n");
    repo.write("b/three.txt", body("three"));
    repo.git("add a/sub/z.py b/three.txt");
    IndexFile index = read_index(repo);
    // The folders above what was added are invalid; the others still valid.
    for (const std::string dir : {"", "a", "a/sub", "b"}) {
        CAPTURE(dir);
        const auto* n = index.cache_tree(dir);
        CHECK((n == nullptr || !n->valid()));
    }
    for (const std::string dir : {"a/sub/deep", "c"}) {
        CAPTURE(dir);
        CHECK(node(index, dir).valid());
        CHECK(node(index, dir).id->hex() == repo.git("rev-parse HEAD:" + dir));
    }
    auto r = git::Repository::open(repo.root());
    CHECK(ours(r) == "M a/sub/z.py\nA b/three.txt\n");
    CHECK(ours(r) == theirs(repo));

    // write-tree fills the cache tree in: valid folders that differ from HEAD.
    repo.git("write-tree");
    IndexFile written = read_index(repo);
    CHECK(node(written, "").valid());
    CHECK(node(written, "a/sub").valid());
    CHECK(node(written, "a/sub").id->hex() != repo.git("rev-parse HEAD:a/sub"));
    CHECK(ours(r) == "M a/sub/z.py\nA b/three.txt\n");
    CHECK(ours(r) == theirs(repo));
}

TEST_CASE("index file: version 3 with intent-to-add and skip-worktree entries") {
    TempRepo repo;
    populate(repo);
    repo.write("a/new.py", "intended\n");
    repo.git("add -N a/new.py");
    repo.write("b/one.txt", body("one") + "staged, then hidden\n");
    repo.git("add b/one.txt");
    repo.git("update-index --skip-worktree b/one.txt b/two.txt");
    IndexFile index = read_index(repo);
    CHECK(index.version() == 3);
    CHECK(debug_listing(index) == git_debug_listing(repo));
    auto flags = [&](const std::string& path) {
        const auto& e = index.entries()[index.lower_bound(path)];
        REQUIRE(e.path == path);
        return std::string(e.intent_to_add ? "ita " : "") + (e.skip_worktree ? "skip " : "") +
               (e.staged() ? "staged" : "");
    };
    CHECK(flags("a/new.py") == "ita ");
    CHECK(flags("b/one.txt") == "skip staged");
    CHECK(flags("b/two.txt") == "skip staged");
    CHECK(flags("a/x.py") == "staged");

    auto r = git::Repository::open(repo.root());
    // An intent to add is no change of what is staged; hidden files are staged.
    CHECK(ours(r) == "M b/one.txt\n");
    CHECK(ours(r) == theirs(repo));
    auto files = r.index_files("");
    CHECK(files->read("a/new.py") == std::nullopt);
    CHECK(files->read("b/one.txt") == body("one") + "staged, then hidden\n");
    CHECK(files->read("b/two.txt") == body("two"));
    // git writes no tree for the folders above an intent to add, so that
    // readers of the cache tree look at their entries.
    repo.git("write-tree");
    IndexFile written = read_index(repo);
    CHECK_FALSE(node(written, "a").valid());
    CHECK_FALSE(node(written, "").valid());
    CHECK(node(written, "a/sub").valid());
    CHECK(node(written, "b").valid());
    CHECK(ours(r) == "M b/one.txt\n");
    CHECK(ours(r) == theirs(repo));

    // A committed file removed and only intended again: not in the next commit.
    repo.git("rm -q --cached a/y.py");
    repo.git("add -N a/y.py");
    CHECK(ours(r) == "D a/y.py\nM b/one.txt\n");
    CHECK(ours(r) == theirs(repo));
}

TEST_CASE("index file: version 4, paths compressed against the previous one") {
    TempRepo repo;
    populate(repo);
    for (int i = 0; i < 40; ++i) {
        repo.write("versions/" + std::to_string(1000 + i) + "_a_long_shared_name_rev.py",
                   body(std::to_string(i)));
    }
    // A path longer than the 12 bits of length an entry's flags hold; no
    // working tree could hold it, the index can.
    std::string blob = repo.git("hash-object -w README.md");
    std::string long_path = "long/" + std::string(5000, 'p') + ".txt";
    repo.git("update-index --add --cacheinfo 100644," + blob + "," + long_path);
    repo.commit("two");
    repo.git("update-index --index-version 4");
    IndexFile index = read_index(repo);
    CHECK(index.version() == 4);
    CHECK(debug_listing(index) == git_debug_listing(repo));
    CHECK(index.entries()[index.lower_bound("long/")].path == long_path);
    CHECK(node(index, "versions").valid());

    auto r = git::Repository::open(repo.root());
    CHECK(ours(r) == "");
    repo.git("mv versions/1005_a_long_shared_name_rev.py versions/1005_renamed_rev.py");
    repo.write("versions/1007_a_long_shared_name_rev.py", "rewritten\n");
    repo.git("add versions");
    repo.git("rm -q --cached " + long_path);
    CHECK(read_index(repo).version() == 4);
    CHECK(debug_listing(read_index(repo)) == git_debug_listing(repo));
    CHECK(ours(r) == "D " + long_path +
                         "\n"
                         "R versions/1005_a_long_shared_name_rev.py -> "
                         "versions/1005_renamed_rev.py\n"
                         "M versions/1007_a_long_shared_name_rev.py\n");
    CHECK(ours(r) == theirs(repo));
}

TEST_CASE("index file: a conflicted index, stages 1 to 3") {
    TempRepo repo;
    populate(repo);
    repo.git("checkout -q -b other");
    repo.write("a/x.py", body("x") + "other\n");
    repo.write("b/other.txt", "only on other\n");
    repo.commit("other");
    repo.git("checkout -q main");
    repo.write("a/x.py", body("x") + "main\n");
    repo.write("c/main.txt", "only on main\n");
    repo.commit("main");
    CHECK_THROWS(repo.git("merge -q other"));
    IndexFile index = read_index(repo);
    CHECK(debug_listing(index) == git_debug_listing(repo));
    std::size_t at = index.lower_bound("a/x.py");
    REQUIRE(at + 2 < index.entries().size());
    for (int stage = 1; stage <= 3; ++stage) {
        CHECK(index.entries()[at + static_cast<std::size_t>(stage) - 1].path == "a/x.py");
        CHECK(index.entries()[at + static_cast<std::size_t>(stage) - 1].stage == stage);
        CHECK_FALSE(index.entries()[at + static_cast<std::size_t>(stage) - 1].staged());
    }
    auto r = git::Repository::open(repo.root());
    CHECK(ours(r) == "A b/other.txt\n");
    CHECK(ours(r) == theirs(repo));

    // Resolved: git keeps the stages in a REUC extension, skipped here; and
    // the optional extensions of large indexes (EOIE, IEOT) and the
    // untracked cache (UNTR) are skipped as well.
    repo.write("a/x.py", body("x") + "both\n");
    repo.git("-c index.recordEndOfIndexEntries=true -c index.recordOffsetTable=true "
             "-c index.threads=2 -c core.untrackedCache=true add a/x.py");
    repo.git("-c core.untrackedCache=true -c index.recordEndOfIndexEntries=true "
             "-c index.recordOffsetTable=true status --porcelain");
    std::string bytes = slurp(repo.path(".git/index"));
    for (const char* signature : {"REUC", "EOIE", "UNTR"}) {
        CAPTURE(signature);
        CHECK(bytes.find(signature) != std::string::npos);
    }
    IndexFile resolved = read_index(repo);
    CHECK(debug_listing(resolved) == git_debug_listing(repo));
    CHECK(ours(r) == "M a/x.py\nA b/other.txt\n");
    CHECK(ours(r) == theirs(repo));
}

TEST_CASE("index file: a truncated or corrupt index is an error naming it, never a crash") {
    TempRepo repo;
    populate(repo);
    repo.write("a/y.py", "staged\n");
    repo.write("a/new.py", "intended\n");
    repo.git("add -N a/new.py");
    repo.git("add a/y.py");
    std::string good = slurp(repo.path(".git/index"));
    IndexFile whole = IndexFile::parse(good, "idx");
    std::string expected = debug_listing(whole);

    // Cut anywhere: an error, or, cut where the extensions leave 20 bytes
    // that pass for the trailing hash, the same entries.
    for (std::size_t size = 0; size < good.size(); ++size) {
        CAPTURE(size);
        try {
            IndexFile cut = IndexFile::parse(good.substr(0, size), "/tmp/cut-index");
            CHECK(debug_listing(cut) == expected);
        } catch (const Error& e) {
            CHECK(e.code() == ExitCode::runtime);
            CHECK(std::string(e.what()).rfind("/tmp/cut-index: ", 0) == 0);
        }
    }
    // Any byte changed: an error or an index, never a read out of bounds
    // (run under the sanitizers to see that).
    std::mt19937 rng(7);
    for (int round = 0; round < 3000; ++round) {
        std::string bad = good;
        for (int k = 0; k < 1 + round % 3; ++k) {
            bad[rng() % bad.size()] = static_cast<char>(rng());
        }
        try {
            IndexFile::parse(bad, "idx");
        } catch (const Error&) {
        }
    }

    auto message = [](const std::string& bytes) {
        try {
            IndexFile::parse(bytes, "/r/.git/index");
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK(message("") ==
          "/r/.git/index: the index is truncated or corrupt: too short to be an index (0 bytes) "
          "(git cannot read it either; `rm '/r/.git/index' && git reset` rebuilds it from HEAD, "
          "losing what was staged)");
    CHECK(message("JUNK" + good.substr(4)) ==
          "/r/.git/index: not a git index: it does not begin with DIRC");
    std::string many = good;
    many[8] = '\x7f';
    CHECK(message(many).find("claims 2130706") != std::string::npos);
    std::size_t count = whole.entries().size();
    CHECK(message(good.substr(0, good.size() / 2)).find("claims " + std::to_string(count) +
                                                        " entries, more than") !=
          std::string::npos);
    // Room for the count, not for the entries (each at least 72 bytes).
    CHECK(message(good.substr(0, 12 + count * 63 + 21)).find("runs past the end") !=
          std::string::npos);
    std::string unordered = good;
    auto first = unordered.find("README.md");
    REQUIRE(first != std::string::npos);
    unordered[first] = 'z';
    CHECK(message(unordered).find("entries out of order at a-b.txt") != std::string::npos);

    // Through the repository: the same error, naming the file, exit 3.
    auto r = git::Repository::open(repo.root());
    std::string cut = repo.path(".git/cut-index");
    spill(cut, good.substr(0, 100));
    ScopedEnv env("GIT_INDEX_FILE", cut);
    for (int call = 0; call < 2; ++call) {
        try {
            call == 0 ? (void)r.staged_changes() : (void)r.index_files("");
            FAIL("no error");
        } catch (const Error& e) {
            CHECK(e.code() == ExitCode::runtime);
            CHECK(std::string(e.what()).find(cut + ": the index is truncated or corrupt") == 0);
        }
    }
}

TEST_CASE("index file: a missing index is empty; a split or sparse one is left to libgit2") {
    TempRepo repo;
    populate(repo);
    IndexFile missing = IndexFile::read(repo.path(".git/no-such-index"));
    CHECK(missing.version() == 0);
    CHECK(missing.entries().empty());
    CHECK(missing.unsupported().empty());
    auto r = git::Repository::open(repo.root());
    {
        ScopedEnv env("GIT_INDEX_FILE", repo.path(".git/no-such-index"));
        CHECK(ours(r) == theirs(repo, "", "GIT_INDEX_FILE=.git/no-such-index"));
        CHECK(ours(r).find("D a/x.py\n") != std::string::npos);
        auto top = r.index_files("")->list("");
        REQUIRE(top.has_value());
        CHECK(top->empty());
    }

    repo.git("update-index --split-index");
    CHECK(read_index(repo).unsupported() == "a split index (link extension)");
    CHECK(read_index(repo).entries().empty());
    // Left to libgit2, as every index was before; libgit2 1.5 refuses it too.
    try {
        std::string listed = ours(r);
        CHECK(listed == theirs(repo));
    } catch (const Error& e) {
        CHECK(std::string(e.what()).find("'link'") != std::string::npos);
    }

    TempRepo sparse;
    populate(sparse);
    sparse.git("sparse-checkout init --cone --sparse-index");
    sparse.git("sparse-checkout set a");
    IndexFile s = read_index(sparse);
    CHECK(s.unsupported().find("a sparse index") == 0);
}

TEST_CASE("staged_changes: folders named, before the first commit, and every change kind") {
    TempRepo repo;
    repo.write("a/x.py", body("x"));
    repo.write("top.txt", "top\n");
    repo.git("add a/x.py top.txt");
    auto r = git::Repository::open(repo.root());
    // No HEAD: everything staged is added.
    CHECK(ours(r) == "A a/x.py\nA top.txt\n");
    CHECK(ours(r) == theirs(repo));
    repo.commit("one");
    populate(repo);

    repo.remove("a/y.py");
    repo.write("a/y.py/now_a_folder.py", "was a file\n");           // file -> folder
    std::filesystem::remove_all(repo.path("a/sub/deep"));
    repo.write("a/sub/deep", "was a folder\n");                     // folder -> file
    std::filesystem::permissions(repo.path("b/two.txt"), std::filesystem::perms::owner_exec,
                                 std::filesystem::perm_options::add);  // mode only
    repo.remove("c/link.txt");
    std::filesystem::create_symlink("../b/two.txt", repo.path("c/link.txt"));  // retargeted
    repo.remove("c/run.sh");
    std::filesystem::create_symlink("../README.md", repo.path("c/run.sh"));  // file -> link
    repo.git("mv b/one.txt c/one_moved.txt");
    repo.git("add -A");
    CHECK(ours(r) == theirs(repo));
    CHECK(ours(r) == "A a/sub/deep\n"
                     "D a/sub/deep/w.py\n"
                     "D a/y.py\n"
                     "A a/y.py/now_a_folder.py\n"
                     "M b/two.txt\n"
                     "M c/link.txt\n"
                     "R b/one.txt -> c/one_moved.txt\n"
                     "M c/run.sh\n");
    for (const auto& c : r.staged_changes()) {
        CHECK(c.link == (c.path == "c/link.txt" || c.path == "c/run.sh"));
    }

    for (const std::string path : {"a", "a/sub", "b", "c", "c/run.sh", "a/y.py", "nothing"}) {
        CAPTURE(path);
        git::DiffOptions o;
        o.paths = {path};
        o.renames = false;
        CHECK(ours(r, o) == theirs(repo, "--no-renames -- " + path));
    }
    git::DiffOptions both;
    both.paths = {"a/sub", "c"};
    CHECK(ours(r, both) == theirs(repo, "-- a/sub c"));
}

TEST_CASE("staged_changes agrees with git diff --cached on random changes") {
    TempRepo repo;
    std::mt19937 rng(20261125);
    auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
    std::vector<std::string> dirs = {"", "a", "a/b", "a/b/c", "a-b", "v", "v/sub"};
    std::vector<std::string> files;
    for (int i = 0; i < 120; ++i) {
        std::string dir = dirs[pick(dirs.size())];
        std::string path = (dir.empty() ? "" : dir + "/") + "f" + std::to_string(i) + ".py";
        repo.write(path, body(path, 8));
        files.push_back(path);
    }
    repo.commit("base");
    auto r = git::Repository::open(repo.root());
    for (int round = 0; round < 12; ++round) {
        CAPTURE(round);
        for (int k = 0; k < 1 + static_cast<int>(pick(6)); ++k) {
            std::string& f = files[pick(files.size())];
            if (!std::filesystem::exists(repo.path(f))) {
                continue;
            }
            switch (pick(4)) {
            case 0:
                repo.write(f, body(f, 8) + "edit " + std::to_string(round) + "\n");
                break;
            case 1:
                repo.remove(f);
                break;
            case 2: {
                std::string to = dirs[pick(dirs.size())];
                to = (to.empty() ? "" : to + "/") + "moved" + std::to_string(round) + "_" +
                     std::to_string(k) + ".py";
                if (!std::filesystem::exists(repo.path(to))) {
                    repo.git("mv " + f + " " + to);
                    f = to;
                }
                break;
            }
            default:
                repo.write(dirs[pick(dirs.size())] + "/new" + std::to_string(round) + "_" +
                               std::to_string(k) + ".py",
                           "new\n");
            }
        }
        repo.git("add -A");
        if (round % 3 == 1) {
            repo.git("write-tree");
        }
        if (round == 6) {
            repo.git("update-index --index-version 4");
        }
        CHECK(ours(r) == theirs(repo));
        if (round % 4 == 3) {
            repo.commit("round " + std::to_string(round));
            CHECK(ours(r) == "");
        }
    }
}

TEST_CASE("index files: the index read once, and again when git writes it") {
    TempRepo repo;
    populate(repo);
    auto r = git::Repository::open(repo.root());
    auto before = r.index_files("");
    CHECK(r.staged_changes().empty());
    repo.write("a/x.py", "changed\n");
    repo.git("add a/x.py");
    // Within the same second: git's rename over the file is seen.
    CHECK(ours(r) == "M a/x.py\n");
    CHECK(r.index_files("")->read("a/x.py") == "changed\n");
    CHECK(before->read("a/x.py") == body("x"));  // what it held stays readable
    auto listed = r.index_files("")->list("");
    REQUIRE(listed.has_value());
    std::string names;
    for (const auto& e : *listed) {
        names += e.name + " ";
    }
    CHECK(names == "README.md a a-b.txt b c ");
}

#include "migcheck/git/repository.hpp"
#include "test_git_support.hpp"

#include <doctest/doctest.h>
#include <map>
#include <mutex>
#include <random>
#include <sstream>

using namespace migcheck;
using migcheck::test::TempRepo;

namespace {

// "A path", "M path", "D path", "R old -> new", one a line.
std::string show(const std::vector<git::Change>& changes) {
    std::string out;
    for (const auto& c : changes) {
        out += std::string(1, static_cast<char>(std::toupper(git::status_name(c.status)[0]))) +
               " " + (c.status == git::ChangeStatus::renamed ? c.old_path + " -> " : "") + c.path +
               (c.link ? " (link)" : "") + "\n";
        // The ids are those of the sides that exist.
        CHECK(c.old_blob.has_value() == (c.status != git::ChangeStatus::added));
        CHECK(c.new_blob.has_value() == (c.status != git::ChangeStatus::deleted));
    }
    return out;
}

// What diff_views_each hands over for one commit, as show() prints changes,
// sorted by path as diff_trees sorts them.
std::string show_views(const git::Repository& r, const git::ObjectId& from, const git::ObjectId& to,
                       const git::DiffOptions& o) {
    std::vector<git::Change> changes;
    r.diff_views_each(from, {to}, o, 1, [&](std::size_t k, const std::vector<git::ChangeView>& vs) {
        CHECK(k == 0);
        for (const auto& v : vs) {
            std::string path = v.dir.empty() ? std::string(v.name)
                                             : std::string(v.dir) + "/" + std::string(v.name);
            changes.push_back(git::Change{v.status, path, path, v.old_blob, v.new_blob, v.link});
        }
    });
    std::sort(changes.begin(), changes.end(), [](const git::Change& a, const git::Change& b) {
        return std::tie(a.path, a.status) < std::tie(b.path, b.status);
    });
    return show(changes);
}

std::string revision(const std::string& id, int lines = 20) {
    std::string body = "revision = '" + id + "'\ndown_revision = None\n\n";
    for (int i = 0; i < lines; ++i) {
        body += "# line " + std::to_string(i) + " of a long enough file to be recognised\n";
    }
    return body;
}

}  // namespace

TEST_CASE("diff_trees: added, modified, deleted and renamed files") {
    TempRepo repo;
    repo.write("alembic/versions/a_rev.py", revision("a"));
    repo.write("alembic/versions/b_rev.py", revision("b"));
    repo.write("alembic/versions/c_rev.py", revision("c"));
    repo.write("alembic/versions/sub/d_rev.py", revision("d"));
    repo.write("app/models.py", "x = 1\n");
    repo.write("top.txt", "top\n");
    std::string one = repo.commit("one");
    repo.write("alembic/versions/a_rev.py", revision("a") + "# changed\n");
    repo.remove("alembic/versions/b_rev.py");
    repo.git("mv alembic/versions/c_rev.py alembic/versions/c_renamed.py");
    repo.write("alembic/versions/e_rev.py", "revision = 'e'\n");
    repo.write("alembic/versions/sub/f_rev.py", "revision = 'f'\n");
    repo.write("app/models.py", "x = 2\n");
    std::filesystem::create_symlink("e_rev.py", repo.path("alembic/versions/g_link.py"));
    std::string two = repo.commit("two");

    auto r = git::Repository::open(repo.root());
    auto id = [&](const std::string& rev) { return r.resolve(rev)->commit; };

    CHECK(show(r.diff_trees(id(one), id(two))) ==
          "M alembic/versions/a_rev.py\n"
          "D alembic/versions/b_rev.py\n"
          "R alembic/versions/c_rev.py -> alembic/versions/c_renamed.py\n"
          "A alembic/versions/e_rev.py\n"
          "A alembic/versions/g_link.py (link)\n"
          "A alembic/versions/sub/f_rev.py\n"
          "M app/models.py\n");

    git::DiffOptions folder;
    folder.paths = {"alembic/versions"};
    folder.recursive = false;
    folder.renames = false;
    CHECK(show(r.diff_trees(id(one), id(two), folder)) ==
          "M alembic/versions/a_rev.py\n"
          "D alembic/versions/b_rev.py\n"
          "A alembic/versions/c_renamed.py\n"
          "D alembic/versions/c_rev.py\n"
          "A alembic/versions/e_rev.py\n"
          "A alembic/versions/g_link.py (link)\n");

    folder.recursive = true;
    folder.paths = {"alembic/versions/", "app/models.py", "nothing/here"};
    CHECK(show(r.diff_trees(id(one), id(two), folder)) ==
          "M alembic/versions/a_rev.py\n"
          "D alembic/versions/b_rev.py\n"
          "A alembic/versions/c_renamed.py\n"
          "D alembic/versions/c_rev.py\n"
          "A alembic/versions/e_rev.py\n"
          "A alembic/versions/g_link.py (link)\n"
          "A alembic/versions/sub/f_rev.py\n"
          "M app/models.py\n");

    // The other way round, and from nothing (before a first commit).
    CHECK(show(r.diff_trees(id(two), id(one), folder)).find("R ") == std::string::npos);
    CHECK(show(r.diff_trees(std::nullopt, id(one))) ==
          "A alembic/versions/a_rev.py\n"
          "A alembic/versions/b_rev.py\n"
          "A alembic/versions/c_rev.py\n"
          "A alembic/versions/sub/d_rev.py\n"
          "A app/models.py\n"
          "A top.txt\n");
    CHECK(r.diff_trees(id(two), id(two)).empty());

    // Ids of both sides, as git names them.
    auto changes = r.diff_trees(id(one), id(two), folder);
    CHECK(changes[0].old_blob->hex() == repo.git("rev-parse " + one + ":alembic/versions/a_rev.py"));
    CHECK(changes[0].new_blob->hex() == repo.git("rev-parse " + two + ":alembic/versions/a_rev.py"));
}

TEST_CASE("diff_trees: a file that becomes a folder, and equal folders skipped") {
    TempRepo repo;
    repo.write("versions", "a file first\n");
    repo.write("same/x.py", "x\n");
    std::string one = repo.commit("one");
    repo.remove("versions");
    repo.write("versions/a.py", "a\n");
    std::string two = repo.commit("two");
    auto r = git::Repository::open(repo.root());
    auto id = [&](const std::string& rev) { return r.resolve(rev)->commit; };
    git::DiffOptions o;
    o.renames = false;
    CHECK(show(r.diff_trees(id(one), id(two), o)) == "D versions\nA versions/a.py\n");
    CHECK(show_views(r, id(one), id(two), o) == "D versions\nA versions/a.py\n");
    o.paths = {"versions"};
    CHECK(show(r.diff_trees(id(one), id(two), o)) == "D versions\nA versions/a.py\n");
    CHECK(show_views(r, id(one), id(two), o) == "D versions\nA versions/a.py\n");
    CHECK(show_views(r, id(two), id(one), o) == "A versions\nD versions/a.py\n");
    o.paths = {"same"};
    CHECK(r.diff_trees(id(one), id(two), o).empty());
    CHECK(show_views(r, id(one), id(two), o).empty());
}

TEST_CASE("staged_changes: HEAD against the index, and before the first commit") {
    TempRepo repo;
    repo.write("alembic/versions/a_rev.py", revision("a"));
    repo.write("alembic/versions/b_rev.py", revision("b"));
    repo.git("add alembic/versions/a_rev.py");
    auto r = git::Repository::open(repo.root());
    // No HEAD yet: everything staged is added.
    CHECK(show(r.staged_changes()) == "A alembic/versions/a_rev.py\n");
    repo.commit("one");
    CHECK(r.staged_changes().empty());

    repo.git("mv alembic/versions/a_rev.py alembic/versions/a_moved.py");
    repo.write("alembic/versions/c_rev.py", revision("c"));
    repo.write("alembic/versions/sub/d_rev.py", revision("d"));
    repo.write("alembic/versions/b_rev.py", revision("b") + "# staged change\n");
    repo.git("add alembic/versions/c_rev.py alembic/versions/sub/d_rev.py "
             "alembic/versions/b_rev.py");
    repo.write("alembic/versions/b_rev.py", "unstaged\n");
    repo.write("alembic/versions/untracked.py", "u\n");
    CHECK(show(r.staged_changes()) ==
          "R alembic/versions/a_rev.py -> alembic/versions/a_moved.py\n"
          "M alembic/versions/b_rev.py\n"
          "A alembic/versions/c_rev.py\n"
          "A alembic/versions/sub/d_rev.py\n");
    git::DiffOptions o;
    o.paths = {"alembic/versions"};
    o.recursive = false;
    o.renames = false;
    CHECK(show(r.staged_changes(o)) ==
          "A alembic/versions/a_moved.py\n"
          "D alembic/versions/a_rev.py\n"
          "M alembic/versions/b_rev.py\n"
          "A alembic/versions/c_rev.py\n");
    o.paths = {"app"};
    CHECK(r.staged_changes(o).empty());
}

TEST_CASE("reading never changes the working tree, the index or refs") {
    TempRepo repo;
    repo.write("alembic/versions/a_rev.py", revision("a"));
    std::string one = repo.commit("one");
    repo.git("branch feature");
    repo.write("alembic/versions/b_rev.py", revision("b"));
    repo.git("add -A");
    repo.write("alembic/versions/c_rev.py", revision("c"));
    auto state = [&] {
        return repo.git("status --porcelain=v2 --branch") + "\n" + repo.git("ls-files --stage") +
               "\n" + repo.git("for-each-ref") + "\n" + repo.git("rev-parse HEAD") + "\n" +
               repo.git("hash-object .git/index");
    };
    std::string before = state();
    {
        auto r = git::Repository::open(repo.root());
        auto head = r.resolve("HEAD")->commit;
        r.diff_trees(std::nullopt, head);
        r.staged_changes();
        r.index_files("")->list("alembic/versions");
        r.commit_files(head, "", "commit HEAD")->read("alembic/versions/a_rev.py");
        r.refs("refs/*");
        r.merge_base(head, head);
    }
    CHECK(state() == before);
}

TEST_CASE("diff_trees agrees with git diff-tree on random changes to a large folder") {
    TempRepo repo;
    std::mt19937 rng(20241125);
    auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
    // Names that share long starts, that begin one another, and that sort
    // around the '/' a folder counts as ("a", "a-b", "a.py", "a/").
    std::vector<std::string> names;
    for (int i = 0; i < 300; ++i) {
        names.push_back(std::to_string(1000 + i * 7 % 300) + "_rev.py");
    }
    for (std::string n : {"a", "a-b", "a.py", "a0", "sub", "sub.py", "sub-x", "z"}) {
        names.push_back(n);
    }
    std::vector<std::string> contents{"same\n", "same too\n"};  // shared blobs
    for (int i = 0; i < 40; ++i) {
        contents.push_back("revision " + std::to_string(i) + "\n");
    }
    struct File {
        std::string content;
        std::string mode;  // 100644, 100755, 120000, or "dir" for a folder of two files
    };
    std::map<std::string, File> base;
    for (std::size_t i = 0; i < names.size(); ++i) {
        base[names[i]] = File{contents[pick(contents.size())], "100644"};
    }
    base["sub"] = File{"x\n", "dir"};
    auto stream = [](const std::string& ref, const std::map<std::string, File>& files) {
        std::string s = "commit " + ref + "\ncommitter t <t@t> 1700000000 +0000\ndata 1\nx\n"
                        "deleteall\n";
        for (const auto& [name, f] : files) {
            std::vector<std::pair<std::string, std::string>> out;
            if (f.mode == "dir") {
                out = {{name + "/one.py", f.content}, {name + "/two.py", "two\n"}};
            } else {
                out = {{name, f.content}};
            }
            for (const auto& [path, content] : out) {
                s += "M " + (f.mode == "dir" ? std::string("100644") : f.mode) +
                     " inline v/" + path + "\ndata " + std::to_string(content.size()) + "\n" +
                     content + "\n";
            }
        }
        return s;
    };
    std::string all = stream("refs/heads/main", base);
    std::vector<std::map<std::string, File>> variants;
    for (int v = 0; v < 30; ++v) {
        auto files = base;
        int changes = 1 + static_cast<int>(pick(v % 3 == 0 ? 40 : 4));
        for (int c = 0; c < changes; ++c) {
            std::string name = names[pick(names.size())];
            switch (pick(6)) {
            case 0:
                files.erase(name);
                break;
            case 1:
                files["new" + std::to_string(pick(1000)) + "_" + name] =
                    File{contents[pick(contents.size())], "100644"};
                break;
            case 2:
                files[name] = File{contents[pick(contents.size())], "100644"};
                break;
            case 3:
                files[name] = File{files.count(name) ? files[name].content : "m\n", "100755"};
                break;
            case 4:
                files[name] = File{"target.py", "120000"};
                break;
            default:
                files[name] = File{contents[pick(contents.size())], "dir"};
                break;
            }
        }
        variants.push_back(files);
        all += stream("refs/heads/v" + std::to_string(v), files);
    }
    repo.write(".git/stream", all);
    repo.git("fast-import --quiet < .git/stream");

    auto r = git::Repository::open(repo.root());
    git::DiffOptions o;
    o.paths = {"v"};
    o.renames = false;
    auto expected = [&](const std::string& a, const std::string& b) {
        std::string out;
        std::istringstream lines(repo.git("diff-tree -r --no-renames " + a + " " + b));
        for (std::string line; std::getline(lines, line);) {
            auto tab = line.find('\t');
            char status = line[tab - 1] == 'T' ? 'M' : line[tab - 1];
            out += std::string(1, status) + " " + line.substr(tab + 1) + "\n";
        }
        return out;
    };
    auto strip_links = [](std::string s) {
        for (auto at = s.find(" (link)"); at != std::string::npos; at = s.find(" (link)")) {
            s.erase(at, 7);
        }
        return s;
    };
    std::vector<std::string> refs{"main"};
    for (int v = 0; v < 30; ++v) {
        refs.push_back("v" + std::to_string(v));
    }
    int compared = 0;
    for (std::size_t i = 0; i < refs.size(); ++i) {
        for (std::size_t j : {std::size_t{0}, (i + 1) % refs.size()}) {
            CAPTURE(refs[i]);
            CAPTURE(refs[j]);
            std::string want = expected(refs[j], refs[i]);
            // git diff-tree sorts as git does; migcheck sorts by path.
            std::vector<std::string> sorted;
            std::istringstream lines(want);
            for (std::string line; std::getline(lines, line);) {
                sorted.push_back(line);
            }
            std::sort(sorted.begin(), sorted.end(), [](const std::string& x, const std::string& y) {
                return x.substr(2) < y.substr(2);
            });
            std::string joined;
            for (const auto& line : sorted) {
                joined += line + "\n";
            }
            CHECK(strip_links(show(r.diff_trees(r.resolve(refs[j])->commit,
                                                r.resolve(refs[i])->commit, o))) == joined);
            ++compared;
        }
    }
    CHECK(compared == 62);

    // All at once, on threads and smallest folder first: the same answers,
    // in the order asked for.
    std::vector<git::ObjectId> commits;
    for (const auto& ref : refs) {
        commits.push_back(r.resolve(ref)->commit);
    }
    commits.push_back(commits[3]);  // twice
    auto main_id = r.resolve("main")->commit;
    for (unsigned threads : {1U, 4U}) {
        std::vector<std::vector<git::Change>> each(commits.size());
        std::vector<int> calls(commits.size(), 0);
        std::mutex mutex;
        r.diff_trees_each(main_id, commits, o, threads,
                          [&](std::size_t k, std::vector<git::Change> changes) {
                              std::lock_guard<std::mutex> lock(mutex);
                              each.at(k) = std::move(changes);
                              ++calls.at(k);
                          });
        CHECK(calls == std::vector<int>(commits.size(), 1));
        for (std::size_t k = 0; k < commits.size(); ++k) {
            CAPTURE(k);
            CHECK(each[k] == r.diff_trees(main_id, commits[k], o));
        }
        CHECK(each[0].empty());
        CHECK(each[3] == each.back());
    }
    // As views: the same files, whatever their order.
    int viewed = 0;
    for (const auto& c : commits) {
        std::string want = show(r.diff_trees(main_id, c, o));
        std::vector<std::string> lines;
        std::istringstream in(want);
        for (std::string line; std::getline(in, line);) {
            lines.push_back(line);
        }
        std::sort(lines.begin(), lines.end(), [](const std::string& x, const std::string& y) {
            return std::make_pair(x.substr(2), x[0]) < std::make_pair(y.substr(2), y[0]);
        });
        std::string sorted;
        for (const auto& line : lines) {
            sorted += line + "\n";
        }
        CHECK(show_views(r, main_id, c, o) == sorted);
        viewed += want.empty() ? 0 : 1;
    }
    CHECK(viewed == 31);
}

TEST_CASE("diff_trees: a folder whose bytes agree at the end across entries") {
    // "b" in one tree, "x100644 b" with the same content in the other: the
    // whole entry "100644 b\0<id>" ends the other's entry too, so the shared
    // end of the two trees starts inside an entry of the second.
    TempRepo repo;
    repo.write("v/a", "a\n");
    repo.write("v/b", "same\n");
    std::string one = repo.commit("one");
    repo.git("mv v/b 'v/x100644 b'");
    std::string two = repo.commit("two");
    auto r = git::Repository::open(repo.root());
    git::DiffOptions o;
    o.renames = false;
    CHECK(show(r.diff_trees(r.resolve(one)->commit, r.resolve(two)->commit, o)) ==
          "D v/b\nA v/x100644 b\n");
    CHECK(show(r.diff_trees(r.resolve(two)->commit, r.resolve(one)->commit, o)) ==
          "A v/b\nD v/x100644 b\n");
}

TEST_CASE("diff_trees_each: a commit the repository lacks stops the others") {
    TempRepo repo;
    repo.write("v/a", "a\n");
    std::string one = repo.commit("one");
    auto r = git::Repository::open(repo.root());
    git::ObjectId first = r.resolve(one)->commit;
    git::ObjectId missing;
    missing.bytes.fill(0xab);
    std::vector<git::ObjectId> commits(40, first);
    commits[25] = missing;
    git::DiffOptions o;
    o.paths = {"v"};
    auto ignore = [](std::size_t, std::vector<git::Change>) {};
    CHECK_THROWS_WITH(r.diff_trees_each(first, commits, o, 2, ignore),
                      ("commit " + missing.hex() + ": object not found - no match for id (" +
                       missing.hex() + ")")
                          .c_str());
    // An exception from `use` too, whichever thread threw it.
    auto throwing = [&](std::size_t k, std::vector<git::Change>) {
        if (k == 30) {
            throw std::runtime_error("no more");
        }
    };
    commits[25] = first;
    CHECK_THROWS_WITH(r.diff_trees_each(first, commits, o, 2, throwing), "no more");
}

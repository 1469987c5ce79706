#include "migcheck/revision/loader.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

using namespace migcheck;
using namespace migcheck::revision;

namespace {

// A project on disk for the length of a test.
struct TempProject {
    std::filesystem::path root;
    TempProject() {
        std::string pattern = (std::filesystem::temp_directory_path() / "migcheck-loader-XXXXXX").string();
        root = ::mkdtemp(pattern.data());
        std::filesystem::create_directories(root / "alembic/versions");
    }
    ~TempProject() { std::filesystem::remove_all(root); }
    TempProject(const TempProject&) = delete;
    TempProject& operator=(const TempProject&) = delete;

    void revision(const std::string& name, const std::string& id) const {
        std::ofstream(root / "alembic/versions" / name)
            << "revision = '" << id << "'\ndown_revision = None\n";
    }
};

config::AlembicSettings settings() {
    config::AlembicSettings a;
    a.present = true;
    a.ini_path = "alembic.ini";
    a.script_location = "alembic";
    a.version_locations = {"alembic/versions"};
    return a;
}

}  // namespace

TEST_CASE("revision files load in byte order of their names, whatever the prefixes") {
    TempProject p;
    // Names that share their first eight bytes, are shorter than eight, or
    // hold bytes above 0x7f: the order is that of the bytes, as Python's
    // sorted() gives for Alembic.
    std::vector<std::string> names = {"abcdefgh1.py", "abcdefgh0.py", "abcdefg.py", "ab.py",
                                      "b.py",         "Z.py",         "\xc3\xa9t\xc3\xa9.py",
                                      "abcdefgh.py",  "abcdefgh10.py"};
    for (std::size_t k = 0; k < names.size(); ++k) {
        p.revision(names[k], "r" + std::to_string(k));
    }
    p.revision("__init__.py", "skipped1");
    std::ofstream(p.root / "alembic/versions/notes.txt") << "not a revision\n";
    std::filesystem::create_directory(p.root / "alembic/versions/sub");

    auto files = disk_source(p.root.string());
    LoadedHistory loaded = load_history(*files, settings());
    std::vector<std::string> expected;
    for (const auto& n : names) {
        expected.push_back("alembic/versions/" + n);
    }
    std::sort(expected.begin(), expected.end());
    CHECK(loaded.files == expected);
    REQUIRE(loaded.revisions.size() == names.size());
    CHECK(loaded.revisions[0].path == expected[0]);
    // list() gives the same entries in the same order as visit().
    auto listed = files->list("alembic/versions");
    REQUIRE(listed);
    std::vector<std::string> visited;
    files->visit("alembic/versions", [&](const DirEntryView& e) { visited.emplace_back(e.name); });
    std::vector<std::string> listed_names;
    for (const auto& e : *listed) {
        listed_names.push_back(e.name);
    }
    CHECK(visited == listed_names);
    CHECK(std::is_sorted(listed_names.begin(), listed_names.end()));
    CHECK_FALSE(files->visit("alembic/nowhere", [](const DirEntryView&) {}));
}

TEST_CASE("loading with the header cache gives what loading without it gives") {
    TempProject p;
    for (int k = 0; k < 300; ++k) {
        std::ofstream(p.root / "alembic/versions" / ("r" + std::to_string(1000 + k) + "_x.py"))
            << "\"\"\"step " << k << "\n\nCreate Date: 2020-01-01 00:00:00\n\"\"\"\nrevision = 'r"
            << 1000 + k << "'\ndown_revision = " << (k == 0 ? "None" : "'r" + std::to_string(999 + k) + "'")
            << "\n";
    }
    // Files this new are never kept in the cache (their ctime is within two
    // seconds), so every run here reads them afresh through the cache's
    // code; tests/cli/test_history_cli.py waits and covers cache hits.
    std::string cache_dir = (p.root / "cache").string();
    ::setenv("MIGCHECK_CACHE_DIR", cache_dir.c_str(), 1);
    auto files = disk_source(p.root.string());
    LoadedHistory fresh = load_history(*files, settings());
    LoadedHistory first = load_history(*files, settings(), p.root.string(), HeaderText::message);
    LoadedHistory again = load_history(*files, settings(), p.root.string(), HeaderText::none);
    ::unsetenv("MIGCHECK_CACHE_DIR");
    REQUIRE(fresh.revisions.size() == 300);
    REQUIRE(first.revisions.size() == 300);
    REQUIRE(again.revisions.size() == 300);
    for (std::size_t i = 0; i < 300; ++i) {
        CHECK(first.revisions[i].id == fresh.revisions[i].id);
        CHECK(again.revisions[i].down_revisions == fresh.revisions[i].down_revisions);
        CHECK(again.revisions[i].path == fresh.revisions[i].path);
    }
    CHECK(fresh.revisions[5].message == "step 5");
    CHECK(first.revisions[5].message == "step 5");
}

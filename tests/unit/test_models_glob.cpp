#include "migcheck/models/glob.hpp"

#include <algorithm>
#include <doctest/doctest.h>
#include <map>
#include <set>

using namespace migcheck;
using namespace migcheck::models;

namespace {

// A tree held in memory: files by path, and the folders their paths imply;
// `links` are links to folders.
class TreeSource : public FileSource {
  public:
    TreeSource(std::set<std::string> files, std::set<std::string> links = {})
        : m_files(std::move(files)), m_links(std::move(links)) {}
    std::optional<std::vector<DirEntry>> list(const std::string& dir) const override {
        std::string prefix = dir.empty() ? "" : dir + "/";
        std::map<std::string, EntryType> entries;
        bool found = dir.empty();
        for (const auto& path : m_files) {
            if (path.rfind(prefix, 0) != 0) {
                continue;
            }
            found = true;
            std::string rest = path.substr(prefix.size());
            auto slash = rest.find('/');
            entries[rest.substr(0, slash)] =
                slash == std::string::npos ? EntryType::file : EntryType::directory;
        }
        for (const auto& link : m_links) {
            auto slash = link.rfind('/');
            std::string parent = slash == std::string::npos ? "" : link.substr(0, slash);
            if (parent == dir) {
                entries[link.substr(slash == std::string::npos ? 0 : slash + 1)] =
                    EntryType::directory_link;
            }
        }
        if (!found) {
            return std::nullopt;
        }
        std::vector<DirEntry> out;
        for (const auto& [name, type] : entries) {
            out.push_back(DirEntry{name, type, {}});
        }
        return out;
    }
    std::optional<std::string> read(const std::string& path) const override {
        return m_files.count(path) != 0U ? std::optional<std::string>("") : std::nullopt;
    }
    std::string description() const override { return "memory"; }

  private:
    std::set<std::string> m_files;
    std::set<std::string> m_links;
};

using Paths = std::vector<std::string>;
const Paths default_globs = {"**/models.py", "**/models/**/*.py"};

}  // namespace

TEST_CASE("match_segment: *, ?, sets and escapes") {
    struct Case {
        const char* pattern;
        const char* name;
        bool matches;
    };
    const Case cases[] = {
        {"*.py", "user.py", true},
        {"*.py", ".py", true},
        {"*.py", "user.pyc", false},
        {"*", "", true},
        {"user?.py", "user1.py", true},
        {"user?.py", "user.py", false},
        {"[abc].py", "b.py", true},
        {"[abc].py", "d.py", false},
        {"[a-c]x", "bx", true},
        {"[!a-c]x", "bx", false},
        {"[^a-c]x", "dx", true},
        {"[]]", "]", true},
        {"[abc", "[abc", true},
        {"a\\*b", "a*b", true},
        {"a\\*b", "axb", false},
        {"*a*b*c*", "xxaxxbxxcxx", true},
        {"*a*b*c*", "xxaxxcxxbxx", false},
        {"m*s.py", "models.py", true},
        {"models.py", "Models.py", false},
    };
    for (const auto& c : cases) {
        INFO(c.pattern, " ", c.name);
        CHECK(match_segment(c.pattern, c.name) == c.matches);
    }
}

TEST_CASE("the default globs: ** is zero or more folders, results sorted") {
    TreeSource tree({"models.py", "app/models.py", "app/models/user.py", "app/models/sub/job.py",
                     "app/models/README.md", "app/views.py", "lib/deep/er/models.py",
                     "models/base.py"});
    CHECK(find_model_files(tree, default_globs) ==
          Paths{"app/models.py", "app/models/sub/job.py", "app/models/user.py",
                "lib/deep/er/models.py", "models.py", "models/base.py"});
}

TEST_CASE("virtual environments, hidden folders, node_modules and caches are skipped") {
    TreeSource tree({"app/models.py", ".venv/lib/models.py", "venv/lib/models.py",
                     "env/pyvenv.cfg", "env/lib/models.py",
                     "usr/lib/python3/site-packages/pkg/models.py", "node_modules/x/models.py",
                     "app/__pycache__/models.py", ".git/models.py", ".tox/py3/models.py"});
    CHECK(find_model_files(tree, default_globs) == Paths{"app/models.py"});
    // Named literally, a folder is entered as written.
    CHECK(find_model_files(tree, {".venv/lib/models.py", "env/*/models.py"}) ==
          Paths{".venv/lib/models.py", "env/lib/models.py"});
}

TEST_CASE("globs are relative to the root; ./ and leading / are dropped") {
    TreeSource tree({"models.py", "app/models.py", "app/models/a.py", "app/models/b.txt"});
    CHECK(find_model_files(tree, {"models.py"}) == Paths{"models.py"});
    CHECK(find_model_files(tree, {"./app/models/*.py"}) == Paths{"app/models/a.py"});
    CHECK(find_model_files(tree, {"/app//models.py"}) == Paths{"app/models.py"});
    CHECK(find_model_files(tree, {"app/**"}) ==
          Paths{"app/models.py", "app/models/a.py", "app/models/b.txt"});
    CHECK(find_model_files(tree, {"app/models/[ab].*"}) ==
          Paths{"app/models/a.py", "app/models/b.txt"});
    CHECK(find_model_files(tree, {"nowhere/**/*.py", "app/models"}).empty());
}

TEST_CASE("overlapping globs give each file once") {
    TreeSource tree({"app/models/user.py", "app/models.py"});
    CHECK(find_model_files(tree, {"**/*.py", "app/**/*.py", "**/**/models/*.py", "**/models.py"}) ==
          Paths{"app/models.py", "app/models/user.py"});
}

TEST_CASE("links to folders are not followed by wildcards") {
    TreeSource tree({"app/models/user.py"}, {"app/loop"});
    CHECK(find_model_files(tree, {"**/*.py"}) == Paths{"app/models/user.py"});
}

TEST_CASE("what git ignores is skipped, folders asked with a trailing slash") {
    TreeSource tree({"app/models.py", "build/app/models.py", "app/generated/models.py",
                     "app/models/tmp_models.py", "app/models/user.py"});
    std::vector<std::string> asked;
    IgnoredPredicate ignored = [&](const std::string& path) {
        asked.push_back(path);
        return path == "build/" || path == "app/generated/" || path == "app/models/tmp_models.py";
    };
    CHECK(find_model_files(tree, default_globs, ignored) ==
          Paths{"app/models.py", "app/models/user.py"});
    CHECK(std::find(asked.begin(), asked.end(), "build/") != asked.end());
    CHECK(std::find(asked.begin(), asked.end(), "build/app/models.py") == asked.end());
}

TEST_CASE("many ** segments stay fast") {
    std::set<std::string> files;
    for (int i = 0; i < 30; ++i) {
        files.insert("a/b/c/d/e/f/g/h/m" + std::to_string(i) + ".py");
    }
    TreeSource tree(files);
    CHECK(find_model_files(tree, {"**/**/a/**/**/b/**/**/*.py"}).size() == 30);
}

TEST_CASE("may_match: a path matches as the walk finds it, folders skipped by name") {
    TreeSource tree({"models.py", "app/models.py", "app/models/user.py", "app/models/sub/job.py",
                     "app/models/README.md", "app/views.py", ".venv/lib/models.py",
                     "venv/models.py", "node_modules/x/models.py", "app/__pycache__/models.py",
                     "src/.hidden/models.py"});
    for (const Paths& globs : {default_globs, Paths{"app/*/*.py"}, Paths{".venv/lib/models.py"},
                               Paths{"**/*.md"}, Paths{"app/**"}}) {
        Paths found = find_model_files(tree, globs);
        for (const char* path :
             {"models.py", "app/models.py", "app/models/user.py", "app/models/sub/job.py",
              "app/models/README.md", "app/views.py", ".venv/lib/models.py", "venv/models.py",
              "node_modules/x/models.py", "app/__pycache__/models.py", "src/.hidden/models.py"}) {
            bool walked = std::find(found.begin(), found.end(), path) != found.end();
            CAPTURE(path);
            CAPTURE(globs.front());
            CHECK(may_match(globs, path) == walked);
        }
    }
}

#include "migcheck/config/project.hpp"
#include "migcheck/util/error.hpp"

#include <doctest/doctest.h>
#include <functional>
#include <map>

using namespace migcheck;
using namespace migcheck::config;

namespace {

// Files held in memory, so that configuration is tested without a disk.
class MemorySource : public FileSource {
  public:
    explicit MemorySource(std::map<std::string, std::string> files) : m_files(std::move(files)) {}
    std::optional<std::vector<DirEntry>> list(const std::string& dir) const override {
        std::vector<DirEntry> out;
        bool found = false;
        for (const auto& [path, _] : m_files) {
            if (path.rfind(dir + "/", 0) == 0) {
                found = true;
                std::string rest = path.substr(dir.size() + 1);
                if (rest.find('/') == std::string::npos) {
                    out.push_back(DirEntry{rest, EntryType::file, {}});
                }
            }
        }
        if (!found) {
            return std::nullopt;
        }
        return out;
    }
    std::optional<std::string> read(const std::string& path) const override {
        auto it = m_files.find(path);
        if (it == m_files.end()) {
            return std::nullopt;
        }
        return it->second;
    }
    std::string description() const override { return "memory"; }

  private:
    std::map<std::string, std::string> m_files;
};

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

TEST_CASE("defaults when there is no config/migcheck.yaml") {
    MemorySource files(std::map<std::string, std::string>{{"alembic.ini", "[alembic]\nscript_location = alembic\n"}});
    Project p = load_project(files, "/proj");
    CHECK(p.settings.path.empty());
    CHECK(p.settings.schema == "config/schema.yaml");
    CHECK(p.settings.models == std::vector<std::string>{"**/models.py", "**/models/**/*.py"});
    CHECK(p.settings.alembic_ini == "alembic.ini");
    CHECK(p.settings.severity("multiple-heads") == Severity::error);
    CHECK(p.settings.severity("symlink-not-followed") == Severity::warning);
    CHECK(p.alembic.present);
    CHECK(p.alembic.script_location == "alembic");
    CHECK(p.alembic.version_locations == std::vector<std::string>{"alembic/versions"});
}

TEST_CASE("version locations, separators and %(here)s") {
    struct Case {
        const char* ini;
        std::vector<std::string> locations;
    };
    Case cases[] = {
        {"[alembic]\nscript_location = db\nversion_locations = %(here)s/a %(here)s/b\n",
         {"a", "b"}},
        {"[alembic]\nscript_location = db\nversion_locations = a, b\n", {"a", "b"}},
        {"[alembic]\nscript_location = db\nversion_locations = %(here)s/a:%(here)s/b c\n"
         "version_path_separator = os  # Use os.pathsep. Default configuration used for new "
         "projects.\n",
         {"a", "b c"}},
        {"[alembic]\nscript_location = db\nversion_locations = a;b\nversion_path_separator = ;\n",
         {"a", "b"}},
        {"[alembic]\nscript_location = db\nversion_locations = a b\nversion_path_separator = "
         "space\n",
         {"a", "b"}},
        {"[alembic]\nscript_location = db\nversion_locations = /elsewhere/v\n", {"/elsewhere/v"}},
    };
    for (const auto& c : cases) {
        CAPTURE(c.ini);
        MemorySource files(std::map<std::string, std::string>{{"alembic.ini", c.ini}});
        CHECK(load_project(files, "/proj").alembic.version_locations == c.locations);
    }
    MemorySource nested(std::map<std::string, std::string>{{"config/migcheck.yaml", "alembic_ini: backend/alembic.ini\n"},
                         {"backend/alembic.ini",
                          "[alembic]\nscript_location = migrations\nrecursive_version_locations = "
                          "true\n"}});
    Project p = load_project(nested, "/proj");
    CHECK(p.alembic.script_location == "backend/migrations");
    CHECK(p.alembic.version_locations == std::vector<std::string>{"backend/migrations/versions"});
    CHECK(p.alembic.recursive);
}

TEST_CASE("configuration errors name file, line and what to do") {
    struct Case {
        std::map<std::string, std::string> files;
        const char* message;
    };
    std::vector<Case> cases = {
        {{{"alembic.ini", "[loggers]\nkeys = root\n"}}, "alembic.ini:1: no [alembic] section"},
        {{{"alembic.ini", "[alembic]\nsqlalchemy.url = x\n"}},
         "alembic.ini:1: no 'script_location' key in [alembic]"},
        {{{"alembic.ini", "[alembic]\nscript_location = db\nversion_locations = a\n"
                          "version_path_separator = comma\n"}},
         "alembic.ini:4: 'comma' is not a valid value for version_path_separator; expected "
         "'space', 'os', ':', ';' or 'newline'"},
        {{{"alembic.ini", "[alembic]\nscript_location = myapp:migrations\n"}},
         "alembic.ini:2: script_location 'myapp:migrations' names a package resource; migcheck "
         "reads folders only: give the folder's path"},
        {{{"config/migcheck.yaml", "schema: a.yaml\nmodles: [x]\n"}},
         "config/migcheck.yaml:2:1: unknown key 'modles' (did you mean 'models'?)"},
        {{{"config/migcheck.yaml", "rules:\n  multiple-head: warning\n"}},
         "config/migcheck.yaml:2:3: unknown rule 'multiple-head' (did you mean 'multiple-heads'?)"},
        {{{"config/migcheck.yaml", "rules:\n  multiple-heads: fatal\n"}},
         "config/migcheck.yaml:2:19: severity of 'multiple-heads' must be error, warning or off"},
        {{{"config/migcheck.yaml", "heads: two\n"}},
         "config/migcheck.yaml:1:8: 'heads' must be a whole number, 1 or more"},
        {{{"config/migcheck.yaml", "models: []\n"}},
         "config/migcheck.yaml:1:9: 'models' must be a non-empty list of globs"},
        {{{"config/migcheck.yaml", "schema: [a\n"}},
         "config/migcheck.yaml:2:1: end of sequence flow not found"},
        {{{"config/migcheck.yaml", "schema: a\nschema: b\n"}},
         "config/migcheck.yaml:2:1: 'schema' is set twice"},
        {{{"config/migcheck.yaml", "- a\n"}},
         "config/migcheck.yaml:1:1: expected a mapping of settings"},
    };
    for (auto& c : cases) {
        CAPTURE(c.message);
        MemorySource files(c.files);
        CHECK(usage_message([&] { load_project(files, "/proj"); }) == c.message);
    }
}

TEST_CASE("rule severities from config/migcheck.yaml") {
    Settings s = parse_settings("rules:\n  multiple-heads: warning\n  cycle: off\nheads: 2\n"
                                "render_as_batch: false\n",
                                "config/migcheck.yaml");
    CHECK(s.severity("multiple-heads") == Severity::warning);
    CHECK(s.severity("cycle") == Severity::off);
    CHECK(s.severity("missing-parent") == Severity::error);
    CHECK(s.heads == 2);
    CHECK(s.render_as_batch == false);
}

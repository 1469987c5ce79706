#include "migcheck/config/ini.hpp"
#include "migcheck/util/error.hpp"

#include <doctest/doctest.h>

using namespace migcheck;
using namespace migcheck::config;

TEST_CASE("alembic.ini is read as configparser reads it") {
    IniFile ini = IniFile::parse("# comment\n[alembic]\nscript_location = %(here)s/alembic\n"
                                 "Version_Path_Separator = os  # Use os.pathsep.\n"
                                 "version_locations = a\n  b\n\n  c\n"
                                 "sqlalchemy.url: sqlite:///x.db ; not a comment\n"
                                 "pct = 100%%\n[DEFAULT]\nshared = s\n",
                                 "alembic.ini");
    std::map<std::string, std::string> defaults = {{"here", "/p"}};
    CHECK(ini.get("alembic", "script_location", defaults) == "/p/alembic");
    CHECK(ini.raw("alembic", "version_path_separator") == "os  # Use os.pathsep.");
    CHECK(ini.get("alembic", "version_locations") == "a\nb\n\nc");
    CHECK(ini.get("alembic", "sqlalchemy.url") == "sqlite:///x.db ; not a comment");
    CHECK(ini.get("alembic", "pct") == "100%");
    CHECK(ini.get("alembic", "shared") == "s");
    CHECK_FALSE(ini.get("alembic", "missing").has_value());
    CHECK(ini.line_of("alembic", "script_location") == 3);
}

TEST_CASE("malformed alembic.ini files name the line") {
    struct Case {
        const char* text;
        const char* message;
    };
    Case cases[] = {
        {"script_location = x\n", "alembic.ini:1: a key before any [section] header: script_location = x"},
        {"[alembic]\nno separator here\n", "alembic.ini:2: expected 'key = value', found: no separator here"},
        {"[alembic]\na = 1\n[alembic]\n", "alembic.ini:3: section [alembic] appears twice"},
        {"[alembic]\na = 1\nA = 2\n", "alembic.ini:3: key 'a' appears twice in section [alembic] (first at line 2)"},
        {"[alembic\na = 1\n", "alembic.ini:1: section header is not closed: [alembic"},
        {"[alembic]\n= 1\n", "alembic.ini:2: empty key before '='"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.text);
        try {
            IniFile::parse(c.text, "alembic.ini");
            FAIL("no error");
        } catch (const Error& e) {
            CHECK(std::string(e.what()) == c.message);
            CHECK(e.code() == ExitCode::usage);
        }
    }
    IniFile ini = IniFile::parse("[alembic]\nurl = %(nothere)s\nbad = 5%\n", "alembic.ini");
    CHECK_THROWS_WITH(ini.get("alembic", "url"),
                      "alembic.ini:2: 'url' refers to %(nothere)s, which is not defined");
    CHECK_THROWS_WITH(ini.get("alembic", "bad"),
                      "alembic.ini:3: '%' in 'bad' must be followed by '%' or '(name)s' (write %% "
                      "for a percent sign)");
}

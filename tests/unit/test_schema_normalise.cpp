#include "migcheck/schema/identifier.hpp"
#include "migcheck/schema/normalise.hpp"

#include <doctest/doctest.h>

using namespace migcheck::schema;

TEST_CASE("server defaults: each spelling and its canonical form") {
    struct Case {
        std::optional<std::string> sql;
        TypeKind kind;
        std::optional<std::string> canonical;
    };
    using K = TypeKind;
    std::optional<std::string> none;
    Case cases[] = {
        // No default.
        {none, K::integer, none},
        {"", K::string, none},
        {"   ", K::string, none},
        {"NULL", K::integer, none},
        {"null", K::text, none},
        {"(NULL)", K::boolean, none},
        {"'NULL'", K::text, "'NULL'"},
        // Booleans, quoted or not, in any case, in parentheses.
        {"1", K::boolean, "TRUE"},
        {"'1'", K::boolean, "TRUE"},
        {"true", K::boolean, "TRUE"},
        {"'true'", K::boolean, "TRUE"},
        {"(true)", K::boolean, "TRUE"},
        {"TRUE", K::boolean, "TRUE"},
        {"'t'", K::boolean, "TRUE"},
        {"' yes '", K::boolean, "TRUE"},
        {"((1))", K::boolean, "TRUE"},
        {"0", K::boolean, "FALSE"},
        {"'0'", K::boolean, "FALSE"},
        {"false", K::boolean, "FALSE"},
        {"'f'", K::boolean, "FALSE"},
        {"(false)", K::boolean, "FALSE"},
        {"'off'", K::boolean, "FALSE"},
        {"'maybe'", K::boolean, "'maybe'"},
        // Numbers.
        {"0", K::integer, "0"},
        {"'0'", K::integer, "0"},
        {"(0)", K::integer, "0"},
        {"+0", K::integer, "0"},
        {"-0", K::integer, "0"},
        {"007", K::biginteger, "7"},
        {"1.0", K::smallinteger, "1"},
        {"-1", K::integer, "-1"},
        {"'-1'", K::integer, "-1"},
        {"(-1)", K::integer, "-1"},
        {"1.50", K::numeric, "1.5"},
        {"'12.00'", K::numeric, "12"},
        {".5", K::float_, "0.5"},
        {"1e3", K::float_, "1E3"},
        {"'abc'", K::integer, "'abc'"},
        // Strings: the literal is kept byte for byte.
        {"'en'", K::string, "'en'"},
        {"('en')", K::string, "'en'"},
        {"'EN'", K::string, "'EN'"},
        {"'a  b'", K::text, "'a  b'"},
        {"'it''s'", K::text, "'it''s'"},
        {"0", K::string, "'0'"},
        {"'0'", K::string, "'0'"},
        {"-1", K::enum_, "'-1'"},
        {"en", K::string, "EN"},
        {"'{}'", K::json, "'{}'"},
        // Expressions: keywords and functions in any case, spaces between words only.
        {"CURRENT_TIMESTAMP", K::datetime, "CURRENT_TIMESTAMP"},
        {"current_timestamp", K::datetime, "CURRENT_TIMESTAMP"},
        {"(CURRENT_TIMESTAMP)", K::datetime, "CURRENT_TIMESTAMP"},
        {" ( current_timestamp ) ", K::datetime, "CURRENT_TIMESTAMP"},
        {"now()", K::datetime, "NOW()"},
        {"NOW( )", K::datetime, "NOW()"},
        {"(datetime('now', 'localtime'))", K::datetime, "DATETIME('now','localtime')"},
        {"now() at  time zone 'UTC'", K::datetime, "NOW()AT TIME ZONE 'UTC'"},
        {"'a'  ||  'b'", K::text, "'a'||'b'"},
        {"E 'x'", K::text, "E 'x'"},
        {"e'x'", K::text, "E'x'"},
        {"(a) + (b)", K::integer, "(A)+(B)"},
        {"\"Weird Name\"", K::text, "\"Weird Name\""},
        {"'unterminated", K::text, "'unterminated"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.sql.value_or("<none>"));
        CAPTURE(std::string(type_kind_name(c.kind)));
        CHECK(normalise_server_default(c.sql, c.kind).value_or("<none>") ==
              c.canonical.value_or("<none>"));
    }
}

TEST_CASE("spellings the databases do not treat as one stay apart") {
    using K = TypeKind;
    auto same = [](const char* x, const char* y, K kind) {
        return normalise_server_default(std::string(x), kind) ==
               normalise_server_default(std::string(y), kind);
    };
    CHECK(!same("now()", "CURRENT_TIMESTAMP", K::datetime));
    CHECK(!same("'en'", "en", K::string));
    CHECK(!same("'en'", "'EN'", K::string));
    CHECK(!same("'x'::text", "'x'", K::text));
    CHECK(!same("1", "2", K::integer));
    CHECK(!same("true", "false", K::boolean));
    CHECK(!same("1.5", "'1.50'", K::string));
}

TEST_CASE("foreign key actions") {
    CHECK(normalise_action("cascade") == "CASCADE");
    CHECK(normalise_action(" set  null ") == "SET NULL");
    CHECK(normalise_action("NO ACTION") == "");
    CHECK(normalise_action("no action") == "");
    CHECK(normalise_action("") == "");
    CHECK(normalise_action("RESTRICT") == "RESTRICT");
}

TEST_CASE("string literals") {
    CHECK(is_string_literal("'a'"));
    CHECK(is_string_literal(" 'it''s' "));
    CHECK(is_string_literal("''"));
    CHECK(!is_string_literal("'a' || 'b'"));
    CHECK(!is_string_literal("a"));
    CHECK(!is_string_literal("'"));
    CHECK(!is_string_literal("'open"));
}

TEST_CASE("identifiers") {
    CHECK(identifier_problem("users").empty());
    CHECK(identifier_problem("_private2").empty());
    CHECK(identifier_problem("MixedCase").empty());
    CHECK(identifier_problem("user").empty());  // reserved, but SQLAlchemy quotes it
    CHECK(identifier_problem(std::string(63, 'x')).empty());
    CHECK(identifier_problem(std::string(64, 'x')) ==
          "is 64 characters long, more than the 63 PostgreSQL keeps: shorten it");
    CHECK(identifier_problem("") ==
          "is empty: use letters, digits and underscores, starting with a letter or underscore");
    CHECK(identifier_problem("9lives") == "starts with a digit: use letters, digits and "
                                          "underscores, starting with a letter or underscore");
    CHECK(identifier_problem("a.b") == "contains '.': use letters, digits and underscores, "
                                       "starting with a letter or underscore");
    CHECK(identifier_problem("a b") == "contains a space: use letters, digits and underscores, "
                                       "starting with a letter or underscore");
    CHECK(identifier_problem("café") == "contains 'é': use letters, digits and underscores, "
                                        "starting with a letter or underscore");
}

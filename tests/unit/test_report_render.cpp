#include "migcheck/report/render.hpp"

#include <doctest/doctest.h>
#include <sstream>

using namespace migcheck;

namespace {
std::vector<Finding> sample() {
    return {Finding{Severity::error, "multiple-heads", "alembic/versions/b,1.py", 12, 1,
                    "two heads: 50%\nmerge them"},
            Finding{Severity::warning, "symlink-not-followed", "alembic/versions/link", 0, 0,
                    "not followed"}};
}
}  // namespace

TEST_CASE("text findings") {
    std::ostringstream out;
    render_text(out, sample(), false);
    CHECK(out.str() ==
          "alembic/versions/b,1.py:12:1: error: two heads: 50%\nmerge them [multiple-heads]\n"
          "alembic/versions/link: warning: not followed [symlink-not-followed]\n");
    CHECK(summary(sample()) == "1 error, 1 warning");
    CHECK(summary({}) == "no problems");
}

TEST_CASE("GitHub workflow commands escape data and properties") {
    std::ostringstream out;
    render_github(out, sample());
    CHECK(out.str() == "::error file=alembic/versions/b%2C1.py,line=12,col=1,title=multiple-heads::"
                       "two heads: 50%25%0Amerge them\n"
                       "::warning file=alembic/versions/link,title=symlink-not-followed::not "
                       "followed\n");
}

TEST_CASE("JSON findings") {
    auto j = findings_json(sample());
    CHECK(j.size() == 2);
    CHECK(j[0]["code"] == "multiple-heads");
    CHECK(j[0]["line"] == 12);
    CHECK(j[1]["severity"] == "warning");
}

TEST_CASE("formats") {
    CHECK(parse_format("github", true) == Format::github);
    CHECK_THROWS_WITH(parse_format("github", false), "--format must be text or json, not 'github'");
    CHECK_THROWS_WITH(parse_format("xml", true),
                      "--format must be text, json or github, not 'xml'");
}

// generate's revision files: ids, slugs, file names, Python literals and
// types, and script.py.mako.
#include "migcheck/generate/python.hpp"
#include "migcheck/generate/revision_file.hpp"
#include "migcheck/util/error.hpp"

#include <doctest/doctest.h>

namespace generate = migcheck::generate;
namespace schema = migcheck::schema;

TEST_CASE("revision ids are 12 hex characters, different each time") {
    std::string a = generate::new_revision_id();
    CHECK(a.size() == 12);
    CHECK(a.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(a != generate::new_revision_id());
}

TEST_CASE("slugs as Alembic makes them (checked against Alembic 1.8's _rev_path)") {
    CHECK(generate::slug("Add user preferences table") == "add_user_preferences_table");
    CHECK(generate::slug("Create the users table, at last!", 12) == "create_the_");
    CHECK(generate::slug("a-b  c__d") == "a_b_c__d");
    CHECK(generate::slug("") == "");
    CHECK(generate::slug("Supercalifragilistic", 10) == "supercalif_");
    CHECK(generate::slug("Widen language pair model names and add model version") ==
          "widen_language_pair_model_names_and_add_");
    CHECK(generate::slug("h\xc3\xa9llo w\xc3\xb6rld") == "h\xc3\xa9llo_w\xc3\xb6rld");
    CHECK(generate::slug("xxxxx " + std::string(50, 'y')) == "xxxxx_");
    // Python's \w and str.lower() beyond ASCII.
    CHECK(generate::slug("caf\xc3\xa9 \xe2\x80\x94 \xc3\x89T\xc3\x89 \xce\x91\xce\x92 "
                         "\xd0\x96\xd0\x96 \xc2\xbd \xc3\x97 \xf0\x9f\x8e\x89 ok") ==
          "caf\xc3\xa9_\xc3\xa9t\xc3\xa9_\xce\xb1\xce\xb2_\xd0\xb6\xd0\xb6_\xc2\xbd_ok");
    // The cut counts characters, not bytes.
    CHECK(generate::slug("\xc3\xa9\xc3\xa9\xc3\xa9 \xc3\xa9", 4) == "\xc3\xa9\xc3\xa9\xc3\xa9_");
}

TEST_CASE("file names from file_template: Python's %-formatting of Alembic's tokens") {
    generate::CreateDate d;
    d.year = 2024;
    d.month = 3;
    d.day = 5;
    d.hour = 9;
    d.minute = 7;
    d.second = 1;
    d.epoch = 17;
    auto name = [&](const std::string& tpl) {
        return generate::file_name(tpl, "abcdef", "ab", d, "alembic.ini");
    };
    CHECK(name("%%(rev)s_%%(slug)s") == "abcdef_ab.py");
    CHECK(name("%%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d-%%(rev)s_%%(slug)s") ==
          "2024_03_05_0907-abcdef_ab.py");
    // The same formats as Python writes them: '%(month).2d|%(minute)02d|...' % {...}
    CHECK(name("%%(month).2d|%%(year)d|%%(minute)02d|%%(rev)s|%%(slug)-6s|%%(epoch)d|%%(day)+d|"
               "%%(rev).4s") == "03|2024|07|abcdef|ab    |17|+5|abcd.py");
    CHECK(name("%%(second)s%%%%") == "1%.py");
    CHECK_THROWS_WITH_AS(name("%%(nope)s"),
                         "alembic.ini: file_template '%%(nope)s': unknown token 'nope'; the tokens "
                         "are rev, slug, epoch, year, month, day, hour, minute and second",
                         migcheck::Error);
    CHECK_THROWS_AS(name("%%(slug)d"), migcheck::Error);
}

TEST_CASE("create dates print as Python's str(datetime)") {
    generate::CreateDate d;
    d.year = 2014;
    d.month = 11;
    d.day = 20;
    d.hour = 13;
    d.minute = 31;
    d.second = 50;
    d.microsecond = 811663;
    CHECK(generate::to_string(d) == "2014-11-20 13:31:50.811663");
    d.microsecond = 0;
    CHECK(generate::to_string(d) == "2014-11-20 13:31:50");
    d.microsecond = 5;
    CHECK(generate::to_string(d) == "2014-11-20 13:31:50.000005");
}

TEST_CASE("string literals as Python's repr() writes them") {
    CHECK(generate::python_repr("users") == "'users'");
    CHECK(generate::python_repr("'en'") == "\"'en'\"");
    CHECK(generate::python_repr("it's \"x\"") == "'it\\'s \"x\"'");
    CHECK(generate::python_repr("a\\b\nc\td\x01") == "'a\\\\b\\nc\\td\\x01'");
}

TEST_CASE("types as Alembic renders them") {
    schema::Type t;
    t.kind = schema::TypeKind::string;
    CHECK(generate::python_type(t, generate::Dialect::generic) == "sa.String()");
    t.length = 20;
    CHECK(generate::python_type(t, generate::Dialect::generic) == "sa.String(length=20)");
    t.kind = schema::TypeKind::numeric;
    t.precision = 12;
    t.scale = 2;
    CHECK(generate::python_type(t, generate::Dialect::generic) ==
          "sa.Numeric(precision=12, scale=2)");
    t.kind = schema::TypeKind::enum_;
    t.enum_values = {"a", "b"};
    t.enum_name = "status";
    CHECK(generate::python_type(t, generate::Dialect::generic) == "sa.Enum('a', 'b', name='status')");
    t.kind = schema::TypeKind::datetime;
    t.timezone = true;
    CHECK(generate::python_type(t, generate::Dialect::generic) == "sa.DateTime(timezone=True)");
    t.kind = schema::TypeKind::uuid;
    CHECK(generate::python_type(t, generate::Dialect::generic) == "sa.Uuid()");
    CHECK(generate::python_type(t, generate::Dialect::postgresql) == "postgresql.UUID()");
}

TEST_CASE("Alembic's default template, filled") {
    generate::RevisionText t;
    t.message = "merge heads";
    t.revision = "ccc";
    t.down_revisions = {"aaa", "bbb"};
    t.create_date = "2024-01-02 03:04:05";
    t.upgrades = {"# a", "with x:", "    y()", "", "# b"};
    std::string why;
    auto text = generate::fill_template(generate::default_template(), t, why);
    REQUIRE(text);
    CHECK(*text == "\"\"\"merge heads\n\nRevision ID: ccc\nRevises: aaa, bbb\n"
                   "Create Date: 2024-01-02 03:04:05\n\n\"\"\"\nfrom alembic import op\n"
                   "import sqlalchemy as sa\n\n\n# revision identifiers, used by Alembic.\n"
                   "revision = 'ccc'\ndown_revision = ('aaa', 'bbb')\nbranch_labels = None\n"
                   "depends_on = None\n\n\ndef upgrade() -> None:\n    # a\n    with x:\n"
                   "        y()\n\n    # b\n\n\ndef downgrade() -> None:\n    pass\n");
}

TEST_CASE("templates with more than the standard substitutions are refused") {
    generate::RevisionText t;
    std::string why;
    CHECK(!generate::fill_template("${message}\n% if x:\n", t, why));
    CHECK(why == "line 2 holds a Mako control line or tag");
    CHECK(!generate::fill_template("${message}\n${other}\n", t, why));
    CHECK(why == "line 2: ${other} is not one of Alembic's standard substitutions");
    CHECK(!generate::fill_template("<%inherit file='x'/>\n", t, why));
    auto ok = generate::fill_template("## dropped\n${ message }|${repr(down_revision)}\n", t, why);
    REQUIRE(ok);
    CHECK(*ok == "|None\n");
}

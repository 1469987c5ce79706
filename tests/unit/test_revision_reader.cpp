#include "migcheck/revision/revision.hpp"

#include <doctest/doctest.h>
#include <string>

using namespace migcheck;
using namespace migcheck::revision;

namespace {

Revision read_ok(std::string_view src) {
    ReadResult r = read_revision(src, "v/x.py");
    if (!r.findings.empty()) {
        FAIL("unexpected finding: " << r.findings[0].code << ": " << r.findings[0].message);
    }
    REQUIRE(r.revision.has_value());
    return *r.revision;
}

Finding read_fails(std::string_view src) {
    ReadResult r = read_revision(src, "v/x.py");
    CHECK_FALSE(r.revision.has_value());
    REQUIRE(r.findings.size() == 1);
    return r.findings[0];
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("the classic template") {
    Revision r = read_ok(R"("""add users table

Revision ID: ae1027a6acf
Revises: 1975ea83b712
Create Date: 2014-11-20 13:31:50.811663

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'ae1027a6acf'
down_revision = '1975ea83b712'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('users', sa.Column('id', sa.Integer, primary_key=True))
)");
    CHECK(r.id == "ae1027a6acf");
    CHECK(r.down_revisions == V{"1975ea83b712"});
    CHECK(r.branch_labels.empty());
    CHECK(r.depends_on.empty());
    CHECK(r.message == "add users table");
    CHECK(r.create_date == "2014-11-20 13:31:50.811663");
    CHECK(r.line == 12);
    CHECK(r.down_line == 13);
}

TEST_CASE("the annotated template") {
    Revision r = read_ok(R"("""merge

Revision ID: 53fffde5ad5
"""
from typing import Sequence, Union

revision: str = "53fffde5ad5"
down_revision: Union[str, Sequence[str], None] = ("ae1027a6acf", "27c6a30d7c24")
branch_labels: Union[str, Sequence[str], None] = ("shoppingcart",)
depends_on: str | None = "55af2cb1c267"


def upgrade() -> None:
    """Upgrade schema."""
    pass
)");
    CHECK(r.id == "53fffde5ad5");
    CHECK(r.down_revisions == V{"ae1027a6acf", "27c6a30d7c24"});
    CHECK(r.branch_labels == V{"shoppingcart"});
    CHECK(r.depends_on == V{"55af2cb1c267"});
    CHECK(r.message == "merge");
}

TEST_CASE("values Alembic reads as none, and the forms of a tuple") {
    Revision r = read_ok("revision = 'a'\ndown_revision = ''\nbranch_labels = ()\ndepends_on = \"\"\n");
    CHECK(r.down_revisions.empty());
    CHECK(r.branch_labels.empty());
    CHECK(r.depends_on.empty());
    r = read_ok("revision = 'b'\ndown_revision = [\n  'x',  # first\n  'y'\n]\n");
    CHECK(r.down_revisions == V{"x", "y"});
    r = read_ok("revision = 'c' \\\n    'd'\ndown_revision = None\n");
    CHECK(r.id == "cd");
    r = read_ok("revision = r'''e'''\ndown_revision = u'a'\n");
    CHECK(r.id == "e");
}

TEST_CASE("the message is the docstring's first paragraph, only when it comes first") {
    CHECK(read_ok("'''  one\nline two\n\npara two'''\nrevision='a'\ndown_revision=None\n").message ==
          "one\nline two");
    CHECK(read_ok("import os\n'''late'''\nrevision='a'\ndown_revision=None\n").message.empty());
    CHECK(read_ok("revision='a'\ndown_revision=None\n").message.empty());
    CHECK(read_ok("\"\"\"a\\tb\"\"\"\nrevision='a'\ndown_revision=None\n").message == "a\tb");
}

TEST_CASE("the last module-level assignment wins; function locals do not count") {
    Revision r = read_ok("revision = 'a'\ndown_revision = None\nrevision = 'b'\n"
                         "def f():\n    revision = 'z'\nclass C:\n    down_revision = 'q'\n");
    CHECK(r.id == "b");
    CHECK(r.line == 3);
    CHECK(r.down_revisions.empty());
}

TEST_CASE("the data-only marker") {
    CHECK(read_ok("# migcheck: data-only\nrevision='a'\ndown_revision=None\n").data_only);
    CHECK_FALSE(read_ok("revision='a'\ndown_revision=None\n").data_only);
}

TEST_CASE("bad revision files give one finding each, with file and line") {
    Finding f = read_fails("");
    CHECK(f.code == "missing-revision-id");
    CHECK(f.message == "empty file: a revision file must assign `revision` and `down_revision`");

    f = read_fails("revision = 'a'\ndown_revision = (\n");
    CHECK(f.code == "syntax-error");
    CHECK(f.line == 2);
    CHECK(f.message == "invalid Python: '(' was never closed");

    f = read_fails("down_revision = None\n");
    CHECK(f.code == "missing-revision-id");
    CHECK(f.message == "no module-level `revision = ...` assignment: this is not a revision file");

    f = read_fails("revision = 'a'\n");
    CHECK(f.code == "missing-down-revision");
    CHECK(f.message == "no module-level `down_revision = ...` assignment: use `down_revision = "
                       "None` for a first revision");

    f = read_fails("revision = 123\ndown_revision = None\n");
    CHECK(f.code == "invalid-revision-id");
    CHECK(f.line == 1);
    CHECK(f.message == "`revision` must be a string, not the number 123");

    f = read_fails("revision = None\ndown_revision = None\n");
    CHECK(f.code == "invalid-revision-id");
    CHECK(f.message == "`revision` must be a string, not None");

    f = read_fails("revision = 'a-b'\ndown_revision = None\n");
    CHECK(f.code == "invalid-revision-id");
    CHECK(f.message == "revision id 'a-b' holds '-', which Alembic does not allow in an id ('@', "
                       "'-' and '+' mark branches and relative steps)");

    f = read_fails("from x import PARENT\nrevision = 'a'\ndown_revision = PARENT\n");
    CHECK(f.code == "non-literal-header");
    CHECK(f.line == 3);
    CHECK(f.message == "`down_revision` is not a literal: it is the name 'PARENT', defined "
                       "elsewhere; migcheck reads header values without running the file");

    f = read_fails("revision = 'a'\ntry:\n    down_revision = 'b'\nexcept ImportError:\n"
                   "    down_revision = None\n");
    CHECK(f.code == "non-literal-header");
    CHECK(f.line == 5);
    CHECK(f.message == "`down_revision` is assigned inside an `except` block, so its value is "
                       "decided at run time; assign it once, at module level, as a literal");

    f = read_fails("revision = f'{x}'\ndown_revision = None\n");
    CHECK(f.message == "`revision` is not a literal: it is an f-string; migcheck reads header "
                       "values without running the file");

    f = read_fails("revision = 'a'\ndown_revision = 'a'\n");
    CHECK(f.code == "cycle");
    CHECK(f.message == "revision a names itself as its down_revision");

    f = read_fails("revision = 'a'\ndown_revision = make_parent()\n");
    CHECK(f.message == "`down_revision` is not a literal: it is computed by a call to "
                       "'make_parent'; migcheck reads header values without running the file");
}

TEST_CASE("which names are revision files") {
    CHECK(is_revision_file_name("ae10_add.py"));
    CHECK_FALSE(is_revision_file_name("__init__.py"));
    CHECK_FALSE(is_revision_file_name("__init__x.py"));
    CHECK_FALSE(is_revision_file_name(".#ae10_add.py"));
    CHECK_FALSE(is_revision_file_name("ae10.pyc"));
    CHECK_FALSE(is_revision_file_name("notes.txt"));
}

TEST_CASE("the message is stripped as Python's str.strip() strips") {
    CHECK(read_ok("\"\"\"\xC2\xA0 add users\xE3\x80\x80\n\"\"\"\nrevision='a'\ndown_revision=None\n")
              .message == "add users");
    CHECK(read_ok("\"\"\"add users\r\n\r\nRevision ID: a\r\n\"\"\"\r\nrevision='a'\r\n"
                  "down_revision=None\r\n")
              .message == "add users");
}

TEST_CASE("named escapes are kept as written, and never guessed in a header") {
    CHECK(read_ok("\"\"\"add users \\N{EM DASH} audited\"\"\"\nrevision='a'\ndown_revision=None\n")
              .message == "add users \\N{EM DASH} audited");
    Finding f = read_fails("revision = 'a'\ndown_revision = None\nbranch_labels = 'caf\\N{LATIN "
                           "SMALL LETTER E WITH ACUTE}'\n");
    CHECK(f.code == "non-literal-header");
    CHECK(f.message == "`branch_labels` is not a literal: it uses a \\N{...} escape; migcheck reads "
                       "header values without running the file");
}

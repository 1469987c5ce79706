"""manage_migrations apply, downgrade, stamp, current and pending, run on real
projects and real SQLite files."""

import os
import sqlite3
import sys

from harness import expect, main

MM = "manage_migrations"

CREATE_USERS = """\
op.create_table(
    "users",
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("email", sa.String(255), nullable=False),
)"""
ADD_NAME = 'op.add_column("users", sa.Column("name", sa.String(100), nullable=True))'
CREATE_POSTS = ('op.create_table("posts", sa.Column("id", sa.Integer(), primary_key=True), '
                'sa.Column("title", sa.String(200), nullable=False))')

RUN_A = "Running upgrade  -> aaaa1111, create users\n"
RUN_B = "Running upgrade aaaa1111 -> bbbb2222, add users.name\n"
RUN_C = "Running upgrade bbbb2222 -> cccc3333, add posts\n"

SCHEMA = """\
version: 1
tables:
  users:
    columns:
      id:    {type: integer, primary_key: true}
      email: {type: string, length: 255, nullable: false}
      name:  {type: string, length: 100}
"""

NO_STAMP = ("restore its file, or set the database's revision with `manage_migrations stamp "
            "--purge REVISION`\n")


def revision(p, rev, down, message, upgrade="pass", downgrade="pass", labels=None):
    """A revision file whose upgrade() and downgrade() hold the given lines.
    The first line of upgrade() is line 15."""
    def body(code):
        return "".join("    " + line + "\n" for line in code.splitlines())
    down_text = repr(tuple(down)) if isinstance(down, list) else repr(down)
    slug = "_".join(message.replace(".", " ").split())
    p.write(f"alembic/versions/{rev}_{slug}.py",
            f'"""{message}\n\nRevision ID: {rev}\n"""\nfrom alembic import op\n'
            f"import sqlalchemy as sa\n\nrevision = {rev!r}\ndown_revision = {down_text}\n"
            f"branch_labels = {labels!r}\ndepends_on = None\n\n\ndef upgrade():\n"
            f"{body(upgrade)}\n\ndef downgrade():\n{body(downgrade)}")


def project(p, url="sqlite:///app.db", revisions=2):
    """users (aaaa1111), users.name (bbbb2222) and, with revisions=3, posts
    (cccc3333); sqlalchemy.url is on line 3 of alembic.ini."""
    p.write("alembic.ini", "[alembic]\nscript_location = alembic\n" +
            (f"sqlalchemy.url = {url}\n" if url else ""))
    p.write("config/schema.yaml", SCHEMA)
    revision(p, "aaaa1111", None, "create users", CREATE_USERS, 'op.drop_table("users")')
    if revisions >= 2:
        revision(p, "bbbb2222", "aaaa1111", "add users.name", ADD_NAME,
                 'op.drop_column("users", "name")')
    if revisions >= 3:
        revision(p, "cccc3333", "bbbb2222", "add posts", CREATE_POSTS, 'op.drop_table("posts")')


def state(path):
    """The tables (with their columns) and the version rows of a SQLite file,
    read without creating it."""
    assert os.path.exists(path), f"{path} does not exist"
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [n for (n,) in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        tables = {n: [r[1] for r in con.execute(f'PRAGMA table_info("{n}")')] for n in names}
        rows = sorted(v for (v,) in con.execute("SELECT version_num FROM alembic_version")) \
            if "alembic_version" in tables else []
    finally:
        con.close()
    tables.pop("alembic_version", None)
    return tables, rows


USERS = ["id", "email", "name"]


def apply_runs_every_revision(p):
    project(p)
    expect(p.run(MM, "apply"), 0,
           RUN_A + RUN_B + "apply: 2 revisions applied; sqlite:///app.db is at bbbb2222 (head)\n",
           "")
    assert state(p.path("app.db")) == ({"users": USERS}, ["bbbb2222"]), state(p.path("app.db"))
    expect(p.run(MM, "apply"), 0,
           "apply: nothing to run; sqlite:///app.db is at bbbb2222 (head)\n", "")


def current_at_head_and_below(p):
    project(p)
    expect(p.run(MM, "apply", "aaaa1111"), 0,
           RUN_A + "apply: 1 revision applied; sqlite:///app.db is at aaaa1111\n", "")
    expect(p.run(MM, "current"), 0, "aaaa1111\n", "")
    expect(p.run(MM, "apply"), 0,
           RUN_B + "apply: 1 revision applied; sqlite:///app.db is at bbbb2222 (head)\n", "")
    expect(p.run(MM, "current"), 0, "bbbb2222 (head)\n", "")


def current_on_a_labelled_branching_history(p):
    # `alembic current` (1.8.1, and later releases alike) prints
    # cmd_format(verbose=False): no branch labels, but (branchpoint) and
    # (mergepoint). Where Alembic's order is arbitrary, rows are sorted by id.
    p.write("alembic.ini",
            "[alembic]\nscript_location = alembic\nsqlalchemy.url = sqlite:///app.db\n")
    revision(p, "aaaa1111", None, "first", labels=("core",))
    revision(p, "bbbb2222", "aaaa1111", "left")
    revision(p, "cccc3333", "aaaa1111", "right")
    revision(p, "dddd4444", ["bbbb2222", "cccc3333"], "merge")
    expect(p.run(MM, "stamp", "aaaa1111"), 0,
           "stamp: sqlite:///app.db is at aaaa1111 (branchpoint) (no revision was run)\n", "")
    expect(p.run(MM, "current"), 0, "aaaa1111 (branchpoint)\n", "")
    expect(p.run(MM, "stamp", "bbbb2222"), 0,
           "stamp: sqlite:///app.db is at bbbb2222 (no revision was run)\n", "")
    expect(p.run(MM, "current"), 0, "bbbb2222\n", "")
    expect(p.run(MM, "apply", "cccc3333"), 0,
           "Running upgrade aaaa1111 -> cccc3333, right\n"
           "apply: 1 revision applied; sqlite:///app.db is at bbbb2222, cccc3333\n", "")
    expect(p.run(MM, "current"), 0, "bbbb2222\ncccc3333\n", "")
    expect(p.run(MM, "apply"), 0,
           "Running upgrade bbbb2222, cccc3333 -> dddd4444, merge\n"
           "apply: 1 revision applied; sqlite:///app.db is at dddd4444 (head) (mergepoint)\n", "")
    expect(p.run(MM, "current"), 0, "dddd4444 (head) (mergepoint)\n", "")


def apply_through_a_merge_keeps_one_row(p):
    p.write("alembic.ini",
            "[alembic]\nscript_location = alembic\nsqlalchemy.url = sqlite:///app.db\n")
    revision(p, "aaaa1111", None, "first")
    revision(p, "bbbb2222", "aaaa1111", "left",
             'op.create_table("l", sa.Column("id", sa.Integer(), primary_key=True))',
             'op.drop_table("l")')
    revision(p, "cccc3333", "aaaa1111", "right",
             'op.create_table("r", sa.Column("id", sa.Integer(), primary_key=True))',
             'op.drop_table("r")')
    revision(p, "dddd4444", ["bbbb2222", "cccc3333"], "merge")
    rc, out, err = p.run(MM, "apply")
    expect((rc, out, err), 0, None, "")
    lines = out.splitlines()
    assert lines[0] == "Running upgrade  -> aaaa1111, first", out
    assert sorted(lines[1:3]) == ["Running upgrade aaaa1111 -> bbbb2222, left",
                                  "Running upgrade aaaa1111 -> cccc3333, right"], out
    assert lines[3] == "Running upgrade bbbb2222, cccc3333 -> dddd4444, merge", out
    assert lines[4].startswith("apply: 4 revisions applied; sqlite:///app.db is at dddd4444 "
                               "(head)"), out
    assert state(p.path("app.db")) == ({"l": ["id"], "r": ["id"]}, ["dddd4444"])
    rc, out, err = p.run(MM, "downgrade", "aaaa1111")
    expect((rc, out.splitlines()[0], err), 0,
           "Running downgrade dddd4444 -> bbbb2222, cccc3333, merge", "")
    assert out.splitlines()[-1] == ("downgrade: 3 revisions downgraded; sqlite:///app.db is at "
                                    "aaaa1111 (branchpoint)"), out
    assert state(p.path("app.db")) == ({}, ["aaaa1111"])


def pending_in_order(p):
    project(p, revisions=3)
    pending_all = ("<base> -> aaaa1111, create users\n"
                   "aaaa1111 -> bbbb2222, add users.name\n"
                   "bbbb2222 -> cccc3333 (head), add posts\n")
    expect(p.run(MM, "pending"), 0, pending_all, "")
    expect(p.run(MM, "apply", "aaaa"), 0,
           RUN_A + "apply: 1 revision applied; sqlite:///app.db is at aaaa1111\n", "")
    expect(p.run(MM, "pending"), 0, pending_all.split("\n", 1)[1], "")
    expect(p.run(MM, "apply"), 0,
           RUN_B + RUN_C + "apply: 2 revisions applied; sqlite:///app.db is at cccc3333 (head)\n",
           "")
    expect(p.run(MM, "pending"), 0, "", "")


def apply_to_a_target(p):
    project(p, revisions=3)
    expect(p.run(MM, "apply", "+1"), 0,
           RUN_A + "apply: 1 revision applied; sqlite:///app.db is at aaaa1111\n", "")
    expect(p.run(MM, "apply", "bbbb"), 0,
           RUN_B + "apply: 1 revision applied; sqlite:///app.db is at bbbb2222\n", "")
    expect(p.run(MM, "apply", "aaaa1111"), 0,
           "apply: nothing to run; sqlite:///app.db is at bbbb2222\n", "")
    expect(p.run(MM, "apply", "+2"), 2, "",
           "manage_migrations: error: target '+2': Relative revision +2 didn't produce 2 "
           "migrations\n")
    expect(p.run(MM, "apply", "zz"), 2, "",
           "manage_migrations: error: target 'zz': No such revision or branch 'zz'; please "
           "ensure at least four characters are present for partial revision identifier "
           "matches\n")
    expect(p.run(MM, "apply", "ffff9999"), 2, "",
           "manage_migrations: error: target 'ffff9999': No such revision or branch "
           "'ffff9999'\n")
    expect(p.run(MM, "apply", "-1"), 2, "",
           "manage_migrations: error: target '-1': relative target -1 goes down; use "
           "downgrade\n")
    expect(p.run(MM, "current"), 0, "bbbb2222\n", "")
    expect(p.run(MM, "apply", "cccc3333"), 0,
           RUN_C + "apply: 1 revision applied; sqlite:///app.db is at cccc3333 (head)\n", "")


def apply_head_with_two_heads(p):
    project(p)
    revision(p, "cccc3333", "aaaa1111", "add posts", CREATE_POSTS, 'op.drop_table("posts")')
    expect(p.run(MM, "apply", "head"), 2, "",
           "manage_migrations: error: target 'head': Multiple head revisions are present for "
           "given argument 'head'; please specify a specific target revision, "
           "'<branchname>@head' to narrow to a specific head, or 'heads' for all heads "
           "(bbbb2222, cccc3333)\n")
    assert not os.path.exists(p.path("app.db")) or state(p.path("app.db"))[1] == []
    expect(p.run(MM, "apply", "heads"), 0,
           RUN_A + RUN_B + "Running upgrade aaaa1111 -> cccc3333, add posts\n"
           "apply: 3 revisions applied; sqlite:///app.db is at bbbb2222 (head), cccc3333 (head)\n",
           "")
    expect(p.run(MM, "current"), 0, "bbbb2222 (head)\ncccc3333 (head)\n", "")
    assert state(p.path("app.db")) == ({"posts": ["id", "title"], "users": USERS},
                                       ["bbbb2222", "cccc3333"])


def downgrade_relative_and_base(p):
    project(p)
    expect(p.run(MM, "apply"), 0)
    expect(p.run(MM, "downgrade", "-1"), 0,
           "Running downgrade bbbb2222 -> aaaa1111, add users.name\n"
           "downgrade: 1 revision downgraded; sqlite:///app.db is at aaaa1111\n", "")
    assert state(p.path("app.db")) == ({"users": ["id", "email"]}, ["aaaa1111"])
    expect(p.run(MM, "downgrade", "base"), 0,
           "Running downgrade aaaa1111 -> , create users\n"
           "downgrade: 1 revision downgraded; sqlite:///app.db is at base (no revision applied)\n",
           "")
    assert state(p.path("app.db")) == ({}, [])
    expect(p.run(MM, "downgrade", "base"), 0,
           "downgrade: nothing to run; sqlite:///app.db is at base (no revision applied)\n", "")
    expect(p.run(MM, "current"), 0, "", "")


def downgrade_to_a_target_above_the_database(p):
    project(p)
    expect(p.run(MM, "apply", "aaaa1111"), 0)
    expect(p.run(MM, "downgrade", "bbbb2222"), 2, "",
           "manage_migrations: error: target 'bbbb2222': Destination bbbb2222 is not a valid "
           "downgrade target from current head(s)\n")
    expect(p.run(MM, "downgrade", "-2"), 2, "",
           "manage_migrations: error: target '-2': Relative revision -2 didn't produce 2 "
           "migrations\n")
    expect(p.run(MM, "downgrade"), 2, "",
           "manage_migrations: error: target is required\n"
           "Run 'manage_migrations --help' for usage.\n")
    assert state(p.path("app.db")) == ({"users": ["id", "email"]}, ["aaaa1111"])


def stamp_and_purge(p):
    project(p)
    revision(p, "cccc3333", "aaaa1111", "add posts", CREATE_POSTS, 'op.drop_table("posts")')
    expect(p.run(MM, "stamp", "bbbb2222"), 0,
           "stamp: sqlite:///app.db is at bbbb2222 (head) (no revision was run)\n", "")
    assert state(p.path("app.db")) == ({}, ["bbbb2222"])
    # A revision on another branch is added beside the row, as Alembic does.
    expect(p.run(MM, "stamp", "cccc3333"), 0,
           "stamp: sqlite:///app.db is at bbbb2222 (head), cccc3333 (head) (no revision was "
           "run)\n", "")
    expect(p.run(MM, "stamp", "aaaa1111"), 0,
           "stamp: sqlite:///app.db is at aaaa1111 (branchpoint) (no revision was run)\n", "")
    assert state(p.path("app.db")) == ({}, ["aaaa1111"])
    expect(p.run(MM, "stamp", "cccc3333"), 0)
    expect(p.run(MM, "stamp", "--purge", "bbbb2222"), 0,
           "stamp: sqlite:///app.db is at bbbb2222 (head) (no revision was run)\n", "")
    assert state(p.path("app.db")) == ({}, ["bbbb2222"])
    expect(p.run(MM, "stamp", "base"), 0,
           "stamp: sqlite:///app.db is at base (no revision applied) (no revision was run)\n", "")
    assert state(p.path("app.db")) == ({}, [])
    expect(p.run(MM, "stamp", "zzzz"), 2, "",
           "manage_migrations: error: target 'zzzz': No such revision or branch 'zzzz'\n")


SQL_TWO = """\
CREATE TABLE alembic_version (
\tversion_num VARCHAR(32) NOT NULL, 
\tCONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- Running upgrade  -> aaaa1111, create users

BEGIN;

CREATE TABLE users (
\tid INTEGER NOT NULL, 
\temail VARCHAR(255) NOT NULL, 
\tPRIMARY KEY (id)
);

INSERT INTO alembic_version (version_num) VALUES ('aaaa1111');

COMMIT;

"""
SQL_B = """\
-- Running upgrade aaaa1111 -> bbbb2222, add users.name

BEGIN;

ALTER TABLE users ADD COLUMN name VARCHAR(100);

UPDATE alembic_version SET version_num='bbbb2222' WHERE alembic_version.version_num = 'aaaa1111';

COMMIT;

"""


def sql_output(p):
    project(p)
    expect(p.run(MM, "apply", "--sql"), 0, SQL_TWO + SQL_B, "")
    expect(p.run(MM, "apply", "--sql", "aaaa1111:bbbb2222"), 0, SQL_B, "")
    expect(p.run(MM, "downgrade", "--sql", "bbbb2222:aaaa1111"), 0,
           "-- Running downgrade bbbb2222 -> aaaa1111, add users.name\n\nBEGIN;\n\n"
           "ALTER TABLE users DROP COLUMN name;\n\n"
           "UPDATE alembic_version SET version_num='aaaa1111' WHERE "
           "alembic_version.version_num = 'bbbb2222';\n\nCOMMIT;\n\n", "")
    expect(p.run(MM, "downgrade", "--sql", "base"), 2, "",
           "manage_migrations: error: downgrade --sql needs a range FROM:TO, as there is no "
           "database to read the current revision from\n")
    assert not os.path.exists(p.path("app.db")), "--sql created the database"


def sql_output_refuses_a_url_it_cannot_serve(p):
    # --sql renders SQLite's dialect; a PostgreSQL URL named on the command
    # line must not be answered with SQL for another database.
    project(p)
    expect(p.run(MM, "apply", "--sql", "--url", "postgresql://db.example/app"), 2, "",
           "manage_migrations: error: --url: postgresql databases are not supported yet; "
           "migcheck applies migrations to SQLite (sqlite:///path/to/file.db)\n")


def sql_output_stops_at_a_data_migration(p):
    project(p)
    revision(p, "cccc3333", "bbbb2222", "backfill names",
             'for name in ("a", "b"):\n    op.execute(f"UPDATE users SET name = \'{name}\'")')
    rc, out, err = p.run(MM, "apply", "--sql")
    expect((rc, out, ""), 1, SQL_TWO + SQL_B, "")
    lines = err.splitlines()
    assert len(lines) == 2, err
    assert lines[0] == (
        "alembic/versions/cccc3333_backfill_names.py:15:5: error: upgrade of revision cccc3333 "
        "failed: upgrade() holds a for loop, which migcheck does not render; write the SQL of "
        "this revision with `alembic upgrade --sql` [not-interpretable]"), err
    # There is no database in offline mode: nothing may be said about one.
    assert lines[1].startswith("apply --sql: stopped at revision cccc3333"), err
    assert "database" not in lines[1], err


def url_precedence(p):
    project(p)
    env = {"DATABASE_URL": "sqlite:///from_env.db"}
    expect(p.run(MM, "apply", "aaaa1111", "--url", "sqlite:///from_flag.db", env=env), 0,
           RUN_A + "apply: 1 revision applied; sqlite:///from_flag.db is at aaaa1111\n", "")
    expect(p.run(MM, "apply", env=env), 0,
           RUN_A + RUN_B +
           "apply: 2 revisions applied; sqlite:///from_env.db is at bbbb2222 (head)\n", "")
    expect(p.run(MM, "current", env={"DATABASE_URL": ""}), 0, "", "")
    assert sorted(f for f in os.listdir(p.root) if f.endswith(".db")) == [
        "from_env.db", "from_flag.db"]
    assert state(p.path("from_flag.db"))[1] == ["aaaa1111"]
    assert state(p.path("from_env.db"))[1] == ["bbbb2222"]
    expect(p.run(MM, "current", "--url", "sqlite:///from_flag.db", env=env), 0, "aaaa1111\n", "")
    expect(p.run(MM, "current", env=env), 0, "bbbb2222 (head)\n", "")


def relative_url_starts_at_the_C_directory(p):
    project(p)
    expect(p.run(MM, "-C", p.root, "apply", "aaaa1111", cwd="/"), 0,
           RUN_A + "apply: 1 revision applied; sqlite:///app.db is at aaaa1111\n", "")
    assert state(p.path("app.db"))[1] == ["aaaa1111"]
    # -C runs as if started there: from a subfolder, the file is found there.
    expect(p.run(MM, "-C", p.path("alembic"), "current", cwd="/"), 0, "", "")
    assert not os.path.exists(p.path("alembic/app.db"))
    expect(p.run(MM, "current", cwd=p.path("alembic")), 0, "", "")
    expect(p.run(MM, "-C", p.root, "current", cwd=p.path("alembic")), 0, "aaaa1111\n", "")
    expect(p.run(MM, "-C", p.root, "apply", "--url", f"sqlite:///{p.path('abs.db')}",
                 cwd="/"), 0,
           RUN_A + RUN_B + f"apply: 2 revisions applied; sqlite:///{p.path('abs.db')} is at "
           "bbbb2222 (head)\n", "")


def unsupported_url_names_its_origin(p):
    project(p, url="postgresql://db.example/app")
    for command in (["apply"], ["current"], ["pending"], ["stamp", "head"], ["downgrade", "base"]):
        expect(p.run(MM, *command), 2, "",
               "manage_migrations: error: alembic.ini:3: postgresql databases are not supported "
               "yet; migcheck applies migrations to SQLite (sqlite:///path/to/file.db)\n")
    expect(p.run(MM, "apply", env={"DATABASE_URL": "mysql+pymysql://u@h/db"}), 2, "",
           "manage_migrations: error: DATABASE_URL: mysql databases are not supported yet; "
           "migcheck applies migrations to SQLite (sqlite:///path/to/file.db)\n")
    expect(p.run(MM, "apply", "--url", "postgresql+psycopg2://h/db"), 2, "",
           "manage_migrations: error: --url: postgresql databases are not supported yet; "
           "migcheck applies migrations to SQLite (sqlite:///path/to/file.db)\n")
    expect(p.run(MM, "apply", "--url", "app.db"), 2, "",
           "manage_migrations: error: --url: 'app.db' is not a database URL; write "
           "sqlite:///path/to/file.db\n")
    expect(p.run(MM, "apply", "--url", "sqlite://host/app.db"), 2, "",
           "manage_migrations: error: --url: 'sqlite://host/app.db' names a host; a SQLite URL "
           "is sqlite:///relative.db or sqlite:////absolute.db\n")
    assert not any(f.endswith(".db") for f in os.listdir(p.root)), os.listdir(p.root)


def no_url_at_all(p):
    project(p, url=None)
    for command in (["apply"], ["current"], ["pending"], ["stamp", "head"]):
        expect(p.run(MM, *command, env={"DATABASE_URL": ""}), 2, "",
               "manage_migrations: error: no database: give --url sqlite:///path.db, set "
               "DATABASE_URL, or set sqlalchemy.url in alembic.ini\n")


def version_row_names_an_unknown_revision(p):
    project(p)
    expect(p.run(MM, "apply"), 0)
    con = sqlite3.connect(p.path("app.db"))
    con.execute("UPDATE alembic_version SET version_num = 'ffff9999'")
    con.commit()
    con.close()
    message = ("manage_migrations: error: the database is at revision 'ffff9999', which no "
               "revision file declares; " + NO_STAMP)
    for command in (["apply"], ["current"], ["pending"], ["downgrade", "base"]):
        expect(p.run(MM, *command), 2, "", message)
    # Alembic's stamp reads the current rows too; only --purge replaces them.
    expect(p.run(MM, "stamp", "bbbb2222"), 2, "", message)
    expect(p.run(MM, "stamp", "--purge", "bbbb2222"), 0,
           "stamp: sqlite:///app.db is at bbbb2222 (head) (no revision was run)\n", "")
    expect(p.run(MM, "current"), 0, "bbbb2222 (head)\n", "")


def history_with_errors_is_not_applied(p):
    project(p)
    revision(p, "cccc3333", "bbbb2223", "add posts", CREATE_POSTS)
    finding = ("alembic/versions/cccc3333_add_posts.py:9:1: error: down_revision 'bbbb2223' of "
               "revision cccc3333 is not a known revision (did you mean 'bbbb2222'?); fix the "
               "id, or restore the missing revision file [missing-parent]\n")
    refused = ("manage_migrations: error: the revision history has errors (above); fix them "
               "before migrating a database\n")
    for command in (["apply"], ["apply", "bbbb2222"], ["apply", "--sql"], ["stamp", "head"],
                    ["downgrade", "base"]):
        expect(p.run(MM, *command), 1, "", finding + refused)
    assert not os.path.exists(p.path("app.db")), "a refused command created the database"


def data_migration_stops_apply(p):
    project(p)
    revision(p, "cccc3333", "bbbb2222", "backfill names",
             'for name in ("a", "b"):\n    op.execute(f"UPDATE users SET name = \'{name}\'")')
    revision(p, "dddd4444", "cccc3333", "add posts", CREATE_POSTS)
    expect(p.run(MM, "apply"), 1, RUN_A + RUN_B,
           "alembic/versions/cccc3333_backfill_names.py:15:5: error: upgrade of revision "
           "cccc3333 failed: upgrade() holds a for loop, which migcheck does not run; run this "
           "revision with Alembic [not-interpretable]\n"
           "apply: stopped at revision cccc3333; the database stays at bbbb2222\n")
    assert state(p.path("app.db")) == ({"users": USERS}, ["bbbb2222"])
    expect(p.run(MM, "current"), 0, "bbbb2222\n", "")
    expect(p.run(MM, "pending"), 0,
           "bbbb2222 -> cccc3333, backfill names\ncccc3333 -> dddd4444 (head), add posts\n", "")


def failing_sql_leaves_the_previous_revision(p):
    project(p)
    revision(p, "cccc3333", "bbbb2222", "add posts",
             CREATE_POSTS + '\nop.execute("INSERT INTO nowhere VALUES (1)")',
             'op.drop_table("posts")')
    expect(p.run(MM, "apply"), 1, RUN_A + RUN_B + RUN_C,
           "alembic/versions/cccc3333_add_posts.py:16:5: error: upgrade of revision cccc3333 "
           "failed: no such table: nowhere; the statement was: INSERT INTO nowhere VALUES (1) "
           "[migration-failed]\n"
           "apply: stopped at revision cccc3333; the database stays at bbbb2222\n")
    # The revision's statements and its version row share one transaction.
    assert state(p.path("app.db")) == ({"users": USERS}, ["bbbb2222"]), state(p.path("app.db"))
    expect(p.run(MM, "current"), 0, "bbbb2222\n", "")


def no_database_file_is_not_created(p):
    project(p)
    expect(p.run(MM, "current"), 0, "", "")
    # Everything is pending on a database that does not exist yet.
    expect(p.run(MM, "pending"), 0,
           "<base> -> aaaa1111, create users\naaaa1111 -> bbbb2222 (head), add users.name\n", "")
    expect(p.run(MM, "current", "--url", "sqlite:///missing/dir/x.db"), 0, "", "")
    assert not os.path.exists(p.path("app.db")), "current/pending created the database"
    assert not os.path.exists(p.path("missing"))


def database_file_that_is_not_sqlite(p):
    project(p)
    p.write("app.db", "not a database\n" * 100)
    message = (f"manage_migrations: error: {p.path('app.db')}: cannot open the database: file "
               "is not a database\n")
    expect(p.run(MM, "current"), 3, "", message)
    expect(p.run(MM, "apply"), 3, "", message)
    with open(p.path("app.db")) as f:
        assert f.read() == "not a database\n" * 100


if __name__ == "__main__":
    sys.exit(main([
        apply_runs_every_revision, current_at_head_and_below,
        current_on_a_labelled_branching_history, apply_through_a_merge_keeps_one_row,
        pending_in_order, apply_to_a_target, apply_head_with_two_heads,
        downgrade_relative_and_base, downgrade_to_a_target_above_the_database, stamp_and_purge,
        sql_output, sql_output_refuses_a_url_it_cannot_serve,
        sql_output_stops_at_a_data_migration, url_precedence,
        relative_url_starts_at_the_C_directory, unsupported_url_names_its_origin, no_url_at_all,
        version_row_names_an_unknown_revision, history_with_errors_is_not_applied,
        data_migration_stops_apply, failing_sql_leaves_the_previous_revision,
        no_database_file_is_not_created, database_file_that_is_not_sqlite,
    ]))

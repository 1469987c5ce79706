"""migcheck-replay, and manage_migrations validate's comparison of the
migrations with config/schema.yaml, on real projects."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys

from harness import Failure, expect, main

REPLAY = "migcheck-replay"
MM = "manage_migrations"

SCHEMA = """\
version: 1
tables:
  users:
    columns:
      id:    {type: integer, primary_key: true}
      email: {type: string, length: 255, nullable: false}
      name:  {type: string, length: 100}
"""

MODELS = """\
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    email = Column(String(255), nullable=False)
    name = Column(String(100))
"""

# Alembic's generic env.py, as `alembic init` writes it (logging left out).
ENV_PY = """\
from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config


def run_migrations_offline():
    context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    connectable = engine_from_config(
        config.get_section(config.config_ini_section), prefix="sqlalchemy.",
        poolclass=pool.NullPool)
    with connectable.connect() as connection:
        context.configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
"""

CLEAN = ("replay: 2 revisions on SQLite (in memory), up and back down: the migrations build "
         "config/schema.yaml\n")
BATCH_FIX = ("SQLite cannot alter a column in place (ALTER COLUMN), so Alembic fails here on the "
             "project's SQLite database; move it into `with op.batch_alter_table(\"users\") as "
             "batch_op:` [sqlite-needs-batch]\n")
FOR_LOOP = 'for name in ("a", "b"):\n    op.execute(f"UPDATE users SET name = \'{name}\'")'
ALTER_NOT_NULL = ('op.alter_column("users", "name", existing_type=sa.String(100), '
                  'nullable=False)')
ALTER_NULL = 'op.alter_column("users", "name", existing_type=sa.String(100), nullable=True)'
NOT_NULL_SCHEMA = SCHEMA.replace("length: 100}", "length: 100, nullable: false}")


def revision(p, rev, down, message, upgrade="pass", downgrade="pass"):
    """A revision file whose upgrade() and downgrade() hold the given lines.
    The first line of upgrade() is line 15."""
    def body(code):
        return "".join("    " + line + "\n" for line in code.splitlines())
    slug = "_".join(message.replace(".", " ").split())
    p.write(f"alembic/versions/{rev}_{slug}.py",
            f'"""{message}\n\nRevision ID: {rev}\n"""\nfrom alembic import op\n'
            f"import sqlalchemy as sa\n\nrevision = {rev!r}\ndown_revision = {down!r}\n"
            f"branch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n"
            f"{body(upgrade)}\n\ndef downgrade():\n{body(downgrade)}")


def project(p, url="sqlite:///app.db", schema=SCHEMA, models=False):
    """users (aaaa1111) and users.name (bbbb2222), with Alembic's env.py."""
    p.write("alembic.ini", "[alembic]\nscript_location = alembic\n" +
            (f"sqlalchemy.url = {url}\n" if url else ""))
    p.write("alembic/env.py", ENV_PY)
    p.write("config/schema.yaml", schema)
    if models:
        p.write("app/models.py", models if isinstance(models, str) else MODELS)
    revision(p, "aaaa1111", None, "create users",
             'op.create_table(\n    "users",\n'
             '    sa.Column("id", sa.Integer(), primary_key=True),\n'
             '    sa.Column("email", sa.String(255), nullable=False),\n)',
             'op.drop_table("users")')
    revision(p, "bbbb2222", "aaaa1111", "add users.name",
             'op.add_column("users", sa.Column("name", sa.String(100), nullable=True))',
             'op.drop_column("users", "name")')


def tables_and_rows(path):
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [n for (n,) in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        rows = [v for (v,) in con.execute("SELECT version_num FROM alembic_version")] \
            if "alembic_version" in names else []
    finally:
        con.close()
    return names, rows


def alembic_python():
    """The first python3 that can import alembic and sqlalchemy, looked for as
    tests/differential/common.py looks: /usr/bin/python3 (where Debian's
    python3-alembic installs it) first, then the python3 on PATH."""
    candidates = ["/usr/bin/python3", sys.executable, shutil.which("python3")]
    tried = []
    for exe in candidates:
        if not exe or exe in tried or not os.path.exists(exe):
            continue
        tried.append(exe)
        if subprocess.run([exe, "-c", "import alembic, sqlalchemy"],
                          capture_output=True).returncode == 0:
            return exe
    raise Failure("no Python can import alembic and sqlalchemy (tried: %s); install them: "
                  "apt-get install python3-alembic python3-sqlalchemy" % ", ".join(tried))


def clean_project(p):
    project(p)
    expect(p.run(REPLAY), 0, CLEAN, "")
    expect(p.run(REPLAY, "--no-downgrade"), 0,
           "replay: 2 revisions on SQLite (in memory), up only: the migrations build "
           "config/schema.yaml\n", "")
    expect(p.run(REPLAY, "-C", p.path("alembic/versions"), cwd="/"), 0, CLEAN, "")
    expect(p.run(REPLAY, "--format", "github"), 0, "", "")
    assert not os.path.exists(p.path("app.db")), "replay touched the project's database"


MISMATCH = ("alembic/versions/bbbb2222_add_users_name.py:8: error: downgrade() of revision "
            "bbbb2222 does not restore the schema that stood before its upgrade: column "
            "users.name: declared in the schema after the downgrade but not in the schema before "
            "the upgrade [downgrade-mismatch]")


def downgrade_that_does_not_undo(p):
    project(p)
    revision(p, "bbbb2222", "aaaa1111", "add users.name",
             'op.add_column("users", sa.Column("name", sa.String(100), nullable=True))')
    expect(p.run(REPLAY), 1,
           MISMATCH + "\nreplay: 2 revisions on SQLite (in memory), up and back down: 1 error\n",
           "")
    expect(p.run(REPLAY, "--no-downgrade"), 0,
           "replay: 2 revisions on SQLite (in memory), up only: the migrations build "
           "config/schema.yaml\n", "")


def failing_sql(p):
    project(p)
    revision(p, "cccc3333", "bbbb2222", "fill names",
             'op.execute("INSERT INTO nowhere VALUES (1)")')
    expect(p.run(REPLAY), 1,
           "alembic/versions/cccc3333_fill_names.py:15:5: error: upgrade of revision cccc3333 "
           "failed on SQLite: no such table: nowhere; the statement was: INSERT INTO nowhere "
           "VALUES (1) [replay-failed]\n"
           "replay: 3 revisions on SQLite (in memory), up and back down: 1 error\n", "")


def not_interpretable_revision(p):
    project(p)
    revision(p, "cccc3333", "bbbb2222", "backfill names", FOR_LOOP)
    rc, out, err = p.run(REPLAY)
    expect((rc, "", err), 1, "", "")
    where = ("alembic/versions/cccc3333_backfill_names.py:15:5: error: upgrade() of revision "
             "cccc3333 holds a for loop, which migcheck does not interpret; ")
    # One problem, one finding: the symbolic and the scratch replay stop at
    # the same statement, and either wording says what to do.
    assert out in (
        where + "the revisions from here on are not replayed; `migcheck-replay --runner "
        "alembic` replays them with Alembic [not-interpretable]\n"
        "replay: 3 revisions on SQLite (in memory), up and back down: 1 error\n",
        where + "the scratch replay stops here (`migcheck-replay --runner alembic` replays it "
        "with Alembic) [not-interpretable]\n"
        "replay: 3 revisions on SQLite (in memory), up and back down: 1 error\n"), out


def head_differs_from_schema_yaml(p):
    project(p, schema=SCHEMA.replace("length: 100}", "length: 120}"))
    expect(p.run(REPLAY), 1,
           "alembic/versions/bbbb2222_add_users_name.py:15: error: column users.name: type "
           "String(120) in config/schema.yaml:7 but String(100) in "
           "alembic/versions/bbbb2222_add_users_name.py:15; write the migration that makes them "
           "agree (manage_migrations generate \"update users.name\"), or correct config/schema.yaml "
           "[migration-type]\n"
           "replay: 2 revisions on SQLite (in memory), up and back down: 1 error\n", "")
    project(p, schema=SCHEMA.replace("      name:  {type: string, length: 100}\n", ""))
    expect(p.run(REPLAY), 1,
           "alembic/versions/bbbb2222_add_users_name.py:15: error: column users.name: declared "
           "in alembic/versions/bbbb2222_add_users_name.py:15 but not in config/schema.yaml:3; "
           "write the migration that makes them agree (manage_migrations generate \"update "
           "users.name\"), or correct config/schema.yaml [migration-column-extra]\n"
           "replay: 2 revisions on SQLite (in memory), up and back down: 1 error\n", "")


def keep_to_a_new_path(p):
    project(p)
    up_only = p.path("up-only.db")
    expect(p.run(REPLAY, "--keep", up_only, "--no-downgrade"), 0,
           f"replay: 2 revisions on SQLite ({up_only}), up only: the migrations build "
           "config/schema.yaml\n", "")
    assert tables_and_rows(up_only) == (["alembic_version", "users"], ["bbbb2222"])
    # The kept database is there to be looked at: after the walk back down
    # it must still hold what the migrations build.
    kept = p.path("kept.db")
    expect(p.run(REPLAY, "--keep", kept), 0,
           f"replay: 2 revisions on SQLite ({kept}), up and back down: the migrations build "
           "config/schema.yaml\n", "")
    assert tables_and_rows(kept) == (["alembic_version", "users"], ["bbbb2222"]), \
        tables_and_rows(kept)


def keep_to_an_existing_path(p):
    project(p)
    p.write("precious.db", "do not touch\n")
    before = os.stat(p.path("precious.db"))
    for runner in ("builtin", "alembic"):
        expect(p.run(REPLAY, "--keep", "precious.db", "--runner", runner), 2, "",
               f"migcheck-replay: error: --keep {p.path('precious.db')}: the file exists; give a "
               "path that does not, so that nothing is overwritten\n")
    with open(p.path("precious.db")) as f:
        assert f.read() == "do not touch\n"
    assert os.stat(p.path("precious.db")).st_mtime_ns == before.st_mtime_ns


def json_format(p):
    project(p)
    rc, out, err = p.run(REPLAY, "--format", "json")
    expect((rc, "", err), 0, "", "")
    assert json.loads(out) == {
        "version": 1, "runner": "builtin", "revisions": 2, "database": None,
        "schema": "config/schema.yaml", "symbolic_complete": True, "scratch_complete": True,
        "downgrades_checked": True, "findings": [], "ok": True}, out
    rc, out, err = p.run(REPLAY, "--format", "json", "--no-downgrade", "--keep", p.path("k.db"))
    expect((rc, "", err), 0, "", "")
    doc = json.loads(out)
    assert (doc["database"], doc["downgrades_checked"], doc["ok"]) == (
        p.path("k.db"), False, True), doc
    revision(p, "bbbb2222", "aaaa1111", "add users.name",
             'op.add_column("users", sa.Column("name", sa.String(100), nullable=True))')
    rc, out, err = p.run(REPLAY, "--format", "json")
    expect((rc, "", err), 1, "", "")
    doc = json.loads(out)
    assert (doc["ok"], doc["scratch_complete"], doc["downgrades_checked"]) == (
        False, True, True), doc
    assert doc["findings"] == [{
        "severity": "error", "code": "downgrade-mismatch",
        "file": "alembic/versions/bbbb2222_add_users_name.py", "line": 8, "column": 0,
        "message": MISMATCH.split(": error: ", 1)[1].rsplit(" [", 1)[0]}], doc
    expect(p.run(REPLAY, "--format", "xml"), 2, "",
           "migcheck-replay: error: --format must be text, json or github, not 'xml'\n")


def github_format(p):
    project(p)
    revision(p, "bbbb2222", "aaaa1111", "add users.name",
             'op.add_column("users", sa.Column("name", sa.String(100), nullable=True))')
    expect(p.run(REPLAY, "--format", "github"), 1,
           "::error file=alembic/versions/bbbb2222_add_users_name.py,line=8,"
           "title=downgrade-mismatch::downgrade() of revision bbbb2222 does not restore the "
           "schema that stood before its upgrade: column users.name: declared in the schema "
           "after the downgrade but not in the schema before the upgrade\n", "")


def runner_alembic_clean(p):
    python = alembic_python()
    project(p)
    expect(p.run(REPLAY, "--runner", "alembic", env={"MIGCHECK_PYTHON": python}), 0,
           f"replay: 2 revisions run by Alembic ({python}) on SQLite (a temporary file), up and "
           "back down: the migrations build config/schema.yaml\n", "")
    assert not os.path.exists(p.path("app.db")), "Alembic migrated the project's database"
    rc, out, err = p.run(REPLAY, "--runner", "alembic", "--format", "json",
                         env={"MIGCHECK_PYTHON": python})
    expect((rc, "", err), 0, "", "")
    doc = json.loads(out)
    assert (doc["runner"], doc["python"], doc["scratch_complete"], doc["findings"]) == (
        "alembic", python, True, []), doc


def runner_alembic_difference_is_at_schema_yaml(p):
    # The scratch database has no file and line: the finding goes to
    # schema.yaml's (replay.hpp, schema_findings).
    python = alembic_python()
    project(p, schema=SCHEMA.replace("length: 100}", "length: 120}"))
    expect(p.run(REPLAY, "--runner", "alembic", "--no-downgrade",
                 env={"MIGCHECK_PYTHON": python}), 1,
           "config/schema.yaml:7: error: column users.name: type String(120) in "
           "config/schema.yaml:7 but String(100) in the scratch database; write the migration "
           "that makes them agree (manage_migrations generate \"update users.name\"), or correct "
           "config/schema.yaml [migration-type]\n"
           f"replay: 2 revisions run by Alembic ({python}) on SQLite (a temporary file), up "
           "only: 1 error\n", "")


def runner_alembic_keep_relative_path_from_elsewhere(p):
    # A relative --keep is relative to the -C directory, as with git -C.
    python = alembic_python()
    project(p)
    os.makedirs(p.path("elsewhere"))
    expect(p.run(REPLAY, "-C", p.root, "--runner", "alembic", "--keep", "kept.db",
                 "--no-downgrade", cwd=p.path("elsewhere"), env={"MIGCHECK_PYTHON": python}), 0,
           f"replay: 2 revisions run by Alembic ({python}) on SQLite ({p.path('kept.db')}), up "
           "only: the migrations build config/schema.yaml\n", "")
    assert tables_and_rows(p.path("kept.db")) == (["alembic_version", "users"], ["bbbb2222"])
    assert not os.path.exists(p.path("elsewhere/kept.db")), "Alembic wrote another file"


def runner_nonsense(p):
    project(p)
    expect(p.run(REPLAY, "--runner", "nonsense"), 2, "",
           "migcheck-replay: error: --runner nonsense: give builtin or alembic\n")


def sqlite_needs_batch(p):
    project(p, schema=NOT_NULL_SCHEMA)
    revision(p, "cccc3333", "bbbb2222", "name not null", ALTER_NOT_NULL, ALTER_NULL)
    expect(p.run(REPLAY), 1,
           "alembic/versions/cccc3333_name_not_null.py:15:5: error: op.alter_column on table "
           "\"users\": " + BATCH_FIX +
           "alembic/versions/cccc3333_name_not_null.py:19:5: error: op.alter_column on table "
           "\"users\": " + BATCH_FIX +
           "replay: 3 revisions on SQLite (in memory), up and back down: 2 errors\n", "")
    # The project's database is not SQLite: nothing to say.
    p.write("alembic.ini", "[alembic]\nscript_location = alembic\n"
            "sqlalchemy.url = postgresql://db.example/app\n")
    expect(p.run(REPLAY), 0, CLEAN.replace("2 revisions", "3 revisions"), "")
    # In batch mode, Alembic rebuilds the table: nothing to say either.
    project(p, schema=NOT_NULL_SCHEMA)
    revision(p, "cccc3333", "bbbb2222", "name not null",
             'with op.batch_alter_table("users") as batch_op:\n'
             '    batch_op.alter_column("name", existing_type=sa.String(100), nullable=False)',
             'with op.batch_alter_table("users") as batch_op:\n'
             '    batch_op.alter_column("name", existing_type=sa.String(100), nullable=True)')
    expect(p.run(REPLAY), 0, CLEAN.replace("2 revisions", "3 revisions"), "")


def sqlite_needs_batch_follows_the_database_url(p):
    # decisions.md: the finding is for a project whose own database is SQLite
    # (its sqlalchemy.url); render_as_batch says how migcheck writes
    # migrations, not which database runs them.
    project(p, schema=NOT_NULL_SCHEMA, url="postgresql://db.example/app")
    revision(p, "cccc3333", "bbbb2222", "name not null", ALTER_NOT_NULL, ALTER_NULL)
    p.write("config/migcheck.yaml", "render_as_batch: true\n")
    expect(p.run(REPLAY), 0, CLEAN.replace("2 revisions", "3 revisions"), "")
    project(p, schema=NOT_NULL_SCHEMA)
    p.write("config/migcheck.yaml", "render_as_batch: false\n")
    expect(p.run(REPLAY), 1,
           "alembic/versions/cccc3333_name_not_null.py:15:5: error: op.alter_column on table "
           "\"users\": " + BATCH_FIX +
           "alembic/versions/cccc3333_name_not_null.py:19:5: error: op.alter_column on table "
           "\"users\": " + BATCH_FIX +
           "replay: 3 revisions on SQLite (in memory), up and back down: 2 errors\n", "")


def sqlite_needs_batch_in_a_downgrade(p):
    # `alembic downgrade` runs downgrade() on the project's SQLite database
    # too, and fails there the same way.
    project(p, schema=NOT_NULL_SCHEMA)
    revision(p, "cccc3333", "bbbb2222", "name not null",
             'with op.batch_alter_table("users") as batch_op:\n'
             '    batch_op.alter_column("name", existing_type=sa.String(100), nullable=False)',
             ALTER_NULL)
    expect(p.run(REPLAY), 1,
           "alembic/versions/cccc3333_name_not_null.py:20:5: error: op.alter_column on table "
           "\"users\": " + BATCH_FIX +
           "replay: 3 revisions on SQLite (in memory), up and back down: 1 error\n", "")


def validate_reports_migration_differences(p):
    project(p, models=True)
    expect(p.run(MM, "validate"), 0,
           "validate: 1 table, 3 columns: the models (1 file), the migrations (2 revisions) and "
           "config/schema.yaml agree\n", "")
    # The models and schema.yaml say NOT NULL; the migrations never did.
    project(p, schema=NOT_NULL_SCHEMA,
            models=MODELS.replace("name = Column(String(100))",
                                  "name = Column(String(100), nullable=False)"))
    expect(p.run(MM, "validate"), 1,
           "alembic/versions/bbbb2222_add_users_name.py:15: error: column users.name: NOT NULL "
           "in config/schema.yaml:7 but nullable in "
           "alembic/versions/bbbb2222_add_users_name.py:15; "
           "write the migration that makes them agree (manage_migrations generate \"update "
           "users.name\"), or correct config/schema.yaml [migration-nullable]\n"
           "validate: 1 table, 3 columns: the models (1 file), the migrations (2 revisions) and "
           "config/schema.yaml differ: 1 error\n", "")
    rc, out, err = p.run(MM, "validate", "--format", "json")
    expect((rc, "", err), 1, "", "")
    doc = json.loads(out)
    assert doc["compared"] == ["models", "migrations"], doc
    assert doc["migrations"] == {"revisions": 2, "compared": True, "skipped": ""}, doc
    assert [(f["code"], f["file"], f["line"]) for f in doc["findings"]] == [
        ("migration-nullable", "alembic/versions/bbbb2222_add_users_name.py", 15)], doc


def validate_with_a_data_migration(p):
    project(p, models=True)
    revision(p, "cccc3333", "bbbb2222", "backfill names", FOR_LOOP)
    warning = ("alembic/versions/cccc3333_backfill_names.py:15:5: warning: upgrade() of "
               "revision cccc3333 holds a for loop, which migcheck does not interpret; the "
               "revisions from here on are not replayed; `migcheck-replay --runner alembic` "
               "replays them with Alembic; validate compares the migrations only when it can "
               "replay every revision, so they were not compared [migrations-not-compared]\n")
    rc, out, err = p.run(MM, "validate", "--format", "json")
    expect((rc, "", err), 0, "", "")
    doc = json.loads(out)
    assert doc["ok"] is True and doc["compared"] == ["models"], doc
    assert doc["migrations"] == {
        "revisions": 3, "compared": False,
        "skipped": "the migrations were not compared (see the warning)"}, doc
    assert [(f["severity"], f["code"], f["line"]) for f in doc["findings"]] == [
        ("warning", "migrations-not-compared", 15)], doc
    expect(p.run(MM, "validate"), 0,
           warning + "validate: 1 table, 3 columns: the models (1 file) and config/schema.yaml "
           "agree (1 warning); the migrations were not compared (see the warning)\n", "")


if __name__ == "__main__":
    sys.exit(main([
        clean_project, downgrade_that_does_not_undo, failing_sql, not_interpretable_revision,
        head_differs_from_schema_yaml, keep_to_a_new_path, keep_to_an_existing_path,
        json_format, github_format, runner_alembic_clean,
        runner_alembic_difference_is_at_schema_yaml,
        runner_alembic_keep_relative_path_from_elsewhere, runner_nonsense, sqlite_needs_batch,
        sqlite_needs_batch_follows_the_database_url, sqlite_needs_batch_in_a_downgrade,
        validate_reports_migration_differences, validate_with_a_data_migration,
    ]))

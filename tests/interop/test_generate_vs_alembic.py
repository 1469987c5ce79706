#!/usr/bin/env python3
"""`manage_migrations generate` against the real Alembic.

A project's schema is changed in stages (every operation kind, composite
keys, foreign keys between new tables, renames, enum and numeric
parameters); at each stage `generate` writes a revision, and then:

- the file compiles (`python3 -m py_compile`);
- `migcheck-replay` replays the history, symbolically and on SQLite, up and
  back down, and it builds config/schema.yaml; `validate` agrees;
- `alembic upgrade head` runs it on SQLite, and the database equals the one
  `manage_migrations apply` builds (sqlite_master and the pragmas);
- `alembic downgrade -1` undoes it: the database equals the one before;
- `generate --sql` run by sqlite3 on the database before builds the same.

Usage: test_generate_vs_alembic.py --build BUILD_DIR [--keep] [TEST...]
"""

import copy
import glob
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "cli"))
import interop  # noqa: E402
from interop import check, check_equal, check_same_schema, copy_db  # noqa: E402
from schema_project import write_project, write_schema  # noqa: E402

ENV_PY = '''import os
from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
url = os.environ.get("DATABASE_URL")
if url:
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
engine = engine_from_config(config.get_section(config.config_ini_section),
                            prefix="sqlalchemy.", poolclass=pool.NullPool)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()
'''

PK = {"type": "integer", "primary_key": True}


def stage0():
    return {
        "orgs": {"columns": {
            "id": PK,
            "name": {"type": "string", "length": 200, "nullable": False, "unique": True},
            "created_at": {"type": "datetime", "timezone": True, "nullable": False,
                           "server_default": "CURRENT_TIMESTAMP"},
            "active": {"type": "boolean", "nullable": False, "server_default": "1"},
        }},
        "users": {"columns": {
            "id": PK,
            "org_id": {"type": "integer", "nullable": False, "index": True,
                       "foreign_key": {"references": "orgs.id", "on_delete": "CASCADE"}},
            "manager_id": {"type": "integer", "foreign_key": {"references": "users.id"}},
            "email": {"type": "string", "length": 255, "nullable": False},
            "status": {"type": "enum", "values": ["active", "blocked"], "enum_name": "user_status",
                       "nullable": False, "server_default": "'active'"},
            "balance": {"type": "numeric", "precision": 12, "scale": 2},
            "handle": {"type": "string", "length": 50},
            "legacy": {"type": "text"},
            "born": {"type": "date"}, "wakes": {"type": "time"}, "score": {"type": "float"},
            "visits": {"type": "biginteger"}, "rank": {"type": "smallinteger"},
            "prefs": {"type": "json"}, "avatar": {"type": "binary"},
        }, "indexes": [{"name": "ix_users_email", "columns": ["email"], "unique": True}]},
        "memberships": {"columns": {
            "user_id": {"type": "integer", "primary_key": True,
                        "foreign_key": {"references": "users.id", "on_delete": "CASCADE"}},
            "org_id": {"type": "integer", "primary_key": True,
                       "foreign_key": {"references": "orgs.id"}},
            "since": {"type": "datetime"},
        }, "unique_constraints": [{"name": "uq_memberships_since", "columns": ["user_id", "since"]}]},
        "tags": {"columns": {"code": {"type": "string", "length": 20, "primary_key": True},
                             "label": {"type": "text", "comment": "shown to users"}}},
    }


def stage1():
    s = stage0()
    orgs = s.pop("orgs")
    orgs["renamed_from"] = "orgs"
    s = {"organizations": orgs, **s}
    users = s["users"]["columns"]
    users["org_id"]["foreign_key"] = {"references": "organizations.id", "on_delete": "RESTRICT"}
    s["memberships"]["columns"]["org_id"]["foreign_key"] = {"references": "organizations.id"}
    users["nickname"] = dict(users.pop("handle"), renamed_from="handle", nullable=False,
                             server_default="''")
    users["email"]["length"] = 320
    users["balance"].update(precision=14, scale=4)
    users["status"]["values"] = ["active", "blocked", "invited"]
    users["phone"] = {"type": "string", "length": 30, "index": True}
    users["logins"] = {"type": "integer", "nullable": False, "server_default": "0"}
    users["born"]["comment"] = "date of birth"
    del users["legacy"]
    s["users"]["unique_constraints"] = [{"name": "uq_users_org_nickname",
                                         "columns": ["org_id", "nickname"]}]
    s["memberships"]["columns"]["role"] = {"type": "string", "length": 20, "nullable": False,
                                           "server_default": "'member'"}
    del s["tags"]
    s["projects"] = {"columns": {
        "id": PK,
        "org_id": {"type": "integer", "nullable": False,
                   "foreign_key": {"references": "organizations.id"}},
        "lead_id": {"type": "integer", "foreign_key": {"references": "users.id",
                                                       "on_delete": "SET NULL"}},
        "name": {"type": "string", "length": 100, "nullable": False},
        "budget": {"type": "numeric", "precision": 10},
    }, "indexes": [{"name": "ix_projects_org_name", "columns": ["org_id", "name"], "unique": True}],
        "comment": "work for an organization"}
    return s


def stage2():
    s = stage1()
    users = s["users"]["columns"]
    del users["phone"]["index"]
    users["email"]["length"] = 200
    users["score"]["nullable"] = False
    users["score"]["server_default"] = "0"
    s["users"]["indexes"] = []
    s["users"]["unique_constraints"] = []
    del s["memberships"]["unique_constraints"]
    s["memberships"]["columns"]["since"]["type"] = "date"
    s["memberships"]["columns"]["role"] = {"type": "string", "length": 20, "primary_key": True,
                                           "server_default": "'member'"}
    s["projects"]["columns"]["budget"]["scale"] = 2
    s["project_tags"] = {"columns": {
        "project_id": {"type": "integer", "primary_key": True,
                       "foreign_key": {"references": "projects.id"}},
        "tag": {"type": "string", "length": 30, "primary_key": True},
    }}
    return s


def generate(s, project, message):
    r = s.mm(project, "generate", message)
    check(r.returncode == 0, "generate failed:\n" + r.describe())
    return r


def stage(s, project, schema, message, dbs, number):
    write_schema(project, schema)
    before = set(glob.glob(os.path.join(project, "alembic", "versions", "*.py")))
    prev = copy_db(dbs["alembic"], s.path("before-%d.db" % number))
    generate(s, project, message)
    new = sorted(set(glob.glob(os.path.join(project, "alembic", "versions", "*.py"))) - before)
    check_equal(len(new), 1, "files written by generate")
    compiled = subprocess.run([s.python, "-m", "py_compile", new[0]], capture_output=True,
                              text=True)
    check(compiled.returncode == 0, "py_compile %s:\n%s" % (new[0], compiled.stderr))
    for cmd in (["validate"],):
        r = s.mm(project, *cmd)
        check(r.returncode == 0, "validate after generate:\n" + r.describe())
    r = s.run_replay(project)
    check(r.returncode == 0, "migcheck-replay after generate:\n" + r.describe())

    sql = s.mm(project, "generate", message, "--sql", "--rev-id", "probe%d" % number)
    check_equal(sql.returncode, 0, "generate --sql after generate")
    check(sql.stderr.endswith("No changes detected\n"), "generate --sql:\n" + sql.describe())

    s.alembic_ok(project, dbs["alembic"], "upgrade", "head")
    r = s.mm(project, "apply", "--url", interop.url(dbs["migcheck"]))
    check(r.returncode == 0, "apply:\n" + r.describe())
    check_same_schema(dbs["alembic"], dbs["migcheck"], "stage %d, Alembic and apply" % number)

    down = copy_db(dbs["alembic"], s.path("down-%d.db" % number))
    s.alembic_ok(project, down, "downgrade", "-1")
    check_same_schema(prev, down, "stage %d, alembic downgrade -1" % number)
    return new[0]


def new_project(s):
    project = s.path("app")
    write_project(project, extra_ini="version_path_separator = os\n")
    with open(os.path.join(project, "alembic", "env.py"), "w") as f:
        f.write(ENV_PY)
    dbs = {"alembic": s.path("alembic.db"), "migcheck": s.path("migcheck.db")}
    s.alembic_ok(project, dbs["alembic"], "upgrade", "head")
    return project, dbs


def test_generate_stages(s):
    project, dbs = new_project(s)
    for number, (schema, message) in enumerate(
            [(stage0(), "create the first tables"), (stage1(), "rename, widen, add and drop"),
             (stage2(), "narrow, drop indexes and constraints, composite key table")]):
        stage(s, project, schema, message, dbs, number)


def test_generate_sql_runs_on_sqlite(s):
    project, dbs = new_project(s)
    stage(s, project, stage0(), "create the first tables", dbs, 0)
    write_schema(project, stage1())
    sql = s.mm(project, "generate", "second", "--sql")
    check_equal(sql.returncode, 0, "generate --sql")
    by_sql = copy_db(dbs["migcheck"], s.path("by-sql.db"))
    r = s.sqlite3_cli(by_sql, sql.stdout)
    check(r.returncode == 0, "sqlite3 running generate --sql:\n" + r.describe() + sql.stdout)
    generate(s, project, "second")
    r = s.mm(project, "apply", "--url", interop.url(dbs["migcheck"]))
    check(r.returncode == 0, "apply:\n" + r.describe())
    # The version rows differ: --sql leaves them to the caller.
    con = __import__("sqlite3").connect(by_sql)
    con.execute("DELETE FROM alembic_version")
    con.executemany("INSERT INTO alembic_version VALUES (?)",
                    __import__("sqlite3").connect(dbs["migcheck"]).execute(
                        "SELECT version_num FROM alembic_version").fetchall())
    con.commit()
    con.close()
    check_same_schema(dbs["migcheck"], by_sql, "generate --sql through sqlite3, and apply")


MESSAGES = ["Add user preferences table", "Widen language pair model names and add model version",
            "naïve café: ünïcode — and punctuation!", "x", "a-b  c__d",
            "Supercalifragilisticexpialidocious and then some more words here",
            "ÜBER ÉTÉ Ελληνικά Кириллица Ŀŀ 日本語、テスト 🎉 ok", "¿Qué? ½ price × 2 «quoted»"]


def test_empty_revisions_match_alembic_revision(s):
    """`generate --empty` writes, byte for byte (but the Create Date line),
    the file `alembic revision` writes from Alembic's own template, under
    the same name, for file_template tokens and truncate_slug_length."""
    import shutil
    project = s.path("app")
    write_project(project, extra_ini="file_template = %%(rev)s-%%(slug)s_%%(year)d\n"
                                     "truncate_slug_length = 24\n")
    with open(os.path.join(project, "alembic", "env.py"), "w") as f:
        f.write(ENV_PY)
    found = subprocess.run([s.python, "-c", "import alembic, os; print(os.path.join("
                            "os.path.dirname(alembic.__file__), 'templates', 'generic', "
                            "'script.py.mako'))"], capture_output=True, text=True)
    mako = found.stdout.strip()
    shutil.copyfile(mako, os.path.join(project, "alembic", "script.py.mako"))
    write_schema(project, {})
    versions = os.path.join(project, "alembic", "versions")
    date = re.compile(r"^Create Date: .*$", re.M)
    for i, message in enumerate(MESSAGES):
        ours, theirs = "a%011d" % i, "b%011d" % i
        r = s.alembic_env_url(project, None, "revision", "-m", message, "--rev-id", theirs)
        check(r.returncode == 0, "alembic revision:\n" + r.describe())
        r = s.mm(project, "generate", "--empty", message, "--rev-id", ours)
        check(r.returncode == 0, "generate --empty:\n" + r.describe())
        names = {n[:12]: n for n in os.listdir(versions) if n.endswith(".py")}
        check_equal(names[ours][12:], names[theirs][12:], "file name for %r" % message)
        with open(os.path.join(versions, names[ours])) as f:
            text_ours = date.sub("Create Date: -", f.read())
        with open(os.path.join(versions, names[theirs])) as f:
            text_theirs = date.sub("Create Date: -", f.read())
        # Each builds on the one written before it: Alembic's on ours, ours on Alembic's.
        check("\ndown_revision = %r\n" % theirs in text_ours, text_ours)
        check("\ndown_revision = %s\n" % (repr("a%011d" % (i - 1)) if i else "None")
              in text_theirs, text_theirs)
        parents = re.compile(r"^(Revises:|down_revision =) .*$", re.M)
        text_ours = parents.sub(r"\1 -", text_ours)
        text_theirs = parents.sub(r"\1 -", text_theirs.replace(theirs, ours))
        check_equal(text_ours, text_theirs, "the file for %r" % message)


if __name__ == "__main__":
    sys.exit(interop.main(__doc__.splitlines()[0], [test_generate_stages,
                                                    test_generate_sql_runs_on_sqlite,
                                                    test_empty_revisions_match_alembic_revision]))

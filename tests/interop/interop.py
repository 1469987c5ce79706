"""Helpers shared by the interoperability tests: migcheck and the real Alembic
on one SQLite database, one after the other.

The tests are started by any Python; Alembic runs in an interpreter found by
the differential tests' `common.find_python` (/usr/bin/python3 first, where
Debian installs python3-alembic), and a test run fails, saying so, when there
is none. Fixture projects live in tests/fixtures/migrations/; every test works
on a copy in a temporary folder, so nothing is written into the repository.
"""

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "tests", "differential"))
import common  # noqa: E402

FIXTURES = os.path.join(REPO, "tests", "fixtures", "migrations")
VERSION_TABLE = "alembic_version"


class Failure(Exception):
    """A test's assertion did not hold; the message says what and where."""


def check(condition, message):
    if not condition:
        raise Failure(message)


def check_equal(actual, expected, what):
    if actual != expected:
        raise Failure("%s:\n  expected: %r\n  actual:   %r" % (what, expected, actual))


def parse_arguments(description, argv=None):
    """`--build DIR` as the CLI tests take it (CTest passes the build
    folder), and optionally the names of the tests to run."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--build", required=True, help="the CMake build folder")
    parser.add_argument("--keep", action="store_true",
                        help="keep each test's temporary folder and print where it is")
    parser.add_argument("tests", nargs="*", help="run only these tests (function names)")
    return parser.parse_args(argv)


class Result:
    """A finished command: exit code and decoded output."""

    def __init__(self, cmd, returncode, stdout, stderr):
        self.cmd = cmd
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr

    def describe(self):
        return ("$ %s\nexit %d\n--- stdout\n%s--- stderr\n%s---"
                % (" ".join(self.cmd), self.returncode, common.show_text(self.stdout),
                   common.show_text(self.stderr)))


class Session:
    """The built tools, the Alembic interpreter, and a temporary folder for
    one test."""

    def __init__(self, build, python, keep):
        self.build = os.path.abspath(build)
        self.python = python
        self.keep = keep
        self.manage_migrations = self._tool("manage_migrations")
        self.replay = self._tool("migcheck-replay")
        self.root = None

    def _tool(self, name):
        path = os.path.join(self.build, "tools", name, name)
        if not (os.path.isfile(path) and os.access(path, os.X_OK)):
            common.fail("%s is not an executable file; build it first: cmake --build %s "
                        "--target %s" % (path, self.build, name))
        return path

    def begin(self, name):
        self.root = tempfile.mkdtemp(prefix="migcheck-interop-%s-" % name)

    def end(self):
        if self.keep:
            print("     kept %s" % self.root)
        else:
            shutil.rmtree(self.root, ignore_errors=True)
        self.root = None

    def path(self, *parts):
        return os.path.join(self.root, *parts)

    def project(self, fixture, name=None):
        """A copy of tests/fixtures/migrations/<fixture> in the test's folder."""
        source = os.path.join(FIXTURES, fixture)
        if not os.path.isfile(os.path.join(source, "alembic.ini")):
            common.fail("fixture %s has no alembic.ini" % source)
        target = self.path(name or fixture)
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.db"))
        return target

    def env(self):
        env = dict(os.environ)
        for name in ("DATABASE_URL", "NO_COLOR", "MIGCHECK_NO_CACHE", "MIGCHECK_PYTHON"):
            env.pop(name, None)
        env["NO_COLOR"] = "1"
        env["MIGCHECK_CACHE_DIR"] = self.path(".migcheck-cache")
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["PYTHONHASHSEED"] = "0"
        env["PYTHONIOENCODING"] = "utf-8"
        return env

    def _run(self, cmd, cwd, env, stdin=None):
        p = subprocess.run(cmd, cwd=cwd, env=env, input=stdin, capture_output=True, text=True,
                           timeout=300)
        return Result(cmd, p.returncode, p.stdout, p.stderr)

    def alembic(self, project, db, *args):
        """`python -m alembic ARGS` in the project, on the database file `db`
        (through DATABASE_URL, which the fixtures' env.py honours)."""
        env = self.env()
        env["DATABASE_URL"] = url(db)
        return self._run([self.python, "-m", "alembic", "-c", "alembic.ini", *args], project, env)

    def alembic_env_url(self, project, database_url, *args):
        """`python -m alembic ARGS` in the project with DATABASE_URL as given
        (None: unset, so env.py takes sqlalchemy.url from alembic.ini)."""
        env = self.env()
        if database_url is not None:
            env["DATABASE_URL"] = database_url
        return self._run([self.python, "-m", "alembic", "-c", "alembic.ini", *args], project, env)

    def alembic_ok(self, project, db, *args):
        r = self.alembic(project, db, *args)
        check(r.returncode == 0, "Alembic failed:\n" + r.describe())
        return r

    def mm(self, project, *args, env=None, cwd=None):
        """manage_migrations -C project ARGS, started outside the project
        (or, with project None, without -C in `cwd`)."""
        full = self.env()
        full.update(env or {})
        cmd = [self.manage_migrations] + (["-C", project] if project else []) + list(args)
        return self._run(cmd, cwd or self.root, full)

    def mm_popen(self, project, *args):
        return subprocess.Popen([self.manage_migrations, "-C", project, *args], cwd=self.root,
                                env=self.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)

    def run_replay(self, project, *args):
        env = self.env()
        env["MIGCHECK_PYTHON"] = self.python
        return self._run([self.replay, "-C", project, *args], self.root, env)

    def sqlite3_cli(self, db, sql):
        return self._run(["sqlite3", "-bail", db], self.root, self.env(), stdin=sql)


def url(db):
    """The SQLAlchemy URL of an absolute path: sqlite:////tmp/x.db."""
    return "sqlite:///" + os.path.abspath(db)


def copy_db(source, target):
    shutil.copyfile(source, target)
    return target


# --- what a database holds -------------------------------------------------

def _default(text):
    """A column default without the parentheses SQLAlchemy puts around
    sa.text() defaults in some DDL and not in other: (CURRENT_TIMESTAMP) and
    CURRENT_TIMESTAMP are one default (docs: decisions.md, "Normalising")."""
    if text is None:
        return None
    text = text.strip()
    while text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        text = text[1:-1].strip()
    return text


def _balanced(text):
    depth = 0
    quote = None
    for ch in text:
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def snapshot(db):
    """What SQLite keeps of a database's schema, in a form that compares
    equal for equal schemas: per table its columns (PRAGMA table_info), its
    indexes (index_list + index_info, by name; SQLite's automatic indexes by
    origin and columns, since their numbers follow constraint order), its
    foreign keys (foreign_key_list, in no order), the set of sqlite_master
    (type, name, tbl_name), and the version table's rows. Not the SQL text:
    constraint order and batch-vs-in-place formatting may differ."""
    check(os.path.isfile(db), "database %s does not exist" % db)
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    try:
        master = set()
        tables = {}
        names = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        auto_names = {}
        for table in names:
            t = {"columns": {}, "column_order": [], "indexes": {}, "foreign_keys": []}
            for cid, name, type_, notnull, dflt, pk in con.execute(
                    "PRAGMA table_info(%s)" % quote(table)):
                t["columns"][name] = {"type": type_, "notnull": notnull,
                                      "default": _default(dflt), "pk": pk}
                t["column_order"].append(name)
            for seq, name, unique, origin, partial in con.execute(
                    "PRAGMA index_list(%s)" % quote(table)):
                cols = tuple(r[2] for r in con.execute("PRAGMA index_info(%s)" % quote(name)))
                key = name
                if name.startswith("sqlite_autoindex_"):
                    key = "<automatic %s index on %s>" % (origin, ", ".join(sorted(cols)))
                    auto_names[name] = key
                t["indexes"][key] = {"unique": unique, "origin": origin, "partial": partial,
                                     "columns": cols}
            fks = {}
            for row in con.execute("PRAGMA foreign_key_list(%s)" % quote(table)):
                fid, seq, ref, frm, to, on_update, on_delete, match = row
                fk = fks.setdefault(fid, {"table": ref, "from": [], "to": [], "on_update": on_update,
                                          "on_delete": on_delete, "match": match})
                fk["from"].append(frm)
                fk["to"].append(to)
            t["foreign_keys"] = sorted(
                (fk["table"], tuple(fk["from"]), tuple(fk["to"]), fk["on_update"], fk["on_delete"],
                 fk["match"]) for fk in fks.values())
            tables[table] = t
        for type_, name, tbl in con.execute("SELECT type, name, tbl_name FROM sqlite_master"):
            master.add((type_, auto_names.get(name, name), tbl))
        rows = []
        if VERSION_TABLE in tables:
            rows = sorted(r[0] for r in con.execute("SELECT version_num FROM " + VERSION_TABLE))
        return {"master": master, "tables": tables, "versions": rows}
    finally:
        con.close()


def contents(db):
    """Every table's rows (but the version table's), each value with its
    SQLite storage class, in a stable order."""
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    try:
        out = {}
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name != ? ORDER BY name",
            (VERSION_TABLE,))]
        for table in tables:
            cols = [r[1] for r in con.execute("PRAGMA table_info(%s)" % quote(table))]
            select = ", ".join("%s, typeof(%s)" % (quote(c), quote(c)) for c in cols)
            rows = []
            for row in con.execute("SELECT %s FROM %s" % (select, quote(table))):
                rows.append(tuple(sorted((c, row[2 * i], row[2 * i + 1])
                                         for i, c in enumerate(cols))))
            out[table] = sorted(rows, key=repr)
        return out
    finally:
        con.close()


def quote(name):
    return '"' + name.replace('"', '""') + '"'


def differences(expected, actual):
    """Lines saying how two snapshots differ; empty when they are equal.
    Column order is reported only as a note (decisions.md: it is never
    compared), by `order_notes`."""
    out = []
    if expected["versions"] != actual["versions"]:
        out.append("version rows: expected %s, actual %s" % (expected["versions"],
                                                              actual["versions"]))
    for item in sorted(expected["master"] - actual["master"]):
        out.append("sqlite_master: missing %s" % (item,))
    for item in sorted(actual["master"] - expected["master"]):
        out.append("sqlite_master: unexpected %s" % (item,))
    for table in sorted(set(expected["tables"]) & set(actual["tables"])):
        e = expected["tables"][table]
        a = actual["tables"][table]
        for col in sorted(set(e["columns"]) | set(a["columns"])):
            ec = e["columns"].get(col)
            ac = a["columns"].get(col)
            if ec != ac:
                out.append("%s.%s (PRAGMA table_info): expected %s, actual %s"
                           % (table, col, ec, ac))
        for idx in sorted(set(e["indexes"]) | set(a["indexes"])):
            ei = e["indexes"].get(idx)
            ai = a["indexes"].get(idx)
            if ei != ai:
                out.append("%s index %s (PRAGMA index_list/index_info): expected %s, actual %s"
                           % (table, idx, ei, ai))
        if e["foreign_keys"] != a["foreign_keys"]:
            out.append("%s foreign keys (PRAGMA foreign_key_list):\n    expected %s\n    actual   %s"
                       % (table, e["foreign_keys"], a["foreign_keys"]))
    return out


def order_notes(expected, actual):
    notes = []
    for table in sorted(set(expected["tables"]) & set(actual["tables"])):
        e = expected["tables"][table]["column_order"]
        a = actual["tables"][table]["column_order"]
        if e != a and sorted(e) == sorted(a):
            notes.append("note: %s columns in another order (not compared): expected %s, "
                         "actual %s" % (table, ", ".join(e), ", ".join(a)))
    return notes


def check_same_schema(expected_db, actual_db, what):
    """Fails, listing every difference, unless the two databases hold the
    same schema and version rows."""
    e = snapshot(expected_db)
    a = snapshot(actual_db)
    diff = differences(e, a)
    for note in order_notes(e, a):
        print("     %s: %s" % (what, note))
    if diff:
        raise Failure("%s: the schemas differ (expected %s, actual %s):\n  %s"
                      % (what, os.path.basename(expected_db), os.path.basename(actual_db),
                         "\n  ".join(diff)))


def running_lines(text):
    """Alembic's `Running upgrade/downgrade ...` log lines (INFO on stderr),
    without the logger's prefix."""
    out = []
    for line in text.splitlines():
        marker = "[alembic.runtime.migration] "
        if marker in line:
            line = line.split(marker, 1)[1]
        if line.startswith("Running upgrade ") or line.startswith("Running downgrade "):
            out.append(line)
    return out


# --- running the tests -----------------------------------------------------

def main(description, tests, argv=None):
    """Runs each test function (session -> None) in its own temporary
    folder, prints `ok`/`FAIL` per test and `N passed, M failed`; returns
    the exit code (1 when any failed, or none ran)."""
    args = parse_arguments(description, argv)
    python = common.find_python("import alembic, sqlalchemy, sys; "
                                "assert sys.version_info >= (3, 7)",
                                "import alembic and sqlalchemy",
                                "install them for it (Debian: apt-get install python3-alembic "
                                "python3-sqlalchemy)")
    version = subprocess.run([python, "-c", "import alembic, sqlalchemy, sqlite3; "
                              "print(alembic.__version__, sqlalchemy.__version__, "
                              "sqlite3.sqlite_version)"], capture_output=True, text=True)
    print("Alembic, SQLAlchemy, SQLite: %s" % version.stdout.strip(), flush=True)
    if shutil.which("sqlite3") is None:
        common.fail("the sqlite3 command-line tool is not installed (apt-get install sqlite3)")
    session = Session(args.build, python, args.keep)
    unknown = [n for n in args.tests if n not in [t.__name__ for t in tests]]
    if unknown:
        common.fail("no such test: %s" % ", ".join(unknown))
    passed = failed = 0
    for test in tests:
        if args.tests and test.__name__ not in args.tests:
            continue
        session.begin(test.__name__)
        started = time.monotonic()
        try:
            test(session)
            passed += 1
            print("ok   %s (%.1fs)" % (test.__name__, time.monotonic() - started), flush=True)
        except Failure as e:
            failed += 1
            print("FAIL %s: %s\n" % (test.__name__, e), flush=True)
        except Exception:  # a broken test is reported, and the others still run
            failed += 1
            print("FAIL %s: the test itself raised:\n%s" % (test.__name__,
                                                             traceback.format_exc()), flush=True)
        finally:
            session.end()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or passed == 0 else 0

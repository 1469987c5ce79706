#!/usr/bin/env python3
"""`migcheck-replay` with its own runner and with the real Alembic.

On the fixtures in tests/fixtures/migrations/, both runners must agree with
config/schema.yaml for `shop` and `branches` (exit 0, the whole summary line),
and both must fail `failing` with a replay-failed finding naming the revision
whose upgrade SQLite refuses. The scratch database the built-in runner keeps
must be the one `alembic upgrade heads` builds.

Usage: test_replay_vs_alembic.py --build BUILD_DIR [--keep] [TEST...]
Prints `ok`/`FAIL` per test, then `N passed, M failed`; exits 1 on any failure.
"""

import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interop  # noqa: E402
from interop import check, check_equal, check_same_schema  # noqa: E402

COUNT = {"shop": 10, "branches": 8, "audited": 12, "failing": 4}


def passes(s, fixture, runner):
    project = s.project(fixture)
    r = s.run_replay(project, "--runner", runner)
    where = ("run by Alembic (%s) on SQLite (a temporary file)" % s.python if runner == "alembic"
             else "on SQLite (in memory)")
    check_equal((r.returncode, r.stdout, r.stderr),
                (0, "replay: %d revisions %s, up and back down: the migrations build "
                    "config/schema.yaml\n" % (COUNT[fixture], where), ""),
                "migcheck-replay --runner %s on %s" % (runner, fixture))


def test_replay_builtin_shop(s):
    passes(s, "shop", "builtin")


def test_replay_alembic_shop(s):
    passes(s, "shop", "alembic")


def test_replay_builtin_branches(s):
    passes(s, "branches", "builtin")


def test_replay_alembic_branches(s):
    passes(s, "branches", "alembic")


def test_replay_builtin_audited(s):
    passes(s, "audited", "builtin")


def test_replay_alembic_audited(s):
    passes(s, "audited", "alembic")


def kept_database_matches_alembic(s, fixture, runner):
    """--keep --no-downgrade leaves the scratch database at the heads:
    the database `alembic upgrade heads` builds, version rows included."""
    project = s.project(fixture)
    ref = s.path("alembic-heads.db")
    s.alembic_ok(project, ref, "upgrade", "heads")
    kept = s.path("kept-%s.db" % runner)
    r = s.run_replay(project, "--runner", runner, "--keep", kept, "--no-downgrade")
    where = ("run by Alembic (%s) on SQLite (%s)" % (s.python, kept) if runner == "alembic"
             else "on SQLite (%s)" % kept)
    check_equal((r.returncode, r.stdout, r.stderr),
                (0, "replay: %d revisions %s, up only: the migrations build config/schema.yaml\n"
                    % (COUNT[fixture], where), ""),
                "migcheck-replay --runner %s --keep --no-downgrade" % runner)
    check_same_schema(ref, kept, "the kept scratch database (%s) vs alembic upgrade heads"
                      % runner)


def test_kept_database_matches_alembic_builtin_shop(s):
    kept_database_matches_alembic(s, "shop", "builtin")


def test_kept_database_matches_alembic_builtin_branches(s):
    kept_database_matches_alembic(s, "branches", "builtin")


def test_kept_database_matches_alembic_alembic_shop(s):
    kept_database_matches_alembic(s, "shop", "alembic")


FAILING_FINDING = (
    "alembic/versions/c8e0b3f6a2d9_audit_log_seeded_from_legacy_table.py:30:5: error: upgrade "
    "of revision c8e0b3f6a2d9 failed on SQLite: no such table: missing_table; the statement "
    "was: INSERT INTO missing_table VALUES (1) [replay-failed]")


def test_replay_builtin_failing(s):
    project = s.project("failing")
    r = s.run_replay(project, "--runner", "builtin")
    check_equal((r.returncode, r.stdout, r.stderr),
                (1, FAILING_FINDING + "\nreplay: 4 revisions on SQLite (in memory), up and back "
                                      "down: 1 error\n", ""),
                "migcheck-replay --runner builtin on failing")


def test_replay_alembic_failing(s):
    """Alembic's side of the finding ends with the last lines of its
    traceback; the lines that name SQLAlchemy's own source files change with
    its version, so the finding's first line and the lines that say what
    failed are asserted whole, and that only traceback lines lie between."""
    project = s.project("failing")
    r = s.run_replay(project, "--runner", "alembic")
    check_equal((r.returncode, r.stderr), (1, ""), "migcheck-replay --runner alembic on failing: "
                "exit code and stderr\n" + r.describe())
    lines = r.stdout.splitlines()
    check(len(lines) >= 5, "too few lines:\n" + r.describe())
    check_equal(lines[0], "alembic.ini: error: `alembic upgrade heads` on the scratch database "
                          "failed (exit 1):", "the finding's first line")
    check_equal(lines[-4:], [
        "sqlalchemy.exc.OperationalError: (sqlite3.OperationalError) no such table: missing_table",
        "[SQL: INSERT INTO missing_table VALUES (1)]",
        "(Background on this error at: https://sqlalche.me/e/14/e3q8) [replay-failed]",
        "replay: 4 revisions run by Alembic (%s) on SQLite (a temporary file), up and back down: "
        "1 error" % s.python], "the finding's last lines and the summary")
    for line in lines[1:-4]:
        check(line.startswith("  ") or line.startswith("Traceback") or
              line.startswith("The above exception") or line == "" or
              line.startswith("sqlite3.OperationalError"),
              "not a traceback line between the finding's first and last lines: %r\n%s"
              % (line, r.describe()))


def test_replay_failing_json(s):
    """--format json carries the same finding, with file, line and column."""
    import json
    project = s.project("failing")
    r = s.run_replay(project, "--runner", "builtin", "--format", "json")
    check_equal((r.returncode, r.stderr), (1, ""), "exit code and stderr\n" + r.describe())
    doc = json.loads(r.stdout)
    check_equal(doc["findings"], [{
        "severity": "error", "code": "replay-failed",
        "file": "alembic/versions/c8e0b3f6a2d9_audit_log_seeded_from_legacy_table.py",
        "line": 30, "column": 5,
        "message": "upgrade of revision c8e0b3f6a2d9 failed on SQLite: no such table: "
                   "missing_table; the statement was: INSERT INTO missing_table VALUES (1)"}],
                "the JSON findings")
    check_equal((doc["ok"], doc["scratch_complete"], doc["revisions"]), (False, False, 4),
                "ok, scratch_complete, revisions")


TESTS = [
    test_replay_builtin_shop,
    test_replay_alembic_shop,
    test_replay_builtin_branches,
    test_replay_alembic_branches,
    test_replay_builtin_audited,
    test_replay_alembic_audited,
    test_kept_database_matches_alembic_builtin_shop,
    test_kept_database_matches_alembic_builtin_branches,
    test_kept_database_matches_alembic_alembic_shop,
    test_replay_builtin_failing,
    test_replay_alembic_failing,
    test_replay_failing_json,
]

if __name__ == "__main__":
    sys.exit(interop.main(__doc__.split("\n\n")[0], TESTS))

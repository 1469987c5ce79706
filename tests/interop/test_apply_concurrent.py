#!/usr/bin/env python3
"""Several `manage_migrations apply` (or downgrade) at once on one SQLite file.

The fixture `audited` has twelve revisions, each of which also inserts a row
naming itself into migration_audit (and deletes it on downgrade). Started
together, the processes must all succeed, run every revision exactly once
between them (one audit row per revision, one `Running` line per revision
over all their outputs), and leave exactly the head in the version table and
the schema `alembic upgrade heads` builds.

Which process gets SQLite's lock between two revisions is up to the
scheduler, and a hand-over in the middle of the history happens in only a
few rounds in a hundred; so each test runs a hundred rounds (a round takes
50-250 ms; INTEROP_ROUNDS overrides the number) and prints how the revisions
were split, so that a run shows whether hand-overs happened.

Usage: test_apply_concurrent.py --build BUILD_DIR [--keep] [TEST...]
Prints `ok`/`FAIL` per test, then `N passed, M failed`; exits 1 on any failure.
"""

import os
import sqlite3
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interop  # noqa: E402
from interop import check, check_equal, check_same_schema  # noqa: E402

AUDITED = ["f2a752e6b438", "6513269e0d37", "0c5ca6a3a450", "d23f128b2f33", "1818892f902b",
           "95315d9dc9f8", "e8e20ed90475", "36f681e74ef5", "1600099950d8", "6b0d6f03675a",
           "3d9c11e20b8f", "8d111738f7d9"]
HEAD = AUDITED[-1]
ROUNDS = int(os.environ.get("INTEROP_ROUNDS", "100"))


def audit(db):
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    try:
        return sorted(r[0] for r in con.execute("SELECT revision FROM migration_audit"))
    finally:
        con.close()


def run_together(s, project, processes, *args):
    """Starts `processes` manage_migrations with ARGS at once; returns
    (exit code, stdout, stderr) of each."""
    started = [s.mm_popen(project, *args) for _ in range(processes)]
    out = []
    for p in started:
        stdout, stderr = p.communicate(timeout=300)
        out.append((p.returncode, stdout, stderr))
    return out


def check_split(results, expected_lines, db, command, where):
    """Every process exited 0 with nothing on stderr; between them they
    printed each expected Running line once; each one's last line counts
    what it ran."""
    seen = []
    counts = []
    everything = "\n".join("process %d: exit %d\n--- stdout\n%s--- stderr\n%s---"
                           % (n + 1, code, stdout, stderr)
                           for n, (code, stdout, stderr) in enumerate(results))
    for n, (code, stdout, stderr) in enumerate(results):
        what = "process %d of %d" % (n + 1, len(results))
        check(code == 0 and stderr == "", "%s: exit %d, stderr %r; what each process printed:\n%s"
              % (what, code, stderr, everything))
        mine = interop.running_lines(stdout)
        seen += mine
        lines = stdout.splitlines()
        check_equal(lines[:-1], mine, "%s: stdout before its last line" % what)
        ran = len(mine)
        summary = ("%s: nothing to run" % command if ran == 0 else
                   "%s: %d revision%s %s" % (command, ran, "" if ran == 1 else "s",
                                             "applied" if command == "apply" else "downgraded"))
        check_equal(lines[-1], "%s; %s is at %s" % (summary, interop.url(db), where),
                    "%s: its last line" % what)
        counts.append(ran)
    check_equal(sorted(seen), sorted(expected_lines),
                "the Running lines of all processes together (each revision exactly once)")
    return counts


def together_from(s, start, processes):
    project = s.project("audited")
    ref = s.path("alembic-heads.db")
    a = s.alembic_ok(project, ref, "upgrade", "heads")
    all_lines = interop.running_lines(a.stderr)
    check_equal(len(all_lines), len(AUDITED), "Alembic's Running lines")
    if start:
        halfway = s.path("alembic-%s.db" % AUDITED[start - 1])
        s.alembic_ok(project, halfway, "upgrade", AUDITED[start - 1])
    splits = []
    for n in range(ROUNDS):
        db = s.path("round%d.db" % n)
        if start:
            interop.copy_db(halfway, db)
        results = run_together(s, project, processes, "apply", "--url", interop.url(db))
        splits.append(check_split(results, all_lines[start:], db, "apply", "%s (head)" % HEAD))
        check_equal(audit(db), sorted(AUDITED), "round %d: migration_audit's rows" % n)
        check_equal(interop.snapshot(db)["versions"], [HEAD], "round %d: the version rows" % n)
        check_same_schema(ref, db, "round %d vs alembic upgrade heads" % n)
    report(splits)


def report(splits):
    handovers = [x for x in splits if len([n for n in x if n]) > 1]
    print("     %d rounds; the revisions were split between processes in %d of them%s"
          % (len(splits), len(handovers), (": %s" % handovers) if handovers else ""))


def test_two_applies_at_once_from_empty(s):
    together_from(s, 0, 2)


def test_two_applies_at_once_from_halfway(s):
    together_from(s, 6, 2)


def test_four_applies_at_once_from_empty(s):
    together_from(s, 0, 4)


def test_two_downgrades_at_once(s):
    project = s.project("audited")
    base = s.path("alembic-base.db")
    s.alembic_ok(project, base, "upgrade", "heads")
    a = s.alembic_ok(project, base, "downgrade", "base")
    all_lines = interop.running_lines(a.stderr)
    check_equal(len(all_lines), len(AUDITED), "Alembic's Running lines")
    head = s.path("apply-heads.db")
    r = s.mm(project, "apply", "--url", interop.url(head))
    check_equal(r.returncode, 0, "apply before the downgrades:\n" + r.describe())
    splits = []
    for n in range(ROUNDS):
        db = interop.copy_db(head, s.path("round%d.db" % n))
        results = run_together(s, project, 2, "downgrade", "base", "--url", interop.url(db))
        splits.append(check_split(results, all_lines, db, "downgrade",
                                  "base (no revision applied)"))
        check_equal(interop.snapshot(db)["versions"], [], "round %d: the version rows" % n)
        check_same_schema(base, db, "round %d vs alembic downgrade base" % n)
    report(splits)


TESTS = [
    test_two_applies_at_once_from_empty,
    test_two_applies_at_once_from_halfway,
    test_four_applies_at_once_from_empty,
    test_two_downgrades_at_once,
]

if __name__ == "__main__":
    sys.exit(interop.main(__doc__.split("\n\n")[0], TESTS))

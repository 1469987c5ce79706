#!/usr/bin/env python3
"""apply and downgrade TARGET against `alembic upgrade|downgrade TARGET`.

From a database Alembic brought to a starting revision, each target (a
relative step, an id prefix, `head`, `label@head`, `label@+1`, `label@base`,
a revision on another branch) is run by both tools on copies of it. Where
Alembic migrates, migcheck must end at the same schema and version rows;
where Alembic refuses, migcheck must refuse with exit 2 and change nothing.

Usage: test_targets_vs_alembic.py --build BUILD_DIR [--keep] [TEST...]
Prints `ok`/`FAIL` per test, then `N passed, M failed`; exits 1 on any failure.
"""

import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interop  # noqa: E402
from interop import Failure, check_same_schema  # noqa: E402


def refused(target, why):
    return "manage_migrations: error: target '%s': %s\n" % (target, why)


# (starting revision for `alembic upgrade`, or None for an empty database;
#  command; target; None when Alembic migrates, else migcheck's whole stderr)
SHOP_CASES = [
    ("5e9b7a1c3d28", "upgrade", "+2", None),
    ("5e9b7a1c3d28", "upgrade", "e0d3", None),
    ("5e9b7a1c3d28", "upgrade", "head", None),
    ("5e9b7a1c3d28", "upgrade", "3a7f1c9e2b40", None),    # below: nothing to do
    ("heads", "downgrade", "-3", None),
    ("heads", "downgrade", "head-2", None),
    ("heads", "downgrade", "72c8a0e4f9b6", None),
    ("5e9b7a1c3d28", "upgrade", "+20",
     refused("+20", "Relative revision +20 didn't produce 20 migrations")),
    ("5e9b7a1c3d28", "downgrade", "+1", refused("+1", "relative target +1 goes up; use upgrade")),
    ("5e9b7a1c3d28", "upgrade", "-1", refused("-1", "relative target -1 goes down; use downgrade")),
    (None, "upgrade", "nosuchrev", refused("nosuchrev", "No such revision or branch 'nosuchrev'")),
    ("5e9b7a1c3d28", "downgrade", "e0d3b5a7c912",
     refused("e0d3b5a7c912", "Destination e0d3b5a7c912 is not a valid downgrade target from "
                             "current head(s)")),
]

BRANCHES_CASES = [
    (None, "upgrade", "billing@+1", None),
    ("2c3d4e5f6a71", "upgrade", "billing@+1", None),      # the branch's first revision
    ("b1c2d3e4f5a6", "upgrade", "billing@+1", None),      # ... beside the other branch
    ("a1b2c3d4e5f6", "upgrade", "billing@+1", None),
    ("2c3d4e5f6a71", "upgrade", "billing@head", None),
    ("2c3d4e5f6a71", "upgrade", "billing@a1b2c3d4e5f6", None),
    ("2c3d4e5f6a71", "upgrade", "a1b2", None),
    ("b1c2d3e4f5a6", "upgrade", "+1", None),              # pulls in its depends_on
    ("a7b8c9d0e1f2", "upgrade", "+1", None),
    ("2c3d4e5f6a71", "upgrade", "+2",
     refused("+2", "Ambiguous walk from 2c3d4e5f6a71 for relative target +2")),
    ("a7b8c9d0e1f2", "downgrade", "billing@-1", None),
    ("a7b8c9d0e1f2", "downgrade", "billing@base", None),
    ("heads", "downgrade", "billing@base", None),
    ("b7c8d9e0f1a2", "downgrade", "-1", None),
    # a1b2c3d4e5f6 is below b7c8d9e0f1a2 only through depends_on.
    ("b7c8d9e0f1a2", "downgrade", "a1b2c3d4e5f6",
     refused("a1b2c3d4e5f6", "Destination a1b2c3d4e5f6 is not a valid downgrade target from "
                             "current head(s)")),
]


def targets_match(s, fixture, cases):
    project = s.project(fixture)
    problems = []
    for n, (start, command, target, mm_refusal) in enumerate(cases):
        what = "from %s: %s %s" % (start or "an empty database", command, target)
        theirs = s.path("case%d-alembic.db" % n)
        mine = s.path("case%d-migcheck.db" % n)
        if start:
            s.alembic_ok(project, theirs, "upgrade", start)
            interop.copy_db(theirs, mine)
        before = s.path("case%d-before.db" % n)
        if start:
            interop.copy_db(theirs, before)
        a = s.alembic(project, theirs, command, target)
        r = s.mm(project, "apply" if command == "upgrade" else command, target,
                 "--url", interop.url(mine))
        if a.returncode != 0:
            if mm_refusal is None:
                problems.append("%s: Alembic refuses, the test expected it to migrate:\n%s"
                                % (what, a.describe()))
                continue
            if (r.returncode, r.stdout, r.stderr) != (2, "", mm_refusal):
                problems.append("%s: Alembic refuses (%s); manage_migrations should refuse "
                                "with exit 2 and\n    %r\n  but:\n%s"
                                % (what, a.stdout.strip().splitlines()[-1], mm_refusal,
                                   r.describe()))
                continue
            if start:
                try:
                    check_same_schema(before, mine, what + " (refused: nothing may change)")
                except Failure as e:
                    problems.append(str(e))
            print("     %s: both refuse\n       alembic:  %s\n       migcheck: %s"
                  % (what, a.stdout.strip().splitlines()[-1], r.stderr.strip()))
            continue
        if mm_refusal is not None:
            problems.append("%s: Alembic migrates, the test expected it to refuse:\n%s"
                            % (what, a.describe()))
            continue
        if r.returncode != 0 or r.stderr != "":
            problems.append("%s: Alembic migrates (Running lines: %s), manage_migrations "
                            "does not:\n%s" % (what, interop.running_lines(a.stderr),
                                               r.describe()))
            continue
        try:
            check_same_schema(theirs, mine, what)
        except Failure as e:
            problems.append("%s\n  alembic ran: %s\n  migcheck ran: %s"
                            % (e, interop.running_lines(a.stderr),
                               interop.running_lines(r.stdout)))
    if problems:
        raise Failure("%d of %d cases differ:\n%s" % (len(problems), len(cases),
                                                      "\n".join(problems)))


def test_targets_match_alembic_shop(s):
    targets_match(s, "shop", SHOP_CASES)


def test_targets_match_alembic_branches(s):
    targets_match(s, "branches", BRANCHES_CASES)


TESTS = [
    test_targets_match_alembic_shop,
    test_targets_match_alembic_branches,
]

if __name__ == "__main__":
    sys.exit(interop.main(__doc__.split("\n\n")[0], TESTS))

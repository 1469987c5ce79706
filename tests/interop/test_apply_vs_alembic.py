#!/usr/bin/env python3
"""`manage_migrations apply|downgrade|stamp|current` against the real Alembic.

On the fixture projects in tests/fixtures/migrations/ (`shop`: a linear
history using every operation migcheck interprets; `branches`: a branch
point, a labelled branch, a depends_on and a merge; `failing`: a revision
whose second statement fails on SQLite), a database migrated by migcheck must
be the database Alembic makes: the same tables, columns, indexes, foreign keys
and version rows (interop.snapshot), whichever of the two ran which part of
the history, and Alembic must read migcheck's version table as its own.

Usage: test_apply_vs_alembic.py --build BUILD_DIR [--keep] [TEST...]
Prints `ok`/`FAIL` per test, then `N passed, M failed`; exits 1 on any failure.
"""

import os
import sqlite3
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interop  # noqa: E402
from interop import Failure, check, check_equal, check_same_schema  # noqa: E402

# Each fixture's revisions, parents first (an order Alembic can run them in),
# and its head as `alembic current` prints it.
SHOP = ["3a7f1c9e2b40", "8c2d4e6f1a93", "5e9b7a1c3d28", "b41f2e8d6c05", "72c8a0e4f9b6",
        "e0d3b5a7c912", "1f6a9c3e5d70", "94b2d6f8a1c3", "c07e1a5b9d24", "6d8f0b2a4e57"]
BRANCHES = ["0b1e2c3d4f50", "2c3d4e5f6a71", "a1b2c3d4e5f6", "a7b8c9d0e1f2", "b1c2d3e4f5a6",
            "b7c8d9e0f1a2", "d4e5f6a7b8c9", "e5f6a7b8c9d0"]
HEAD = {"shop": "6d8f0b2a4e57", "branches": "e5f6a7b8c9d0"}
# How apply and downgrade name the head in their last line (as `alembic
# current` does: no branch labels, tree marks).
HEAD_SHOWN = {"shop": "6d8f0b2a4e57 (head)", "branches": "e5f6a7b8c9d0 (head)"}
# Where a history can be stopped half-way: every revision of the linear one;
# in `branches`, both branches alone, the revision that depends on the other
# branch, and the merge.
HALFWAY = {"shop": SHOP[:-1],
           "branches": ["0b1e2c3d4f50", "2c3d4e5f6a71", "a1b2c3d4e5f6", "a7b8c9d0e1f2",
                        "b1c2d3e4f5a6", "b7c8d9e0f1a2", "d4e5f6a7b8c9"]}


def reference(s, fixture):
    """A copy of the fixture and the database `alembic upgrade heads` makes."""
    project = s.project(fixture)
    ref = s.path("%s-alembic-heads.db" % fixture)
    s.alembic_ok(project, ref, "upgrade", "heads")
    return project, ref


def alembic_current(s, project, db):
    """`alembic current`'s lines, sorted (Alembic prints a set)."""
    r = s.alembic_ok(project, db, "current")
    return sorted(r.stdout.splitlines())


def check_alembic_current(s, project, db, expected, what):
    check_equal(alembic_current(s, project, db), expected, "%s: `alembic current`" % what)


def apply_ok(s, project, db, *target, summary):
    """`manage_migrations apply [TARGET] --url`; exit 0, nothing on stderr,
    and `summary` as the last line of stdout."""
    r = s.mm(project, "apply", *target, "--url", interop.url(db))
    what = "manage_migrations apply %s" % " ".join(target)
    check(r.returncode == 0 and r.stderr == "", "%s failed:\n%s" % (what, r.describe()))
    lines = r.stdout.splitlines()
    check_equal(lines[-1] if lines else "", summary, "%s: the last line of stdout" % what)
    return r


def downgrade_ok(s, project, db, target, summary):
    r = s.mm(project, "downgrade", target, "--url", interop.url(db))
    what = "manage_migrations downgrade %s" % target
    check(r.returncode == 0 and r.stderr == "", "%s failed:\n%s" % (what, r.describe()))
    lines = r.stdout.splitlines()
    check_equal(lines[-1] if lines else "", summary, "%s: the last line of stdout" % what)
    return r


def applied(n, db, where):
    return "apply: %d revision%s applied; %s is at %s" % (n, "" if n == 1 else "s",
                                                         interop.url(db), where)


def downgraded(n, db, where):
    return "downgrade: %d revision%s downgraded; %s is at %s" % (n, "" if n == 1 else "s",
                                                                interop.url(db), where)


# --- (1) apply builds what `alembic upgrade heads` builds --------------------

def apply_matches_alembic(s, fixture, count):
    project, ref = reference(s, fixture)
    mine = s.path("m.db")
    apply_ok(s, project, mine, summary=applied(count, mine, HEAD_SHOWN[fixture]))
    check_alembic_current(s, project, mine, ["%s (head)" % HEAD[fixture]],
                          "the database apply upgraded")
    check_alembic_current(s, project, ref, ["%s (head)" % HEAD[fixture]],
                          "the database Alembic upgraded")
    check_same_schema(ref, mine, "apply vs alembic upgrade heads")
    # A second apply has nothing to do, and says so.
    r = s.mm(project, "apply", "--url", interop.url(mine))
    check_equal((r.returncode, r.stdout, r.stderr),
                (0, "apply: nothing to run; %s is at %s\n" % (interop.url(mine), HEAD_SHOWN[fixture]),
                 ""), "a second apply")
    check_same_schema(ref, mine, "after a second apply")


def test_apply_matches_alembic_shop(s):
    apply_matches_alembic(s, "shop", len(SHOP))


def test_apply_matches_alembic_branches(s):
    apply_matches_alembic(s, "branches", len(BRANCHES))


def log_matches_alembic(s, fixture, ordered):
    """apply and downgrade print Alembic's `Running upgrade a -> b, message`
    lines: the same lines (in the same order for a linear history; a
    branched one may run its branches in another valid order)."""
    project = s.project(fixture)
    theirs = s.path("alembic.db")
    mine = s.path("m.db")
    a_up = interop.running_lines(s.alembic_ok(project, theirs, "upgrade", "heads").stderr)
    m_up = s.mm(project, "apply", "--url", interop.url(mine))
    check_equal(m_up.returncode, 0, "apply's exit code")
    m_up_lines = interop.running_lines(m_up.stdout)
    a_down = interop.running_lines(s.alembic_ok(project, theirs, "downgrade", "base").stderr)
    m_down = s.mm(project, "downgrade", "base", "--url", interop.url(mine))
    check_equal(m_down.returncode, 0, "downgrade's exit code")
    m_down_lines = interop.running_lines(m_down.stdout)
    if not ordered:
        a_up, m_up_lines, a_down, m_down_lines = map(sorted, (a_up, m_up_lines, a_down,
                                                              m_down_lines))
    problems = []
    for what, a, m in (("upgrade heads", a_up, m_up_lines), ("downgrade base", a_down,
                                                               m_down_lines)):
        if a != m:
            problems.append("%s: the Running lines differ%s:\n  alembic:  %s\n  migcheck: %s"
                            % (what, "" if ordered else " (sorted)", "\n            ".join(a),
                               "\n            ".join(m)))
    if problems:
        raise Failure("\n".join(problems))


def test_apply_log_matches_alembic_shop(s):
    log_matches_alembic(s, "shop", True)


def test_apply_log_matches_alembic_branches(s):
    log_matches_alembic(s, "branches", False)


def current_matches_alembic(s, fixture, states):
    """`manage_migrations current` prints what `alembic current` prints,
    on databases Alembic brought to each state (a list of Alembic
    commands)."""
    project = s.project(fixture)
    problems = []
    for n, commands in enumerate(states):
        db = s.path("state%d.db" % n)
        for command in commands:
            s.alembic_ok(project, db, *command)
        theirs = alembic_current(s, project, db)
        r = s.mm(project, "current", "--url", interop.url(db))
        mine = sorted(r.stdout.splitlines())
        what = " then ".join("alembic " + " ".join(c) for c in commands) or "a new database"
        if r.returncode != 0 or r.stderr != "" or mine != theirs:
            problems.append("after %s:\n  alembic current:           %s\n  manage_migrations "
                            "current: %s (exit %d%s)"
                            % (what, theirs, mine, r.returncode,
                               ", stderr " + repr(r.stderr) if r.stderr else ""))
    if problems:
        raise Failure("\n".join(problems))


def test_current_matches_alembic_shop(s):
    current_matches_alembic(s, "shop", [
        [], [("upgrade", SHOP[0])], [("upgrade", "e0d3b5a7c912")], [("upgrade", "heads")],
        [("upgrade", "heads"), ("downgrade", "base")]])


def test_current_matches_alembic_branches(s):
    current_matches_alembic(s, "branches", [
        [("upgrade", "0b1e2c3d4f50")],
        [("upgrade", "2c3d4e5f6a71")],                 # a branch point
        [("upgrade", "a7b8c9d0e1f2")],                 # the labelled branch
        [("upgrade", "b7c8d9e0f1a2")],                 # depends on a1b2c3d4e5f6
        [("upgrade", "d4e5f6a7b8c9")],                 # the merge point
        [("upgrade", "heads")],
        [("upgrade", "heads"), ("downgrade", "b1c2d3e4f5a6")]])


# --- (2) half-way by one tool, finished by the other ------------------------

def halfway_alembic_then_apply(s, fixture):
    project, ref = reference(s, fixture)
    for rev in HALFWAY[fixture]:
        db = s.path("alembic-%s.db" % rev)
        s.alembic_ok(project, db, "upgrade", rev)
        before = interop.snapshot(db)["versions"]
        r = s.mm(project, "apply", "--url", interop.url(db))
        what = "alembic upgrade %s, then manage_migrations apply" % rev
        check(r.returncode == 0 and r.stderr == "", "%s failed:\n%s" % (what, r.describe()))
        check(r.stdout.endswith(" is at %s\n" % HEAD_SHOWN[fixture]),
              "%s: stdout does not end with the head:\n%s" % (what, r.describe()))
        check(before != [], "%s: Alembic wrote no version row" % what)
        check_alembic_current(s, project, db, ["%s (head)" % HEAD[fixture]], what)
        check_same_schema(ref, db, what)


def test_halfway_alembic_then_apply_shop(s):
    halfway_alembic_then_apply(s, "shop")


def test_halfway_alembic_then_apply_branches(s):
    halfway_alembic_then_apply(s, "branches")


def halfway_apply_then_alembic(s, fixture):
    """apply TARGET stops where `alembic upgrade TARGET` stops (same schema
    and version rows), and Alembic finishes the job from there."""
    project, ref = reference(s, fixture)
    for rev in HALFWAY[fixture]:
        theirs = s.path("alembic-%s.db" % rev)
        s.alembic_ok(project, theirs, "upgrade", rev)
        mine = s.path("apply-%s.db" % rev)
        r = s.mm(project, "apply", rev, "--url", interop.url(mine))
        what = "manage_migrations apply %s" % rev
        check(r.returncode == 0 and r.stderr == "", "%s failed:\n%s" % (what, r.describe()))
        check_same_schema(theirs, mine, "%s vs alembic upgrade %s" % (what, rev))
        check_equal(alembic_current(s, project, mine), alembic_current(s, project, theirs),
                    "%s: `alembic current`" % what)
        s.alembic_ok(project, mine, "upgrade", "heads")
        check_alembic_current(s, project, mine, ["%s (head)" % HEAD[fixture]],
                              what + ", then alembic upgrade heads")
        check_same_schema(ref, mine, what + ", then alembic upgrade heads")


def test_halfway_apply_then_alembic_shop(s):
    halfway_apply_then_alembic(s, "shop")


def test_halfway_apply_then_alembic_branches(s):
    halfway_apply_then_alembic(s, "branches")


# --- (2) downgrades ---------------------------------------------------------

def test_downgrade_steps_match_alembic_shop(s):
    """`downgrade -1`, one revision at a time down to base, on a database
    apply upgraded and on one Alembic upgraded, against `alembic downgrade
    -1` after each step."""
    project, ref = reference(s, "shop")
    theirs = interop.copy_db(ref, s.path("alembic-down.db"))
    on_alembic = interop.copy_db(ref, s.path("mm-down-on-alembic.db"))
    on_mine = s.path("mm-down-on-apply.db")
    apply_ok(s, project, on_mine, summary=applied(len(SHOP), on_mine, HEAD_SHOWN["shop"]))
    for i in range(len(SHOP) - 1, -1, -1):
        step = "downgrade -1 from %s" % SHOP[i]
        a = s.alembic_ok(project, theirs, "downgrade", "-1")
        where = SHOP[i - 1] if i > 0 else "base (no revision applied)"
        for db in (on_alembic, on_mine):
            r = downgrade_ok(s, project, db, "-1", downgraded(1, db, where))
            check_equal(interop.running_lines(r.stdout), interop.running_lines(a.stderr),
                        step + ": the Running line")
            check_same_schema(theirs, db, "%s (%s)" % (step, os.path.basename(db)))
        expected_current = [SHOP[i - 1]] if i > 0 else []
        check_alembic_current(s, project, on_mine, expected_current, step)
    # Below base both refuse, with one message, and nothing changes.
    a = s.alembic(project, theirs, "downgrade", "-1")
    r = s.mm(project, "downgrade", "-1", "--url", interop.url(on_mine))
    check(a.returncode != 0, "alembic downgrade -1 at base succeeded:\n" + a.describe())
    check_equal((r.returncode, r.stdout, r.stderr),
                (2, "", "manage_migrations: error: target '-1': Relative revision -1 didn't "
                        "produce 1 migrations\n"), "downgrade -1 at base")
    check(a.stdout.strip().endswith("FAILED: Relative revision -1 didn't produce 1 migrations"),
          "Alembic's message changed:\n" + a.describe())
    check_same_schema(theirs, on_mine, "after downgrade -1 at base")


def downgrade_base_matches_alembic(s, fixture, count):
    project, ref = reference(s, fixture)
    theirs = interop.copy_db(ref, s.path("alembic-base.db"))
    s.alembic_ok(project, theirs, "downgrade", "base")
    check_equal(interop.snapshot(theirs)["tables"].keys() - {"alembic_version"}, set(),
                "tables left by alembic downgrade base")
    on_alembic = interop.copy_db(ref, s.path("mm-base-on-alembic.db"))
    on_mine = s.path("mm-base-on-apply.db")
    apply_ok(s, project, on_mine, summary=applied(count, on_mine, HEAD_SHOWN[fixture]))
    for db in (on_alembic, on_mine):
        downgrade_ok(s, project, db, "base", downgraded(count, db, "base (no revision applied)"))
        check_same_schema(theirs, db, "downgrade base (%s)" % os.path.basename(db))
        check_alembic_current(s, project, db, [], "after downgrade base")


def test_downgrade_base_matches_alembic_shop(s):
    downgrade_base_matches_alembic(s, "shop", len(SHOP))


def test_downgrade_base_matches_alembic_branches(s):
    downgrade_base_matches_alembic(s, "branches", len(BRANCHES))


def test_downgrade_targets_match_alembic_branches(s):
    """Down through the merge, one branch, the other, the branch point and
    base, each step by both tools; `-1` at the merge point is refused by
    both ("Ambiguous walk")."""
    project, ref = reference(s, "branches")
    theirs = interop.copy_db(ref, s.path("alembic-down.db"))
    on_alembic = interop.copy_db(ref, s.path("mm-down-on-alembic.db"))
    on_mine = s.path("mm-down-on-apply.db")
    apply_ok(s, project, on_mine, summary=applied(len(BRANCHES), on_mine, HEAD_SHOWN["branches"]))
    steps = [("-1", 1, "d4e5f6a7b8c9 (mergepoint)"),
             ("b1c2d3e4f5a6", 2, "a7b8c9d0e1f2, b1c2d3e4f5a6"),
             ("a1b2c3d4e5f6", 1, "a1b2c3d4e5f6, b1c2d3e4f5a6"),
             ("2c3d4e5f6a71", 2, "2c3d4e5f6a71 (branchpoint)"),
             ("base", 2, "base (no revision applied)")]
    for n, (target, count, where) in enumerate(steps):
        s.alembic_ok(project, theirs, "downgrade", target)
        for db in (on_alembic, on_mine):
            downgrade_ok(s, project, db, target, downgraded(count, db, where))
            check_same_schema(theirs, db, "downgrade %s (%s)" % (target, os.path.basename(db)))
            check_equal(alembic_current(s, project, db), alembic_current(s, project, theirs),
                        "downgrade %s: `alembic current`" % target)
        if n == 0:
            a = s.alembic(project, theirs, "downgrade", "-1")
            r = s.mm(project, "downgrade", "-1", "--url", interop.url(on_mine))
            check("FAILED: Ambiguous walk" in a.stdout + a.stderr and a.returncode != 0,
                  "alembic downgrade -1 at the merge point:\n" + a.describe())
            check_equal((r.returncode, r.stdout, r.stderr),
                        (2, "", "manage_migrations: error: target '-1': Ambiguous walk from "
                                "d4e5f6a7b8c9 for relative target -1\n"),
                        "downgrade -1 at the merge point")
            check_same_schema(theirs, on_mine, "after the refused downgrade -1")


# --- (2) stamp --------------------------------------------------------------

def stamp_matches_alembic(s, fixture, steps):
    """`manage_migrations stamp T` and `alembic stamp T`, in turn on two
    databases: the same version rows, `alembic current` reads migcheck's,
    and no table but the version table appears."""
    project = s.project(fixture)
    theirs = s.path("alembic-stamp.db")
    mine = s.path("mm-stamp.db")
    for target, where, current in steps:
        s.alembic_ok(project, theirs, "stamp", target)
        r = s.mm(project, "stamp", target, "--url", interop.url(mine))
        check_equal((r.returncode, r.stdout, r.stderr),
                    (0, "stamp: %s is at %s (no revision was run)\n" % (interop.url(mine), where),
                     ""), "manage_migrations stamp %s" % target)
        check_same_schema(theirs, mine, "stamp %s" % target)
        check_alembic_current(s, project, mine, current, "manage_migrations stamp %s" % target)
        check_equal(sorted(interop.snapshot(mine)["tables"]), ["alembic_version"],
                    "tables after stamp %s" % target)


def test_stamp_matches_alembic_shop(s):
    stamp_matches_alembic(s, "shop", [
        ("5e9b7a1c3d28", "5e9b7a1c3d28", ["5e9b7a1c3d28"]),
        ("head", "6d8f0b2a4e57 (head)", ["6d8f0b2a4e57 (head)"]),
        ("e0d3b5a7c912", "e0d3b5a7c912", ["e0d3b5a7c912"]),
        ("base", "base (no revision applied)", [])])


def test_stamp_matches_alembic_branches(s):
    stamp_matches_alembic(s, "branches", [
        ("a1b2c3d4e5f6", "a1b2c3d4e5f6", ["a1b2c3d4e5f6"]),
        ("b1c2d3e4f5a6", "a1b2c3d4e5f6, b1c2d3e4f5a6", ["a1b2c3d4e5f6", "b1c2d3e4f5a6"]),
        ("heads", "e5f6a7b8c9d0 (head)", ["e5f6a7b8c9d0 (head)"]),
        ("2c3d4e5f6a71", "2c3d4e5f6a71 (branchpoint)", ["2c3d4e5f6a71 (branchpoint)"]),
        ("base", "base (no revision applied)", [])])


def test_stamp_then_apply_runs_the_rest_shop(s):
    """A database Alembic built up to a revision and migcheck stamped
    there (as after a restore) is finished by apply from that revision on."""
    project, ref = reference(s, "shop")
    db = s.path("stamped.db")
    s.alembic_ok(project, db, "upgrade", "72c8a0e4f9b6")
    s.alembic_ok(project, db, "stamp", "base", "--purge")
    r = s.mm(project, "stamp", "72c8a0e4f9b6", "--url", interop.url(db))
    check_equal(r.returncode, 0, "stamp's exit code\n" + r.describe())
    check_alembic_current(s, project, db, ["72c8a0e4f9b6"], "after manage_migrations stamp")
    apply_ok(s, project, db, summary=applied(5, db, HEAD_SHOWN["shop"]))
    check_same_schema(ref, db, "stamp, then apply")


# --- (2) with rows in the tables --------------------------------------------

SHOP_ROWS = """
INSERT INTO users (id, email, name, is_active, created_at, phone)
    VALUES (1, 'ann@example.com', 'Ann', 1, '2024-01-02 03:04:05', '+44 20 7946 0000'),
           (2, 'bob@example.com', 'Bob', 0, '2024-02-03 04:05:06', NULL);
INSERT INTO products (id, sku, slug, title, description, price, status, attributes, weight_grams)
    VALUES (1, 'MUG-1', 'mug', 'Mug', NULL, 12.5, 'active', '{"colour": "red"}', 250),
           (2, 'LAMP-1', 'lamp', 'Lamp', 'Bright', 150.0, 'active', NULL, 1200),
           (3, 'OLD-1', 'old', 'Old thing', NULL, 5, 'draft', NULL, NULL);
INSERT INTO orders (id, user_id, status, total, placed_at)
    VALUES (1, 1, 'new', 25.0, NULL), (2, 2, 'paid', 150.0, '2024-03-01 10:00:00');
INSERT INTO order_lines (order_id, product_id, quantity, unit_price)
    VALUES (1, 1, 2, 12.5), (2, 2, 1, 150.0);
INSERT INTO addresses (id, user_id, line1, city, postcode, country)
    VALUES (1, 1, '1 High Street', 'London', 'N1 9GU', 'GB');
"""


def query(db, sql):
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_rows_survive_like_alembic_shop(s):
    """Rows written before the batch revisions come through apply (table
    rebuilds, a renamed column, op.execute UPDATEs) exactly as they come
    through Alembic, upwards and back down."""
    project, ref = reference(s, "shop")
    start = s.path("with-rows.db")
    s.alembic_ok(project, start, "upgrade", "72c8a0e4f9b6")
    run = s.sqlite3_cli(start, SHOP_ROWS)
    check_equal((run.returncode, run.stderr), (0, ""), "inserting the rows")
    theirs = interop.copy_db(start, s.path("alembic-rows.db"))
    mine = interop.copy_db(start, s.path("apply-rows.db"))
    s.alembic_ok(project, theirs, "upgrade", "heads")
    apply_ok(s, project, mine, summary=applied(5, mine, HEAD_SHOWN["shop"]))
    check_same_schema(theirs, mine, "upgrade with rows")
    check_equal(interop.contents(mine), interop.contents(theirs), "the rows after apply "
                "(expected: after alembic upgrade heads)")
    # Not equal by both losing them: the rows are there, as the revisions say.
    check_equal(query(mine, "SELECT id, status FROM orders ORDER BY id"),
                [(1, "placed"), (2, "paid")], "orders after apply")
    check_equal(query(mine, "SELECT id, is_featured, description FROM products ORDER BY id"),
                [(1, 0, ""), (2, 1, "Bright"), (3, 0, "")], "products after apply")
    check_equal(query(mine, "SELECT id, name, phone_number FROM users ORDER BY id"),
                [(1, "Ann", "+44 20 7946 0000"), (2, "Bob", None)], "users after apply")
    s.alembic_ok(project, theirs, "downgrade", "72c8a0e4f9b6")
    downgrade_ok(s, project, mine, "72c8a0e4f9b6", downgraded(5, mine, "72c8a0e4f9b6"))
    check_same_schema(theirs, mine, "downgrade with rows")
    check_equal(interop.contents(mine), interop.contents(theirs), "the rows after downgrade "
                "(expected: after alembic downgrade)")


# --- where the database is ----------------------------------------------------

def test_url_sources_agree_with_alembic(s):
    """Without --url, apply migrates the database Alembic would: the one in
    DATABASE_URL, else sqlalchemy.url, a relative path starting where the
    command runs (-C DIR counts as running there)."""
    project, ref = reference(s, "shop")
    head = ["%s (head)" % HEAD["shop"]]
    # sqlalchemy.url = sqlite:///app.db, from outside the project with -C.
    r = s.mm(project, "apply")
    app_db = os.path.join(project, "app.db")
    check_equal((r.returncode, r.stderr, r.stdout.splitlines()[-1]),
                (0, "", "apply: 10 revisions applied; sqlite:///app.db is at %s"
                 % HEAD_SHOWN["shop"]), "apply with sqlalchemy.url")
    check(os.path.isfile(app_db), "apply did not create %s" % app_db)
    a = s.alembic_env_url(project, None, "current")
    check_equal((a.returncode, sorted(a.stdout.splitlines())), (0, head),
                "`alembic current` on sqlalchemy.url")
    check_same_schema(ref, app_db, "apply on sqlalchemy.url")
    # A relative DATABASE_URL, inside the project without -C.
    r = s.mm(None, "apply", env={"DATABASE_URL": "sqlite:///from-env.db"}, cwd=project)
    env_db = os.path.join(project, "from-env.db")
    check_equal((r.returncode, r.stderr), (0, ""), "apply with DATABASE_URL\n" + r.describe())
    a = s.alembic_env_url(project, "sqlite:///from-env.db", "current")
    check_equal((a.returncode, sorted(a.stdout.splitlines())), (0, head),
                "`alembic current` on DATABASE_URL")
    check_same_schema(ref, env_db, "apply on DATABASE_URL")
    # --url wins over DATABASE_URL.
    flag_db = s.path("flag.db")
    r = s.mm(project, "apply", "--url", interop.url(flag_db),
             env={"DATABASE_URL": "sqlite:///not-this.db"})
    check_equal((r.returncode, r.stderr), (0, ""), "apply --url with DATABASE_URL set")
    check(not os.path.exists(os.path.join(project, "not-this.db")) and
          not os.path.exists(s.path("not-this.db")), "apply --url also touched DATABASE_URL's file")
    check_same_schema(ref, flag_db, "apply --url")


# --- (3) a revision that fails ----------------------------------------------

FAILING_REVS = ["4e1d7c0a9b35", "9a5c2e8f1d47", "c8e0b3f6a2d9", "2b7f4a9c6e13"]
FAILING_FILE = "alembic/versions/c8e0b3f6a2d9_audit_log_seeded_from_legacy_table.py"
FAILING_STDERR = (
    FAILING_FILE + ":30:5: error: upgrade of revision c8e0b3f6a2d9 failed: no such table: "
    "missing_table; the statement was: INSERT INTO missing_table VALUES (1) [migration-failed]\n"
    "apply: stopped at revision c8e0b3f6a2d9; the database stays at 9a5c2e8f1d47\n")
FAILING_RUNNING = [
    "Running upgrade  -> 4e1d7c0a9b35, create customers",
    "Running upgrade 4e1d7c0a9b35 -> 9a5c2e8f1d47, add customer email",
    "Running upgrade 9a5c2e8f1d47 -> c8e0b3f6a2d9, audit log, seeded from the legacy table"]


def failing_apply(s, start):
    """apply exits 1 at the third revision, names it, its file and line,
    the statement and SQLite's message, and leaves the database exactly at
    the second revision: the third's CREATE TABLE is rolled back (Alembic
    itself, with SQLite's non-transactional DDL, would leave it behind)."""
    project = s.project("failing")
    with open(os.path.join(project, FAILING_FILE)) as f:
        check_equal(f.read().splitlines()[29].strip(),
                    'op.execute("INSERT INTO missing_table VALUES (1)")',
                    "line 30 of the failing revision")
    second = s.path("alembic-second.db")
    s.alembic_ok(project, second, "upgrade", "9a5c2e8f1d47")
    mine = s.path("m.db")
    if start:
        s.alembic_ok(project, mine, "upgrade", start)
    r = s.mm(project, "apply", "--url", interop.url(mine))
    skipped = FAILING_REVS.index(start) + 1 if start else 0
    check_equal((r.returncode, r.stdout, r.stderr),
                (1, "".join(line + "\n" for line in FAILING_RUNNING[skipped:]), FAILING_STDERR),
                "manage_migrations apply on `failing`%s" % (" from " + start if start else ""))
    check_alembic_current(s, project, mine, ["9a5c2e8f1d47"], "after the failed apply")
    check_same_schema(second, mine, "after the failed apply vs alembic upgrade 9a5c2e8f1d47")
    # Nothing was half-done: a second attempt fails the same way.
    r2 = s.mm(project, "apply", "--url", interop.url(mine))
    check_equal((r2.returncode, r2.stdout, r2.stderr),
                (1, FAILING_RUNNING[2] + "\n", FAILING_STDERR), "apply again")
    check_same_schema(second, mine, "after the second failed apply")


def test_failing_apply_stops_before_the_revision(s):
    failing_apply(s, None)


def test_failing_apply_from_alembic_halfway(s):
    failing_apply(s, "4e1d7c0a9b35")


def test_failing_apply_target_before_the_failure(s):
    """apply to the revision before the failing one succeeds, and equals
    Alembic's database there."""
    project = s.project("failing")
    theirs = s.path("alembic-second.db")
    s.alembic_ok(project, theirs, "upgrade", "9a5c2e8f1d47")
    mine = s.path("m.db")
    r = apply_ok(s, project, mine, "9a5c2e8f1d47", summary=applied(2, mine, "9a5c2e8f1d47"))
    check_equal(r.stdout, "".join(line + "\n" for line in FAILING_RUNNING[:2]) +
                applied(2, mine, "9a5c2e8f1d47") + "\n", "apply 9a5c2e8f1d47's stdout")
    check_same_schema(theirs, mine, "apply 9a5c2e8f1d47")


# --- (4) apply --sql through sqlite3 ----------------------------------------

def sql_through_sqlite3(s, fixture, start, downgrade_from):
    project, ref = reference(s, fixture)
    r = s.mm(project, "apply", "--sql")
    check(r.returncode == 0 and r.stderr == "" and r.stdout.startswith("CREATE TABLE alembic_version"),
          "manage_migrations apply --sql:\n" + r.describe())
    db = s.path("offline.db")
    run = s.sqlite3_cli(db, r.stdout)
    check_equal((run.returncode, run.stdout, run.stderr), (0, "", ""),
                "sqlite3 on apply --sql's output")
    check_same_schema(ref, db, "apply --sql | sqlite3")
    check_alembic_current(s, project, db, ["%s (head)" % HEAD[fixture]], "apply --sql | sqlite3")

    # FROM:TO on a database Alembic brought to FROM.
    half = s.path("offline-from-%s.db" % start)
    s.alembic_ok(project, half, "upgrade", start)
    r = s.mm(project, "apply", "--sql", "%s:heads" % start)
    check(r.returncode == 0 and r.stderr == "", "apply --sql %s:heads:\n%s" % (start, r.describe()))
    check("CREATE TABLE alembic_version" not in r.stdout,
          "apply --sql %s:heads creates the version table again" % start)
    run = s.sqlite3_cli(half, r.stdout)
    check_equal((run.returncode, run.stdout, run.stderr), (0, "", ""),
                "sqlite3 on apply --sql %s:heads's output" % start)
    check_same_schema(ref, half, "alembic upgrade %s, then apply --sql %s:heads | sqlite3"
                      % (start, start))

    # And back down: downgrade --sql HEAD:base on Alembic's database.
    down = interop.copy_db(ref, s.path("offline-down.db"))
    theirs = interop.copy_db(ref, s.path("alembic-down.db"))
    s.alembic_ok(project, theirs, "downgrade", "base")
    r = s.mm(project, "downgrade", "--sql", "%s:base" % downgrade_from)
    check(r.returncode == 0 and r.stderr == "", "downgrade --sql:\n" + r.describe())
    run = s.sqlite3_cli(down, r.stdout)
    check_equal((run.returncode, run.stdout, run.stderr), (0, "", ""),
                "sqlite3 on downgrade --sql's output")
    check_same_schema(theirs, down, "downgrade --sql %s:base | sqlite3" % downgrade_from)


def test_apply_sql_through_sqlite3_shop(s):
    sql_through_sqlite3(s, "shop", "e0d3b5a7c912", HEAD["shop"])


def test_apply_sql_through_sqlite3_branches(s):
    sql_through_sqlite3(s, "branches", "2c3d4e5f6a71", HEAD["branches"])


TESTS = [
    test_apply_matches_alembic_shop,
    test_apply_matches_alembic_branches,
    test_apply_log_matches_alembic_shop,
    test_apply_log_matches_alembic_branches,
    test_current_matches_alembic_shop,
    test_current_matches_alembic_branches,
    test_halfway_alembic_then_apply_shop,
    test_halfway_alembic_then_apply_branches,
    test_halfway_apply_then_alembic_shop,
    test_halfway_apply_then_alembic_branches,
    test_downgrade_steps_match_alembic_shop,
    test_downgrade_base_matches_alembic_shop,
    test_downgrade_base_matches_alembic_branches,
    test_downgrade_targets_match_alembic_branches,
    test_stamp_matches_alembic_shop,
    test_stamp_matches_alembic_branches,
    test_stamp_then_apply_runs_the_rest_shop,
    test_rows_survive_like_alembic_shop,
    test_url_sources_agree_with_alembic,
    test_failing_apply_stops_before_the_revision,
    test_failing_apply_from_alembic_halfway,
    test_failing_apply_target_before_the_failure,
    test_apply_sql_through_sqlite3_shop,
    test_apply_sql_through_sqlite3_branches,
]

if __name__ == "__main__":
    sys.exit(interop.main(__doc__.split("\n\n")[0], TESTS))

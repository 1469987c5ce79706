#!/usr/bin/env python3
"""migcheck's `history` and `heads` against Alembic's own output.

For every fixture under tests/fixtures/histories that Alembic 1.8 can read,
and for a seeded generated project (gen_revisions.py), runs `history`,
`heads` and several `history -r START:END` ranges with manage_migrations and
with Alembic (through alembic_sorted.py, which lists version files in name
order as migcheck does) and compares what they print.

Two normalisations, both for orders Alembic leaves to chance: `heads` lines
are sorted (migcheck sorts heads by id), and the branch labels in one
revision's `(label, ...)` group are sorted (Alembic keeps them in a set).

When both tools reject a range the case passes, and the two error messages are
shown (and counted when they differ). Where Alembic itself crashes (a Python
traceback, not a "FAILED:" message) there is nothing to compare: the case is
listed as ALEMBIC CRASHED with what migcheck printed, and counted apart.

Usage: test_history_vs_alembic.py --manage-migrations PATH [--seed N] [--count N]
Prints a unified diff for every mismatch, then `N passed, M failed`; exits 1
on any mismatch.
"""

import difflib
import os
import re
import shutil
import sys
import tempfile

# The tests run from the source tree; keep it free of __pycache__ folders.
sys.dont_write_bytecode = True
import common  # noqa: E402

# Fixtures Alembic 1.8.1 cannot read, with the reason; their files are still
# compared with CPython's ast by test_reader_vs_ast.py.
NOT_ALEMBIC_18 = {
    "recursive": "recursive_version_locations is new in Alembic 1.10",
}

# Ranges worth trying beyond the ones chosen from each history's shape.
EXTRA_RANGES = {
    "prefix_ids": ["kilo:lima", "kilo2:", "3f9a1:", "3f9a1c:heads", "c47d:", "0b4e:mike",
                   "3f9a:heads", "kilo:-1"],
    "labels": ["shoppingcart@base:shoppingcart@head", "networking@base:networking@head",
               "reporting@base:", "base:shoppingcart@head", "1e9f7a3b5c60:heads"],
    "merges": [":head-1", "base:head-2", "e5f7a9b1d3c4:3a4b5c6d7e8f", "b2e4d6f8a0c1:+2",
               "nosuchrev:heads"],
    "depends_on": ["c0ffee000002:heads", "base:c0ffee000004", "feed00000001:"],
}

_MARKS = {"head", "effective head", "branchpoint", "mergepoint", "current"}
_LABELS = re.compile(r"^(.*? -> [^ ,]+|[^ ,]+) \(([^()]*)\)")


def sort_labels(line):
    """The line with the labels of its revision in sorted order."""
    m = _LABELS.match(line)
    if not m or m.group(2) in _MARKS:
        return line
    labels = ", ".join(sorted(m.group(2).split(", ")))
    return "%s (%s)%s" % (m.group(1), labels, line[m.end():])


def normalise(command, text):
    lines = [sort_labels(line) for line in text.split("\n")]
    if lines and lines[-1] == "":
        lines.pop()
    if command[0] == "heads":
        lines.sort()
    return lines


def chosen_ranges(name, doc):
    """Ranges that exercise each history: ids in the middle of it, prefixes,
    branch labels and, with one head, relative steps."""
    revs = [r["revision"] for r in doc["revisions"]]
    ids = set(revs)
    out = []
    if revs:
        n = len(revs)
        newer, mid, older = revs[n // 4], revs[n // 2], revs[(3 * n) // 4]
        out += ["base:%s" % mid, "%s:heads" % mid, "%s:" % mid, ":%s" % mid,
                "%s:%s" % (older, newer)]
        for k in (8, 6, 4):
            prefix = mid[:k]
            if len(mid) > k and [i for i in ids if i.startswith(prefix)] == [mid]:
                out.append("%s:heads" % prefix)
                break
    labels = sorted({lb for r in doc["revisions"] for lb in r["declared_branch_labels"]})
    for label in labels[:3]:
        out.append("%s@base:%s@head" % (label, label))
    heads = [r for r in doc["revisions"] if r["is_head"] or r["is_effective_head"]]
    if len(heads) == 1 and len(revs) > 3:
        out += [":head-1", "%s:head" % revs[-1]]
    out += EXTRA_RANGES.get(name, [])
    seen = set()
    return [r for r in out if not (r in seen or seen.add(r))]


def alembic_env():
    env = dict(os.environ)
    # A fixed hash seed keeps Alembic's set iteration, and so its output,
    # the same from run to run.
    env["PYTHONHASHSEED"] = "0"
    env["PYTHONIOENCODING"] = "utf-8"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def last_line(text):
    lines = text.strip().splitlines()
    return lines[-1] if lines else ""


def compare(name, project, command, tool, python):
    """Runs one command both ways.

    Returns ("ok", None), ("mismatch", report) or ("crash", report) when
    Alembic fails with an internal error rather than a user-facing one."""
    alembic = common.run([python, os.path.join(common.HERE, "alembic_sorted.py"), "-c",
                          "alembic.ini"] + command, cwd=project, env=alembic_env())
    mine = common.run([tool, "-C", project] + command)
    title = "%s: %s" % (name, " ".join(command))
    a_out = alembic.stdout.decode("utf-8", "replace")
    m_out = mine.stdout.decode("utf-8", "replace")
    a_err = alembic.stderr.decode("utf-8", "replace").strip()
    m_err = mine.stderr.decode("utf-8", "replace").strip()
    # Alembic exits non-zero with "FAILED: ..." for what it rejects; a Python
    # traceback is a crash inside Alembic. migcheck exits 1 when it printed
    # its output but found problems, 2 or more when it rejects the command.
    a_crashed = alembic.returncode != 0 and "Traceback (most recent call last)" in a_err
    a_rejects = alembic.returncode != 0 and not a_crashed
    m_rejects = mine.returncode >= 2
    if a_crashed:
        return "crash", ("ALEMBIC CRASHED %s\n  alembic: %s\n  migcheck exit %d, %d lines%s"
                         % (title, last_line(a_err), mine.returncode,
                            len(m_out.splitlines()),
                            (": " + last_line(m_err)) if m_err else ""))
    if a_rejects and m_rejects:
        # Alembic prints "FAILED: why" on stdout; migcheck prints
        # "manage_migrations: error: -r RANGE: why" on stderr.
        a_why = re.sub(r"^FAILED: ", "", last_line(a_err) or last_line(a_out))
        m_why = re.sub(r"^manage_migrations: error: (-r \S*: )?", "", last_line(m_err))
        same = a_why == m_why
        print("ok   %s (both reject%s)\n       alembic:  %s\n       migcheck: %s"
              % (title, "" if same else "; the messages differ", a_why, m_why))
        return ("ok" if same else "ok-message"), None
    if a_rejects or m_rejects:
        return "mismatch", ("MISMATCH %s\n  alembic exit %d: %s\n  migcheck exit %d: %s\n"
                            "  alembic stdout:\n%s\n  migcheck stdout:\n%s"
                            % (title, alembic.returncode, a_err, mine.returncode, m_err,
                               common.show_text(a_out), common.show_text(m_out)))
    want = normalise(command, a_out)
    got = normalise(command, m_out)
    problems = []
    if mine.returncode != 0:
        lines = m_err.splitlines()
        shown = "\n".join(lines[:8]) + ("\n... and %d more" % (len(lines) - 8)
                                        if len(lines) > 8 else "")
        problems.append("migcheck exit %d, reporting problems Alembic does not see:\n%s"
                        % (mine.returncode, shown))
    if want != got:
        diff = difflib.unified_diff([common.show_text(x) for x in want],
                                    [common.show_text(x) for x in got],
                                    "alembic " + " ".join(command),
                                    "migcheck " + " ".join(command), lineterm="")
        problems.append("\n".join(diff))
    if problems:
        return "mismatch", "MISMATCH %s\n%s" % (title, "\n".join(problems))
    print("ok   %s (%d lines)" % (title, len(want)))
    return "ok", None


def main(argv=None):
    args = common.parse_arguments(__doc__.split("\n\n")[0], argv)

    tool = common.check_tool(args.manage_migrations)
    python = common.find_python("import alembic, sqlalchemy, sys; "
                                "assert sys.version_info >= (3, 10)",
                                "import alembic and sqlalchemy",
                                "install them for it (Debian: apt-get install python3-alembic "
                                "python3-sqlalchemy)")
    version = common.run([python, "-c", "import alembic; print(alembic.__version__)"])
    print("Alembic %s" % version.stdout.decode().strip(), flush=True)

    scratch = tempfile.mkdtemp(prefix="migcheck-history-")
    try:
        generated = os.path.join(scratch, "generated")
        gen = common.run([python, os.path.join(common.HERE, "gen_revisions.py"), "--out",
                          generated, "--seed", str(args.seed), "--count", str(args.count)])
        if gen.returncode != 0:
            common.fail("gen_revisions.py failed: %s" % gen.stderr.decode("utf-8", "replace"))
        projects = common.fixture_projects(args.fixtures)
        projects.append(("generated(seed=%d)" % args.seed, generated))
        passed = failed = crashed = reworded = 0
        for name, project in projects:
            if name in NOT_ALEMBIC_18:
                print("not compared with Alembic: %s (%s)" % (name, NOT_ALEMBIC_18[name]))
                continue
            doc, error = common.migcheck_json(tool, project)
            if doc is None:
                print("MISMATCH %s: manage_migrations history --format json failed: %s\n"
                      % (name, error))
                failed += 1
                continue
            commands = [["history"], ["heads"]]
            commands += [["history", "-r", r] for r in chosen_ranges(name, doc)]
            for command in commands:
                outcome, report = compare(name, project, command, tool, python)
                if outcome == "ok":
                    passed += 1
                elif outcome == "ok-message":
                    passed += 1
                    reworded += 1
                elif outcome == "crash":
                    print(report + "\n", flush=True)
                    crashed += 1
                else:
                    print(report + "\n", flush=True)
                    failed += 1
    finally:
        if args.keep:
            print("kept the generated project in %s" % scratch)
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    if reworded:
        print("%d of the passed cases: both reject, in other words (see \"the messages "
              "differ\" above)" % reworded)
    if crashed:
        print("%d not compared: Alembic crashed on them (see ALEMBIC CRASHED above)" % crashed)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

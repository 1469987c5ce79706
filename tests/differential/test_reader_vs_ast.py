#!/usr/bin/env python3
"""migcheck's revision reader against CPython's `ast`, file by file.

Generates a seeded project of varied revision files (gen_revisions.py), then
for it and every fixture under tests/fixtures/histories reads each revision
file twice: with `manage_migrations history --format json` and with
ast_extract.py. revision, down_revision, declared_branch_labels, depends_on,
message and create_date must agree; a file the reference reads must not draw a
finding from migcheck, and one it rejects must draw the same finding code.

Usage: test_reader_vs_ast.py --manage-migrations PATH [--seed N] [--count N] [--keep]
Prints every mismatch with an excerpt of the file, then `N passed, M failed`;
exits 1 on any mismatch.
"""

import json
import os
import shutil
import sys
import tempfile

# The tests run from the source tree; keep it free of __pycache__ folders.
sys.dont_write_bytecode = True
import common  # noqa: E402

FIELDS = ("revision", "down_revision", "declared_branch_labels", "depends_on", "message",
          "create_date")

# migcheck's finding code for each reason the reference rejects a file.
EXPECTED_CODE = {"syntax": "syntax-error"}

# Findings about a file's own text. Others are about the graph the files form
# (a missing parent, a duplicate id); in these valid projects they follow from
# a file misread elsewhere, so they are reported once per project, apart.
READER_CODES = {"syntax-error", "non-literal-header", "invalid-revision-id",
                "missing-revision-id", "missing-down-revision", "cycle"}


def reference(python, project, files):
    """ast_extract.py's reading of the files, keyed by project-relative path."""
    result = common.run([python, os.path.join(common.HERE, "ast_extract.py"), "--root", project]
                        + [os.path.join(project, f) for f in files])
    if result.returncode != 0:
        common.fail("ast_extract.py failed on %s: %s"
                    % (project, result.stderr.decode("utf-8", "replace")))
    return json.loads(result.stdout.decode("utf-8"))


def describe_findings(findings):
    return "\n".join("    migcheck: %s:%s:%s: %s [%s]" % (f["file"], f["line"], f["column"],
                                                         f["message"], f["code"])
                     for f in findings)


def compare_project(name, project, tool, python, generated):
    """Compares one project; returns (passed, list of failure reports)."""
    files = common.revision_files(project)
    if not files:
        return 0, ["%s: no revision files found under %s" % (name, project)]
    ref = reference(python, project, files)
    doc, error = common.migcheck_json(tool, project)
    if doc is None:
        return 0, ["%s: manage_migrations history --format json failed: %s" % (name, error)]
    revisions = {}
    for rev in doc["revisions"]:
        revisions.setdefault(common.relative_path(project, rev["path"]), []).append(rev)
    findings = {}
    graph_findings = []
    for f in doc["findings"]:
        if f["code"] in READER_CODES:
            findings.setdefault(common.relative_path(project, f["file"]), []).append(f)
        else:
            graph_findings.append(f)

    passed = 0
    failures = []
    for path in files:
        want = ref[path]
        got = revisions.get(path, [])
        notes = findings.get(path, [])
        problems = []
        lines = [want.get("line")] + [f["line"] for f in notes]
        if "error" in want:
            if generated and want["error"] == "syntax":
                problems.append("the generator wrote invalid Python (%s): a bug in "
                                "gen_revisions.py, not in migcheck" % want.get("why"))
            code = EXPECTED_CODE.get(want["error"], want["error"])
            if got:
                problems.append("CPython: rejected (%s: %s); migcheck: read revision %r"
                                % (want["error"], want.get("why"), got[0]["revision"]))
            elif not any(f["code"] == code for f in notes):
                problems.append("CPython: rejected (%s: %s); migcheck: no `%s` finding"
                                % (want["error"], want.get("why"), code))
        elif not got:
            problems.append("CPython: read revision %r; migcheck: read no revision"
                            % want["revision"])
        else:
            if len(got) > 1:
                problems.append("migcheck listed this file %d times" % len(got))
            for field in FIELDS:
                if got[0].get(field) != want[field]:
                    problems.append("%s differs\n      CPython:  %s\n      migcheck: %s"
                                    % (field, json.dumps(want[field], ensure_ascii=False),
                                       json.dumps(got[0].get(field), ensure_ascii=False)))
            if notes:
                problems.append("CPython reads this file cleanly, but migcheck reports:")
        if problems:
            text = "MISMATCH %s: %s\n  - %s" % (name, path, "\n  - ".join(problems))
            if notes:
                text += "\n" + describe_findings(notes)
            text += "\n" + common.excerpt(os.path.join(project, path), lines)
            failures.append(text)
        else:
            passed += 1
    unknown = sorted(set(revisions) - set(files)) + sorted(set(findings) - set(files))
    for path in unknown:
        failures.append("MISMATCH %s: migcheck reports %s, which is not a revision file:\n%s"
                        % (name, path, describe_findings(findings.get(path, []))))
    if graph_findings:
        failures.append("MISMATCH %s: migcheck reports %d problems with the graph that CPython's "
                        "reading of these files does not have (often a consequence of the "
                        "mismatches above):\n%s"
                        % (name, len(graph_findings), describe_findings(graph_findings)))
    return passed, failures


def main(argv=None):
    args = common.parse_arguments(__doc__.split("\n\n")[0], argv)

    tool = common.check_tool(args.manage_migrations)
    # The generated files use `match` statements: Python 3.10 or later.
    python = common.find_python("import ast, sys; assert sys.version_info >= (3, 10)",
                                "parse Python 3.10 syntax with ast",
                                "install Python 3.10 or later (Debian: apt-get install python3)")
    scratch = tempfile.mkdtemp(prefix="migcheck-reader-")
    try:
        generated = os.path.join(scratch, "generated")
        gen = common.run([python, os.path.join(common.HERE, "gen_revisions.py"), "--out",
                          generated, "--seed", str(args.seed), "--count", str(args.count)])
        if gen.returncode != 0:
            common.fail("gen_revisions.py failed: %s" % gen.stderr.decode("utf-8", "replace"))
        projects = [("generated(seed=%d)" % args.seed, generated, True)]
        projects += [(n, p, False) for n, p in common.fixture_projects(args.fixtures)]
        passed = failed = 0
        for name, project, is_generated in projects:
            ok, failures = compare_project(name, project, tool, python, is_generated)
            for text in failures:
                print(text + "\n", flush=True)
            print("%s: %d files agree, %d mismatches" % (name, ok, len(failures)), flush=True)
            passed += ok
            failed += len(failures)
    finally:
        if args.keep:
            print("kept the generated project in %s" % scratch)
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""migcheck's models reader against SQLAlchemy's own MetaData.

For every fixture package under tests/fixtures/models/<name>/<package>/,
dump_models (the reader) and dump_sqlalchemy_metadata.py (SQLAlchemy 1.4,
importing the package) print the schema as JSON in one shape; the two must be
equal, and the reader must report nothing for these packages. Python files at
a fixture's top level (the Flask-SQLAlchemy stand-in) are not models: only
SQLAlchemy imports them.

2.0-style models cannot be imported by SQLAlchemy 1.4; the unit tests cover
them.

Usage: test_models_vs_sqlalchemy.py --dump-models PATH
Prints a unified diff for every mismatch, then `N passed, M failed`; exits 1
on any mismatch.
"""

import argparse
import difflib
import json
import os
import subprocess
import sys

sys.dont_write_bytecode = True
import common  # noqa: E402

FIXTURES = os.path.join(common.REPO, "tests", "fixtures", "models")
DUMP = os.path.join(common.HERE, "dump_sqlalchemy_metadata.py")


def fixture_packages():
    out = []
    for name in sorted(os.listdir(FIXTURES)):
        folder = os.path.join(FIXTURES, name)
        packages = [p for p in sorted(os.listdir(folder))
                    if os.path.isfile(os.path.join(folder, p, "__init__.py"))]
        if len(packages) != 1:
            common.fail("fixture %s must hold exactly one package, found %r" % (name, packages))
        out.append((name, folder, packages[0]))
    if not out:
        common.fail("no fixture packages under %s" % FIXTURES)
    return out


def model_files(folder, package):
    files = []
    for dirpath, dirnames, filenames in os.walk(os.path.join(folder, package)):
        dirnames.sort()
        files += [os.path.relpath(os.path.join(dirpath, f), folder)
                  for f in sorted(filenames) if f.endswith(".py")]
    return files


def pretty(j):
    return json.dumps(j, indent=2, sort_keys=True).splitlines()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dump-models", required=True)
    args = parser.parse_args()
    tool = common.check_tool(args.dump_models)
    python = common.find_python("import sqlalchemy", "import SQLAlchemy",
                                "install python3-sqlalchemy")
    passed = failed = 0
    for name, folder, package in fixture_packages():
        ours = subprocess.run([tool] + model_files(folder, package), cwd=folder,
                              capture_output=True, text=True)
        theirs = subprocess.run([python, DUMP, folder, package], capture_output=True, text=True)
        if ours.returncode != 0 or theirs.returncode != 0:
            print("FAIL %s: dump_models exit %d: %s; SQLAlchemy exit %d: %s"
                  % (name, ours.returncode, ours.stderr.strip(), theirs.returncode,
                     theirs.stderr.strip()))
            failed += 1
            continue
        read = json.loads(ours.stdout)
        expected = json.loads(theirs.stdout)
        problems = []
        if read["findings"] or read["unchecked"]:
            problems.append("the reader reported:\n  " + "\n  ".join(read["findings"]))
        if read["schema"] != expected:
            diff = difflib.unified_diff(pretty(expected), pretty(read["schema"]),
                                        "sqlalchemy", "migcheck", lineterm="")
            problems.append("\n".join(diff))
        if problems:
            print("FAIL %s:\n%s" % (name, "\n".join(problems)))
            failed += 1
        else:
            print("ok %s (%d tables)" % (name, len(expected["tables"])))
            passed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Helpers shared by the differential tests.

The tests may be started by any Python; the reference tools (CPython's `ast`,
Alembic) run in an interpreter found here, so that a Python without Alembic
first on PATH does not silently weaken the comparison.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
FIXTURES = os.path.join(REPO, "tests", "fixtures", "histories")

# Alembic's rule for which files in a version location are revisions.
_REVISION_FILE = re.compile(r"(?!\.\#|__init__)(.*\.py)$")


def fail(message):
    print("FAIL: " + message, flush=True)
    sys.exit(1)


def find_python(probe, needs, hint):
    """The first interpreter for which `probe` (Python code) runs cleanly.

    /usr/bin/python3 comes first: Debian's python3-alembic is installed for
    it, while the python3 first on PATH may be another one."""
    candidates = ["/usr/bin/python3", sys.executable]
    for name in ("python3", "python3.13", "python3.12", "python3.11", "python3.10", "python"):
        found = shutil.which(name)
        if found:
            candidates.append(found)
    tried = []
    for exe in candidates:
        if not exe or exe in tried or not os.path.exists(exe):
            continue
        tried.append(exe)
        try:
            result = subprocess.run([exe, "-c", probe], capture_output=True, timeout=120)
        except OSError:
            continue
        if result.returncode == 0:
            version = subprocess.run([exe, "-c", "import sys; print(sys.version.split()[0])"],
                                     capture_output=True, text=True).stdout.strip()
            print("using %s (Python %s) for %s" % (exe, version, needs), flush=True)
            return exe
    fail("no Python interpreter can %s (tried: %s); %s"
         % (needs, ", ".join(tried) or "none found", hint))


def check_tool(path):
    if not path or not os.path.isfile(path) or not os.access(path, os.X_OK):
        fail("--manage-migrations %r is not an executable file; build it first" % path)
    return os.path.abspath(path)


def is_revision_file(name):
    return bool(_REVISION_FILE.match(name))


def fixture_projects(root=FIXTURES):
    """(name, folder) for every fixture history, in name order."""
    if not os.path.isdir(root):
        fail("fixture folder %s does not exist" % root)
    out = []
    for name in sorted(os.listdir(root)):
        folder = os.path.join(root, name)
        if os.path.isfile(os.path.join(folder, "alembic.ini")):
            out.append((name, folder))
    if not out:
        fail("no fixture histories (folders with alembic.ini) under %s" % root)
    return out


def revision_files(project):
    """Every revision file in a project, relative to it with '/' separators.

    Projects hold nothing but alembic.ini and revision files, so every file
    Alembic would take for a revision, in any folder, is one."""
    out = []
    for folder, dirs, files in os.walk(project):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if is_revision_file(name) and name != "env.py":
                path = os.path.join(folder, name)
                out.append(os.path.relpath(path, project).replace(os.sep, "/"))
    return out


def run(cmd, cwd=None, env=None):
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, timeout=600)


def migcheck_json(tool, project, *extra):
    """Runs `manage_migrations -C project history --format json`."""
    result = run([tool, "-C", project, "history", "--format", "json"] + list(extra))
    if result.returncode not in (0, 1):
        return None, "exit %d: %s" % (result.returncode, result.stderr.decode("utf-8", "replace"))
    try:
        return json.loads(result.stdout.decode("utf-8")), None
    except (UnicodeDecodeError, ValueError) as e:
        return None, "output is not JSON (%s): %r" % (e, result.stdout[:300])


def relative_path(project, path):
    """A path migcheck printed, relative to the project."""
    if os.path.isabs(path):
        path = os.path.relpath(os.path.realpath(path), os.path.realpath(project))
    return path.replace(os.sep, "/")


def show_text(text):
    """Text with the characters a terminal hides made visible."""
    out = []
    for ch in text:
        if ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\ufeff":
            out.append("<BOM>")
        elif ch != "\n" and (ord(ch) < 32 or ord(ch) == 127 or ch in "\u00a0\u2028\u2029\x85"):
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    return "".join(out)


def excerpt(path, lines_of_interest=(), context=3, head=14):
    """The first lines of a file and those around the lines of interest,
    numbered, with invisible characters shown."""
    with open(path, "rb") as f:
        text = f.read().decode("utf-8", "replace")
    lines = text.split("\n")
    keep = set(range(1, min(head, len(lines)) + 1))
    for n in lines_of_interest:
        if n:
            keep.update(range(max(1, n - context), min(len(lines), n + context) + 1))
    out = []
    last = 0
    for n in sorted(keep):
        if n > last + 1:
            out.append("     ...")
        out.append("%4d| %s" % (n, show_text(lines[n - 1])))
        last = n
    if last < len(lines) and not (last == len(lines) - 1 and lines[-1] == ""):
        out.append("     ... (%d lines)" % len(lines))
    return "\n".join(out)


def parse_arguments(description, argv=None):
    """The command line both differential tests take: the tool, the
    generator's seed and size, the fixtures, and whether to keep the
    generated project."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--manage-migrations", required=True, help="the built tool")
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--fixtures", default=FIXTURES)
    parser.add_argument("--keep", action="store_true", help="keep the generated project")
    return parser.parse_args(argv)

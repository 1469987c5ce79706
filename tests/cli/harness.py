"""A small harness for tests that run the built tools: each case makes a real
project in a temporary directory, runs a command, and compares the exit code,
stdout and stderr whole."""

import os
import shutil
import subprocess
import sys
import tempfile
import traceback


class Failure(Exception):
    pass


class Project:
    """A temporary project directory with helpers to write files and run tools."""

    def __init__(self, tools):
        self.tools = os.path.abspath(tools)
        self.root = tempfile.mkdtemp(prefix="migcheck-cli-")
        os.chmod(self.root, 0o755)

    def path(self, rel):
        return os.path.join(self.root, rel)

    def write(self, rel, content, mode="w"):
        full = self.path(rel)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, mode) as f:
            f.write(content)
        return full

    def revision(self, rev, down, message=None, extra=""):
        down_text = repr(down) if not isinstance(down, list) else repr(tuple(down))
        body = (
            f'"""{message or "revision " + rev}\n\nRevision ID: {rev}\n"""\n'
            f"revision = {rev!r}\ndown_revision = {down_text}\n"
            "branch_labels = None\ndepends_on = None\n"
            f"{extra}\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n"
        )
        return self.write(f"alembic/versions/{rev}_rev.py", body)

    def alembic_ini(self, extra=""):
        self.write("alembic.ini", "[alembic]\nscript_location = alembic\n" + extra)
        os.makedirs(self.path("alembic/versions"), exist_ok=True)

    def run(self, tool, *args, cwd=None, env=None, as_user=None):
        cmd = [os.path.join(self.tools, "tools", tool, tool), *args]
        if as_user is not None:
            cmd = ["setpriv", f"--reuid={as_user}", f"--regid={as_user}", "--clear-groups", *cmd]
        full_env = dict(os.environ)
        full_env.pop("NO_COLOR", None)
        full_env.pop("MIGCHECK_NO_CACHE", None)
        # Each project gets its own header cache, inside its directory, so
        # that runs never share one and nothing is left in $HOME.
        full_env["MIGCHECK_CACHE_DIR"] = os.path.join(self.root, ".test-cache")
        full_env.update(env or {})
        p = subprocess.run(cmd, cwd=cwd or self.root, env=full_env, capture_output=True,
                           text=True, timeout=60)
        return p.returncode, p.stdout, p.stderr

    def git(self, *args):
        subprocess.run(["git", "-C", self.root, *args], check=True, capture_output=True,
                       env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
                            "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"})

    def close(self):
        subprocess.run(["chmod", "-R", "u+rwX", self.root], check=False)
        shutil.rmtree(self.root, ignore_errors=True)


def expect(result, code, stdout=None, stderr=None):
    rc, out, err = result
    problems = []
    if rc != code:
        problems.append(f"exit code {rc}, expected {code}")
    if stdout is not None and out != stdout:
        problems.append(f"stdout:\n{out!r}\nexpected:\n{stdout!r}")
    if stderr is not None and err != stderr:
        problems.append(f"stderr:\n{err!r}\nexpected:\n{stderr!r}")
    if problems:
        raise Failure("\n".join(problems) + f"\n(full stdout: {out!r}\n full stderr: {err!r})")


def main(cases):
    tools = None
    args = sys.argv[1:]
    if len(args) >= 2 and args[0] == "--build":
        tools = args[1]
        args = args[2:]
    if not tools:
        print("usage: test_*.py --build DIR [case-name...]", file=sys.stderr)
        return 2
    passed = failed = 0
    for case in cases:
        if args and case.__name__ not in args:
            continue
        project = Project(tools)
        try:
            case(project)
            passed += 1
            print(f"ok   {case.__name__}")
        except Exception as e:  # a failing case is reported, and the rest still run
            failed += 1
            print(f"FAIL {case.__name__}: {e}")
            if not isinstance(e, Failure):
                traceback.print_exc()
        finally:
            project.close()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or passed == 0 else 0

"""The pre-commit hook: hooks/pre-commit, `manage_migrations install-hook`, real
`git commit`s through the installed hook and through the pre-commit framework,
and the CI templates, on git repositories made in temporary directories with
no outside git configuration."""

import os
import re
import shutil
import stat
import subprocess
import sys

from harness import Failure, expect, main

MM = "manage_migrations"
HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.normpath(os.path.join(HERE, "..", ".."))
HOOK = os.path.join(SOURCE, "hooks", "pre-commit")
MANIFEST = os.path.join(SOURCE, ".pre-commit-hooks.yaml")
GITHUB = os.path.join(SOURCE, "ci", "github", "migcheck.yml")
GITLAB = os.path.join(SOURCE, "ci", "gitlab", "migcheck.gitlab-ci.yml")
INSTALL_DEPS = os.path.join(SOURCE, "ci", "install-deps")

# Nothing from the environment that runs the tests reaches git.
for _name in [n for n in os.environ if n.startswith("GIT_") or n.startswith("PRE_COMMIT")]:
    del os.environ[_name]
os.environ.pop("MIGCHECK_STAGED", None)

MODELS = """\
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    email = Column(String(255), nullable=False)
"""

SCHEMA = """\
version: 1
tables:
  users:
    columns:
      id: {type: integer, primary_key: true}
      email: {type: string, length: 255, nullable: false}
"""


def revision_text(rev, down, upgrade, downgrade):
    return (f'"""revision {rev}\n\nRevision ID: {rev}\n"""\n'
            "from alembic import op\nimport sqlalchemy as sa\n\n"
            f"revision = {rev!r}\ndown_revision = {down!r}\n"
            "branch_labels = None\ndepends_on = None\n\n\n"
            f"def upgrade():\n{upgrade}\n\ndef downgrade():\n{downgrade}")


CREATE = revision_text(
    "0001aaaa", None,
    '    op.create_table(\n        "users",\n'
    '        sa.Column("id", sa.Integer(), nullable=False),\n'
    '        sa.Column("email", sa.String(length=255), nullable=False),\n'
    '        sa.PrimaryKeyConstraint("id"),\n    )\n',
    '    op.drop_table("users")\n')
ADD_NICKNAME = revision_text(
    "0002bbbb", "0001aaaa",
    '    op.add_column("users", sa.Column("nickname", sa.String(length=50), nullable=True))\n',
    '    op.drop_column("users", "nickname")\n')
BAD_MODELS = MODELS + "    nickname = Column(String(50))\n"
COMMENTED_MODELS = MODELS.replace('    __tablename__ = "users"\n',
                                  '    # Everyone who signs in.\n    __tablename__ = "users"\n')

NOT_ON_PATH = (
    "migcheck pre-commit hook: migcheck-staged is not on PATH.\n"
    "Install migcheck (cmake --install build, which puts it in /usr/local/bin), or set "
    "MIGCHECK_STAGED to the binary, then commit again.\n"
    "To commit without the check this once: git commit --no-verify\n")


def installed(shown, runs, verb="installed"):
    return (f"{verb} {shown}: each commit first runs {runs} on the staged files; "
            "`git commit --no-verify` skips it\n")


FOREIGN = ("manage_migrations: error: .git/hooks/pre-commit: a pre-commit hook already exists; "
           "add `migcheck-staged` to it by hand, or run `manage_migrations install-hook --force` "
           "to replace it\n")


class Env:
    """Paths of the build, and an environment with nothing of the user's: HOME
    in the test's directory, no system git configuration, an identity, and
    PATH holding only the system's folders and the test's own bin/."""

    def __init__(self, p):
        self.p = p
        self.mm = os.path.join(p.tools, "tools", MM, MM)
        self.staged = os.path.realpath(
            os.path.join(p.tools, "tools", "migcheck-staged", "migcheck-staged"))
        self.pr = os.path.join(p.tools, "tools", "migcheck-pr", "migcheck-pr")
        for tool in (self.mm, self.staged):
            if not os.access(tool, os.X_OK):
                raise Failure(f"{tool} is not built: cmake --build {p.tools}")
        self.home = p.path("home")
        self.bin = p.path("bin")
        os.makedirs(self.home)
        os.makedirs(self.bin)
        self.vars = {
            "HOME": self.home, "XDG_CONFIG_HOME": os.path.join(self.home, ".config"),
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
            "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t",
            "GIT_CONFIG_COUNT": "2",
            "GIT_CONFIG_KEY_0": "commit.gpgsign", "GIT_CONFIG_VALUE_0": "false",
            "GIT_CONFIG_KEY_1": "init.defaultBranch", "GIT_CONFIG_VALUE_1": "main",
            "PRE_COMMIT_HOME": p.path("pre-commit-home"),
            "PATH": f"{self.bin}:/usr/bin:/bin",
        }

    def put_staged_on_path(self):
        os.symlink(self.staged, os.path.join(self.bin, "migcheck-staged"))

    def run(self, argv, cwd, extra=None):
        env = {**os.environ, **self.vars, **(extra or {})}
        r = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
        return r.returncode, r.stdout, r.stderr

    def git(self, repo, *args, cwd=None):
        rc, out, err = self.run(["git", *args], cwd or repo)
        if rc != 0:
            raise Failure(f"git {' '.join(args)} failed ({rc}): {err}")
        return out.strip()

    def mm_run(self, *args, cwd, mm=None):
        return self.run([mm or self.mm, *args], cwd)


def write(path, text, mode=None):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    if mode is not None:
        os.chmod(path, mode)


def read(path):
    with open(path) as f:
        return f.read()


def hook_text(staged):
    text = read(HOOK)
    line = "\nMIGCHECK_STAGED_DEFAULT=''\n"
    assert text.count(line) == 1, "hooks/pre-commit must hold MIGCHECK_STAGED_DEFAULT='' once"
    return text.replace(line, f"\nMIGCHECK_STAGED_DEFAULT='{staged}'\n") if staged else text


def mode_of(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def project(e, name="repo", extra_files=None):
    """A git repository whose first commit holds a consistent project: the
    models, config/schema.yaml and a revision declare the users table."""
    repo = e.p.path(name)
    write(os.path.join(repo, "alembic.ini"), "[alembic]\nscript_location = alembic\n")
    write(os.path.join(repo, ".gitignore"), ".test-cache/\n")
    write(os.path.join(repo, "app", "models.py"), MODELS)
    write(os.path.join(repo, "config", "schema.yaml"), SCHEMA)
    write(os.path.join(repo, "alembic", "versions", "0001aaaa_create_users.py"), CREATE)
    for rel, text in (extra_files or {}).items():
        write(os.path.join(repo, rel), text)
    e.git(repo, "init", "-q")
    e.git(repo, "add", "-A")
    e.git(repo, "commit", "-q", "-m", "users")
    return repo


def head(e, repo):
    return e.git(repo, "rev-parse", "HEAD")


def commit(e, repo, *args, cwd=None):
    return e.run(["git", "commit", "-q", "-m", "change", *args], cwd or repo)


def stage_bad_change(e, repo):
    write(os.path.join(repo, "app", "models.py"), BAD_MODELS)
    e.git(repo, "add", "app/models.py")


def staged_output(e, repo, merged=True):
    """What migcheck-staged prints on the repository's staged change, run
    directly: what the hook must pass on. `merged`: stdout and stderr on one
    pipe, in the order written, as git hands a hook's output on; else the
    pair."""
    argv = [e.staged]
    if merged:
        argv = ["sh", "-c", 'exec "$0" 2>&1', e.staged]
    rc, out, err = e.run(argv, repo)
    if rc != 1 or "[schema-yaml-outdated]" not in out or "[revision-missing]" not in out:
        raise Failure(f"migcheck-staged on the bad change: exit {rc}\n{out}{err}")
    return out if merged else (out, err)


def expect_blocked(e, repo, result, before):
    rc, out, err = result
    expected = staged_output(e, repo)
    # git runs the hook with its stdout on git's stderr, and adds nothing.
    expect((rc, out, err), 1, "", expected)
    if head(e, repo) != before:
        raise Failure("the commit was created though the hook failed")


def expect_landed(e, repo, result, before):
    expect(result, 0, "", "")
    if head(e, repo) == before:
        raise Failure("no commit was created")


# install-hook


def install_into_dot_git_hooks(p):
    e = Env(p)
    repo = project(e)
    shutil.rmtree(os.path.join(repo, ".git", "hooks"))
    hook = os.path.join(repo, ".git", "hooks", "pre-commit")
    old = os.umask(0o077)
    try:
        # From a subfolder, the repository is found upwards.
        expect(e.mm_run("install-hook", cwd=os.path.join(repo, "app")), 0,
               installed(".git/hooks/pre-commit", e.staged), "")
    finally:
        os.umask(old)
    assert read(hook) == hook_text(e.staged), read(hook)
    assert mode_of(hook) == 0o755, oct(mode_of(hook))
    assert os.listdir(os.path.dirname(hook)) == ["pre-commit"], "a temporary file is left"
    expect(e.mm_run("-C", repo, "install-hook", cwd="/"), 0,
           "the migcheck pre-commit hook is already installed in .git/hooks/pre-commit\n", "")
    expect(e.mm_run("install-hook", "-C", os.path.join(repo, "config"), cwd="/"), 0,
           "the migcheck pre-commit hook is already installed in .git/hooks/pre-commit\n", "")


def hooks_path_relative(p):
    e = Env(p)
    repo = project(e)
    e.git(repo, "config", "core.hooksPath", ".githooks")
    expect(e.mm_run("install-hook", cwd=os.path.join(repo, "app")), 0,
           installed(".githooks/pre-commit", e.staged), "")
    assert read(os.path.join(repo, ".githooks", "pre-commit")) == hook_text(e.staged)
    assert not os.path.exists(os.path.join(repo, ".git", "hooks", "pre-commit"))
    # git runs it from there.
    stage_bad_change(e, repo)
    expect_blocked(e, repo, commit(e, repo), head(e, repo))


def hooks_path_absolute_tilde_and_global(p):
    e = Env(p)
    repo = project(e)
    shared = p.path("shared/hooks")
    e.git(repo, "config", "core.hooksPath", shared)
    expect(e.mm_run("install-hook", cwd=repo), 0, installed(shared + "/pre-commit", e.staged), "")
    assert mode_of(shared + "/pre-commit") == 0o755

    e.git(repo, "config", "core.hooksPath", "~/git-hooks")
    expect(e.mm_run("install-hook", cwd=repo), 0,
           installed(e.home + "/git-hooks/pre-commit", e.staged), "")

    # The user's configuration, as git reads it.
    e.git(repo, "config", "--unset", "core.hooksPath")
    e.git(repo, "config", "--global", "core.hooksPath", p.path("global-hooks"))
    expect(e.mm_run("install-hook", cwd=repo), 0,
           installed(p.path("global-hooks") + "/pre-commit", e.staged), "")
    stage_bad_change(e, repo)
    expect_blocked(e, repo, commit(e, repo), head(e, repo))


def refuses_another_hook_without_force(p):
    e = Env(p)
    repo = project(e)
    hook = os.path.join(repo, ".git", "hooks", "pre-commit")
    mine = "#!/bin/sh\necho mine\n"
    write(hook, mine, 0o700)
    expect(e.mm_run("install-hook", cwd=repo), 2, "", FOREIGN)
    assert read(hook) == mine and mode_of(hook) == 0o700, "the hook was touched"

    expect(e.mm_run("install-hook", "--force", cwd=repo), 0,
           installed(".git/hooks/pre-commit", e.staged, "replaced"), "")
    assert read(hook) == hook_text(e.staged) and mode_of(hook) == 0o755
    expect(e.mm_run("install-hook", cwd=repo), 0,
           "the migcheck pre-commit hook is already installed in .git/hooks/pre-commit\n", "")
    expect(e.mm_run("install-hook", "--force", cwd=repo), 0,
           "the migcheck pre-commit hook is already installed in .git/hooks/pre-commit\n", "")

    # A link, even to nothing, is a hook too.
    os.remove(hook)
    os.symlink("../../elsewhere/pre-commit", hook)
    expect(e.mm_run("install-hook", cwd=repo), 2, "", FOREIGN)
    assert os.readlink(hook) == "../../elsewhere/pre-commit"
    expect(e.mm_run("install-hook", "--force", cwd=repo), 0,
           installed(".git/hooks/pre-commit", e.staged, "replaced"), "")
    assert not os.path.islink(hook) and read(hook) == hook_text(e.staged)

    # Our own hook with the executable bit lost is written again.
    os.chmod(hook, 0o644)
    expect(e.mm_run("install-hook", cwd=repo), 0, installed(".git/hooks/pre-commit", e.staged), "")
    assert mode_of(hook) == 0o755


def another_migcheck_hook(p):
    e = Env(p)
    repo = project(e)
    # manage_migrations copied alone into a folder with a migcheck-staged of
    # its own: the hook it writes runs that one.
    other = p.path("opt/bin")
    os.makedirs(other)
    shutil.copy2(e.mm, os.path.join(other, MM))
    write(os.path.join(other, "migcheck-staged"), "#!/bin/sh\nexit 0\n", 0o755)
    expect(e.mm_run("install-hook", cwd=repo, mm=os.path.join(other, MM)), 0,
           installed(".git/hooks/pre-commit", other + "/migcheck-staged"), "")
    expect(e.mm_run("install-hook", cwd=repo), 2, "",
           "manage_migrations: error: .git/hooks/pre-commit: a migcheck pre-commit hook from "
           "another build or install is there; run `manage_migrations install-hook --force` to "
           "replace it\n")
    expect(e.mm_run("install-hook", "--force", cwd=repo), 0,
           installed(".git/hooks/pre-commit", e.staged, "replaced"), "")


def install_hook_errors(p):
    e = Env(p)
    plain = p.path("plain")
    os.makedirs(plain)
    expect(e.mm_run("install-hook", cwd=plain), 2, "",
           f"manage_migrations: error: {os.path.realpath(plain)}: not a git repository (or any "
           "parent up to /)\n")
    expect(e.mm_run("-C", p.path("missing"), "install-hook", cwd=plain), 2, "",
           f"manage_migrations: error: -C {p.path('missing')}: no such directory\n")
    expect(e.mm_run("install-hook", "--forse", cwd=plain), 2, "",
           "manage_migrations: error: The following argument was not expected: --forse\n"
           "Run 'manage_migrations --help' for usage.\n")

    repo = project(e)
    os.makedirs(os.path.join(repo, ".git", "hooks", "pre-commit"))
    expect(e.mm_run("install-hook", "--force", cwd=repo), 2, "",
           "manage_migrations: error: .git/hooks/pre-commit: is a folder, not a hook; move it "
           "away and run `manage_migrations install-hook` again\n")
    os.rmdir(os.path.join(repo, ".git", "hooks", "pre-commit"))

    write(os.path.join(repo, "a-file"), "x\n")
    e.git(repo, "config", "core.hooksPath", "a-file/hooks")
    expect(e.mm_run("install-hook", cwd=repo), 3, "",
           f"manage_migrations: error: {os.path.realpath(repo)}/a-file/hooks: cannot create the "
           "hooks folder: Not a directory\n")

    e.git(repo, "init", "-q", "--bare", p.path("bare.git"))
    expect(e.mm_run("install-hook", cwd=p.path("bare.git")), 2, "",
           "manage_migrations: error: the repository is bare; run in a working tree\n")


# Commits through the installed hook


def commits_through_the_installed_hook(p):
    e = Env(p)
    repo = project(e)
    expect(e.mm_run("install-hook", cwd=repo), 0, installed(".git/hooks/pre-commit", e.staged), "")

    # The models change the schema; nothing else is staged.
    stage_bad_change(e, repo)
    before = head(e, repo)
    expect_blocked(e, repo, commit(e, repo), before)
    # From a subfolder, git runs the hook at the top all the same.
    expect_blocked(e, repo, commit(e, repo, cwd=os.path.join(repo, "app")), before)
    expect_landed(e, repo, commit(e, repo, "--no-verify"), before)

    # A comment in a model changes no schema.
    write(os.path.join(repo, "app", "models.py"), BAD_MODELS.replace(
        '    __tablename__ = "users"\n', '    # Everyone who signs in.\n    __tablename__ = "users"\n'))
    e.git(repo, "add", "app/models.py")
    before = head(e, repo)
    expect_landed(e, repo, commit(e, repo), before)


def commit_all_and_a_whole_change(p):
    e = Env(p)
    repo = project(e)
    expect(e.mm_run("install-hook", cwd=repo), 0, installed(".git/hooks/pre-commit", e.staged), "")
    # `git commit -a` stages into a temporary index the hook must read.
    write(os.path.join(repo, "app", "models.py"), BAD_MODELS)
    before = head(e, repo)
    rc, out, err = commit(e, repo, "-a")
    if rc != 1 or out or "[schema-yaml-outdated]" not in err or "[revision-missing]" not in err:
        raise Failure(f"git commit -a: exit {rc}, expected 1 with the findings\n{out}{err}")
    assert head(e, repo) == before
    # The models, config/schema.yaml and a revision together.
    write(os.path.join(repo, "config", "schema.yaml"),
          SCHEMA + "      nickname: {type: string, length: 50}\n")
    write(os.path.join(repo, "alembic", "versions", "0002bbbb_add_nickname.py"), ADD_NICKNAME)
    e.git(repo, "add", "-A")
    expect_landed(e, repo, commit(e, repo), before)


def hook_exit_codes_and_arguments(p):
    e = Env(p)
    repo = project(e)
    fake = p.path("fake-staged")
    write(fake, '#!/bin/sh\necho "fake $*"; echo "in $(pwd)" >&2; exit 2\n', 0o755)
    expect(e.run([HOOK, "--format", "json"], repo, {"MIGCHECK_STAGED": fake}), 2,
           "fake --format json\n", f"in {repo}\n")
    expect(e.run([HOOK], repo, {"MIGCHECK_STAGED": p.path("nowhere")}), 3, "",
           f"migcheck pre-commit hook: MIGCHECK_STAGED={p.path('nowhere')} is not an executable "
           "file; point it at migcheck-staged, or unset it to use migcheck-staged from PATH\n")
    # MIGCHECK_STAGED wins over the path baked in.
    expect(e.mm_run("install-hook", cwd=repo), 0, installed(".git/hooks/pre-commit", e.staged), "")
    stage_bad_change(e, repo)
    before = head(e, repo)
    rc, out, err = e.run(["git", "commit", "-q", "-m", "x"], repo, {"MIGCHECK_STAGED": fake})
    expect((rc, out, err), 1, "", f"fake \nin {os.path.realpath(repo)}\n")
    assert head(e, repo) == before
    # The hook as shipped, with nothing baked in, finds it on PATH.
    e.put_staged_on_path()
    expect(e.run([HOOK], repo), 1, *staged_output(e, repo, merged=False))


def hook_without_migcheck_staged(p):
    e = Env(p)
    repo = project(e)
    # The hook as shipped, run by dash, with no migcheck-staged on PATH.
    expect(e.run(["dash", HOOK], repo), 3, "", NOT_ON_PATH)

    # Installed by a manage_migrations with no migcheck-staged beside it.
    alone = p.path("alone")
    os.makedirs(alone)
    shutil.copy2(e.mm, os.path.join(alone, MM))
    expect(e.mm_run("install-hook", cwd=repo, mm=os.path.join(alone, MM)), 0,
           installed(".git/hooks/pre-commit", "migcheck-staged (from PATH)"),
           "manage_migrations: warning: migcheck-staged is neither next to manage_migrations "
           f"(in {os.path.realpath(alone)}) nor on PATH: commits fail until it is installed or "
           "MIGCHECK_STAGED names it\n")
    assert read(os.path.join(repo, ".git", "hooks", "pre-commit")) == hook_text("")
    stage_bad_change(e, repo)
    before = head(e, repo)
    expect(commit(e, repo), 1, "", NOT_ON_PATH)
    assert head(e, repo) == before

    # Installed beside a migcheck-staged that is gone since.
    beside = p.path("beside")
    os.makedirs(beside)
    shutil.copy2(e.mm, os.path.join(beside, MM))
    write(os.path.join(beside, "migcheck-staged"), "#!/bin/sh\nexit 0\n", 0o755)
    expect(e.mm_run("install-hook", "--force", cwd=repo, mm=os.path.join(beside, MM)), 0,
           installed(".git/hooks/pre-commit", beside + "/migcheck-staged", "replaced"), "")
    os.remove(os.path.join(beside, "migcheck-staged"))
    expect(commit(e, repo), 1, "",
           f"migcheck pre-commit hook: migcheck-staged is neither at {beside}/migcheck-staged "
           "(where it was installed) nor on PATH.\n" + NOT_ON_PATH.split("\n", 1)[1])
    assert head(e, repo) == before
    expect_landed(e, repo, commit(e, repo, "--no-verify"), before)


def hook_is_posix_sh(p):
    expect(subprocess_result(["dash", "-n", HOOK]), 0, "", "")
    assert read(HOOK).startswith("#!/bin/sh\n")
    assert os.access(HOOK, os.X_OK), "hooks/pre-commit is not executable"
    if shutil.which("shellcheck"):
        expect(subprocess_result(["shellcheck", "-s", "sh", HOOK]), 0, "", "")
    else:
        print("     (shellcheck not installed: checked with dash -n only)")


def subprocess_result(argv, cwd=None, env=None, input=None):
    r = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=120,
                       input=input)
    return r.returncode, r.stdout, r.stderr


# The pre-commit framework


def pre_commit_program():
    found = shutil.which("pre-commit")
    if not found:
        raise Failure("pre-commit is not on PATH: install Debian's: apt-get install pre-commit")
    return found


def pre_commit_manifest_is_valid(p):
    yaml = load_yaml()
    hooks = yaml.safe_load(read(MANIFEST))
    assert hooks == [{
        "id": "migcheck-staged", "name": "migcheck-staged",
        "description": "Models, config/schema.yaml and Alembic revisions staged together",
        "entry": "hooks/pre-commit", "language": "script",
        "pass_filenames": False, "always_run": True}], hooks
    expect(subprocess_result([pre_commit_program(), "validate-manifest", MANIFEST]), 0, "", "")
    # The README's snippet is a valid configuration that names this hook.
    readme = read(os.path.join(SOURCE, "README.md"))
    snippet = re.search(r"### With the pre-commit framework\n.*?```yaml\n(.*?)```", readme,
                        re.S).group(1)
    assert yaml.safe_load(snippet)["repos"][0]["hooks"] == [{"id": "migcheck-staged"}], snippet
    write(p.path("config.yaml"), snippet)
    expect(subprocess_result([pre_commit_program(), "validate-config", p.path("config.yaml")]),
           0, "", "")


def pre_commit_framework(p):
    program = pre_commit_program()
    e = Env(p)
    # The hook repository: a copy of what the framework reads from migcheck.
    hooks_repo = p.path("migcheck-hooks")
    os.makedirs(os.path.join(hooks_repo, "hooks"))
    shutil.copy2(MANIFEST, hooks_repo)
    shutil.copy2(HOOK, os.path.join(hooks_repo, "hooks"))
    e.git(hooks_repo, "init", "-q")
    e.git(hooks_repo, "add", "-A")
    e.git(hooks_repo, "commit", "-q", "-m", "hooks")
    rev = head(e, hooks_repo)

    config = (f"repos:\n  - repo: {hooks_repo}\n    rev: {rev}\n    hooks:\n"
              "      - id: migcheck-staged\n")
    repo = project(e, extra_files={".pre-commit-config.yaml": config})
    expect(e.run([program, "validate-config"], repo), 0, "", "")
    expect(e.run([program, "install"], repo), 0,
           "pre-commit installed at .git/hooks/pre-commit\n", "")

    # Nothing on PATH yet: the hook says what to do, and the commit stops.
    stage_bad_change(e, repo)
    before = head(e, repo)
    rc, out, err = commit(e, repo)
    if rc != 1 or NOT_ON_PATH not in out + err or head(e, repo) != before:
        raise Failure(f"exit {rc}, expected 1 with the hook's message\n{out}{err}")

    e.put_staged_on_path()
    rc, out, err = commit(e, repo)
    findings = staged_output(e, repo)
    if (rc != 1 or "- hook id: migcheck-staged\n- exit code: 1\n\n" + findings not in out + err
            or head(e, repo) != before):
        raise Failure(f"exit {rc}, expected 1 with the findings\n{out}{err}")
    assert re.search(r"(?m)^migcheck-staged\.+Failed$", out + err), out + err

    write(os.path.join(repo, "app", "models.py"), COMMENTED_MODELS)
    e.git(repo, "add", "app/models.py")
    rc, out, err = commit(e, repo)
    if rc != 0 or head(e, repo) == before:
        raise Failure(f"exit {rc}, expected the comment-only change committed\n{out}{err}")
    assert re.search(r"(?m)^migcheck-staged\.+Passed$", out + err), out + err


# CI templates


def load_yaml():
    try:
        import yaml
    except ImportError:
        raise Failure(f"{sys.executable} cannot import yaml: apt-get install python3-yaml")
    return yaml


def install_deps_packages():
    text = read(INSTALL_DEPS)
    block = re.search(r"packages=\((.*?)\)", text, re.S)
    return set(block.group(1).split())


def apt_packages(script):
    words = script.replace("\\\n", " ").split()
    start = words.index("--no-install-recommends") + 1
    return {w for w in words[start:] if re.fullmatch(r"[a-z0-9][a-z0-9.+-]+", w)}


def shell_syntax(script, what):
    rc, out, err = subprocess_result(["dash", "-n"], input=script)
    if rc != 0:
        raise Failure(f"{what}: not valid sh:\n{err}")


def github_template(p):
    yaml = load_yaml()
    doc = yaml.safe_load(read(GITHUB))
    # YAML 1.1 reads the key `on` as true; GitHub reads it as "on".
    assert doc.get("on", doc.get(True)) == {"pull_request": None}, doc
    job = doc["jobs"]["migcheck"]
    assert job["container"] == "debian:bookworm", job
    steps = job["steps"]
    checkout = [s for s in steps if s.get("uses", "").startswith("actions/checkout@")]
    assert len(checkout) == 1 and checkout[0]["with"] == {"fetch-depth": 0}, steps
    assert steps.index(checkout[0]) == 1, "git must be installed before the checkout"
    runs = [s["run"] for s in steps if "run" in s]
    for k, script in enumerate(runs):
        shell_syntax(script, f"{GITHUB}: step {k}")
    packages = apt_packages(runs[0])
    assert packages - {"ca-certificates"} <= install_deps_packages(), packages
    last = steps[-1]
    assert last["env"] == {"BASE_REF": "${{ github.base_ref }}"}, last
    assert last["run"].rstrip().endswith(
        '/tmp/migcheck/build/tools/migcheck-pr/migcheck-pr --base "origin/$BASE_REF" '
        "--format github"), last["run"]


def gitlab_template(p):
    yaml = load_yaml()
    doc = yaml.safe_load(read(GITLAB))
    job = doc["migcheck"]
    assert job["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}], job
    assert job["variables"]["GIT_DEPTH"] == "0", job
    assert job["image"] == "debian:bookworm", job
    shell_syntax("\n".join(job["before_script"] + job["script"]), GITLAB)
    packages = apt_packages(job["before_script"][1])
    assert packages - {"ca-certificates"} <= install_deps_packages(), packages
    assert job["script"][-1] == (
        "/tmp/migcheck/build/tools/migcheck-pr/migcheck-pr --base "
        '"origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME" --format text'), job["script"]


def pull_request_clone(e, name, models):
    """A clone of an origin whose main holds the project, on a branch that
    changes app/models.py."""
    origin = e.p.path(name + "-origin.git")
    seed = project(e, name + "-seed")
    e.git(seed, "clone", "-q", "--bare", seed, origin)
    work = e.p.path(name)
    e.git(e.p.root, "clone", "-q", origin, work)
    e.git(work, "switch", "-q", "-c", "feature")
    write(os.path.join(work, "app", "models.py"), models)
    e.git(work, "commit", "-q", "-a", "-m", "change the models")
    return work


def ci_templates_run_migcheck_pr(p):
    """The templates' last steps, as the CI runs them, against the built
    migcheck-pr: a pull request that changes the models alone fails, a
    comment-only one passes."""
    yaml = load_yaml()
    e = Env(p)
    if not os.access(e.pr, os.X_OK):
        raise Failure(f"{e.pr} is not built: cmake --build {p.tools}")
    build = p.tools
    github = yaml.safe_load(read(GITHUB))["jobs"]["migcheck"]["steps"][-1]["run"]
    gitlab = "\n".join(yaml.safe_load(read(GITLAB))["migcheck"]["script"])
    for models, code in ((BAD_MODELS, 1), (COMMENTED_MODELS, 0)):
        name = "bad" if code else "good"
        work = pull_request_clone(e, name, models)
        rc, out, err = e.run(["sh", "-e", "-c", github.replace("/tmp/migcheck/build", build)],
                             work, {"GITHUB_WORKSPACE": work, "BASE_REF": "main"})
        if rc != code or (code and "::error file=app/models.py," not in out):
            raise Failure(f"GitHub, {name} pull request: exit {rc}, expected {code}\n{out}{err}")
        e.git(work, "update-ref", "-d", "refs/remotes/origin/main")
        rc, out, err = e.run(["sh", "-e", "-c", gitlab.replace("/tmp/migcheck/build", build)],
                             work, {"CI_PROJECT_DIR": work,
                                    "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main"})
        if rc != code or (code and "[schema-yaml-outdated]" not in out):
            raise Failure(f"GitLab, {name} merge request: exit {rc}, expected {code}\n{out}{err}")


if __name__ == "__main__":
    sys.exit(main([
        install_into_dot_git_hooks,
        hooks_path_relative,
        hooks_path_absolute_tilde_and_global,
        refuses_another_hook_without_force,
        another_migcheck_hook,
        install_hook_errors,
        commits_through_the_installed_hook,
        commit_all_and_a_whole_change,
        hook_exit_codes_and_arguments,
        hook_without_migcheck_staged,
        hook_is_posix_sh,
        pre_commit_manifest_is_valid,
        pre_commit_framework,
        github_template,
        gitlab_template,
        ci_templates_run_migcheck_pr,
    ]))

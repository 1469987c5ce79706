"""The git cases of the benchmark: migcheck's pre-commit and cross-branch
checks on a large generated repository (gen_git_repo.py).

    staged        migcheck-staged, three files staged (a model, schema.yaml,
                  a new revision: a consistent change)
                  vs  git diff --cached --name-only
    heads --base  migcheck-heads --base main --refs 'refs/heads/feature/*'
                  vs  bench/heads_loop.sh main 'refs/heads/feature/*'
                  (git ls-tree and git cat-file --batch per branch)

bench.py calls run() when `--git` is yes (the default) or only, and asks this
module for the target rows and notes of these cases. The repositories are
cached in <out>/projects/git-<revisions>-<files>-<branches>b/ and regenerated
when a generator changes. See bench/README.md.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import time

import bench  # bench.py, the running driver (it registers itself under this name)
import gen_git_repo
import gen_migrations
import gen_project

# bench.py imports this module before it has defined anything, so its names
# are looked up when used (bench.X), never imported from it.

STAGED, HEADS = "staged", "heads --base"
COMMANDS = (STAGED, HEADS)
SEED = 1
BASE = "main"
PATTERN = "refs/heads/feature/*"
LOOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "heads_loop.sh")

# (revisions, files, branch counts); the first branch count's repository
# also holds the staged change that is timed.
SIZES = (5000, 50000, (200, 1000))
QUICK_SIZES = (1000, 10000, (50, 200))

# Targets from the spec; reported, never enforced.
STAGED_TARGET_S = 0.025
STAGED_GIT_FACTOR = 3.0  # migcheck-staged within 3× git diff --cached
HEADS_TARGETS = {200: (0.100, 20.0), 1000: (0.500, None)}  # branches: (latency, ≥ × the loop)

# Timed runs (migcheck, other) unless --reps-* say otherwise; the loop over
# 1,000 branches takes about a minute a run.
REPS = {STAGED: (21, 21), 200: (15, 5), 1000: (9, 3)}
# A loop whose untimed first run takes longer than this is run no more.
LOOP_LIMIT_S = 150.0

# Per case: what the notes say about it (keyed by id(case)).
DETAILS: dict[int, dict] = {}


def sizes(args) -> tuple[int, int, tuple[int, int]]:
    return QUICK_SIZES if args.quick else SIZES


def reps(key, args) -> tuple[int, int]:
    """For STAGED, or for heads over `key` branches."""
    if key != STAGED:
        key = 200 if key <= 200 else 1000
    mig, other = REPS[key]
    return args.reps_migcheck or mig, args.reps_alembic or other


def reps_note(args) -> str:
    n, files, branch_counts = sizes(args)
    keys = [(STAGED, STAGED)] + [(f"heads ({b} branches)", b) for b in branch_counts]
    return ", ".join(f"{label}: {'/'.join(map(str, reps(key, args)))}" for label, key in keys)


def tool(path: str) -> str | None:
    return shutil.which(path)


# --- repositories -----------------------------------------------------------

def ensure_repo(projects_dir: str, n: int, files: int, branches: int) -> tuple[str, dict]:
    """The repository and its manifest, regenerated only when a generator,
    the arguments or git's version change."""
    path = os.path.join(projects_dir, f"git-{n}-{files}-{branches}b")
    stamp_path = os.path.join(path, ".git", "bench-stamp")
    digest = hashlib.sha256()
    for module in (gen_git_repo, gen_migrations, gen_project):
        with open(module.__file__, "rb") as f:
            digest.update(f.read())
    version = subprocess.run(["git", "--version"], capture_output=True, text=True).stdout.strip()
    stamp = (f"{digest.hexdigest()} n={n} files={files} branches={branches} seed={SEED} "
             f"{version}\n")
    if bench.stamp_current(stamp_path, stamp):
        try:
            with open(os.path.join(path, ".git", gen_git_repo.MANIFEST)) as m:
                return path, json.load(m)
        except OSError:
            pass
    bench.log(f"generating {path} (about a minute)")
    manifest = gen_git_repo.generate(path, n, files, branches, SEED)
    with open(stamp_path, "w") as f:
        f.write(stamp)
    return path, manifest


def pack_size(repo: str) -> str:
    out = gen_git_repo.git(repo, "count-objects", "-v")
    fields = dict(line.split(": ", 1) for line in out.splitlines() if ": " in line)
    return (f"{fields.get('packs', '?')} pack, {int(fields.get('size-pack', 0)) / 1024:.1f} MiB, "
            f"{fields.get('count', '?')} loose objects")


def ancestors(path: str) -> set[str]:
    """The folders above `path`, "" for the top."""
    parts = path.split("/")[:-1]
    return {""} | {"/".join(parts[:i]) for i in range(1, len(parts) + 1)}


# --- staged -----------------------------------------------------------------

def shown(text: str, limit: int = 2000) -> str:
    """Output as the log shows it: cut short, so that a tool gone wrong
    cannot flood the terminal."""
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} characters)\n"


def last_line(text: str) -> str | None:
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else None


def measure_staged(case: bench.Case, tools: dict, manifest: dict, reps_: tuple[int, int],
                   scratch: str) -> None:
    repo = case.project
    st = manifest["staged"]
    paths = sorted([st["model"], st["schema"], st["revision"]])
    argv = [tools["staged"]]
    git_argv = [tools["git"], "diff", "--cached", "--name-only"]
    details = DETAILS.setdefault(id(case), {})

    def staged_names() -> list[str]:
        return gen_git_repo.git(repo, "diff", "--cached", "--name-only").split()

    # Sanity check that the timed run does real work: the model alone is
    # an inconsistent change (exit 1), the three files a consistent one.
    gen_git_repo.git(repo, "add", "--", st["model"])
    gen_git_repo.git(repo, "reset", "-q", "--", st["schema"], st["revision"])
    if staged_names() != [st["model"]]:
        raise bench.BenchError(f"{repo}: expected only {st['model']} staged, got "
                               f"{staged_names()}")
    alone = bench.run(argv, repo, scratch)
    gen_git_repo.git(repo, "add", "--", st["schema"], st["revision"])
    whole = bench.run(argv, repo, scratch)
    details["model_only"] = (alone.exit_code, last_line(alone.stdout + alone.stderr))
    details["consistent"] = (whole.exit_code, last_line(whole.stdout + whole.stderr))
    bench.log(f"bench: migcheck-staged with only {st['model']} staged: exit {alone.exit_code}\n"
              + shown(alone.stdout + alone.stderr))
    bench.log(f"bench: migcheck-staged with the three files staged: exit {whole.exit_code}\n"
              + shown(whole.stdout + whole.stderr))
    problems = []
    if alone.exit_code != 1:
        problems.append(f"with only the model staged, migcheck-staged exited {alone.exit_code}, "
                        f"expected 1:\n" + shown(alone.stdout + alone.stderr))
    if whole.exit_code != 0 or whole.stdout:
        problems.append(f"with the consistent change staged, migcheck-staged exited "
                        f"{whole.exit_code} and printed {len(whole.stdout)} characters, "
                        f"expected exit 0 and nothing:\n" + shown(whole.stdout + whole.stderr))

    # The index as `git add` leaves it: the staged paths, and the cache-tree
    # invalid only on the folders above them.
    if staged_names() != paths:
        problems.append(f"staged: {staged_names()}, expected {paths}")
    invalid = gen_git_repo.cache_tree_invalid(repo)
    expected_invalid = set().union(*(ancestors(p) for p in paths))
    if invalid is None or set(invalid) != expected_invalid:
        problems.append(f"the index's cache-tree is invalid on {invalid}, expected exactly "
                        f"{sorted(expected_invalid)}")
    details["cache_tree"] = sorted(expected_invalid)
    if problems:
        case.error = f"CHECK FAILED: migcheck-staged in {repo}\n" + "\n".join(problems)
        bench.log(case.error)
        return

    bench.run_checked(git_argv, repo, scratch)  # warm-up
    bench.run_checked(argv, repo, scratch)
    mig_out = bench.run_checked(argv, repo, scratch).stdout
    git_out = bench.run_checked(git_argv, repo, scratch).stdout
    if git_out.split() != paths:
        raise bench.BenchError(f"git diff --cached --name-only printed {git_out.split()}")

    def check_git(r: bench.RunResult) -> None:
        if r.stdout != git_out:
            raise bench.BenchError("git diff --cached --name-only: output changed between runs")

    bench.interleave(case, argv, mig_out, git_argv, check_git, reps_, repo, scratch,
                     uncached=True)


# --- heads across branches --------------------------------------------------

STALE = re.compile(r"revises ([0-9a-f]+), which")
PARALLEL = re.compile(r"different revisions on ([0-9a-f]+):")


def finding_parents(report: dict) -> list[str]:
    """The parents migcheck-heads names: shared by two branches, or by a
    branch and the base (a stale parent)."""
    out = set()
    for f in report.get("findings", []):
        pattern = {"stale-parent": STALE, "parallel-revisions": PARALLEL}.get(f.get("code"))
        m = pattern.search(f.get("message", "")) if pattern else None
        if m:
            out.add(m.group(1))
    return sorted(out)


def measure_heads(case: bench.Case, tools: dict, manifest: dict, reps_: tuple[int, int],
                  scratch: str) -> None:
    repo = case.project
    argv = [tools["heads"], "--base", BASE, "--refs", PATTERN]
    loop_argv = [tools["bash"], LOOP, BASE, PATTERN]
    details = DETAILS.setdefault(id(case), {})
    expected = manifest["shared_parents"]
    problems = []

    raw = bench.run_checked(argv + ["--format", "json"], repo, scratch, 1).stdout
    try:
        report = json.loads(raw)
    except ValueError as e:
        raise bench.BenchError(f"migcheck-heads --format json printed no JSON ({e}):\n"
                               + shown(raw))
    found = finding_parents(report)
    if len(report.get("branches", [])) != manifest["branches"]:
        problems.append(f"migcheck-heads compared {len(report.get('branches', []))} branches, "
                        f"expected {manifest['branches']}")
    if found != expected:
        problems.append(f"migcheck-heads names {len(found)} shared parents, the generator made "
                        f"{len(expected)}: only migcheck {sorted(set(found) - set(expected))[:10]}"
                        f", only the generator {sorted(set(expected) - set(found))[:10]}")
    counts: dict[str, int] = {}
    for f in report.get("findings", []):
        counts[f.get("code", "?")] = counts.get(f.get("code", "?"), 0) + 1
    details["findings"] = counts

    start = time.perf_counter()
    loop = bench.run_checked(loop_argv, repo, scratch)  # warm-up, and how long it takes
    loop_first = time.perf_counter() - start
    loop_parents = sorted(line.split()[0] for line in loop.stdout.splitlines() if line.strip())
    if loop_parents != expected:
        problems.append(f"heads_loop.sh reports {len(loop_parents)} shared parents, expected "
                        f"{len(expected)}: only the loop "
                        f"{sorted(set(loop_parents) - set(expected))[:10]}, only the generator "
                        f"{sorted(set(expected) - set(loop_parents))[:10]}")
    if problems:
        case.error = f"OUTPUT MISMATCH: heads across branches in {repo}\n" + "\n".join(problems)
        bench.log(case.error)
    mig_reps, loop_reps = reps_
    if loop_first > LOOP_LIMIT_S:
        details["loop_skipped"] = loop_first
        loop_reps = 0
    mig_out = bench.run_checked(argv, repo, scratch, 1).stdout

    def check_loop(r: bench.RunResult) -> None:
        if r.stdout != loop.stdout:
            raise bench.BenchError(f"{LOOP}: output changed between runs")

    bench.interleave(case, argv, mig_out, loop_argv, check_loop, (mig_reps, loop_reps), repo,
                     scratch, uncached=True, mig_exit=1)


def run(args, tools: dict, projects_dir: str, scratch: str) -> list[bench.Case]:
    """Measures every git case; a case that fails carries its error."""
    tools = dict(tools)
    build_tools = os.path.dirname(os.path.dirname(tools["migcheck"]))
    tools["staged"] = os.path.join(build_tools, "migcheck-staged", "migcheck-staged")
    tools["heads"] = os.path.join(build_tools, "migcheck-heads", "migcheck-heads")
    tools["git"] = tool("git")
    tools["bash"] = tool("bash")
    if not os.access(tools["heads"], os.X_OK):
        raise bench.BenchError(f"{tools['heads']} not found; build migcheck there first")
    if not tools["git"] or not tools["bash"]:
        raise bench.BenchError("git and bash are needed for the git cases")
    n, files, branch_counts = sizes(args)
    cases = []
    for i, branches in enumerate(branch_counts):
        bench.log(f"bench: git repository, {n} revisions, {files} files, {branches} branches")
        project, manifest = ensure_repo(projects_dir, n, files, branches)
        todo = ([STAGED] if i == 0 else []) + [HEADS]
        for command in todo:
            shape = (f"git, {files:,} files" if command == STAGED
                     else f"git, {branches:,} branches")
            case = bench.Case(n, shape, command, project)
            cases.append(case)
            DETAILS[id(case)] = {"manifest": manifest, "branches": branches, "files": files,
                                 "pack": pack_size(project)}
            bench.log(f"bench: N={n} {shape} {command}")
            try:
                if command == STAGED:
                    if not os.access(tools["staged"], os.X_OK):
                        raise bench.BenchError(f"{tools['staged']} not found: migcheck-staged "
                                               "is not built in this build")
                    measure_staged(case, tools, manifest, reps(STAGED, args), scratch)
                else:
                    measure_heads(case, tools, manifest, reps(branches, args), scratch)
            except bench.BenchError as e:
                failure = f"COMMAND FAILED: {e}"
                bench.log(failure)
                case.error = f"{case.error}\n\n{failure}" if case.error else failure
    return cases


# --- report -----------------------------------------------------------------

def target_rows(case: bench.Case) -> list[str]:
    def verdict(ok: bool) -> str:
        return "PASS" if ok else "**MISS**"

    label = f"{case.n} | {case.shape} | {case.command}"
    d = DETAILS.get(id(case), {})
    spec_n, spec_files, _ = SIZES
    m = case.migcheck_median
    if m is None:
        return []
    rows = []
    if case.command == STAGED:
        at = "" if (case.n, d.get("files")) == (spec_n, spec_files) else \
            f" (set at {spec_files:,} files, {spec_n:,} revisions)"
        rows.append(f"| migcheck-staged < {STAGED_TARGET_S * 1000:.0f} ms{at} | {label} | "
                    f"{bench.fmt_time(m)} | {verdict(m < STAGED_TARGET_S)} |")
        if case.ratio is not None:
            rows.append(f"| migcheck-staged ≤ {STAGED_GIT_FACTOR:.0f}× `git diff --cached "
                        f"--name-only` (ratio ≥ {1 / STAGED_GIT_FACTOR:.2f}×){at} | {label} | "
                        f"{bench.fmt_ratio(case.ratio)} ({m / case.alembic_median:.1f}× git's "
                        f"time) | {verdict(case.ratio >= 1 / STAGED_GIT_FACTOR)} |")
        return rows
    branches = d.get("branches")
    if branches not in HEADS_TARGETS:
        return []
    latency, factor = HEADS_TARGETS[branches]
    at = "" if case.n == spec_n else f" (set at {spec_n:,} revisions)"
    rows.append(f"| migcheck-heads < {latency * 1000:.0f} ms over {branches:,} branches{at} | "
                f"{label} | {bench.fmt_time(m)} | {verdict(m < latency)} |")
    if factor is not None and case.ratio is not None:
        rows.append(f"| migcheck-heads ≥ {factor:.0f}× faster than `heads_loop.sh`{at} | {label} "
                    f"| {bench.fmt_ratio(case.ratio)} | {verdict(case.ratio >= factor)} |")
    return rows


def notes(cases: list[bench.Case]) -> list[str]:
    mine = [c for c in cases if c.command in COMMANDS]
    if not mine:
        return []
    out = ["", "staged, heads --base: N is the number of revisions on main of a git repository "
           "from `bench/gen_git_repo.py`, written with `git fast-import`, packed as a clone is "
           "(`git repack -adf`, refs packed) and checked out: alembic.ini, env.py, "
           "script.py.mako, the models (app/models/<word>.py) and config/schema.yaml agreeing "
           "at every commit, gen_migrations.py's revisions, and filler files (src/, tests/, "
           "docs/, assets/, frontend/) up to the file count; main holds commits of 100 "
           "revisions, then one commit per revision; each feature/NNNN branch forks from a main "
           "commit (two from main's last, every other from an older one, a few pairs from the "
           "same one) and adds one or two commits of one revision each (op.add_column, with "
           "the model and schema.yaml changed)."]
    out.append("")
    seen = set()
    for c in mine:
        d = DETAILS.get(id(c), {})
        m = d.get("manifest")
        if not m or c.project in seen:
            continue
        seen.add(c.project)
        s = m["seconds"]
        out += [f"- `{os.path.basename(c.project)}`: {m['files']:,} files at HEAD, "
                f"{m['revisions']:,} revisions in {m['main_commits']:,} commits on main, "
                f"{m['branches']:,} branches adding {m['branch_revisions']:,} revisions "
                f"({len(m['shared_parents'])} parents with two children, "
                f"{len(m['parallel_parents'])} of them shared by two branches); {d['pack']}; "
                f"generated in {s['total']:.0f} s (fast-import {s['fast_import']:.0f} s, "
                f"repack {s['pack']:.0f} s, checkout {s['checkout']:.0f} s)."]
    for c in mine:
        d = DETAILS.get(id(c), {})
        if c.command == STAGED:
            m = d["manifest"]["staged"]
            line = (f"- staged: `migcheck-staged` at the top of the repository, against `git "
                    f"diff --cached --name-only` (the ratio column is git's time over "
                    f"migcheck's: below 1, git is faster); staged with `git add`: "
                    f"{m['model']}, {m['schema']} and {m['revision']} ({m['column']})")
            if d.get("cache_tree"):
                line += (", the cache-tree invalid only on the folders above them ("
                         + ", ".join(f"`{p or '.'}`" for p in d["cache_tree"]) + ")")
            line += "."
            if "model_only" in d:
                def outcome(code: int, text: str | None) -> str:
                    return f"exit {code}, " + (f"`{text}`" if text else "no output")

                line += (f" Only the model staged: {outcome(*d['model_only'])}; the three: "
                         f"{outcome(*d['consistent'])}.")
            out.append(line)
        else:
            line = (f"- heads --base over {d['branches']:,} branches: `migcheck-heads --base "
                    f"{BASE} --refs '{PATTERN}'` (exit 1; findings: "
                    + ", ".join(f"{k} {v}" for k, v in sorted(d.get("findings", {}).items()))
                    + ") against `bench/heads_loop.sh`, which runs `git ls-tree` on the "
                    "versions folder and one `git cat-file --batch` over its files per branch "
                    "(and for the base), and prints the parents with two children; both name "
                    "the same parents.")
            if "loop_skipped" in d:
                line += (f" The loop took {d['loop_skipped']:.0f} s in its first run, so it "
                         "was not timed further (no ratio).")
            out.append(line)
    return out


def check_note() -> str:
    return ("; staged: migcheck-staged exits 1 with only the model staged and 0 with the "
            "consistent change, and git diff --cached lists the three files; heads --base: "
            "migcheck-heads exits 1 naming the parents the generator shared, and the loop "
            "names the same")

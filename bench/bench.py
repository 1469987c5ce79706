"""Benchmark migcheck's `manage_migrations heads|history` against Alembic,
`manage_migrations validate` against the closest Python equivalent,
migcheck running migrations (bench_migrate.py) against Alembic,
`manage_migrations generate` against `alembic revision --autogenerate`
(bench_generate.py), and
migcheck-staged and migcheck-heads across branches on a large git repository
(bench_git.py) against git and a shell loop.

Start it through bench/run, which picks a Python that can import Alembic.
See bench/README.md for what is measured and how.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import difflib
import hashlib
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_DIR = os.path.dirname(BENCH_DIR)
sys.path.insert(0, BENCH_DIR)

import gen_models  # noqa: E402  (needs BENCH_DIR on sys.path)
import gen_project  # noqa: E402

# bench_migrate.py and bench_git.py import this module as `bench`; run as a
# script it is __main__, and a second copy would have its own EXTRA_ENV.
sys.modules.setdefault("bench", sys.modules[__name__])
import bench_generate  # noqa: E402
import bench_git  # noqa: E402
import bench_migrate  # noqa: E402

DEFAULT_SIZES = [100, 1000, 5000, 10000]
QUICK_SIZES = [100, 1000]
SHAPES = ["linear", "branchy"]
COMMANDS = ["heads", "history"]
SEED = 1
GNU_TIME = "/usr/bin/time"

# Targets from the spec; reported, never enforced (timings are not assertions).
SPEEDUP_TARGET = 50.0
SPEEDUP_SIZES = (1000, 5000)
LATENCY_TARGET_S = 0.100
RSS_TARGET_KB = 64 * 1024
TARGET_SIZE = 10000
# validate: a models project of this many tables and columns over this many
# model files, timed against bench/validate_python.py (no Alembic command
# compares models with schema.yaml).
VALIDATE_TABLES = 500
VALIDATE_COLUMNS_PER_TABLE = 10
VALIDATE_FILES = 50
VALIDATE_TARGET_S = 0.100


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class BenchError(Exception):
    pass


@dataclass
class RunResult:
    wall: float
    exit_code: int
    maxrss_kb: int
    stdout: str
    stderr: str


@dataclass
class Case:
    n: int
    shape: str
    command: str
    project: str
    migcheck_times: list[float] = field(default_factory=list)
    uncached_times: list[float] = field(default_factory=list)
    alembic_times: list[float] = field(default_factory=list)
    rss_kb: int | None = None
    error: str | None = None

    @property
    def migcheck_median(self) -> float | None:
        return statistics.median(self.migcheck_times) if self.migcheck_times else None

    @property
    def uncached_median(self) -> float | None:
        return statistics.median(self.uncached_times) if self.uncached_times else None

    @property
    def alembic_median(self) -> float | None:
        return statistics.median(self.alembic_times) if self.alembic_times else None

    @property
    def ratio(self) -> float | None:
        m, a = self.migcheck_median, self.alembic_median
        return a / m if m and a else None


def exit_code_of(status: int) -> int:
    if os.WIFSIGNALED(status):
        return -os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    # The bytecode cache is part of how Alembic normally runs on a developer's
    # machine; with this set, every timed run would recompile every revision
    # file and the comparison would flatter migcheck.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    # migcheck's header cache plays the bytecode cache's part; it is kept in
    # bench/out so that a run leaves nothing in $HOME.
    env.pop("MIGCHECK_NO_CACHE", None)
    env["MIGCHECK_CACHE_DIR"] = os.path.join(BENCH_DIR, "out", "cache")
    env.update(EXTRA_ENV)
    return env


# Set around a run to time migcheck with its header cache turned off.
EXTRA_ENV: dict[str, str] = {}


@contextlib.contextmanager
def working_directory(path: str):
    # posix_spawn has no portable chdir action in Python; the driver is
    # single-threaded, so switching the parent's cwd around the spawn is safe.
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def run(argv: list[str], cwd: str, scratch: str) -> RunResult:
    """Run argv once; wall time covers spawn to reap, rusage is this child's only.

    posix_spawn + wait4 keeps the parent's overhead small and gives per-child
    ru_maxrss, which getrusage(RUSAGE_CHILDREN) cannot (it is a running max
    over every child ever reaped).
    """
    out_path = os.path.join(scratch, "stdout")
    err_path = os.path.join(scratch, "stderr")
    with open(out_path, "wb") as out, open(err_path, "wb") as err, working_directory(cwd):
        actions = [(os.POSIX_SPAWN_DUP2, out.fileno(), 1), (os.POSIX_SPAWN_DUP2, err.fileno(), 2)]
        start = time.perf_counter()
        pid = os.posix_spawn(argv[0], argv, child_env(), file_actions=actions)
        _, status, usage = os.wait4(pid, 0)
        wall = time.perf_counter() - start
    with open(out_path, encoding="utf-8", errors="replace") as f:
        stdout = f.read()
    with open(err_path, encoding="utf-8", errors="replace") as f:
        stderr = f.read()
    return RunResult(wall, exit_code_of(status), usage.ru_maxrss, stdout, stderr)


def run_checked(argv: list[str], cwd: str, scratch: str, expect: int = 0) -> RunResult:
    """run(), failing unless the exit status is `expect` (1 for a checker
    that must find problems)."""
    result = run(argv, cwd, scratch)
    if result.exit_code != expect:
        how = (f"killed by signal {-result.exit_code}" if result.exit_code < 0
               else f"exited with {result.exit_code}")
        stderr = result.stderr.strip()
        raise BenchError(f"{' '.join(argv)} (in {cwd}) {how}" + (f"\n{stderr}" if stderr else ""))
    return result


def gnu_time_rss(argv: list[str], cwd: str, scratch: str, expect: int = 0) -> int | None:
    """Peak RSS in KiB from GNU time, or None when it is not installed."""
    if not os.access(GNU_TIME, os.X_OK):
        return None
    report = os.path.join(scratch, "time-report")
    run_checked([GNU_TIME, "-f", "%M", "-o", report] + argv, cwd, scratch, expect)
    with open(report) as f:
        return int(f.read().split()[-1])


# --- build -----------------------------------------------------------------

def build_migcheck(build_dir: str, log_path: str) -> None:
    jobs = str(len(os.sched_getaffinity(0)))
    steps = [
        ["cmake", "-S", REPO_DIR, "-B", build_dir, "-DMIGCHECK_TESTS=OFF",
         "-DCMAKE_BUILD_TYPE=Release"],
        ["cmake", "--build", build_dir, "-j", jobs],
    ]
    with open(log_path, "w") as build_log:
        for step in steps:
            build_log.write("$ " + " ".join(step) + "\n")
            build_log.flush()
            if subprocess.run(step, stdout=build_log, stderr=subprocess.STDOUT).returncode != 0:
                with open(log_path) as f:
                    tail = "".join(f.readlines()[-30:])
                raise BenchError(f"build failed, see {log_path}:\n{tail}")


def build_type(build_dir: str) -> str:
    try:
        with open(os.path.join(build_dir, "CMakeCache.txt")) as f:
            for line in f:
                if line.startswith("CMAKE_BUILD_TYPE:"):
                    return line.split("=", 1)[1].strip() or "no build type"
    except OSError:
        pass
    return "unknown build type"


# --- projects --------------------------------------------------------------

def stamp_current(stamp_path: str, stamp: str) -> bool:
    """Whether a generated project's stamp file holds exactly `stamp` (its
    generators' digest and arguments): then it is reused as it is."""
    try:
        with open(stamp_path) as f:
            return f.read() == stamp
    except OSError:
        return False


def ensure_project(projects_dir: str, n: int, shape: str) -> str:
    """Generate the project unless a copy made by this very generator exists."""
    path = os.path.join(projects_dir, f"{shape}-{n}")
    stamp_path = os.path.join(path, ".bench-stamp")
    with open(gen_project.__file__, "rb") as f:
        stamp = f"{hashlib.sha256(f.read()).hexdigest()} n={n} shape={shape} seed={SEED}\n"
    if stamp_current(stamp_path, stamp):
        return path
    log(f"generating {path}")
    gen_project.generate(path, n, shape, SEED)
    with open(stamp_path, "w") as f:
        f.write(stamp)
    return path


def ensure_models_project(projects_dir: str) -> str:
    """The validate project, regenerated only when gen_models.py changes."""
    path = os.path.join(projects_dir, f"models-{VALIDATE_TABLES}")
    stamp_path = os.path.join(path, ".bench-stamp")
    with open(gen_models.__file__, "rb") as f:
        stamp = (f"{hashlib.sha256(f.read()).hexdigest()} tables={VALIDATE_TABLES} "
                 f"columns={VALIDATE_COLUMNS_PER_TABLE} files={VALIDATE_FILES} seed={SEED}\n")
    if stamp_current(stamp_path, stamp):
        return path
    log(f"generating {path}")
    gen_models.generate(path, VALIDATE_TABLES, VALIDATE_COLUMNS_PER_TABLE, VALIDATE_FILES, SEED)
    with open(stamp_path, "w") as f:
        f.write(stamp)
    return path


# --- measurement -----------------------------------------------------------

def mismatch_report(case: Case, expected: str, actual: str, out_dir: str) -> str:
    base = os.path.join(out_dir, "mismatch", f"{case.shape}-{case.n}-{case.command}")
    os.makedirs(os.path.dirname(base), exist_ok=True)
    with open(base + ".alembic.txt", "w") as f:
        f.write(expected)
    with open(base + ".migcheck.txt", "w") as f:
        f.write(actual)
    diff = list(difflib.unified_diff(expected.splitlines(), actual.splitlines(),
                                     "alembic (sorted files)", "migcheck", lineterm=""))
    shown = "\n".join(diff[:60]) + ("\n..." if len(diff) > 60 else "")
    return (f"OUTPUT MISMATCH: {case.command} on {case.project}\n"
            f"both outputs saved as {base}.{{alembic,migcheck}}.txt\n{shown}")


def measure(case: Case, tools: dict, reps: tuple[int, int], out_dir: str, scratch: str) -> None:
    mig_argv = [tools["migcheck"], "-C", case.project, case.command]
    ini = os.path.join(case.project, "alembic.ini")
    alembic_argv = [tools["python"], "-m", "alembic", "-c", ini, case.command]
    sorted_argv = [tools["python"], os.path.join(BENCH_DIR, "alembic_sorted.py"), "-c", ini,
                   case.command]
    cwd = case.project  # script_location is relative, and Alembic resolves it from the cwd

    # Warm-up: fills Alembic's bytecode cache for the revision files and the
    # page cache for both tools, so no timed run pays a one-off cost.
    run_checked(alembic_argv, cwd, scratch)
    run_checked(mig_argv, cwd, scratch)

    expected = run_checked(sorted_argv, cwd, scratch).stdout
    actual = run_checked(mig_argv, cwd, scratch).stdout
    if case.command == "heads":
        same = sorted(expected.splitlines()) == sorted(actual.splitlines())
    else:
        same = expected == actual
    if not same:
        case.error = mismatch_report(case, expected, actual, out_dir)
        log(case.error)
    expected_lines = len(expected.splitlines())

    def check_alembic(r: RunResult) -> None:
        # File order and label order vary in plain Alembic; the line count
        # must not.
        if len(r.stdout.splitlines()) != expected_lines:
            raise BenchError(f"{' '.join(alembic_argv)}: printed {len(r.stdout.splitlines())}"
                             f" lines, expected {expected_lines}")

    interleave(case, mig_argv, actual, alembic_argv, check_alembic, reps, cwd, scratch,
               uncached=True)


def interleave(case: Case, mig_argv: list[str], mig_out: str, other_argv: list[str],
               check_other, reps: tuple[int, int], cwd: str, scratch: str,
               uncached: bool, mig_exit: int = 0) -> None:
    """Times migcheck (and, with `uncached`, migcheck without its header
    cache) and the other tool in alternation, so that drift on the machine
    (thermal, other load) hits both alike instead of whichever ran second.
    migcheck must print `mig_out` and exit with `mig_exit` every time;
    `check_other` checks the other tool's run. Ends with migcheck's peak RSS."""
    mig_reps, other_reps = reps
    wait4_rss = 0
    for i in range(max(mig_reps, other_reps)):
        if i < mig_reps:
            r = run_checked(mig_argv, cwd, scratch, mig_exit)
            if r.stdout != mig_out:
                raise BenchError(f"{' '.join(mig_argv)}: output changed between runs")
            case.migcheck_times.append(r.wall)
            wait4_rss = max(wait4_rss, r.maxrss_kb)
            if uncached:
                EXTRA_ENV["MIGCHECK_NO_CACHE"] = "1"
                try:
                    r = run_checked(mig_argv, cwd, scratch, mig_exit)
                finally:
                    EXTRA_ENV.clear()
                if r.stdout != mig_out:
                    raise BenchError(f"{' '.join(mig_argv)} without cache: output differs")
                case.uncached_times.append(r.wall)
                wait4_rss = max(wait4_rss, r.maxrss_kb)
        if i < other_reps:
            r = run_checked(other_argv, cwd, scratch)
            check_other(r)
            case.alembic_times.append(r.wall)
    rss = gnu_time_rss(mig_argv, cwd, scratch, mig_exit)
    case.rss_kb = rss if rss is not None else wait4_rss


def measure_validate(case: Case, tools: dict, reps: tuple[int, int], scratch: str) -> None:
    """validate against validate_python.py, with the same warm-up, checks and
    interleaving as measure(); the Python side's times go in alembic_times."""
    mig_argv = [tools["migcheck"], "-C", case.project, "validate"]
    py_argv = [tools["python"], os.path.join(BENCH_DIR, "validate_python.py"), case.project]
    cwd = case.project
    run_checked(py_argv, cwd, scratch)  # also writes the models' bytecode cache
    run_checked(mig_argv, cwd, scratch)
    columns = VALIDATE_TABLES * VALIDATE_COLUMNS_PER_TABLE
    expected_py = f"{VALIDATE_TABLES} tables, {columns} columns: agree\n"
    mig_out = run_checked(mig_argv, cwd, scratch).stdout
    py_out = run_checked(py_argv, cwd, scratch).stdout
    if (py_out != expected_py or not mig_out.startswith(f"validate: {VALIDATE_TABLES} tables, "
                                                        f"{columns} columns: ")
            or " agree" not in mig_out):
        case.error = (f"OUTPUT MISMATCH: validate on {case.project}: both must find the models "
                      f"and schema.yaml in agreement\nmigcheck: {mig_out}python: {py_out}")
        log(case.error)
    def check_python(r: RunResult) -> None:
        if r.stdout != py_out:
            raise BenchError(f"{' '.join(py_argv)}: output changed between runs")

    interleave(case, mig_argv, mig_out, py_argv, check_python, reps, cwd, scratch,
               uncached=False)


# --- report ----------------------------------------------------------------

def fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    ms = seconds * 1000
    if ms < 10:
        return f"{ms:.2f} ms"
    if ms < 1000:
        return f"{ms:.1f} ms"
    return f"{seconds:.2f} s"


def fmt_ratio(ratio: float | None) -> str:
    if ratio is None:
        return "—"
    # Below 1 the other tool is the faster one (git diff --cached).
    return f"{ratio:.2f}×" if ratio < 1 else f"{ratio:.1f}×"


def fmt_rss(kb: int | None) -> str:
    return "—" if kb is None else f"{kb / 1024:.1f} MiB"


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def git_head() -> str:
    try:
        out = subprocess.run(["git", "-C", REPO_DIR, "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, check=True)
        # --no-optional-locks: a plain status may rewrite the index.
        dirty = subprocess.run(["git", "--no-optional-locks", "-C", REPO_DIR, "status",
                                "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip()
        return out.stdout.strip() + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def target_rows(cases: list[Case]) -> list[str]:
    rows = []

    def verdict(ok: bool) -> str:
        return "PASS" if ok else "**MISS**"

    for case in cases:
        if case.error and not case.migcheck_times:
            continue
        if case.command in bench_migrate.COMMANDS:
            rows += bench_migrate.target_rows(case)
            continue
        if case.command in bench_git.COMMANDS:
            rows += bench_git.target_rows(case)
            continue
        if case.command in bench_generate.COMMANDS:
            rows += bench_generate.target_rows(case)
            continue
        label = f"{case.n} | {case.shape} | {case.command}"
        if case.command == "validate":
            m = case.migcheck_median
            rows.append(f"| migcheck < {VALIDATE_TARGET_S * 1000:.0f} ms | {label} | "
                        f"{fmt_time(m)} | {verdict(m is not None and m < VALIDATE_TARGET_S)} |")
            continue
        if case.n in SPEEDUP_SIZES and case.ratio is not None:
            rows.append(f"| ≥ {SPEEDUP_TARGET:.0f}× faster than Alembic | {label} | "
                        f"{fmt_ratio(case.ratio)} | {verdict(case.ratio >= SPEEDUP_TARGET)} |")
        if case.n == TARGET_SIZE:
            m = case.migcheck_median
            rows.append(f"| migcheck < {LATENCY_TARGET_S * 1000:.0f} ms | {label} | {fmt_time(m)} | "
                        f"{verdict(m is not None and m < LATENCY_TARGET_S)} |")
            rows.append(f"| migcheck peak RSS < {RSS_TARGET_KB // 1024} MiB | {label} | "
                        f"{fmt_rss(case.rss_kb)} | "
                        f"{verdict(case.rss_kb is not None and case.rss_kb < RSS_TARGET_KB)} |")
    return rows


def render_report(cases: list[Case], info: dict) -> str:
    lines = [
        "# migcheck vs Alembic",
        "",
        f"- Date: {info['date']}",
        f"- Machine: {info['nproc']} CPUs (nproc), {info['cpu']}; {info['kernel']}; "
        f"load average {info['load_start']} at start, {info['load_end']} at end",
        f"- Alembic {info['alembic']} (SQLAlchemy {info['sqlalchemy']}) on Python "
        f"{info['python_version']} ({info['python']})",
        f"- migcheck {info['git']}, build {info['build_dir']} ({info['build_type']})",
        f"- Method: median wall time (spawn to exit) of interleaved runs after one warm-up "
        f"run each (Alembic with its bytecode cache warm, migcheck with its header cache warm, "
        f"and again with MIGCHECK_NO_CACHE=1); runs per case migcheck/other side: {info['reps']}; "
        f"peak RSS via {info['rss_method']}.",
        "",
        "| N | shape | command | migcheck median | alembic median | ratio | "
        "migcheck without cache | ratio without cache | migcheck peak RSS |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for c in cases:
        command = c.command + (" **(failed, see below)**" if c.error else "")
        cold = c.uncached_median
        cold_ratio = c.alembic_median / cold if cold and c.alembic_median else None
        lines.append(f"| {c.n} | {c.shape} | {command} | {fmt_time(c.migcheck_median)} | "
                     f"{fmt_time(c.alembic_median)} | {fmt_ratio(c.ratio)} | {fmt_time(cold)} | "
                     f"{fmt_ratio(cold_ratio)} | {fmt_rss(c.rss_kb)} |")
    if any(c.command == "validate" for c in cases):
        lines += ["", f"validate: N is the number of tables ({VALIDATE_TABLES} tables, "
                  f"{VALIDATE_TABLES * VALIDATE_COLUMNS_PER_TABLE} columns over {VALIDATE_FILES}"
                  " model files, `bench/gen_models.py`); no Alembic command compares models "
                  "with schema.yaml, so its \"alembic\" column is `bench/validate_python.py`: "
                  "SQLAlchemy imports the models (bytecode cache warm) and PyYAML loads "
                  "schema.yaml, comparing only names, nullability and primary keys."]
    lines += bench_migrate.notes(cases)
    lines += bench_git.notes(cases)
    lines += bench_generate.notes(cases)
    lines += ["", "## Targets (informational)", ""]
    rows = target_rows(cases)
    measured = {c.n for c in cases if c.command in COMMANDS}
    missing = [n for n in (*SPEEDUP_SIZES, TARGET_SIZE) if n not in measured]
    if not any(c.command in COMMANDS for c in cases):
        missing = []
    if rows:
        lines += ["| target | N | shape | command | measured | result |",
                  "|---|---:|---|---|---:|---|", *rows]
    if missing:
        lines += ["", "Not measured in this run: N = " + ", ".join(map(str, sorted(set(missing))))
                  + " (the targets at those sizes are not evaluated)."]
    errors = [c for c in cases if c.error]
    lines += ["", "## Output check", ""]
    if errors:
        lines.append("**FAILED** — migcheck and the other side disagree or a command failed:")
        for c in errors:
            lines += ["", "```", c.error, "```"]
    else:
        # Only the checks of the parts that ran.
        checks = []
        if any(c.command in COMMANDS for c in cases):
            checks.append("heads: same lines; history: identical, Alembic reading files in name "
                          "order")
        if any(c.command == "validate" for c in cases):
            checks.append("validate: both find the models and schema.yaml in agreement")
        if any(c.command in bench_migrate.COMMANDS for c in cases):
            checks.append(bench_migrate.check_note().lstrip("; "))
        if any(c.command in bench_git.COMMANDS for c in cases):
            checks.append(bench_git.check_note().lstrip("; "))
        if any(c.command in bench_generate.COMMANDS for c in cases):
            checks.append(bench_generate.check_note())
        lines.append("migcheck's output equals the other side's for every case ("
                     + "; ".join(checks) + ").")
    return "\n".join(lines) + "\n"


# --- main ------------------------------------------------------------------

def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="bench/run", description="Time migcheck against Alembic.")
    p.add_argument("--build", metavar="DIR",
                   help="use the migcheck binaries already built in DIR instead of building "
                        "a Release build in bench/out/build")
    p.add_argument("--quick", action="store_true",
                   help=f"only N in {QUICK_SIZES} (a minute or so), and smaller migration "
                        "projects")
    p.add_argument("--sizes", metavar="N,N,...",
                   help=f"revision counts to run (default {','.join(map(str, DEFAULT_SIZES))})")
    p.add_argument("--shapes", metavar="S,S", default=",".join(SHAPES),
                   help="linear, branchy or both (default both)")
    p.add_argument("--reps-migcheck", type=int, metavar="K",
                   help="timed migcheck runs per case (default 15 for N ≤ 1000, else 7)")
    p.add_argument("--reps-alembic", type=int, metavar="K",
                   help="timed Alembic runs per case (default 7 for N ≤ 1000, else 5)")
    p.add_argument("--out", metavar="DIR", default=os.path.join(BENCH_DIR, "out"),
                   help="where projects, the build and results.md go (default bench/out)")
    p.add_argument("--validate", choices=["yes", "no", "only"], default="yes",
                   help="time `validate` on a 500-table models project too (default yes)")
    p.add_argument("--migrate", choices=["yes", "no", "only"], default="yes",
                   help="time replay, apply and current against Alembic on generated "
                        "migrations too (default yes; see bench_migrate.py)")
    p.add_argument("--git", choices=["yes", "no", "only"], default="yes",
                   help="time migcheck-staged and migcheck-heads across branches on a generated "
                        "50,000-file git repository too (default yes; see bench_git.py)")
    p.add_argument("--generate", choices=["yes", "no", "only"], default="yes",
                   help="time `generate` against `alembic revision --autogenerate` on a "
                        "1,000-revision, 200-table project too (default yes; see "
                        "bench_generate.py)")
    args = p.parse_args(argv)
    if args.sizes:
        try:
            args.sizes = [int(s) for s in args.sizes.split(",") if s]
        except ValueError:
            p.error("--sizes takes comma-separated integers")
        if not args.sizes or min(args.sizes) < 1:
            p.error("--sizes needs positive integers")
    else:
        args.sizes = QUICK_SIZES if args.quick else DEFAULT_SIZES
    args.shapes = [s for s in args.shapes.split(",") if s]
    if not args.shapes or any(s not in SHAPES for s in args.shapes):
        p.error(f"--shapes takes {' and/or '.join(SHAPES)}")
    for name in ("reps_migcheck", "reps_alembic"):
        if getattr(args, name) is not None and getattr(args, name) < 1:
            p.error(f"--{name.replace('_', '-')} must be at least 1")
    return args


def reps_for(n: int, args: argparse.Namespace) -> tuple[int, int]:
    # Small projects run in milliseconds, so more samples cost nothing and
    # steady the median; at 5,000+ revisions Alembic takes seconds per run.
    small = n <= 1000
    mig = args.reps_migcheck or (15 if small else 7)
    alembic = args.reps_alembic or (7 if small else 5)
    return mig, alembic


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    # Other work on the machine skews every number; the load average says
    # whether the run had the CPUs to itself.
    load_start = load_average()
    try:
        import alembic
        import sqlalchemy
    except ImportError as e:
        log(f"bench: {sys.executable} cannot import alembic and sqlalchemy ({e}); "
            "start the benchmark with bench/run, which looks for a Python that can")
        return 2
    log(f"bench: Alembic {alembic.__version__} via {sys.executable}")

    out_dir = os.path.abspath(args.out)
    scratch = os.path.join(out_dir, "tmp")
    os.makedirs(scratch, exist_ok=True)
    # Mismatch files from an earlier run would look like this run's failures.
    shutil.rmtree(os.path.join(out_dir, "mismatch"), ignore_errors=True)
    try:
        if args.build:
            build_dir = os.path.abspath(args.build)
        else:
            build_dir = os.path.join(out_dir, "build")
            log(f"bench: building migcheck (Release) in {build_dir}")
            build_migcheck(build_dir, os.path.join(out_dir, "build.log"))
        migcheck = os.path.join(build_dir, "tools", "manage_migrations", "manage_migrations")
        if not os.access(migcheck, os.X_OK):
            raise BenchError(f"{migcheck} not found; build migcheck there first")
        kind = build_type(build_dir)
        if kind != "Release":
            log(f"bench: warning: {build_dir} is a {kind} build, not Release")
    except BenchError as e:
        log(f"bench: {e}")
        return 1

    tools = {"migcheck": migcheck, "python": sys.executable}
    projects_dir = os.path.join(out_dir, "projects")
    cases: list[Case] = []
    failed = False
    # "only" runs that part alone (several "only": those parts).
    only = {part for part in ("validate", "migrate", "git", "generate")
            if getattr(args, part) == "only"}
    run_history = not only
    run_validate = "validate" in only or (not only and args.validate != "no")
    run_migrate = "migrate" in only or (not only and args.migrate != "no")
    run_git = "git" in only or (not only and args.git != "no")
    run_generate = "generate" in only or (not only and args.generate != "no")
    for n in (args.sizes if run_history else []):
        for shape in args.shapes:
            project = ensure_project(projects_dir, n, shape)
            for command in COMMANDS:
                case = Case(n, shape, command, project)
                cases.append(case)
                log(f"bench: N={n} {shape} {command}")
                try:
                    measure(case, tools, reps_for(n, args), out_dir, scratch)
                except BenchError as e:
                    failure = f"COMMAND FAILED: {e}"
                    log(failure)
                    # Keep an earlier output mismatch of the same case visible.
                    case.error = f"{case.error}\n\n{failure}" if case.error else failure
                failed |= case.error is not None
    if run_validate:
        case = Case(VALIDATE_TABLES, "models", "validate", ensure_models_project(projects_dir))
        cases.append(case)
        log(f"bench: {VALIDATE_TABLES} tables validate")
        try:
            measure_validate(case, tools, (15, 7), scratch)
        except BenchError as e:
            case.error = f"{case.error}\n\nCOMMAND FAILED: {e}" if case.error else \
                f"COMMAND FAILED: {e}"
            log(case.error)
        failed |= case.error is not None
    if run_migrate:
        try:
            migrate_cases = bench_migrate.run(args, tools, projects_dir, scratch)
        except BenchError as e:
            log(f"bench: {e}")
            return 1
        cases += migrate_cases
        failed |= any(c.error is not None for c in migrate_cases)
    if run_git:
        try:
            git_cases = bench_git.run(args, tools, projects_dir, scratch)
        except BenchError as e:
            log(f"bench: {e}")
            return 1
        cases += git_cases
        failed |= any(c.error is not None for c in git_cases)

    if run_generate:
        try:
            generate_cases = bench_generate.run(args, tools, projects_dir, scratch)
        except BenchError as e:
            log(f"bench: {e}")
            return 1
        cases += generate_cases
        failed |= any(c.error is not None for c in generate_cases)

    rss_method = (f"`{GNU_TIME} -f %M` (one extra run)" if os.access(GNU_TIME, os.X_OK)
                  else "wait4() ru_maxrss, max over the timed runs")
    reps = ", ".join(f"N={n}: {m}/{a}" for n, (m, a) in
                     ((n, reps_for(n, args)) for n in args.sizes if run_history))
    if run_validate:
        reps += (", " if reps else "") + "validate: 15/7"
    if run_migrate:
        reps += (", " if reps else "") + bench_migrate.reps_note(args)
    if run_git:
        reps += (", " if reps else "") + bench_git.reps_note(args)
    if run_generate:
        reps += (", " if reps else "") + bench_generate.reps_note(args)

    info = {
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": cpu_model(),
        "kernel": f"{platform.system()} {platform.release()}",
        "alembic": alembic.__version__,
        "sqlalchemy": sqlalchemy.__version__,
        "python": sys.executable,
        "python_version": platform.python_version(),
        "git": git_head(),
        "build_dir": build_dir,
        "build_type": kind,
        "rss_method": rss_method,
        "load_start": load_start,
        "load_end": load_average(),
        "reps": reps,
    }
    report = render_report(cases, info)
    report += f"\nTotal benchmark time: {time.monotonic() - started:.0f} s.\n"
    with open(os.path.join(out_dir, "results.md"), "w") as f:
        f.write(report)
    shutil.rmtree(scratch, ignore_errors=True)
    print(report, end="")
    if failed:
        log("bench: FAILED — see 'Output check' above")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

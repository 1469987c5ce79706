"""The migration cases of the benchmark: migcheck running migrations on
SQLite against Alembic doing the same.

    replay   migcheck-replay -C P (in memory, upgrade and the full down walk)
             vs  alembic upgrade head on a fresh SQLite file in tmpfs (/dev/shm;
             the scratch folder when there is none), so that neither side
             waits for the disk
    apply    manage_migrations -C P apply --url sqlite:///<fresh file>
             vs  alembic upgrade head on a fresh SQLite file, both in the
             scratch folder on disk, each paying for its own commits
    current  manage_migrations -C P current --url sqlite:///<database at head>
             vs  alembic current on the same database

bench.py calls run() when `--migrate` is yes (the default) or only, and asks
this module for the target rows and notes of these cases. The projects come
from gen_migrations.py and are cached in <out>/projects/migrations-<N>/.
See bench/README.md.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import tempfile

import bench  # bench.py, the running driver (it registers itself under this name)
import gen_migrations

# bench.py imports this module before it has defined anything, so its names
# are looked up when used (bench.X), never imported from it.

COMMANDS = ("replay", "apply", "current")
SHAPE = "migrations"  # the "shape" column of the report

SIZES = {"replay": 1000, "apply": 1000, "current": 5000}
QUICK_SIZES = {"replay": 200, "apply": 200, "current": 1000}
# create_table revisions at the start of a project: gen_migrations.py's
# default, fewer in small projects so that most revisions still do mixed work.
MAX_TABLES = gen_migrations.DEFAULT_TABLES
SEED = 1

# Targets from the spec, at the sizes of SIZES; reported, never enforced.
SPEEDUP_TARGETS = {"replay": 20.0, "apply": 10.0}
CURRENT_TARGET_S = 0.020

# Timed runs per case (migcheck, Alembic) unless --reps-* say otherwise. An
# Alembic upgrade of 1,000 revisions takes tens of seconds, so fewer than in
# the history cases.
REPS = {"replay": (7, 5), "apply": (7, 5), "current": (15, 7)}


def tables_for(n: int) -> int:
    return max(1, min(MAX_TABLES, n // 5))


def sizes(args) -> dict[str, int]:
    return QUICK_SIZES if args.quick else SIZES


def reps(command: str, args) -> tuple[int, int]:
    mig, alembic = REPS[command]
    return args.reps_migcheck or mig, args.reps_alembic or alembic


def reps_note(args) -> str:
    s = sizes(args)
    return ", ".join(f"{c} (N={s[c]}): {'/'.join(map(str, reps(c, args)))}" for c in COMMANDS)


# --- projects and databases ------------------------------------------------

def ensure_project(projects_dir: str, n: int) -> str:
    """The project of n revisions, regenerated only when gen_migrations.py or
    the arguments change (the same rule as bench.ensure_project)."""
    path = os.path.join(projects_dir, f"{SHAPE}-{n}")
    stamp_path = os.path.join(path, ".bench-stamp")
    with open(gen_migrations.__file__, "rb") as f:
        stamp = (f"{hashlib.sha256(f.read()).hexdigest()} n={n} tables={tables_for(n)} "
                 f"seed={SEED}\n")
    if bench.stamp_current(stamp_path, stamp):
        return path
    bench.log(f"generating {path}")
    gen_migrations.generate(path, n, tables_for(n), SEED)
    with open(stamp_path, "w") as f:
        f.write(stamp)
    return path


def remove_database(path: str) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        try:
            os.unlink(path + suffix)
        except FileNotFoundError:
            pass


def url_of(path: str) -> str:
    return "sqlite:///" + os.path.abspath(path)


def connect(path: str) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{os.path.abspath(path)}?mode=ro", uri=True)


def version_rows(path: str) -> list[str]:
    """The alembic_version rows; [] for a missing file or table."""
    if not os.path.exists(path):
        return []
    con = connect(path)
    try:
        return sorted(r[0] for r in con.execute("SELECT version_num FROM alembic_version"))
    except sqlite3.OperationalError:
        return []
    finally:
        con.close()


def describe_database(path: str) -> dict:
    """What apply's output check compares: tables, version rows, and each
    table's columns (PRAGMA table_info) and named indexes with their columns."""
    con = connect(path)
    try:
        tables = sorted(r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"))
        columns = {t: con.execute(f'PRAGMA table_info("{t}")').fetchall() for t in tables}
        indexes = {}
        for table, name in con.execute(
                "SELECT tbl_name, name FROM sqlite_master WHERE type = 'index' "
                "AND name NOT LIKE 'sqlite_autoindex_%' ORDER BY name"):
            cols = [r[2] for r in con.execute(f'PRAGMA index_info("{name}")')]
            indexes[name] = (table, cols)
        version = sorted(r[0] for r in con.execute("SELECT version_num FROM alembic_version"))
    finally:
        con.close()
    return {"tables": tables, "version": version, "columns": columns, "indexes": indexes}


def compare_databases(mig_path: str, alembic_path: str) -> list[str]:
    """The differences between the databases migcheck and Alembic built."""
    a, b = describe_database(mig_path), describe_database(alembic_path)
    problems = []
    if a["version"] != b["version"]:
        problems.append(f"alembic_version: migcheck {a['version']}, Alembic {b['version']}")
    only_mig = sorted(set(a["tables"]) - set(b["tables"]))
    only_alembic = sorted(set(b["tables"]) - set(a["tables"]))
    if only_mig or only_alembic:
        problems.append(f"tables only migcheck made: {only_mig or 'none'}; only Alembic made: "
                        f"{only_alembic or 'none'}")
    for t in sorted(set(a["tables"]) & set(b["tables"])):
        if a["columns"][t] != b["columns"][t]:
            problems.append(f"table {t}: columns (PRAGMA table_info) differ:\n"
                            f"  migcheck {a['columns'][t]}\n  Alembic  {b['columns'][t]}")
    if a["indexes"] != b["indexes"]:
        keys = sorted(set(a["indexes"]) | set(b["indexes"]))
        diff = [f"  {k}: migcheck {a['indexes'].get(k)}, Alembic {b['indexes'].get(k)}"
                for k in keys if a["indexes"].get(k) != b["indexes"].get(k)]
        problems.append("indexes differ:\n" + "\n".join(diff[:20]))
    return problems


# --- measurement -----------------------------------------------------------

def alembic_argv(tools: dict, project: str, *command: str) -> list[str]:
    return [tools["python"], "-m", "alembic", "-c", os.path.join(project, "alembic.ini"),
            *command]


def head_of(tools: dict, project: str, scratch: str) -> str:
    """The head, as `alembic heads` prints it. This run also fills Alembic's
    bytecode cache for the revision files (the warm-up of every case)."""
    out = bench.run_checked(alembic_argv(tools, project, "heads"), project, scratch).stdout.split()
    if len(out) != 2 or out[1] != "(head)":
        raise bench.BenchError(f"alembic heads in {project}: expected one head, "
                               f"got {' '.join(out)!r}")
    return out[0]


def with_database_url(url: str | None):
    """Sets DATABASE_URL (read by the generated env.py) for the children."""
    bench.EXTRA_ENV.clear()
    if url:
        bench.EXTRA_ENV["DATABASE_URL"] = url


def check_upgraded(path: str, head: str, who: str) -> None:
    rows = version_rows(path)
    if rows != [head]:
        raise bench.BenchError(f"{who}: the database is at {rows or 'base'}, expected {head}")


# Where the replay case's Alembic database went (for the notes): a tmpfs
# folder, or the scratch folder on disk when there is no tmpfs.
REPLAY_ALEMBIC_DB_PLACE = None
RAM_ROOT = "/dev/shm"


def ram_directory() -> str | None:
    """A fresh folder in RAM (tmpfs), or None when there is none."""
    if not (os.path.isdir(RAM_ROOT) and os.access(RAM_ROOT, os.W_OK | os.X_OK)):
        return None
    return tempfile.mkdtemp(prefix="migcheck-bench-", dir=RAM_ROOT)


def measure_replay(case: bench.Case, tools: dict, head: str, reps: tuple[int, int],
                   scratch: str) -> None:
    global REPLAY_ALEMBIC_DB_PLACE
    project = case.project
    mig_argv = [tools["replay"], "-C", project]
    other_argv = alembic_argv(tools, project, "upgrade", "head")
    # migcheck-replay works in memory and never waits for the disk. Alembic on
    # a file on disk does: pysqlite commits each DDL statement on its own
    # (about 2,100 commits and 8,600 fdatasync calls for this history), and
    # on a machine whose disk others are using, those waits alone took the
    # same command from 9.5 s to 48 s between runs, inflating the ratio. Its
    # database goes to tmpfs instead, where a sync costs nothing: what is
    # left is Alembic's own work, its lowest and steadiest time.
    ram = ram_directory()
    REPLAY_ALEMBIC_DB_PLACE = "tmpfs" if ram else "disk"
    db = os.path.join(ram or scratch, "alembic-replay.db")
    expected = (f"replay: {case.n} revisions on SQLite (in memory), up and back down: "
                "the migrations build config/schema.yaml\n")
    mig_out = bench.run_checked(mig_argv, project, scratch).stdout  # warm-up and output check
    if mig_out != expected:
        case.error = (f"OUTPUT MISMATCH: migcheck-replay on {project}\n"
                      f"expected: {expected}got:\n{mig_out}")
        bench.log(case.error)

    def check_alembic(r: bench.RunResult) -> None:
        check_upgraded(db, head, "alembic upgrade head")
        remove_database(db)  # the next run starts from a fresh file

    remove_database(db)
    with_database_url(url_of(db))
    try:
        bench.interleave(case, mig_argv, mig_out, other_argv, check_alembic, reps, project,
                         scratch, uncached=False)
    finally:
        with_database_url(None)
        remove_database(db)
        if ram:
            shutil.rmtree(ram, ignore_errors=True)


def measure_apply(case: bench.Case, tools: dict, head: str, reps: tuple[int, int],
                  scratch: str) -> None:
    """bench.interleave with a fresh database before every run of either tool,
    which interleave has no hook for; otherwise the same alternation."""
    project = case.project
    mig_db = os.path.join(scratch, "migcheck-apply.db")
    alembic_db = os.path.join(scratch, "alembic-apply.db")
    mig_argv = [tools["migcheck"], "-C", project, "apply", "--url", url_of(mig_db)]
    other_argv = alembic_argv(tools, project, "upgrade", "head")
    expected_last = f"apply: {case.n} revisions applied; {url_of(mig_db)} is at {head} (head)"

    def run_migcheck() -> bench.RunResult:
        remove_database(mig_db)
        r = bench.run_checked(mig_argv, project, scratch)
        check_upgraded(mig_db, head, "manage_migrations apply")
        return r

    def run_alembic() -> bench.RunResult:
        remove_database(alembic_db)
        r = bench.run_checked(other_argv, project, scratch)
        check_upgraded(alembic_db, head, "alembic upgrade head")
        return r

    with_database_url(url_of(alembic_db))
    try:
        mig_out = run_migcheck().stdout  # warm-up and output check
        lines = mig_out.splitlines()
        if not lines or lines[-1] != expected_last:
            case.error = (f"OUTPUT MISMATCH: manage_migrations apply on {project}\n"
                          f"expected the last line: {expected_last}\n"
                          f"got: {lines[-1] if lines else '(nothing)'}")
            bench.log(case.error)
        mig_reps, other_reps = reps
        wait4_rss = 0
        for i in range(max(mig_reps, other_reps)):
            if i < mig_reps:
                r = run_migcheck()
                if r.stdout != mig_out:
                    raise bench.BenchError(f"{' '.join(mig_argv)}: output changed between runs")
                case.migcheck_times.append(r.wall)
                wait4_rss = max(wait4_rss, r.maxrss_kb)
            if i < other_reps:
                case.alembic_times.append(run_alembic().wall)
        problems = compare_databases(mig_db, alembic_db)
        if problems:
            mismatch = (f"DATABASES DIFFER after apply on {project} ({mig_db} vs "
                        f"{alembic_db}, both kept):\n" + "\n".join(problems[:20]))
            case.error = f"{case.error}\n\n{mismatch}" if case.error else mismatch
            bench.log(mismatch)
            return
        remove_database(mig_db)
        rss = bench.gnu_time_rss(mig_argv, project, scratch)
        case.rss_kb = rss if rss is not None else wait4_rss
    finally:
        with_database_url(None)
    remove_database(mig_db)
    remove_database(alembic_db)


def ensure_head_database(tools: dict, project: str, head: str, scratch: str) -> str:
    """<project>/bench.db at the head, made by `manage_migrations apply` once
    and kept with the project. It is the database alembic.ini names, so
    `alembic current` reads it without DATABASE_URL."""
    path = os.path.join(project, "bench.db")
    if version_rows(path) == [head]:
        return path
    bench.log(f"bench: upgrading {path} to the head")
    remove_database(path)
    bench.run_checked([tools["migcheck"], "-C", project, "apply", "--url", url_of(path)],
                      project, scratch)
    check_upgraded(path, head, "manage_migrations apply")
    return path


def measure_current(case: bench.Case, tools: dict, head: str, reps: tuple[int, int],
                    scratch: str) -> None:
    project = case.project
    db = ensure_head_database(tools, project, head, scratch)
    mig_argv = [tools["migcheck"], "-C", project, "current", "--url", url_of(db)]
    other_argv = alembic_argv(tools, project, "current")
    with_database_url(None)
    bench.run_checked(other_argv, project, scratch)  # warm-up
    bench.run_checked(mig_argv, project, scratch)
    expected = f"{head} (head)\n"
    alembic_out = bench.run_checked(other_argv, project, scratch).stdout
    mig_out = bench.run_checked(mig_argv, project, scratch).stdout
    if alembic_out != expected or mig_out != alembic_out:
        case.error = (f"OUTPUT MISMATCH: current on {db}\nexpected: {expected}"
                      f"alembic:  {alembic_out or '(nothing)'}\nmigcheck: {mig_out or '(nothing)'}")
        bench.log(case.error)

    def check_alembic(r: bench.RunResult) -> None:
        if r.stdout != alembic_out:
            raise bench.BenchError(f"{' '.join(other_argv)}: output changed between runs")

    bench.interleave(case, mig_argv, mig_out, other_argv, check_alembic, reps, project, scratch,
                     uncached=True)


MEASURE = {"replay": measure_replay, "apply": measure_apply, "current": measure_current}


def run(args, tools: dict, projects_dir: str, scratch: str) -> list[bench.Case]:
    """Measures every migration case; a case that fails carries its error."""
    tools = dict(tools)
    build_tools = os.path.dirname(os.path.dirname(tools["migcheck"]))
    tools["replay"] = os.path.join(build_tools, "migcheck-replay", "migcheck-replay")
    if not os.access(tools["replay"], os.X_OK):
        raise bench.BenchError(f"{tools['replay']} not found; build migcheck there first")
    cases = []
    heads: dict[int, str] = {}
    for command in COMMANDS:
        n = sizes(args)[command]
        case = bench.Case(n, SHAPE, command, ensure_project(projects_dir, n))
        cases.append(case)
        bench.log(f"bench: N={n} {SHAPE} {command}")
        try:
            if n not in heads:
                heads[n] = head_of(tools, case.project, scratch)
            MEASURE[command](case, tools, heads[n], reps(command, args), scratch)
        except bench.BenchError as e:
            failure = f"COMMAND FAILED: {e}"
            bench.log(failure)
            case.error = f"{case.error}\n\n{failure}" if case.error else failure
    return cases


# --- report ----------------------------------------------------------------

def target_rows(case: bench.Case) -> list[str]:
    def verdict(ok: bool) -> str:
        return "PASS" if ok else "**MISS**"

    label = f"{case.n} | {case.shape} | {case.command}"
    spec_n = SIZES[case.command]
    at = "" if case.n == spec_n else f" (set at N = {spec_n:,})"
    if case.command in SPEEDUP_TARGETS:
        if case.ratio is None:
            return []
        goal = SPEEDUP_TARGETS[case.command]
        return [f"| ≥ {goal:.0f}× faster than `alembic upgrade head`{at} | {label} | "
                f"{bench.fmt_ratio(case.ratio)} | {verdict(case.ratio >= goal)} |"]
    m = case.migcheck_median
    if m is None:
        return []
    return [f"| migcheck < {CURRENT_TARGET_S * 1000:.0f} ms{at} | {label} | {bench.fmt_time(m)} | "
            f"{verdict(m < CURRENT_TARGET_S)} |"]


def notes(cases: list[bench.Case]) -> list[str]:
    if not any(c.command in COMMANDS for c in cases):
        return []
    tables = ", ".join(f"N = {n}: {tables_for(n)}"
                       for n in sorted({c.n for c in cases if c.command in COMMANDS}))
    return ["", "replay, apply, current: N is the number of revisions of a linear history "
            "from `bench/gen_migrations.py` (create_table revisions first — " + tables +
            " — then add/drop column, indexes, batch alter_column, renames and UPDATE data "
            "fixes). replay is `migcheck-replay` (in memory, up and the full down walk) against "
            "`alembic upgrade head` on a fresh file " + replay_place() + "; apply is "
            "`manage_migrations apply` against `alembic upgrade head`, each on a fresh file on "
            "disk, paying for its own commits (Alembic's SQLite driver commits each DDL "
            "statement on its own); current is `manage_migrations current` against `alembic "
            "current` on a database at the head."]


def replay_place() -> str:
    if REPLAY_ALEMBIC_DB_PLACE == "disk":
        return ("on disk (no tmpfs here: Alembic's time includes waiting for the disk, which "
                "migcheck-replay, in memory, never does; compare with care)")
    return ("in tmpfs (/dev/shm), so that neither side waits for the disk: on disk, "
            "Alembic's thousands of commits make its time depend on what else uses the disk")


def check_note() -> str:
    return ("; replay: migcheck-replay finds the migrations build schema.yaml, and every "
            "Alembic upgrade reaches the head; apply: both databases reach the head with the "
            "same tables, columns, indexes and alembic_version row; current: the same line")

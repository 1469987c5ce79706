"""The `generate` case of the benchmark: `manage_migrations generate` against
`alembic revision --autogenerate` on the same project.

The project is gen_migrations.py's linear history (1,000 revisions, the
first 200 creating tables; --quick: 200 and 40), to which this module adds
what autogenerate needs and what makes generate work: app/models.py
declaring config/schema.yaml as SQLAlchemy Table objects, env.py's
target_metadata taken from it, a database at the head (autogenerate
compares the models with a database), and one change in both schema.yaml
and the models (a new table with a foreign key and an index, a new column
on the first table), so that each side writes a revision of three or four
operations.

    generate   manage_migrations -C P generate MESSAGE --rev-id ID
               (with its caches warm, and again with MIGCHECK_NO_CACHE=1)
               vs  alembic revision --autogenerate -m MESSAGE --rev-id ID
               (DATABASE_URL naming the database at the head)

Each timed run writes its file, which is removed before the next one.
bench.py calls run() when `--generate` is yes (the default) or only.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os

import bench  # bench.py, the running driver (it registers itself under this name)
import gen_migrations

COMMANDS = ("generate",)
SHAPE = "migrations"
SIZES = (1000, 200)  # revisions: full run, --quick
TABLES = (200, 40)
SEED = 1
TARGET_S = 0.100
REPS = (15, 5)
MESSAGE = "add bench extras"

TYPES = {"integer": "sa.Integer", "biginteger": "sa.BigInteger", "text": "sa.Text",
         "boolean": "sa.Boolean", "date": "sa.Date", "float": "sa.Float", "json": "sa.JSON"}


def _type(c: dict) -> str:
    kind = c["type"]
    if kind in TYPES:
        return TYPES[kind]
    if kind == "string":
        return f"sa.String({c['length']})" if "length" in c else "sa.String"
    if kind == "datetime":
        return "sa.DateTime(timezone=True)" if c.get("timezone") else "sa.DateTime"
    if kind == "numeric":
        return f"sa.Numeric({c.get('precision')}, {c.get('scale')})"
    raise bench.BenchError(f"bench_generate: no model type for {kind}")


def models_py(schema: dict) -> str:
    out = ["import sqlalchemy as sa", "", "metadata = sa.MetaData()", ""]
    for name, t in schema["tables"].items():
        items = []
        for cname, c in t["columns"].items():
            if isinstance(c, str):
                c = {"type": c}
            args = [repr(cname), _type(c)]
            if "foreign_key" in c:
                fk = c["foreign_key"]
                extra = f", ondelete={fk['on_delete']!r}" if "on_delete" in fk else ""
                args.append(f"sa.ForeignKey({fk['references']!r}{extra})")
            if c.get("primary_key"):
                args.append("primary_key=True")
            else:
                args.append(f"nullable={c.get('nullable', True)!r}")
            for key in ("unique", "index"):
                if c.get(key):
                    args.append(f"{key}=True")
            if "server_default" in c:
                args.append(f"server_default=sa.text({c['server_default']!r})")
            items.append(f"sa.Column({', '.join(args)})")
        for ix in t.get("indexes", []):
            cols = ", ".join(repr(x) for x in ix["columns"])
            items.append(f"sa.Index({ix['name']!r}, {cols}, unique={ix.get('unique', False)!r})")
        for uq in t.get("unique_constraints", []):
            cols = ", ".join(repr(x) for x in uq["columns"])
            items.append(f"sa.UniqueConstraint({cols}, name={uq['name']!r})")
        out.append(f"t_{name} = sa.Table({name!r}, metadata,\n    " + ",\n    ".join(items)
                   + ",\n)\n")
    return "\n".join(out)


def add_changes(schema_text: str, first_table: str, first_columns: list[str]) -> str:
    """schema.yaml with a new table and a new column on the first table."""
    lines = schema_text.splitlines()
    at = lines.index(f"  {first_table}:") + 2 + len(first_columns)
    lines.insert(at, '      bench_note: {type: string, length: 80}')
    lines += [
        "  bench_extras:",
        "    columns:",
        "      id: {type: integer, primary_key: true}",
        '      name: {type: string, length: 50, nullable: false}',
        f"      owner_id: {{type: integer, index: true, foreign_key: {{references: "
        f"{first_table}.id}}}}",
    ]
    return "\n".join(lines) + "\n"


def ensure_project(projects_dir: str, n: int, tables: int, tools: dict, scratch: str) -> str:
    path = os.path.join(projects_dir, f"generate-{n}")
    stamp_path = os.path.join(path, ".bench-stamp")
    digest = hashlib.sha256()
    for module in (gen_migrations.__file__, __file__):
        with open(module, "rb") as f:
            digest.update(f.read())
    stamp = f"{digest.hexdigest()} n={n} tables={tables} seed={SEED}\n"
    if bench.stamp_current(stamp_path, stamp):
        return path
    bench.log(f"generating {path}")
    gen_migrations.generate(path, n, tables, SEED)
    head_db = os.path.join(path, "head.db")
    bench.EXTRA_ENV["DATABASE_URL"] = "sqlite:///" + head_db
    try:
        bench.log(f"bench: alembic upgrade head on {head_db}")
        bench.run_checked([tools["python"], "-m", "alembic", "-c",
                           os.path.join(path, "alembic.ini"), "upgrade", "head"], path, scratch)
    finally:
        bench.EXTRA_ENV.clear()
    import yaml  # PyYAML, as validate_python.py uses it

    schema_path = os.path.join(path, "config", "schema.yaml")
    with open(schema_path) as f:
        text = f.read()
    first, t = next(iter(yaml.safe_load(text)["tables"].items()))
    text = add_changes(text, first, list(t["columns"]))
    with open(schema_path, "w") as f:
        f.write(text)
    os.makedirs(os.path.join(path, "app"), exist_ok=True)
    with open(os.path.join(path, "app", "models.py"), "w") as f:
        f.write(models_py(yaml.safe_load(text)))
    env_path = os.path.join(path, "alembic", "env.py")
    with open(env_path) as f:
        env = f.read()
    with open(env_path, "w") as f:
        f.write(env.replace("target_metadata = None",
                            "import sys\nsys.path.insert(0, " + json.dumps(path) + ")\n"
                            "from app.models import metadata as target_metadata"))
    with open(stamp_path, "w") as f:
        f.write(stamp)
    return path


def remove_new_revisions(project: str, rev: str) -> str:
    """Removes the revision file a run wrote; returns its text."""
    text = ""
    for path in glob.glob(os.path.join(project, "alembic", "versions", rev + "*.py")):
        with open(path) as f:
            text += f.read()
        os.unlink(path)
    return text


def measure(case: bench.Case, tools: dict, reps: tuple[int, int], scratch: str) -> None:
    mig_rev, alembic_rev = "benchgen00001", "benchalem0001"
    mig_argv = [tools["migcheck"], "-C", case.project, "generate", MESSAGE, "--rev-id", mig_rev]
    alembic_argv = [tools["python"], "-m", "alembic", "-c",
                    os.path.join(case.project, "alembic.ini"), "revision", "--autogenerate",
                    "-m", MESSAGE, "--rev-id", alembic_rev]
    head_url = "sqlite:///" + os.path.join(case.project, "head.db")

    written = {}

    def run_mig() -> bench.RunResult:
        r = bench.run_checked(mig_argv, case.project, scratch)
        written["migcheck"] = remove_new_revisions(case.project, mig_rev)
        return r

    def run_alembic() -> bench.RunResult:
        bench.EXTRA_ENV["DATABASE_URL"] = head_url
        try:
            r = bench.run_checked(alembic_argv, case.project, scratch)
        finally:
            bench.EXTRA_ENV.clear()
            written["alembic"] = remove_new_revisions(case.project, alembic_rev)
        return r

    # Warm-up (bytecode and header caches, page cache), then the check that
    # both sides see the change.
    run_alembic()
    first = run_mig()
    for who in ("migcheck", "alembic"):
        text = written[who]
        if "create_table('bench_extras'" not in text or "'bench_note'" not in text:
            case.error = (f"OUTPUT MISMATCH: the revision {who} wrote lacks the new table or "
                          f"column:\n{text[-3000:]}")
            bench.log(case.error)
    mig_reps, alembic_reps = reps
    rss = 0
    for i in range(max(mig_reps, alembic_reps)):
        if i < mig_reps:
            r = run_mig()
            if r.stdout != first.stdout:
                raise bench.BenchError(f"{' '.join(mig_argv)}: output changed between runs")
            case.migcheck_times.append(r.wall)
            rss = max(rss, r.maxrss_kb)
            bench.EXTRA_ENV["MIGCHECK_NO_CACHE"] = "1"
            try:
                r = run_mig()
            finally:
                bench.EXTRA_ENV.clear()
            if r.stdout != first.stdout:
                raise bench.BenchError(f"{' '.join(mig_argv)} without cache: output differs")
            case.uncached_times.append(r.wall)
            rss = max(rss, r.maxrss_kb)
        if i < alembic_reps:
            case.alembic_times.append(run_alembic().wall)
    case.rss_kb = rss


def run(args, tools: dict, projects_dir: str, scratch: str) -> list[bench.Case]:
    quick = 1 if args.quick else 0
    n, tables = SIZES[quick], TABLES[quick]
    project = ensure_project(projects_dir, n, tables, tools, scratch)
    case = bench.Case(n, SHAPE, "generate", project)
    bench.log(f"bench: N={n} {SHAPE} generate")
    try:
        measure(case, tools, (args.reps_migcheck or REPS[0], args.reps_alembic or REPS[1]),
                scratch)
    except bench.BenchError as e:
        failure = f"COMMAND FAILED: {e}"
        bench.log(failure)
        case.error = f"{case.error}\n\n{failure}" if case.error else failure
    return [case]


def reps_note(args) -> str:
    return f"generate: {args.reps_migcheck or REPS[0]}/{args.reps_alembic or REPS[1]}"


def target_rows(case: bench.Case) -> list[str]:
    m = case.migcheck_median
    if m is None:
        return []
    ok = m < TARGET_S
    return [f"| migcheck < {TARGET_S * 1000:.0f} ms | {case.n} | {case.shape} | generate | "
            f"{bench.fmt_time(m)} | {'PASS' if ok else '**MISS**'} |"]


def notes(cases: list[bench.Case]) -> list[str]:
    if not any(c.command in COMMANDS for c in cases):
        return []
    return ["", "generate: N is the number of revisions of a linear history from "
            "`bench/gen_migrations.py` (200 tables at N = 1,000), with models and one change "
            "added by `bench/bench_generate.py`; `manage_migrations generate` (which also "
            "checks the models against schema.yaml and replays the history symbolically) "
            "against `alembic revision --autogenerate` with a database at the head; each run "
            "writes its revision file, removed before the next."]


def check_note() -> str:
    return ("generate: both sides write a revision holding the new table and column")

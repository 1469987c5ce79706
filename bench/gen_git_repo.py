#!/usr/bin/env python3
"""Generate a large git repository of an Alembic project, for timing
migcheck-staged and migcheck-heads across branches.

    gen_git_repo.py DIR [--revisions 5000] [--files 50000] [--branches 200] [--seed S]

DIR becomes a real, packed git repository with a checked-out working tree:

- main: a history of the project. The first commit holds the skeleton
  (alembic.ini, alembic/env.py, alembic/script.py.mako, app/, README...),
  the filler files (src/, tests/, docs/, assets/, frontend/: Python, Markdown,
  SVG, JSON and TSX, in ~1,500 folders) and the create_table revisions; then
  commits of 100 revisions; then FINE commits (1,200 at 5,000 revisions) of
  one revision each, as merged pull requests land, each with its model file,
  config/schema.yaml and one to three filler files changed. The revisions are
  gen_migrations.py's (the same generator, the same rendering); the models
  (app/models/<word>.py, one declarative class per table) and
  config/schema.yaml declare the schema at each commit exactly, so
  `manage_migrations validate` agrees at HEAD. The files at HEAD number
  exactly --files.
- feature/NNNN: --branches branches. Each forks from a main commit and adds
  one or two commits of one revision each (an op.add_column on the head the
  fork point had, then on its own first revision), with the column in the
  model file and in config/schema.yaml and one filler file changed. Branch 0
  and 1 fork from main's last commit (two revisions on main's head); every
  other branch forks from its own older commit, except that branch i with
  i % 50 == 49 shares branch i-1's fork point. So the branches hold stale
  parents and a few shared parents, and migcheck-heads exits 1.
- the index: a change is staged as `git add` leaves it: a column added to one
  model, the same column in config/schema.yaml, and a new revision
  op.add_column on the head (a consistent change).

Everything is written through one `git fast-import` stream, then packed
as a clone is (`git repack -adf`: one pack, deltas searched afresh; refs
packed), and checked out. The output
depends only on the arguments. What the bench needs to know about the result
(the staged paths, the head, the branches' shared parents) is in
DIR/.git/bench-manifest.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import gen_migrations  # noqa: E402
from gen_migrations import Column, Op, Table, Type  # noqa: E402

FIRST_COMMIT_BATCH = 100  # revisions per commit before the fine-grained tail
FINE_COMMITS = 1200  # commits of one revision each at the end of main (at most n/4)
SHARED_EVERY = 50  # branch i shares branch i-1's fork point when i % 50 == 49
MANIFEST = "bench-manifest.json"
AUTHORS = [("Ana Souza", "ana@example.com"), ("Jonas Weber", "jonas@example.com"),
           ("Mei Lin", "mei@example.com"), ("Tomasz Nowak", "tomasz@example.com"),
           ("Priya Nair", "priya@example.com"), ("Sam Okafor", "sam@example.com")]

# Git with no user or system configuration, so the repository is the same
# whoever generates it.
GIT_ENV = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_TERMINAL_PROMPT": "0"}


def git(repo: str, *args: str, stdin: bytes | None = None) -> str:
    r = subprocess.run(["git", "-C", repo, *args], input=stdin, env=GIT_ENV,
                       capture_output=True)
    if r.returncode != 0:
        raise SystemExit(f"gen_git_repo: git {' '.join(args)} failed in {repo}:\n"
                         f"{r.stderr.decode(errors='replace')}")
    return r.stdout.decode()


# --- models ----------------------------------------------------------------

MODEL_HEADER = '''\
from sqlalchemy import (BigInteger, Boolean, Column, Date, DateTime, ForeignKey, Index, Integer,
                        Numeric, String, Text, UniqueConstraint, text)

from app.models.base import Base
'''
MODEL_TYPES = {"integer": "Integer", "biginteger": "BigInteger", "text": "Text",
               "boolean": "Boolean", "numeric": "Numeric(12, 2)", "datetime": "DateTime",
               "date": "Date"}


def model_file_of(table: str) -> str:
    """app/models/<word>.py: the tables of one domain word share a file."""
    return f"app/models/{table.rsplit('_', 1)[0]}.py"


def class_name(table: str) -> str:
    return "".join(part.capitalize() for part in table.split("_"))


def model_type(t: Type) -> str:
    return f"String({t.length})" if t.kind == "string" else MODEL_TYPES[t.kind]


def render_class(t: Table) -> str:
    lines = [f"class {class_name(t.name)}(Base):", f'    __tablename__ = "{t.name}"']
    table_args = []
    for ix in t.indexes:
        cols = ", ".join(f'"{c}"' for c in ix.columns)
        table_args.append(f'Index("{ix.name}", {cols}' + (", unique=True" if ix.unique else "")
                          + ")")
    for name, cols in t.unique_constraints:
        table_args.append(f'UniqueConstraint({", ".join(map(json.dumps, cols))}, name="{name}")')
    if table_args:
        lines += ["    __table_args__ = (", *(f"        {a}," for a in table_args), "    )"]
    lines.append("")
    for c in t.columns:
        args = [model_type(c.type)]
        if c.foreign_key:
            ref, on_delete = c.foreign_key
            args.append(f'ForeignKey("{ref}.id"'
                        + (f', ondelete="{on_delete}"' if on_delete else "") + ")")
        if c.primary_key:
            args.append("primary_key=True")
        elif not c.nullable:
            args.append("nullable=False")
        if c.unique:
            args.append("unique=True")
        if c.server_default is not None:
            args.append(f"server_default=text({json.dumps(c.server_default)})")
        lines.append(f"    {c.name} = Column({', '.join(args)})")
    return "\n".join(lines) + "\n"


class Renderer:
    """Models and schema.yaml of a list of tables, each table's text cached
    under the state it was rendered from (the generator mutates tables in
    place, so the key is taken from the table's fields)."""

    def __init__(self):
        self.cache: dict[tuple, tuple[str, str]] = {}

    @staticmethod
    def key(t: Table) -> tuple:
        return (t.name,
                tuple((c.name, c.type, c.nullable, c.server_default, c.primary_key, c.unique,
                       c.foreign_key) for c in t.columns),
                tuple((i.name, tuple(i.columns), i.unique) for i in t.indexes),
                tuple((n, tuple(cols)) for n, cols in t.unique_constraints))

    def table(self, t: Table) -> tuple[str, str]:
        """(model class, schema.yaml lines) of one table."""
        k = self.key(t)
        hit = self.cache.get(k)
        if hit is None:
            yaml = gen_migrations.schema_yaml([t]).split("tables:\n", 1)[1]
            hit = (render_class(t), yaml)
            if len(self.cache) > 20000:
                self.cache.clear()
            self.cache[k] = hit
        return hit

    def render(self, tables: list[Table]) -> dict[str, str]:
        """{path: text} of config/schema.yaml and every model file."""
        header = gen_migrations.schema_yaml([]).rstrip("\n")
        yaml = [header + "\n"]
        files: dict[str, list[str]] = {}
        for t in tables:
            cls, y = self.table(t)
            yaml.append(y)
            files.setdefault(model_file_of(t.name), []).append(cls)
        out = {"config/schema.yaml": "".join(yaml)}
        for path, classes in files.items():
            out[path] = MODEL_HEADER + "".join("\n\n" + c for c in classes)
        return out


def with_added_column(tables: list[Table], rng: random.Random, name: str):
    """A copy of `tables` in which one table has a new nullable column, and
    the revision's (message, upgrade op, downgrade op)."""
    i = rng.randrange(len(tables))
    t = tables[i]
    word = rng.choice(sorted(gen_migrations.COLUMN_WORDS))
    kind = rng.choice(gen_migrations.COLUMN_WORDS[word])
    type_ = Type(kind, rng.choice(gen_migrations.STRING_LENGTHS) if kind == "string" else None)
    c = Column(f"{word}_{name}", type_, added=True)
    copy = Table(t.name, [*t.columns, c], list(t.indexes), list(t.unique_constraints))
    out = list(tables)
    out[i] = copy
    return (out, f"add {c.name} to {t.name}",
            Op(f"op.add_column({t.name!r}, {gen_migrations.column_python(c)})"),
            Op(f"op.drop_column({t.name!r}, {c.name!r})"))


# --- filler ----------------------------------------------------------------

WORDS = ["account", "billing", "cache", "catalog", "checkout", "client", "config", "delivery",
         "discount", "export", "feed", "gateway", "geo", "import", "inbox", "ledger", "locale",
         "mailer", "media", "metrics", "notify", "oauth", "pricing", "queue", "ranking",
         "report", "search", "session", "storage", "support", "sync", "tax", "tenant",
         "upload", "webhook", "worker", "audit", "batch", "calendar", "chat"]
VERBS = ["load", "save", "parse", "render", "build", "fetch", "check", "merge", "send", "apply",
         "format", "compute", "update", "resolve", "collect"]


class Filler:
    """~--files paths of realistic sizes and kinds in many folders."""

    def __init__(self, count: int, rng: random.Random):
        self.rng = rng
        self.files: dict[str, bytes] = {}
        kinds = [("src", 0.40), ("tests", 0.20), ("docs", 0.15), ("assets", 0.15),
                 ("frontend", 0.10)]
        made = 0
        for k, (kind, share) in enumerate(kinds):
            want = count - made if k == len(kinds) - 1 else int(count * share)
            self.make(kind, want)
            made += want

    def folder_sizes(self, total: int):
        while total > 0:
            size = min(total, self.rng.randint(8, 56))
            total -= size
            yield size

    def name(self, i: int) -> str:
        return f"{self.rng.choice(WORDS)}_{self.rng.choice(VERBS)}_{i}"

    def make(self, kind: str, count: int) -> None:
        for folder, size in enumerate(self.folder_sizes(count)):
            a, b = WORDS[folder % len(WORDS)], WORDS[(folder // len(WORDS)) % len(WORDS)]
            n = folder // (len(WORDS) ** 2)
            if kind == "src":
                base = f"src/{a}/{b}{n or ''}"
            elif kind == "tests":
                base = f"tests/{a}/{b}{n or ''}"
            elif kind == "docs":
                base = f"docs/{a}/{b}{n or ''}"
            elif kind == "assets":
                base = f"assets/{['icons', 'images', 'data', 'fonts'][folder % 4]}/{a}_{b}{n or ''}"
            else:
                base = f"frontend/src/{a.capitalize()}/{b.capitalize()}{n or ''}"
            for i in range(size):
                path, text = self.file(kind, base, i)
                self.files[path] = text.encode()

    def file(self, kind: str, base: str, i: int) -> tuple[str, str]:
        rng = self.rng
        name = self.name(i)
        if kind in ("src", "tests"):
            funcs = []
            for j in range(rng.randint(2, 9)):
                fn = f"{rng.choice(VERBS)}_{rng.choice(WORDS)}_{j}"
                funcs.append(f"def {fn}(value, *, limit={rng.randint(1, 500)}):\n"
                             f'    """{rng.choice(VERBS).capitalize()} the {rng.choice(WORDS)} '
                             f'{rng.choice(WORDS)}."""\n'
                             f"    if value is None:\n        return []\n"
                             f"    return [item for item in value if item][:limit]\n")
            prefix = "test_" if kind == "tests" else ""
            head = ("import pytest\n\n" if kind == "tests" else "") + \
                "from __future__ import annotations\n\nimport logging\n\n" \
                "log = logging.getLogger(__name__)\n\n\n"
            return f"{base}/{prefix}{name}.py", head + "\n\n".join(funcs)
        if kind == "docs":
            paras = [" ".join(rng.choice(WORDS + VERBS) for _ in range(rng.randint(20, 70)))
                     for _ in range(rng.randint(1, 6))]
            return f"{base}/{name}.md", f"# {name.replace('_', ' ').title()}\n\n" + \
                "\n\n".join(paras) + "\n"
        if kind == "assets":
            if i % 2:
                data = {w: rng.randint(0, 10 ** 6) for w in rng.sample(WORDS, rng.randint(3, 20))}
                return f"{base}/{name}.json", json.dumps(data, indent=2) + "\n"
            pts = " ".join(f"{rng.randint(0, 64)},{rng.randint(0, 64)}"
                           for _ in range(rng.randint(4, 40)))
            return f"{base}/{name}.svg", ('<svg xmlns="http://www.w3.org/2000/svg" '
                                          f'viewBox="0 0 64 64"><polyline points="{pts}"/>'
                                          "</svg>\n")
        comp = "".join(p.capitalize() for p in name.split("_"))
        props = "\n".join(f"  {w}?: string;" for w in rng.sample(WORDS, rng.randint(1, 8)))
        return f"{base}/{comp}.tsx", (f"import React from 'react';\n\nexport interface {comp}Props "
                                      f"{{\n{props}\n}}\n\nexport function {comp}(props: {comp}"
                                      f"Props) {{\n  return <div className=\"{name}\" />;\n}}\n")

    def touch(self, path: str, note: str) -> bytes:
        """A small edit of a filler file, as a change to the code would make."""
        text = self.files[path]
        comment = b"<!-- " if path.endswith((".md", ".svg")) else b"// " \
            if path.endswith((".tsx", ".json")) else b"# "
        if path.endswith(".json"):
            return text  # JSON has no comments; left as it is
        suffix = b" -->" if comment == b"<!-- " else b""
        self.files[path] = text + comment + note.encode() + suffix + b"\n"
        return self.files[path]


# --- the fast-import stream -----------------------------------------------

SKELETON = {
    "README.md": "# shop\n\nThe shop's web application and its database migrations.\n\n"
                 "Run the migrations with `alembic upgrade head`.\n",
    ".gitignore": "__pycache__/\n*.pyc\n/.venv/\nbench.db\nnode_modules/\n",
    "pyproject.toml": '[project]\nname = "shop"\nversion = "4.2.0"\n'
                      'dependencies = ["sqlalchemy>=1.4", "alembic>=1.8"]\n',
    "app/__init__.py": "",
    "app/models/__init__.py": "",
    "app/models/base.py": "from sqlalchemy.orm import declarative_base\n\n"
                          "Base = declarative_base()\n",
    "alembic.ini": gen_migrations.ALEMBIC_INI,
    "alembic/env.py": gen_migrations.ENV_PY,
    "alembic/script.py.mako": gen_migrations.SCRIPT_MAKO,
}
VERSIONS = "alembic/versions"


class Stream:
    def __init__(self, out):
        self.out = out
        self.marks = 0

    def commit(self, ref: str, when: int, author: tuple[str, str], message: str,
               parent: int | None, files: dict[str, bytes | str]) -> int:
        self.marks += 1
        name, email = author
        msg = message.encode()
        w = self.out.write
        w(f"commit {ref}\nmark :{self.marks}\n"
          f"author {name} <{email}> {when} +0000\ncommitter {name} <{email}> {when} +0000\n"
          f"data {len(msg)}\n".encode())
        w(msg + b"\n")
        if parent is not None:
            w(f"from :{parent}\n".encode())
        for path in sorted(files):
            data = files[path]
            if isinstance(data, str):
                data = data.encode()
            w(f"M 100644 inline {path}\ndata {len(data)}\n".encode())
            w(data + b"\n")
        w(b"\n")
        return self.marks


def revision_path(rid: str, message: str) -> str:
    return f"{VERSIONS}/{rid}_{gen_migrations.slug(message)}.py"


def generate(directory: str, n: int = 5000, files: int = 50000, branches: int = 200,
             seed: int = 1) -> dict:
    """Writes the repository; returns the manifest (also in .git/)."""
    started = time.monotonic()
    tables = min(gen_migrations.DEFAULT_TABLES, max(1, n // 5))
    gen = gen_migrations.Generator(n, tables, seed)
    rng = random.Random(f"gen_git_repo:{seed}:{n}:{files}")
    fine = min(FINE_COMMITS, max(1, n // 4))
    coarse_end = n - fine
    renderer = Renderer()

    # The fork point of every branch, as an index into the fine commits
    # (fine - 1 is main's last commit).
    ages = list(range(2, fine + 1))
    rng.shuffle(ages)
    fork = {}
    for b in range(branches):
        if b < 2:
            fork[b] = fine - 1
        elif b % SHARED_EVERY == SHARED_EVERY - 1:
            fork[b] = fork[b - 1]
        else:
            fork[b] = fine - ages[b % len(ages)]
    forks_at: dict[int, list[int]] = {}
    for b, k in fork.items():
        forks_at.setdefault(k, []).append(b)

    skeleton_count = len(SKELETON) + 1 + len({model_file_of(f"{w}_1")
                                               for w in gen_migrations.TABLE_WORDS[:tables]})
    filler_count = files - n - skeleton_count
    if filler_count < 0:
        raise SystemExit(f"gen_git_repo: --files {files} is too few for {n} revisions")
    filler = Filler(filler_count, random.Random(f"filler:{seed}:{filler_count}"))
    filler_paths = sorted(filler.files)
    python_paths = [p for p in filler_paths if p.endswith(".py")]

    if os.path.exists(directory):
        shutil.rmtree(directory)
    os.makedirs(directory)
    git(directory, "init", "-q", "-b", "main")
    proc = subprocess.Popen(["git", "-C", directory, "fast-import", "--quiet",
                             "--done"], stdin=subprocess.PIPE, env=GIT_ENV)
    stream = Stream(proc.stdin)

    when = int(datetime.datetime(2019, 1, 7, 9, 30, tzinfo=datetime.timezone.utc).timestamp())
    created = datetime.datetime(2019, 1, 7, 9, 30, 0)
    prev_rendered: dict[str, str] = {}
    pending: dict[str, bytes | str] = {}
    head = None
    parent_mark = None
    fine_marks: list[int] = []
    fine_heads: list[str] = []
    branch_info = []
    pr = 0

    def emit_branches(k: int, mark: int, head_rid: str, tables_now: list[Table]) -> None:
        for b in forks_at.get(k, []):
            brng = random.Random(f"branch:{seed}:{b}")
            ref = f"refs/heads/feature/{b:04d}"
            state, down, parent = tables_now, head_rid, mark
            added = []
            bwhen = when + brng.randint(600, 86400)
            for j in range(1 + (brng.random() < 0.4)):
                state, message, up, dn = with_added_column(state, brng, f"f{b}_{j}")
                rid = "%012x" % brng.getrandbits(48)
                bcreated = created + datetime.timedelta(seconds=bwhen - when)
                change = renderer.render(state)
                path = revision_path(rid, message)
                edit = {path: gen_migrations.render(rid, down, message, [up], [dn], False,
                                                    bcreated),
                        "config/schema.yaml": change["config/schema.yaml"]}
                mf = model_file_of(message.rsplit(" to ", 1)[1])
                edit[mf] = change[mf]
                fp = brng.choice(python_paths)
                edit[fp] = filler.files[fp] + f"# feature/{b:04d} {rid}\n".encode()
                parent = stream.commit(ref, bwhen, brng.choice(AUTHORS), message.capitalize(),
                                       parent, edit)
                added.append({"revision": rid, "down_revision": down, "path": path})
                down = rid
                bwhen += brng.randint(600, 20000)
            branch_info.append({"name": f"feature/{b:04d}", "fork_head": head_rid,
                                "revisions": added})

    i = 0
    while i < n:
        # One commit: the first holds the create_table revisions, then
        # batches of FIRST_COMMIT_BATCH, then one revision per commit.
        if i == 0:
            count = tables
        elif i < coarse_end:
            count = min(FIRST_COMMIT_BATCH, coarse_end - i)
        else:
            count = 1
        messages = []
        for _ in range(count):
            message, up, dn, data_only = (gen.create_table(i) if i < gen.n_tables
                                          else gen.mixed())
            rid = gen.new_id()
            created += datetime.timedelta(minutes=rng.randint(20, 1400),
                                          microseconds=rng.randint(0, 999999))
            pending[revision_path(rid, message)] = gen_migrations.render(
                rid, head, message, up, dn, data_only, created)
            head = rid
            messages.append(message)
            i += 1
        rendered = renderer.render(gen.tables)
        for path, text in rendered.items():
            if prev_rendered.get(path) != text:
                pending[path] = text
        prev_rendered = rendered
        if parent_mark is None:
            pending.update(SKELETON)
            pending.update(filler.files)
            message = "Import the shop application and its migrations"
        elif count > 1:
            message = f"Migrations: {messages[0]} and {count - 1} more"
        else:
            pr += 1
            for p in rng.sample(filler_paths, rng.randint(1, 3)):
                pending[p] = filler.touch(p, f"change {pr}")
            message = f"{messages[0].capitalize()} (#{pr})"
        when += rng.randint(3600, 86400)
        parent_mark = stream.commit("refs/heads/main", when, rng.choice(AUTHORS), message,
                                    parent_mark, pending)
        pending = {}
        if i > coarse_end:
            fine_marks.append(parent_mark)
            fine_heads.append(head)
            emit_branches(len(fine_marks) - 1, parent_mark, head, gen.tables)
    proc.stdin.write(b"done\n")
    proc.stdin.close()
    if proc.wait() != 0:
        raise SystemExit("gen_git_repo: git fast-import failed")
    imported = time.monotonic() - started

    all_ids = set(gen.ids)
    for b in branch_info:
        for r in b["revisions"]:
            if r["revision"] in all_ids:
                raise SystemExit(f"gen_git_repo: internal error, id {r['revision']} repeats")
            all_ids.add(r["revision"])

    # Packed as a clone is: one pack with deltas searched afresh (fast-import
    # only deltifies against the previous object), packed refs; then the
    # working tree. The index is refreshed a second later, so no entry is
    # racily clean, as in a clone some time after checkout.
    git(directory, "repack", "-adfq")
    git(directory, "pack-refs", "--all")
    git(directory, "prune")
    packed = time.monotonic() - started
    git(directory, "reset", "-q", "--hard", "main")
    time.sleep(1.1)
    git(directory, "update-index", "-q", "--refresh")
    checked_out = time.monotonic() - started

    # The staged change: a column in one model, in schema.yaml, and its revision.
    srng = random.Random(f"staged:{seed}")
    state, message, up, dn = with_added_column(gen.tables, srng, "staged")
    rid = "%012x" % srng.getrandbits(48)
    if rid in all_ids:
        raise SystemExit("gen_git_repo: internal error, the staged revision's id repeats")
    change = renderer.render(state)
    model_path = model_file_of(message.rsplit(" to ", 1)[1])
    revision = revision_path(rid, message)
    created += datetime.timedelta(minutes=90)
    writes = {model_path: change[model_path], "config/schema.yaml": change["config/schema.yaml"],
              revision: gen_migrations.render(rid, head, message, [up], [dn], False, created)}
    for path, text in writes.items():
        with open(os.path.join(directory, path), "w") as f:
            f.write(text)
    git(directory, "add", "--", model_path, "config/schema.yaml", revision)

    parents: dict[str, set[str]] = {}
    for b in branch_info:
        for r in b["revisions"]:
            parents.setdefault(r["down_revision"], set()).add(r["revision"])
    main_child = {fine_heads[k - 1]: fine_heads[k] for k in range(1, len(fine_heads))}
    shared = sorted(p for p, kids in parents.items()
                    if len(kids) + (p in main_child) > 1)
    manifest = {
        "revisions": n,
        "files": files,
        "head": head,
        "main_commits": stream.marks - sum(len(b["revisions"]) for b in branch_info),
        "branches": len(branch_info),
        "branch_revisions": sum(len(b["revisions"]) for b in branch_info),
        "shared_parents": shared,
        "parallel_parents": sorted(p for p, kids in parents.items() if len(kids) > 1),
        "staged": {"model": model_path, "schema": "config/schema.yaml", "revision": revision,
                   "revision_id": rid, "column": message},
        "seconds": {"fast_import": round(imported, 1), "pack": round(packed - imported, 1),
                    "checkout": round(checked_out - packed, 1),
                    "total": round(time.monotonic() - started, 1)},
    }
    with open(os.path.join(directory, ".git", MANIFEST), "w") as f:
        json.dump(manifest, f, indent=2)
    return manifest


# --- checks the bench uses --------------------------------------------------

def cache_tree_invalid(repo: str) -> list[str] | None:
    """The folders whose cache-tree entry in the index is invalid ("" for the
    top), or None when the index has no cache-tree at all. Reads index
    versions 2 and 3 (what git writes unless told otherwise)."""
    with open(os.path.join(repo, ".git", "index"), "rb") as f:
        data = f.read()
    sig, version, count = struct.unpack(">4sII", data[:12])
    if sig != b"DIRC" or version not in (2, 3):
        raise ValueError(f"{repo}: index version {version} is not read here")
    pos = 12
    for _ in range(count):
        flags = struct.unpack(">H", data[pos + 60:pos + 62])[0]
        fixed = 62 + (2 if version == 3 and flags & 0x4000 else 0)
        end = data.index(b"\0", pos + fixed)
        pos += (end - pos + 8) // 8 * 8
    end_of_ext = len(data) - 20
    while pos < end_of_ext:
        sig, size = struct.unpack(">4sI", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + size]
        pos += 8 + size
        if sig != b"TREE":
            continue
        invalid: list[str] = []
        at = 0

        def node(prefix: str) -> None:
            nonlocal at
            nul = body.index(b"\0", at)
            name = body[at:nul].decode()
            nl = body.index(b"\n", nul)
            entries, subtrees = map(int, body[nul + 1:nl].split())
            at = nl + 1
            path = f"{prefix}/{name}" if prefix and name else prefix or name
            if entries < 0:
                invalid.append(path)
            else:
                at += 20
            for _ in range(subtrees):
                node(path)

        node("")
        return invalid
    return None


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("directory")
    p.add_argument("--revisions", "-n", type=int, default=5000)
    p.add_argument("--files", type=int, default=50000)
    p.add_argument("--branches", type=int, default=200)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args(argv)
    if a.revisions < 20:
        p.error("--revisions must be at least 20")
    manifest = generate(a.directory, a.revisions, a.files, a.branches, a.seed)
    print(json.dumps(manifest, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""Generate a synthetic Alembic project for benchmarking.

    gen_project.py DIR --revisions N --shape linear|branchy [--seed S]

The project is a plain Alembic layout (alembic.ini, alembic/env.py,
alembic/script.py.mako, alembic/versions/*.py) whose revision files look
like the ones `alembic revision` writes. Output depends only on the
arguments, so a cached project can be reused as long as this file and the
arguments are unchanged.

Shapes:
  linear   one chain of N revisions.
  branchy  a trunk that forks every ~50 revisions into two short branches
           which a merge revision joins again (down_revision is a tuple).
           Some branches carry branch_labels, some revisions depends_on a
           revision of the parallel branch, so the graph exercises the
           same resolution rules a real multi-team history does.

Both shapes end with exactly one head.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import re
import shutil
import sys

ALEMBIC_INI = """\
[alembic]
script_location = alembic
sqlalchemy.url = sqlite:///bench.db
"""

# Valid for both offline and online mode; `alembic heads` and `history`
# never run it unless revision_environment is set.
ENV_PY = '''\
from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
target_metadata = None


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = engine_from_config(
        config.get_section(config.config_ini_section) or {},
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
'''

SCRIPT_MAKO = '''\
"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

"""
from alembic import op
import sqlalchemy as sa
${imports if imports else ""}

# revision identifiers, used by Alembic.
revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    ${downgrades if downgrades else "pass"}
'''

TABLES = ["users", "orders", "invoices", "products", "payments", "shipments",
          "addresses", "sessions", "audit_log", "customers", "inventory", "coupons"]
COLUMNS = [("email", "sa.String(length=255)"), ("created_at", "sa.DateTime()"),
           ("is_active", "sa.Boolean()"), ("amount", "sa.Numeric(precision=12, scale=2)"),
           ("notes", "sa.Text()"), ("status", "sa.String(length=32)"),
           ("retry_count", "sa.Integer()"), ("external_ref", "sa.String(length=64)")]
VERBS = ["add", "track", "store", "record", "introduce"]

# Projects switch to Alembic's annotated template when they upgrade Alembic,
# so the newer style shows up as a contiguous tail rather than at random.
ANNOTATED_FROM = 0.6


class Rev:
    def __init__(self, rid: str, down, message: str):
        self.id = rid
        self.down = down  # None, a str, or a tuple of str for merges
        self.message = message
        self.labels: tuple[str, ...] = ()
        self.depends: tuple[str, ...] = ()
        self.depends_as_tuple = False
        self.op: tuple[str, str, str] | None = None  # (table, column, type)


class Generator:
    def __init__(self, n: int, shape: str, seed: int):
        self.n = n
        self.shape = shape
        # String seeds hash deterministically (unlike hash()), so the same
        # arguments give the same project on every run and machine.
        self.rng = random.Random(f"{seed}:{shape}:{n}")
        self.revs: list[Rev] = []
        self.ids: set[str] = set()

    def new_id(self) -> str:
        while True:
            rid = "%012x" % self.rng.getrandbits(48)
            if rid not in self.ids:
                self.ids.add(rid)
                return rid

    def add(self, down) -> Rev:
        table = self.rng.choice(TABLES)
        column, type_ = self.rng.choice(COLUMNS)
        column = f"{column}_{len(self.revs)}"
        message = f"{self.rng.choice(VERBS)} {column} to {table}"
        rev = Rev(self.new_id(), down, message)
        rev.op = (table, column, type_)
        self.revs.append(rev)
        return rev

    def add_merge(self, tips: tuple[str, str]) -> Rev:
        rev = Rev(self.new_id(), tips, f"merge {tips[0]} and {tips[1]}")
        self.revs.append(rev)
        return rev

    def build(self) -> list[Rev]:
        tip = self.add(None).id
        next_fork = self.rng.randint(40, 60)
        forks = 0
        while len(self.revs) < self.n:
            remaining = self.n - len(self.revs)
            if self.shape == "branchy" and len(self.revs) >= next_fork:
                len_a, len_b = self.rng.randint(1, 4), self.rng.randint(1, 4)
                # +1 for the merge, +1 so the head is an ordinary revision
                # after the merge rather than the merge itself.
                if remaining >= len_a + len_b + 2:
                    tip = self.fork(tip, len_a, len_b, forks)
                    forks += 1
                    next_fork = len(self.revs) + self.rng.randint(40, 60)
                    continue
            tip = self.add(tip).id
        return self.revs

    def fork(self, base: str, len_a: int, len_b: int, index: int) -> str:
        branch_a = self.chain(base, len_a)
        branch_b = self.chain(base, len_b)
        if index == 0:
            branch_a[0].labels = ("feature_reporting",)
            # A dependency across parallel branches: the only edge that ties
            # branch A to branch B before the merge.
            branch_a[-1].depends = (branch_b[0].id,)
        elif index == 2:
            branch_b[0].labels = ("billing", "billing_v2")
        elif index % 4 == 3:
            # A dependency on an ancestor is redundant; Alembic normalises it
            # away, and tools must too.
            ancestor = self.revs[max(0, len(self.revs) - len_a - len_b - 10)]
            branch_b[-1].depends = (ancestor.id, branch_a[0].id)
            branch_b[-1].depends_as_tuple = True
        return self.add_merge((branch_a[-1].id, branch_b[-1].id)).id

    def chain(self, base: str, length: int) -> list[Rev]:
        out = []
        for _ in range(length):
            out.append(self.add(base))
            base = out[-1].id
        return out


def slug(message: str) -> str:
    # Same rule as `alembic revision`, so file names look like real ones.
    s = "_".join(re.findall(r"\w+", message)).lower()
    if len(s) > 40:
        s = s[:40].rsplit("_", 1)[0] + "_"
    return s


def render(rev: Rev, index: int, total: int, created: datetime.datetime) -> str:
    annotated = index >= int(total * ANNOTATED_FROM)
    q = '"' if annotated else "'"

    def lit(value) -> str:
        if value is None:
            return "None"
        if isinstance(value, str):
            return f"{q}{value}{q}"
        return "(" + ", ".join(f"{q}{v}{q}" for v in value) + ("," if len(value) == 1 else "") + ")"

    if rev.down is None:
        revises = ""
    elif isinstance(rev.down, str):
        revises = rev.down
    else:
        revises = ", ".join(rev.down)
    depends = None
    if rev.depends:
        depends = rev.depends if rev.depends_as_tuple or len(rev.depends) > 1 else rev.depends[0]
    labels = rev.labels or None

    if rev.op:
        table, column, type_ = rev.op
        upgrade = f"op.add_column({q}{table}{q}, sa.Column({q}{column}{q}, {type_}, nullable=True))"
        downgrade = f"op.drop_column({q}{table}{q}, {q}{column}{q})"
    else:
        upgrade = downgrade = "pass"

    lines = [
        f'"""{rev.message}',
        "",
        f"Revision ID: {rev.id}",
        f"Revises: {revises}",
        f"Create Date: {created.isoformat(sep=' ')}",
        "",
        '"""',
    ]
    if annotated:
        down_type = "Union[str, Sequence[str], None]"
        lines += [
            "from typing import Sequence, Union",
            "",
            "from alembic import op",
            "import sqlalchemy as sa",
            "",
            "",
            "# revision identifiers, used by Alembic.",
            f"revision: str = {lit(rev.id)}",
            f"down_revision: {down_type} = {lit(rev.down)}",
            f"branch_labels: Union[str, Sequence[str], None] = {lit(labels)}",
            f"depends_on: Union[str, Sequence[str], None] = {lit(depends)}",
            "",
            "",
            "def upgrade() -> None:",
            f"    {upgrade}",
            "",
            "",
            "def downgrade() -> None:",
            f"    {downgrade}",
        ]
    else:
        lines += [
            "from alembic import op",
            "import sqlalchemy as sa",
            "",
            "",
            "# revision identifiers, used by Alembic.",
            f"revision = {lit(rev.id)}",
            f"down_revision = {lit(rev.down)}",
            f"branch_labels = {lit(labels)}",
            f"depends_on = {lit(depends)}",
            "",
            "",
            "def upgrade():",
            f"    {upgrade}",
            "",
            "",
            "def downgrade():",
            f"    {downgrade}",
        ]
    return "\n".join(lines) + "\n"


def check_single_head(revs: list[Rev]) -> None:
    parents = set()
    for rev in revs:
        if isinstance(rev.down, str):
            parents.add(rev.down)
        elif rev.down:
            parents.update(rev.down)
    heads = [r.id for r in revs if r.id not in parents]
    if len(heads) != 1:
        raise SystemExit(f"gen_project: internal error, {len(heads)} heads: {heads}")


def generate(directory: str, n: int, shape: str, seed: int) -> None:
    gen = Generator(n, shape, seed)
    revs = gen.build()
    check_single_head(revs)

    # Start from an empty tree so a rerun never leaves stale revisions behind.
    if os.path.exists(directory):
        shutil.rmtree(directory)
    versions = os.path.join(directory, "alembic", "versions")
    os.makedirs(versions)
    with open(os.path.join(directory, "alembic.ini"), "w") as f:
        f.write(ALEMBIC_INI)
    with open(os.path.join(directory, "alembic", "env.py"), "w") as f:
        f.write(ENV_PY)
    with open(os.path.join(directory, "alembic", "script.py.mako"), "w") as f:
        f.write(SCRIPT_MAKO)

    # Spread the create dates over about five years whatever N is, so large
    # projects do not run decades into the future.
    created = datetime.datetime(2019, 1, 7, 9, 30, 0, 0)
    max_step = max(10, 2 * 5 * 365 * 24 * 60 // len(revs))
    for index, rev in enumerate(revs):
        created += datetime.timedelta(minutes=gen.rng.randint(1, max_step),
                                      microseconds=gen.rng.randint(0, 999999))
        path = os.path.join(versions, f"{rev.id}_{slug(rev.message)}.py")
        with open(path, "w") as f:
            f.write(render(rev, index, len(revs), created))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory")
    parser.add_argument("--revisions", "-n", type=int, required=True)
    parser.add_argument("--shape", choices=["linear", "branchy"], default="linear")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.revisions < 1:
        parser.error("--revisions must be at least 1")
    generate(args.directory, args.revisions, args.shape, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

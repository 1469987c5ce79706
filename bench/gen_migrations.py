#!/usr/bin/env python3
"""Generate an Alembic project whose revisions do real schema work.

    gen_migrations.py DIR --revisions N [--tables T] [--seed S]

Writes alembic.ini (sqlalchemy.url = sqlite:///bench.db), alembic/env.py
(DATABASE_URL overrides the URL; runs online and offline),
alembic/script.py.mako, N revision files in alembic/versions/ written the way
`alembic revision --autogenerate` writes them, and config/schema.yaml, which
equals the schema at the head exactly.

The history is linear. The first T revisions (default 200, at most N) each
create a table: an Integer primary key, a String, a DateTime with
server_default CURRENT_TIMESTAMP, and (from the second table on) a nullable
foreign key to an earlier table, an op.f() index on it on some tables, an
unnamed or a named unique constraint on others. The remaining revisions mix,
one to three operations each:

  op.add_column (nullable, sometimes with a constant server default),
  op.create_index / op.drop_index,
  batch_op.alter_column: nullable, a wider String, server_default set or
      removed, new_column_name (a column added earlier),
  batch_op.drop_column of a column added earlier,
  op.execute("UPDATE ... WHERE ...") data fixes (their own revisions,
      marked `# migcheck: data-only`).

Every downgrade() is the exact inverse of its upgrade(). The generator keeps
its own model of the schema, picks each operation so that it is valid on the
model (and on SQLite, in Alembic and in migcheck), and writes schema.yaml from
the model. The output depends only on the arguments.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import re
import shutil
import sys
from dataclasses import dataclass, field

DEFAULT_TABLES = 200

ALEMBIC_INI = """\
[alembic]
script_location = alembic
sqlalchemy.url = sqlite:///bench.db
"""

ENV_PY = '''\
import os

from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
target_metadata = None

# Point the same migrations at another database without editing alembic.ini.
# ConfigParser treats "%" as interpolation, hence the escape.
database_url = os.environ.get("DATABASE_URL")
if database_url:
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
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

# The same template `alembic init` writes, as the history benchmark's projects have.
from gen_project import SCRIPT_MAKO  # noqa: E402

TABLE_WORDS = ["users", "orders", "invoices", "products", "payments", "shipments", "addresses",
               "sessions", "audit_log", "customers", "inventory", "coupons", "carts", "refunds",
               "vendors", "reviews", "tickets", "teams", "projects", "tasks"]
# Names for added columns, each with the kinds of type it may get.
COLUMN_WORDS = {
    "email": ["string"], "status": ["string"], "notes": ["text"], "amount": ["numeric"],
    "retry_count": ["integer"], "external_ref": ["string"], "label": ["string", "text"],
    "score": ["integer", "numeric"], "is_active": ["boolean"], "placed_at": ["datetime"],
    "region": ["string"], "priority": ["integer"], "due_on": ["date"], "total": ["numeric"],
    "code": ["string"], "flag": ["boolean"], "views": ["biginteger", "integer"],
    "synced_at": ["datetime"],
}
NAME_LENGTHS = [50, 80, 100, 120, 200]
STRING_LENGTHS = [20, 32, 40, 64, 100, 120, 255]
MAX_STRING = 2000


# --- the schema model ------------------------------------------------------

@dataclass(frozen=True)
class Type:
    kind: str  # integer, biginteger, string, text, boolean, numeric, datetime, date
    length: int | None = None

    def python(self) -> str:
        return {
            "integer": "sa.Integer()",
            "biginteger": "sa.BigInteger()",
            "text": "sa.Text()",
            "boolean": "sa.Boolean()",
            "numeric": "sa.Numeric(precision=12, scale=2)",
            "datetime": "sa.DateTime()",
            "date": "sa.Date()",
        }.get(self.kind) or f"sa.String(length={self.length})"

    def yaml(self) -> list[str]:
        out = [f"type: {self.kind}"]
        if self.kind == "string":
            out.append(f"length: {self.length}")
        if self.kind == "numeric":
            out += ["precision: 12", "scale: 2"]
        return out


@dataclass
class Column:
    name: str
    type: Type
    nullable: bool = True
    server_default: str | None = None  # SQL text, as in sa.text(...)
    primary_key: bool = False
    unique: bool = False  # an unnamed single-column unique constraint
    foreign_key: tuple[str, str | None] | None = None  # (referred table, on_delete)
    added: bool = False  # by add_column: may be dropped or renamed later

    def copy(self) -> "Column":
        return Column(self.name, self.type, self.nullable, self.server_default,
                      self.primary_key, self.unique, self.foreign_key, self.added)


@dataclass
class Index:
    name: str
    columns: list[str]
    unique: bool = False


@dataclass
class Table:
    name: str
    columns: list[Column] = field(default_factory=list)
    indexes: list[Index] = field(default_factory=list)
    unique_constraints: list[tuple[str, list[str]]] = field(default_factory=list)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def constrained(self, name: str) -> bool:
        """In an index or a constraint (not to be dropped or renamed)."""
        c = self.column(name)
        return (c.primary_key or c.unique or c.foreign_key is not None
                or any(name in i.columns for i in self.indexes)
                or any(name in cols for _, cols in self.unique_constraints))


def text_call(sql: str) -> str:
    """sa.text('...') as autogenerate writes it (repr quoting)."""
    return f"sa.text({sql!r})"


def column_python(c: Column) -> str:
    parts = [repr(c.name), c.type.python()]
    if c.server_default is not None:
        parts.append(f"server_default={text_call(c.server_default)}")
    parts.append(f"nullable={c.nullable}")
    return f"sa.Column({', '.join(parts)})"


# --- operations: upgrade text, downgrade text ------------------------------

@dataclass
class Op:
    """One rendered call. `batch` names the table of the batch_alter_table
    block it belongs in (None outside batch mode)."""
    text: str
    batch: str | None = None


def existing_args(c: Column) -> list[str]:
    out = [f"existing_type={c.type.python()}"]
    if c.server_default is not None:
        out.append(f"existing_server_default={text_call(c.server_default)}")
    out.append(f"existing_nullable={c.nullable}")
    return out


def alter(column: str, args: list[str]) -> str:
    pad = " " * len("batch_op.alter_column(")
    return f"batch_op.alter_column({column!r},\n" + ",\n".join(pad + a for a in args) + ")"


class Generator:
    def __init__(self, n: int, tables: int, seed: int):
        self.n = n
        self.n_tables = min(tables, n)
        self.rng = random.Random(f"gen_migrations:{seed}:{n}:{tables}")
        self.tables: list[Table] = []
        self.ids: set[str] = set()
        self.counter = 0  # suffix of every new column name, so names never repeat
        self.index_names: set[str] = set()

    def new_id(self) -> str:
        while True:
            rid = "%012x" % self.rng.getrandbits(48)
            if rid not in self.ids:
                self.ids.add(rid)
                return rid

    def fresh(self, word: str) -> str:
        self.counter += 1
        return f"{word}_{self.counter}"

    def table(self, name: str) -> Table:
        return next(t for t in self.tables if t.name == name)

    # Each revision is (message, upgrade ops, downgrade ops, data_only).
    def create_table(self, i: int):
        name = f"{TABLE_WORDS[i % len(TABLE_WORDS)]}_{i + 1}"
        t = Table(name)
        t.columns.append(Column("id", Type("integer"), nullable=False, primary_key=True))
        t.columns.append(Column("name", Type("string", self.rng.choice(NAME_LENGTHS)),
                                nullable=False))
        t.columns.append(Column("created_at", Type("datetime"), nullable=False,
                                server_default="CURRENT_TIMESTAMP"))
        fk_col = None
        if self.tables:
            parent = self.rng.choice(self.tables).name
            fk_col = f"{parent}_id"
            on_delete = "SET NULL" if self.rng.random() < 0.25 else None
            t.columns.append(Column(fk_col, Type("integer"), foreign_key=(parent, on_delete)))
        shape = self.rng.random()
        if shape < 0.3:
            t.column("name").unique = True
        elif shape < 0.45 and fk_col:
            t.unique_constraints.append((f"uq_{name}_name_{fk_col}", ["name", fk_col]))
        # Autogenerate's layout: arguments at the call's indentation, the
        # closing parenthesis on a line of its own.
        args = [column_python(c) for c in t.columns]
        for c in t.columns:
            if c.foreign_key:
                ref, on_delete = c.foreign_key
                extra = f", ondelete={on_delete!r}" if on_delete else ""
                args.append(f"sa.ForeignKeyConstraint([{c.name!r}], ['{ref}.id']{extra})")
        args.append("sa.PrimaryKeyConstraint('id')")
        for c in t.columns:
            if c.unique:
                args.append(f"sa.UniqueConstraint({c.name!r})")
        for uq, cols in t.unique_constraints:
            args.append(f"sa.UniqueConstraint({', '.join(map(repr, cols))}, name={uq!r})")
        up = [Op(f"op.create_table({name!r},\n" + ",\n".join(args) + "\n)")]
        down = [Op(f"op.drop_table({name!r})")]
        self.tables.append(t)
        if fk_col and self.rng.random() < 0.5:
            ix = f"ix_{name}_{fk_col}"
            t.indexes.append(Index(ix, [fk_col]))
            self.index_names.add(ix)
            up.append(Op(f"op.create_index(op.f({ix!r}), {name!r}, [{fk_col!r}], unique=False)"))
            down.insert(0, Op(f"op.drop_index(op.f({ix!r}), table_name={name!r})"))
        return f"create table {name}", up, down, False

    # Each mixed operation returns (message, upgrade op, downgrade op) after
    # changing the model, or None when it has nothing to work on.
    def op_add_column(self):
        t = self.rng.choice(self.tables)
        word = self.rng.choice(sorted(COLUMN_WORDS))
        kind = self.rng.choice(COLUMN_WORDS[word])
        type_ = Type(kind, self.rng.choice(STRING_LENGTHS) if kind == "string" else None)
        c = Column(self.fresh(word), type_, added=True)
        if self.rng.random() < 0.2:
            c.server_default = {"string": "'none'", "integer": "0", "boolean": "0",
                                "biginteger": "0"}.get(kind)
        t.columns.append(c)
        return (f"add {c.name} to {t.name}",
                Op(f"op.add_column({t.name!r}, {column_python(c)})"),
                Op(f"op.drop_column({t.name!r}, {c.name!r})"))

    def op_create_index(self):
        t = self.rng.choice(self.tables)
        cols = [c.name for c in t.columns if not c.primary_key and c.type.kind != "text"]
        width = 2 if len(cols) > 1 and self.rng.random() < 0.2 else 1
        chosen = self.rng.sample(cols, width)
        name = f"ix_{t.name}_{'_'.join(chosen)}"
        if name in self.index_names or any(i.columns == chosen for i in t.indexes):
            return None
        self.index_names.add(name)
        t.indexes.append(Index(name, chosen))
        return (f"index {', '.join(chosen)} on {t.name}",
                Op(f"op.create_index(op.f({name!r}), {t.name!r}, "
                   f"[{', '.join(map(repr, chosen))}], unique=False)"),
                Op(f"op.drop_index(op.f({name!r}), table_name={t.name!r})"))

    def op_drop_index(self):
        found = [(t, i) for t in self.tables for i in t.indexes]
        if not found:
            return None
        t, ix = self.rng.choice(found)
        t.indexes.remove(ix)
        self.index_names.discard(ix.name)
        return (f"drop index {ix.name}",
                Op(f"op.drop_index({ix.name!r}, table_name={t.name!r})"),
                Op(f"op.create_index({ix.name!r}, {t.name!r}, "
                   f"[{', '.join(map(repr, ix.columns))}], unique={ix.unique})"))

    def op_alter_nullable(self):
        t = self.rng.choice(self.tables)
        c = self.rng.choice([c for c in t.columns if not c.primary_key])
        before = existing_args(c)
        c.nullable = not c.nullable
        after = existing_args(c)
        return (f"make {t.name}.{c.name} {'nullable' if c.nullable else 'not null'}",
                Op(alter(c.name, before[:-1] + [f"nullable={c.nullable}"]), t.name),
                Op(alter(c.name, after[:-1] + [f"nullable={not c.nullable}"]), t.name))

    def op_widen(self):
        t = self.rng.choice(self.tables)
        strings = [c for c in t.columns if c.type.kind == "string" and c.type.length < MAX_STRING]
        if not strings:
            return None
        c = self.rng.choice(strings)
        old = c.type
        new = Type("string", min(MAX_STRING, old.length * 2))
        before = existing_args(c)
        c.type = new
        after = existing_args(c)
        return (f"widen {t.name}.{c.name} to {new.length}",
                Op(alter(c.name, before[:1] + [f"type_={new.python()}"] + before[1:]), t.name),
                Op(alter(c.name, after[:1] + [f"type_={old.python()}"] + after[1:]), t.name))

    def op_server_default(self):
        t = self.rng.choice(self.tables)
        defaults = {"string": "'unknown'", "integer": "1", "boolean": "1", "biginteger": "1"}
        cands = [c for c in t.columns if not c.primary_key and c.type.kind in defaults
                 and c.server_default != "CURRENT_TIMESTAMP"]
        if not cands:
            return None
        c = self.rng.choice(cands)
        old = c.server_default
        new = None if old is not None else defaults[c.type.kind]
        before = existing_args(c)
        c.server_default = new
        after = existing_args(c)

        def args(existing: list[str], value: str | None) -> list[str]:
            keep = [a for a in existing if not a.startswith("existing_server_default")]
            setting = f"server_default={text_call(value) if value is not None else None}"
            return keep[:1] + [setting] + existing[1:]

        return (f"{'drop the' if new is None else 'set a'} default of {t.name}.{c.name}",
                Op(alter(c.name, args(before, new)), t.name),
                Op(alter(c.name, args(after, old)), t.name))

    def added_free(self):
        return [(t, c) for t in self.tables for c in t.columns
                if c.added and c.nullable and not t.constrained(c.name)]

    def op_drop_column(self):
        found = self.added_free()
        if not found:
            return None
        t, c = self.rng.choice(found)
        t.columns.remove(c)
        return (f"drop {t.name}.{c.name}",
                Op(f"batch_op.drop_column({c.name!r})", t.name),
                Op(f"batch_op.add_column({column_python(c)})", t.name))

    def op_rename(self):
        found = self.added_free()
        if not found:
            return None
        t, c = self.rng.choice(found)
        old = c.name
        new = self.fresh(c.name.rsplit("_", 1)[0])
        args = existing_args(c)
        c.name = new
        return (f"rename {t.name}.{old} to {new}",
                Op(alter(old, [f"new_column_name={new!r}"] + args), t.name),
                Op(alter(new, [f"new_column_name={old!r}"] + args), t.name))

    def data_fix(self):
        """(message, upgrade op, downgrade op) of one UPDATE and its inverse."""
        t = self.rng.choice(self.tables)
        cands = [c for c in t.columns if c.nullable and c.type.kind in ("string", "integer")]
        if not cands:
            return None
        c = self.rng.choice(cands)
        value = "'n/a'" if c.type.kind == "string" else "0"
        where = f"{c.name} IS NULL"
        if self.rng.random() < 0.5:
            where += " AND created_at < '2020-01-01'"
        up = f"UPDATE {t.name} SET {c.name} = {value} WHERE {where}"
        down = f"UPDATE {t.name} SET {c.name} = NULL WHERE {c.name} = {value}"
        return (f"backfill {t.name}.{c.name}", Op(f'op.execute("{up}")'),
                Op(f'op.execute("{down}")'))

    MIXED = [("op_add_column", 6), ("op_create_index", 3), ("op_drop_index", 2),
             ("op_alter_nullable", 2), ("op_widen", 2), ("op_server_default", 2),
             ("op_drop_column", 2), ("op_rename", 2)]

    def mixed(self):
        if self.rng.random() < 0.1:
            count = 1 if self.rng.random() < 0.7 else 2
            made = [m for m in (self.data_fix() for _ in range(count)) if m]
            if made:
                return made[0][0], [m[1] for m in made], [m[2] for m in reversed(made)], True
        count = self.rng.choices([1, 2, 3], [7, 2, 1])[0]
        names = [name for name, _ in self.MIXED]
        weights = [w for _, w in self.MIXED]
        made = []
        while len(made) < count:
            m = getattr(self, self.rng.choices(names, weights)[0])()
            if m:
                made.append(m)
        message = made[0][0] + (f" and {len(made) - 1} more" if len(made) > 1 else "")
        return message, [m[1] for m in made], [m[2] for m in reversed(made)], False

    def build(self):
        revs = []
        for i in range(self.n):
            message, up, down, data_only = (self.create_table(i) if i < self.n_tables
                                            else self.mixed())
            revs.append((self.new_id(), message, up, down, data_only))
        return revs


# --- rendering -------------------------------------------------------------

def indent(text: str, spaces: int) -> str:
    return "\n".join(" " * spaces + line for line in text.split("\n"))


def render_body(ops: list[Op], autogenerated: bool) -> list[str]:
    lines = []
    if autogenerated:
        lines.append("    # ### commands auto generated by Alembic - please adjust! ###")
    i = 0
    while i < len(ops):
        op = ops[i]
        if op.batch is None:
            lines.append(indent(op.text, 4))
            i += 1
            continue
        # Consecutive batch operations on one table share a block, as
        # autogenerate writes them.
        lines.append(f"    with op.batch_alter_table({op.batch!r}) as batch_op:")
        while i < len(ops) and ops[i].batch == op.batch:
            lines.append(indent(ops[i].text, 8))
            i += 1
        lines.append("")
    while lines and lines[-1] == "":
        lines.pop()
    if autogenerated:
        lines.append("    # ### end Alembic commands ###")
    return lines


def slug(message: str) -> str:
    s = "_".join(re.findall(r"\w+", message)).lower()
    if len(s) > 40:
        s = s[:40].rsplit("_", 1)[0] + "_"
    return s


def render(rid: str, down: str | None, message: str, up: list[Op], dn: list[Op],
           data_only: bool, created: datetime.datetime) -> str:
    lines = [
        f'"""{message}',
        "",
        f"Revision ID: {rid}",
        f"Revises: {down or ''}",
        f"Create Date: {created.isoformat(sep=' ')}",
        "",
        '"""',
        "from alembic import op",
        "import sqlalchemy as sa",
        "",
        "",
        "# revision identifiers, used by Alembic.",
        f"revision = {rid!r}",
        f"down_revision = {down!r}",
        "branch_labels = None",
        "depends_on = None",
    ]
    if data_only:
        lines += ["", "# migcheck: data-only"]
    lines += ["", "", "def upgrade() -> None:", *render_body(up, not data_only),
              "", "", "def downgrade() -> None:", *render_body(dn, not data_only)]
    return "\n".join(lines) + "\n"


def yaml_str(s: str) -> str:
    return json.dumps(s)  # a JSON string is a valid YAML flow scalar


def schema_yaml(tables: list[Table]) -> str:
    out = ["# The schema at the head of the generated history (bench/gen_migrations.py).",
           "version: 1", "tables:"]
    for t in tables:
        out += [f"  {t.name}:", "    columns:"]
        for c in t.columns:
            fields = c.type.yaml()
            if c.primary_key:
                fields.append("primary_key: true")
            elif not c.nullable:
                fields.append("nullable: false")
            if c.unique:
                fields.append("unique: true")
            if c.server_default is not None:
                fields.append(f"server_default: {yaml_str(c.server_default)}")
            if c.foreign_key:
                ref, on_delete = c.foreign_key
                fk = f"references: {ref}.id"
                if on_delete:
                    fk += f", on_delete: {yaml_str(on_delete)}"
                fields.append(f"foreign_key: {{{fk}}}")
            out.append(f"      {c.name}: {{{', '.join(fields)}}}")
        if t.indexes:
            out.append("    indexes:")
            for ix in t.indexes:
                out.append(f"      - {{name: {ix.name}, columns: [{', '.join(ix.columns)}]"
                           + (", unique: true" if ix.unique else "") + "}")
        if t.unique_constraints:
            out.append("    unique_constraints:")
            for name, cols in t.unique_constraints:
                out.append(f"      - {{name: {name}, columns: [{', '.join(cols)}]}}")
    return "\n".join(out) + "\n"


def generate(directory: str, n: int, tables: int = DEFAULT_TABLES, seed: int = 1) -> str:
    """Writes the project; returns the head revision's id."""
    gen = Generator(n, tables, seed)
    revs = gen.build()

    if os.path.exists(directory):
        shutil.rmtree(directory)
    versions = os.path.join(directory, "alembic", "versions")
    os.makedirs(versions)
    os.makedirs(os.path.join(directory, "config"))
    with open(os.path.join(directory, "alembic.ini"), "w") as f:
        f.write(ALEMBIC_INI)
    with open(os.path.join(directory, "alembic", "env.py"), "w") as f:
        f.write(ENV_PY)
    with open(os.path.join(directory, "alembic", "script.py.mako"), "w") as f:
        f.write(SCRIPT_MAKO)

    created = datetime.datetime(2019, 1, 7, 9, 30, 0, 0)
    max_step = max(10, 2 * 5 * 365 * 24 * 60 // len(revs))
    down = None
    for rid, message, up, dn, data_only in revs:
        created += datetime.timedelta(minutes=gen.rng.randint(1, max_step),
                                      microseconds=gen.rng.randint(0, 999999))
        path = os.path.join(versions, f"{rid}_{slug(message)}.py")
        with open(path, "w") as f:
            f.write(render(rid, down, message, up, dn, data_only, created))
        down = rid
    with open(os.path.join(directory, "config", "schema.yaml"), "w") as f:
        f.write(schema_yaml(gen.tables))
    return down


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory")
    parser.add_argument("--revisions", "-n", type=int, required=True)
    parser.add_argument("--tables", type=int, default=DEFAULT_TABLES,
                        help=f"create_table revisions first (default {DEFAULT_TABLES})")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.revisions < 1:
        parser.error("--revisions must be at least 1")
    if args.tables < 1:
        parser.error("--tables must be at least 1")
    head = generate(args.directory, args.revisions, args.tables, args.seed)
    print(head)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""Generates a seeded Alembic project of many varied, valid revision files.

The files are written the many ways real projects write them: the classic and
the annotated templates, every kind of string literal Python allows for an id,
merges written as tuples or lists across lines, docstrings with escapes, CRLF
line endings, a BOM or coding cookie, docstrings after the imports or none at
all, and bodies full of the Python that data migrations use (match, async,
walrus, f-strings, comprehensions, decorators, tab indentation...).

Every file imports cleanly under Python 3.10+ with SQLAlchemy and Alembic
installed, and the revisions form a valid graph: unique ids, existing parents,
merges of two or three heads, unique branch labels, `depends_on` naming
existing ids or labels. The same seed always writes the same bytes.

Usage: gen_revisions.py --out DIR [--seed N] [--count N]
Writes DIR/alembic.ini and DIR/alembic/versions/*.py.
"""

import argparse
import calendar
import datetime
import io
import os
import random
import re
import sys
import tokenize

WORDS = ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel",
         "india", "juliet", "kilo", "lima", "mike", "november", "oscar", "papa",
         "quebec", "romeo", "sierra", "tango", "uniform", "victor", "whiskey",
         "xray", "yankee", "zulu")
LABELS = ("networking", "shoppingcart", "billing", "reporting", "audit", "search")
TABLES = ("users", "orders", "order_items", "products", "invoices", "accounts",
          "sessions", "audit_log", "tags", "addresses", "payments", "tenants")
COLUMNS = ("email", "status", "created_at", "updated_at", "name", "total",
           "is_active", "deleted_at", "currency", "locale", "owner_id", "slug")

# Message source fragments: each is the text as written inside a non-raw
# string literal (escapes are decoded by Python, not by the generator).
PLAIN_MESSAGES = (
    "add {col} to {table}",
    "create {table} table",
    "Add index on {table}.{col}",
    "drop unused column {table}.{col}",
    "rename {table}.{col} to {col}_old",
    "backfill {table}.{col} from legacy data",
    "Add unique constraint on {table}.{col}",
    "make {table}.{col} nullable",
    "Add 'status' enum to {table}",
)
VARIED_MESSAGES = (
    'Add "archived" flag to {table}',
    "fix user's {col} default",
    "ajout de la colonne «prénom» à {table}",
    "日本語の{table}テーブルを追加",
    "Straße und Größe für {table}",
    "emoji ✨ support in {table}.{col}",
    "add {col} to {table}\\tand index it",
    "\\x41dd {col} (hex escape)",
    "caf\\u00e9 menu for {table}",
    "add {col}\\nto {table} on two lines",
    "path C:\\\\data\\\\{table} import",
    "add {table} {{json}} column",
)
# Rare in real files, but each is text a user can write: padding that strip()
# removes, a non-breaking space pasted at the end. Named escapes (\N{...}) are
# left out: migcheck keeps them as written (it carries no Unicode name table),
# a documented difference that tests/unit/test_revision_reader.cpp pins down.
RARE_MESSAGES = (
    "  add {col} to {table} with padding  ",
    "add {col} to {table}\u00a0",
)


class Rev:
    def __init__(self, rev_id, parents, labels=(), depends=()):
        self.id = rev_id
        self.parents = tuple(parents)
        self.labels = tuple(labels)
        self.depends = tuple(depends)
        self.message = ""
        self.date = None


# ---------------------------------------------------------------------------
# The graph


class GraphPlan:
    """Builds a valid revision graph: a main tree that branches and merges,
    labelled branches from base, and a labelled branch off the main tree."""

    def __init__(self, rng, count):
        self.rng = rng
        self.revs = []
        self.main_heads = []  # heads of the unlabelled main tree
        self.main_ids = set()  # every revision of the main tree
        self.label_heads = {}
        self.names = set()
        self._words = list(WORDS)
        rng.shuffle(self._words)
        self._build(count)

    def _fresh_id(self):
        rng = self.rng
        while True:
            r = rng.random()
            if r < 0.72:
                rev_id = "%012x" % rng.getrandbits(48)
            elif r < 0.84:
                n = rng.randint(4, 11)
                rev_id = "%0*x" % (n, rng.getrandbits(4 * n))
            elif r < 0.92 and self._words:
                rev_id = self._words.pop()
            elif r < 0.96:
                rev_id = "%04d_%s" % (len(self.revs) + 1, rng.choice(TABLES))
            else:
                rev_id = "rev%d%s" % (rng.randint(1, 999), rng.choice("abcdef"))
            # No id may be a prefix of another or of a label, so that every
            # name resolves the same way in Alembic and migcheck.
            if not any(rev_id.startswith(o) or o.startswith(rev_id) for o in self.names):
                self.names.add(rev_id)
                return rev_id

    def _add(self, parents, labels=(), depends=()):
        rev = Rev(self._fresh_id(), parents, labels, depends)
        self.revs.append(rev)
        return rev

    def _build(self, count):
        rng = self.rng
        labels = list(LABELS)
        rng.shuffle(labels)
        for lb in labels:
            self.names.add(lb)
        root = self._add(())
        self.main_ids.add(root.id)
        self.main_heads = [root.id]
        off_main_label = labels.pop()
        while len(self.revs) < count:
            r = rng.random()
            if r < 0.03 and len(labels) > 2:
                # A new labelled branch from base, as in Alembic's docs.
                lb = labels.pop()
                rev = self._add((), labels=(lb,))
                self.label_heads[lb] = rev.id
            elif r < 0.13 and self.label_heads:
                lb = rng.choice(sorted(self.label_heads))
                deps = ()
                if rng.random() < 0.3:
                    deps = (rng.choice(sorted(self.main_ids)),)
                elif rng.random() < 0.2 and len(self.label_heads) > 1:
                    deps = (rng.choice([o for o in sorted(self.label_heads) if o != lb]),)
                rev = self._add((self.label_heads[lb],), depends=deps)
                self.label_heads[lb] = rev.id
            elif r < 0.14 and off_main_label and len(self.revs) > 20:
                # A labelled branch that forks from the main tree and stays apart.
                parent = rng.choice(sorted(self.main_ids - set(self.main_heads)) or self.main_heads)
                rev = self._add((parent,), labels=(off_main_label,))
                self.label_heads[off_main_label] = rev.id
                off_main_label = None
            elif r < 0.24 and len(self.main_heads) >= 2:
                k = 3 if len(self.main_heads) >= 3 and rng.random() < 0.35 else 2
                merged = rng.sample(self.main_heads, k)
                deps = ()
                if self.label_heads and rng.random() < 0.2:
                    deps = (rng.choice(sorted(self.label_heads)),)
                rev = self._add(merged, depends=deps)
                self.main_heads = [h for h in self.main_heads if h not in merged] + [rev.id]
                self.main_ids.add(rev.id)
            elif r < 0.32 and len(self.main_heads) < 4 and len(self.main_ids) > 3:
                parent = rng.choice(sorted(self.main_ids - set(self.main_heads)))
                rev = self._add((parent,))
                self.main_heads.append(rev.id)
                self.main_ids.add(rev.id)
            else:
                i = rng.randrange(len(self.main_heads))
                deps = ()
                if self.label_heads and rng.random() < 0.05:
                    lb = rng.choice(sorted(self.label_heads))
                    deps = (rng.choice([lb, self.label_heads[lb]]),)
                rev = self._add((self.main_heads[i],), depends=deps)
                self.main_heads[i] = rev.id
                self.main_ids.add(rev.id)


# ---------------------------------------------------------------------------
# Literals


def quote_id(rng, s):
    """A string literal for an id, in one of the many spellings Python allows."""
    r = rng.random()
    if r < 0.40:
        return "'%s'" % s
    if r < 0.75:
        return '"%s"' % s
    choices = [
        "'''%s'''" % s,
        '"""%s"""' % s,
        "r'%s'" % s,
        'r"%s"' % s,
        'u"%s"' % s,
        "u'%s'" % s,
        'R"%s"' % s,
        "U'%s'" % s,
    ]
    if len(s) > 3:
        k = rng.randint(1, len(s) - 1)
        choices += [
            '"%s" "%s"' % (s[:k], s[k:]),
            "'%s''%s'" % (s[:k], s[k:]),
            '("%s"\n    "%s")' % (s[:k], s[k:]),
            '"\\x%02x%s"' % (ord(s[0]), s[1:]),
        ]
    return rng.choice(choices)


def render_list(rng, items, single_as_string=True):
    """A tuple or list literal of ids, on one line or across lines."""
    quoted = [quote_id(rng, s).replace("\n", " ") for s in items]
    if len(items) == 1 and single_as_string and rng.random() < 0.7:
        return quote_id(rng, items[0])
    open_, close = ("[", "]") if rng.random() < 0.3 else ("(", ")")
    r = rng.random()
    if r < 0.5:
        body = ", ".join(quoted)
        if len(items) == 1 and open_ == "(":
            body += ","
        elif rng.random() < 0.2:
            body += ","
        return open_ + body + close
    lines = [open_]
    for q in quoted:
        comment = "  # %s" % rng.choice(("parent", "users branch", "hotfix", "merged")) \
            if rng.random() < 0.3 else ""
        lines.append("    %s,%s" % (q, comment))
    if rng.random() < 0.3:
        lines.insert(1, "    # the heads merged here")
    lines.append(close)
    return "\n".join(lines)


def render_none(rng, name, is_base):
    """A spelling of "none" that Alembic 1.8 reads as none for this header.
    An empty string is one only for depends_on, and not on a base revision:
    as branch_labels it is a label, and a base whose depends_on is "" is no
    longer a base to Alembic 1.8, which then reports a dependency cycle."""
    if name == "depends_on" and not is_base:
        return rng.choice(("None", "None", "None", "()", "''", '""'))
    return rng.choice(("None", "None", "None", "()"))


# ---------------------------------------------------------------------------
# File pieces


class Style:
    """Per-file choices, each with roughly the frequency seen in real projects
    or, for rare forms, often enough to appear in every generated history."""

    def __init__(self, rng):
        self.has_sequence = False  # set once the imports are chosen
        self.crlf = rng.random() < 0.07
        self.bom = rng.random() < 0.03
        self.coding = rng.random() < 0.08
        self.license = rng.random() < 0.08
        r = rng.random()
        self.template = "classic" if r < 0.5 else ("typing" if r < 0.85 else "pep604")
        r = rng.random()
        self.doc_place = "first" if r < 0.86 else ("after_imports" if r < 0.93 else "none")
        self.future = rng.random() < 0.1
        r = rng.random()
        self.indent = "    " if r < 0.75 else ("  " if r < 0.85 else "\t")
        self.omit_optional = rng.random() < 0.12
        self.headers_late = rng.random() < 0.04
        self.stale_first = rng.random() < 0.04
        self.semicolons = rng.random() < 0.03
        self.continuation = rng.random() < 0.06


def message_source(rng, rev):
    """A message as written in the source of a non-raw string literal."""
    table = rng.choice(TABLES)
    col = rng.choice(COLUMNS)
    if len(rev.parents) > 1:
        if rng.random() < 0.7:
            return rng.choice(("merge heads", "merge %s" % " and ".join(p[:6] for p in rev.parents),
                               "Merge branches", "merge migration heads"))
    # Rare sources go through a weighted draw so that most messages are plain.
    r = rng.random()
    pool = PLAIN_MESSAGES if r < 0.72 else VARIED_MESSAGES if r < 0.92 else RARE_MESSAGES
    return rng.choice(pool).format(table=table, col=col)


def docstring_lines(rng, rev, msg, down_text):
    """The docstring's source lines."""
    date_line = "Create Date: %s" % str(rev.date)
    r = rng.random()
    if r < 0.04:
        date_line = "Create Date:   %s   " % str(rev.date)
    elif r < 0.07:
        date_line = "Create Date: %s+00:00" % str(rev.date)
    elif r < 0.10:
        date_line = ""
    elif r < 0.12:
        date_line = "Create Date:"
    meta = ["Revision ID: %s" % rev.id, "Revises: %s" % down_text]
    if date_line:
        if rng.random() < 0.1:
            meta.insert(0, date_line)
        else:
            meta.append(date_line)
    form = rng.random()
    if form < 0.45:
        lines = ['"""%s' % msg, ""] + meta + ['', '"""']
    elif form < 0.55:
        lines = ["'''%s" % msg, ""] + meta + ["'''"]
    elif form < 0.62:
        lines = ['"""', msg, ""] + ["    " + m for m in meta] + ['"""']
    elif form < 0.67:
        body = "\\n".join(meta)
        q = "'" if '"' in msg else '"'
        lines = ["%s%s\\n\\n%s\\n%s" % (q, msg.replace(q, "\\" + q), body, q)]
    elif form < 0.71:
        raw_note = "Matches \\d+ and C:\\path\\n literally."
        lines = ['r"""%s' % msg.replace("\\", "/"), "", raw_note, ""] + meta + ['"""']
    elif form < 0.74:
        lines = ['u"""%s' % msg, ""] + meta + ['"""']
    elif form < 0.77:
        lines = ['("%s\\n\\n"' % msg.replace('"', '\\"'),
                 ' "%s\\n"' % meta[0], ' "%s\\n")' % "\\n".join(meta[1:])]
    elif form < 0.80:
        # A first paragraph over two lines, then a line of spaces that is not
        # a paragraph break.
        lines = ['"""%s' % msg, "and its follow-up", "    ", "still the first paragraph", ""] \
            + meta + ['"""']
    elif form < 0.83:
        lines = ['"""%s \\' % msg, "continued on the next line", ""] + meta + ['"""']
    elif form < 0.86:
        lines = ['"""', "", "\t%s\t" % msg, "", "\t" + "\n\t".join(meta), '"""']
    elif form < 0.88:
        lines = [rng.choice(('""""""', '""', "''", '"""   """', '"""\n\n"""'))]
    elif form < 0.91:
        lines = ['"%s"' % msg.replace('"', '\\"')]
    elif form < 0.94:
        lines = ['"""%s' % msg, "", "Longer explanation of the change, with a list:",
                 "  - first point", "  - second point", ""] + meta + ['"""']
    else:
        lines = ['"""%s' % msg, ""] + meta + ["", "Notes: see ticket #%d" % rng.randint(1, 9999),
                                                 '"""']
    out = []
    for line in lines:
        out.extend(line.split("\n"))
    return out


def import_lines(rng, style):
    """The module's imports: the template's, then what data migrations add."""
    lines = []
    if style.template == "typing":
        lines.append(rng.choice(("from typing import Sequence, Union",
                                 "from typing import Union, Sequence",
                                 "from typing import (\n    Sequence,\n    Union,\n)")))
    elif style.template == "pep604" and rng.random() < 0.5:
        lines.append("from collections.abc import Sequence")
    lines.append("")
    lines += ["from alembic import op", "import sqlalchemy as sa"]
    r = rng.random()
    if r < 0.3:
        lines.append("from sqlalchemy.dialects import postgresql")
    elif r < 0.4:
        lines.append("from sqlalchemy.dialects import (  # noqa: F401\n    mysql,\n    sqlite,\n)")
    if rng.random() < 0.2:
        lines.append("import logging")
        lines.append("")
        lines.append("logger = logging.getLogger(__name__)")
    if rng.random() < 0.15:
        lines += ["from typing import TYPE_CHECKING", "", "if TYPE_CHECKING:",
                  "    from sqlalchemy.engine import Connection  # noqa: F401"]
    if rng.random() < 0.1:
        lines += ["try:", "    import orjson as json", "except ImportError:  # pragma: no cover",
                  "    import json"]
    return lines


def annotation(style, name):
    """The header's annotation in the file's template ("" for the classic one)."""
    if style.template == "classic":
        return ""
    if name == "revision":
        return ": str"
    if style.template == "typing":
        return ": Union[str, Sequence[str], None]"
    # PEP 604 unions are evaluated at import: name Sequence only if imported.
    return ": str | Sequence[str] | None" if style.has_sequence else ": str | tuple | None"


def header_lines(rng, style, rev):
    """The revision identifiers block, spelled one of many ways."""
    lines = []
    if rng.random() < 0.8:
        lines.append("# revision identifiers, used by Alembic.")
    values = {}
    values["revision"] = quote_id(rng, rev.id)
    if rev.parents:
        values["down_revision"] = render_list(rng, list(rev.parents))
    else:
        values["down_revision"] = "None"
    values["branch_labels"] = render_list(rng, list(rev.labels)) if rev.labels \
        else render_none(rng, "branch_labels", not rev.parents)
    values["depends_on"] = render_list(rng, list(rev.depends)) if rev.depends \
        else render_none(rng, "depends_on", not rev.parents)
    names = ["revision", "down_revision", "branch_labels", "depends_on"]
    if style.omit_optional:
        names = [n for n in names if n in ("revision", "down_revision")
                 or (n == "branch_labels" and rev.labels) or (n == "depends_on" and rev.depends)]
    if rng.random() < 0.1:
        # Some files list depends_on before branch_labels.
        names.sort(key=lambda n: {"depends_on": 2, "branch_labels": 3}.get(n, 0))
    stmts = []
    for n in names:
        stmt = "%s%s = %s" % (n, annotation(style, n), values[n])
        if style.continuation and "\n" not in values[n] and rng.random() < 0.5:
            stmt = "%s%s = \\\n    %s" % (n, annotation(style, n), values[n])
        if rng.random() < 0.1:
            stmt += "  # %s" % rng.choice(("set by alembic", "do not edit", "noqa", "type: ignore"))
        stmts.append(stmt)
    if style.semicolons and len(stmts) >= 2 and not re.search("[\n#]", stmts[0] + stmts[1]):
        stmts[0:2] = [stmts[0] + "; " + stmts[1]]
    if style.stale_first:
        # An earlier value overwritten later in the file: the last one wins.
        lines.append("down_revision = %s  # stale, fixed below" % quote_id(rng, "0000dead"))
    for s in stmts:
        lines.extend(s.split("\n"))
        if rng.random() < 0.08:
            lines.append("# " + rng.choice(("labels", "dependencies", "----")))
    return lines


def indent_block(lines, unit, depth=1):
    """Indents template lines whose leading '>' characters count levels."""
    out = []
    for line in lines:
        n = len(line) - len(line.lstrip(">"))
        text = line[n:]
        out.append((unit * (depth + n) + text) if text else "")
    return out


def body_snippets(rng, unit):
    """Statements for upgrade()'s body, as lines indented one level."""
    table = rng.choice(TABLES)
    col = rng.choice(COLUMNS)
    pool = [
        [
            'op.create_table(',
            '>"%s",' % table,
            '>sa.Column("id", sa.Integer(), nullable=False),',
            '>sa.Column("%s", sa.String(length=255), nullable=True),  # see #12' % col,
            '>sa.Column(',
            '>>"created_at",',
            '>>sa.DateTime(timezone=True),',
            '>>server_default=sa.text("now()"),',
            '>),',
            '>sa.PrimaryKeyConstraint("id"),',
            ')',
        ],
        ['op.add_column("%s", sa.Column("%s", sa.Boolean(), server_default=sa.false()))'
         % (table, col)],
        ['with op.batch_alter_table("%s", schema=None) as batch_op:' % table,
         '>batch_op.alter_column("%s", existing_type=sa.VARCHAR(length=80), nullable=False)' % col,
         '>batch_op.create_index(batch_op.f("ix_%s_%s"), ["%s"], unique=False)'
         % (table, col, col)],
        ['op.execute(',
         '>"""',
         '>UPDATE %s SET %s = \'x\' -- revision = "fake"' % (table, col),
         '>WHERE id IN (SELECT id FROM %s WHERE note LIKE \'%%#%%\')' % table,
         '>"""',
         ')'],
        ['conn = op.get_bind()',
         'rows = conn.execute(sa.text("SELECT id, name FROM %s")).fetchall()' % table,
         'for i, (row_id, name) in enumerate(rows):',
         '>if not name:',
         '>>continue',
         '>elif name.startswith("_"):',
         '>>name = name[1:]',
         '>else:',
         '>>name = f"{name!r:>10}-{row_id:04d}-{{literal}}"',
         '>conn.execute(',
         '>>sa.text("UPDATE %s SET name = :n WHERE id = :i"),' % table,
         '>>{"n": name, "i": row_id},',
         '>)',
         'else:',
         '>pass'],
        ['totals = {k: sum(v) for k, v in {"a": [1, 2], "b": [3]}.items() if v}',
         'seen = {c for c in "abc"}',
         'pairs = [(x, y) for x in range(3) for y in range(x) if x != y]',
         'flat = list(x for x in pairs)',
         'merged = {**totals, "extra": 0}',
         'first, *rest = [1, 2, 3]'],
        ['if (n := len("%s")) > 3:' % table,
         '>print(f\'{n} chars in {"%s"!s}\')' % table,
         'while (n := n - 1) > 0:',
         '>if n == 2:',
         '>>break'],
        ['key = lambda row: (row[0], row[1] or "")',
         'ordered = sorted([(1, None), (0, "a")], key=key, reverse=True)',
         'noop = lambda *args, **kwargs: None',
         'const = lambda: 0',
         'pick = (lambda x=1, *, y=2: x + y)(y=3)'],
        ['try:',
         '>value = int("12_000".replace("_", ""))',
         'except (ValueError, TypeError) as exc:',
         '>raise RuntimeError("bad value") from exc',
         'else:',
         '>value += 0x1F + 0o17 + 0b1010 + 1_000',
         'finally:',
         '>ratio = 1e-3 + .5 + 10. + 2.5j.real'],
        ['numbers = [1, 2, 3][::2] + [4, 5, 6][1:]',
         'assert 0 < len(numbers) <= 10, "unexpected"',
         'label = "many" if len(numbers) > 2 else "few"',
         'ok = numbers is not None and 7 not in numbers',
         'del label',
         'total = 1 + \\',
         '>2 + \\',
         '>3'],
        ['data = rb"\\x00\\d" + b\'abc\' + Rb\'\\w\'',
         'text = rf"{len(data)}\\d" + F\'{text if False else ""}\' if False else u"x"',
         'msg = ("implicit "',
         '>"concatenation "',
         '>\'across lines\')',
         'print(msg, end="", sep="\\t")'],
        ['op.create_index(',
         '>op.f("ix_%s_%s"),' % (table, col),
         '>"%s",' % table,
         '>["%s"],' % col,
         '>unique=True,',
         '>postgresql_where=sa.text("%s IS NOT NULL"),' % col,
         ')'],
    ]
    chosen = rng.sample(pool, rng.randint(1, 3))
    lines = []
    for snippet in chosen:
        lines += snippet
    return lines


def match_lines(rng):
    return [
        "def _classify(kind, payload=None):",
        ">match kind:",
        '>>case "add": return 1',
        '>>case "drop" | "remove":',
        ">>>return 2",
        '>>case {"name": str(name), **rest}:',
        ">>>return len(name) + len(rest)",
        ">>case [first, *others] if others:",
        ">>>return first",
        ">>case (0, _) | (_, 0):",
        ">>>return 0",
        ">>case _:",
        ">>>return -1",
    ]


def async_lines(rng):
    return [
        "async def _ping(conn):",
        ">async with conn.begin() as tx:",
        ">>await tx.execute(sa.text(\"SELECT 1\"))",
        ">async for row in conn.stream(sa.text(\"SELECT 1\")):",
        ">>print(row)",
        ">return [r async for r in conn.stream(sa.text(\"SELECT 2\"))]",
    ]


def helper_blocks(rng, unit):
    """Module-level helpers placed before upgrade()."""
    blocks = []
    if rng.random() < 0.25:
        blocks.append([
            "import functools",
            "",
            "",
            "@functools.lru_cache(maxsize=None)",
            "def _dialect_name():",
            ">\"\"\"Cached: the bind never changes within one run.\"\"\"",
            ">return op.get_bind().dialect.name",
        ])
    if rng.random() < 0.2:
        blocks.append([
            "import contextlib",
            "",
            "",
            "@contextlib.contextmanager",
            "def _timed(label):",
            ">yield label",
            "",
            "",
            "class _Helper(object):",
            ">\"\"\"Not a revision: class attributes are not module headers.\"\"\"",
            "",
            ">revision = \"not-a-header\"",
            ">depends_on: tuple = (\"nothing\",)",
            "",
            ">@staticmethod",
            ">def tables():",
            ">>return [\"%s\"]" % rng.choice(TABLES),
            "",
            ">@property",
            ">def size(self):",
            ">>return 1",
        ])
    if rng.random() < 0.15:
        blocks.append(match_lines(rng))
    if rng.random() < 0.1:
        blocks.append(async_lines(rng))
    if rng.random() < 0.12:
        blocks.append([
            "_CACHE = None",
            "",
            "",
            "def _cache():",
            ">global _CACHE",
            ">if _CACHE is None:",
            ">>_CACHE = {}",
            ">count = 0",
            "",
            ">def bump():",
            ">>nonlocal count",
            ">>count += 1",
            ">>return count",
            "",
            ">return _CACHE, bump",
        ])
    if rng.random() < 0.1:
        blocks.append([
            "def _current_revision(conn):",
            "># A local name, not the module's header.",
            ">query = sa.text(\"SELECT version_num FROM alembic_version\")",
            ">revision = conn.execute(query).scalar()",
            ">down_revision = None",
            ">return revision, down_revision",
        ])
    if rng.random() < 0.1:
        blocks.append([
            "def _batches(items, size=100):",
            ">for start in range(0, len(items), size):",
            ">>yield items[start:start + size]",
            ">yield from ()",
        ])
    if rng.random() < 0.06:
        blocks.append([
            "import re",
            "",
            "match = re.match(r\"\\d+\", \"123\")",
            "case = match.group(0) if match else None",
            "MODE = \"online\"",
            "match MODE:",
            ">case \"offline\":",
            ">>pass",
            ">case _:",
            ">>pass",
        ])
    if rng.random() < 0.06:
        blocks.append(["global _MODULE_FLAG", "_MODULE_FLAG = True"])
    if rng.random() < 0.05:
        blocks.append([
            "with open(__file__, \"rb\") as _fh, open(__file__, \"rb\") as _fh2:",
            ">_SIZE = len(_fh.read()) + len(_fh2.read())",
        ])
    out = []
    for b in blocks:
        out += indent_block(b, unit, depth=0) + ["", ""]
    return out


def functions(rng, style):
    """upgrade() and downgrade(), each indented with spaces or tabs."""
    unit_up = "\t" if rng.random() < 0.08 else style.indent
    unit_down = "\t" if rng.random() < 0.08 else style.indent
    ret = " -> None" if style.template != "classic" else ""
    up = ["def upgrade()%s:" % ret]
    if style.template != "classic" and rng.random() < 0.5:
        up.append(unit_up + '"""Upgrade schema."""')
    if rng.random() < 0.6:
        up.append(unit_up + "# ### commands auto generated by Alembic - please adjust! ###")
    up += indent_block(body_snippets(rng, unit_up), unit_up)
    if rng.random() < 0.6:
        up.append(unit_up + "# ### end Alembic commands ###")
    down = ["def downgrade()%s:" % ret]
    r = rng.random()
    if r < 0.5:
        down.append(unit_down + 'op.drop_table("%s")' % rng.choice(TABLES))
    elif r < 0.8:
        down.append(unit_down + "pass")
    else:
        down += [unit_down + "raise NotImplementedError(",
                 unit_down + unit_down + '"irreversible: data was merged"',
                 unit_down + ")"]
    return up + ["", ""] + down


def render_file(rng, rev):
    """The bytes of one revision file."""
    style = Style(rng)
    down_text = ", ".join(rev.parents)
    if rng.random() < 0.05 and rev.parents:
        down_text = "%012x" % rng.getrandbits(48)  # a stale Revises: line
    rev.message = message_source(rng, rev)
    doc = docstring_lines(rng, rev, rev.message, down_text) if style.doc_place != "none" else []

    lines = []
    if style.license:
        lines += ["# Copyright (c) %d Example Corp." % rev.date.year,
                  "# SPDX-License-Identifier: Apache-2.0", ""]
    if style.coding:
        lines.insert(0, rng.choice(("# -*- coding: utf-8 -*-", "# coding=utf-8",
                                    "# vim: set fileencoding=utf-8 :")))
    imports = import_lines(rng, style)
    style.has_sequence = any("Sequence" in i for i in imports)
    if style.doc_place == "first":
        lines += doc
        if style.future:
            lines.append("from __future__ import annotations")
        lines += imports
    else:
        if style.future:
            lines.append("from __future__ import annotations")
        lines += imports
        lines += [""] + doc
    lines += ["", ""]
    headers = header_lines(rng, style, rev)
    helpers = helper_blocks(rng, style.indent)
    funcs = functions(rng, style)
    if style.headers_late:
        lines += helpers + funcs + ["", ""] + headers
    else:
        lines += headers + ["", ""] + helpers + funcs
    text = sprinkle_comments(rng, "\n".join(lines).rstrip("\n") + "\n")
    if rng.random() < 0.03:
        text = text.rstrip("\n")  # no newline at the end of the file
    if style.crlf:
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8")
    if style.bom:
        data = b"\xef\xbb\xbf" + data
    return data


COMMENTS = ("# noqa", "# TODO: revisit", "# don't \"touch\" this '''", "# fmt: off",
            "# type: ignore", "# -- a comment with a # inside --", "#", "#!not a shebang",
            "# revision = 'commented-out'", "# café ☕")


def sprinkle_comments(rng, text):
    """Adds comment lines and trailing comments wherever Python allows them:
    at the end of a physical line that does not continue a string or end in a
    backslash."""
    ends = set()
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    for tok in tokens:
        if tok.type in (tokenize.NEWLINE, tokenize.NL) and tok.string:
            ends.add(tok.start[0])
    lines = text.split("\n")
    out = []
    for number, line in enumerate(lines, start=1):
        if number in ends and line.strip() and "#" not in line and rng.random() < 0.03:
            line += "  " + rng.choice(COMMENTS)
        out.append(line)
        if number in ends and rng.random() < 0.03:
            out.append(" " * rng.choice((0, 0, 4, 8, 1)) + rng.choice(COMMENTS))
    return "\n".join(out)


def slug(text):
    """Alembic's file-name slug, ASCII words only."""
    words = re.findall(r"\w+", text.lower(), re.ASCII)
    s = "_".join(words)[:40].rstrip("_")
    return s or "revision"


def file_name(rng, rev):
    """A file name as Alembic's file_template options make them."""
    s = slug(rev.message)
    r = rng.random()
    if r < 0.8:
        return "%s_%s.py" % (rev.id, s)
    if r < 0.9:
        return "%s-%s_%s.py" % (rev.date.strftime("%Y_%m_%d_%H%M"), rev.id, s)
    if r < 0.95:
        return "%s.py" % rev.id
    epoch = calendar.timegm(rev.date.timetuple())  # not local time: same names everywhere
    return "%d_%s_%s.py" % (epoch, rev.id, s)


def generate(out_dir, seed=20240601, count=300):
    """Writes the project; returns the revisions in creation order."""
    rng = random.Random(seed)
    plan = GraphPlan(rng, count)
    versions = os.path.join(out_dir, "alembic", "versions")
    os.makedirs(versions, exist_ok=True)
    with open(os.path.join(out_dir, "alembic.ini"), "w") as f:
        f.write("[alembic]\nscript_location = alembic\n")
    with open(os.path.join(versions, "__init__.py"), "w") as f:
        f.write("# not a revision\n")
    with open(os.path.join(versions, "README"), "w") as f:
        f.write("Generated revisions.\n")
    date = datetime.datetime(2016, 1, 4, 9, 30, 0, 123456)
    for rev in plan.revs:
        date += datetime.timedelta(hours=rng.randint(1, 400), seconds=rng.randint(0, 3599))
        if rng.random() < 0.1:
            date = date.replace(microsecond=0)
        else:
            date = date.replace(microsecond=rng.randint(1, 999999))
        rev.date = date
        data = render_file(rng, rev)
        with open(os.path.join(versions, file_name(rng, rev)), "wb") as f:
            f.write(data)
    return plan.revs


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--count", type=int, default=300)
    args = parser.parse_args(argv)
    revs = generate(args.out, args.seed, args.count)
    print("wrote %d revisions to %s" % (len(revs), args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())

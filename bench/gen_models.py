#!/usr/bin/env python3
"""Generate a project of SQLAlchemy models and the config/schema.yaml that
matches them, for benchmarking `manage_migrations validate`.

    gen_models.py DIR [--tables 500] [--columns-per-table 10] [--files 50] [--seed S]

The models are spread evenly over app/models/models_NN.py as 1.4
`Column(...)` classes (with --mixed-styles, every other one as a 2.0
`Mapped[...] = mapped_column(...)` class), with foreign keys to earlier tables, indexes,
unique columns, server defaults and `__table_args__`. Output depends only on
the arguments.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys

# (yaml type, yaml params, SQLAlchemy 1.4 spelling, 2.0 annotation, needs server default text)
TYPES = [
    ("string", {"length": 120}, "String(120)", "str"),
    ("text", {}, "Text", "str"),
    ("integer", {}, "Integer", "int"),
    ("biginteger", {}, "BigInteger", "int"),
    ("boolean", {}, "Boolean", "bool"),
    ("datetime", {"timezone": True}, "DateTime(timezone=True)", "datetime.datetime"),
    ("date", {}, "Date", "datetime.date"),
    ("numeric", {"precision": 12, "scale": 2}, "Numeric(12, 2)", "decimal.Decimal"),
    ("float", {}, "Float", "float"),
    ("json", {}, "JSON", "dict"),
]

HEADER = '''\
import datetime
import decimal
from typing import Optional

from sqlalchemy import (BigInteger, Boolean, Column, Date, DateTime, Float, ForeignKey, Index,
                        Integer, JSON, Numeric, String, Text, UniqueConstraint, text)
from app.models.base import Base
'''
# SQLAlchemy 2.0 only; Debian's SQLAlchemy 1.4, which the Python side of the
# benchmark imports the models with, lacks it.
HEADER_2_0 = "from sqlalchemy.orm import Mapped, mapped_column\n"



def yaml_params(params: dict) -> str:
    out = []
    for k, v in params.items():
        out.append(f"{k}: {'true' if v is True else v}")
    return ", ".join(out)


def generate(path: str, tables: int, per_table: int, files: int, seed: int,
             mixed_styles: bool = False) -> None:
    rng = random.Random(seed)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(os.path.join(path, "app", "models"))
    os.makedirs(os.path.join(path, "config"))
    with open(os.path.join(path, "app", "__init__.py"), "w") as f:
        f.write("")
    with open(os.path.join(path, "app", "models", "__init__.py"), "w") as f:
        f.write("".join(f"from app.models import models_{i:02d}  # noqa: F401\n"
                        for i in range(files)))
    with open(os.path.join(path, "app", "models", "base.py"), "w") as f:
        f.write("from sqlalchemy.orm import declarative_base\n\nBase = declarative_base()\n")
    with open(os.path.join(path, "alembic.ini"), "w") as f:
        f.write("[alembic]\nscript_location = alembic\n")
    os.makedirs(os.path.join(path, "alembic", "versions"))

    yaml = ["version: 1", "tables:"]
    per_file = (tables + files - 1) // files
    for fi in range(files):
        body = [HEADER + (HEADER_2_0 if mixed_styles else "")]
        for ti in range(fi * per_file, min(tables, (fi + 1) * per_file)):
            name = f"t{ti:04d}"
            style2 = mixed_styles and ti % 2 == 1
            yaml += [f"  {name}:", "    columns:", "      id: {type: integer, primary_key: true}"]
            body += ["", "", f"class T{ti:04d}(Base):", f'    __tablename__ = "{name}"']
            cols = []
            index_col = None
            for ci in range(1, per_table):
                col = f"c{ci:02d}"
                if ci == 1 and ti > 0:
                    target = f"t{rng.randrange(ti):04d}"
                    cols.append((col, "fk", target))
                    continue
                kind, params, sa_type, annotation = TYPES[rng.randrange(len(TYPES))]
                nullable = rng.random() < 0.5
                default = None
                if kind == "integer" and rng.random() < 0.4:
                    default = "0"
                elif kind == "boolean":
                    default = "1"
                unique = kind == "string" and rng.random() < 0.2
                if kind == "string" and index_col is None and not unique:
                    index_col = col
                cols.append((col, "plain", (kind, params, sa_type, annotation, nullable, default,
                                            unique)))
            if index_col:
                body.append(f'    __table_args__ = (Index("ix_{name}_{index_col}_id", '
                            f'"{index_col}", "id"),)')
            body.append("")
            body.append("    id: Mapped[int] = mapped_column(Integer, primary_key=True)" if style2
                        else "    id = Column(Integer, primary_key=True)")
            for col, what, spec in cols:
                if what == "fk":
                    yaml.append(f"      {col}: {{type: integer, nullable: false, index: true, "
                                f"foreign_key: {{references: {spec}.id, on_delete: CASCADE}}}}")
                    fk = f'ForeignKey("{spec}.id", ondelete="CASCADE")'
                    body.append(f"    {col}: Mapped[int] = mapped_column({fk}, index=True)"
                                if style2 else
                                f"    {col} = Column(Integer, {fk}, nullable=False, index=True)")
                    continue
                kind, params, sa_type, annotation, nullable, default, unique = spec
                fields = [f"type: {kind}"]
                if params:
                    fields.append(yaml_params(params))
                if not nullable:
                    fields.append("nullable: false")
                if unique:
                    fields.append("unique: true")
                if default is not None:
                    fields.append(f'server_default: "{default}"')
                yaml.append(f"      {col}: {{{', '.join(fields)}}}")
                kwargs = []
                if unique:
                    kwargs.append("unique=True")
                if default is not None:
                    kwargs.append(f'server_default=text("{default}")')
                if style2:
                    ann = annotation if not nullable else f"Optional[{annotation}]"
                    args = ", ".join([sa_type, *kwargs])
                    body.append(f"    {col}: Mapped[{ann}] = mapped_column({args})")
                else:
                    if not nullable:
                        kwargs.insert(0, "nullable=False")
                    args = ", ".join([sa_type, *kwargs])
                    body.append(f"    {col} = Column({args})")
            if index_col:
                yaml += ["    indexes:",
                         f"      - {{name: ix_{name}_{index_col}_id, columns: [{index_col}, id]}}"]
        with open(os.path.join(path, "app", "models", f"models_{fi:02d}.py"), "w") as f:
            f.write("\n".join(body) + "\n")
    with open(os.path.join(path, "config", "schema.yaml"), "w") as f:
        f.write("\n".join(yaml) + "\n")


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("dir")
    p.add_argument("--tables", type=int, default=500)
    p.add_argument("--columns-per-table", type=int, default=10)
    p.add_argument("--files", type=int, default=50)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--mixed-styles", action="store_true",
                   help="every other class in 2.0 style (Mapped/mapped_column), which "
                        "SQLAlchemy 1.4 cannot import")
    a = p.parse_args(argv)
    generate(a.dir, a.tables, a.columns_per_table, a.files, a.seed, a.mixed_styles)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

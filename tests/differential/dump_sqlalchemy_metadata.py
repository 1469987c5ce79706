#!/usr/bin/env python3
"""Imports a models package with SQLAlchemy and prints its MetaData as JSON.

Usage: dump_sqlalchemy_metadata.py FIXTURE_DIR PACKAGE

FIXTURE_DIR goes first on sys.path (so a stand-in module there, such as the
Flask-SQLAlchemy shim, is found); every module of PACKAGE is imported, and
the tables of every MetaData reachable from a module global (a MetaData, or
a declarative base's `.metadata`) are printed in the shape of
migcheck::schema::schema_to_json (lib/migcheck/schema/json.hpp).
"""

import importlib
import json
import os
import sys

sys.dont_write_bytecode = True

import sqlalchemy  # noqa: E402
from sqlalchemy.engine import default  # noqa: E402
from sqlalchemy.sql.elements import TextClause  # noqa: E402

# SQLAlchemy's type classes and the schema type each stands for; a type's
# kind is the first of its classes (in method resolution order) listed here.
KINDS = {
    "Enum": "enum", "UnicodeText": "text", "Text": "text", "Unicode": "string",
    "String": "string", "BigInteger": "biginteger", "SmallInteger": "smallinteger",
    "Integer": "integer", "Boolean": "boolean", "DateTime": "datetime", "Date": "date",
    "Time": "time", "Float": "float", "Numeric": "numeric", "JSON": "json",
    "LargeBinary": "binary", "UUID": "uuid", "Uuid": "uuid",
}


def type_json(t):
    for cls in type(t).__mro__:
        if cls.__name__ in KINDS:
            kind = KINDS[cls.__name__]
            break
    else:
        raise SystemExit("no schema type for %r" % t)
    out = {"type": kind}
    if kind in ("string", "binary"):
        out["length"] = t.length
    elif kind == "numeric":
        out["precision"] = t.precision
        out["scale"] = t.scale
    elif kind in ("datetime", "time"):
        out["timezone"] = bool(t.timezone)
    elif kind == "enum":
        out["enum_values"] = list(t.enums)
        out["enum_name"] = t.name or ""
    return out


def server_default_sql(column):
    d = column.server_default
    if d is None or not hasattr(d, "arg"):
        return None
    arg = d.arg
    if isinstance(arg, str):
        return "'" + arg.replace("'", "''") + "'"
    if isinstance(arg, TextClause):
        return arg.text
    return str(arg.compile(dialect=default.DefaultDialect(),
                           compile_kwargs={"literal_binds": True}))


def column_json(c):
    out = type_json(c.type)
    out["nullable"] = bool(c.nullable)
    out["autoincrement"] = c.autoincrement if isinstance(c.autoincrement, bool) else None
    out["server_default"] = server_default_sql(c)
    out["comment"] = c.comment or ""
    return out


def name_of(x):
    return "" if x.name is None else str(x.name)


def by_dump(items):
    return sorted(items, key=lambda j: json.dumps(j, sort_keys=True, separators=(",", ":")))


def table_json(t):
    fks = []
    for fk in t.foreign_key_constraints:
        targets = [e.target_fullname for e in fk.elements]
        fks.append({
            "name": name_of(fk),
            "columns": [e.parent.name for e in fk.elements],
            "referred_table": targets[0].rsplit(".", 1)[0],
            "referred_columns": [x.rsplit(".", 1)[1] for x in targets],
            "on_delete": fk.ondelete or "",
            "on_update": fk.onupdate or "",
        })
    uniques = [{"name": name_of(u), "columns": [c.name for c in u.columns]}
               for u in t.constraints if isinstance(u, sqlalchemy.UniqueConstraint)]
    indexes = [{"name": name_of(i), "columns": [c.name for c in i.columns], "unique": bool(i.unique)}
               for i in t.indexes]
    return {
        "columns": {c.name: column_json(c) for c in t.columns},
        "primary_key": [c.name for c in t.primary_key.columns],
        "indexes": by_dump(indexes),
        "unique_constraints": by_dump(uniques),
        "foreign_keys": by_dump(fks),
        "comment": t.comment or "",
    }


def package_modules(folder, package):
    root = os.path.join(folder, package)
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith(".py"):
                rel = os.path.relpath(os.path.join(dirpath, name), folder)[:-3]
                parts = rel.split(os.sep)
                if parts[-1] == "__init__":
                    parts.pop()
                yield ".".join(parts)


def main():
    folder, package = sys.argv[1], sys.argv[2]
    sys.path.insert(0, os.path.abspath(folder))
    metadatas = []
    for name in package_modules(folder, package):
        module = importlib.import_module(name)
        for value in vars(module).values():
            md = value if isinstance(value, sqlalchemy.MetaData) else getattr(value, "metadata", None)
            if isinstance(md, sqlalchemy.MetaData) and all(md is not m for m in metadatas):
                metadatas.append(md)
    tables = {}
    for md in metadatas:
        for t in md.sorted_tables:
            tables[t.name] = table_json(t)
    print(json.dumps({"tables": tables}, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()

"""Writes config/schema.yaml and SQLAlchemy models that declare the same
schema, from one description, so that tests of `generate` can change the
schema freely and keep the models in step.

A schema is {table: {"columns": {name: column}, "indexes": [...],
"unique_constraints": [...], "comment": ..., "renamed_from": ...}}, each
column a dict of schema.yaml's keys ({"type": "string", "length": 50,
"nullable": False, "foreign_key": {"references": "t.id"}...}).
"""

import json
import os

TYPES = {
    "integer": "sa.Integer", "biginteger": "sa.BigInteger", "smallinteger": "sa.SmallInteger",
    "text": "sa.Text", "boolean": "sa.Boolean", "date": "sa.Date", "float": "sa.Float",
    "json": "sa.JSON", "uuid": "sa.Uuid",
}


def _yaml(schema):
    lines = ["version: 1", "tables:"]
    for table, t in schema.items():
        lines.append(f"  {table}:")
        for key in ("comment", "renamed_from"):
            if key in t:
                lines.append(f"    {key}: {json.dumps(t[key])}")
        lines.append("    columns:")
        for name, column in t["columns"].items():
            lines.append(f"      {name}: {json.dumps(column)}")
        for key in ("indexes", "unique_constraints"):
            if t.get(key):
                lines.append(f"    {key}:")
                lines.extend(f"      - {json.dumps(item)}" for item in t[key])
    return "\n".join(lines) + "\n"


def _type(c):
    kind = c["type"]
    if kind in TYPES:
        return TYPES[kind]
    if kind in ("string", "binary"):
        name = "sa.String" if kind == "string" else "sa.LargeBinary"
        return f"{name}({c['length']})" if "length" in c else name
    if kind in ("datetime", "time"):
        name = "sa.DateTime" if kind == "datetime" else "sa.Time"
        return f"{name}(timezone=True)" if c.get("timezone") else name
    if kind == "numeric":
        args = [str(c[k]) for k in ("precision", "scale") if k in c]
        return f"sa.Numeric({', '.join(args)})"
    if kind == "enum":
        values = ", ".join(repr(v) for v in c["values"])
        return f"sa.Enum({values}, name={c['enum_name']!r})"
    raise ValueError(kind)


def _column(name, c):
    args = [repr(name), _type(c)]
    fk = c.get("foreign_key")
    if fk:
        extra = "".join(f", {k}={fk[v]!r}" for k, v in
                        (("ondelete", "on_delete"), ("onupdate", "on_update"), ("name", "name"))
                        if v in fk)
        args.append(f"sa.ForeignKey({fk['references']!r}{extra})")
    for key in ("primary_key", "unique", "index", "autoincrement"):
        if key in c:
            args.append(f"{key}={c[key]!r}")
    if not c.get("primary_key"):
        args.append(f"nullable={c.get('nullable', True)!r}")
    if "server_default" in c:
        args.append(f"server_default=sa.text({c['server_default']!r})")
    if "comment" in c:
        args.append(f"comment={c['comment']!r}")
    return f"sa.Column({', '.join(args)})"


def _models(schema):
    out = ["import sqlalchemy as sa", "", "metadata = sa.MetaData()", ""]
    for table, t in schema.items():
        items = [_column(n, c) for n, c in t["columns"].items()]
        for i in t.get("indexes", []):
            cols = ", ".join(repr(c) for c in i["columns"])
            items.append(f"sa.Index({i['name']!r}, {cols}, unique={i.get('unique', False)!r})")
        for u in t.get("unique_constraints", []):
            cols = ", ".join(repr(c) for c in u["columns"])
            name = f", name={u['name']!r}" if "name" in u else ""
            items.append(f"sa.UniqueConstraint({cols}{name})")
        if "comment" in t:
            items.append(f"comment={t['comment']!r}")
        body = ",\n    ".join(items)
        out.append(f"t_{table} = sa.Table({table!r}, metadata,\n    {body},\n)\n")
    return "\n".join(out)


def write_schema(root, schema):
    """Writes config/schema.yaml and app/models.py for `schema`."""
    for rel, text in (("config/schema.yaml", _yaml(schema)), ("app/models.py", _models(schema))):
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)


def write_project(root, url="sqlite:///app.db", extra_ini=""):
    """alembic.ini (Alembic's own settings layout) and an empty versions folder."""
    os.makedirs(os.path.join(root, "alembic", "versions"), exist_ok=True)
    with open(os.path.join(root, "alembic.ini"), "w") as f:
        f.write(f"[alembic]\nscript_location = alembic\nsqlalchemy.url = {url}\n{extra_ini}")

"""The closest Python equivalent of `manage_migrations validate`, for the
benchmark: import the models with SQLAlchemy, load config/schema.yaml with
PyYAML, and compare table and column names, nullability and primary keys.

    python3 validate_python.py PROJECT_DIR

Prints "N tables, M columns: agree" or the differences, like migcheck's
summary, and exits 1 on a difference. It compares far less than migcheck
does (no types, defaults, keys or indexes), so its time is a lower bound.
"""

import importlib
import sys

import yaml


def main(root: str) -> int:
    sys.path.insert(0, root)
    importlib.import_module("app.models")
    base = importlib.import_module("app.models.base").Base
    with open(f"{root}/config/schema.yaml") as f:
        declared = yaml.safe_load(f)["tables"]
    models = base.metadata.tables
    problems = []
    columns = 0
    for name, spec in declared.items():
        table = models.get(name)
        if table is None:
            problems.append(f"table {name} missing from the models")
            continue
        for col_name, col in spec["columns"].items():
            columns += 1
            col = col if isinstance(col, dict) else {"type": col}
            pk = bool(col.get("primary_key", False))
            nullable = col.get("nullable", not pk)
            c = table.columns.get(col_name)
            if c is None:
                problems.append(f"column {name}.{col_name} missing from the models")
            elif c.nullable != nullable or c.primary_key != pk:
                problems.append(f"column {name}.{col_name} differs")
    problems += [f"table {t} missing from schema.yaml" for t in models if t not in declared]
    for p in problems:
        print(p)
    print(f"{len(declared)} tables, {columns} columns: " + ("agree" if not problems else
                                                            f"{len(problems)} differences"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

#!/usr/bin/env python3
"""Reads Alembic revision headers with CPython's own parser.

This is the reference migcheck's revision reader is compared against: it
extracts `revision`, `down_revision`, `branch_labels`, `depends_on`, the
message and the create date from each file without importing it, following
the rules migcheck documents:

- values come from module-level assignments only (`x = ...`, `x: T = ...`),
  the last one in source order wins;
- None, "" and () mean "none", a string is a one-element list, a tuple, list
  or set of strings is a list;
- an assignment inside an if/for/while/try/with/match block, or a value that is
  not such a literal, is the finding `non-literal-header`;
- the message is Alembic's: the module docstring (only when it is the first
  statement), stripped, cut at the first "\\n\\n";
- the create date is what follows "Create Date:" on a line of that docstring.

Usage: ast_extract.py [--root DIR] FILE...
Prints one JSON object keyed by file path (relative to DIR when given). A file
that reads cleanly maps to its values; otherwise to {"error": CODE, ...} where
CODE is the finding migcheck is expected to report (`syntax` for a file that
does not parse).
"""

import argparse
import ast
import json
import os
import sys

HEADERS = ("revision", "down_revision", "branch_labels", "depends_on")

# Statements whose blocks run at import time, so a header assigned in them
# depends on run-time state. Function and class bodies are skipped: their
# names are not module attributes.
_BLOCKS = {
    ast.If: "if",
    ast.For: "for",
    ast.AsyncFor: "async for",
    ast.While: "while",
    ast.Try: "try",
    ast.With: "with",
    ast.AsyncWith: "async with",
    ast.Match: "match",
}
# `try: ... except* E:` is new in Python 3.11.
_TRIES = (ast.Try, ast.TryStar) if hasattr(ast, "TryStar") else (ast.Try,)
for _try in _TRIES:
    _BLOCKS[_try] = "try"

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


class _Binding:
    """The last module-level assignment of one header name."""

    def __init__(self, value, line, block):
        self.value = value  # the value expression, or None when it is computed
        self.line = line
        self.block = block  # the enclosing block keyword, or None at top level


class HeaderError(Exception):
    """A header the reference cannot read; `code` is migcheck's finding code."""

    def __init__(self, code, name, line, why):
        super().__init__(why)
        self.code = code
        self.name = name
        self.line = line


def _child_blocks(stmt):
    """The statement lists nested in a compound statement, in source order."""
    if isinstance(stmt, _TRIES):
        yield stmt.body
        for handler in stmt.handlers:
            yield handler.body
        yield stmt.orelse
        yield stmt.finalbody
    elif isinstance(stmt, ast.Match):
        for case in stmt.cases:
            yield case.body
    else:
        yield stmt.body
        yield getattr(stmt, "orelse", [])


def _bind(bindings, target, value, block):
    if isinstance(target, ast.Name):
        if target.id in HEADERS:
            bindings[target.id] = _Binding(value, target.lineno, block)
    elif isinstance(target, (ast.Tuple, ast.List)):
        # `a, b = x, y` pairs elements only when both sides have the same shape.
        pairs = (
            isinstance(value, (ast.Tuple, ast.List))
            and len(value.elts) == len(target.elts)
            and not any(isinstance(e, ast.Starred) for e in target.elts + value.elts)
        )
        for i, elt in enumerate(target.elts):
            _bind(bindings, elt, value.elts[i] if pairs else None, block)


def _collect(body, block, bindings):
    for stmt in body:
        if isinstance(stmt, _SCOPES):
            continue
        if isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                _bind(bindings, target, stmt.value, block)
        elif isinstance(stmt, ast.AnnAssign):
            if stmt.value is not None:
                _bind(bindings, stmt.target, stmt.value, block)
        elif isinstance(stmt, ast.AugAssign):
            _bind(bindings, stmt.target, None, block)
        elif type(stmt) in _BLOCKS:
            inner = block or _BLOCKS[type(stmt)]
            for child in _child_blocks(stmt):
                _collect(child, inner, bindings)


def _strings(name, binding):
    """The header's value as a list of strings ([] for none)."""
    if binding.block is not None:
        raise HeaderError("non-literal-header", name, binding.line,
                          "assigned inside an `%s` block" % binding.block)
    node = binding.value
    if node is None:
        raise HeaderError("non-literal-header", name, binding.line, "its value is computed")
    if not isinstance(node, (ast.Constant, ast.Tuple, ast.List, ast.Set)):
        raise HeaderError("non-literal-header", name, binding.line,
                          "not a literal: %s" % type(node).__name__)
    try:
        value = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        raise HeaderError("non-literal-header", name, binding.line,
                          "not a literal: %s" % type(node).__name__) from None
    if isinstance(value, (set, frozenset)):
        # A set literal keeps no order; read its elements as written.
        value = [ast.literal_eval(e) for e in node.elts]
    if value is None:
        items = []
    elif isinstance(value, str):
        items = [value]
    elif isinstance(value, (tuple, list)) and all(isinstance(v, str) for v in value):
        items = list(value)
    else:
        code = "invalid-revision-id" if name == "revision" else "non-literal-header"
        raise HeaderError(code, name, binding.line, "%r is not None or strings" % (value,))
    return [v for v in items if v != ""]


def _docstring(module):
    doc = ast.get_docstring(module, clean=False)
    longdoc = doc.strip() if doc else ""
    message = longdoc.split("\n\n")[0]
    create_date = ""
    for line in longdoc.split("\n"):
        text = line.strip()
        if text.startswith("Create Date:"):
            create_date = text[len("Create Date:"):].strip()
            break
    return message, create_date


def extract_source(data):
    """Extracts the header of one revision file from its bytes."""
    try:
        module = ast.parse(data)
    except (SyntaxError, ValueError) as e:
        return {"error": "syntax", "line": getattr(e, "lineno", None) or 0, "why": str(e)}

    bindings = {}
    _collect(module.body, None, bindings)
    values = {}
    try:
        for name in HEADERS:
            if name in bindings:
                values[name] = _strings(name, bindings[name])
            elif name == "revision":
                raise HeaderError("missing-revision-id", name, 1, "no `revision` assignment")
            elif name == "down_revision":
                raise HeaderError("missing-down-revision", name, 1, "no `down_revision` assignment")
            else:
                values[name] = []
        rev_node = bindings["revision"].value
        rev_line = bindings["revision"].line
        if not (isinstance(rev_node, ast.Constant) and isinstance(rev_node.value, str)):
            raise HeaderError("invalid-revision-id", "revision", rev_line, "not a string")
        if not values["revision"]:
            raise HeaderError("invalid-revision-id", "revision", rev_line, "an empty string")
        rev_id = values["revision"][0]
        if set(rev_id) & set("@-+"):
            raise HeaderError("invalid-revision-id", "revision", rev_line,
                              "holds a character Alembic does not allow")
        if rev_id in values["down_revision"]:
            raise HeaderError("cycle", "down_revision", bindings["down_revision"].line,
                              "names itself as its down_revision")
    except HeaderError as e:
        return {"error": e.code, "name": e.name, "line": e.line, "why": str(e)}

    message, create_date = _docstring(module)
    return {
        "revision": rev_id,
        "down_revision": values["down_revision"],
        "declared_branch_labels": values["branch_labels"],
        "depends_on": values["depends_on"],
        "message": message,
        "create_date": create_date,
        "line": rev_line,
    }


def extract_file(path):
    with open(path, "rb") as f:
        return extract_source(f.read())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", help="print paths relative to this folder")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args(argv)
    out = {}
    for path in args.files:
        key = os.path.relpath(path, args.root).replace(os.sep, "/") if args.root else path
        out[key] = extract_file(path)
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

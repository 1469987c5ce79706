"""Run the Alembic command line with deterministic output, for comparison only.

    python3 alembic_sorted.py -c DIR/alembic.ini history

Two things make Alembic's output depend on more than the revision files:

* it loads version files in os.listdir order, which is whatever the file
  system returns, and that order decides how `history` orders revisions
  that the graph leaves unordered (parallel branches). migcheck reads
  files in name order, so here Alembic does too.
* it keeps branch labels (and a branch point's children) in Python sets and
  prints them in set iteration order, which varies with the string hash
  seed from one run to the next. migcheck prints them sorted, so here
  Alembic does too. Tuples (down revisions, depends_on) keep their order.

The timed runs use plain `python3 -m alembic`; this wrapper is never timed.
"""

import sys

from alembic import util
from alembic.config import main
from alembic.script import base

_list_py_dir = base.Script._list_py_dir.__func__


def _sorted_list_py_dir(cls, scriptdir, path):
    return sorted(_list_py_dir(cls, scriptdir, path))


base.Script._list_py_dir = classmethod(_sorted_list_py_dir)

_format_as_comma = util.format_as_comma


def _format_as_comma_sorted(value):
    if isinstance(value, (set, frozenset)):
        value = sorted(value)
    return _format_as_comma(value)


# Callers look the function up on the module at call time, so replacing the
# module attribute reaches every caller.
util.format_as_comma = _format_as_comma_sorted

if __name__ == "__main__":
    sys.exit(main(prog="alembic"))

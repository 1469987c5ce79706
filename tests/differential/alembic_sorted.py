#!/usr/bin/env python3
"""Runs Alembic's command line with two adjustments that make its output
comparable with migcheck's, then behaves exactly as `alembic ARGS...`.

1. Version files are listed in name order. Alembic 1.8 uses `os.listdir`
   unsorted, and the listing order decides the order of revisions that the
   graph leaves unordered (several heads, branches); migcheck sorts by name.
2. `version_path_separator` is read up to its first blank. Alembic's own
   `alembic.ini` template writes `version_path_separator = os  # Use
   os.pathsep...`; Alembic 1.8 reads the comment as part of the value and
   rejects it. migcheck reads the first word, as later Alembic releases do.

Usage: alembic_sorted.py -c INI COMMAND [ARGS...]
"""

import os
import sys

import alembic.config
from alembic.script.base import Script


def _sorted_listing(cls, scriptdir, path):
    return sorted(os.listdir(path))


def main(argv):
    Script._list_py_dir = classmethod(_sorted_listing)
    cmdline = alembic.config.CommandLine(prog="alembic")
    options = cmdline.parser.parse_args(argv)
    if not hasattr(options, "cmd"):
        cmdline.parser.error("too few arguments")
    config = alembic.config.Config(file_=options.config, ini_section=options.name,
                                   cmd_opts=options)
    separator = config.get_main_option("version_path_separator")
    if separator and separator.split()[0] != separator:
        config.set_main_option("version_path_separator", separator.split()[0])
    cmdline.run_cmd(config, options)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

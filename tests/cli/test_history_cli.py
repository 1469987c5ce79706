"""manage_migrations history/heads and migcheck-heads, run on real projects."""

import json
import os
import sys
import time

from harness import expect, main

MM = "manage_migrations"
HEADS = "migcheck-heads"


def linear(p, n=3):
    p.alembic_ini()
    ids = [f"{i:04d}aaaa" for i in range(1, n + 1)]
    for i, rev in enumerate(ids):
        p.revision(rev, ids[i - 1] if i else None, message=f"step {i + 1}")
    return ids


def history_in_alembic_format(p):
    linear(p)
    expect(p.run(MM, "history"), 0,
           "0002aaaa -> 0003aaaa (head), step 3\n"
           "0001aaaa -> 0002aaaa, step 2\n"
           "<base> -> 0001aaaa, step 1\n", "")
    expect(p.run(MM, "history", "-r", "0002:"), 0,
           "0002aaaa -> 0003aaaa (head), step 3\n"
           "0001aaaa -> 0002aaaa, step 2\n", "")
    expect(p.run(MM, "heads"), 0, "0003aaaa (head)\n", "")


def history_verbose(p):
    linear(p, 1)
    expect(p.run(MM, "history", "--verbose"), 0,
           "Rev: 0001aaaa (head)\nParent: <base>\n"
           f"Path: {p.root}/alembic/versions/0001aaaa_rev.py\n\n"
           "    step 1\n    \n    Revision ID: 0001aaaa\n\n", "")


def history_json(p):
    linear(p, 2)
    rc, out, err = p.run(MM, "history", "--format", "json")
    expect((rc, "", err), 0, "", "")
    doc = json.loads(out)
    assert doc["version"] == 1, doc
    assert [r["revision"] for r in doc["revisions"]] == ["0002aaaa", "0001aaaa"], doc
    assert doc["revisions"][0]["down_revision"] == ["0001aaaa"], doc
    assert doc["revisions"][0]["path"] == "alembic/versions/0002aaaa_rev.py", doc
    assert doc["findings"] == [], doc


def bad_range(p):
    linear(p)
    expect(p.run(MM, "history", "-r", "0002"), 2, "",
           "manage_migrations: error: -r 0002: history range requires [start]:[end], [start]:, "
           "or :[end]\n")
    expect(p.run(MM, "history", "-r", "zzzz:"), 2, "",
           "manage_migrations: error: -r zzzz:: No such revision or branch 'zzzz'\n")
    expect(p.run(MM, "history", "-r", ""), 2, "",
           "manage_migrations: error: -r : history range requires [start]:[end], [start]:, "
           "or :[end]\n")
    expect(p.run(MM, "history", "-r", "current:"), 2, "",
           "manage_migrations: error: -r current:: 'current' is the database's revision, and "
           "history reads only the revision files; give a revision id, a branch label, head or "
           "base\n")
    expect(p.run(MM, "history", "-r", "0003:0001"), 2, "",
           "manage_migrations: error: -r 0003:0001: Requested range 0003:0001 does not refer "
           "to ancestor/descendant revisions along the same branch\n")
    expect(p.run(MM, "history", "-r", "base:+2"), 0,
           "0001aaaa -> 0002aaaa, step 2\n<base> -> 0001aaaa, step 1\n", "")


def run_from_subdirectory_and_with_C(p):
    linear(p, 1)
    expect(p.run(MM, "heads", cwd=p.path("alembic/versions")), 0, "0001aaaa (head)\n", "")
    expect(p.run(MM, "-C", p.path("alembic"), "heads", cwd="/"), 0, "0001aaaa (head)\n", "")
    expect(p.run(MM, "heads", "-C", p.root, cwd="/"), 0, "0001aaaa (head)\n", "")


def several_heads_are_listed_not_failed(p):
    p.alembic_ini()
    p.revision("aaaa1111", None)
    p.revision("cccc3333", "aaaa1111")
    p.revision("bbbb2222", "aaaa1111")
    expect(p.run(MM, "heads"), 0, "bbbb2222 (head)\ncccc3333 (head)\n", "")
    expect(p.run(HEADS), 1,
           "alembic/versions/cccc3333_rev.py:5:1: error: the history has 2 heads: bbbb2222 "
           "(alembic/versions/bbbb2222_rev.py:5), cccc3333 (alembic/versions/cccc3333_rev.py:5); "
           "write a merge revision: alembic merge -m \"merge heads\" bbbb2222 cccc3333 "
           "[multiple-heads]\n"
           "3 revisions, 2 heads (bbbb2222, cccc3333) in the working tree: 1 error\n", "")
    rc, out, err = p.run(HEADS, "--format", "github")
    expect((rc, "", err), 1, "", "")
    assert out.startswith("::error file=alembic/versions/cccc3333_rev.py,line=5,col=1,"
                          "title=multiple-heads::the history has 2 heads"), out
    rc, out, _ = p.run(HEADS, "--format", "json")
    doc = json.loads(out)
    assert rc == 1 and doc["ok"] is False and doc["heads"] == ["bbbb2222", "cccc3333"], doc


def one_head_passes(p):
    linear(p)
    expect(p.run(HEADS), 0, "3 revisions, 1 head (0003aaaa) in the working tree: no problems\n", "")


def severity_from_config(p):
    p.alembic_ini()
    p.revision("aaaa1111", None)
    p.revision("bbbb2222", "aaaa1111")
    p.revision("cccc3333", "aaaa1111")
    p.write("config/migcheck.yaml", "rules:\n  multiple-heads: warning\n")
    rc, out, err = p.run(HEADS)
    expect((rc, out.splitlines()[-1], err), 0,
           "3 revisions, 2 heads (bbbb2222, cccc3333) in the working tree: 1 warning", "")
    p.write("config/migcheck.yaml", "heads: 2\n")
    expect(p.run(HEADS), 0,
           "3 revisions, 2 heads (bbbb2222, cccc3333) in the working tree: no problems\n", "")


def rev_reads_the_commit_not_the_working_tree(p):
    linear(p, 2)
    p.git("init", "-q")
    p.git("add", "-A")
    p.git("commit", "-qm", "two revisions")
    p.revision("0003bbbb", "0001aaaa")  # a second head, only in the working tree
    expect(p.run(HEADS, "--rev", "HEAD"), 0,
           "2 revisions, 1 head (0002aaaa) in commit HEAD: no problems\n", "")
    rc, out, _ = p.run(HEADS)
    assert rc == 1, out
    expect(p.run(HEADS, "--rev", "nosuchbranch"), 2, "",
           "migcheck-heads: error: --rev nosuchbranch: no such commit in this repository\n")


def rev_outside_git(p):
    linear(p, 1)
    expect(p.run(HEADS, "--rev", "HEAD"), 2, "",
           f"migcheck-heads: error: {p.root}: not a git repository (or any parent up to /)\n")


# ---- bad input: each gives path:line: message, and nothing crashes ----------

def bad_file_case(p, name, content, finding, mode="w"):
    linear(p, 1)
    p.write(f"alembic/versions/{name}", content, mode)
    expect(p.run(MM, "history"), 1, "<base> -> 0001aaaa (head), step 1\n", finding + "\n")


def empty_file(p):
    bad_file_case(p, "empty.py", "",
                  "alembic/versions/empty.py:1:1: error: empty file: a revision file must assign "
                  "`revision` and `down_revision` [missing-revision-id]")


def python_syntax_error(p):
    bad_file_case(p, "broken.py", "revision = 'x'\ndown_revision = None\ndef upgrade(:\n    pass\n",
                  "alembic/versions/broken.py:3:12: error: invalid Python: '(' was never closed "
                  "[syntax-error]")
    p.write("alembic/versions/broken.py", "revision = 'x'\ndown_revision = None\nx = = 1\n")
    expect(p.run(MM, "heads"), 1, "0001aaaa (head)\n",
           "alembic/versions/broken.py:3:5: error: invalid Python: invalid syntax [syntax-error]\n")


def no_revision_variable(p):
    bad_file_case(p, "helpers.py", "def helper():\n    return 1\n",
                  "alembic/versions/helpers.py:1:1: error: no module-level `revision = ...` "
                  "assignment: this is not a revision file [missing-revision-id]")


def non_utf8_file(p):
    bad_file_case(p, "latin.py", b"revision = 'x'\ndown_revision = None\n# caf\xe9\n", 
                  "alembic/versions/latin.py:3:6: error: invalid Python: invalid UTF-8 byte 0xe9; "
                  "Python source must be UTF-8 unless it declares another encoding "
                  "(# -*- coding: ... -*-) [syntax-error]", mode="wb")


def revision_id_not_a_string(p):
    bad_file_case(p, "num.py", "revision = 1234\ndown_revision = None\n",
                  "alembic/versions/num.py:1:1: error: `revision` must be a string, not the "
                  "number 1234 [invalid-revision-id]")


def ten_megabyte_file(p):
    linear(p, 1)
    body = ['"""big data migration"""', "revision = 'bbbb2222'", "down_revision = '0001aaaa'",
            "ROWS = ["]
    row = "    ('%08d', 'a fairly long value for row padding', 12345, None, True),"
    size = sum(len(x) + 1 for x in body)
    i = 0
    while size < 10 * 1024 * 1024:
        body.append(row % i)
        size += len(body[-1]) + 1
        i += 1
    body.append("]")
    p.write("alembic/versions/bbbb2222_big.py", "\n".join(body) + "\n")
    assert os.path.getsize(p.path("alembic/versions/bbbb2222_big.py")) >= 10 * 1024 * 1024
    expect(p.run(MM, "history"), 0,
           "0001aaaa -> bbbb2222 (head), big data migration\n<base> -> 0001aaaa, step 1\n", "")


def missing_versions_directory(p):
    p.write("alembic.ini", "[alembic]\nscript_location = alembic\n")
    expect(p.run(MM, "history"), 2, "",
           "manage_migrations: error: alembic.ini:1: version location 'alembic/versions' does "
           "not exist in the working tree; create it (mkdir -p alembic/versions) or fix "
           "script_location\n")
    expect(p.run(HEADS), 2, "",
           "migcheck-heads: error: alembic.ini:1: version location 'alembic/versions' does "
           "not exist in the working tree; create it (mkdir -p alembic/versions) or fix "
           "script_location\n")


def symlink_loop_in_recursive_location(p):
    linear(p, 1)
    p.write("alembic.ini", "[alembic]\nscript_location = alembic\nrecursive_version_locations = true\n")
    os.makedirs(p.path("alembic/versions/sub"))
    p.revision("0002aaaa", "0001aaaa")
    os.rename(p.path("alembic/versions/0002aaaa_rev.py"), p.path("alembic/versions/sub/0002aaaa_rev.py"))
    os.symlink("..", p.path("alembic/versions/sub/loop"))
    expect(p.run(MM, "history"), 0,
           "0001aaaa -> 0002aaaa (head), revision 0002aaaa\n<base> -> 0001aaaa, step 1\n",
           "alembic/versions/sub/loop: warning: 'alembic/versions/sub/loop' links to directory "
           "'..', which contains the link itself (a symlink loop); not followed, as Alembic does "
           "not follow directory links: move revisions there into a real folder or list it in "
           "version_locations [symlink-not-followed]\n")


def unreadable_file(p):
    linear(p, 1)
    p.write("alembic/versions/secret.py", "revision = 'x'\ndown_revision = None\n")
    os.chmod(p.path("alembic/versions/secret.py"), 0)
    user = 65534 if os.geteuid() == 0 else None  # root reads anything: run as nobody
    expect(p.run(MM, "history", as_user=user), 1, "<base> -> 0001aaaa (head), step 1\n",
           "alembic/versions/secret.py: error: cannot read: Permission denied [syntax-error]\n")


def fifo_is_not_read(p):
    linear(p, 1)
    os.mkfifo(p.path("alembic/versions/pipe.py"))
    expect(p.run(MM, "heads"), 0, "0001aaaa (head)\n", "")


def malformed_alembic_ini(p):
    p.write("alembic.ini", "[alembic]\nscript_location = alembic\nthis line has no separator\n")
    expect(p.run(MM, "heads"), 2, "",
           "manage_migrations: error: alembic.ini:3: expected 'key = value', found: this line "
           "has no separator\n")


def no_alembic_ini(p):
    expect(p.run(MM, "heads"), 2, "",
           "manage_migrations: error: alembic.ini: not found in the working tree; run in the "
           "project's root, pass -C DIR, or set alembic_ini in config/migcheck.yaml\n")


def bad_flag_is_a_usage_error(p):
    linear(p, 1)
    rc, out, err = p.run(MM, "history", "--frobnicate")
    expect((rc, out, err.splitlines()[0]), 2, "",
           "manage_migrations: error: The following argument was not expected: --frobnicate")
    rc, out, err = p.run(HEADS, "--format", "xml")
    expect((rc, out, err), 2, "",
           "migcheck-heads: error: --format must be text, json or github, not 'xml'\n")
    rc, out, err = p.run(MM)
    assert rc == 2, (rc, out, err)


def graph_problems_fail_history(p):
    p.alembic_ini()
    p.revision("aaaa1111", None)
    p.revision("bbbb2222", "aaaa1112")
    expect(p.run(MM, "history"), 1,
           "<base> -> aaaa1111 (head), revision aaaa1111\n"
           "aaaa1112 -> bbbb2222 (head), revision bbbb2222\n",
           "alembic/versions/bbbb2222_rev.py:6:1: error: down_revision 'aaaa1112' of revision "
           "bbbb2222 is not a known revision (did you mean 'aaaa1111'?); fix the id, or restore "
           "the missing revision file [missing-parent]\n")


def header_cache_sees_every_change(p):
    linear(p, 2)
    old = 1_600_000_000
    for name in os.listdir(p.path("alembic/versions")):
        os.utime(p.path(f"alembic/versions/{name}"), (old, old))
    expect(p.run(MM, "heads"), 0, "0002aaaa (head)\n", "")
    caches = os.listdir(p.path(".test-cache"))
    assert len(caches) == 1 and caches[0].endswith(".headers"), caches
    expect(p.run(MM, "heads"), 0, "0002aaaa (head)\n", "")
    # Same size, same mtime, new content: only the ctime tells, and it must.
    path = p.path("alembic/versions/0002aaaa_rev.py")
    text = open(path).read().replace("revision = '0002aaaa'", "revision = '0002bbbb'")
    with open(path, "w") as f:
        f.write(text)
    os.utime(path, (old, old))
    expect(p.run(MM, "heads"), 0, "0002bbbb (head)\n", "")
    os.remove(path)
    expect(p.run(MM, "heads"), 0, "0001aaaa (head)\n", "")
    # A damaged cache file is ignored, never trusted.
    cache = p.path(".test-cache/" + caches[0])
    with open(cache, "wb") as f:
        f.write(b"migcheck-headers 3\n\xff\xff")
    expect(p.run(MM, "heads"), 0, "0001aaaa (head)\n", "")
    expect(p.run(MM, "heads", env={"MIGCHECK_NO_CACHE": "1"}), 0, "0001aaaa (head)\n", "")


def header_cache_follows_the_folder(p):
    # Enough files that the cache's list is read while the folder is listed,
    # old enough (mtime and ctime) that the cache keeps them all.
    ids = linear(p, 600)
    old = 1_600_000_000
    for name in os.listdir(p.path("alembic/versions")):
        os.utime(p.path(f"alembic/versions/{name}"), (old, old))
    time.sleep(2.1)
    versions = p.path("alembic/versions")

    # Each command, run twice with the cache and once without, prints the
    # same; returns the last command's result.
    def same_as_uncached(*commands):
        for args in commands:
            first = p.run(MM, *args)
            again = p.run(MM, *args)
            fresh = p.run(MM, *args, env={"MIGCHECK_NO_CACHE": "1"})
            assert first == fresh and again == fresh, (args, first, again, fresh)
        return fresh

    every_output = [("heads",), ("history",), ("history", "--verbose"),
                    ("history", "--format", "json"), ("heads", "--format", "json"),
                    ("heads", "--verbose")]
    expect(same_as_uncached(*every_output), 0)
    # A file added, renamed, replaced by a link to another, removed, turned
    # into a FIFO: each differs from what the cache lists.
    p.revision("0601aaaa", ids[-1])
    expect(same_as_uncached(("history",), ("heads",)), 0, "0601aaaa (head)\n", "")
    os.rename(f"{versions}/0050aaaa_rev.py", f"{versions}/0050aaaa_renamed.py")
    rc, out, err = same_as_uncached(("history", "--format", "json"))
    paths = {r["revision"]: r["path"] for r in json.loads(out)["revisions"]}
    assert paths["0050aaaa"] == "alembic/versions/0050aaaa_renamed.py", paths
    os.remove(f"{versions}/0070aaaa_rev.py")
    os.symlink("0069aaaa_rev.py", f"{versions}/0070aaaa_rev.py")
    same_as_uncached(("heads",), ("history",))
    os.remove(f"{versions}/0070aaaa_rev.py")
    os.mkfifo(f"{versions}/0070aaaa_rev.py")
    rc, out, err = same_as_uncached(("heads",), ("history",))
    assert "missing-parent" in err, err
    os.remove(f"{versions}/0090aaaa_rev.py")
    same_as_uncached(*every_output)


if __name__ == "__main__":
    sys.exit(main([
        history_in_alembic_format, history_verbose, history_json, bad_range,
        run_from_subdirectory_and_with_C, several_heads_are_listed_not_failed, one_head_passes,
        severity_from_config, rev_reads_the_commit_not_the_working_tree, rev_outside_git,
        empty_file, python_syntax_error, no_revision_variable, non_utf8_file,
        revision_id_not_a_string, ten_megabyte_file, missing_versions_directory,
        symlink_loop_in_recursive_location, unreadable_file, fifo_is_not_read,
        malformed_alembic_ini, no_alembic_ini, bad_flag_is_a_usage_error,
        graph_problems_fail_history, header_cache_sees_every_change,
        header_cache_follows_the_folder,
    ]))

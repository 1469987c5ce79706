"""migcheck-heads --base REF --refs GLOB: revisions across branches, on real git repositories."""

import json
import os
import subprocess
import sys

from harness import expect, main

HEADS = "migcheck-heads"


def git_out(p, *args):
    return subprocess.run(["git", "-C", p.root, *args], check=True, capture_output=True,
                          text=True).stdout.strip()


def branch(p, name, revisions, start="main", files=None):
    """Creates branch `name` from `start` with revision files (id, down) and other files."""
    p.git("checkout", "-q", "-b", name, start)
    for rev, down in revisions:
        p.revision(rev, down)
    for rel, text in (files or {}).items():
        p.write(rel, text)
    p.git("add", "-A")
    p.git("commit", "-qm", f"branch {name}")
    p.git("checkout", "-q", "main")


def history(p):
    """main: 0001aaaa -> 0002aaaa -> 0003aaaa, with a branch forked at 0002aaaa."""
    p.alembic_ini()
    p.git("init", "-q", "-b", "main")
    p.revision("0001aaaa", None)
    p.revision("0002aaaa", "0001aaaa")
    p.git("add", "-A")
    p.git("commit", "-qm", "two revisions")
    p.git("branch", "merged")  # already in main: adds nothing
    branch(p, "stale", [("0005eeee", "0002aaaa")])
    p.revision("0003aaaa", "0002aaaa")
    p.git("add", "-A")
    p.git("commit", "-qm", "third revision")


PARALLEL_TWO = (
    "alembic/versions/1111bbbb_rev.py:6:1: error: branches 'feature/a' and 'feature/b' add two "
    "different revisions on 0003aaaa: 1111bbbb on 'feature/a' "
    "(alembic/versions/1111bbbb_rev.py:6), 2222cccc on 'feature/b' "
    "(alembic/versions/2222cccc_rev.py:6); the second to merge leaves two heads: rebase it and "
    "set down_revision = '1111bbbb' in alembic/versions/2222cccc_rev.py on 'feature/b' (or "
    "'2222cccc' in alembic/versions/1111bbbb_rev.py on 'feature/a'), or, once both are merged, "
    "write a merge revision: alembic merge -m \"merge heads\" 1111bbbb 2222cccc "
    "[parallel-revisions]\n")

STALE = (
    "alembic/versions/0005eeee_rev.py:6:1: error: on branch 'stale', revision 0005eeee revises "
    "0002aaaa, which 'main' has moved past (its head is 0003aaaa): merged as it is, it adds a "
    "head to 'main'; rebase 'stale' onto 'main' and set down_revision = '0003aaaa' in "
    "alembic/versions/0005eeee_rev.py [stale-parent]\n")


def every_kind_of_branch(p):
    history(p)
    branch(p, "feature/a", [("1111bbbb", "0003aaaa")])
    branch(p, "feature/b", [("2222cccc", "0003aaaa")])
    branch(p, "two-heads", [("4444dddd", "0003aaaa"), ("5555dddd", "4444dddd"),
                            ("6666dddd", "4444dddd")])
    branch(p, "docs", [], files={"README.md": "only documentation\n"})
    branch(p, "typo", [], files={"alembic/versions/7777ffff_rev.py":
                                 "revision = '7777ffff'\ndown_revision = ('0003aaaa'\n"})
    expect(p.run(HEADS, "--base", "main", "--refs", "refs/heads/*"), 1,
           STALE +
           "alembic/versions/1111bbbb_rev.py:6:1: error: branches 'feature/a', 'feature/b' and "
           "'two-heads' add 3 different revisions on 0003aaaa: 1111bbbb on 'feature/a' "
           "(alembic/versions/1111bbbb_rev.py:6), 2222cccc on 'feature/b' "
           "(alembic/versions/2222cccc_rev.py:6), 4444dddd on 'two-heads' "
           "(alembic/versions/4444dddd_rev.py:6); each one merged after the first leaves another "
           "head: rebase each onto the one merged before it, setting the down_revision of its "
           "first new revision to that one's head, or, once all are merged, write a merge "
           "revision: alembic merge -m \"merge heads\" 1111bbbb 2222cccc 5555dddd 6666dddd "
           "[parallel-revisions]\n"
           "alembic/versions/6666dddd_rev.py:5:1: error: on branch 'two-heads', the history has 2 "
           "heads: 5555dddd (alembic/versions/5555dddd_rev.py:5), 6666dddd "
           "(alembic/versions/6666dddd_rev.py:5); write a merge revision: alembic merge -m "
           "\"merge heads\" 5555dddd 6666dddd [branch-multiple-heads]\n"
           "alembic/versions/7777ffff_rev.py:2:17: error: on branch 'typo': invalid Python: '(' "
           "was never closed [syntax-error]\n"
           "7 branches compared with main (3 revisions, head 0003aaaa), 6 new revisions in 4 of "
           "them: 4 errors\n", "")
    # The working tree and the checked-out branch do not matter: only commits are read.
    p.git("checkout", "-q", "two-heads")
    p.write("alembic/versions/9999zzzz_rev.py", "not even python (\n")
    rc, out, err = p.run(HEADS, "--base", "main", "--refs", "refs/heads/*")
    assert rc == 1 and out.endswith("6 new revisions in 4 of them: 4 errors\n") and err == "", out


def two_branches_on_one_parent_in_every_format(p):
    history(p)
    p.git("branch", "-D", "stale", "merged")
    branch(p, "feature/a", [("1111bbbb", "0003aaaa")])
    branch(p, "feature/b", [("2222cccc", "0003aaaa")])
    summary = "2 branches compared with main (3 revisions, head 0003aaaa), 2 new revisions in 2 of them: 1 error\n"
    expect(p.run(HEADS, "--base", "main", "--refs", "refs/heads/feature/*"), 1,
           PARALLEL_TWO + summary, "")

    rc, out, err = p.run(HEADS, "--base", "main", "--refs", "refs/heads/*", "--format", "github")
    expect((rc, out, err), 1,
           "::error file=alembic/versions/1111bbbb_rev.py,line=6,col=1,title=parallel-revisions::"
           + PARALLEL_TWO.split(": error: ", 1)[1].replace(" [parallel-revisions]", ""), "")

    rc, out, err = p.run(HEADS, "--base", "main", "--refs", "refs/heads/*", "--format", "json")
    expect((rc, "", err), 1, "", "")
    doc = json.loads(out)
    main_commit = doc["base"]["commit"]
    assert len(main_commit) == 40, doc
    assert doc["version"] == 1 and doc["ok"] is False, doc
    assert doc["base"] == {"name": "main", "ref": "refs/heads/main", "commit": main_commit,
                           "revisions": 3, "heads": ["0003aaaa"]}, doc
    assert doc["refs"] == ["refs/heads/*"], doc
    assert [(b["name"], b["ref"], b["heads"], b["new_revisions"]) for b in doc["branches"]] == [
        ("feature/a", "refs/heads/feature/a", ["1111bbbb"],
         [{"revision": "1111bbbb", "down_revision": ["0003aaaa"],
           "path": "alembic/versions/1111bbbb_rev.py", "line": 5}]),
        ("feature/b", "refs/heads/feature/b", ["2222cccc"],
         [{"revision": "2222cccc", "down_revision": ["0003aaaa"],
           "path": "alembic/versions/2222cccc_rev.py", "line": 5}]),
    ], doc
    assert [(f["code"], f["file"], f["line"], f["severity"]) for f in doc["findings"]] == [
        ("parallel-revisions", "alembic/versions/1111bbbb_rev.py", 6, "error")], doc


def a_fine_branch_passes(p):
    history(p)
    p.git("branch", "-D", "stale")
    branch(p, "feature/a", [("1111bbbb", "0003aaaa"), ("1112bbbb", "1111bbbb")])
    # A branch stacked on it shares its revisions: no conflict between the two.
    branch(p, "feature/a2", [("1113bbbb", "1112bbbb")], start="feature/a")
    # Editing a revision the base has adds nothing; neither does removing the newest one.
    branch(p, "edit", [], files={"alembic/versions/0002aaaa_rev.py":
                                 "revision = '0002aaaa'\ndown_revision = '0001aaaa'\n# edited\n"})
    p.git("checkout", "-q", "-b", "revert")
    p.git("rm", "-q", "alembic/versions/0003aaaa_rev.py")
    p.git("commit", "-qm", "revert")
    p.git("checkout", "-q", "main")
    expect(p.run(HEADS, "--base", "main", "--refs", "refs/heads/*"), 0,
           "5 branches compared with main (3 revisions, head 0003aaaa), 5 new revisions in 2 of "
           "them: no problems\n", "")
    # Nothing to compare is no failure either.
    expect(p.run(HEADS, "--base", "main", "--refs", "refs/heads/main"), 0,
           "0 branches compared with main (3 revisions, head 0003aaaa), 0 new revisions in 0 of "
           "them: no problems\n", "")


def remote_branches(p):
    history(p)
    branch(p, "feature/a", [("1111bbbb", "0003aaaa")])
    branch(p, "feature/b", [("2222cccc", "0003aaaa")])
    # Remote-tracking refs as a fetch leaves them, without a remote.
    for name, target in [("main", "main"), ("a", "feature/a"), ("b", "feature/b"),
                         ("old", "stale")]:
        p.git("update-ref", f"refs/remotes/origin/{name}", target)
    p.git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main")
    for name in ("feature/a", "feature/b", "stale", "merged"):
        p.git("branch", "-D", name)
    expect(p.run(HEADS, "--base", "origin/main", "--refs", "refs/remotes/origin/*"), 1,
           STALE.replace("'stale'", "'origin/old'").replace("'main'", "'origin/main'") +
           PARALLEL_TWO.replace("'feature/a'", "'origin/a'").replace("'feature/b'", "'origin/b'") +
           "3 branches compared with origin/main (3 revisions, head 0003aaaa), 3 new revisions "
           "in 3 of them: 2 errors\n", "")
    # Several globs; a ref matched twice counts once; a sha as the base excludes nothing.
    sha = git_out(p, "rev-parse", "main")
    rc, out, _ = p.run(HEADS, "--base", sha, "--refs", "refs/remotes/origin/*",
                       "--refs", "refs/remotes/origin/a", "--refs", "refs/heads/*")
    assert rc == 1 and out.endswith(
        f"5 branches compared with {sha} (3 revisions, head 0003aaaa), 3 new revisions in 3 of "
        "them: 2 errors\n"), out


def project_below_the_repository_top(p):
    p.git("init", "-q", "-b", "main")
    p.write("svc/alembic.ini", "[alembic]\nscript_location = db\n"
            "recursive_version_locations = true\n")
    p.write("svc/db/versions/2024/0001aaaa_a.py",
            "revision = '0001aaaa'\ndown_revision = None\n")
    p.write("svc/db/versions/2024/__pycache__/0009aaaa_a.py", "not read\n")
    p.git("add", "-A")
    p.git("commit", "-qm", "one")
    p.git("checkout", "-q", "-b", "feature/x")
    p.write("svc/db/versions/2025/0002bbbb_b.py",
            "revision = '0002bbbb'\ndown_revision = '0001aaaa'\n")
    p.write("svc/db/versions/2025/__pycache__/0008bbbb_b.py", "not read\n")
    p.git("add", "-A")
    p.git("commit", "-qm", "x")
    p.git("checkout", "-q", "-b", "feature/y", "main")
    p.write("svc/db/versions/0003cccc_c.py", "revision = '0003cccc'\ndown_revision = '0001aaaa'\n")
    p.git("rm", "-q", "svc/db/versions/2024/0001aaaa_a.py")  # and it loses the base's revision
    p.git("add", "-A")
    p.git("commit", "-qm", "y")
    p.git("checkout", "-q", "main")
    expect(p.run(HEADS, "-C", p.path("svc"), "--base", "main", "--refs", "refs/heads/*",
                 cwd="/"), 1,
           "db/versions/0003cccc_c.py:2:1: error: on branch 'feature/y': down_revision "
           "'0001aaaa' of revision 0003cccc is not a known revision; fix the id, or restore the "
           "missing revision file [missing-parent]\n"
           "db/versions/2025/0002bbbb_b.py:2:1: error: branches 'feature/x' and 'feature/y' add "
           "two different revisions on 0001aaaa: 0002bbbb on 'feature/x' "
           "(db/versions/2025/0002bbbb_b.py:2), 0003cccc on 'feature/y' "
           "(db/versions/0003cccc_c.py:2); the second to merge leaves two heads: rebase it and "
           "set down_revision = '0002bbbb' in db/versions/0003cccc_c.py on 'feature/y' (or "
           "'0003cccc' in db/versions/2025/0002bbbb_b.py on 'feature/x'), or, once both are "
           "merged, write a merge revision: alembic merge -m \"merge heads\" 0002bbbb 0003cccc "
           "[parallel-revisions]\n"
           "2 branches compared with main (1 revision, head 0001aaaa), 2 new revisions in 2 of "
           "them: 2 errors\n", "")


def nested_version_locations(p):
    # The second location lies inside the first, which is recursive: its
    # files are listed twice, and count once.
    p.git("init", "-q", "-b", "main")
    p.write("alembic.ini", "[alembic]\nscript_location = alembic\n"
            "version_locations = alembic/versions alembic/versions/more\n"
            "recursive_version_locations = true\n")
    p.write("alembic/versions/0001aaaa_rev.py", "revision = '0001aaaa'\ndown_revision = None\n")
    p.write("alembic/versions/more/0002aaaa_rev.py",
            "revision = '0002aaaa'\ndown_revision = '0001aaaa'\n")
    p.git("add", "-A")
    p.git("commit", "-qm", "two revisions")
    branch(p, "feature/x", [], files={"alembic/versions/more/0003bbbb_rev.py":
                                      "revision = '0003bbbb'\ndown_revision = '0002aaaa'\n"})
    branch(p, "feature/y", [], files={
        "alembic/versions/0004cccc_rev.py": "revision = '0004cccc'\ndown_revision = '0002aaaa'\n",
        "alembic/versions/more/0002aaaa_rev.py":
            "revision = '0002aaaa'\ndown_revision = '0001aaaa'\n# edited\n"})
    args = ("--base", "main", "--refs", "refs/heads/*")
    expect(p.run(HEADS, *args), 1,
           "alembic/versions/more/0003bbbb_rev.py:2:1: error: branches 'feature/x' and "
           "'feature/y' add two different revisions on 0002aaaa: 0003bbbb on 'feature/x' "
           "(alembic/versions/more/0003bbbb_rev.py:2), 0004cccc on 'feature/y' "
           "(alembic/versions/0004cccc_rev.py:2); the second to merge leaves two heads: rebase "
           "it and set down_revision = '0003bbbb' in alembic/versions/0004cccc_rev.py on "
           "'feature/y' (or '0004cccc' in alembic/versions/more/0003bbbb_rev.py on "
           "'feature/x'), or, once both are merged, write a merge revision: alembic merge -m "
           "\"merge heads\" 0003bbbb 0004cccc [parallel-revisions]\n"
           "2 branches compared with main (2 revisions, head 0002aaaa), 2 new revisions in 2 of "
           "them: 1 error\n", "")
    rc, out, err = p.run(HEADS, *args, "--format", "json")
    expect((rc, "", err), 1, "", "")
    doc = json.loads(out)
    assert [(b["name"], b["heads"], [r["revision"] for r in b["new_revisions"]])
            for b in doc["branches"]] == [("feature/x", ["0003bbbb"], ["0003bbbb"]),
                                          ("feature/y", ["0004cccc"], ["0004cccc"])], doc
    # A link to nothing in the inner location is named once too.
    p.git("checkout", "-q", "-b", "feature/z", "main")
    os.symlink("nowhere.py", p.path("alembic/versions/more/0009dddd_rev.py"))
    p.git("add", "-A")
    p.git("commit", "-qm", "a link")
    p.git("checkout", "-q", "main")
    rc, out, err = p.run(HEADS, *args)
    assert rc == 1 and err == "" and out.endswith(
        "alembic/versions/more/0009dddd_rev.py: error: on branch 'feature/z': cannot read: the "
        "link points to 'nowhere.py', which is no file in the branch [syntax-error]\n"
        "3 branches compared with main (2 revisions, head 0002aaaa), 2 new revisions in 2 of "
        "them: 2 errors\n"), out


def header_cache_keyed_by_blob(p):
    history(p)
    p.git("branch", "-D", "stale", "merged")
    branch(p, "feature/a", [("1111bbbb", "0003aaaa")])
    branch(p, "feature/b", [("2222cccc", "0003aaaa")])
    branch(p, "typo", [], files={"alembic/versions/7777ffff_rev.py":
                                 "revision = '7777ffff'\ndown_revision = ('0003aaaa'\n"})
    args = ("--base", "main", "--refs", "refs/heads/*")
    typo = ("alembic/versions/7777ffff_rev.py:2:17: error: on branch 'typo': invalid Python: '(' "
            "was never closed [syntax-error]\n")
    first = p.run(HEADS, *args)
    expect(first, 1, PARALLEL_TWO + typo +
           "3 branches compared with main (3 revisions, head 0003aaaa), 2 new revisions in 2 of "
           "them: 2 errors\n", "")
    caches = os.listdir(p.path(".test-cache"))
    assert len(caches) == 1 and caches[0].endswith(".headers"), caches
    cache = p.path(".test-cache/" + caches[0])
    written = os.stat(cache).st_mtime_ns
    # Every blob is in the cache now: the same answer, findings too, and
    # nothing to write.
    assert p.run(HEADS, *args) == first
    assert os.stat(cache).st_mtime_ns == written
    assert p.run(HEADS, *args, env={"MIGCHECK_NO_CACHE": "1"}) == first
    # Another content at the same path is another blob: read, not taken
    # from the cache.
    p.git("checkout", "-q", "feature/b")
    p.revision("2222cccc", "0002aaaa")
    p.git("commit", "-qam", "onto the old parent")
    p.git("checkout", "-q", "main")
    stale_b = (STALE.replace("0005eeee_rev", "2222cccc_rev").replace("0005eeee", "2222cccc")
               .replace("'stale'", "'feature/b'"))
    expect(p.run(HEADS, *args), 1,
           "alembic/versions/2222cccc_rev.py:5:1: error: on branch 'feature/b', the history has "
           "2 heads: 0003aaaa (alembic/versions/0003aaaa_rev.py:5), 2222cccc "
           "(alembic/versions/2222cccc_rev.py:5); write a merge revision: alembic merge -m "
           "\"merge heads\" 0003aaaa 2222cccc [branch-multiple-heads]\n" + stale_b + typo +
           "3 branches compared with main (3 revisions, head 0003aaaa), 2 new revisions in 2 of "
           "them: 3 errors\n", "")
    # A damaged cache is ignored.
    with open(cache, "wb") as f:
        f.write(b"migcheck-headers 5\n\xff\xff")
    assert p.run(HEADS, *args) == p.run(HEADS, *args, env={"MIGCHECK_NO_CACHE": "1"})


def bad_base_refs_and_places(p):
    history(p)
    expect(p.run(HEADS, "--base", "nosuch", "--refs", "refs/heads/*"), 2, "",
           "migcheck-heads: error: --base nosuch: no such branch or commit in this repository\n")
    expect(p.run(HEADS, "--base", "main", "--refs", "origin/*"), 2, "",
           "migcheck-heads: error: --refs origin/*: give a pattern over full reference names, "
           "such as 'refs/heads/*' or 'refs/remotes/origin/*'\n")
    expect(p.run(HEADS, "--base", "main", "--refs", "refs/remotes/origin/*"), 2, "",
           "migcheck-heads: error: --refs refs/remotes/origin/*: matches no reference in this "
           "repository\n")
    expect(p.run(HEADS, "--base", "main"), 2, "",
           "migcheck-heads: error: --base requires --refs\n"
           "Run 'migcheck-heads --help' for usage.\n")
    expect(p.run(HEADS, "--refs", "refs/heads/*"), 2, "",
           "migcheck-heads: error: --refs requires --base\n"
           "Run 'migcheck-heads --help' for usage.\n")
    expect(p.run(HEADS, "--rev", "main", "--base", "main", "--refs", "refs/heads/*"), 2, "",
           "migcheck-heads: error: --rev excludes --base\n"
           "Run 'migcheck-heads --help' for usage.\n")
    expect(p.run(HEADS, "--base", "main", "--refs", "refs/heads/*", "--format", "xml"), 2, "",
           "migcheck-heads: error: --format must be text, json or github, not 'xml'\n")
    # A base whose tree has no alembic.ini, or no version folder.
    p.git("checkout", "-q", "--orphan", "empty")
    p.git("rm", "-rq", "--cached", ".")
    p.git("commit", "-q", "--allow-empty", "-m", "empty")
    p.git("checkout", "-q", "-f", "main")
    expect(p.run(HEADS, "--base", "empty", "--refs", "refs/heads/*"), 2, "",
           "migcheck-heads: error: alembic.ini: not found in commit empty; run in the project's "
           "root, pass -C DIR, or set alembic_ini in config/migcheck.yaml\n")
    os.rename(p.path("alembic/versions"), p.path("alembic/moved"))
    p.git("add", "-A")
    p.git("commit", "-qm", "versions moved")
    expect(p.run(HEADS, "--base", "main", "--refs", "refs/heads/*"), 2, "",
           "migcheck-heads: error: alembic.ini:1: version location 'alembic/versions' does not "
           "exist in commit main\n")


def not_a_repository(p):
    p.alembic_ini()
    p.revision("0001aaaa", None)
    expect(p.run(HEADS, "--base", "main", "--refs", "refs/heads/*"), 2, "",
           f"migcheck-heads: error: {p.root}: not a git repository (or any parent up to /)\n")


if __name__ == "__main__":
    sys.exit(main([
        every_kind_of_branch, two_branches_on_one_parent_in_every_format, a_fine_branch_passes,
        remote_branches, project_below_the_repository_top, nested_version_locations,
        header_cache_keyed_by_blob,
        bad_base_refs_and_places, not_a_repository,
    ]))

"""migcheck-pr: a pull request against its base, on real git repositories."""

import json
import subprocess

from gates_common import add_column_revision, model_with, project, revision_text, schema_with
from harness import expect, main

PR = "migcheck-pr"


def rev_parse(p, rev, short=False):
    args = ["rev-parse", *(["--short=7"] if short else []), rev]
    return subprocess.run(["git", "-C", p.root, *args], check=True, capture_output=True,
                          text=True).stdout.strip()


def commit(p, files, message, remove=()):
    for rel, text in files.items():
        p.write(rel, text)
    for rel in remove:
        p.git("rm", "-q", rel)
    p.git("add", "-A")
    p.git("commit", "-qm", message)


def add_column(p, rev, down, column, length=50):
    commit(p, {"app/models.py": model_with(column, length),
               "config/schema.yaml": schema_with(column, length),
               f"alembic/versions/{rev}_rev.py": add_column_revision(rev, down, column, length)},
           f"add {column}")


def summary(p, head, commits, revisions, result, base="main", extra=""):
    merge_base = subprocess.run(["git", "-C", p.root, "merge-base", base, head], check=True,
                                capture_output=True, text=True).stdout.strip()[:7]
    return (f"migcheck-pr: {head} against {base} (merge base {merge_base}, {commits}, "
            f"{revisions}{extra}): {result}\n")


MERGED = (
    "alembic/versions/0002bbbb_rev.py:8: error: merging into main leaves 2 heads: 0002aaaa "
    "(alembic/versions/0002aaaa_rev.py, on main) and 0002bbbb (alembic/versions/0002bbbb_rev.py, "
    "this pull request); rebase onto main and revise its head: set down_revision = \"0002aaaa\" "
    "in alembic/versions/0002bbbb_rev.py, or write the merge revision: alembic merge -m \"merge "
    "heads\" 0002aaaa 0002bbbb [merged-multiple-heads]\n")


def two_pull_requests_on_one_parent(p):
    project(p)
    p.git("checkout", "-q", "-b", "feature/a")
    add_column(p, "0002aaaa", "0001aaaa", "nickname")
    p.git("checkout", "-q", "-b", "feature/b", "main")
    add_column(p, "0002bbbb", "0001aaaa", "phone", 20)
    # Each alone is fine.
    for head in ("feature/a", "feature/b"):
        expect(p.run(PR, "--base", "main", "--head", head), 0,
               summary(p, head, "1 commit", "1 new revision", "no problems"), "")
    # Once one lands, the other would give main a second head.
    p.git("checkout", "-q", "main")
    p.git("merge", "-q", "--no-ff", "feature/a", "-m", "merge a")
    expect(p.run(PR, "--base", "main", "--head", "feature/b"), 1,
           MERGED + summary(p, "feature/b", "1 commit", "1 new revision", "1 error"), "")

    rc, out, err = p.run(PR, "--base", "main", "--head", "feature/b", "--format", "github")
    expect((rc, out, err), 1,
           "::error file=alembic/versions/0002bbbb_rev.py,line=8,title=merged-multiple-heads::"
           + MERGED.split(": error: ", 1)[1].replace(" [merged-multiple-heads]", ""), "")

    rc, out, err = p.run(PR, "--base", "main", "--head", "feature/b", "--format", "json")
    expect((rc, "", err), 1, "", "")
    doc = json.loads(out)
    assert doc["version"] == 1 and doc["ok"] is False, doc
    assert doc["base"] == {"name": "main", "commit": rev_parse(p, "main")}, doc
    assert doc["head"] == {"name": "feature/b", "commit": rev_parse(p, "feature/b")}, doc
    assert doc["merge_base"] == rev_parse(p, "main~1"), doc
    assert (doc["commits"], doc["new_revisions"], doc["schema_changed"], doc["models_changed"],
            doc["replayed"]) == (1, ["0002bbbb"], True, True, False), doc
    assert [(f["code"], f["file"], f["line"]) for f in doc["findings"]] == [
        ("merged-multiple-heads", "alembic/versions/0002bbbb_rev.py", 8)], doc

    # Rebased onto main's head, it passes.
    p.git("checkout", "-q", "-b", "feature/b2", "main")
    commit(p, {"app/models.py": model_with("nickname") + "    phone = Column(String(20))\n",
               "config/schema.yaml": schema_with("nickname") +
               "      phone: {type: string, length: 20}\n",
               "alembic/versions/0002bbbb_rev.py":
               add_column_revision("0002bbbb", "0002aaaa", "phone", 20)}, "phone, rebased")
    expect(p.run(PR, "--base", "main"), 0,
           summary(p, "HEAD", "1 commit", "1 new revision", "no problems"), "")


def the_whole_range_and_each_commit(p):
    project(p)
    p.git("checkout", "-q", "-b", "feature/c")
    commit(p, {"app/models.py": model_with()}, "the model first")
    first = rev_parse(p, "HEAD", short=True)
    commit(p, {"config/schema.yaml": schema_with(),
               "alembic/versions/0002cccc_rev.py": add_column_revision("0002cccc", "0001aaaa")},
           "then the rest")
    expect(p.run(PR, "--base", "main"), 0,
           summary(p, "HEAD", "2 commits", "1 new revision", "no problems"), "")
    expect(p.run(PR, "--base", "main", "--per-commit"), 1,
           f"app/models.py:12: error: commit {first} (the model first): the models change the "
           "schema (column users.nickname added) but the commit adds no revision under "
           "alembic/versions; write one: manage_migrations generate \"update users\", fill in upgrade() "
           "and downgrade(), and add it in the same commit (git rebase -i joins commits) "
           "[revision-missing]\n"
           f"app/models.py:12: error: commit {first} (the model first): column users.nickname: "
           "declared in app/models.py:12 but not in config/schema.yaml:3; the commit changes the "
           "models' schema, so config/schema.yaml must change with it: make it match the models "
           "and add it in the same commit (git rebase -i joins commits) [schema-yaml-outdated]\n"
           + summary(p, "HEAD", "2 commits", "1 new revision", "2 errors"), "")


def the_rules_over_the_whole_pull_request(p):
    project(p)
    p.git("checkout", "-q", "-b", "feature/model")
    commit(p, {"app/models.py": model_with()}, "a model alone")
    rc, out, err = p.run(PR, "--base", "main")
    assert rc == 1 and err == "" and out.splitlines()[0] == (
        "app/models.py:12: error: the models change the schema (column users.nickname added) but "
        "this pull request adds no revision under alembic/versions; write one: manage_migrations generate "
        "\"update users\", fill in upgrade() and downgrade(), and push it to this pull request "
        "[revision-missing]"), out


def history_is_append_only(p):
    project(p)
    merge_base = rev_parse(p, "main", short=True)
    p.git("checkout", "-q", "-b", "feature/reword")
    old = open(p.path("alembic/versions/0001aaaa_rev.py")).read()
    commit(p, {"alembic/versions/0001aaaa_rev.py": old.replace("revision 0001aaaa", "users")},
           "reword")
    expect(p.run(PR, "--base", "main"), 1,
           "alembic/versions/0001aaaa_rev.py:8: error: revision 0001aaaa exists in the merge base "
           f"{merge_base} and this pull request changes it; databases that ran it will not run it "
           "again: undo the change and write a new revision instead (manage_migrations generate \"...\") "
           "[revision-modified]\n"
           + summary(p, "HEAD", "1 commit", "0 new revisions", "1 error"), "")
    p.git("checkout", "-q", "-b", "feature/drop", "main")
    commit(p, {}, "drop", remove=["alembic/versions/0001aaaa_rev.py"])
    rc, out, err = p.run(PR, "--base", "main")
    assert rc == 1 and err == "" and (
        "alembic/versions/0001aaaa_rev.py: error: revision 0001aaaa exists in the merge base "
        f"{merge_base} and this pull request removes it;") in out, out


def the_scratch_replay(p):
    project(p)
    p.git("checkout", "-q", "-b", "feature/data")
    commit(p, {"alembic/versions/0002eeee_rev.py": revision_text(
        "0002eeee", "0001aaaa", '    op.execute("UPDATE no_such_table SET x = 1")\n',
        extra="# migcheck: data-only\n")}, "a data fix")
    expect(p.run(PR, "--base", "main"), 0,
           summary(p, "HEAD", "1 commit", "1 new revision", "no problems"), "")
    expect(p.run(PR, "--base", "main", "--replay"), 1,
           "alembic/versions/0002eeee_rev.py:16:5: error: upgrade of revision 0002eeee failed on "
           "SQLite: no such table: no_such_table; the statement was: UPDATE no_such_table SET x = "
           "1 [replay-failed]\n"
           + summary(p, "HEAD", "1 commit", "1 new revision", "1 error",
                     extra=", replayed on SQLite"), "")


def the_head_history_as_a_whole(p):
    # A problem already on main is reported too: the job checks the head's
    # whole history, not only what the pull request touches.
    project(p)
    old = open(p.path("alembic/versions/0001aaaa_rev.py")).read()
    commit(p, {"alembic/versions/0001aaaa_rev.py": old.replace('"email", sa.String(length=255)',
                                                               '"email", sa.String(length=200)')},
           "drift on main")
    p.git("checkout", "-q", "-b", "feature/docs")
    commit(p, {"README.md": "docs\n"}, "docs")
    rc, out, err = p.run(PR, "--base", "main")
    assert rc == 1 and err == "" and "[migration-type]" in out and \
        "String(255) in config/schema.yaml:6 but String(200)" in out, out


def bad_references(p):
    project(p)
    expect(p.run(PR, "--base", "nope"), 2, "",
           "migcheck-pr: error: --base nope: no such branch or commit in this repository\n")
    expect(p.run(PR, "--base", "main", "--head", "nope"), 2, "",
           "migcheck-pr: error: --head nope: no such branch or commit in this repository\n")
    rc, out, err = p.run(PR)
    assert rc == 2 and out == "" and err.startswith("migcheck-pr: error: --base is required"), err
    # Two histories that share no commit.
    p.git("checkout", "-q", "--orphan", "other")
    p.git("commit", "-qm", "unrelated", "--allow-empty")
    expect(p.run(PR, "--base", "main"), 2, "",
           "migcheck-pr: error: --base main and --head HEAD share no history; a shallow clone cuts "
           "it: fetch the whole history (git fetch --unshallow, or fetch-depth: 0)\n")


if __name__ == "__main__":
    raise SystemExit(main([
        two_pull_requests_on_one_parent, the_whole_range_and_each_commit,
        the_rules_over_the_whole_pull_request, history_is_append_only, the_scratch_replay,
        the_head_history_as_a_whole, bad_references]))

"""migcheck-staged: the index against HEAD, on real git repositories."""

import json
import os
import subprocess

from gates_common import (CREATE, MODELS, SCHEMA, add_column_revision, model_with, project,
                          revision_text, schema_with)
from harness import expect, main

STAGED = "migcheck-staged"
STOPPED = "; the commit is stopped (git commit --no-verify commits anyway)\n"

MODEL_ONLY = (
    "app/models.py:12: error: the models change the schema (column users.nickname added) but "
    "the staged change adds no revision under alembic/versions; write one: manage_migrations generate "
    "\"update users\", fill in upgrade() and downgrade(), and stage it [revision-missing]\n"
    "app/models.py:12: error: column users.nickname: declared in app/models.py:12 but not in "
    "config/schema.yaml:3; the staged change changes the models' schema, so config/schema.yaml "
    "must change with it: make it match the models and stage it [schema-yaml-outdated]\n"
    "migcheck-staged: 2 errors" + STOPPED)

SCHEMA_WITHOUT_REVISION = (
    "alembic/versions/0001aaaa_rev.py:15: error: column users.nickname: declared in "
    "config/schema.yaml:7 but not in alembic/versions/0001aaaa_rev.py:15; write the migration "
    "that makes them agree (manage_migrations generate \"update users.nickname\"), or correct "
    "config/schema.yaml [migration-column-missing]\n"
    "config/schema.yaml:7: error: config/schema.yaml changes the schema (column users.nickname "
    "added) but the staged change adds no revision under alembic/versions; write one: manage_migrations "
    "generate \"update users\", fill in upgrade() and downgrade(), and stage it "
    "[revision-missing]\n"
    "migcheck-staged: 2 errors" + STOPPED)


INVOICES = '''from sqlalchemy import Column, Integer
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Invoice(Base):
    __tablename__ = "invoices"

    id = Column(Integer, primary_key=True)
'''


def stage(p, files):
    for rel, text in files.items():
        p.write(rel, text)
    p.git("add", "-A")


def consistent_change(p):
    return {"app/models.py": model_with(), "config/schema.yaml": schema_with(),
            "alembic/versions/0002bbbb_rev.py": add_column_revision("0002bbbb", "0001aaaa")}


def first_commit(p):
    project(p, commit=False)
    expect(p.run(STAGED), 0, "", "")
    # The same files without their revision: the schema needs one.
    p.git("rm", "-q", "--cached", "alembic/versions/0001aaaa_rev.py")
    expect(p.run(STAGED), 1,
           "config/schema.yaml:3: error: config/schema.yaml changes the schema (table users added) "
           "but the staged change adds no revision under alembic/versions; write one: manage_migrations "
           "generate \"update users\", fill in upgrade() and downgrade(), and stage it "
           "[revision-missing]\n"
           "migcheck-staged: 1 error" + STOPPED, "")


def model_edit_without_schema_yaml(p):
    project(p)
    stage(p, {"app/models.py": model_with()})
    expect(p.run(STAGED), 1, MODEL_ONLY, "")


def schema_yaml_edit_without_revision(p):
    project(p)
    stage(p, {"app/models.py": model_with(), "config/schema.yaml": schema_with()})
    expect(p.run(STAGED), 1, SCHEMA_WITHOUT_REVISION, "")


def model_schema_and_revision_together(p):
    project(p)
    stage(p, consistent_change(p))
    expect(p.run(STAGED), 0, "", "")
    rc, out, err = p.run(STAGED, "--format", "json")
    expect((rc, "", err), 0, "", "")
    doc = json.loads(out)
    assert doc == {"version": 1, "ok": True, "findings": [], "schema_changed": True,
                   "models_changed": True, "new_revisions": ["0002bbbb"],
                   "staged": {"files": 3, "models": ["app/models.py"],
                              "revisions": ["alembic/versions/0002bbbb_rev.py"],
                              "schema": True, "config": False}}, doc


def a_revision_that_does_not_build_the_schema(p):
    project(p)
    change = consistent_change(p)
    change["alembic/versions/0002bbbb_rev.py"] = add_column_revision("0002bbbb", "0001aaaa",
                                                                     length=40)
    stage(p, change)
    expect(p.run(STAGED), 1,
           "alembic/versions/0002bbbb_rev.py:15: error: column users.nickname: type String(50) "
           "in config/schema.yaml:7 but String(40) in alembic/versions/0002bbbb_rev.py:15; write "
           "the migration that makes them agree (manage_migrations generate \"update users.nickname\"), "
           "or correct config/schema.yaml [migration-type]\n"
           "migcheck-staged: 1 error" + STOPPED, "")


def changes_that_leave_the_schema_alone(p):
    project(p)
    # Comments and a method in the models, key order and layout in schema.yaml.
    stage(p, {
        "app/models.py": MODELS.replace("class User", "# People who sign in.\nclass User")
        + "\n    def __repr__(self):\n        return self.email\n",
        "config/schema.yaml": SCHEMA.replace(
            "id: {type: integer, primary_key: true}",
            "id:\n        primary_key: true   # the key\n        type: integer"),
        "README.md": "users\n"})
    expect(p.run(STAGED), 0, "", "")
    # Nothing the rules look at: not even read.
    p.git("commit", "-qm", "comments")
    stage(p, {"README.md": "users and more\n"})
    expect(p.run(STAGED), 0, "", "")


def data_only_revisions(p):
    project(p)
    data = '    op.execute("UPDATE users SET email = lower(email)")\n'
    stage(p, {"alembic/versions/0002bbbb_rev.py": revision_text("0002bbbb", "0001aaaa", data)})
    expect(p.run(STAGED), 1,
           "alembic/versions/0002bbbb_rev.py:8: error: revision 0002bbbb is new but "
           "config/schema.yaml declares the same schema as HEAD; if the revision only moves data, "
           "add a `# migcheck: data-only` comment to it; if it changes the schema, change "
           "config/schema.yaml to match and stage it [revision-without-schema-change]\n"
           "migcheck-staged: 1 error" + STOPPED, "")
    stage(p, {"alembic/versions/0002bbbb_rev.py": revision_text(
        "0002bbbb", "0001aaaa", data, extra="# migcheck: data-only\n")})
    expect(p.run(STAGED), 0, "", "")


def old_revisions_modified_or_deleted(p):
    project(p)
    old = revision_text("0001aaaa", None, CREATE, '    op.drop_table("users")\n')
    stage(p, {"alembic/versions/0001aaaa_rev.py": old.replace("revision 0001aaaa", "users")})
    expect(p.run(STAGED), 0,
           "alembic/versions/0001aaaa_rev.py:8: warning: revision 0001aaaa exists in HEAD and the "
           "staged change changes it; databases that ran it will not run it again: undo the "
           "change and write a new revision instead (manage_migrations generate \"...\") "
           "[revision-modified]\n"
           "migcheck-staged: 1 warning\n", "")
    p.git("reset", "-q", "--hard")
    p.git("rm", "-q", "alembic/versions/0001aaaa_rev.py")
    expect(p.run(STAGED), 0,
           "alembic/versions/0001aaaa_rev.py: warning: revision 0001aaaa exists in HEAD and the "
           "staged change removes it; databases that ran it still record it in alembic_version: "
           "restore alembic/versions/0001aaaa_rev.py, and undo its changes with a new revision "
           "instead [revision-deleted]\n"
           "migcheck-staged: 1 warning\n", "")
    # The severity is the project's to choose.
    p.git("reset", "-q", "--hard")
    p.write("config/migcheck.yaml", "rules:\n  revision-deleted: error\n")
    p.git("add", "config/migcheck.yaml")
    p.git("commit", "-qm", "stricter")
    p.git("rm", "-q", "alembic/versions/0001aaaa_rev.py")
    rc, out, err = p.run(STAGED)
    assert rc == 1 and "error: revision 0001aaaa exists in HEAD" in out, out


def renames_are_not_changes(p):
    project(p)
    os.makedirs(p.path("app/db"), exist_ok=True)
    p.git("mv", "app/models.py", "app/db/models.py")
    p.git("mv", "alembic/versions/0001aaaa_rev.py", "alembic/versions/0001aaaa_create_users.py")
    expect(p.run(STAGED), 0, "", "")


def heads_and_parents(p):
    project(p)
    marked = "# migcheck: data-only\n"
    stage(p, {"alembic/versions/0002bbbb_rev.py":
              revision_text("0002bbbb", "0000zzzz", extra=marked)})
    expect(p.run(STAGED), 1,
           "alembic/versions/0002bbbb_rev.py:8:1: error: the history has 2 heads: 0001aaaa "
           "(alembic/versions/0001aaaa_rev.py:8), 0002bbbb (alembic/versions/0002bbbb_rev.py:8); "
           "write a merge revision: alembic merge -m \"merge heads\" 0001aaaa 0002bbbb "
           "[multiple-heads]\n"
           "alembic/versions/0002bbbb_rev.py:9:1: error: down_revision '0000zzzz' of revision "
           "0002bbbb is not a known revision; fix the id, or restore the missing revision file "
           "[missing-parent]\n"
           "migcheck-staged: 2 errors" + STOPPED, "")
    p.git("reset", "-q", "--hard")
    stage(p, {"alembic/versions/0002bbbb_rev.py": revision_text("0002bbbb", "0001aaaa",
                                                                extra=marked),
              "alembic/versions/0003cccc_rev.py": revision_text("0003cccc", "0001aaaa",
                                                                extra=marked)})
    expect(p.run(STAGED), 1,
           "alembic/versions/0003cccc_rev.py:8:1: error: the history has 2 heads: 0002bbbb "
           "(alembic/versions/0002bbbb_rev.py:8), 0003cccc (alembic/versions/0003cccc_rev.py:8); "
           "write a merge revision: alembic merge -m \"merge heads\" 0002bbbb 0003cccc "
           "[multiple-heads]\n"
           "migcheck-staged: 1 error" + STOPPED, "")


def only_the_staged_content_counts(p):
    project(p)
    # Staged: the model alone. The working tree has the rest, unstaged.
    stage(p, {"app/models.py": model_with()})
    for rel, text in consistent_change(p).items():
        p.write(rel, text)
    expect(p.run(STAGED), 1, MODEL_ONLY, "")
    # Staged: all three. The working tree then breaks the model again.
    p.git("add", "-A")
    p.write("app/models.py", MODELS + "    broken = Column(\n")
    expect(p.run(STAGED), 0, "", "")


def detached_head_and_a_temporary_index(p):
    project(p)
    p.git("checkout", "-q", "--detach")
    stage(p, {"app/models.py": model_with()})
    expect(p.run(STAGED), 1, MODEL_ONLY, "")
    # `git commit -a` hands the hook a temporary index in GIT_INDEX_FILE.
    p.git("reset", "-q", "--hard")
    index = p.path(".git/index.commit-a")
    env = {**os.environ, "GIT_INDEX_FILE": index}
    subprocess.run(["git", "-C", p.root, "read-tree", "HEAD"], env=env, check=True)
    p.write("app/models.py", model_with())
    subprocess.run(["git", "-C", p.root, "add", "app/models.py"], env=env, check=True)
    expect(p.run(STAGED), 0, "", "")  # the repository's own index is clean
    expect(p.run(STAGED, env={"GIT_INDEX_FILE": index}), 1, MODEL_ONLY, "")


def a_project_in_a_subfolder(p):
    project(p, commit=False)
    subprocess.run(["rm", "-rf", p.path(".git")], check=True)
    os.makedirs(p.path("service"))
    for name in ("alembic.ini", "alembic", "app", "config"):
        os.rename(p.path(name), p.path(f"service/{name}"))
    p.git("init", "-q", "-b", "main")
    p.git("add", "-A")
    p.git("commit", "-qm", "service")
    stage(p, {"service/app/models.py": model_with()})
    # A hook runs at the top of the working tree: -C names the project there.
    expect(p.run(STAGED, "-C", "service"), 1, MODEL_ONLY, "")
    expect(p.run(STAGED, cwd=p.path("service/app")), 1, MODEL_ONLY, "")


def outside_a_repository(p):
    expect(p.run(STAGED), 2, "",
           f"migcheck-staged: error: {p.root}: not a git repository (or any parent up to /)\n")


def a_staged_schema_yaml_that_does_not_load(p):
    project(p)
    stage(p, {"config/schema.yaml": SCHEMA + "      name: {type: strng}\n"})
    expect(p.run(STAGED), 2, "",
           "migcheck-staged: error: config/schema.yaml:7:20: unknown type 'strng' (did you mean "
           "'string'?)\n")


def github_format(p):
    project(p)
    stage(p, {"app/models.py": model_with()})
    rc, out, err = p.run(STAGED, "--format", "github")
    expect((rc, "", err), 1, "", "")
    lines = out.splitlines()
    assert [line.split("::")[1] for line in lines] == [
        "error file=app/models.py,line=12,title=revision-missing",
        "error file=app/models.py,line=12,title=schema-yaml-outdated"], lines


def the_caches_change_no_result(p):
    # Commit after commit, each check warms the cache for the next one, whose
    # history then replays from its parent's result: the outputs must be
    # those of a run that derives everything afresh.
    project(p, commit=False)
    fresh = {"MIGCHECK_NO_CACHE": "1"}
    steps = [
        {"app/models.py": model_with(), "config/schema.yaml": schema_with(),
         "alembic/versions/0002bbbb_rev.py": add_column_revision("0002bbbb", "0001aaaa")},
        {"app/models.py": model_with() + "    phone = Column(String(20))\n",
         "config/schema.yaml": schema_with() + "      phone: {type: string, length: 20}\n",
         "alembic/versions/0003cccc_rev.py":
         add_column_revision("0003cccc", "0002bbbb", "phone", 30)},
        # A model file in a new folder, then gone again: the model files are
        # HEAD's (kept for its tree) with the change applied.
        {"shop/models/billing.py": INVOICES},
        {"shop/models/billing.py": None},
        # An old revision changed, then one deleted: HEAD's history is the
        # one kept for its tree, with these files read again.
        {"alembic/versions/0002bbbb_rev.py":
         add_column_revision("0002bbbb", "0001aaaa", length=60)},
        {"alembic/versions/0003cccc_rev.py": None},
    ]
    outputs = []
    for step in [{}] + steps:
        for rel in [rel for rel, text in step.items() if text is None]:
            os.remove(p.path(rel))
        stage(p, {rel: text for rel, text in step.items() if text is not None})
        cached = p.run(STAGED)
        assert cached == p.run(STAGED), cached  # a warm run says the same
        assert cached == p.run(STAGED, env=fresh), (cached, p.run(STAGED, env=fresh))
        outputs.append(cached)
        p.git("commit", "-qm", "step", "--no-verify")
    assert [rc for rc, _, _ in outputs] == [0, 0, 1, 1, 1, 1, 1], outputs
    assert "[revision-modified]" in outputs[5][1], outputs
    assert "revision 0003cccc exists in HEAD and the staged change removes it" in outputs[6][1], \
        outputs
    assert "[migration-type]" in outputs[2][1], outputs
    assert "table invoices: declared in shop/models/billing.py:" in outputs[3][1], outputs
    assert "table invoices removed" in outputs[4][1], outputs
    assert os.listdir(p.path(".test-cache/derived")), "nothing was cached"


if __name__ == "__main__":
    raise SystemExit(main([
        first_commit, model_edit_without_schema_yaml, schema_yaml_edit_without_revision,
        model_schema_and_revision_together, a_revision_that_does_not_build_the_schema,
        changes_that_leave_the_schema_alone, data_only_revisions,
        old_revisions_modified_or_deleted, renames_are_not_changes, heads_and_parents,
        only_the_staged_content_counts, detached_head_and_a_temporary_index,
        a_project_in_a_subfolder, outside_a_repository, a_staged_schema_yaml_that_does_not_load,
        github_format, the_caches_change_no_result]))

"""manage_migrations validate: the models against config/schema.yaml, on real
projects."""

import json
import os
import shutil
import sys

from harness import expect, main

MM = "manage_migrations"
HERE = os.path.dirname(os.path.abspath(__file__))
MARIAN = os.path.join(HERE, "..", "..", "examples", "marian")

SCHEMA = """\
version: 1
tables:
  users:
    columns:
      id:      {type: integer, primary_key: true}
      email:   {type: string, length: 255, nullable: false, unique: true}
      role:    {type: string, length: 20, nullable: false, server_default: "'viewer'"}
      team_id: {type: integer, foreign_key: {references: teams.id}}
    indexes:
      - {name: ix_users_role, columns: [role]}
  teams:
    columns:
      id:   {type: integer, primary_key: true}
      name: {type: string, length: 100, nullable: false}
"""

MODELS = """\
from sqlalchemy import Column, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Team(Base):
    __tablename__ = "teams"

    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (Index("ix_users_role", "role"),)

    id = Column(Integer, primary_key=True)
    email = Column(String(255), nullable=False, unique=True)
    role = Column(String(20), nullable=False, server_default=text("'viewer'"))
    team_id = Column(Integer, ForeignKey("teams.id"))
"""

# project() writes alembic.ini with an empty versions folder: the models are
# compared, and the summary says the history was not.
NO_REVISIONS = "; the migration history has no revisions yet, so it was not compared"
AGREE = ("validate: 2 tables, 6 columns: the models (1 file) and config/schema.yaml agree" +
         NO_REVISIONS + "\n")


def project(p, schema=SCHEMA, models=MODELS, alembic=True):
    if alembic:
        p.alembic_ini()
    p.write("config/schema.yaml", schema)
    p.write("app/models.py", models)


def fix(subject, change="change the model or config/schema.yaml so that they agree"):
    return (f"; {change}, then write the migration: manage_migrations generate "
            f"\"update {subject}\"")


def differs(findings, errors):
    return "".join(findings) + (
        "validate: 2 tables, 6 columns: the models (1 file) and config/schema.yaml differ: "
        f"{errors} error{'s' if errors != 1 else ''}" + NO_REVISIONS + "\n")


def agreement(p):
    project(p)
    expect(p.run(MM, "validate"), 0, AGREE, "")
    expect(p.run(MM, "-C", p.path("app"), "validate", cwd="/"), 0, AGREE, "")


def without_a_migration_history(p):
    project(p, alembic=False)
    expect(p.run(MM, "validate"), 0,
           "validate: 2 tables, 6 columns: the models (1 file) and config/schema.yaml agree; "
           "no alembic.ini, so no migration history was compared\n", "")


def missing_table(p):
    project(p, models=MODELS.replace(
        'class Team(Base):\n    __tablename__ = "teams"\n\n'
        '    id = Column(Integer, primary_key=True)\n'
        '    name = Column(String(100), nullable=False)\n', "pass\n"))
    expect(p.run(MM, "validate"), 1, differs([
        "config/schema.yaml:11: error: table teams: declared in config/schema.yaml:11 but not "
        "in the models" + fix("teams", "declare a model for it, or remove it from "
                              "config/schema.yaml") + " [model-table-missing]\n"], 1), "")


def extra_table(p):
    project(p, models=MODELS + '\n\nclass Tag(Base):\n    __tablename__ = "tags"\n\n'
             '    id = Column(Integer, primary_key=True)\n')
    expect(p.run(MM, "validate"), 1, differs([
        "app/models.py:24: error: table tags: declared in app/models.py:24 but not in "
        "config/schema.yaml" + fix("tags", "declare it in config/schema.yaml, or remove the "
                                   "model") + " [model-table-extra]\n"], 1), "")


def extra_column(p):
    project(p, models=MODELS + "    nickname = Column(String(50))\n")
    expect(p.run(MM, "validate"), 1, differs([
        "app/models.py:22: error: column users.nickname: declared in app/models.py:22 but not "
        "in config/schema.yaml:3" + fix("users.nickname", "declare it in config/schema.yaml, "
                                        "or remove it from the model") +
        " [model-column-extra]\n"], 1), "")


def missing_column(p):
    project(p, models=MODELS.replace("    name = Column(String(100), nullable=False)\n", ""))
    expect(p.run(MM, "validate"), 1, differs([
        "app/models.py:7: error: column teams.name: declared in config/schema.yaml:14 but not "
        "in app/models.py:7" + fix("teams.name", "add the column to the model, or remove it "
                                   "from config/schema.yaml") + " [model-column-missing]\n"],
        1), "")


def type_differs(p):
    project(p, schema=SCHEMA.replace("length: 255", "length: 200"))
    expect(p.run(MM, "validate"), 1, differs([
        "app/models.py:19: error: column users.email: type String(200) in "
        "config/schema.yaml:6 but String(255) in app/models.py:19" + fix("users.email") +
        " [model-type]\n"], 1), "")


def nullable_differs(p):
    project(p, models=MODELS.replace("Column(String(100), nullable=False)",
                                     "Column(String(100))"))
    expect(p.run(MM, "validate"), 1, differs([
        "app/models.py:11: error: column teams.name: NOT NULL in config/schema.yaml:14 but "
        "nullable in app/models.py:11" + fix("teams.name") + " [model-nullable]\n"], 1), "")


def foreign_key_differs(p):
    project(p, models=MODELS.replace('Column(Integer, ForeignKey("teams.id"))',
                                     "Column(Integer)"))
    expect(p.run(MM, "validate"), 1, differs([
        "app/models.py:14: error: column users.team_id: foreign key to teams.id in "
        "config/schema.yaml:8 but not in app/models.py:14" + fix("users.team_id") +
        " [model-foreign-key]\n"], 1), "")


def index_differs(p):
    project(p, schema=SCHEMA.replace("    indexes:\n      - {name: ix_users_role, "
                                     "columns: [role]}\n", ""))
    expect(p.run(MM, "validate"), 1, differs([
        "app/models.py:16: error: column users.role: index ix_users_role (role) in "
        "app/models.py:16 but not in config/schema.yaml:3" + fix("users.role") +
        " [model-index]\n"], 1), "")


def unique_differs(p):
    project(p, models=MODELS.replace("nullable=False, unique=True", "nullable=False"))
    expect(p.run(MM, "validate"), 1, differs([
        "app/models.py:14: error: column users.email: unique constraint (email) in "
        "config/schema.yaml:6 but not in app/models.py:14" + fix("users.email") +
        " [model-unique]\n"], 1), "")


def server_default_differs(p):
    project(p, models=MODELS.replace("text(\"'viewer'\")", "text(\"'admin'\")"))
    expect(p.run(MM, "validate"), 1, differs([
        "app/models.py:20: error: column users.role: server default 'viewer' in "
        "config/schema.yaml:7 but 'admin' in app/models.py:20" + fix("users.role") +
        " [model-server-default]\n"], 1), "")


def severity_from_config(p):
    project(p, models=MODELS.replace("text(\"'viewer'\")", "text(\"'admin'\")"))
    p.write("config/migcheck.yaml", "rules:\n  model-server-default: warning\n")
    rc, out, err = p.run(MM, "validate")
    expect((rc, out.splitlines()[-1], err), 0,
           "validate: 2 tables, 6 columns: the models (1 file) and config/schema.yaml agree "
           "(1 warning)" + NO_REVISIONS, "")
    p.write("config/migcheck.yaml", "rules:\n  model-server-default: off\n")
    expect(p.run(MM, "validate"), 0, AGREE, "")


def bad_schema_yaml(p):
    project(p, schema=SCHEMA.replace("type: integer, primary_key", "type: integr, primary_key", 1))
    expect(p.run(MM, "validate"), 2, "",
           "manage_migrations: error: config/schema.yaml:5:23: unknown type 'integr' (did you "
           "mean 'integer'?)\n")
    p.write("config/schema.yaml", "version: 1\ntables: [unclosed\n")
    expect(p.run(MM, "validate"), 2, "",
           "manage_migrations: error: config/schema.yaml:3:1: invalid YAML: end of sequence "
           "flow not found\n")


def missing_schema_yaml(p):
    project(p)
    os.remove(p.path("config/schema.yaml"))
    expect(p.run(MM, "validate"), 2, "",
           "manage_migrations: error: config/schema.yaml: not found in the working tree; "
           "declare the schema there (see docs/schema-yaml.md), or point `schema:` in "
           "config/migcheck.yaml at it\n")


def no_models_matched(p):
    project(p)
    os.remove(p.path("app/models.py"))
    p.write("app/tables.py", MODELS)
    expect(p.run(MM, "validate"), 1,
           "config/migcheck.yaml: error: no model files in the working tree match the models "
           "globs \"**/models.py\", \"**/models/**/*.py\" (the default); list the globs of the "
           "model files under `models:` in config/migcheck.yaml [no-models]\n"
           "validate: 2 tables, 6 columns: the models (0 files) and config/schema.yaml: "
           "1 error" + NO_REVISIONS + "\n", "")
    p.write("config/migcheck.yaml", "models: [\"db/*.py\"]\n")
    expect(p.run(MM, "validate"), 1,
           "config/migcheck.yaml: error: no model files in the working tree match the models "
           "glob \"db/*.py\" (models in config/migcheck.yaml); list the globs of the model "
           "files under `models:` in config/migcheck.yaml [no-models]\n"
           "validate: 2 tables, 6 columns: the models (0 files) and config/schema.yaml: "
           "1 error" + NO_REVISIONS + "\n", "")
    p.write("config/migcheck.yaml", "models: [\"app/*.py\"]\n")
    expect(p.run(MM, "validate"), 0, AGREE, "")


def skips_virtual_envs_and_git_ignored_files(p):
    project(p)
    broken = "class Broken(Base):\n    __tablename__ = 'broken'\n    id = Column(Integer, primary_key=True)\n"
    p.write(".venv/lib/python3.11/site-packages/pkg/models.py", MODELS + broken)
    p.write("node_modules/x/models.py", MODELS + broken)
    p.write("build/lib/app/models.py", MODELS + broken)
    p.write(".gitignore", "/build/\n")
    expect(p.run(MM, "validate"), 1)  # outside git, build/ is read
    p.git("init", "-q")
    expect(p.run(MM, "validate"), 0, AGREE, "")


def project_in_a_folder_its_repository_ignores(p):
    p.write(".gitignore", "/scratch/\n")
    p.git("init", "-q")
    p.write("scratch/proj/config/schema.yaml", SCHEMA)
    p.write("scratch/proj/app/models.py", MODELS)
    p.write("scratch/proj/alembic.ini", "[alembic]\nscript_location = alembic\n")
    expect(p.run(MM, "validate", cwd=p.path("scratch/proj")), 0,
           AGREE.replace(NO_REVISIONS, "; no migration history was compared: alembic.ini:1: version "
                         "location 'alembic/versions' does not exist in the working tree; create "
                         "it (mkdir -p alembic/versions) or fix script_location"), "")


def reader_warnings_and_unchecked_columns(p):
    project(p, models=MODELS.replace("email = Column(String(255), nullable=False, unique=True)",
                                     "email = Column(make_type(), nullable=False, unique=True)"))
    rc, out, err = p.run(MM, "validate")
    expect((rc, out, err), 0, None, "")
    lines = out.splitlines()
    assert "[models-not-understood]" in lines[0], out
    assert lines[-2] == ("note: not compared, as the models reader could not read them: "
                         "users.email"), out
    assert lines[-1].endswith("agree (1 warning)" + NO_REVISIONS), out


def syntax_error_in_a_model(p):
    project(p, models=MODELS + "def broken(:\n")
    rc, out, err = p.run(MM, "validate")
    expect((rc, out, err), 1, None, "")
    assert "[syntax-error]" in out, out
    assert out.splitlines()[-1].startswith("validate: 2 tables, 6 columns: the models (1 file) "
                                           "and config/schema.yaml"), out


def marian_validates_clean(p):
    shutil.rmtree(p.root)
    shutil.copytree(MARIAN, p.root)
    expect(p.run(MM, "validate"), 0,
           "validate: 5 tables, 42 columns: the models (6 files), the migrations (6 revisions) "
           "and config/schema.yaml agree\n", "")


def json_format(p):
    project(p, schema=SCHEMA.replace("length: 255", "length: 200"))
    rc, out, err = p.run(MM, "validate", "--format", "json")
    expect((rc, "", err), 1, "", "")
    doc = json.loads(out)
    assert doc["version"] == 1 and doc["ok"] is False, doc
    assert doc["compared"] == ["models"], doc
    assert doc["schema"] == {"file": "config/schema.yaml", "tables": 2, "columns": 6}, doc
    assert doc["models"]["files"] == ["app/models.py"], doc
    assert doc["models"]["differences"] == [{
        "kind": "type", "code": "model-type", "table": "users", "column": "email", "name": "",
        "expected": "String(200)", "actual": "String(255)",
        "expected_at": {"file": "config/schema.yaml", "line": 6},
        "actual_at": {"file": "app/models.py", "line": 19}, "note": ""}], doc
    assert [(f["code"], f["file"], f["line"]) for f in doc["findings"]] == [
        ("model-type", "app/models.py", 19)], doc
    project(p)
    rc, out, err = p.run(MM, "validate", "--format", "json")
    doc = json.loads(out)
    assert rc == 0 and doc["ok"] is True and doc["findings"] == [], doc


def github_format(p):
    project(p, schema=SCHEMA.replace("length: 255", "length: 200"))
    expect(p.run(MM, "validate", "--format", "github"), 1,
           "::error file=app/models.py,line=19,title=model-type::column users.email: type "
           "String(200) in config/schema.yaml:6 but String(255) in app/models.py:19"
           + fix("users.email") + "\n", "")
    expect(p.run(MM, "validate", "--format", "xml"), 2, "",
           "manage_migrations: error: --format must be text, json or github, not 'xml'\n")


if __name__ == "__main__":
    sys.exit(main([
        agreement, without_a_migration_history, missing_table, extra_table, extra_column,
        missing_column, type_differs, nullable_differs, foreign_key_differs, index_differs,
        unique_differs, server_default_differs, severity_from_config, bad_schema_yaml,
        missing_schema_yaml, no_models_matched, skips_virtual_envs_and_git_ignored_files,
        project_in_a_folder_its_repository_ignores, reader_warnings_and_unchecked_columns, syntax_error_in_a_model, marian_validates_clean,
        json_format, github_format,
    ]))

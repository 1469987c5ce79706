"""A small consistent project in a git repository, for the gate tools."""

MODELS = '''from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    email = Column(String(255), nullable=False)
'''

SCHEMA = '''version: 1
tables:
  users:
    columns:
      id: {type: integer, primary_key: true}
      email: {type: string, length: 255, nullable: false}
'''

CREATE = '''    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
'''


def revision_text(rev, down, upgrade="    pass\n", downgrade="    pass\n", extra=""):
    down_text = repr(down) if not isinstance(down, list) else repr(tuple(down))
    return (f'"""revision {rev}\n\nRevision ID: {rev}\n"""\n'
            "from alembic import op\nimport sqlalchemy as sa\n\n"
            f"revision = {rev!r}\ndown_revision = {down_text}\n"
            f"branch_labels = None\ndepends_on = None\n{extra}\n\n"
            f"def upgrade():\n{upgrade}\n\ndef downgrade():\n{downgrade}")


def add_column_revision(rev, down, column="nickname", length=50, extra=""):
    return revision_text(
        rev, down,
        f'    op.add_column("users", sa.Column("{column}", sa.String(length={length}), '
        "nullable=True))\n",
        f'    op.drop_column("users", "{column}")\n', extra)


def model_with(column="nickname", length=50):
    return MODELS + f"    {column} = Column(String({length}))\n"


def schema_with(column="nickname", length=50):
    return SCHEMA + f"      {column}: {{type: string, length: {length}}}\n"


def project(p, commit=True):
    """main: the users table, declared in the models, schema.yaml and one revision."""
    p.alembic_ini()
    p.write(".gitignore", ".test-cache/\n")
    p.write("app/models.py", MODELS)
    p.write("config/schema.yaml", SCHEMA)
    p.write("alembic/versions/0001aaaa_rev.py",
            revision_text("0001aaaa", None, CREATE, '    op.drop_table("users")\n'))
    p.git("init", "-q", "-b", "main")
    p.git("add", "-A")
    if commit:
        p.git("commit", "-qm", "users")

#include "test_models_support.hpp"

#include "migcheck/schema/schema.hpp"

using namespace models_test;
using migcheck::schema::render_type;
using migcheck::schema::TypeKind;

TEST_CASE("1.4 declarative classes: columns, types, keys and nullability") {
    ModelsResult r = read_clean(R"(import sqlalchemy as sa
from sqlalchemy import Column, Integer, String, ForeignKey
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Organization(Base):
    __tablename__ = "organizations"
    id = Column(Integer, primary_key=True)
    name = Column(String(200), nullable=False, unique=True)


class User(Base):
    __tablename__ = 'users'
    id = sa.Column(sa.Integer, primary_key=True)
    email = sa.Column("email_address", sa.String(length=255), nullable=False, index=True)
    bio = sa.Column(sa.UnicodeText)
    nick = sa.Column(sa.Unicode(50), comment="shown name")
    active = sa.Column(sa.Boolean, nullable=False, server_default=sa.text("1"))
    role = sa.Column(sa.String(20), server_default="viewer")
    created = sa.Column(sa.DateTime(timezone=True), server_default=sa.func.now())
    updated = sa.Column(sa.DateTime, server_default=sa.func.current_timestamp(), onupdate=sa.func.now())
    balance = sa.Column(sa.Numeric(12, 2), default=0)
    ratio = sa.Column(sa.Float)
    born = sa.Column(sa.Date)
    wakes = sa.Column(sa.Time(timezone=False))
    big = sa.Column(sa.BigInteger, autoincrement=False)
    small = sa.Column(sa.SmallInteger)
    data = sa.Column(sa.JSON)
    blob = sa.Column(sa.LargeBinary(1024))
    status = sa.Column(sa.Enum("active", "suspended", name="user_status"), nullable=False)
    org_id = Column(ForeignKey("organizations.id", ondelete="CASCADE", name="fk_org"), nullable=False)
    org = relationship("Organization", backref="users")

    @property
    def display(self):
        return self.nick or self.email

    def greet(self):
        return "hi"
)");
    REQUIRE(r.schema.tables.size() == 2);
    CHECK(r.schema.tables[0].name == "organizations");
    CHECK(r.schema.tables[0].where.line == 8);
    const auto& users = table(r, "users");
    CHECK(users.columns.size() == 18);
    CHECK(column(r, "organizations", "name").unique);
    CHECK_FALSE(column(r, "organizations", "name").nullable);
    const auto& id = column(r, "users", "id");
    CHECK(id.primary_key);
    CHECK_FALSE(id.nullable);
    CHECK(id.where == migcheck::schema::Location{"app/models.py", 16});
    const auto& email = column(r, "users", "email_address");
    CHECK(render_type(email.type) == "String(255)");
    CHECK(email.index);
    CHECK_FALSE(email.nullable);
    CHECK(users.find_column("email") == nullptr);
    CHECK(column(r, "users", "bio").type.kind == TypeKind::text);
    CHECK(render_type(column(r, "users", "nick").type) == "String(50)");
    CHECK(column(r, "users", "nick").comment == "shown name");
    CHECK(column(r, "users", "nick").nullable);
    CHECK(column(r, "users", "active").server_default == "1");
    CHECK(column(r, "users", "role").server_default == "'viewer'");
    CHECK(column(r, "users", "created").server_default == "now()");
    CHECK(render_type(column(r, "users", "created").type) == "DateTime(timezone=True)");
    CHECK(column(r, "users", "updated").server_default == "CURRENT_TIMESTAMP");
    CHECK(render_type(column(r, "users", "balance").type) == "Numeric(12, 2)");
    CHECK_FALSE(column(r, "users", "balance").server_default.has_value());
    CHECK(column(r, "users", "ratio").type.kind == TypeKind::float_);
    CHECK(column(r, "users", "born").type.kind == TypeKind::date);
    CHECK(column(r, "users", "wakes").type.kind == TypeKind::time);
    CHECK(column(r, "users", "big").autoincrement == false);
    CHECK(column(r, "users", "small").type.kind == TypeKind::smallinteger);
    CHECK(column(r, "users", "data").type.kind == TypeKind::json);
    CHECK(render_type(column(r, "users", "blob").type) == "LargeBinary(1024)");
    CHECK(render_type(column(r, "users", "status").type) ==
          "Enum('active', 'suspended', name='user_status')");
    const auto& org = column(r, "users", "org_id");
    REQUIRE(org.foreign_key.has_value());
    CHECK(org.foreign_key->table == "organizations");
    CHECK(org.foreign_key->column == "id");
    CHECK(org.foreign_key->on_delete == "CASCADE");
    CHECK(org.foreign_key->name == "fk_org");
    // A column without a type takes the type of the column it refers to.
    CHECK(org.type.kind == TypeKind::integer);
}

TEST_CASE("__table_args__ as a tuple, a dict, and a tuple ending in a dict") {
    ModelsResult r = read_clean(R"(from sqlalchemy import (Column, Integer, String, Index, UniqueConstraint,
    ForeignKeyConstraint, PrimaryKeyConstraint, CheckConstraint)
from sqlalchemy.ext.declarative import declarative_base

Base = declarative_base()


class A(Base):
    __tablename__ = "a"
    __table_args__ = {"comment": "the a table", "sqlite_autoincrement": True}
    id = Column(Integer, primary_key=True)


class B(Base):
    __tablename__ = "b"
    x = Column(Integer)
    y = Column(Integer, nullable=True)
    a_id = Column(Integer)
    code = Column(String(10))
    __table_args__ = (
        PrimaryKeyConstraint("x", "y", name="pk_b"),
        ForeignKeyConstraint(["a_id"], ["a.id"], ondelete="SET NULL", onupdate="CASCADE", name="fk_b_a"),
        UniqueConstraint("code", "a_id", name="uq_b_code"),
        Index("ix_b_code", "code", unique=True),
        Index("ix_b_xy", "x", "y"),
        CheckConstraint("x > 0"),
        {"comment": "composite"},
    )
)");
    CHECK(table(r, "a").comment == "the a table");
    const auto& b = table(r, "b");
    CHECK(b.comment == "composite");
    REQUIRE(b.primary_key.has_value());
    CHECK(b.primary_key->name == "pk_b");
    CHECK(b.primary_key_columns() == V{"x", "y"});
    CHECK_FALSE(column(r, "b", "x").nullable);  // a key column is NOT NULL...
    CHECK(column(r, "b", "y").nullable);        // ...unless nullable= says otherwise
    REQUIRE(b.foreign_keys.size() == 1);
    CHECK(b.foreign_keys[0].name == "fk_b_a");
    CHECK(b.foreign_keys[0].columns == V{"a_id"});
    CHECK(b.foreign_keys[0].referred_table == "a");
    CHECK(b.foreign_keys[0].referred_columns == V{"id"});
    CHECK(b.foreign_keys[0].on_delete == "SET NULL");
    CHECK(b.foreign_keys[0].on_update == "CASCADE");
    REQUIRE(b.unique_constraints.size() == 1);
    CHECK(b.unique_constraints[0].name == "uq_b_code");
    CHECK(b.unique_constraints[0].columns == V{"code", "a_id"});
    REQUIRE(b.indexes.size() == 2);
    CHECK(b.indexes[0].name == "ix_b_code");
    CHECK(b.indexes[0].unique);
    CHECK(b.indexes[1].columns == V{"x", "y"});
    CHECK(b.indexes[1].where.line == 25);
}

TEST_CASE("Table() objects and module-level indexes") {
    ModelsResult r = read_clean(R"(import sqlalchemy
from sqlalchemy import MetaData, Table, Column, Integer, ForeignKey, Index

metadata = MetaData()

user_roles = Table(
    "user_roles",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True),
    Column("role_id", Integer, ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True),
    sqlalchemy.Column("note", sqlalchemy.types.String(40), server_default=""),
    Index("ix_user_roles_role", "role_id"),
    comment="who has which role",
)
Index("ix_user_roles_note", user_roles.c.note)
)");
    const auto& t = table(r, "user_roles");
    CHECK(t.where.line == 6);
    CHECK(t.comment == "who has which role");
    CHECK(t.primary_key_columns() == V{"user_id", "role_id"});
    CHECK(column(r, "user_roles", "role_id").foreign_key->on_delete == "CASCADE");
    CHECK(render_type(column(r, "user_roles", "note").type) == "String(40)");
    CHECK(column(r, "user_roles", "note").server_default == "''");
    REQUIRE(t.indexes.size() == 2);
    CHECK(t.indexes[1].name == "ix_user_roles_note");
    CHECK(t.indexes[1].columns == V{"note"});
}

TEST_CASE("import aliases, sqlalchemy.types and dialect types") {
    ModelsResult r = read_clean(R"(import sqlalchemy as db_
import sqlalchemy.types
from sqlalchemy import Column as Col, String as Str
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import JSONB as PgJson
from sqlalchemy.orm import declarative_base

Model = declarative_base()


class Doc(Model):
    __tablename__ = "docs"
    id = Col(postgresql.UUID(as_uuid=True), primary_key=True)
    title = Col(Str(80))
    body = Col(sqlalchemy.types.Text)
    meta = Col(PgJson)
    raw = Col(postgresql.BYTEA)
    kind = Col(db_.Enum("a", "b", name="doc_kind"))
    at = Col(postgresql.TIMESTAMP(timezone=True))
)");
    CHECK(column(r, "docs", "id").type.kind == TypeKind::uuid);
    CHECK(render_type(column(r, "docs", "title").type) == "String(80)");
    CHECK(column(r, "docs", "body").type.kind == TypeKind::text);
    CHECK(column(r, "docs", "meta").type.kind == TypeKind::json);
    CHECK(column(r, "docs", "raw").type.kind == TypeKind::binary);
    CHECK(column(r, "docs", "kind").type.enum_name == "doc_kind");
    CHECK(column(r, "docs", "at").type.timezone);
}

TEST_CASE("Enum of a Python Enum class stores member names, named after the class") {
    ModelsResult r = read_clean({SourceFile{"app/enums.py", R"(import enum


class Status(str, enum.Enum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
)"},
                                 SourceFile{"app/models.py", R"(import sqlalchemy as sa
from sqlalchemy.orm import declarative_base
from .enums import Status

Base = declarative_base()


class Account(Base):
    __tablename__ = "accounts"
    id = sa.Column(sa.Integer, primary_key=True)
    status = sa.Column(sa.Enum(Status), nullable=False)
    other = sa.Column(sa.Enum(Status, name="other_status"))
)"}});
    const auto& status = column(r, "accounts", "status");
    CHECK(status.type.enum_values == V{"ACTIVE", "SUSPENDED"});
    CHECK(status.type.enum_name == "status");
    CHECK(column(r, "accounts", "other").type.enum_name == "other_status");
}

TEST_CASE("a file that does not parse is an error, and the others are read") {
    ModelsResult r = migcheck::models::read_models(
        {SourceFile{"app/bad.py", "class X(:\n    pass\n"},
         SourceFile{"app/good.py", R"(from sqlalchemy import Column, Integer
from sqlalchemy.orm import declarative_base
Base = declarative_base()
class T(Base):
    __tablename__ = "t"
    id = Column(Integer, primary_key=True)
)"}});
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].severity == migcheck::Severity::error);
    CHECK(r.findings[0].code == "syntax-error");
    CHECK(r.findings[0].line == 1);
    CHECK(r.findings[0].column == 8);
    CHECK(report(r) == "app/bad.py:1: syntax-error: invalid Python: '(' was never closed\n");
    CHECK(r.schema.find_table("t") != nullptr);
}

TEST_CASE("Enum(*CONSTANT) takes the values of a module-level tuple of strings") {
    ModelsResult r = read_clean(R"(import sqlalchemy as sa
from sqlalchemy.orm import declarative_base

Base = declarative_base()
STATUSES = ("queued", "running")
STATUSES = ("queued", "running", "done")


class Job(Base):
    __tablename__ = "jobs"
    id = sa.Column(sa.Integer, primary_key=True)
    status = sa.Column(sa.Enum(*STATUSES, name="job_status"), nullable=False)
)");
    const auto& status = column(r, "jobs", "status");
    CHECK(status.type.enum_values == std::vector<std::string>{"queued", "running", "done"});
    CHECK(status.type.enum_name == "job_status");
    ModelsResult computed = read_one(R"(import sqlalchemy as sa
from sqlalchemy.orm import declarative_base

Base = declarative_base()
STATUSES = tuple(s.value for s in Status)


class Job(Base):
    __tablename__ = "jobs"
    id = sa.Column(sa.Integer, primary_key=True)
    status = sa.Column(sa.Enum(*STATUSES, name="job_status"))
)");
    CHECK(computed.unchecked.count({"jobs", "status"}) == 1);
}

#include "test_models_support.hpp"

#include "migcheck/schema/schema.hpp"

using namespace models_test;
using migcheck::schema::render_type;
using migcheck::schema::TypeKind;

TEST_CASE("Flask-SQLAlchemy: db.Model, db.Column, db.Table and derived table names") {
    ModelsResult r = read_clean({SourceFile{"app/extensions.py", R"(from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
)"},
                                 SourceFile{"app/models.py", R"(from .extensions import db

user_roles = db.Table(
    "user_roles",
    db.Column("user_id", db.Integer, db.ForeignKey("user.id"), primary_key=True),
    db.Column("role_id", db.Integer, db.ForeignKey("user_role.id"), primary_key=True),
)


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(120), unique=True, nullable=False)
    created = db.Column(db.DateTime, server_default=db.func.now())
    roles = db.relationship("UserRole", secondary=user_roles)


class UserRole(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(40))


class HTTPLogEntry(db.Model):
    __tablename__ = "http_log"
    id = db.Column(db.Integer, primary_key=True)


class APIKey2Owner(db.Model):
    id = db.Column(db.Integer, primary_key=True)
)"}});
    REQUIRE(r.schema.tables.size() == 5);
    CHECK(r.schema.tables[0].name == "user_roles");
    CHECK(r.schema.tables[1].name == "user");
    CHECK(r.schema.tables[2].name == "user_role");
    CHECK(r.schema.tables[3].name == "http_log");
    CHECK(r.schema.tables[4].name == "api_key2_owner");
    CHECK(column(r, "user", "email").unique);
    CHECK(column(r, "user", "created").server_default == "now()");
    CHECK(column(r, "user_roles", "role_id").foreign_key->table == "user_role");
}

TEST_CASE("Flask-SQLAlchemy imported from outside the models, and single-table inheritance") {
    ModelsResult r = read_clean(R"(from app import db


class Employee(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(20))
    __mapper_args__ = {"polymorphic_on": kind}


class Manager(Employee):
    reports = db.Column(db.Integer)


class Engineer(Employee):
    id = db.Column(db.Integer, db.ForeignKey("employee.id"), primary_key=True)
    language = db.Column(db.String(30))
)");
    REQUIRE(r.schema.tables.size() == 2);
    CHECK(table(r, "employee").columns.size() == 3);
    CHECK(column(r, "employee", "reports").type.kind == TypeKind::integer);
    CHECK(table(r, "engineer").columns.size() == 2);
}

TEST_CASE("mixins across files, abstract bases, declared_attr columns and inherited table args") {
    ModelsResult r = read_clean({SourceFile{"pkg/base.py", R"(from sqlalchemy.orm import declarative_base
Base = declarative_base()
)"},
                                 SourceFile{"pkg/mixins.py", R"(from sqlalchemy import Column, DateTime, ForeignKey, Integer, func
from sqlalchemy.orm import declared_attr


class IdMixin:
    id = Column(Integer, primary_key=True)


class AuditMixin(IdMixin):
    created_at = Column(DateTime, nullable=False, server_default=func.now())

    @declared_attr
    def created_by(cls):
        return Column(Integer, ForeignKey("users.id"))

    @declared_attr
    def creator(cls):
        return relationship("User")
)"},
                                 SourceFile{"pkg/models.py", R"(from sqlalchemy import Column, String, Index
from .base import Base
from .mixins import AuditMixin
from . import mixins


class Named(Base):
    __abstract__ = True
    name = Column(String(50), nullable=False)
    __table_args__ = (Index("ix_named", "name"),)


class User(mixins.IdMixin, Base):
    __tablename__ = "users"


class Project(AuditMixin, Named):
    __tablename__ = "projects"
    name = Column(String(80))
)"}});
    CHECK(table(r, "users").columns.size() == 1);
    CHECK(column(r, "users", "id").where == migcheck::schema::Location{"pkg/mixins.py", 6});
    const auto& p = table(r, "projects");
    CHECK(p.columns.size() == 4);
    CHECK(render_type(column(r, "projects", "name").type) == "String(80)");
    CHECK(column(r, "projects", "name").where.file == "pkg/models.py");
    CHECK(column(r, "projects", "created_by").foreign_key->table == "users");
    CHECK(column(r, "projects", "created_by").where.line == 13);
    REQUIRE(p.indexes.size() == 1);
    CHECK(p.indexes[0].name == "ix_named");
    CHECK(r.schema.find_table("named") == nullptr);
}

TEST_CASE("other declarative bases: registry().generate_base() and as_declarative") {
    ModelsResult r = read_clean(R"(from sqlalchemy import Column, Integer
from sqlalchemy.orm import registry, as_declarative

mapper_registry = registry()
Base = mapper_registry.generate_base()


@as_declarative()
class Other:
    id = Column(Integer, primary_key=True)


class A(Base):
    __tablename__ = "a"
    id = Column(Integer, primary_key=True)


class B(Other):
    __tablename__ = "b"
)");
    CHECK(r.schema.tables.size() == 2);
    CHECK(table(r, "b").columns.size() == 1);
}

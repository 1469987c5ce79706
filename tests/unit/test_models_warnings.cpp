#include "test_models_support.hpp"

using namespace models_test;
using migcheck::Severity;

namespace {

using Pairs = std::set<std::pair<std::string, std::string>>;

const char* const header = R"(import sqlalchemy as sa
from sqlalchemy.orm import declarative_base, Mapped, mapped_column
from myproject.types import ImageType
from flask_login import UserMixin
from otherlib import MagicMixin

Base = declarative_base()
)";

}  // namespace

TEST_CASE("what the reader cannot read is a warning, and the column or table is unchecked") {
    ModelsResult r = read_one(std::string(header) + R"(

class User(UserMixin, Base):
    __tablename__ = "users"
    id = sa.Column(sa.Integer, primary_key=True)
    avatar = sa.Column(ImageType(size=64))
    kind = sa.Column(sa.Interval)
    flag = sa.Column(sa.Boolean, nullable=is_prod)
    name = sa.Column(sa.String(LENGTH))
    when = sa.Column(sa.DateTime, server_default=sa.func.date("now", "utc"))
    color = sa.Column(sa.Enum(Colour))
    ref = sa.Column(sa.Integer, sa.ForeignKey(target()))
    untyped = sa.Column()
    data: Mapped[dict] = mapped_column()
    weird = sa.Column(sa.Integer, frobnicate=True)


class Dynamic(Base):
    __tablename__ = "dyn_" + "amic"
    id = sa.Column(sa.Integer, primary_key=True)


class Magic(MagicMixin, Base):
    __tablename__ = "magic"
    id = sa.Column(sa.Integer, primary_key=True)
    __table_args__ = (sa.Index("ix_magic_lower", sa.func.lower("id")), make_constraint())


class Args(Base):
    __tablename__ = "args"
    id = sa.Column(sa.Integer, primary_key=True)
    __table_args__ = build_args()


class Declared(Base):
    __tablename__ = "declared"
    id = sa.Column(sa.Integer, primary_key=True)

    @sa.orm.declared_attr
    def computed(cls):
        if cls.__name__ == "X":
            return sa.Column(sa.Integer)
        return sa.Column(sa.String)


class NoName(Base):
    id = sa.Column(sa.Integer, primary_key=True)


class Twice(Base):
    __tablename__ = "args"
    id = sa.Column(sa.Integer, primary_key=True)


dynamic_table = sa.Table(table_name(), Base.metadata, sa.Column("id", sa.Integer))
)");
    for (const auto& f : r.findings) {
        CHECK(f.severity == Severity::warning);
    }
    CHECK(report(r) ==
          "app/models.py:13: models-not-understood: cannot read column `users.avatar`: its type `ImageType(...)` is not a SQLAlchemy type migcheck knows; the column is not checked\n"
          "app/models.py:14: models-not-understood: cannot read column `users.kind`: its type `sa.Interval` is not a SQLAlchemy type migcheck knows; the column is not checked\n"
          "app/models.py:15: models-not-understood: cannot read column `users.flag`: nullable= is not True or False; the column is not checked\n"
          "app/models.py:16: models-not-understood: cannot read column `users.name`: its type `sa.String(...)`: `length` is not an integer literal; the column is not checked\n"
          "app/models.py:17: models-not-understood: cannot read column `users.when`: server_default `sa.func.date(...)` is not a string, text(), or a func call without arguments; the column is not checked\n"
          "app/models.py:18: models-not-understood: cannot read column `users.color`: its type `sa.Enum(...)`: `Colour` is not a string or an Enum class of the models files; the column is not checked\n"
          "app/models.py:19: models-not-understood: cannot read column `users.ref`: ForeignKey target `target()` is not a \"table.column\" literal; the column is not checked\n"
          "app/models.py:20: models-not-understood: cannot read column `users.untyped`: it has no type; the column is not checked\n"
          "app/models.py:21: models-not-understood: cannot read column `users.data`: its type cannot be inferred: `dict` is not in SQLAlchemy's default type_annotation_map; give mapped_column() a type; the column is not checked\n"
          "app/models.py:22: models-not-understood: cannot read column `users.weird`: keyword frobnicate= is not one migcheck knows; the column is not checked\n"
          "app/models.py:26: models-not-understood: cannot read the table name of class `Dynamic`: `__tablename__` is computed, not a string literal; the class is not checked\n"
          "app/models.py:30: models-not-understood: class `Magic` derives from `MagicMixin`, which is not in the models files; columns it may add are not checked\n"
          "app/models.py:33: models-not-understood: cannot read `sa.Index(...)` of table `magic`: `sa.func.lower(...)` is not a column name (an expression index?); the table's constraints are not checked\n"
          "app/models.py:33: models-not-understood: cannot read `make_constraint()` of table `magic`: it is not an Index or a constraint migcheck knows; the table's constraints are not checked\n"
          "app/models.py:39: models-not-understood: cannot read `__table_args__` of table `args`: it is not a tuple or dict literal; the table's constraints are not checked\n"
          "app/models.py:47: models-not-understood: cannot read the declared_attr `computed` of class `Declared`: it is not one `return Column(...)`; the column is not checked\n"
          "app/models.py:53: models-not-understood: class `NoName` is mapped but has no `__tablename__` or `__table__`; it is not checked\n"
          "app/models.py:57: models-not-understood: table `args` is declared twice (first at app/models.py:36); the first one is kept\n"
          "app/models.py:62: models-not-understood: cannot read the name of `sa.Table(...)`: it is not a string literal; the table is not checked\n");
    // A class without a readable table name has no table to mark.
    CHECK(r.unchecked == Pairs{{"args", ""},
                               {"declared", "computed"},
                               {"magic", ""},
                               {"users", "avatar"},
                               {"users", "color"},
                               {"users", "data"},
                               {"users", "flag"},
                               {"users", "kind"},
                               {"users", "name"},
                               {"users", "ref"},
                               {"users", "untyped"},
                               {"users", "weird"},
                               {"users", "when"}});
    // What was read is kept: the readable columns and the first `args`.
    CHECK(table(r, "users").find_column("id") != nullptr);
    CHECK(table(r, "args").where.line == 36);
}

TEST_CASE("quiet: relationships, properties, defaults, hybrid properties and known harmless bases") {
    read_clean(std::string(header) + R"(
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import relationship, column_property


class User(UserMixin, Base):
    __tablename__ = "users"
    __mapper_args__ = {"eager_defaults": True}
    id = sa.Column(sa.Integer, primary_key=True, default=None)
    first = sa.Column(sa.String(20), default="x", onupdate="y", doc="first name")
    upper = column_property(sa.func.upper(first))
    posts = relationship("Post")

    @hybrid_property
    def name(self):
        return self.first

    @property
    def label(self):
        return sa.Column(sa.Integer)  # not mapped: a plain property
)");
}

TEST_CASE("a ForeignKey without a type whose target is unknown") {
    ModelsResult r = read_one(std::string(header) + R"(

class Post(Base):
    __tablename__ = "posts"
    id = sa.Column(sa.Integer, primary_key=True)
    author_id = sa.Column(sa.ForeignKey("authors.id"))
)");
    CHECK(report(r) ==
          "app/models.py:13: models-not-understood: cannot read column `posts.author_id`: it has no "
          "type and its ForeignKey target `authors.id` is not a column migcheck read; the column is "
          "not checked\n");
    CHECK(r.unchecked == Pairs{{"posts", "author_id"}});
}

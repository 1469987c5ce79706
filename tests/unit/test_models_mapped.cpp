#include "test_models_support.hpp"

#include "migcheck/schema/schema.hpp"

using namespace models_test;
using migcheck::schema::render_type;
using migcheck::schema::TypeKind;

TEST_CASE("2.0 Mapped/mapped_column: types from annotations and Optional nullability") {
    ModelsResult r = read_clean(R"(from __future__ import annotations

import datetime
import decimal
import uuid
from typing import List, Optional, Union

from sqlalchemy import ForeignKey, String, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    nick: Mapped[Optional[str]]
    bio: Mapped[str | None] = mapped_column(String(500))
    age: Mapped[Union[int, None]]
    active: Mapped[bool] = mapped_column(server_default="1")
    score: Mapped[float]
    money: Mapped[decimal.Decimal]
    token: Mapped[uuid.UUID]
    raw: Mapped[bytes]
    born: Mapped[datetime.date]
    created: Mapped[datetime.datetime] = mapped_column(server_default=func.now())
    forced: Mapped[Optional[int]] = mapped_column(nullable=False)
    addresses: Mapped[List["Address"]] = relationship(back_populates="user")


class Address(Base):
    __tablename__ = "addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    owner_id = mapped_column(ForeignKey("users.id"))
    user: Mapped["User"] = relationship(back_populates="addresses")
    other: Mapped[User]
)");
    CHECK(column(r, "users", "id").type.kind == TypeKind::integer);
    CHECK_FALSE(column(r, "users", "id").nullable);
    CHECK(render_type(column(r, "users", "name").type) == "String(50)");
    CHECK_FALSE(column(r, "users", "name").nullable);
    CHECK(render_type(column(r, "users", "nick").type) == "String");
    CHECK(column(r, "users", "nick").nullable);
    CHECK(column(r, "users", "bio").nullable);
    CHECK(column(r, "users", "age").nullable);
    CHECK(column(r, "users", "active").type.kind == TypeKind::boolean);
    CHECK(column(r, "users", "active").server_default == "'1'");
    CHECK(column(r, "users", "score").type.kind == TypeKind::float_);
    CHECK(column(r, "users", "money").type.kind == TypeKind::numeric);
    CHECK(column(r, "users", "token").type.kind == TypeKind::uuid);
    CHECK(column(r, "users", "raw").type.kind == TypeKind::binary);
    CHECK(column(r, "users", "born").type.kind == TypeKind::date);
    CHECK(column(r, "users", "created").type.kind == TypeKind::datetime);
    CHECK_FALSE(column(r, "users", "forced").nullable);
    CHECK(table(r, "users").find_column("addresses") == nullptr);
    CHECK(table(r, "users").columns.size() == 13);
    CHECK(column(r, "addresses", "user_id").foreign_key->table == "users");
    CHECK_FALSE(column(r, "addresses", "user_id").nullable);
    // No annotation: Column's rule, and the type of the referred column.
    CHECK(column(r, "addresses", "owner_id").nullable);
    CHECK(column(r, "addresses", "owner_id").type.kind == TypeKind::integer);
    CHECK(table(r, "addresses").columns.size() == 3);
}

TEST_CASE("2.0: from-imported datetime, Enum annotations and the base's type_annotation_map") {
    ModelsResult r = read_clean(R"(import enum
from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    type_annotation_map = {str: sa.String(255), datetime: sa.DateTime(timezone=True)}


class Color(enum.Enum):
    RED = 1
    GREEN = 2


class Thing(Base):
    __tablename__ = "things"
    id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    label: Mapped[str]
    at: Mapped[Optional[datetime]]
    color: Mapped[Color]
)");
    CHECK(column(r, "things", "id").type.kind == TypeKind::biginteger);
    CHECK(render_type(column(r, "things", "label").type) == "String(255)");
    CHECK(column(r, "things", "at").type.timezone);
    CHECK(column(r, "things", "at").nullable);
    CHECK(column(r, "things", "color").type.enum_values == V{"RED", "GREEN"});
    CHECK(column(r, "things", "color").type.enum_name == "color");
}

TEST_CASE("2.0: a mixin with Mapped columns and a declared_attr table name") {
    ModelsResult r = read_clean(R"(from sqlalchemy import func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, declared_attr
import datetime as dt


class Base(DeclarativeBase):
    pass


class Timestamps:
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())

    @declared_attr.directive
    def __tablename__(cls) -> str:
        return cls.__name__.lower()


class Invoice(Timestamps, Base):
    id: Mapped[int] = mapped_column(primary_key=True)
)");
    const auto& t = table(r, "invoice");
    REQUIRE(t.columns.size() == 2);
    CHECK(t.columns[0].name == "id");
    CHECK(t.columns[1].name == "created_at");
    CHECK(t.columns[1].where.line == 11);
    CHECK(column(r, "invoice", "created_at").server_default == "now()");
}

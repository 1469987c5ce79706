from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    text,
)
from sqlalchemy.orm import relationship

from app.models.base import Base


class Organization(Base):
    __tablename__ = "organizations"
    __table_args__ = (
        # Slugs appear in URLs and are looked up on every request.
        Index("ix_organizations_slug", "slug", unique=True),
    )

    id = Column(Integer, primary_key=True)
    name = Column(String(200), nullable=False, unique=True)
    slug = Column(String(100), nullable=False)
    # Billing decides the plan; the application, not the database, picks the
    # starting one so that it can change without a migration.
    plan = Column(String(20), nullable=False, default="community")
    created_at = Column(
        DateTime(timezone=True),
        nullable=False,
        server_default=text("CURRENT_TIMESTAMP"),
    )

    users = relationship(
        "User", back_populates="organization", cascade="all, delete-orphan"
    )
    api_keys = relationship(
        "ApiKey", back_populates="organization", cascade="all, delete-orphan"
    )

    def __repr__(self):
        return f"<Organization {self.slug}>"


class ApiKey(Base):
    __tablename__ = "api_keys"

    id = Column(Integer, primary_key=True)
    organization_id = Column(
        Integer,
        ForeignKey("organizations.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    name = Column(String(100), nullable=False)
    # The first characters of the key, shown in the UI so that users can tell
    # their keys apart; only the hash of the whole key is stored.
    key_prefix = Column(String(12), nullable=False)
    key_hash = Column(String(128), nullable=False, unique=True)
    created_at = Column(
        DateTime(timezone=True),
        nullable=False,
        server_default=text("CURRENT_TIMESTAMP"),
    )
    revoked_at = Column(DateTime(timezone=True))
    last_used_at = Column(DateTime(timezone=True))

    organization = relationship("Organization", back_populates="api_keys")

    @property
    def is_revoked(self):
        return self.revoked_at is not None

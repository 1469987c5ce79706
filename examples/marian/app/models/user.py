from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import relationship

from app.models.base import Base


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        # An address may sign in to several organizations, once in each.
        UniqueConstraint("organization_id", "email", name="uq_users_organization_id_email"),
        Index("ix_users_email", "email"),
    )

    id = Column(Integer, primary_key=True)
    organization_id = Column(
        Integer,
        ForeignKey("organizations.id", ondelete="CASCADE"),
        nullable=False,
    )
    email = Column(String(255), nullable=False)
    display_name = Column(String(120))
    role = Column(
        Enum("admin", "translator", "viewer", name="user_role"),
        nullable=False,
        server_default=text("'viewer'"),
    )
    is_active = Column(Boolean, nullable=False, server_default=text("1"))
    created_at = Column(
        DateTime(timezone=True),
        nullable=False,
        server_default=text("CURRENT_TIMESTAMP"),
    )
    last_login_at = Column(DateTime(timezone=True))

    organization = relationship("Organization", back_populates="users")
    jobs = relationship("TranslationJob", back_populates="submitted_by")

    def __repr__(self):
        return f"<User {self.email}>"

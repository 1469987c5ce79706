import sqlalchemy as sa
from sqlalchemy.orm import relationship

from app.models.base import Base

# A job's life cycle, in order; the workers only ever move a job forward.
JOB_STATUSES = ("queued", "running", "succeeded", "failed", "cancelled")


class TranslationJob(Base):
    __tablename__ = "translation_jobs"
    __table_args__ = (
        # The dashboard lists an organization's jobs, newest first.
        sa.Index("ix_translation_jobs_organization_id_created_at", "organization_id", "created_at"),
        # Workers poll for the next queued job by priority.
        sa.Index("ix_translation_jobs_status_priority", "status", "priority"),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    organization_id = sa.Column(
        sa.Integer,
        sa.ForeignKey("organizations.id", ondelete="CASCADE"),
        nullable=False,
    )
    # Jobs outlive the user or key that submitted them: billing still needs them.
    submitted_by_id = sa.Column(sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL"))
    api_key_id = sa.Column(sa.Integer, sa.ForeignKey("api_keys.id", ondelete="SET NULL"))
    language_pair_id = sa.Column(
        sa.Integer, sa.ForeignKey("language_pairs.id"), nullable=False
    )
    status = sa.Column(
        sa.Enum(*JOB_STATUSES, name="job_status"),
        nullable=False,
        server_default=sa.text("'queued'"),
    )
    source_text = sa.Column(sa.Text, nullable=False)
    translated_text = sa.Column(sa.Text)
    char_count = sa.Column(sa.Integer, nullable=False, server_default=sa.text("0"))
    billed_amount = sa.Column(sa.Numeric(10, 4))
    # Decoder settings passed to Marian (beam size, normalize, n-best...).
    options = sa.Column(sa.JSON, default=dict)
    error_message = sa.Column(sa.Text)
    created_at = sa.Column(
        sa.DateTime(timezone=True),
        nullable=False,
        server_default=sa.text("CURRENT_TIMESTAMP"),
    )
    finished_at = sa.Column(sa.DateTime(timezone=True))
    # Columns added by later migrations come last, as ALTER TABLE ADD COLUMN
    # puts them, so that the model's column order is the database's.
    priority = sa.Column(sa.SmallInteger, nullable=False, server_default=sa.text("0"))

    submitted_by = relationship("User", back_populates="jobs")
    language_pair = relationship("LanguagePair")

"""The admin app's tables. Importing this package registers every model on
``Base.metadata``, which is what Alembic's env.py compares against."""
from app.models.base import Base
from app.models.organization import ApiKey, Organization
from app.models.user import User
from app.models.language import LanguagePair
from app.models.job import JOB_STATUSES, TranslationJob

__all__ = [
    "ApiKey",
    "Base",
    "JOB_STATUSES",
    "LanguagePair",
    "Organization",
    "TranslationJob",
    "User",
]

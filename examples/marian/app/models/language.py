from sqlalchemy import Boolean, Column, Integer, String, UniqueConstraint, text

from app.models.base import Base


class LanguagePair(Base):
    """A direction a Marian model translates, e.g. en -> de."""

    __tablename__ = "language_pairs"
    __table_args__ = (
        UniqueConstraint(
            "source_lang", "target_lang", name="uq_language_pairs_source_lang_target_lang"
        ),
    )

    id = Column(Integer, primary_key=True)
    # BCP 47 tags such as "en", "pt-BR" or "zh-Hant".
    source_lang = Column(String(8), nullable=False)
    target_lang = Column(String(8), nullable=False)
    model_name = Column(String(200), nullable=False)
    is_enabled = Column(Boolean, nullable=False, server_default=text("1"))
    model_version = Column(String(40))

    @property
    def code(self):
        return f"{self.source_lang}-{self.target_lang}"

"""Track last sign-in and API key use

Revision ID: 47c0e9d5b1a6
Revises: d2f8a6b0e913
Create Date: 2024-09-03 11:08:16.402277

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '47c0e9d5b1a6'
down_revision: Union[str, Sequence[str], None] = 'd2f8a6b0e913'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.add_column('users', sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('api_keys',
                  sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_column('api_keys', 'last_used_at')
    op.drop_column('users', 'last_login_at')

"""Add job priority and a status index

Revision ID: 9e4c1a7b3d25
Revises: 5a93e7d1c0f2
Create Date: 2024-04-08 09:41:05.774320

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9e4c1a7b3d25'
down_revision = '5a93e7d1c0f2'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The server default fills existing rows, which NOT NULL requires.
    op.add_column('translation_jobs',
                  sa.Column('priority', sa.SmallInteger(), server_default=sa.text('0'),
                            nullable=False))
    op.create_index('ix_translation_jobs_status_priority', 'translation_jobs',
                    ['status', 'priority'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_translation_jobs_status_priority', table_name='translation_jobs')
    op.drop_column('translation_jobs', 'priority')

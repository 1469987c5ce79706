"""Rename the free plan to community

The application now creates organizations on the "community" plan; existing
"free" organizations move to it. Only rows change, not the schema.

Revision ID: b83d5f2e6a07
Revises: 47c0e9d5b1a6
Create Date: 2024-11-18 08:55:40.913065

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b83d5f2e6a07'
down_revision = '47c0e9d5b1a6'
branch_labels = None
depends_on = None

# migcheck: data-only


def upgrade() -> None:
    op.execute("UPDATE organizations SET plan = 'community' WHERE plan = 'free'")


def downgrade() -> None:
    # Exact inverse: no organization was on "community" before this revision.
    op.execute("UPDATE organizations SET plan = 'free' WHERE plan = 'community'")

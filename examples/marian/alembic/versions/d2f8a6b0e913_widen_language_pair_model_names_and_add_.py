"""Widen language pair model names and add model version

Model names now carry the hub namespace, the variant and the training date,
and some outgrew 100 characters. SQLite cannot change a column's type in
place, hence batch mode, which rebuilds the table.

Revision ID: d2f8a6b0e913
Revises: 9e4c1a7b3d25
Create Date: 2024-06-12 14:27:59.061583

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd2f8a6b0e913'
down_revision = '9e4c1a7b3d25'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('language_pairs') as batch_op:
        batch_op.alter_column('model_name',
                              existing_type=sa.String(length=100),
                              type_=sa.String(length=200),
                              existing_nullable=False)
        batch_op.add_column(sa.Column('model_version', sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('language_pairs') as batch_op:
        batch_op.drop_column('model_version')
        batch_op.alter_column('model_name',
                              existing_type=sa.String(length=200),
                              type_=sa.String(length=100),
                              existing_nullable=False)

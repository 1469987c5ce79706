"""Add language pairs, API keys and translation jobs

Revision ID: 5a93e7d1c0f2
Revises: 1b6f0c2d9e84
Create Date: 2024-02-19 16:02:47.530911

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5a93e7d1c0f2'
down_revision = '1b6f0c2d9e84'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'api_keys',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('key_prefix', sa.String(length=12), nullable=False),
        sa.Column('key_hash', sa.String(length=128), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True),
                  server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('key_hash'),
    )
    op.create_index(op.f('ix_api_keys_organization_id'), 'api_keys', ['organization_id'],
                    unique=False)

    op.create_table(
        'language_pairs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('source_lang', sa.String(length=8), nullable=False),
        sa.Column('target_lang', sa.String(length=8), nullable=False),
        sa.Column('model_name', sa.String(length=100), nullable=False),
        sa.Column('is_enabled', sa.Boolean(), server_default=sa.text('1'), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('source_lang', 'target_lang',
                            name='uq_language_pairs_source_lang_target_lang'),
    )

    op.create_table(
        'translation_jobs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('submitted_by_id', sa.Integer(), nullable=True),
        sa.Column('api_key_id', sa.Integer(), nullable=True),
        sa.Column('language_pair_id', sa.Integer(), nullable=False),
        sa.Column('status',
                  sa.Enum('queued', 'running', 'succeeded', 'failed', 'cancelled',
                          name='job_status'),
                  server_default=sa.text("'queued'"), nullable=False),
        sa.Column('source_text', sa.Text(), nullable=False),
        sa.Column('translated_text', sa.Text(), nullable=True),
        sa.Column('char_count', sa.Integer(), server_default=sa.text('0'), nullable=False),
        sa.Column('billed_amount', sa.Numeric(precision=10, scale=4), nullable=True),
        sa.Column('options', sa.JSON(), nullable=True),
        sa.Column('error_message', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True),
                  server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['api_key_id'], ['api_keys.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['language_pair_id'], ['language_pairs.id']),
        sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_translation_jobs_organization_id_created_at', 'translation_jobs',
                    ['organization_id', 'created_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_translation_jobs_organization_id_created_at',
                  table_name='translation_jobs')
    op.drop_table('translation_jobs')
    op.drop_table('language_pairs')
    op.drop_index(op.f('ix_api_keys_organization_id'), table_name='api_keys')
    op.drop_table('api_keys')

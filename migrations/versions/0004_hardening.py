"""session tokens, report submission tokens, moderation

Revision ID: 0004_hardening
Revises: 0003_plans
Create Date: 2026-12-01

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0004_hardening'
down_revision = '0003_plans'
branch_labels = None
depends_on = None

MODERATED = ('reports', 'comments', 'proposals', 'proposal_comments', 'plan_comments')


def upgrade():
    # SQLite cannot alter a column, so the token column keeps a server default; every row gets its own token.
    op.add_column('users', sa.Column('session_token', sa.String(length=64), nullable=False, server_default=''))
    random_hex = 'lower(hex(randomblob(16)))' if op.get_bind().dialect.name == 'sqlite' else 'md5(random()::text)'
    op.execute(f"UPDATE users SET session_token = {random_hex}")

    op.add_column('reports', sa.Column('submission_token', sa.String(length=64), nullable=True))
    op.create_index('uq_reports_author_id_submission_token', 'reports', ['author_id', 'submission_token'],
                    unique=True)
    for table in MODERATED:
        op.add_column(table, sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=True))
        op.add_column(table, sa.Column('hidden_reason', sa.Text(), nullable=True))

    op.create_table('flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('target_kind', sa.String(length=20), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_flags_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flags')),
    sa.UniqueConstraint('user_id', 'target_kind', 'target_id', name=op.f('uq_flags_user_id_target_kind_target_id'))
    )
    op.create_index(op.f('ix_flags_target_id'), 'flags', ['target_id'], unique=False)
    op.create_index(op.f('ix_flags_user_id'), 'flags', ['user_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_flags_user_id'), table_name='flags')
    op.drop_index(op.f('ix_flags_target_id'), table_name='flags')
    op.drop_table('flags')
    # DROP COLUMN needs SQLite 3.35, which every supported system ships.
    for table in reversed(MODERATED):
        op.drop_column(table, 'hidden_reason')
        op.drop_column(table, 'hidden_at')
    op.drop_index('uq_reports_author_id_submission_token', table_name='reports')
    op.drop_column('reports', 'submission_token')
    op.drop_column('users', 'session_token')

"""Evaluation panels: evaluators assigned to calls, their ties to municipalities, their exclusions from plans

Revision ID: 0006_evaluation_panels
Revises: 0005_evaluation_rubrics
Create Date: 2026-12-03

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0006_evaluation_panels'
down_revision = '0005_evaluation_rubrics'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('evaluator_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_evaluator_assignments_call_id_calls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_evaluator_assignments_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['users.id'], name=op.f('fk_evaluator_assignments_assigned_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluator_assignments')),
    sa.UniqueConstraint('call_id', 'user_id', name=op.f('uq_evaluator_assignments_call_id_user_id'))
    )
    op.create_index(op.f('ix_evaluator_assignments_user_id'), 'evaluator_assignments', ['user_id'], unique=False)
    op.create_table('evaluator_ties',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('member', 'advisor', 'contractor', 'other')", name=op.f('ck_evaluator_ties_kind')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_evaluator_ties_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_evaluator_ties_municipality_id_municipalities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluator_ties')),
    sa.UniqueConstraint('user_id', 'municipality_id', 'kind', name=op.f('uq_evaluator_ties_user_id_municipality_id_kind'))
    )
    op.create_index(op.f('ix_evaluator_ties_user_id'), 'evaluator_ties', ['user_id'], unique=False)
    op.create_table('evaluator_exclusions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('recusal')", name=op.f('ck_evaluator_exclusions_kind')),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_evaluator_exclusions_call_id_calls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_evaluator_exclusions_plan_id_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_evaluator_exclusions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluator_exclusions')),
    sa.UniqueConstraint('call_id', 'plan_id', 'user_id', 'kind', name=op.f('uq_evaluator_exclusions_call_id_plan_id_user_id_kind'))
    )
    op.create_index(op.f('ix_evaluator_exclusions_plan_id'), 'evaluator_exclusions', ['plan_id'], unique=False)
    op.create_index(op.f('ix_evaluator_exclusions_user_id'), 'evaluator_exclusions', ['user_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_evaluator_exclusions_user_id'), table_name='evaluator_exclusions')
    op.drop_index(op.f('ix_evaluator_exclusions_plan_id'), table_name='evaluator_exclusions')
    op.drop_table('evaluator_exclusions')
    op.drop_index(op.f('ix_evaluator_ties_user_id'), table_name='evaluator_ties')
    op.drop_table('evaluator_ties')
    op.drop_index(op.f('ix_evaluator_assignments_user_id'), table_name='evaluator_assignments')
    op.drop_table('evaluator_assignments')

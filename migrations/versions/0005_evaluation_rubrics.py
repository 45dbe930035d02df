"""English call titles; evaluation rubrics (settings, stages, criteria)

Revision ID: 0005_evaluation_rubrics
Revises: 0004_hardening
Create Date: 2026-12-02

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0005_evaluation_rubrics'
down_revision = '0004_hardening'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('calls', sa.Column('title_en', sa.String(length=200), nullable=True))

    op.create_table('evaluation_settings',
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('aggregation', sa.String(length=20), nullable=False),
    sa.Column('combination', sa.String(length=20), nullable=False),
    sa.Column('min_total', sa.Numeric(precision=9, scale=2), nullable=True),
    sa.Column('tie_break', sa.JSON(), nullable=False),
    sa.Column('show_evaluator_names', sa.Boolean(), nullable=False),
    sa.Column('objection_days', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("aggregation IN ('mean', 'trimmed')", name=op.f('ck_evaluation_settings_aggregation')),
    sa.CheckConstraint("combination IN ('gates', 'weighted')", name=op.f('ck_evaluation_settings_combination')),
    sa.CheckConstraint('min_total IS NULL OR min_total >= 0', name=op.f('ck_evaluation_settings_min_total')),
    sa.CheckConstraint('objection_days >= 1', name=op.f('ck_evaluation_settings_objection_days')),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_evaluation_settings_call_id_calls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('call_id', name=op.f('pk_evaluation_settings'))
    )
    op.create_table('evaluation_stages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('guidance', sa.Text(), nullable=False),
    sa.Column('guidance_en', sa.Text(), nullable=False),
    sa.Column('weight', sa.Numeric(precision=9, scale=2), nullable=False),
    sa.Column('gate_top', sa.Integer(), nullable=True),
    sa.Column('gate_min', sa.Numeric(precision=9, scale=2), nullable=True),
    sa.CheckConstraint('weight >= 0', name=op.f('ck_evaluation_stages_weight')),
    sa.CheckConstraint('gate_top IS NULL OR gate_top >= 1', name=op.f('ck_evaluation_stages_gate_top')),
    sa.CheckConstraint('gate_min IS NULL OR gate_min >= 0', name=op.f('ck_evaluation_stages_gate_min')),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_evaluation_stages_call_id_calls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_stages')),
    sa.UniqueConstraint('call_id', 'code', name=op.f('uq_evaluation_stages_call_id_code'))
    )
    op.create_table('evaluation_criteria',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('guidance', sa.Text(), nullable=False),
    sa.Column('guidance_en', sa.Text(), nullable=False),
    sa.Column('max_score', sa.Numeric(precision=9, scale=2), nullable=False),
    sa.Column('weight', sa.Numeric(precision=9, scale=2), nullable=False),
    sa.CheckConstraint('max_score > 0', name=op.f('ck_evaluation_criteria_max_score')),
    sa.CheckConstraint('weight > 0', name=op.f('ck_evaluation_criteria_weight')),
    sa.ForeignKeyConstraint(['stage_id'], ['evaluation_stages.id'], name=op.f('fk_evaluation_criteria_stage_id_evaluation_stages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_criteria')),
    sa.UniqueConstraint('stage_id', 'code', name=op.f('uq_evaluation_criteria_stage_id_code'))
    )


def downgrade():
    op.drop_table('evaluation_criteria')
    op.drop_table('evaluation_stages')
    op.drop_table('evaluation_settings')
    # DROP COLUMN needs SQLite 3.35, which every supported system ships.
    op.drop_column('calls', 'title_en')

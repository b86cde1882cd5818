"""development plan: the worker's goal, who helps and a date to look back, one per report, kept apart
from the next steps

Revision ID: 1d1a93730258
Revises: a9d4e6f2b1c8
Create Date: 2026-12-02 17:17:49.819963

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1d1a93730258'
down_revision = 'a9d4e6f2b1c8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('development_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('goal', sa.Text(), nullable=False),
    sa.Column('helper', sa.String(length=120), server_default='', nullable=False),
    sa.Column('look_back', sa.Date(), nullable=True),
    sa.Column('in_calendar', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['response_id'], ['response.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('response_id')
    )


def downgrade():
    op.drop_table('development_plan')

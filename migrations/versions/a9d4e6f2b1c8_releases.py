"""releases: a campaign's figures as its pages show them, stored per release (sums per pool, never a
person's scores), so an open campaign's figures change only in steps of at least k people

Revision ID: a9d4e6f2b1c8
Revises: f3a8c2d41b07
Create Date: 2026-12-02 15:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a9d4e6f2b1c8'
down_revision = 'f3a8c2d41b07'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'release',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('campaign_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('made_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('closing', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('figures', sa.JSON(), nullable=False),
        sa.Column('pools', sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], ondelete='CASCADE',
                                name='fk_release_campaign_id_campaign'),
        sa.PrimaryKeyConstraint('id', name='pk_release'),
        sa.UniqueConstraint('campaign_id', 'number', name='uq_release_campaign_number'),
    )
    with op.batch_alter_table('release', schema=None) as batch_op:
        batch_op.create_index('ix_release_campaign_id', ['campaign_id'], unique=False)


def downgrade():
    with op.batch_alter_table('release', schema=None) as batch_op:
        batch_op.drop_index('ix_release_campaign_id')
    op.drop_table('release')

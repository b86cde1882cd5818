"""invites per audience and personal codes: a campaign gets an employer link of its own (the existing
invite code stays the workers' link), and may use single-use personal codes (stored as hashes, with
a used flag and nothing else); a response says only whether it came in with one

Revision ID: f3a8c2d41b07
Revises: e7b3f19a2c58
Create Date: 2026-12-02 05:40:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f3a8c2d41b07'
down_revision = 'e7b3f19a2c58'
branch_labels = None
depends_on = None


def upgrade():
    # Added empty, filled with a random code per existing campaign, then required and unique. The
    # existing invite_code is untouched: printed invitations keep working, as the workers' link.
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.add_column(sa.Column('employer_invite_code', sa.String(length=64), nullable=True))
    campaign = sa.table('campaign', sa.column('id', sa.Integer), sa.column('employer_invite_code', sa.String))
    connection = op.get_bind()
    for (campaign_id,) in connection.execute(sa.select(campaign.c.id)).all():
        connection.execute(campaign.update().where(campaign.c.id == campaign_id)
                           .values(employer_invite_code=secrets.token_urlsafe(16)))
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.alter_column('employer_invite_code', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint('uq_campaign_employer_invite_code', ['employer_invite_code'])
        batch_op.add_column(sa.Column('uses_codes', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('with_code', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        'personal_code',
        sa.Column('campaign_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('used', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], ondelete='CASCADE',
                                name='fk_personal_code_campaign_id_campaign'),
        sa.PrimaryKeyConstraint('campaign_id', 'code_hash', name='pk_personal_code'),
    )


def downgrade():
    op.drop_table('personal_code')
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_column('with_code')
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.drop_column('uses_codes')
        batch_op.drop_constraint('uq_campaign_employer_invite_code', type_='unique')
        batch_op.drop_column('employer_invite_code')

"""session tokens and replaced resume links: logout ends a session on the server; an old resume
link, once replaced, says so

Revision ID: c4e2a9d1f6b3
Revises: 5b1d0c3e7a90
Create Date: 2026-12-02 02:00:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4e2a9d1f6b3'
down_revision = '5b1d0c3e7a90'
branch_labels = None
depends_on = None


def upgrade():
    # Added empty, filled with a random token per existing account, then required: existing sessions
    # (which hold the account id) end, and everyone logs in once more.
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.String(length=64), nullable=True))
    user = sa.table('user', sa.column('id', sa.Integer), sa.column('session_token', sa.String))
    connection = op.get_bind()
    for (user_id,) in connection.execute(sa.select(user.c.id)).all():
        connection.execute(user.update().where(user.c.id == user_id)
                           .values(session_token=secrets.token_urlsafe(32)))
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.alter_column('session_token', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint('uq_user_session_token', ['session_token'])

    op.create_table(
        'replaced_resume_link',
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('response_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['response_id'], ['response.id'], ondelete='CASCADE',
                                name='fk_replaced_resume_link_response_id_response'),
        sa.PrimaryKeyConstraint('code_hash', name='pk_replaced_resume_link'),
    )
    with op.batch_alter_table('replaced_resume_link', schema=None) as batch_op:
        batch_op.create_index('ix_replaced_resume_link_response_id', ['response_id'], unique=False)


def downgrade():
    with op.batch_alter_table('replaced_resume_link', schema=None) as batch_op:
        batch_op.drop_index('ix_replaced_resume_link_response_id')
    op.drop_table('replaced_resume_link')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_constraint('uq_user_session_token', type_='unique')
        batch_op.drop_column('session_token')

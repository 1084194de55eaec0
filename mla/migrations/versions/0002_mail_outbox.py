"""mail outbox

Revision ID: 0002_mail_outbox
Revises: 0001_initial
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa
import mla.models.base


revision = '0002_mail_outbox'
down_revision = '0001_initial'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('outbox_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=400), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('attachment_names', sa.Text(), nullable=False),
    sa.Column('raw', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', mla.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_message'))
    )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_message_recipient'), ['recipient'], unique=False)

    op.create_table('digest_day',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('reminder_count', sa.Integer(), nullable=False),
    sa.Column('claimed_at', mla.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', mla.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['recipient_id'], ['user_account.id'], name=op.f('fk_digest_day_recipient_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_digest_day')),
    sa.UniqueConstraint('recipient_id', 'day', name=op.f('uq_digest_day_recipient_id'))
    )
    with op.batch_alter_table('digest_day', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_digest_day_recipient_id'), ['recipient_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('digest_day', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_digest_day_recipient_id'))

    op.drop_table('digest_day')
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_message_recipient'))

    op.drop_table('outbox_message')

"""server-side sessions, second-factor replay guard and recovery codes

Revision ID: 0009_sessions_and_second_factor
Revises: 0008_request_search
Create Date: 2026-12-07

- user_session: one row per sign-in (the cookie carries a random id; the row keeps its SHA-256), ended
  on sign-out, by the user, by an administrator, when a password is set or the second factor reset.
- recovery_code: the second factor's one-time recovery codes, hashed.
- user_account.totp_last_step: the time step of the last accepted code, so a code is accepted once.
- user_account.session_token goes: the cookie no longer carries a token of the user's. Every browser
  signed in before the upgrade is signed out by it. A downgrade gives each user a fresh token.
"""
import secrets

from alembic import op
import sqlalchemy as sa
import mla.models.base


revision = '0009_sessions_and_second_factor'
down_revision = '0008_request_search'
branch_labels = None
depends_on = None

SESSION_ENDS = ('sign_out', 'ended_by_user', 'ended_by_admin', 'password_set', 'second_factor_reset',
                'second_factor_passed')


def upgrade() -> None:
    op.create_table('user_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('awaits_second_factor', sa.Boolean(), nullable=False),
    sa.Column('last_seen_at', mla.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', mla.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', mla.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('end_reason', sa.Enum(*SESSION_ENDS, name='end_reason', native_enum=False,
                                    create_constraint=True, length=40), nullable=True),
    sa.Column('remote_addr', sa.String(length=64), nullable=False),
    sa.Column('user_agent', sa.String(length=200), nullable=False),
    sa.Column('created_at', mla.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_user_session_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_session')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_user_session_token_hash'))
    )
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_session_user_id'), ['user_id'], unique=False)

    op.create_table('recovery_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('used_at', mla.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_recovery_code_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_code'))
    )
    with op.batch_alter_table('recovery_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recovery_code_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_last_step', sa.Integer(), nullable=True))
        batch_op.drop_constraint(batch_op.f('uq_user_account_session_token'), type_='unique')
        batch_op.drop_column('session_token')


def downgrade() -> None:
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.String(length=64), nullable=True))
    connection = op.get_bind()
    user_account = sa.table('user_account', sa.column('id', sa.Integer()), sa.column('session_token', sa.String()))
    for user_id in connection.execute(sa.select(user_account.c.id)).scalars().all():
        connection.execute(user_account.update().where(user_account.c.id == user_id)
                           .values(session_token=secrets.token_urlsafe(24)))
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('session_token', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_user_account_session_token'), ['session_token'])
        batch_op.drop_column('totp_last_step')

    with op.batch_alter_table('recovery_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recovery_code_user_id'))
    op.drop_table('recovery_code')
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_session_user_id'))
    op.drop_table('user_session')

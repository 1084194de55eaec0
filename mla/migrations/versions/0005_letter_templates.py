"""letter template versions uploaded by administrators

Revision ID: 0005_letter_templates
Revises: 0004_person_documents
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa
import mla.models.base


revision = "0005_letter_templates"
down_revision = "0004_person_documents"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('letter_template_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('letter_kind', sa.Enum('mla_request', 'police_request', 'supplementary_request', 'status_enquiry', 'acknowledgement', 'execution_cover', name='letter_kind', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('version_no', sa.Integer(), nullable=False),
    sa.Column('blob_sha256', sa.String(length=64), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=True),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', mla.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['blob_sha256'], ['blob.sha256'], name=op.f('fk_letter_template_version_blob_sha256_blob')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user_account.id'], name=op.f('fk_letter_template_version_uploaded_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_template_version')),
    sa.UniqueConstraint('letter_kind', 'language', 'is_active', name='uq_letter_template_version_active'),
    sa.UniqueConstraint('letter_kind', 'language', 'version_no', name=op.f('uq_letter_template_version_letter_kind'))
    )


def downgrade() -> None:
    op.drop_table('letter_template_version')

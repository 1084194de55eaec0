"""identity-document numbers indexed for search; requests indexed by national case

Revision ID: 0004_person_documents
Revises: 0003_audit_append_only
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

revision = "0004_person_documents"
down_revision = "0003_audit_append_only"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "person_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("number_key", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_person_document_person_id_person"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_document")),
    )
    op.create_index(op.f("ix_person_document_person_id"), "person_document", ["person_id"])
    op.create_index(op.f("ix_person_document_number_key"), "person_document", ["number_key"])
    op.create_index(op.f("ix_assistance_request_national_case_id"), "assistance_request", ["national_case_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_assistance_request_national_case_id"), table_name="assistance_request")
    op.drop_index(op.f("ix_person_document_number_key"), table_name="person_document")
    op.drop_index(op.f("ix_person_document_person_id"), table_name="person_document")
    op.drop_table("person_document")

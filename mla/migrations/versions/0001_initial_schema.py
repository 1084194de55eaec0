"""initial schema

Revision ID: 0001_initial
Revises: 
Create Date: 2026-11-23 06:22:23.088484
"""
from alembic import op
import sqlalchemy as sa
import mla.models.base


revision = '0001_initial'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    
    op.create_table('assistance_type',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('untoc_ref', sa.String(length=40), nullable=False),
    sa.Column('is_coercive', sa.Boolean(), nullable=False),
    sa.Column('police_channel_ok', sa.Boolean(), nullable=False),
    sa.Column('labels', sa.JSON(), nullable=False),
    sa.Column('fact', sa.JSON(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_assistance_type'))
    )
    op.create_table('blob',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('media_type', sa.String(length=120), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', mla.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_blob'))
    )
    op.create_table('country_profile',
    sa.Column('iso2', sa.String(length=2), nullable=False),
    sa.Column('iso3', sa.String(length=3), nullable=False),
    sa.Column('iso_numeric', sa.String(length=3), nullable=False),
    sa.Column('is_home', sa.Boolean(), nullable=False),
    sa.Column('time_zone', sa.String(length=64), nullable=False),
    sa.Column('weekend_days', sa.JSON(), nullable=False),
    sa.Column('holiday_calendar', sa.String(length=8), nullable=False),
    sa.Column('official_languages', sa.JSON(), nullable=False),
    sa.Column('request_languages', sa.JSON(), nullable=False),
    sa.Column('channels', sa.JSON(), nullable=False),
    sa.Column('central_authorities', sa.JSON(), nullable=False),
    sa.Column('formal_requirements', sa.JSON(), nullable=False),
    sa.Column('memberships', sa.JSON(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('facts', sa.JSON(), nullable=False),
    sa.Column('data_version', sa.String(length=32), nullable=False),
    sa.Column('updated_at', mla.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('iso2', name=op.f('pk_country_profile')),
    sa.UniqueConstraint('iso3', name=op.f('uq_country_profile_iso3'))
    )
    op.create_table('offence_category',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('labels', sa.JSON(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_offence_category'))
    )
    op.create_table('office',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('time_zone', sa.String(length=64), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', mla.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_office')),
    sa.UniqueConstraint('code', name=op.f('uq_office_code'))
    )
    op.create_table('reference_counter',
    sa.Column('prefix', sa.String(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('prefix', 'year', name=op.f('pk_reference_counter'))
    )
    op.create_table('refusal_ground',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('ref', sa.String(length=80), nullable=False),
    sa.Column('is_permitted', sa.Boolean(), nullable=False),
    sa.Column('labels', sa.JSON(), nullable=False),
    sa.Column('fact', sa.JSON(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_refusal_ground'))
    )
    op.create_table('service_heartbeat',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('seen_at', mla.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('detail', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_service_heartbeat'))
    )
    op.create_table('sign_in_throttle',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('blocked_until', mla.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_failure_at', mla.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_sign_in_throttle'))
    )
    op.create_table('treaty',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('scope', sa.String(length=10), nullable=False),
    sa.Column('name', sa.JSON(), nullable=False),
    sa.Column('citation', sa.Text(), nullable=False),
    sa.Column('basis_phrase', sa.JSON(), nullable=False),
    sa.Column('fact', sa.JSON(), nullable=False),
    sa.Column('data_version', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_treaty'))
    )
    op.create_table('national_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('case_number', sa.String(length=60), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('stage', sa.Enum('pre_trial', 'prosecution', 'trial', 'execution', name='stage', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('offence_category_code', sa.String(length=40), nullable=True),
    sa.Column('legal_qualification', sa.Text(), nullable=False),
    sa.Column('created_at', mla.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['offence_category_code'], ['offence_category.code'], name=op.f('fk_national_case_offence_category_code_offence_category')),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], name=op.f('fk_national_case_office_id_office')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_national_case')),
    sa.UniqueConstraint('office_id', 'case_number', name=op.f('uq_national_case_office_id'))
    )
    with op.batch_alter_table('national_case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_national_case_case_number'), ['case_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_national_case_office_id'), ['office_id'], unique=False)

    op.create_table('treaty_party',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('treaty_code', sa.String(length=40), nullable=False),
    sa.Column('country_iso2', sa.String(length=2), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('in_force_on', sa.Date(), nullable=True),
    sa.Column('fact', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['country_iso2'], ['country_profile.iso2'], name=op.f('fk_treaty_party_country_iso2_country_profile')),
    sa.ForeignKeyConstraint(['treaty_code'], ['treaty.code'], name=op.f('fk_treaty_party_treaty_code_treaty'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_treaty_party')),
    sa.UniqueConstraint('treaty_code', 'country_iso2', name=op.f('uq_treaty_party_treaty_code'))
    )
    op.create_table('user_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=256), nullable=False),
    sa.Column('role', sa.Enum('drafter', 'desk', 'translator', 'manager', 'admin', name='role', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=50), nullable=False),
    sa.Column('locale', sa.String(length=16), nullable=True),
    sa.Column('time_zone', sa.String(length=64), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('session_token', sa.String(length=64), nullable=False),
    sa.Column('ical_token', sa.String(length=64), nullable=True),
    sa.Column('totp_secret', sa.String(length=64), nullable=True),
    sa.Column('digest_opt_out', sa.Boolean(), nullable=False),
    sa.Column('last_sign_in_at', mla.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', mla.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], name=op.f('fk_user_account_office_id_office')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('email', name=op.f('uq_user_account_email')),
    sa.UniqueConstraint('ical_token', name=op.f('uq_user_account_ical_token')),
    sa.UniqueConstraint('session_token', name=op.f('uq_user_account_session_token'))
    )
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_account_office_id'), ['office_id'], unique=False)

    op.create_table('assistance_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('direction', sa.Enum('outgoing', 'incoming', name='direction', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('kind', sa.Enum('mla', 'police', name='kind', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('stage', sa.Enum('draft', 'internal_review', 'returned_for_correction', 'approved', 'translation', 'ready_to_send', 'sent', 'received', 'registered', 'acknowledged', 'formal_check', 'substantive_check', 'additional_info_requested', 'additional_info_sent', 'consultation', 'conditions_proposed', 'conditions_accepted', 'conditions_declined', 'assigned', 'postponed', 'in_execution', 'partially_executed', 'executed', 'evidence_certified', 'returned', 'answered', 'partially_answered', 'declined', 'converted_to_mla', 'cannot_keep_confidential', 'refused', 'withdrawn', 'closed', name='stage', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('national_case_id', sa.Integer(), nullable=True),
    sa.Column('country_iso2', sa.String(length=2), nullable=False),
    sa.Column('requesting_authority', sa.Text(), nullable=False),
    sa.Column('conducting_authority', sa.Text(), nullable=False),
    sa.Column('addressee', sa.Text(), nullable=False),
    sa.Column('channel_code', sa.String(length=40), nullable=True),
    sa.Column('legal_basis_note', sa.Text(), nullable=False),
    sa.Column('request_language', sa.String(length=16), nullable=True),
    sa.Column('drafting_language', sa.String(length=16), nullable=False),
    sa.Column('subject_matter', sa.Text(), nullable=False),
    sa.Column('facts_summary', sa.Text(), nullable=False),
    sa.Column('offences', sa.Text(), nullable=False),
    sa.Column('law_text_annexed', sa.Boolean(), nullable=False),
    sa.Column('dual_criminality_note', sa.Text(), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('evidence_location_reason', sa.Text(), nullable=False),
    sa.Column('urgency', sa.Enum('normal', 'urgent', name='urgency', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('deadline_on', sa.Date(), nullable=True),
    sa.Column('deadline_reason', sa.Text(), nullable=False),
    sa.Column('is_confidential', sa.Boolean(), nullable=False),
    sa.Column('confidentiality_reason', sa.Text(), nullable=False),
    sa.Column('use_restrictions', sa.Text(), nullable=False),
    sa.Column('victim_protection', sa.Text(), nullable=False),
    sa.Column('handling_code', sa.String(length=8), nullable=False),
    sa.Column('prior_informal_contact', sa.Text(), nullable=False),
    sa.Column('contact_person', sa.Text(), nullable=False),
    sa.Column('costs_note', sa.Text(), nullable=False),
    sa.Column('partner_reference', sa.String(length=100), nullable=False),
    sa.Column('outgoing_number', sa.String(length=100), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=True),
    sa.Column('transmitted_on', sa.Date(), nullable=True),
    sa.Column('acknowledged_on', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('refusal_ground_code', sa.String(length=40), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', mla.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', mla.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['approved_by_id'], ['user_account.id'], name=op.f('fk_assistance_request_approved_by_id_user_account')),
    sa.ForeignKeyConstraint(['assignee_id'], ['user_account.id'], name=op.f('fk_assistance_request_assignee_id_user_account')),
    sa.ForeignKeyConstraint(['country_iso2'], ['country_profile.iso2'], name=op.f('fk_assistance_request_country_iso2_country_profile')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_assistance_request_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['national_case_id'], ['national_case.id'], name=op.f('fk_assistance_request_national_case_id_national_case')),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], name=op.f('fk_assistance_request_office_id_office')),
    sa.ForeignKeyConstraint(['refusal_ground_code'], ['refusal_ground.code'], name=op.f('fk_assistance_request_refusal_ground_code_refusal_ground')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assistance_request')),
    sa.UniqueConstraint('reference', name=op.f('uq_assistance_request_reference'))
    )
    with op.batch_alter_table('assistance_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assistance_request_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assistance_request_country_iso2'), ['country_iso2'], unique=False)
        batch_op.create_index(batch_op.f('ix_assistance_request_direction'), ['direction'], unique=False)
        batch_op.create_index(batch_op.f('ix_assistance_request_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_assistance_request_office_id'), ['office_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assistance_request_partner_reference'), ['partner_reference'], unique=False)
        batch_op.create_index(batch_op.f('ix_assistance_request_stage'), ['stage'], unique=False)

    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', mla.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=False),
    sa.Column('object_id', sa.String(length=64), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('remote_addr', sa.String(length=64), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_audit_event_actor_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_request_id'), ['request_id'], unique=False)

    op.create_table('calendar_day',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('country_iso2', sa.String(length=2), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('is_working_day', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['country_iso2'], ['country_profile.iso2'], name=op.f('fk_calendar_day_country_iso2_country_profile')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_calendar_day_created_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_day')),
    sa.UniqueConstraint('country_iso2', 'day', name=op.f('uq_calendar_day_country_iso2'))
    )
    op.create_table('attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('blob_sha256', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', mla.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['blob_sha256'], ['blob.sha256'], name=op.f('fk_attachment_blob_sha256_blob')),
    sa.ForeignKeyConstraint(['request_id'], ['assistance_request.id'], name=op.f('fk_attachment_request_id_assistance_request'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user_account.id'], name=op.f('fk_attachment_uploaded_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment'))
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachment_request_id'), ['request_id'], unique=False)

    op.create_table('clock',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('acknowledgement_expected', 'decision_expected', 'execution_expected', 'status_enquiry', 'requester_deadline', 'our_acknowledgement', 'our_execution', name='kind', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('running', 'paused', 'met', 'missed', 'cancelled', name='state', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('counting', sa.Enum('calendar_days', 'working_days', name='counting', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('calendar_iso2', sa.String(length=2), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('paused_on', sa.Date(), nullable=True),
    sa.Column('paused_days', sa.Integer(), nullable=False),
    sa.Column('stopped_on', sa.Date(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('responsible_id', sa.Integer(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', mla.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['calendar_iso2'], ['country_profile.iso2'], name=op.f('fk_clock_calendar_iso2_country_profile')),
    sa.ForeignKeyConstraint(['request_id'], ['assistance_request.id'], name=op.f('fk_clock_request_id_assistance_request'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['responsible_id'], ['user_account.id'], name=op.f('fk_clock_responsible_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clock'))
    )
    with op.batch_alter_table('clock', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clock_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_clock_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_clock_state'), ['state'], unique=False)

    op.create_table('generated_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('letter_kind', sa.Enum('mla_request', 'police_request', 'supplementary_request', 'status_enquiry', 'acknowledgement', 'execution_cover', name='letter_kind', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('second_language', sa.String(length=16), nullable=True),
    sa.Column('version_no', sa.Integer(), nullable=False),
    sa.Column('template_version', sa.String(length=80), nullable=False),
    sa.Column('blob_sha256', sa.String(length=64), nullable=False),
    sa.Column('warnings', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', mla.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['blob_sha256'], ['blob.sha256'], name=op.f('fk_generated_document_blob_sha256_blob')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_generated_document_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['request_id'], ['assistance_request.id'], name=op.f('fk_generated_document_request_id_assistance_request'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_generated_document')),
    sa.UniqueConstraint('request_id', 'letter_kind', 'language', 'version_no', name=op.f('uq_generated_document_request_id'))
    )
    with op.batch_alter_table('generated_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_generated_document_request_id'), ['request_id'], unique=False)

    op.create_table('measure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('assistance_type_code', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('procedure', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'executed', 'partially_executed', 'refused', name='status', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('result_note', sa.Text(), nullable=False),
    sa.Column('evidence_received_on', sa.Date(), nullable=True),
    sa.Column('created_at', mla.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assistance_type_code'], ['assistance_type.code'], name=op.f('fk_measure_assistance_type_code_assistance_type')),
    sa.ForeignKeyConstraint(['request_id'], ['assistance_request.id'], name=op.f('fk_measure_request_id_assistance_request'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measure'))
    )
    with op.batch_alter_table('measure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_measure_request_id'), ['request_id'], unique=False)

    op.create_table('person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('suspect', 'accused', 'victim', 'witness', 'expert', 'legal_person', name='role', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('name_original', sa.String(length=300), nullable=False),
    sa.Column('name_latin', sa.String(length=300), nullable=False),
    sa.Column('name_cyrillic', sa.String(length=300), nullable=False),
    sa.Column('aliases', sa.Text(), nullable=False),
    sa.Column('patronymic', sa.String(length=200), nullable=False),
    sa.Column('parents_names', sa.String(length=300), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('birth_place', sa.String(length=200), nullable=False),
    sa.Column('nationality', sa.String(length=100), nullable=False),
    sa.Column('id_documents', sa.Text(), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('gender', sa.String(length=20), nullable=False),
    sa.Column('is_protected', sa.Boolean(), nullable=False),
    sa.Column('pseudonym', sa.String(length=100), nullable=False),
    sa.Column('disclose_identity', sa.Boolean(), nullable=False),
    sa.Column('disclosure_reason', sa.Text(), nullable=False),
    sa.Column('is_child', sa.Boolean(), nullable=False),
    sa.Column('victim_language', sa.String(length=16), nullable=False),
    sa.Column('name_key', sa.String(length=300), nullable=False),
    sa.Column('identity_group', sa.String(length=40), nullable=True),
    sa.Column('created_at', mla.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['assistance_request.id'], name=op.f('fk_person_request_id_assistance_request'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person'))
    )
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_birth_date'), ['birth_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_identity_group'), ['identity_group'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_name_key'), ['name_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_request_id'), ['request_id'], unique=False)

    op.create_table('request_legal_basis',
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('treaty_code', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['assistance_request.id'], name=op.f('fk_request_legal_basis_request_id_assistance_request'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['treaty_code'], ['treaty.code'], name=op.f('fk_request_legal_basis_treaty_code_treaty')),
    sa.PrimaryKeyConstraint('request_id', 'treaty_code', name=op.f('pk_request_legal_basis'))
    )
    op.create_table('request_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('from_request_id', sa.Integer(), nullable=False),
    sa.Column('to_request_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('supplementary', 'converted', 'reply', 'related', name='kind', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', mla.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_request_link_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['from_request_id'], ['assistance_request.id'], name=op.f('fk_request_link_from_request_id_assistance_request'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['to_request_id'], ['assistance_request.id'], name=op.f('fk_request_link_to_request_id_assistance_request'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_request_link')),
    sa.UniqueConstraint('from_request_id', 'to_request_id', 'kind', name=op.f('uq_request_link_from_request_id'))
    )
    with op.batch_alter_table('request_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_request_link_from_request_id'), ['from_request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_request_link_to_request_id'), ['to_request_id'], unique=False)

    op.create_table('stage_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('move', sa.String(length=60), nullable=False),
    sa.Column('from_stage', sa.Enum('draft', 'internal_review', 'returned_for_correction', 'approved', 'translation', 'ready_to_send', 'sent', 'received', 'registered', 'acknowledged', 'formal_check', 'substantive_check', 'additional_info_requested', 'additional_info_sent', 'consultation', 'conditions_proposed', 'conditions_accepted', 'conditions_declined', 'assigned', 'postponed', 'in_execution', 'partially_executed', 'executed', 'evidence_certified', 'returned', 'answered', 'partially_answered', 'declined', 'converted_to_mla', 'cannot_keep_confidential', 'refused', 'withdrawn', 'closed', name='from_stage', native_enum=False, create_constraint=True, length=40), nullable=True),
    sa.Column('to_stage', sa.Enum('draft', 'internal_review', 'returned_for_correction', 'approved', 'translation', 'ready_to_send', 'sent', 'received', 'registered', 'acknowledged', 'formal_check', 'substantive_check', 'additional_info_requested', 'additional_info_sent', 'consultation', 'conditions_proposed', 'conditions_accepted', 'conditions_declined', 'assigned', 'postponed', 'in_execution', 'partially_executed', 'executed', 'evidence_certified', 'returned', 'answered', 'partially_answered', 'declined', 'converted_to_mla', 'cannot_keep_confidential', 'refused', 'withdrawn', 'closed', name='to_stage', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', mla.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_stage_change_actor_id_user_account')),
    sa.ForeignKeyConstraint(['request_id'], ['assistance_request.id'], name=op.f('fk_stage_change_request_id_assistance_request'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stage_change'))
    )
    with op.batch_alter_table('stage_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stage_change_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_stage_change_request_id'), ['request_id'], unique=False)

    op.create_table('text_translation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('field_key', sa.String(length=80), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('translator_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', mla.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['assistance_request.id'], name=op.f('fk_text_translation_request_id_assistance_request'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['translator_id'], ['user_account.id'], name=op.f('fk_text_translation_translator_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_text_translation')),
    sa.UniqueConstraint('request_id', 'field_key', 'language', name=op.f('uq_text_translation_request_id'))
    )
    with op.batch_alter_table('text_translation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_text_translation_request_id'), ['request_id'], unique=False)

    op.create_table('reminder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('clock_id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=30), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('state', sa.Enum('pending', 'sent', 'failed', name='state', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('claimed_at', mla.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('sent_at', mla.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['clock_id'], ['clock.id'], name=op.f('fk_reminder_clock_id_clock'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recipient_id'], ['user_account.id'], name=op.f('fk_reminder_recipient_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder')),
    sa.UniqueConstraint('clock_id', 'recipient_id', 'step', name=op.f('uq_reminder_clock_id'))
    )
    with op.batch_alter_table('reminder', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminder_clock_id'), ['clock_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminder_recipient_id'), ['recipient_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminder_state'), ['state'], unique=False)

    


def downgrade() -> None:
    
    with op.batch_alter_table('reminder', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminder_state'))
        batch_op.drop_index(batch_op.f('ix_reminder_recipient_id'))
        batch_op.drop_index(batch_op.f('ix_reminder_clock_id'))

    op.drop_table('reminder')
    with op.batch_alter_table('text_translation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_text_translation_request_id'))

    op.drop_table('text_translation')
    with op.batch_alter_table('stage_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stage_change_request_id'))
        batch_op.drop_index(batch_op.f('ix_stage_change_at'))

    op.drop_table('stage_change')
    with op.batch_alter_table('request_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_request_link_to_request_id'))
        batch_op.drop_index(batch_op.f('ix_request_link_from_request_id'))

    op.drop_table('request_link')
    op.drop_table('request_legal_basis')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_request_id'))
        batch_op.drop_index(batch_op.f('ix_person_name_key'))
        batch_op.drop_index(batch_op.f('ix_person_identity_group'))
        batch_op.drop_index(batch_op.f('ix_person_birth_date'))

    op.drop_table('person')
    with op.batch_alter_table('measure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_measure_request_id'))

    op.drop_table('measure')
    with op.batch_alter_table('generated_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_generated_document_request_id'))

    op.drop_table('generated_document')
    with op.batch_alter_table('clock', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clock_state'))
        batch_op.drop_index(batch_op.f('ix_clock_request_id'))
        batch_op.drop_index(batch_op.f('ix_clock_due_on'))

    op.drop_table('clock')
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_request_id'))

    op.drop_table('attachment')
    op.drop_table('calendar_day')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_request_id'))
        batch_op.drop_index(batch_op.f('ix_audit_event_at'))
        batch_op.drop_index(batch_op.f('ix_audit_event_actor_id'))
        batch_op.drop_index(batch_op.f('ix_audit_event_action'))

    op.drop_table('audit_event')
    with op.batch_alter_table('assistance_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assistance_request_stage'))
        batch_op.drop_index(batch_op.f('ix_assistance_request_partner_reference'))
        batch_op.drop_index(batch_op.f('ix_assistance_request_office_id'))
        batch_op.drop_index(batch_op.f('ix_assistance_request_kind'))
        batch_op.drop_index(batch_op.f('ix_assistance_request_direction'))
        batch_op.drop_index(batch_op.f('ix_assistance_request_country_iso2'))
        batch_op.drop_index(batch_op.f('ix_assistance_request_assignee_id'))

    op.drop_table('assistance_request')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_account_office_id'))

    op.drop_table('user_account')
    op.drop_table('treaty_party')
    with op.batch_alter_table('national_case', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_national_case_office_id'))
        batch_op.drop_index(batch_op.f('ix_national_case_case_number'))

    op.drop_table('national_case')
    op.drop_table('treaty')
    op.drop_table('sign_in_throttle')
    op.drop_table('service_heartbeat')
    op.drop_table('refusal_ground')
    op.drop_table('reference_counter')
    op.drop_table('office')
    op.drop_table('offence_category')
    op.drop_table('country_profile')
    op.drop_table('blob')
    op.drop_table('assistance_type')
    

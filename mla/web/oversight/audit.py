"""Views of the audit trail: a filtered, paged list and its CSV export."""
from __future__ import annotations

import csv
import io
import json

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from mla.db import db_session
from mla.domain.access import AUDIT_READERS
from mla.domain.errors import DomainError
from mla.i18n import label
from mla.services.accounts.directory import list_users
from mla.services.audit import record_event
from mla.services.oversight.audit_queries import AuditFilter
from mla.services.oversight.audit_reading import (
    AuditRow,
    ReadableValue,
    read_audit_rows,
    record_protected_values_shown,
)
from mla.web.forms import SEARCH_DATES, AppForm, date_field
from mla.web.helpers import (
    now_utc,
    page_number,
    remote_addr,
    role_required,
    show_error,
    spreadsheet_safe,
    transaction,
)

# Nested in the oversight blueprint: endpoints oversight.audit.*.
bp = Blueprint("audit", __name__, url_prefix="/audit")
PAGE_SIZE = 50
EXPORT_LIMIT = 100_000


class AuditFilterForm(AppForm):
    refused_heading = _l("The list was not filtered")

    class Meta:
        csrf = False  # a GET search form: nothing changes

    user = SelectField(_l("User"), validators=[Optional()])
    reference = StringField(_l("Request reference"), validators=[Optional(), Length(max=40)])
    action = StringField(_l("Action (beginning)"), validators=[Optional(), Length(max=60)])
    date_from = date_field(_l("From"), SEARCH_DATES)
    date_to = date_field(_l("To"), SEARCH_DATES)


def _form() -> tuple[AuditFilterForm, AuditFilter | None]:
    form = AuditFilterForm(request.args)
    users = list_users(db_session())
    form.user.choices = [("", _("Anyone"))] + [(str(u.id), u.full_name) for u in users]
    if not form.validate():
        return form, None
    return form, AuditFilter(user_id=int(form.user.data) if form.user.data else None,
                             request_reference=form.reference.data or "", action=form.action.data or "",
                             date_from=form.date_from.data, date_to=form.date_to.data)


def _cell(value: ReadableValue) -> object:
    """The value, or in its place why this reader may not see it."""
    return value.value if value.is_shown else f"[{label(value.access)}]"


@bp.route("/")
@role_required(*AUDIT_READERS)
def index() -> tuple[str, int]:
    form, wanted = _form()
    page = page_number()
    rows: list[AuditRow] = []
    if wanted is not None:
        with transaction(form):
            rows = read_audit_rows(db_session(), actor=current_user, wanted=wanted,
                                   offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE + 1)
            record_protected_values_shown(db_session(), actor=current_user, now=now_utc(),
                                          rows=rows[:PAGE_SIZE], remote_addr=remote_addr())
    status = 200 if wanted is not None and not form.errors else 400
    return render_template("oversight/audit.html", form=form, rows=rows[:PAGE_SIZE], page=page,
                           has_next=len(rows) > PAGE_SIZE), status


@bp.route("/export.csv")
@role_required(*AUDIT_READERS)
def export() -> Response | tuple[str, int]:
    form, wanted = _form()
    if wanted is None:
        return index()
    try:
        rows = read_audit_rows(db_session(), actor=current_user, wanted=wanted, limit=EXPORT_LIMIT)
    except DomainError as exc:
        show_error(exc, form)
        return render_template("oversight/audit.html", form=form, rows=[], page=1, has_next=False), 400
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Record"), _("Time (UTC)"), _("User"), _("Action"), _("Object"), _("Request"),
                     _("Changes"), _("Address"), _("Hash")])
    for row in rows:
        event = row.event
        cells = (event.id, event.at.isoformat(), row.actor_name or "", event.action,
                 f"{event.object_type}:{event.object_id}", row.reference or "",
                 json.dumps({value.field: _cell(value) for value in row.values}, ensure_ascii=False),
                 event.remote_addr, event.hash)
        writer.writerow([spreadsheet_safe(cell) for cell in cells])
    with transaction():
        record_protected_values_shown(db_session(), actor=current_user, now=now_utc(), rows=rows,
                                      remote_addr=remote_addr())
        record_event(db_session(), actor=current_user, now=now_utc(), action="audit.export",
                     object_type="audit", changes={"filters": request.args.to_dict()},
                     remote_addr=remote_addr())
    return Response("\ufeff" + buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=audit.csv"})

"""Exports of the filtered request list: CSV (UTF-8 with BOM, streamed) and XLSX (openpyxl write-only),
with the list's own filters and visibility, headers in the interface language, every export audited."""
from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import TypeVar

from flask import Blueprint, Response, request, send_file, stream_with_context
from flask_babel import gettext as _
from flask_login import current_user
from openpyxl import Workbook
from sqlalchemy.orm import Session

from mla.db import db_session
from mla.domain.access import CASE_WORKERS
from mla.i18n import country_name, label
from mla.reference.loader import load_reference
from mla.services.audit import record_event
from mla.services.requests.export import ExportRow, export_rows
from mla.services.requests.listing import filter_requests, read_list_filters
from mla.services.requests.queries import count
from mla.web.helpers import now_utc, remote_addr, role_required, spreadsheet_safe, transaction

CSV_FLUSH_ROWS = 500
Value = TypeVar("Value")

# Nested in the list's blueprint (url prefix /requests): endpoints requests.export.export_csv|xlsx.
bp = Blueprint("export", __name__)


def _header() -> list[str]:
    return [_("Reference"), _("Direction"), _("Kind"), _("Partner country"), _("Partner reference"),
            _("National case number"), _("Office"), _("Assigned to"), _("Stage"), _("Urgency"), _("Created"),
            _("Transmitted"), _("Acknowledged"), _("Next due date"), _("Next clock"), _("Days overdue"),
            _("Requester's deadline"), _("Subject")]


def _cells(dates: Callable[[date | None], object]) -> Callable[[ExportRow], list[object]]:
    """Turns a row into its cells in the interface language; labels are looked up once per value."""
    names: dict[object, str] = {}

    def name(value: Value, read: Callable[[Value], object]) -> str:
        if value not in names:
            names[value] = str(read(value))
        return names[value]

    def cells(row: ExportRow) -> list[object]:
        clock = name(row.next_clock, label) if row.next_clock else ""
        texts = (row.reference, name(row.direction, label), name(row.kind, label),
                 name(row.country_iso2, country_name), row.partner_reference, row.case_number, row.office,
                 row.assignee, name(row.stage, label), name(row.urgency, label))
        return [*(spreadsheet_safe(text) for text in texts), dates(row.created_on), dates(row.transmitted_on),
                dates(row.acknowledged_on), dates(row.next_due_on), clock, row.days_overdue or "",
                dates(row.deadline_on), spreadsheet_safe(row.subject)]

    return cells


def _rows(export_format: str) -> Iterator[ExportRow]:
    """The filtered list's rows, after writing the audit record of this export."""
    db = db_session()
    now = now_utc()
    stmt = filter_requests(db, user=current_user, filters=read_list_filters(request.args), today=now.date(),
                           home_iso2=load_reference().home_iso2)
    changes = {"format": export_format, "rows": count(db, stmt), "filters": request.args.to_dict()}
    with transaction():
        record_event(db, actor=current_user, now=now, action="requests.export", object_type="request",
                     changes=changes, remote_addr=remote_addr())
    return export_rows(db, stmt, today=now.date())


def _csv_chunks(header: list[str], lines: Iterable[list[object]], session: Session) -> Iterator[str]:
    """The CSV in pieces; the session is closed when the last piece is sent (or the client goes away),
    since the request's own teardown may already have run when a streamed body is read."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # Excel reads the file as UTF-8 (Cyrillic, Tajik) only with the BOM
    writer.writerow(header)
    try:
        for number, line in enumerate(lines, 1):
            writer.writerow(line)
            if number % CSV_FLUSH_ROWS == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()
    finally:
        session.close()


def _filename(extension: str) -> str:
    return f"requests-{now_utc():%Y-%m-%d}.{extension}"


@bp.route("/export.csv")
@role_required(*CASE_WORKERS)
def export_csv() -> Response:
    cells = _cells(lambda value: value.isoformat() if value else "")
    lines = (cells(row) for row in _rows("csv"))
    return Response(stream_with_context(_csv_chunks(_header(), lines, db_session())), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={_filename('csv')}"})


@bp.route("/export.xlsx")
@role_required(*CASE_WORKERS)
def export_xlsx() -> Response:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Requests"))
    sheet.append(_header())
    cells = _cells(lambda value: value)
    for row in _rows("xlsx"):
        sheet.append(cells(row))
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - send_file closes it after the response
    workbook.save(spool)
    spool.seek(0)
    return send_file(spool, download_name=_filename("xlsx"), as_attachment=True,
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

"""Views of the mail outbox: the list, one message, and the whole message as an .eml file."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template
from werkzeug.wrappers import Response

from mla.db import db_session
from mla.domain.enums import Role
from mla.models import OutboxMessage
from mla.services.operations.outbox import outbox_page
from mla.web.helpers import page_number, role_required

# Nested in the operations blueprint: endpoints operations.outbox.*, under /admin/outbox.
bp = Blueprint("outbox", __name__, url_prefix="/admin/outbox")
PER_PAGE = 50


@bp.route("/")
@role_required(Role.ADMIN)
def index() -> str:
    page = page_number()
    rows, total = outbox_page(db_session(), page=page, per_page=PER_PAGE)
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    start, end = (moment.strftime("%H:%M") for moment in current_app.config["WORKING_HOURS"])
    return render_template("operations/outbox.html", messages=rows, total=total, page=page, pages=pages,
                           smtp_host=current_app.config["SMTP_HOST"], hours_start=start, hours_end=end,
                           time_zone=current_app.config["TIME_ZONE"])


def _message(message_id: int) -> OutboxMessage:
    row = db_session().get(OutboxMessage, message_id)
    if row is None:
        abort(404)
    return row


@bp.route("/<int:message_id>")
@role_required(Role.ADMIN)
def show(message_id: int) -> str:
    row = _message(message_id)
    return render_template("operations/outbox_message.html", message=row,
                           attachments=[name for name in row.attachment_names.splitlines() if name])


@bp.route("/<int:message_id>.eml")
@role_required(Role.ADMIN)
def raw(message_id: int) -> Response:
    row = _message(message_id)
    return Response(row.raw, mimetype="message/rfc822",
                    headers={"Content-Disposition": f'attachment; filename="message-{row.id}.eml"'})

"""Views of a request's attachments: the upload form's target and the download."""
from __future__ import annotations

from io import BytesIO

from flask import Blueprint, abort, current_app, flash, redirect, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from mla.db import db_session
from mla.domain.enums import Role
from mla.services.requests.attachments import (
    add_attachment,
    get_attachment,
)
from mla.web.helpers import now_utc, role_required, transaction, visible_request
from mla.web.shared.panels import UPLOAD_ROLES, AttachmentForm

# Nested in the list's blueprint (url prefix /requests): endpoints requests.attachments.*.
bp = Blueprint("attachments", __name__)

READ_ROLES = (Role.DRAFTER, Role.DESK, Role.TRANSLATOR, Role.MANAGER)
@bp.route("/<int:request_id>/attachments", methods=["POST"])
@role_required(*UPLOAD_ROLES)
def upload(request_id: int) -> Response:
    db = db_session()
    item = visible_request(request_id)
    back = redirect(url_for("requests.show", request_id=item.id, _anchor="attachments"))
    form = AttachmentForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(str(errors[0]), "danger")
        return back
    max_bytes = current_app.config["UPLOAD_MAX_BYTES"]
    with transaction() as work:
        attachment = add_attachment(
            db, actor=current_user, now=now_utc(), item=item, filename=form.file.data.filename or "",
            data=form.file.data.stream.read(max_bytes + 1), description=form.description.data or "",
            max_bytes=max_bytes, allowed_types=current_app.config["UPLOAD_ALLOWED_TYPES"])
    if work.failed:
        return back
    flash(_("The file %(name)s was attached.", name=attachment.filename), "success")
    return back


@bp.route("/<int:request_id>/attachments/<int:attachment_id>")
@role_required(*READ_ROLES)
def download(request_id: int, attachment_id: int) -> Response:
    db = db_session()
    visible_request(request_id)
    found = get_attachment(db, request_id, attachment_id)
    if found is None:
        abort(404)
    attachment, blob = found
    response = send_file(BytesIO(blob.content), mimetype=blob.media_type, as_attachment=True,
                         download_name=attachment.filename, etag=blob.sha256)
    # Set again: send_file would add a second charset to "text/plain; charset=utf-8".
    response.headers["Content-Type"] = blob.media_type
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response

"""The administrator's page of letter templates: which version is in use per kind and language, uploading a
new version (refused with every reason when it fails the checks), going back to an earlier one."""
from __future__ import annotations

from io import BytesIO
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from mla.db import db_session
from mla.documents.catalog import load_catalog
from mla.documents.validation import TemplateProblem
from mla.domain.enums import LetterKind, Role
from mla.i18n import language_name, message_text
from mla.models import Blob, LetterTemplateVersion
from mla.services.letters.templates import (
    MAX_TEMPLATE_BYTES,
    TemplateRejected,
    activate_template,
    active_version,
    template_source,
    template_versions,
    upload_template,
)
from mla.web.forms import required_text
from mla.web.helpers import as_id, commit_or_show, now_utc, role_required, transaction
from mla.web.letters.forms import TemplateChoiceForm, TemplateUploadForm
from mla.web.letters.views import DOCX_TYPE
from mla.web.shared.panels import language_choices

# Nested in the letters blueprint: endpoints letters.admin.templates|upload|activate|download_template.
bp = Blueprint("admin", __name__)


def _rows() -> list[dict[str, Any]]:
    db = db_session()
    rows = []
    for kind, entry in load_catalog().kinds.items():
        for language in entry.languages:
            rows.append({"kind": kind, "language": language, "needs_review": entry.needs_review[language],
                         "shipped": entry.template_version, "active": active_version(db, kind, language),
                         "versions": template_versions(db, kind, language)})
    return rows


def _page(form: TemplateUploadForm, problems: tuple[TemplateProblem, ...] = ()) -> str:
    return render_template("letters/templates.html", form=form, rows=_rows(), problems=problems,
                           choice_form=TemplateChoiceForm(),
                           language_label=language_name,
                           problem_text=lambda p: message_text(p.message, p.params))


def _upload_form() -> TemplateUploadForm:
    form = TemplateUploadForm()
    form.language.choices = language_choices(load_catalog().languages())
    return form


@bp.route("/admin/letter-templates")
@role_required(Role.ADMIN)
def templates() -> str:
    return _page(_upload_form())


@bp.route("/admin/letter-templates", methods=["POST"])
@role_required(Role.ADMIN)
def upload() -> Response | tuple[str, int]:
    db = db_session()
    form = _upload_form()
    if not form.validate_on_submit():
        return _page(form), 400
    data = form.file.data.read(MAX_TEMPLATE_BYTES + 1)
    with transaction(form, quiet=TemplateRejected) as work:
        version = upload_template(db, actor=current_user, now=now_utc(), kind=LetterKind(form.kind.data),
                                  language=form.language.data, data=data, note=form.note.data or "")
    if isinstance(work.error, TemplateRejected):
        return _page(form, work.error.problems), 400
    if work.failed:
        return _page(form), 400
    flash(_("Version %(number)s of the template is now in use.", number=version.version_no), "success")
    return redirect(url_for("letters.admin.templates"))


@bp.route("/admin/letter-templates/activate", methods=["POST"])
@role_required(Role.ADMIN)
def activate() -> Response:
    db = db_session()
    form = TemplateChoiceForm()
    version = form.version.data or ""
    if not form.validate_on_submit() or form.kind.data not in set(LetterKind) or not (
            version == "shipped" or as_id(version) is not None):
        flash(_("Choose a version from the list."), "danger")
        return redirect(url_for("letters.admin.templates"))
    kind = LetterKind(form.kind.data)
    commit_or_show(lambda: activate_template(
        db, actor=current_user, now=now_utc(), kind=kind, language=required_text(form.language),
        version_id=None if version == "shipped" else as_id(version)), _("The template in use was changed."))
    return redirect(url_for("letters.admin.templates"))


@bp.route("/admin/letter-templates/<kind>/<language>.docx")
@role_required(Role.ADMIN)
def download_template(kind: str, language: str) -> Response:
    """The template in use, or the version ?version=<id> of it, to edit in Word."""
    if kind not in set(LetterKind) or language not in load_catalog().kinds[LetterKind(kind)].languages:
        abort(404)
    chosen = as_id(request.args.get("version", ""))
    if chosen is not None:
        version = db_session().get(LetterTemplateVersion, chosen)
        if version is None or version.letter_kind != kind or version.language != language:
            abort(404)
        data = db_session().get_one(Blob, version.blob_sha256).content  # the foreign key keeps the blob
    else:
        data = template_source(db_session(), LetterKind(kind), language).data
    return send_file(BytesIO(data), mimetype=DOCX_TYPE, as_attachment=True,
                     download_name=f"{kind}_{language}.docx")

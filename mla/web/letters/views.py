"""Views of a request's letters: the panel (generate a letter, list every version), generating, and
downloading a letter as .docx or, when LibreOffice is installed, as PDF."""
from __future__ import annotations

from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from jinja2 import TemplateError
from werkzeug.wrappers import Response

from mla.db import db_session
from mla.documents.pdf import PdfFailed, PdfUnavailable, convert_to_pdf
from mla.documents.render import RenderError
from mla.domain.enums import LetterKind
from mla.i18n import message_text
from mla.models import AssistanceRequest
from mla.reference.loader import load_reference
from mla.services.letters.drafting import (
    LetterJob,
    LetterProblem,
    LetterRefused,
    gather_letter,
    get_letter,
    letter_filename,
    render_job,
    store_letter,
)
from mla.web.helpers import now_utc, role_required, transaction, visible_request
from mla.web.letters.forms import FIELD_LABELS
from mla.web.shared.panels import LETTER_EDITORS, LetterForm, letter_form, letter_panel

bp = Blueprint("letters", __name__)

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ViewResult = Response | tuple[str, int] | str


def problem_text(problem: LetterProblem) -> str:
    """A problem in the interface language, with field names (and, through message_text, language
    names) instead of codes."""
    params = dict(problem.params)
    if "field" in params and params["field"] in FIELD_LABELS:
        label = str(FIELD_LABELS[params["field"]])
        params["field"] = f"{label} ({_('measure')} {params['number']})" if params.get("number") else label
    return message_text(problem.message, params)


def problem_url(item: AssistanceRequest, problem: LetterProblem) -> str | None:
    if problem.link is None:
        return None
    target, _sep, anchor = problem.link.partition("#")
    if target == "edit":
        return url_for("requests.drafting.edit", request_id=item.id, _anchor=anchor)
    if target.startswith("translate:"):
        return url_for("letters.translations.translations", request_id=item.id,
                       language=target.split(":", 1)[1], _anchor=f"t-{anchor}")
    return url_for("requests.show", request_id=item.id, _anchor=anchor or None)


def _page(item: AssistanceRequest, form: LetterForm, problems: tuple[LetterProblem, ...] = ()) -> str:
    return render_template("letters/index.html", item=item, problems=problems, problem_text=problem_text,
                           problem_url=problem_url, **letter_panel(item, form))


@bp.route("/requests/<int:request_id>/letters")
@role_required(*LETTER_EDITORS)
def index(request_id: int) -> str:
    item = visible_request(request_id)
    return _page(item, letter_form(item))


@bp.route("/requests/<int:request_id>/letters", methods=["POST"])
@role_required(*LETTER_EDITORS)
def generate(request_id: int) -> ViewResult:
    db = db_session()
    item = visible_request(request_id)
    form = letter_form(item)
    if not form.validate_on_submit():
        return _page(item, form), 400
    # gather_letter writes nothing: its transaction ends here, so no lock is held while the letter renders
    with transaction(form, quiet=LetterRefused) as work:
        job = gather_letter(db, actor=current_user, now=now_utc(), item=item,
                            kind=LetterKind(form.kind.data), language=form.language.data,
                            home_iso2=load_reference().home_iso2,
                            second_language=form.second_language.data or None,
                            bilingual_layout=form.layout.data)
    if isinstance(work.error, LetterRefused):
        return _page(item, form, work.error.problems), 400
    if work.failed:
        return _page(item, form), 400
    return _render_and_store(item, form, job)


def _render_and_store(item: AssistanceRequest, form: LetterForm, job: LetterJob) -> ViewResult:
    try:
        prepared = render_job(job)
    except (RenderError, TemplateError) as exc:
        flash(_("The template in use could not be rendered (%(error)s); ask an administrator to check it.",
                error=str(exc)[:200]), "danger")
        return _page(item, form), 400
    with transaction(form) as work:
        stored = store_letter(db_session(), actor=current_user, now=now_utc(), prepared=prepared)
    if work.failed:
        return _page(item, form), 400
    flash(_("The letter was generated: version %(version)s.", version=stored[0].version_no), "success")
    return redirect(url_for("letters.index", request_id=item.id, _anchor="letters"))


@bp.route("/requests/<int:request_id>/letters/<int:document_id>")
@role_required(*LETTER_EDITORS)
def download(request_id: int, document_id: int) -> Response:
    item = visible_request(request_id)
    found = get_letter(db_session(), item.id, document_id) or abort(404)
    document, blob = found
    response = send_file(BytesIO(blob.content), mimetype=DOCX_TYPE, as_attachment=True,
                         download_name=letter_filename(document, item.reference), etag=blob.sha256)
    return response


@bp.route("/requests/<int:request_id>/letters/<int:document_id>.pdf")
@role_required(*LETTER_EDITORS)
def pdf(request_id: int, document_id: int) -> Response:
    item = visible_request(request_id)
    document, blob = get_letter(db_session(), item.id, document_id) or abort(404)
    try:
        content = convert_to_pdf(blob.content)
    except (PdfUnavailable, PdfFailed) as exc:
        flash(_("The PDF could not be made (%(error)s); download the .docx instead.", error=str(exc)),
              "danger")
        return redirect(url_for("letters.index", request_id=item.id, _anchor="letters"))
    response = send_file(BytesIO(content), mimetype="application/pdf", as_attachment=True,
                         download_name=letter_filename(document, item.reference, "pdf"))
    return response

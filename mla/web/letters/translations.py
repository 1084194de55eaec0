"""The translator's page: the free text of a request beside a box for its version in a target language."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from mla.db import db_session
from mla.documents.catalog import load_catalog
from mla.domain.enums import Role
from mla.domain.errors import DomainError
from mla.models import AssistanceRequest
from mla.services.translations import TranslatableText, save_translation, signatory_of, translatable_texts
from mla.web.forms import AppForm
from mla.web.helpers import error_text, now_utc, role_required, visible_request
from mla.web.letters.forms import FIELD_LABELS, language_choices
from mla.web.letters.views import bp


def _targets(item: AssistanceRequest) -> list[str]:
    return [code for code in load_catalog().languages() if code != item.drafting_language]


def _chosen(item: AssistanceRequest, targets: list[str]) -> str:
    """The language asked for in the URL when it is one of `targets`; else the request's language."""
    asked = request.args.get("language", "")
    if asked in targets:
        return asked
    return item.request_language if item.request_language in targets else targets[0]


def _texts(item: AssistanceRequest, language: str) -> list[TranslatableText]:
    return translatable_texts(db_session(), item, language, signatory=signatory_of(item, current_user))


def _page(item: AssistanceRequest, language: str, errors: dict[str, str] | None = None) -> str:
    return render_template("letters/translations.html", item=item, language=language, form=AppForm(),
                           languages=language_choices(_targets(item)), texts=_texts(item, language),
                           labels=FIELD_LABELS, typed=request.form, errors=errors or {})


def _save_all(item: AssistanceRequest, language: str) -> dict[str, str]:
    """Save every translation box of the form; the errors by field key (nothing saved if any)."""
    errors = {}
    for text in _texts(item, language):
        typed = request.form.get(f"t-{text.field_key}")
        if typed is None:
            continue
        try:
            save_translation(db_session(), actor=current_user, now=now_utc(), request=item,
                             field_key=text.field_key, language=language, text=typed)
        except DomainError as exc:
            errors[text.field_key] = error_text(exc)
    return errors


@bp.route("/requests/<int:request_id>/translations", methods=["GET", "POST"])
@role_required(Role.TRANSLATOR, Role.DESK, Role.MANAGER)
def translations(request_id: int) -> Response | str | tuple[str, int]:
    item = visible_request(request_id)
    language = _chosen(item, _targets(item))
    form = AppForm()
    if not form.is_submitted():
        return _page(item, language)
    errors = _save_all(item, language) if form.validate_on_submit() else {"": _("The form has expired; "
                                                                                  "send it again.")}
    if errors:
        db_session().rollback()
        return _page(item, language, errors), 400
    db_session().commit()
    flash(_("The translations were saved."), "success")
    return redirect(url_for("letters.translations", request_id=item.id, language=language))

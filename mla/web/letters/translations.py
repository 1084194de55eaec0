"""The translator's page: the free text of a request beside a box for its version in a target language."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from mla.db import db_session
from mla.documents.catalog import load_catalog
from mla.domain.access import may_see
from mla.domain.enums import Role
from mla.domain.errors import N_, DomainError, StaleEdit
from mla.models import AssistanceRequest
from mla.services.letters.translations import (
    TranslatableText,
    ask_for_translation,
    has_left_translation,
    save_translation,
    signatory_of,
    translatable_texts,
)
from mla.web.forms import AppForm, ErrorSummary, FieldError
from mla.web.helpers import error_text, now_utc, posted_version, role_required, transaction, visible_request
from mla.web.letters.forms import FIELD_LABELS
from mla.web.shared.panels import language_choices

# Nested in the letters blueprint: endpoints letters.translations.translations.
bp = Blueprint("translations", __name__)


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


def _page(item: AssistanceRequest, language: str, errors: dict[str, str] | None = None,
          stale: frozenset[str] = frozenset()) -> str:
    """The page; after a refused save, each box keeps what was typed, and a box that someone else's
    save made stale shows their text under it. Every box then carries the version stored now, so that
    a second save, made after review, may overwrite."""
    errors = errors or {}
    texts = _texts(item, language)
    summary = ErrorSummary(str(AppForm.refused_heading), tuple(
        FieldError(_label(text), errors[text.field_key], f"t-{text.field_key}-box")
        for text in texts if text.field_key in errors))
    return render_template("letters/translations.html", item=item, language=language, form=AppForm(),
                           languages=language_choices(_targets(item)), texts=texts, labels=FIELD_LABELS,
                           typed=request.form, errors=errors, stale=stale, summary=summary)


def _label(text: TranslatableText) -> str:
    """A box's name as the page shows it: the field, and the measure's number for a measure's text."""
    name = str(FIELD_LABELS[text.field])
    return f"{name} · {_('measure')} {text.measure_number}" if text.measure_number else name


class TranslationsRefused(DomainError):
    """Some boxes of the translator's form were refused: the message of each by field key, and the keys
    refused because someone else saved them meanwhile. (The page shows each beside its box.)"""

    def __init__(self, errors: dict[str, str], stale: frozenset[str]) -> None:
        super().__init__(next(iter(errors.values())))
        self.errors = errors
        self.stale = stale


def _save_all(item: AssistanceRequest, language: str) -> None:
    """Save every translation box of the form, each over the version the page showed; when any is
    refused, TranslationsRefused says which (and the transaction keeps none)."""
    errors = {}
    stale = set()
    for text in _texts(item, language):
        typed = request.form.get(f"t-{text.field_key}")
        if typed is None:
            continue
        try:
            save_translation(db_session(), actor=current_user, now=now_utc(), item=item,
                             field_key=text.field_key, language=language, text=typed,
                             expected_version=posted_version(f"v-{text.field_key}"))
        except StaleEdit as exc:
            errors[text.field_key] = error_text(exc)
            stale.add(text.field_key)
        except DomainError as exc:
            errors[text.field_key] = error_text(exc)
    if errors:
        raise TranslationsRefused(errors, frozenset(stale))


LEFT_TRANSLATION = N_(
    "This request has left the translation stage, so your translations were not saved. What you typed "
    "is below: copy it if it is still needed, and ask the desk."
)


ENDED_WHILE_ASKED = N_(
    "This request has ended, so your translations were not saved. What you typed is below: copy it if "
    "it is still needed, and ask the desk."
)


def _too_late(request_id: int) -> tuple[str, int] | None:
    """A translator's save that comes after the request moved on from translation, or ended while they
    were asked to translate it, so that they may no longer see it: refused on a page that keeps what
    they typed and shows nothing else of the request."""
    item = db_session().get(AssistanceRequest, request_id)
    if (request.method != "POST" or item is None or may_see(current_user, item)
            or not AppForm().validate_on_submit()):
        return None
    if has_left_translation(db_session(), item.id):
        message = LEFT_TRANSLATION
    elif item.translation_asked:
        message = ENDED_WHILE_ASKED
    else:
        return None
    boxes = [(name[2:], text) for name, text in request.form.items()
             if name.startswith("t-") and text.strip()]
    typed = [(FIELD_LABELS.get(key.rsplit(":", 1)[-1], key), text) for key, text in boxes]
    return render_template("letters/translations_too_late.html", message=_(message),
                           typed=typed), 409


@bp.route("/requests/<int:request_id>/translations", methods=["GET", "POST"])
@role_required(Role.TRANSLATOR, Role.DESK, Role.MANAGER)
def translations(request_id: int) -> Response | str | tuple[str, int]:
    too_late = _too_late(request_id)
    if too_late is not None:
        return too_late
    item = visible_request(request_id)
    language = _chosen(item, _targets(item))
    form = AppForm()
    if not form.is_submitted():
        return _page(item, language)
    if not form.validate_on_submit():
        return _page(item, language, {"": _("The form has expired; send it again.")}), 400
    with transaction(quiet=TranslationsRefused) as work:
        _save_all(item, language)
    if isinstance(work.error, TranslationsRefused):
        return _page(item, language, work.error.errors, work.error.stale), 409 if work.error.stale else 400
    if work.failed:
        return _page(item, language), 400
    flash(_("The translations were saved."), "success")
    return redirect(url_for("letters.translations.translations", request_id=item.id, language=language))


@bp.route("/requests/<int:request_id>/translations/ask", methods=["POST"])
@role_required(Role.DESK, Role.MANAGER)
def ask(request_id: int) -> Response:
    """The desk or a manager asks the translators for this request, at the stage it stands."""
    item = visible_request(request_id)
    if not AppForm().validate_on_submit():
        flash(_("The form has expired; send it again."), "danger")
        return redirect(url_for("requests.show", request_id=item.id))
    with transaction() as work:
        ask_for_translation(db_session(), actor=current_user, now=now_utc(), item=item)
    if not work.failed:
        flash(_("The translators were asked to translate this request."), "success")
    return redirect(url_for("requests.show", request_id=item.id, _anchor="letters"))

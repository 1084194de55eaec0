"""Tests for ref_label: which language a reference-data label is shown in, and its fallbacks."""
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from mla.domain.enums import Role
from mla.i18n import ref_label
from mla.models import User
from mla.reference.loader import load_reference

FULL = {"en": "Search", "ru": "Обыск", "tg": "Кофтуков", "uz_Latn": "Tintuv", "fa_AF": "تلاشی"}
WESTERN = {"en": "Search", "ru": "Обыск"}
RUSSIAN_ONLY = {"ru": "Обыск", "tg": "Кофтуков"}
ENGLISH_ONLY = {"en": "Search", "tg": "Кофтуков"}
BASE_ONLY = {"en": "Search", "ru": "Обыск", "uz": "Tintuv (base)", "fa": "تلاشی (base)"}


@pytest.mark.parametrize(
    ("labels", "locale", "expected"),
    [
        (FULL, "fa_AF", "تلاشی"),
        (FULL, "uz_Latn", "Tintuv"),
        (FULL, "tg", "Кофтуков"),
        (BASE_ONLY, "uz_Latn", "Tintuv (base)"),
        (BASE_ONLY, "fa_AF", "تلاشی (base)"),
        # Outside the CIS the last resort is English before Russian ...
        (WESTERN, "fa_AF", "Search"),
        (WESTERN, "en", "Search"),
        (RUSSIAN_ONLY, "fa_AF", "Обыск"),
        # ... inside it, Russian before English.
        (WESTERN, "tg", "Обыск"),
        (WESTERN, "uz_Latn", "Обыск"),
        (ENGLISH_ONLY, "uz_Latn", "Search"),
        ({"tg": "Кофтуков"}, "fa_AF", "Кофтуков"),
        ({"en": "", "ru": "Обыск"}, "en", "Обыск"),
        ({}, "fa_AF", ""),
    ],
)
def test_ref_label_order(labels: dict[str, str], locale: str, expected: str) -> None:
    assert ref_label(labels, locale) == expected


def test_ref_label_follows_the_interface_locale(app: Flask) -> None:
    untoc = load_reference().treaties["untoc"].name
    with app.test_request_context("/?lang=fa_AF"):
        assert ref_label(untoc) == untoc["fa_AF"]
    with app.test_request_context("/?lang=uz_Latn"):
        assert ref_label(untoc) == untoc["uz_Latn"]


def test_a_dari_drafter_reads_treaties_and_channels_in_dari(
        client: FlaskClient, login_as: Callable[..., User]) -> None:
    login_as(Role.DRAFTER)
    body = client.get("/requests/new?direction=outgoing&kind=mla&lang=fa_AF").get_data(as_text=True)
    reference = load_reference()
    for item in (reference.treaties["minsk_1993"].name, reference.channels["diplomatic"].labels):
        assert item["fa_AF"] in body
        assert item["ru"] not in body

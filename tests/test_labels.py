"""Enum labels are written once (mla/domain/labels.py); every page, e-mail and report reads them there."""
from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient

from mla.domain.access import AuditValueAccess
from mla.domain.enums import ClockKind, Direction, LinkKind, Role
from mla.domain.labels import LABELS, label_msgid
from mla.models import AssistanceRequest

# Members no page names: a conversion is recorded by its move, a value shown needs no stand-in.
UNNAMED = {LinkKind.CONVERTED, AuditValueAccess.SHOWN}


def test_every_member_of_a_labelled_enum_has_its_label() -> None:
    missing = [member for enum in LABELS for member in enum if member not in UNNAMED
               and not LABELS[enum].get(member)]
    assert missing == []


def test_label_msgid_names_the_member_of_its_own_enum() -> None:
    assert label_msgid(Direction.OUTGOING) == "Outgoing"
    assert label_msgid(ClockKind.STATUS_ENQUIRY) == "Status enquiry due"


def test_the_request_page_names_a_link_from_either_side(
        client: FlaskClient, login_as: Callable[..., object],
        make_request: Callable[..., AssistanceRequest]) -> None:
    login_as(Role.DRAFTER)
    reply = make_request()
    original = make_request()
    response = client.post(f"/requests/{reply.id}/links",
                           data={"reference": original.reference, "kind": LinkKind.REPLY.value})
    assert response.status_code == 302
    assert "is a reply to" in client.get(f"/requests/{reply.id}").get_data(as_text=True)
    assert "answered by" in client.get(f"/requests/{original.id}").get_data(as_text=True)


def test_the_request_list_filters_offer_directions_and_kinds_by_their_labels(
        client: FlaskClient, login_as: Callable[..., object]) -> None:
    login_as(Role.DESK)
    page = client.get("/requests/").get_data(as_text=True)
    assert '<option value="incoming" >Incoming</option>' in page
    assert '<option value="police" >Police-to-police</option>' in page


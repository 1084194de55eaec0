"""Usable without a mouse and by screen readers (WCAG 2.1 AA), as far as the served page shows it: a
refused form says so first, in a summary that links to each field in error; what the browser may fill in
is named; figure tables have row headers; and right-to-left pages keep the brackets of legal citations
the right way round. The browser suite (tests/e2e/test_accessibility.py) runs axe-core on every page."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from flask import Flask
from flask.testing import FlaskClient
from lxml import html as lxml_html
from lxml.html import HtmlElement

from mla.domain.enums import Role, Stage
from mla.i18n import LRI, PDI
from mla.models import AssistanceRequest, User
from mla.web.accounts.forms import EnrolForm
from mla.web.forms import FieldError, form_errors
from tests.test_requests import request_form

EN = {"Accept-Language": "en"}
DARI = {"Accept-Language": "fa-AF"}
NEW = "/requests/new?direction=outgoing&kind=mla"


def parsed(body: str) -> HtmlElement:
    return lxml_html.fromstring(body)


def summary_of(page: HtmlElement) -> HtmlElement:
    """The error summary; it must come before the page's own content."""
    found = page.xpath('//main/*[1][@data-testid="error-summary"]')
    assert len(found) == 1, "the error summary is the first thing in the page's main content"
    return found[0]


def test_a_refused_request_form_leads_with_a_summary_linking_to_each_field(
        client: FlaskClient, login_as: Callable[..., User]) -> None:
    login_as(Role.DRAFTER)
    typed = request_form(deadline_on="9999-12-31", subject_matter="Торговля людьми, дело 117",
                         case_number="9" * 61, legal_bases=["no_such_treaty"])
    response = client.post(NEW, data=typed, headers=EN)
    assert response.status_code == 400
    page = parsed(response.get_data(as_text=True))
    summary = summary_of(page)
    assert summary.get("role") == "alert" and summary.get("tabindex") == "-1"
    assert summary.get("data-focus-on-load") is not None
    assert summary.findtext(".//h2") == "Not saved"
    links = {a.get("href"): a.text_content() for a in summary.iter("a")}
    assert links["#deadline_on"].startswith("Deadline")
    assert "Enter a date from" in links["#deadline_on"]
    assert links["#case_number"].startswith("National case number: ")
    assert "#legal_bases-0" in links  # the first of the boxes
    for href in links:  # each link reaches a field of the form, which names its message
        field = page.get_element_by_id(href[1:])
        described = field if field.get("type") != "checkbox" else field.xpath("ancestor::fieldset[1]")[0]
        assert page.get_element_by_id(described.get("aria-describedby")) is not None
    # what was typed stays
    assert page.get_element_by_id("deadline_on").get("value") == "9999-12-31"
    assert page.get_element_by_id("subject_matter").text_content().strip() == "Торговля людьми, дело 117"


def test_a_page_without_a_refused_form_has_no_summary(client: FlaskClient,
                                                      login_as: Callable[..., User]) -> None:
    login_as(Role.DRAFTER)
    body = client.get(NEW, headers=EN).get_data(as_text=True)
    assert 'data-testid="error-summary"' not in body
    assert "data-focus-on-load" not in body


def test_the_summary_script_is_a_file_the_strict_csp_allows(client: FlaskClient) -> None:
    response = client.get("/sign-in", headers=EN)
    page = parsed(response.get_data(as_text=True))
    scripts = page.xpath("//script")
    assert all(script.get("src") and not (script.text or "").strip() for script in scripts)
    assert "/static/forms.js" in [script.get("src") for script in scripts]
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    served = client.get("/static/forms.js")
    assert served.status_code == 200 and "data-focus-on-load" in served.get_data(as_text=True)


def test_sign_in_names_what_the_browser_may_fill_in_and_says_it_did_not_sign_in(
        client: FlaskClient) -> None:
    page = parsed(client.get("/sign-in", headers=EN).get_data(as_text=True))
    assert page.get_element_by_id("email").get("autocomplete") == "username"
    assert page.get_element_by_id("password").get("autocomplete") == "current-password"

    response = client.post("/sign-in", data={"email": "someone@example.org", "password": ""}, headers=EN)
    page = parsed(response.get_data(as_text=True))
    summary = summary_of(page)
    assert summary.findtext(".//h2") == "Not signed in"
    assert [a.get("href") for a in summary.iter("a")] == ["#password"]
    assert page.get_element_by_id("email").get("value") == "someone@example.org"


def test_a_wrong_password_takes_the_focus(client: FlaskClient, make_user: Callable[..., User]) -> None:
    user = make_user(Role.DRAFTER)
    response = client.post("/sign-in", data={"email": user.email, "password": "not the password"},
                           headers=EN)
    assert response.status_code == 401
    alert = parsed(response.get_data(as_text=True)).xpath('//*[@data-focus-on-load]')
    assert len(alert) == 1 and alert[0].get("role") == "alert" and alert[0].get("tabindex") == "-1"
    assert "not correct" in alert[0].text_content()


def test_second_factor_codes_are_one_time_codes(client: FlaskClient, login_as: Callable[..., User]) -> None:
    login_as(Role.DRAFTER)
    page = parsed(client.get("/two-factor", headers=EN).get_data(as_text=True))
    assert page.get_element_by_id("code").get("autocomplete") == "one-time-code"


def test_the_letters_panel_ties_its_errors_to_their_fields(
        client: FlaskClient, login_as: Callable[..., User],
        make_request: Callable[..., AssistanceRequest]) -> None:
    login_as(Role.DESK)
    item = make_request()
    response = client.post(f"/requests/{item.id}/letters", headers=EN,
                           data={"kind": "no_such_kind", "language": "ru", "layout": "columns"})
    assert response.status_code == 400
    page = parsed(response.get_data(as_text=True))
    kind = page.get_element_by_id("kind")
    assert kind.get("aria-invalid") == "true"
    message = page.get_element_by_id(kind.get("aria-describedby"))
    assert message.text_content().strip() == "Not a valid choice."
    assert [a.get("href") for a in summary_of(page).iter("a")] == ["#kind"]


def test_translations_refused_lead_with_a_summary(
        client: FlaskClient, login_as: Callable[..., User],
        make_request: Callable[..., AssistanceRequest]) -> None:
    login_as(Role.TRANSLATOR)
    item = make_request(stage=Stage.TRANSLATION, drafting_language="ru", request_language="en",
                        facts_summary="Вербовка граждан.")
    url = f"/requests/{item.id}/translations?language=en"
    response = client.post(url, headers=EN, data={"t-facts_summary": "x" * 100_001, "v-facts_summary": "0"})
    assert response.status_code == 400
    page = parsed(response.get_data(as_text=True))
    links = [a.get("href") for a in summary_of(page).iter("a")]
    assert links == ["#t-facts_summary-box"]
    box = page.get_element_by_id("t-facts_summary-box")
    assert box.get("aria-invalid") == "true"
    assert page.get_element_by_id(box.get("aria-describedby")) is not None


def test_the_dashboards_figure_tables_have_row_headers(
        client: FlaskClient, login_as: Callable[..., User],
        make_request: Callable[..., AssistanceRequest]) -> None:
    login_as(Role.MANAGER)
    make_request(stage=Stage.SENT, deadline_on=date.today() - timedelta(days=3))
    page = parsed(client.get("/dashboard", headers=EN).get_data(as_text=True))
    tables = page.xpath('//section[starts-with(@id, "by-")]//table')
    assert tables
    for table in tables:
        assert all(row.xpath('./*[1][self::th][@scope="row"]') for row in table.xpath(".//tbody/tr"))
        assert all((th.text_content() or "").strip() for th in table.xpath(".//thead//th"))
        assert page.get_element_by_id(table.get("aria-labelledby")) is not None


def test_sessions_table_names_every_column(client: FlaskClient, login_as: Callable[..., User]) -> None:
    login_as(Role.DRAFTER)
    page = parsed(client.get("/account/sessions", headers=EN).get_data(as_text=True))
    assert all(th.text_content().strip() for th in page.xpath('//table[@data-testid="sessions"]//th'))


def test_right_to_left_pages_keep_citations_left_to_right(
        client: FlaskClient, login_as: Callable[..., User],
        make_request: Callable[..., AssistanceRequest]) -> None:
    """In Dari, "(UNTOC 18(15)(a))." would show its citation's last bracket at the far end of the line:
    the citation is isolated, as <bdi> would do, in findings, move buttons and choice lists."""
    login_as(Role.DESK)
    draft = make_request()
    body = client.get(f"/requests/{draft.id}", headers=DARI).get_data(as_text=True)
    assert f"({LRI}UNTOC 18(15)(a){PDI})" in body
    assert "(UNTOC 18(15)(a))" not in body

    sent = make_request(stage=Stage.SENT)
    body = client.get(f"/requests/{sent.id}/moves/record_refusal", headers=DARI).get_data(as_text=True)
    assert f"({LRI}UNTOC 18(21)(a){PDI})" in body

    english = client.get(f"/requests/{draft.id}", headers=EN).get_data(as_text=True)
    assert "(UNTOC 18(15)(a))" in english and LRI not in english




def test_a_hidden_field_in_error_is_listed_without_its_english_name(app: Flask) -> None:
    """A hidden field's label is WTForms' English default (the tampered key of the second-factor page
    is "Secret"): the summary gives its message alone, with no link to a field nobody can see."""
    with app.test_request_context("/two-factor", method="POST", data={"code": "123456"}):
        form = EnrolForm()
        assert not form.validate()
        assert form_errors(form) == (FieldError("", "This field is required.", None),)


def test_a_refused_filter_says_the_list_was_not_filtered(client: FlaskClient,
                                                         login_as: Callable[..., User]) -> None:
    login_as(Role.MANAGER)
    page = parsed(client.get("/audit/?date_to=9999-12-31", headers=EN).get_data(as_text=True))
    summary = summary_of(page)
    assert summary.findtext(".//h2") == "The list was not filtered"
    assert [a.get("href") for a in summary.iter("a")] == ["#date_to"]

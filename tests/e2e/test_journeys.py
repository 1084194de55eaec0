"""PRODUCT.md's journeys end to end in the browser, as the roles that do them, in Russian and in Dari
(right to left): every hand-off is checked where the next person meets it (their home page, the request's
stage, history, clocks and letters). Selectors name ids, form fields, hrefs and data attributes, never
interface text, so each journey runs unchanged in both languages."""
from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from docx import Document
from playwright.sync_api import Page, expect

from mla.demo.data import DEMO_PASSWORD

LANGUAGES = ["ru", "fa_AF"]
DESK, MANAGER, DRAFTER = "desk@demo.mla.tj", "manager@demo.mla.tj", "drafter@demo.mla.tj"
BOKHTAR = "drafter.bokhtar@demo.mla.tj"
SHOWN = re.compile(r"/requests/\d+(#\w+)?$")  # a request's page, where a move done leads back to


@pytest.fixture(autouse=True)
def _quick_failures(page: Page) -> None:
    page.set_default_timeout(10_000)


def today(days: int = 0) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


def sign_in(page: Page, base: str, email: str, locale: str) -> None:
    page.goto(f"{base}/sign-in?lang={locale}")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page.get_by_test_id("whoami")).to_be_attached()
    assert page.evaluate("document.documentElement.lang") == locale.replace("_", "-")
    assert page.evaluate("document.documentElement.dir") == ("rtl" if locale == "fa_AF" else "ltr")


def sign_out(page: Page) -> None:
    page.locator("form[action$='/sign-out'] button").click()
    expect(page.get_by_test_id("whoami")).to_have_count(0)


def as_user(page: Page, base: str, email: str, locale: str, url: str) -> None:
    """Hand the request to the next person: they sign in, find it on their home page and open it."""
    sign_out(page)
    sign_in(page, base, email, locale)
    open_from_home(page, url)


def switch_user(page: Page, base: str, email: str, locale: str, url: str) -> None:
    """The next person opens the request from where they work on it (not their home page)."""
    sign_out(page)
    sign_in(page, base, email, locale)
    page.goto(url)


def open_from_home(page: Page, url: str) -> None:
    link = page.locator(f"main a[href$='{path_of(url)}']").first
    expect(link).to_be_visible()
    link.click()
    expect(page).to_have_url(url)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def fill(page: Page, fields: dict[str, str]) -> None:
    for name, value in fields.items():
        control = page.locator(f"main [name={name}]")
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(value)
        elif control.get_attribute("type") == "checkbox":
            control.check()
        else:
            control.fill(value)


def make_move(page: Page, name: str, fields: dict[str, str] | None = None) -> None:
    page.locator(f"main a[href$='/moves/{name}']").first.click()
    fill(page, fields or {})
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page).to_have_url(SHOWN)


def expect_stage(page: Page, stage: str) -> None:
    expect(page.get_by_test_id("stage")).to_have_attribute("data-stage", stage)


def save_form(page: Page, fields: dict[str, str]) -> None:
    fill(page, fields)
    page.locator("main form[method=post] button[type=submit]").last.click()


def add_measure(page: Page, code: str, details: str) -> None:
    page.locator("main a[href$='/measures/new']").click()
    save_form(page, {"assistance_type_code": code, "details": details})
    expect(page.locator("#measures")).to_contain_text(details)


def add_person(page: Page, name: str, role: str | None = None) -> None:
    page.locator("main a[href$='/persons/new']").click()
    fields = {"name_original": name, "nationality": "Таджикистан", "address": "Ташкент, ул. Навои, 5"}
    if role:
        fields["role"] = role
    save_form(page, fields)
    expect(page.locator("main")).to_contain_text(name)


def generate_letter(page: Page, kind: str, language: str, second: str = "") -> Document:
    """Generate a letter from the letters panel and download the .docx it lists first."""
    form = page.locator("#letters form[action$='/letters']")
    form.locator("[name=kind]").select_option(kind)
    form.locator("[name=language]").select_option(language)
    if second:
        form.locator("[name=second_language]").select_option(second)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.get_by_test_id("letters").count(), page.locator("main").inner_text()
    return download_letter(page)


def translate(page: Page, language: str, prefix: str) -> None:
    """The translator enters the target-language text of every free-text field the letters print."""
    page.locator("#letters a[href$='/translations']").click()
    page.locator("main form[method=get] select#language").select_option(language)
    page.locator("main form[method=get] button[type=submit]").click()
    boxes = page.locator("main form[method=post] textarea")
    for index in range(boxes.count()):
        boxes.nth(index).fill(f"{prefix} {index + 1}")
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page.locator("main .alert-success")).to_be_visible()


def download_letter(page: Page) -> Document:
    link = page.get_by_test_id("letters").locator("a[href*='/letters/']").first
    with page.expect_download() as info:
        link.click()
    path = info.value.path()
    return Document(io.BytesIO(path.read_bytes()))


def text_of(document: Document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


@pytest.mark.parametrize("locale", LANGUAGES)
def test_journey_5_incoming_request_from_afghanistan(page: Page, live_server: str, locale: str) -> None:
    """The desk registers a request from Afghanistan, acknowledges it in Dari and English, assigns it to
    the Bokhtar prosecutor with an execute-by date; he executes it; the desk returns the evidence."""
    reference = f"AF-MoJ/{locale}/771"
    sign_in(page, live_server, DESK, locale)
    page.goto(f"{live_server}/requests/new?direction=incoming&kind=mla&country=AF")
    save_form(page, {
        "subject_matter": "Уголовное дело о торговле людьми",
        "facts_summary": "Потерпевшие вывезены из Кабула в Душанбе.",
        "offences": "ст. 510 УК Афганистана",
        "purpose": "Допрос свидетеля в Душанбе.",
        "partner_reference": reference,
        "received_on": today(-2),
        "drafting_language": "ru",  # the partner wrote in Russian, not in the request's Dari default
    })
    expect_stage(page, "received")
    url = page.url
    page.goto(live_server + "/")
    open_from_home(page, url)
    add_measure(page, "statement", "Допросить свидетеля Н. в г. Бохтар.")

    make_move(page, "register", {"received_on": today(-2), "partner_reference": reference})
    expect_stage(page, "registered")
    expect(page.get_by_test_id("clock-our_acknowledgement")).to_be_visible()

    # the desk enters the Dari and English text of what the acknowledgement prints (a translator sees
    # only requests in the translation stage, which an incoming request never reaches)
    translate(page, "fa_AF", "وزارت عدلیه")
    page.goto(url)
    translate(page, "en", "Ministry of Justice")
    page.goto(url)
    letter = generate_letter(page, "acknowledgement", "fa_AF", "en")
    page.goto(url)
    written = text_of(letter)
    assert reference in written and "وزارت عدلیه" in written and "Ministry of Justice" in written
    assert "w:bidiVisual" in letter.element.xml  # the Dari column on the right, the English on the left
    make_move(page, "send_acknowledgement", {"acknowledged_on": today(-1)})
    expect_stage(page, "acknowledged")
    make_move(page, "start_formal_check")
    make_move(page, "pass_formal_check")
    page.locator("main a[href$='/moves/assign']").click()
    bokhtar = page.locator("main [name=assignee] option", has_text="Сафаров Рустам").get_attribute("value")
    fill(page, {"assignee": bokhtar or "", "execute_by": today(30)})
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page).to_have_url(SHOWN)
    expect_stage(page, "assigned")
    expect(page.get_by_test_id("assignee")).to_contain_text("Сафаров Рустам")
    expect(page.get_by_test_id("clock-execute_by").locator("time")).to_have_attribute("datetime", today(30))

    # the prosecutor in Bokhtar (another office) finds it on his home page and in his deadlines
    as_user(page, live_server, BOKHTAR, locale, url)
    expect(page.get_by_test_id("clock-execute_by").locator("time")).to_have_attribute("datetime", today(30))
    page.goto(f"{live_server}/deadlines")
    link = page.locator(f"a[href='{path_of(url)}#clocks']")
    mine = page.get_by_test_id("deadlines").locator("tr", has=link)
    expect(mine.locator(f"time[datetime='{today(30)}']")).to_be_visible()
    page.goto(url)
    make_move(page, "start_execution")
    make_move(page, "certify_evidence")
    expect_stage(page, "evidence_certified")

    switch_user(page, live_server, DESK, locale, url)
    make_move(page, "return_evidence", {"returned_on": today(), "channel": "central_authority"})
    expect_stage(page, "returned")
    expect(page.get_by_test_id("dispatches")).to_be_visible()
    make_move(page, "close", {"note": "Доказательства возвращены."})
    expect_stage(page, "closed")
    history = page.get_by_test_id("history")
    expect(history).to_contain_text("Сафаров Рустам")


@pytest.mark.parametrize("locale", LANGUAGES)
def test_journey_6_police_request_answered_and_converted(page: Page, live_server: str, locale: str) -> None:
    """The investigator asks the Uzbek police where a suspect lives and hands it to the desk; the desk sends
    it and records the answer; the investigator converts it into a formal MLA request, linked to the first."""
    suspect = f"Турсунов Алишер {locale}"
    sign_in(page, live_server, DRAFTER, locale)
    page.goto(f"{live_server}/requests/new?direction=outgoing&kind=police&country=UZ")
    expect(page.locator("main [name=addressee]")).not_to_be_empty()
    save_form(page, {
        "subject_matter": "Торговля людьми, ч. 2 ст. 130¹ УК РТ",
        "facts_summary": "Подозреваемый вербовал потерпевших и скрылся в Узбекистане.",
        "offences": "ч. 2 ст. 130¹ УК РТ",
        "purpose": "Установить место жительства подозреваемого.",
    })
    expect_stage(page, "draft")
    url = page.url
    add_person(page, suspect)
    add_measure(page, "locate_identify_person", "Установить место жительства подозреваемого.")
    make_move(page, "hand_to_desk")
    expect_stage(page, "ready_to_send")

    as_user(page, live_server, DESK, locale, url)
    letter = generate_letter(page, "police_request", "ru")
    assert suspect in text_of(letter)
    page.goto(url)
    make_move(page, "transmit", {"transmitted_on": today(-10), "channel": "police_ncb",
                                 "outgoing_number": f"НЦБ/{locale}/310"})
    expect_stage(page, "sent")
    expect(page.get_by_test_id("dispatches")).to_contain_text(f"НЦБ/{locale}/310")
    make_move(page, "record_answer", {"answered_on": today()})
    expect_stage(page, "answered")
    expect(page.get_by_test_id("answered-on")).to_have_attribute("data-date", today())

    switch_user(page, live_server, DRAFTER, locale, url)
    make_move(page, "convert_to_mla", {"note": "Сведения нужны как доказательства для суда."})
    expect_stage(page, "draft")
    assert page.url != url
    original = page.locator(f"#links a[href$='{path_of(url)}']")
    expect(original).to_be_visible()
    expect(page.get_by_test_id("history")).to_contain_text(original.inner_text())
    expect(page.locator("main")).to_contain_text(suspect)
    expect(page.locator("#measures")).to_contain_text("Установить место жительства")
    draft = page.url
    page.goto(f"{draft}/edit")
    expect(page.locator("main [name=addressee]")).not_to_be_empty()
    page.goto(draft)
    original.click()
    expect_stage(page, "converted_to_mla")


KAZAKH_REQUEST = {
    "conducting_authority": "Следственное управление прокуратуры Согдийской области",
    "subject_matter": "Торговля людьми, ч. 2 ст. 130¹ УК РТ",
    "facts_summary": "Потерпевшие вывезены в Алматы под предлогом работы.",
    "offences": "ч. 2 ст. 130¹ УК РТ",
    "purpose": "Допрос потерпевшей по видеосвязи и получение банковских документов.",
    "dual_criminality_note": "ст. 128 УК Республики Казахстан",
}

# a name of its own for each run, so that no run meets another's person as a possible duplicate
SUSPECTS = {("4", "ru"): "Холов Фаррух Саидович", ("4", "fa_AF"): "Юнусов Шерзод Каримович",
            ("3", "ru"): "Мирзоев Дилшод Рахимович", ("3", "fa_AF"): "Абдуллоев Сухроб Наимович"}


def draft_to_kazakhstan(page: Page, base: str, locale: str, number: str, suspect: str) -> str:
    """Journeys 1 and 2 up to transmission: the Khujand drafter drafts a request to Kazakhstan from the
    country profile, the manager approves it, the desk sends it. Returns the request's address."""
    sign_in(page, base, DRAFTER, locale)
    page.goto(f"{base}/requests/new?direction=outgoing&kind=mla&country=KZ")
    expect(page.locator("main [name=addressee]")).not_to_be_empty()
    save_form(page, KAZAKH_REQUEST)
    expect_stage(page, "draft")
    url = page.url
    add_measure(page, "video_link_hearing", "Допросить потерпевшую К. по видеосвязи.")
    add_measure(page, "records_bank", "Выписки по счёту в АО «Халык Банк» за 01.03–30.06.2026.")
    add_person(page, suspect)
    make_move(page, "submit")
    expect_stage(page, "internal_review")

    as_user(page, base, MANAGER, locale, url)
    make_move(page, "approve")
    expect_stage(page, "approved")

    as_user(page, base, DESK, locale, url)
    make_move(page, "mark_ready_to_send")
    letter = generate_letter(page, "mla_request", "ru")
    assert suspect in text_of(letter)
    page.goto(url)
    make_move(page, "transmit", {"transmitted_on": today(-3), "channel": "central_authority",
                                 "outgoing_number": number})
    expect_stage(page, "sent")
    for clock in ("acknowledgement_expected", "status_enquiry"):
        expect(page.get_by_test_id(f"clock-{clock}")).to_be_visible()
    return url


@pytest.mark.parametrize("locale", LANGUAGES)
def test_journey_4_more_information_supplementary_letter_and_closure(page: Page, live_server: str,
                                                                     locale: str) -> None:
    """Kazakhstan asks for more information: the desk records it, the drafter answers with a supplementary
    request, which goes out under its own number and marks the original answered; evidence arrives for one
    measure, then the other; the page offers to record execution and the desk closes the request."""
    first, second = f"21-3/{locale}/1458", f"21-3/{locale}/1502"
    url = draft_to_kazakhstan(page, live_server, locale, first, SUSPECTS[("4", locale)])
    make_move(page, "record_acknowledgement", {"acknowledged_on": today(-2),
                                               "partner_reference": f"KZ-GP/{locale}/5512"})
    question = "Уточните период банковских выписок и номер счёта."
    make_move(page, "record_info_request", {"info_requested": question})
    expect_stage(page, "additional_info_requested")
    expect(page.get_by_test_id("standing-note")).to_contain_text(question)

    # the drafter finds the question on her home page and answers with a supplementary request
    as_user(page, live_server, DRAFTER, locale, url)
    expect(page.get_by_test_id("standing-note")).to_contain_text(question)
    page.locator("main form[action$='/supplementary'] button").click()
    expect_stage(page, "draft")
    supplementary = page.url
    assert supplementary != url
    expect(page.locator(f"#links a[href$='{path_of(url)}']")).to_be_visible()
    page.goto(f"{supplementary}/edit")
    expect(page.locator("main [name=addressee]")).not_to_be_empty()
    expect(page.locator("main [name=channel_code]")).to_have_value("central_authority")
    page.goto(supplementary)
    make_move(page, "submit")

    as_user(page, live_server, MANAGER, locale, supplementary)
    make_move(page, "approve")

    as_user(page, live_server, DESK, locale, supplementary)
    make_move(page, "mark_ready_to_send")
    letter = generate_letter(page, "supplementary_request", "ru")
    assert text_of(letter).strip()
    page.goto(supplementary)
    make_move(page, "transmit", {"transmitted_on": today(-1), "channel": "central_authority",
                                 "outgoing_number": second})
    expect_stage(page, "sent")

    # sending the supplementary request recorded the more information on the original, which keeps its
    # own number beside the new one
    page.goto(url)
    expect_stage(page, "additional_info_sent")
    dispatches = page.get_by_test_id("dispatches")
    expect(dispatches).to_contain_text(first)
    expect(dispatches).to_contain_text(second)
    expect(page.get_by_test_id("standing-note")).to_have_count(0)

    make_move(page, "record_execution_start")
    results = page.locator("#measures a[href$='/result']")
    for index in range(results.count()):
        expect(page.get_by_test_id("offer-execution")).to_have_count(0)
        results.nth(index).click()
        save_form(page, {"status": "executed", "evidence_received_on": today(),
                         "result_note": f"Получено {index + 1}"})
        expect(page).to_have_url(SHOWN)
    offer = page.get_by_test_id("offer-execution")
    expect(offer).to_be_visible()
    offer.locator("a[href$='/moves/record_execution']").click()
    page.locator("main form[method=post] button[type=submit]").click()
    expect_stage(page, "executed")
    make_move(page, "close", {"note": "Протокол допроса и выписки получены."})
    expect_stage(page, "closed")
    expect(page.get_by_test_id("clocks").locator("[data-testid=clock-status]").first).to_be_visible()


@pytest.mark.parametrize("locale", LANGUAGES)
def test_journeys_1_and_2_drafted_returned_translated_and_sent(page: Page, live_server: str,
                                                              locale: str) -> None:
    """The drafter's request names a protected victim in a measure's text: the page blocks it and replaces
    the name with the pseudonym. The manager returns it with a comment that stands over the page; once
    approved, the desk sends it to translation, the translator enters the Kazakh text, the desk generates
    the Kazakh letter and records the transmission; the clocks start."""
    victim = f"Каримова Дилноза {locale}"
    sign_in(page, live_server, DRAFTER, locale)
    page.goto(f"{live_server}/requests/new?direction=outgoing&kind=mla&country=KZ")
    expect(page.locator("main [name=addressee]")).not_to_be_empty()
    expect(page.locator("main [name=legal_bases]:checked").first).to_be_attached()
    save_form(page, KAZAKH_REQUEST)
    url = page.url
    add_measure(page, "statement", f"Допросить потерпевшую {victim} по видеосвязи.")
    page.locator("main a[href$='/persons/new']").click()
    fill(page, {"name_original": victim, "role": "victim", "is_protected": "y"})
    page.locator("main form[method=post] button[type=submit]").last.click()
    expect(page.get_by_test_id("protected-names")).to_be_visible()
    page.locator("main form[action$='/protected-names'] button").click()
    expect(page.get_by_test_id("protected-names")).to_have_count(0)
    expect(page.locator("#measures")).not_to_contain_text(victim)
    make_move(page, "submit")
    expect_stage(page, "internal_review")

    comment = "Укажите период, за который нужны показания, и основание видеосвязи."
    as_user(page, live_server, MANAGER, locale, url)
    make_move(page, "return_for_correction", {"note": comment})
    expect_stage(page, "returned_for_correction")

    as_user(page, live_server, DRAFTER, locale, url)
    expect(page.get_by_test_id("standing-note")).to_contain_text(comment)
    make_move(page, "resubmit")
    expect(page.get_by_test_id("standing-note")).to_have_count(0)

    as_user(page, live_server, MANAGER, locale, url)
    make_move(page, "approve")
    as_user(page, live_server, DESK, locale, url)
    make_move(page, "send_to_translation")
    expect_stage(page, "translation")

    as_user(page, live_server, "translator@demo.mla.tj", locale, url)
    translate(page, "kk", "Қазақ мәтіні")
    page.goto(url)
    page.locator("main a[href$='/moves/finish_translation']").click()
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page.get_by_test_id("home-title")).to_be_visible()  # the request has left the translator's hands

    as_user(page, live_server, DESK, locale, url)
    expect_stage(page, "ready_to_send")
    letter = text_of(generate_letter(page, "mla_request", "kk"))
    assert "Қазақ мәтіні" in letter and victim not in letter
    page.goto(url)
    make_move(page, "transmit", {"transmitted_on": today(-1), "channel": "central_authority",
                                 "outgoing_number": f"12-3/{locale}/1001"})
    expect_stage(page, "sent")
    for clock in ("acknowledgement_expected", "status_enquiry"):
        expect(page.get_by_test_id(f"clock-{clock}")).to_be_visible()
    expect(page.get_by_test_id("dispatches")).to_contain_text(f"12-3/{locale}/1001")


@pytest.mark.parametrize("locale", LANGUAGES)
def test_journey_3_chasing_a_request_with_a_status_enquiry(page: Page, live_server: str, locale: str) -> None:
    """Beside the status enquiry clock the desk prepares the enquiry letter in one step and records that it
    was sent; the history shows it and enquiry no. 2 counts from it."""
    url = draft_to_kazakhstan(page, live_server, locale, f"12-3/{locale}/2001", SUSPECTS[("3", locale)])
    clock = page.get_by_test_id("clock-status_enquiry")
    first_due = clock.locator("time").get_attribute("datetime")
    with page.expect_navigation():
        clock.locator(f"form[action$='{path_of(url)}/letters'] button").click()
    assert f"12-3/{locale}/2001" in text_of(download_letter(page))
    page.goto(url)
    page.get_by_test_id("clock-status_enquiry").locator("a[href$='/status-enquiry']").click()
    save_form(page, {"sent_on": today(), "outgoing_number": f"12-3/{locale}/2002"})
    expect(page).to_have_url(SHOWN)
    expect(page.get_by_test_id("enquiry-sent")).to_contain_text(f"12-3/{locale}/2002")
    due = page.get_by_test_id("clock-status_enquiry").locator("time").first.get_attribute("datetime")
    assert due is not None and first_due is not None and due > first_due


@pytest.mark.parametrize("locale", LANGUAGES)
def test_journey_7_monday_morning_dashboard_and_exports(page: Page, live_server: str, locale: str) -> None:
    """The manager follows the open-requests figure of the dashboard to its list and exports it."""
    sign_in(page, live_server, MANAGER, locale)
    page.get_by_test_id("dashboard-link").click()
    figure = page.locator("a[data-figure][href$='?open=1']")
    counted = int(figure.get_attribute("data-figure") or "0")
    assert counted > 0
    figure.click()
    expect(page).to_have_url(re.compile(r"/requests/\?open=1"))
    with page.expect_download() as info:
        page.locator("main a[href*='/export.csv']").first.click()
    rows = info.value.path().read_text("utf-8-sig").splitlines()
    assert len(rows) - 1 == counted
    with page.expect_download() as info:
        page.locator("main a[href*='/export.xlsx']").first.click()
    assert info.value.path().stat().st_size > 0

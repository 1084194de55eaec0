"""The interface in the user's language, in a real browser: a Russian-speaking desk officer and
manager and a Tajik-speaking prosecutor walk every page their roles reach and meet no English; a
Dari-speaking user gets a mirrored page where nothing overflows or overlaps."""
from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import String, Text, create_engine, select

from mla.demo.data import DEMO_PASSWORD
from mla.models import Base

# Case data: what users typed (names in Latin script, partner references, e-mail addresses) is not
# interface text; nor are the audit trail's action codes and recorded values, marked lang="zxx".
# Reference data (treaty and channel labels) is interface text and is checked.
CASE_TABLES = ("assistance_request", "person", "national_case", "office", "user_account", "measure",
               "stage_change", "generated_document", "attachment", "text_translation", "audit_event",
               "outbox_message", "letter_template")
# Codes and file formats a translated interface rightly keeps in Latin letters.
CODES = {"PDF", "DOCX", "docx", "XLSX", "xlsx", "CSV", "csv", "ics", "UNTOC", "UNCAC", "INTERPOL", "TOTP",
         "SHERLOC", "CARICC", "UTC", "URL", "iCal", "SMTP", "ISO", "JPEG", "PNG", "TIFF", "ODT", "TXT",
         # programs the pages name so users know which to open the files with
         "Outlook", "Thunderbird", "Excel", "Word", "LibreOffice", "FreeOTP", "Aegis", "Google",
         "Authenticator", "QR"}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]{2,}")
SKIP_LINKS = re.compile(r"\.(docx|pdf|ics|csv|xlsx|eml)$|/sign-out|/export|/download|/attachments/\d+$")
MAX_PAGES = 45

# Every text node and every attribute a user reads, except text marked as another language
# (the language links at the foot of the page name each language in itself).
PAGE_TEXT_JS = """() => {
  const lang = document.documentElement.lang;
  const foreign = el => { const tagged = el.closest('[lang]'); return tagged && tagged.lang !== lang; };
  const out = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, parent = node.parentElement;
    if (!parent || ['SCRIPT', 'STYLE'].includes(parent.tagName) || foreign(parent)) continue;
    if (node.textContent.trim()) out.push(node.textContent.trim());
  }
  for (const el of document.querySelectorAll('[placeholder],[title],[aria-label],[alt],input[type=submit]')) {
    if (foreign(el)) continue;
    for (const name of ['placeholder', 'title', 'aria-label', 'alt', 'value']) {
      const value = el.getAttribute(name);
      if (value && (name !== 'value' || el.type === 'submit')) out.push(value);
    }
  }
  return out;
}"""


@pytest.fixture(scope="module")
def data_words(live_database_url: str) -> set[str]:
    engine = create_engine(live_database_url)
    words: set[str] = set()
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            if table.name not in CASE_TABLES:
                continue
            columns = [c for c in table.columns if isinstance(c.type, (String, Text))]
            for row in connection.execute(select(*columns)):
                for value in row:
                    words.update(LATIN_WORD.findall(value or ""))
    engine.dispose()
    return words


def sign_in(page: Page, base: str, email: str, locale: str) -> None:
    page.goto(f"{base}/sign-in?lang={locale}")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page.get_by_test_id("whoami")).to_be_attached()


def _shape(path: str) -> str:
    """Pages of one kind once each: /requests/12/persons/40 and /requests/7/persons/3 are alike."""
    return re.sub(r"\d+", "N", path)


def walk(page: Page, base: str) -> Iterator[str]:
    """Every page reachable by links from the home page, one of each shape, in link order."""
    queue = [f"{base}/"]
    seen = set()
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        parts = urlsplit(url)
        if _shape(parts.path + "?" + parts.query) in seen:
            continue
        seen.add(_shape(parts.path + "?" + parts.query))
        response = page.goto(url)
        assert response is not None and response.status < 500, url
        yield url
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            target = urlsplit(href)
            if target.netloc == parts.netloc and not SKIP_LINKS.search(target.path) \
                    and "lang=" not in target.query and not target.fragment:
                queue.append(href)


def english_on(page: Page, allowed: set[str]) -> list[str]:
    texts = page.evaluate(PAGE_TEXT_JS)
    return sorted({w for text in texts for w in LATIN_WORD.findall(text) if w not in allowed})


@pytest.mark.parametrize(("locale", "email"), [
    ("ru", "desk@demo.mla.tj"),
    ("ru", "manager@demo.mla.tj"),
    ("tg", "drafter@demo.mla.tj"),
    ("tg", "manager@demo.mla.tj"),
    ("tg", "translator@demo.mla.tj"),
])
def test_no_english_is_left_on_any_page(page: Page, live_server: str, data_words: set[str],
                                        locale: str, email: str) -> None:
    sign_in(page, live_server, email, locale)
    allowed = data_words | CODES
    found: dict[str, list[str]] = {}
    visited = 0
    for url in walk(page, live_server):
        visited += 1
        assert page.evaluate("document.documentElement.lang") == locale.replace("_", "-")
        words = english_on(page, allowed)
        if words:
            found[url.removeprefix(live_server)] = words
    assert visited >= 8, "the walk should reach the role's pages"
    assert found == {}, f"English left on {len(found)} of {visited} pages: {found}"


def test_a_form_error_speaks_tajik(page: Page, live_server: str, data_words: set[str]) -> None:
    page.goto(f"{live_server}/sign-in?lang=tg")
    page.locator("form button[type=submit]").click()
    assert english_on(page, data_words | CODES) == []


# Elements that must neither overlap one another nor spill out of their box.
LAYOUT_JS = """() => {
  const visible = el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && !el.closest('.visually-hidden, .visually-hidden-focusable');
  };
  const boxes = [...document.querySelectorAll(
      'nav a, nav button, .navbar-text, h1, h2, h3, .btn, label, th, .badge, .alert')].filter(visible);
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (a.contains(b) || b.contains(a)) continue;
      const r = a.getBoundingClientRect(), s = b.getBoundingClientRect();
      const x = Math.min(r.right, s.right) - Math.max(r.left, s.left);
      const y = Math.min(r.bottom, s.bottom) - Math.max(r.top, s.top);
      const name = el => el.textContent.trim().slice(0, 30);
      if (x > 2 && y > 2) overlaps.push(`${name(a)} / ${name(b)}`);
    }
  }
  const clipped = boxes
      .filter(el => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible')
      .map(el => el.textContent.trim().slice(0, 30));
  const brand = document.querySelector('.navbar-brand').getBoundingClientRect();
  return {
    dir: document.documentElement.dir,
    bodyDirection: getComputedStyle(document.body).direction,
    pageOverflow: document.documentElement.scrollWidth - window.innerWidth,
    brandOnTheRight: brand.left > window.innerWidth / 2,
    overlaps, clipped,
  };
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_dari_pages_are_mirrored_and_nothing_overflows_or_overlaps(page: Page, live_server: str,
                                                                   data_words: set[str], width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, "desk@demo.mla.tj", "fa_AF")
    problems: dict[str, object] = {}
    visited = 0
    for url in walk(page, live_server):
        visited += 1
        layout = page.evaluate(LAYOUT_JS)
        assert (layout["dir"], layout["bodyDirection"]) == ("rtl", "rtl"), url
        if width > 1000:
            assert layout["brandOnTheRight"], f"the navigation bar is not mirrored on {url}"
        if layout["pageOverflow"] > 1 or layout["overlaps"] or layout["clipped"]:
            problems[url.removeprefix(live_server)] = {
                key: layout[key] for key in ("pageOverflow", "overlaps", "clipped")}
    assert visited >= 8
    assert problems == {}, problems
    assert english_on(page, data_words | CODES) == []


@pytest.mark.parametrize("width", [1024, 1280, 1400])
@pytest.mark.parametrize("locale", ["ru", "tg"])
def test_long_translations_fit_the_managers_pages(page: Page, live_server: str, locale: str,
                                                   width: int) -> None:
    """Russian and Tajik labels run longer than English: on a manager's widest menu (dashboard, statistics,
    audit trail) nothing spills, overlaps or squeezes the search field (seen at 1024 and 1280 px)."""
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, "manager@demo.mla.tj", locale)
    problems: dict[str, object] = {}
    for path in ("/", "/requests/", "/dashboard", "/statistics/", "/audit/"):
        page.goto(live_server + path)
        layout = page.evaluate(LAYOUT_JS)
        if layout["pageOverflow"] > 1 or layout["overlaps"] or layout["clipped"]:
            problems[path] = {key: layout[key] for key in ("pageOverflow", "overlaps", "clipped")}
        search = page.locator("input[name=q]").first
        if search.is_visible():
            box = search.bounding_box()
            assert box is not None and box["width"] >= 150, (path, box)
    assert problems == {}, problems

"""PRODUCT.md journey 7 in the browser (issue 6, "done when"): the demo manager sees where the backlog is,
opens the list behind a figure, exports it to CSV and XLSX, and downloads the annual report in English and
in Russian."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from babel.support import Translations
from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from mla.documents.annual_report import TITLE
from mla.i18n import TRANSLATIONS_DIR
from tests.e2e.test_request_journey import sign_in


def download(page: Page, link_name: str, folder: Path) -> Path:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name, exact=True).first.click()
    target = folder / info.value.suggested_filename
    info.value.save_as(target)
    return target


def test_the_manager_follows_a_figure_to_its_list_exports_it_and_downloads_the_annual_report(
        page: Page, live_server: str, tmp_path: Path) -> None:
    sign_in(page, live_server, "manager@demo.mla.tj")
    page.get_by_role("link", name="Dashboard", exact=True).click()
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()

    # where the backlog is: the overdue and due-soon figures by partner country
    by_country = page.locator("section", has=page.get_by_role("heading", name="By partner country"))
    expect(by_country.locator("tbody tr").first).to_be_visible()
    figure = page.locator("a[data-figure][href$='?open=1']")  # the open requests
    counted = int(figure.get_attribute("data-figure") or "0")
    assert counted > 0
    figure.click()

    expect(page).to_have_url(re.compile(r"/requests/\?open=1"))
    expect(page.get_by_text(f"{counted} requests", exact=True)).to_be_visible()

    rows = list(csv.reader(io.StringIO(download(page, "Export CSV", tmp_path).read_text("utf-8-sig"))))
    assert rows[0][0] == "Reference"
    assert len(rows) - 1 == counted

    sheet = load_workbook(download(page, "Export XLSX", tmp_path), read_only=True).active
    assert sheet is not None
    assert sum(1 for _ in sheet.iter_rows(min_row=2, values_only=True)) == counted

    page.get_by_role("link", name="Statistics", exact=True).click()
    reports = page.get_by_test_id("annual-reports")
    year = reports.locator("tbody th").first.inner_text()
    for language in ("en", "ru"):
        with page.expect_download() as info:
            reports.get_by_role("link", name=f"Word ({language.upper()})").first.click()
        saved = tmp_path / f"annual-{language}.docx"
        info.value.save_as(saved)
        title = Translations.load(str(TRANSLATIONS_DIR), [language]).gettext(TITLE) % {"year": int(year)}
        assert Document(str(saved)).paragraphs[0].text == title

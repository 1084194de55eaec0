"""The annual statistics report as an .xlsx workbook: a cover sheet, then one sheet per table."""
from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from mla.documents.annual_report import METHOD_NOTE, TITLE, AnnualReport, Gettext, ReportTable, report_tables
from mla.web.helpers import spreadsheet_safe

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
MAX_COLUMN_WIDTH = 60


def _sheet_title(title: str, taken: set[str]) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet name, each name once."""
    base = _SHEET_FORBIDDEN.sub(" ", title)[:28].strip() or "Sheet"
    name = base
    number = 2
    while name.lower() in taken:
        name = f"{base} {number}"
        number += 1
    taken.add(name.lower())
    return name


def _fill(sheet: Worksheet, table: ReportTable) -> None:
    sheet.append([spreadsheet_safe(header) for header in table.headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        # numbers stay numbers; text is neutralised so a spreadsheet never runs it as a formula
        sheet.append([value if isinstance(value, int | float) or value is None else spreadsheet_safe(value)
                      for value in row])
    for column in table.percent_columns:
        for cells in sheet.iter_rows(min_row=2, min_col=column + 1, max_col=column + 1):
            cells[0].number_format = "0%"
    sheet.freeze_panes = "A2"
    for index, header in enumerate(table.headers, start=1):
        longest = max([len(header)] + [len(str(row[index - 1])) for row in table.rows if row[index - 1]])
        sheet.column_dimensions[get_column_letter(index)].width = min(longest + 2, MAX_COLUMN_WIDTH)


def annual_workbook(report: AnnualReport, t: Gettext) -> bytes:
    """The report's title, period and method on the first sheet, each table on a sheet of its own."""
    book = Workbook()
    cover = book.worksheets[0]  # a new workbook has one sheet
    taken: set[str] = set()
    cover.title = _sheet_title(t.gettext("Report"), taken)
    cover.append([spreadsheet_safe(t.gettext(TITLE) % {"year": report.year})])
    cover["A1"].font = Font(bold=True, size=13)
    cover.append([spreadsheet_safe(t.gettext("Period: %(start)s to %(end)s") % {
        "start": report.start.isoformat(), "end": report.end.isoformat()})])
    cover.append([spreadsheet_safe(t.gettext(METHOD_NOTE))])
    cover["A3"].alignment = Alignment(wrap_text=True, vertical="top")
    cover.column_dimensions["A"].width = 110
    cover.row_dimensions[3].height = 90
    for table in report_tables(report, t):
        _fill(book.create_sheet(_sheet_title(table.sheet, taken)), table)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

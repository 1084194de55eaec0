"""The annual statistics report: its tables from plain data, and the .docx made of them.

Pure of flask and the models: the caller passes an `AnnualReport` (names of countries, offence
categories and refusal grounds already in the report's language) and a gettext-like `t`; every other
string is an English msgid translated through `t`, so one code path writes the English and the
Russian report.
"""
from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Protocol

from docx import Document
from docx.document import Document as DocxDocument
from docx.shared import Pt

from mla.domain.enums import Direction, RequestKind
from mla.domain.errors import N_
from mla.domain.labels import label_msgid
from mla.domain.statistics import OUTCOME_LABELS, DurationSummary, refusal_rate

TITLE = N_("Mutual legal assistance and police cooperation: annual statistics %(year)s")
METHOD_NOTE = N_(
    "Outgoing requests are counted in the year they were transmitted to the partner, incoming requests "
    "in the year they were received. Times run from that date to the acknowledgement of receipt and to "
    "execution (the request executed, the results returned or the answer given), in working days: on "
    "the partner's calendar for outgoing requests, on Tajikistan's for incoming ones, with weekends and "
    "public holidays left out. Medians and 90th percentiles are nearest-rank values. The refusal rate "
    "is the share of the year's requests that were refused or declined.")
NOT_RECORDED = N_("Not recorded")

Cell = str | int | float | None


class Gettext(Protocol):
    def gettext(self, message: str) -> str: ...


@dataclass(frozen=True)
class PartnerTimes:
    """One country and direction of the year: requests, times in working days, refusals."""

    country_iso2: str
    direction: str
    count: int
    acknowledgement: DurationSummary
    execution: DurationSummary
    refused: int


@dataclass(frozen=True)
class AnnualReport:
    year: int
    start: date
    end: date
    by_direction: Sequence[tuple[str, int]]
    by_kind: Sequence[tuple[str, int]]
    by_country: Sequence[tuple[str, int]]
    by_offence: Sequence[tuple[str, int]]
    by_outcome: Sequence[tuple[str, int]]
    partners: Sequence[PartnerTimes]
    grounds: Sequence[tuple[str | None, int]]
    country_names: Mapping[str, str] = field(default_factory=dict)
    offence_names: Mapping[str, str] = field(default_factory=dict)
    ground_names: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ReportTable:
    """One table of the report; `sheet` is its short name (a spreadsheet tab holds 31 characters),
    `percent_columns` hold shares (0..1) shown as percentages."""

    sheet: str
    title: str
    headers: tuple[str, ...]
    rows: list[tuple[Cell, ...]]
    percent_columns: frozenset[int] = frozenset()


def _named(pairs: Sequence[tuple[str | None, int]], names: Mapping[str, str], t: Gettext,
           ) -> list[tuple[Cell, ...]]:
    return [(names.get(code, code) if code else t.gettext(NOT_RECORDED), total) for code, total in pairs]


def _enum_names(pairs: Sequence[tuple[str, int]], enum: type[StrEnum], t: Gettext) -> dict[str, str]:
    return {code: t.gettext(label_msgid(enum(code))) for code, _total in pairs}


def _partner_rows(report: AnnualReport, t: Gettext) -> list[tuple[Cell, ...]]:
    names = report.country_names
    direction_names = _enum_names([(p.direction, p.count) for p in report.partners], Direction, t)
    return [(names.get(p.country_iso2, p.country_iso2), direction_names[p.direction], p.count,
             p.acknowledgement.median, p.acknowledgement.p90, p.execution.median, p.execution.p90,
             p.refused, refusal_rate(p.refused, p.count)) for p in report.partners]


def report_tables(report: AnnualReport, t: Gettext) -> list[ReportTable]:
    """The report's tables in order, with translated titles, headers and labels."""
    _ = t.gettext  # `_` so that message extraction finds the strings below
    requests = _("Requests")
    outcomes = {code: _(OUTCOME_LABELS[code]) for code, _total in report.by_outcome}
    return [
        ReportTable(_("By direction"), _("Requests by direction"), (_("Direction"), requests),
                    _named(report.by_direction, _enum_names(report.by_direction, Direction, t), t)),
        ReportTable(_("By kind"), _("Requests by kind"), (_("Kind"), requests),
                    _named(report.by_kind, _enum_names(report.by_kind, RequestKind, t), t)),
        ReportTable(_("By country"), _("Requests by country"), (_("Country"), requests),
                    _named(report.by_country, report.country_names, t)),
        ReportTable(_("By offence category"), _("Requests by offence category"),
                    (_("Offence category"), requests),
                    _named(report.by_offence, report.offence_names, t)),
        ReportTable(_("By outcome"), _("Requests by outcome"), (_("Outcome"), requests),
                    _named(report.by_outcome, outcomes, t)),
        ReportTable(_("Times by partner"), _("Times and refusals by partner (working days)"),
                    (_("Country"), _("Direction"), requests, _("Acknowledgement, median"),
                     _("Acknowledgement, 90th percentile"), _("Execution, median"),
                     _("Execution, 90th percentile"), _("Refused"), _("Refusal rate")),
                    _partner_rows(report, t), frozenset({8})),
        ReportTable(_("Refusal grounds"), _("Refusals by ground"), (_("Ground"), requests),
                    _named(report.grounds, report.ground_names, t)),
    ]


def cell_text(value: Cell, is_percent: bool = False) -> str:
    """A cell as the .docx shows it: a dash for no value, shares as whole percentages."""
    if value is None:
        return "—"
    if is_percent and isinstance(value, float):
        return f"{round(value * 100)}%"
    return str(value)


def _add_table(document: DocxDocument, table: ReportTable, t: Gettext) -> None:
    document.add_heading(table.title, level=2)
    if not table.rows:
        document.add_paragraph(t.gettext("No requests in this period."))
        return
    grid = document.add_table(rows=1, cols=len(table.headers))
    grid.style = "Table Grid"
    for cell, header in zip(grid.rows[0].cells, table.headers, strict=True):
        cell.text = header
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in table.rows:
        cells = grid.add_row().cells
        for index, value in enumerate(row):
            cells[index].text = cell_text(value, index in table.percent_columns)


def render_annual_report(report: AnnualReport, t: Gettext) -> bytes:
    """The report as a .docx: title, period, method note, then one table per dimension."""
    document = Document()
    document.styles["Normal"].font.size = Pt(10)
    document.add_heading(t.gettext(TITLE) % {"year": report.year}, level=1)
    document.add_paragraph(t.gettext("Period: %(start)s to %(end)s") % {
        "start": report.start.isoformat(), "end": report.end.isoformat()})
    document.add_heading(t.gettext("Method"), level=2)
    document.add_paragraph(t.gettext(METHOD_NOTE))
    for table in report_tables(report, t):
        _add_table(document, table, t)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

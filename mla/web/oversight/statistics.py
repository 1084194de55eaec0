"""Partner statistics for managers, the desk and drafters (their office), and the annual report."""
from __future__ import annotations

from functools import lru_cache

from babel.support import NullTranslations, Translations
from flask import Blueprint, Response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from mla.db import db_session
from mla.documents.annual_report import render_annual_report
from mla.domain.access import CASE_WORKERS
from mla.domain.enums import Direction
from mla.domain.errors import N_
from mla.domain.statistics import AGE_BUCKETS, parse_period, valid_year
from mla.i18n import TRANSLATIONS_DIR, country_name, enum_choices, label, ref_label, text_direction
from mla.reference.loader import load_reference
from mla.services.audit import record_event
from mla.services.oversight.statistics import Filters, PartnerStatistics, annual_report, partner_statistics
from mla.services.reference_lists import list_country_codes, list_refusal_grounds
from mla.web.helpers import now_utc, remote_addr, role_required, transaction
from mla.web.oversight.statistics_charts import grouped_bars, stacked_bars
from mla.web.oversight.statistics_workbook import annual_workbook

# Nested in the oversight blueprint: endpoints oversight.statistics.*.
bp = Blueprint("statistics", __name__, url_prefix="/statistics")
REPORT_LANGUAGES = ("en", "ru")
REPORT_YEARS = 5  # how many past years the page offers reports for
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@lru_cache(maxsize=4)
def report_translations(language: str) -> NullTranslations:
    """The catalog the report is written through (English msgids, so English needs none)."""
    return Translations.load(str(TRANSLATIONS_DIR), [language])


def _filters(countries: list[str]) -> Filters:
    """Known values narrow the statistics; anything else is ignored."""
    direction = request.args.get("direction", "")
    country = request.args.get("country", "")
    return Filters(Direction(direction) if direction in {d.value for d in Direction} else None,
                   country if country in countries else None)


def _row_name(iso2: str, direction: Direction) -> str:
    return f"{country_name(iso2)} · {label(direction)}"


def _charts(stats: PartnerStatistics) -> dict[str, Markup]:
    rtl = text_direction() == "rtl"
    timed = [row for row in stats.rows if row.acknowledgement.count or row.execution.count]
    series = (_("Median"), _("90th percentile"))
    acks = [(_row_name(r.country_iso2, r.direction), (r.acknowledgement.median, r.acknowledgement.p90))
            for r in timed]
    executions = [(_row_name(r.country_iso2, r.direction), (r.execution.median, r.execution.p90))
                  for r in timed]
    backlog = [(_row_name(b.country_iso2, b.direction), b.counts) for b in stats.backlog]
    return {
        "acknowledgement": grouped_bars(_("Working days to acknowledgement"), acks, series, rtl),
        "execution": grouped_bars(_("Working days to execution"), executions, series, rtl),
        "backlog": stacked_bars(_("Open requests by age"), backlog,
                                [_(bucket.label) for bucket in AGE_BUCKETS], rtl),
    }


def _page(notice: str | None = None, status: int = 200) -> tuple[str, int]:
    today = now_utc().date()
    period, problem = parse_period(request.args.get("from"), request.args.get("to"), today)
    countries = list_country_codes(db_session(), partners_only=True)
    filters = _filters(countries)
    stats = partner_statistics(db_session(), user=current_user, period=period, today=today,
                               home_iso2=load_reference().home_iso2, filters=filters)
    notices = [_(text) for text in (problem, notice) if text]
    grounds = {g.code: ref_label(g.labels) for g in list_refusal_grounds(db_session())}
    years = range(today.year, today.year - REPORT_YEARS, -1)
    return render_template("oversight/statistics.html", stats=stats, charts=_charts(stats), filters=filters,
                           countries=countries, notices=notices, buckets=AGE_BUCKETS, ground_names=grounds,
                           years=years, languages=REPORT_LANGUAGES,
                           directions=enum_choices(Direction)), status


@bp.route("/")
@role_required(*CASE_WORKERS)
def index() -> tuple[str, int]:
    return _page()


def _report_request(year: str, language: str) -> tuple[int | None, str | None]:
    """The year and language of a report request, or a message (msgid) saying what is wrong."""
    # four digits, read only then: int() refuses a number of thousands of digits with an error
    if not (year.isascii() and year.isdigit() and len(year) == 4) or not valid_year(int(year),
                                                                                 now_utc().date()):
        return None, N_("Choose a year from 2000 to this year for the annual report.")
    if language not in REPORT_LANGUAGES:
        return None, N_("The annual report is available in English and Russian only.")
    return int(year), None


def _download(year: str, file_format: str) -> Response | tuple[str, int]:
    # not ?lang=, which would switch the interface language (mla.i18n.select_locale)
    language = request.args.get("language", "en")
    number, problem = _report_request(year, language)
    if number is None:
        return _page(problem, 400)
    db = db_session()
    report = annual_report(db, user=current_user, year=number, today=now_utc().date(), language=language,
                           home_iso2=load_reference().home_iso2)
    t = report_translations(language)
    if file_format == "xlsx":
        data = annual_workbook(report, t)
        mimetype = XLSX
    else:
        data = render_annual_report(report, t)
        mimetype = DOCX
    with transaction():
        record_event(db, actor=current_user, now=now_utc(), action="statistics.annual_report",
                     object_type="statistics", object_id=number,
                     changes={"format": file_format, "language": language}, remote_addr=remote_addr())
    disposition = f"attachment; filename=mla-statistics-{number}-{language}.{file_format}"
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": disposition})


@bp.route("/annual/<year>.xlsx")
@role_required(*CASE_WORKERS)
def annual_xlsx(year: str) -> Response | tuple[str, int]:
    return _download(year, "xlsx")


@bp.route("/annual/<year>.docx")
@role_required(*CASE_WORKERS)
def annual_docx(year: str) -> Response | tuple[str, int]:
    return _download(year, "docx")

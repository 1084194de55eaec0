"""Server-rendered SVG charts: grouped horizontal bars and stacked horizontal bars, no script.

Each chart is inline SVG with a <title>, text labels and per-bar <title> tooltips; colours are SVG
presentation attributes (allowed by the Content-Security-Policy, unlike style=""). The drawing stays
left-to-right in right-to-left pages too (bars grow from the label column to the right, as numbers
read), while each label's text runs in the page's direction, anchored to the label column's edge.
"""
from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

LABEL_WIDTH = 200
PLOT_WIDTH = 420
VALUE_WIDTH = 60
BAR_HEIGHT = 14
ROW_GAP = 10
LEGEND_LINE = 16
SERIES_FILLS = ("#1f4e79", "#8fb3d9")
BUCKET_FILLS = ("#deebf7", "#9ecae1", "#4292c6", "#08519c", "#08306b")
TEXT_FILL = "#212529"


def _label(text: str, y: float, rtl: bool) -> str:
    anchor = "start" if rtl else "end"  # 'start' of right-to-left text is its right edge
    direction = "rtl" if rtl else "ltr"
    return (f'<text x="{LABEL_WIDTH - 8}" y="{y}" text-anchor="{anchor}" direction="{direction}" '
            f'dominant-baseline="middle" font-size="12" fill="{TEXT_FILL}">{escape(text)}</text>')


def _legend(series: Sequence[str], fills: Sequence[str], y: float, rtl: bool) -> list[str]:
    """One line per series, so long translated names never run off the chart."""
    parts = []
    x = LABEL_WIDTH
    direction = "rtl" if rtl else "ltr"
    anchor = "end" if rtl else "start"  # either way the text begins beside its swatch and runs right
    for index, (name, fill) in enumerate(zip(series, fills, strict=False)):
        line_y = y + index * LEGEND_LINE
        parts.append(f'<rect x="{x}" y="{line_y}" width="12" height="12" fill="{fill}" stroke="{TEXT_FILL}" '
                     f'stroke-width="0.5"/>')
        parts.append(f'<text x="{x + 18}" y="{line_y + 6}" dominant-baseline="middle" font-size="11" '
                     f'text-anchor="{anchor}" direction="{direction}" unicode-bidi="embed" '
                     f'fill="{TEXT_FILL}">{escape(name)}</text>')
    return parts


def _svg(title: str, height: float, body: list[str]) -> Markup:
    width = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="stat-chart" role="img" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" direction="ltr">'
            f'<title>{escape(title)}</title>')
    # Every text in the drawing went through escape(); the rest is numbers and constant colours.
    return Markup(head + "".join(body) + "</svg>")  # nosec B704


def grouped_bars(title: str, rows: Sequence[tuple[str, Sequence[int | None]]], series: Sequence[str],
                 rtl: bool = False) -> Markup:
    """One group of bars per row (e.g. median and 90th percentile per country), scaled to the
    largest value; a missing value draws no bar and shows a dash."""
    top = max((v for _label_text, values in rows for v in values if v is not None), default=0) or 1
    group = BAR_HEIGHT * len(series) + ROW_GAP
    body = []
    y = 4.0
    for text, values in rows:
        body.append(_label(text, y + BAR_HEIGHT * len(series) / 2, rtl))
        for index, value in enumerate(values):
            bar_y = y + index * BAR_HEIGHT
            width = 0 if value is None else max(1, round(PLOT_WIDTH * value / top))
            shown = "—" if value is None else str(value)
            body.append(f'<rect x="{LABEL_WIDTH}" y="{bar_y}" width="{width}" height="{BAR_HEIGHT - 2}" '
                        f'fill="{SERIES_FILLS[index % len(SERIES_FILLS)]}"><title>{escape(text)}: '
                        f'{escape(series[index])} {shown}</title></rect>')
            body.append(f'<text x="{LABEL_WIDTH + width + 4}" y="{bar_y + BAR_HEIGHT / 2}" font-size="11" '
                        f'dominant-baseline="middle" fill="{TEXT_FILL}">{shown}</text>')
        y += group
    body.extend(_legend(series, SERIES_FILLS, y, rtl))
    return _svg(title, y + LEGEND_LINE * len(series) + 4, body)


def stacked_bars(title: str, rows: Sequence[tuple[str, Sequence[int]]], series: Sequence[str],
                 rtl: bool = False) -> Markup:
    """One bar per row split into segments (e.g. open requests by age bucket), total at its end."""
    top = max((sum(values) for _label_text, values in rows), default=0) or 1
    body = []
    y = 4.0
    for text, values in rows:
        body.append(_label(text, y + BAR_HEIGHT / 2, rtl))
        x = float(LABEL_WIDTH)
        for index, value in enumerate(values):
            if not value:
                continue
            width = PLOT_WIDTH * value / top
            body.append(f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" '
                        f'fill="{BUCKET_FILLS[index % len(BUCKET_FILLS)]}" stroke="#ffffff" '
                        f'stroke-width="0.5">'
                        f'<title>{escape(text)}: {escape(series[index])} {value}</title></rect>')
            x += width
        body.append(f'<text x="{x + 4:.1f}" y="{y + BAR_HEIGHT / 2}" font-size="11" '
                    f'dominant-baseline="middle" fill="{TEXT_FILL}">{sum(values)}</text>')
        y += BAR_HEIGHT + ROW_GAP
    body.extend(_legend(series, BUCKET_FILLS, y, rtl))
    return _svg(title, y + LEGEND_LINE * len(series) + 4, body)

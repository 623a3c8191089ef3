"""The observatory's charts as inline SVG strings, drawn on the server.

The public statistics page must work without JavaScript and without any third-party request, and the site's
Content-Security-Policy forbids inline styles: the charts are therefore plain ``<svg>`` elements, styled with
presentation attributes only (``fill``, ``stroke``, ``font-size``, ``text-anchor``), in the colours of the French
State design system. Pure Python (the standard library only, no Django): the view passes the figures and marks the
returned string as safe, every text in it being escaped here.

Accessibility (RGAA)
    A chart is a visual complement: the page prints the same figures in a data table under it, formatted with
    ``format_number`` and ``format_percent`` so that both read alike. The ``<svg>`` is an image (``role="img"``)
    named by its ``<title>`` and described by its ``<desc>`` (``aria-labelledby``); each bar or point carries a
    ``<title>`` of its own ("label : value") that mouse users see as a tooltip. Texts are ``#3a3a3a`` or ``#666666``
    on white (contrast of 11.4:1 and 5.7:1).

Statistical secrecy
    Figures that are not published arrive as ``None``. They are never drawn as a zero: a line is broken and the
    period marked with a hollow circle, a bar is left out and its mark ("< 11", "masqué", "non publié")
    written in its place.

Output only depends on the input: ids are derived from a short hash of the chart's texts (``id_prefix`` sets them
when the same chart is printed twice on a page), and coordinates are rounded to a tenth of a unit.
"""

import hashlib
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from html import escape

NOT_PUBLISHED = "non publié"
NO_DATA = "Aucune donnée publiable pour cette période."

DATA_COLOUR = "#000091"  # DSFR blue France
SECONDARY_COLOUR = "#6a6af4"  # graphics only: 4.2:1 on white, enough for a shape, not for a text
AXIS_COLOUR = "#666666"
TEXT_COLOUR = "#3a3a3a"
GRID_COLOUR = "#dddddd"  # decorative: the tick labels carry the information
FONT_FAMILY = "Marianne, arial, sans-serif"
FONT_SIZE = 14
CHAR_WIDTH = 0.6 * FONT_SIZE  # a generous estimate of a character's advance, to keep labels apart

NARROW_NBSP = "\u202f"
NBSP = "\u00a0"
COLON = f"{NBSP}: "

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
MAX_TICK_INTERVALS = 5
MIN_TICK_INTERVALS = 3
ROW_HEIGHT = 36
BAR_HEIGHT = 20

_ID_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
# Characters XML 1.0 does not allow, even escaped: a label holding one would make the page ill-formed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Point:
    """One figure: ``value`` is ``None`` when it is not published, ``hidden_text`` then being its mark ("< 11",
    "masqué"; "non publié" by default); ``at_least`` when it adds up published parts of a figure and the true
    count may be higher ("≥ 120")."""

    label: str
    value: int | None
    hidden_text: str | None = None
    at_least: bool = False


def format_number(value: int) -> str:
    """``12345`` → ``"12 345"``, thousands separated by a narrow no-break space as French typography wants."""
    return f"{value:,}".replace(",", NARROW_NBSP)


def format_percent(share: float) -> str:
    """``0.12`` → ``"12 %"``, rounded half up to a whole percent, a no-break space before the sign."""
    return f"{format_number(math.floor(round(share * 100, 9) + 0.5))}{NBSP}%"


def nice_ticks(maximum: int) -> list[int]:
    """Evenly spaced ticks from 0 covering ``maximum``: 4 to 6 of them, the step being 1, 2, 2.5 or 5 × 10^n.

    The step is the smallest whole one needing at most five intervals; fewer than three are stretched to three, so
    that an axis of small counts still has a scale.
    """
    if maximum < 0:
        raise ValueError(f"Counts cannot be negative: {maximum}.")
    top = max(maximum, 1)
    exponent = max(len(str(top)) - 2, 0)  # a step under 10^(digits - 2) would need more than five intervals
    while True:
        for mantissa in (1, 2, 2.5, 5):
            step = mantissa * 10**exponent
            if step == int(step) and math.ceil(top / step) <= MAX_TICK_INTERVALS:
                intervals = max(math.ceil(top / step), MIN_TICK_INTERVALS)
                return [i * int(step) for i in range(intervals + 1)]
        exponent += 1


def line_chart(
    points: Sequence[Point],
    *,
    title: str,
    description: str,
    width: int = 720,
    height: int = 280,
    series_label: str = "parcours",
    id_prefix: str | None = None,
) -> str:
    """A line through the points, left to right, with a scale of counts on the left.

    A point that is not published breaks the line; a hollow circle on the baseline marks its period, explained by
    a legend under the chart. ``series_label`` names the counted thing in the tooltips ("janv. 2026 : 12 parcours").
    """
    _check_size(width, height)
    chart_id = _chart_id("line", title, description, [p.label for p in points], id_prefix)
    values = [p.value for p in points]
    published = [v for v in values if v is not None]
    if not published:
        return _no_data(chart_id, title, description, width)
    _check_counts(published)
    ticks = nice_ticks(max(published))
    has_gaps = len(published) < len(values)
    top, plot_bottom = 12, height - (56 if has_gaps else 32)
    axis_x = 16 + max(_text_width(format_number(t)) for t in ticks)
    half_label = max(_text_width(p.label) for p in points) / 2
    margin = min(half_label, width / 4) + 4  # the first and last labels are centred on their points
    first_x = max(axis_x + 12, margin)
    last_x = max(width - max(12, margin), first_x)
    if len(points) == 1:
        step_x, xs = 0.0, [(first_x + last_x) / 2]
    else:
        step_x = (last_x - first_x) / (len(points) - 1)
        xs = [first_x + i * step_x for i in range(len(points))]

    def y_of(value: int) -> float:
        return plot_bottom - value * (plot_bottom - top) / ticks[-1]

    body = _value_grid(ticks, y_of, left=axis_x, right=width - 8)
    body.append(_line(axis_x, top, axis_x, plot_bottom, AXIS_COLOUR))
    body.append(_line(axis_x, plot_bottom, width - 8, plot_bottom, AXIS_COLOUR))
    for i in _label_indices(len(points), step_x, 2 * half_label + 12):
        body.append(_line(xs[i], plot_bottom, xs[i], plot_bottom + 5, AXIS_COLOUR))
        body.append(_text(xs[i], plot_bottom + 22, points[i].label, anchor="middle"))
    for run in _runs(values):
        if len(run) > 1:
            coordinates = " ".join(f"{_n(xs[i])},{_n(y_of(values[i]))}" for i in run)
            body.append(
                f'<polyline points="{coordinates}" fill="none" stroke="{DATA_COLOUR}" stroke-width="2.5" '
                'stroke-linejoin="round" stroke-linecap="round"/>'
            )
    for x, point in zip(xs, points, strict=True):
        if point.value is None:
            body.append(_gap_marker(x, plot_bottom, f"{point.label}{COLON}{NOT_PUBLISHED}"))
        else:
            tooltip = f"{point.label}{COLON}{format_number(point.value)}{NBSP}{series_label}"
            body.append(_point_marker(x, y_of(point.value), tooltip))
    if has_gaps:
        legend_y = height - 12
        body.append(
            f'<g class="chart-legend">{_hollow_circle(axis_x + 6, legend_y)}'
            f"{_text(axis_x + 18, legend_y + 5, NOT_PUBLISHED[0].upper() + NOT_PUBLISHED[1:])}</g>"
        )
    return _svg(chart_id, title, description, width, height, body)


def bar_chart(
    bars: Sequence[Point],
    *,
    title: str,
    description: str,
    width: int = 720,
    value_suffix: str = "",
    id_prefix: str | None = None,
) -> str:
    """Horizontal bars of counts, one per row in the given order, each followed by its figure.

    ``value_suffix`` follows the figures ("12 parcours"); a no-break space is put before it unless it starts with
    a space. A bar that is not published is left out, its mark being written in its place.
    """
    _check_size(width)
    chart_id = _chart_id("bar", title, description, [b.label for b in bars], id_prefix)
    published = [b.value for b in bars if b.value is not None]
    if not published:
        return _no_data(chart_id, title, description, width)
    _check_counts(published)
    ticks = nice_ticks(max(published))
    suffix = value_suffix if not value_suffix or value_suffix[0].isspace() else NBSP + value_suffix
    rows = []
    for bar in bars:
        if bar.value is None:
            hidden = bar.hidden_text or NOT_PUBLISHED
            rows.append(_Row(bar.label, None, hidden, f"{bar.label}{COLON}{hidden}"))
        else:
            figure = ("≥" + NBSP if bar.at_least else "") + format_number(bar.value) + suffix
            rows.append(_Row(bar.label, bar.value / ticks[-1], figure, f"{bar.label}{COLON}{figure}"))
    scale = [(t / ticks[-1], format_number(t)) for t in ticks]
    return _horizontal_bars(chart_id, title, description, width, rows, scale)


def share_bars(
    shares: Sequence[tuple[str, float | None]],
    *,
    title: str,
    description: str,
    width: int = 720,
    id_prefix: str | None = None,
) -> str:
    """Horizontal bars of shares between 0 and 1, on a scale of 0 to 100 %, each followed by its percentage.

    A share that is not published is left out, "non publié" being written in its place.
    """
    _check_size(width)
    chart_id = _chart_id("share", title, description, [label for label, _ in shares], id_prefix)
    if all(share is None for _, share in shares):
        return _no_data(chart_id, title, description, width)
    rows = []
    for label, share in shares:
        if share is None:
            rows.append(_Row(label, None, "non publié", f"{label}{COLON}{NOT_PUBLISHED}"))
        elif not 0 <= share <= 1:
            raise ValueError(f"A share is between 0 and 1: {label!r} is {share}.")
        else:
            rows.append(_Row(label, share, format_percent(share), f"{label}{COLON}{format_percent(share)}"))
    scale = [(t / 100, format_percent(t / 100)) for t in nice_ticks(100)]
    return _horizontal_bars(chart_id, title, description, width, rows, scale)


@dataclass(frozen=True)
class _Row:
    label: str
    length: float | None  # part of the scale, from 0 to 1; None when not published
    figure: str  # written after the bar, or in its place
    tooltip: str


def _horizontal_bars(
    chart_id: str, title: str, description: str, width: int, rows: list[_Row], scale: list[tuple[float, str]]
) -> str:
    top = 8
    label_right = 8 + min(max(_text_width(r.label) for r in rows), width * 0.4)
    axis_x = label_right + 8
    figures_width = max(_text_width(r.figure) for r in rows) + 8
    right = width - 8 - max(figures_width, _text_width(scale[-1][1]) / 2)
    plot_width = max(right - axis_x, 1)
    rows_bottom = top + len(rows) * ROW_HEIGHT
    height = rows_bottom + 32
    max_chars = max(int((label_right - 8) // CHAR_WIDTH), 4)
    body = []
    for fraction, text in scale:
        x = axis_x + fraction * plot_width
        body.append(_line(x, top, x, rows_bottom, GRID_COLOUR))
        body.append(_text(x, rows_bottom + 20, text, anchor="middle", fill=AXIS_COLOUR))
    body.append(_line(axis_x, top, axis_x, rows_bottom, AXIS_COLOUR))
    for i, row in enumerate(rows):
        middle = top + (i + 0.5) * ROW_HEIGHT
        label = _text(label_right, middle + 5, _shorten(row.label, max_chars), anchor="end")
        if row.length is None:
            mark = _text(axis_x + 6, middle + 5, row.figure, italic=True)
            body.append(f'<g class="chart-secret"><title>{_escape(row.tooltip)}</title>{label}{mark}</g>')
        else:
            length = row.length * plot_width
            bar = (
                f'<rect x="{_n(axis_x)}" y="{_n(middle - BAR_HEIGHT / 2)}" width="{_n(length)}" '
                f'height="{BAR_HEIGHT}" fill="{DATA_COLOUR}"/>'
            )
            figure = _text(axis_x + length + 6, middle + 5, row.figure)
            body.append(f'<g class="chart-bar"><title>{_escape(row.tooltip)}</title>{label}{bar}{figure}</g>')
    return _svg(chart_id, title, description, width, height, body)


def _value_grid(ticks: list[int], y_of: Callable[[int], float], *, left: float, right: float) -> list[str]:
    """Horizontal grid lines with their figures on the left."""
    body = []
    for tick in ticks:
        y = y_of(tick)
        body.append(_line(left, y, right, y, GRID_COLOUR))
        body.append(_text(left - 8, y + 5, format_number(tick), anchor="end", fill=AXIS_COLOUR))
    return body


def _label_indices(count: int, spacing: float, label_width: float) -> range:
    """Every k-th point gets its label, k being the smallest step at which labels do not overlap."""
    if count < 2 or spacing <= 0:
        return range(min(count, 1))
    return range(0, count, max(math.ceil(label_width / spacing), 1))


def _runs(values: Sequence[int | None]) -> list[list[int]]:
    """The indexes of the published values, in runs of consecutive ones."""
    runs: list[list[int]] = []
    previous_published = False
    for i, value in enumerate(values):
        if value is not None:
            if previous_published:
                runs[-1].append(i)
            else:
                runs.append([i])
        previous_published = value is not None
    return runs


def _point_marker(x: float, y: float, tooltip: str) -> str:
    # The transparent disc widens the area that shows the tooltip.
    return (
        f'<g class="chart-point"><title>{_escape(tooltip)}</title>'
        f'<circle cx="{_n(x)}" cy="{_n(y)}" r="12" fill="#ffffff" fill-opacity="0"/>'
        f'<circle cx="{_n(x)}" cy="{_n(y)}" r="4" fill="{DATA_COLOUR}"/></g>'
    )


def _gap_marker(x: float, y: float, tooltip: str) -> str:
    return (
        f'<g class="chart-gap"><title>{_escape(tooltip)}</title>'
        f'<circle cx="{_n(x)}" cy="{_n(y)}" r="12" fill="#ffffff" fill-opacity="0"/>{_hollow_circle(x, y)}</g>'
    )


def _hollow_circle(x: float, y: float) -> str:
    return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="4.5" fill="#ffffff" stroke="{SECONDARY_COLOUR}" stroke-width="2"/>'


def _no_data(chart_id: str, title: str, description: str, width: int) -> str:
    # role="img" hides the visible sentence from assistive technologies: the description says it too.
    said = f"{description} {NO_DATA}" if description else NO_DATA
    return _svg(chart_id, title, said, width, 60, [_text(width / 2, 35, NO_DATA, anchor="middle")])


def _svg(chart_id: str, title: str, description: str, width: int, height: float, body: list[str]) -> str:
    return (
        f'<svg xmlns="{SVG_NAMESPACE}" class="observatory-chart" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" viewBox="0 0 {width} {_n(height)}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" focusable="false" font-family="{FONT_FAMILY}" '
        f'font-size="{FONT_SIZE}" fill="{TEXT_COLOUR}">'
        f'<title id="{chart_id}-title">{_escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{_escape(description)}</desc>' + "".join(body) + "</svg>"
    )


def _text(
    x: float, y: float, content: str, *, anchor: str = "start", fill: str = TEXT_COLOUR, italic: bool = False
) -> str:
    attributes = f'x="{_n(x)}" y="{_n(y)}"'
    if anchor != "start":
        attributes += f' text-anchor="{anchor}"'
    if fill != TEXT_COLOUR:
        attributes += f' fill="{fill}"'
    if italic:
        attributes += ' font-style="italic"'
    return f"<text {attributes}>{_escape(content)}</text>"


def _line(x1: float, y1: float, x2: float, y2: float, colour: str) -> str:
    return f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="{colour}" stroke-width="1"/>'


def _chart_id(kind: str, title: str, description: str, labels: Iterable[str], id_prefix: str | None) -> str:
    if id_prefix is not None:
        if not _ID_PREFIX.fullmatch(id_prefix):
            raise ValueError(f"An id prefix is a letter followed by letters, digits, - or _: {id_prefix!r}.")
        return id_prefix
    texts = "\x1f".join([kind, title, description, *labels])
    return "chart-" + hashlib.sha256(texts.encode("utf-8", "surrogatepass")).hexdigest()[:10]


def _check_counts(values: Iterable[int]) -> None:
    for value in values:
        if value < 0:
            raise ValueError(f"Counts cannot be negative: {value}.")


def _check_size(width: int, height: int = 200) -> None:
    if width < 240 or height < 120:
        raise ValueError(f"A chart needs at least 240 × 120 units: {width} × {height}.")


def _shorten(label: str, max_chars: int) -> str:
    """The label cut with an ellipsis when it would overflow its column; the tooltip keeps it whole."""
    return label if len(label) <= max_chars else label[: max_chars - 1].rstrip() + "…"


def _text_width(text: str) -> float:
    return len(text) * CHAR_WIDTH


def _escape(text: str) -> str:
    return escape(_NOT_XML.sub("", text), quote=True)


def _n(number: float) -> str:
    """A coordinate rounded to a tenth, without a trailing ".0"."""
    text = f"{number:.1f}"
    return "0" if text == "-0.0" else text.removesuffix(".0")

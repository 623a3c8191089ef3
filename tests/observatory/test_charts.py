"""The observatory's SVG charts: well-formed, escaped, accessible, styled without inline styles, and honest about
the figures that are not published."""

import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cyberaide.observatory.charts import (
    NO_DATA,
    Point,
    bar_chart,
    format_number,
    format_percent,
    line_chart,
    nice_ticks,
    share_bars,
)

NS = "{http://www.w3.org/2000/svg}"
MONTHS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]


def months(values):
    return [Point(f"{MONTHS[i % 12]} {2024 + i // 12}", value) for i, value in enumerate(values)]


def draw_line(points, **kwargs):
    return line_chart(points, title="Parcours par mois", description="Nombre de parcours terminés.", **kwargs)


def draw_bars(bars, **kwargs):
    return bar_chart(bars, title="Parcours par type", description="Parcours par type d'incident.", **kwargs)


def draw_shares(shares, **kwargs):
    return share_bars(shares, title="Suites données", description="Part des parcours par suite.", **kwargs)


SAMPLES = {
    "line": lambda: draw_line(months([120, 340, None, 1234, 980, 15])),
    "bar": lambda: draw_bars([Point("Hameçonnage", 1234), Point("Rançongiciel", None), Point("Faux support", 56)]),
    "share": lambda: draw_shares([("a mené à un prestataire", 0.12), ("plainte déposée", None), ("résolu", 1.0)]),
}
EMPTY = {
    "line": lambda: draw_line([]),
    "line, all secret": lambda: draw_line(months([None, None])),
    "bar": lambda: draw_bars([]),
    "bar, all secret": lambda: draw_bars([Point("Hameçonnage", None)]),
    "share": lambda: draw_shares([]),
    "share, all secret": lambda: draw_shares([("plainte déposée", None)]),
}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (our own output)


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{NS}text")]


def groups(root: ET.Element, kind: str) -> list[ET.Element]:
    return [g for g in root.iter(f"{NS}g") if g.get("class") == kind]


def tooltip(group: ET.Element) -> str:
    return group.find(f"{NS}title").text


@pytest.mark.parametrize("draw", [*SAMPLES.values(), *EMPTY.values()], ids=[*SAMPLES, *(f"empty {k}" for k in EMPTY)])
def test_a_chart_is_one_accessible_svg_image_without_inline_style(draw):
    svg = draw()
    assert svg.startswith("<svg ") and svg.endswith("</svg>")
    root = parse(svg)
    assert root.tag == f"{NS}svg"
    assert root.get("role") == "img" and root.get("focusable") == "false"
    assert root.get("width") == "100%" and re.fullmatch(r"0 0 \d+ [\d.]+", root.get("viewBox"))
    assert root.get("font-family") == "Marianne, arial, sans-serif"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root[0].tag == f"{NS}title" and root[0].get("id") == title_id and root[0].text
    assert root[1].tag == f"{NS}desc" and root[1].get("id") == desc_id and root[1].text
    elements = list(root.iter())
    assert not [e for e in elements if "style" in e.attrib or e.tag == f"{NS}style"]
    assert not [e for e in elements if e.tag in (f"{NS}script", f"{NS}foreignObject", f"{NS}image")]
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")  # no third-party request


@pytest.mark.parametrize("draw", SAMPLES.values(), ids=SAMPLES)
def test_the_same_figures_give_the_same_string(draw):
    assert draw() == draw()


def contrast_on_white(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


@pytest.mark.parametrize("draw", [*SAMPLES.values(), EMPTY["line"]], ids=[*SAMPLES, "empty"])
def test_every_text_is_readable_on_white(draw):
    root = parse(draw())
    fills = {t.get("fill", root.get("fill")) for t in root.iter(f"{NS}text")}
    assert fills and all(contrast_on_white(fill) >= 4.5 for fill in fills), fills


def test_labels_titles_and_descriptions_are_escaped():
    nasty = '<script>alert("x")</script>&"\'\x00'
    charts = [
        line_chart([Point(nasty, 3), Point(nasty, None)], title=nasty, description=nasty, series_label=nasty),
        bar_chart([Point(nasty, 3), Point(nasty, None)], title=nasty, description=nasty, value_suffix=nasty),
        share_bars([(nasty, 0.5), (nasty, None)], title=nasty, description=nasty),
        line_chart([Point(nasty, None)], title=nasty, description=nasty),
    ]
    for svg in charts:
        assert "<script" not in svg and "\x00" not in svg
        root = parse(svg)
        assert not list(root.iter(f"{NS}script"))
        visible = nasty.replace("\x00", "")
        assert root[0].text == visible and root[1].text.startswith(visible)
        tooltips = [e.text for e in root.iter(f"{NS}title")][1:]
        assert all(t.startswith(visible) for t in tooltips)


def test_ids_are_derived_from_the_texts_or_given():
    first = parse(draw_line(months([1, 2])))
    again = parse(draw_line(months([1, 2])))
    other = parse(line_chart(months([1, 2]), title="Autre titre", description="Nombre de parcours terminés."))
    assert first.get("aria-labelledby") == again.get("aria-labelledby") != other.get("aria-labelledby")
    assert re.fullmatch(r"(chart-[0-9a-f]{10})-title \1-desc", first.get("aria-labelledby"))
    given_id = parse(draw_bars([Point("a", 1)], id_prefix="parcours-par-type"))
    assert given_id.get("aria-labelledby") == "parcours-par-type-title parcours-par-type-desc"
    with pytest.raises(ValueError, match="id prefix"):
        draw_bars([Point("a", 1)], id_prefix='x" onload="alert(1)')


def test_a_bar_is_drawn_for_each_published_count_and_none_for_a_secret_one():
    bars = [
        Point("Hameçonnage", 1234),
        Point("Rançongiciel", None, "< 11"),
        Point("Faux support", 617),
        Point("Autre", 0),
    ]
    root = parse(draw_bars(bars, value_suffix="parcours"))
    drawn = groups(root, "chart-bar")
    assert len(list(root.iter(f"{NS}rect"))) == len(drawn) == 3
    assert [tooltip(g) for g in drawn] == [
        "Hameçonnage\u00a0: 1\u202f234\u00a0parcours",
        "Faux support\u00a0: 617\u00a0parcours",
        "Autre\u00a0: 0\u00a0parcours",
    ]
    widths = [float(g.find(f"{NS}rect").get("width")) for g in drawn]
    assert widths[0] == pytest.approx(2 * widths[1], abs=0.2) and widths[2] == 0
    (secret,) = groups(root, "chart-secret")
    assert secret.find(f"{NS}rect") is None
    assert tooltip(secret) == "Rançongiciel\u00a0: < 11"
    assert "< 11" in texts(secret)
    assert "Rançongiciel" in texts(root) and "1\u202f234\u00a0parcours" in texts(root)


def test_bars_grow_the_chart_one_row_each():
    heights = [
        float(parse(draw_bars([Point(f"type {i}", i + 1) for i in range(n)])).get("viewBox").split()[3])
        for n in (1, 2, 10)
    ]
    assert heights[1] - heights[0] == pytest.approx((heights[2] - heights[0]) / 9) and heights[1] > heights[0]


def test_a_long_label_is_shortened_on_the_chart_but_whole_in_its_tooltip():
    label = "Faux support technique qui prend la main sur l'ordinateur à distance et demande un paiement"
    (group,) = groups(parse(draw_bars([Point(label, 12)])), "chart-bar")
    shown = texts(group)[0]
    assert shown.endswith("…") and len(shown) < len(label) and tooltip(group).startswith(label)


def test_shares_are_percentages_of_a_0_to_100_scale():
    root = parse(draw_shares([("a mené à un prestataire", 0.12), ("plainte déposée", None), ("tout", 1.0)]))
    drawn = groups(root, "chart-bar")
    assert len(list(root.iter(f"{NS}rect"))) == len(drawn) == 2
    assert [tooltip(g) for g in drawn] == ["a mené à un prestataire\u00a0: 12\u00a0%", "tout\u00a0: 100\u00a0%"]
    small, whole = (float(g.find(f"{NS}rect").get("width")) for g in drawn)
    assert small == pytest.approx(0.12 * whole, abs=0.2)
    (secret,) = groups(root, "chart-secret")
    assert secret.find(f"{NS}rect") is None and "non publié" in texts(secret)
    assert {"0\u00a0%", "100\u00a0%"} <= set(texts(root))
    with pytest.raises(ValueError, match="between 0 and 1"):
        draw_shares([("trop", 1.2)])


def test_a_secret_month_breaks_the_line_and_is_marked_not_as_a_zero():
    root = parse(draw_line(months([10, 20, None, 40, 50, None, 70])))
    lines = root.findall(f".//{NS}polyline")
    assert [len(line.get("points").split()) for line in lines] == [2, 2]  # the lone 70 is a point, not a line
    points = groups(root, "chart-point")
    assert len(points) == 5
    assert tooltip(points[0]) == "janv. 2024\u00a0: 10\u00a0parcours"
    gaps = groups(root, "chart-gap")
    assert [tooltip(g) for g in gaps] == [
        "mars 2024\u00a0: non publié",
        "juin 2024\u00a0: non publié",
    ]
    assert all(c.get("fill") == "#ffffff" for g in gaps for c in g.iter(f"{NS}circle"))  # hollow
    assert "Non publié" in texts(root)
    assert "Non publié" not in texts(parse(draw_line(months([10, 20]))))


def test_a_partial_figure_reads_as_a_lower_bound():
    (bar,) = groups(parse(draw_bars([Point("Bretagne", 120, at_least=True)], value_suffix="parcours")), "chart-bar")
    assert "≥\u00a0120\u00a0parcours" in texts(bar)


def test_a_larger_count_is_drawn_higher():
    root = parse(draw_line(months([0, 500, 1000])))
    heights = [float(g.findall(f"{NS}circle")[1].get("cy")) for g in groups(root, "chart-point")]
    assert heights[0] > heights[1] > heights[2]
    assert heights[0] - heights[1] == pytest.approx(heights[1] - heights[2], abs=0.2)


def x_labels(root: ET.Element) -> list[ET.Element]:
    return [t for t in root.iter(f"{NS}text") if t.get("text-anchor") == "middle"]


def test_x_labels_are_all_shown_when_few_and_thinned_when_many():
    assert len(x_labels(parse(draw_line(months([1, 2, 3, 4]))))) == 4
    shown = x_labels(parse(draw_line(months(range(36)))))
    assert 3 <= len(shown) < 36 and shown[0].text == "janv. 2024"
    xs = [float(t.get("x")) for t in shown]
    widest = max(len(t.text) for t in shown) * 0.6 * 14
    assert min(b - a for a, b in zip(xs, xs[1:], strict=False)) >= widest


def test_the_value_axis_is_written_the_french_way():
    labels = texts(parse(draw_line(months([12000, 98000]))))
    assert "100\u202f000" in labels and "0" in labels
    assert "1\u202f234\u00a0parcours" in texts(parse(draw_bars([Point("a", 1234)], value_suffix="parcours")))
    assert "1\u202f234 €" in texts(parse(draw_bars([Point("a", 1234)], value_suffix=" €")))


@pytest.mark.parametrize(
    "value, expected",
    [(0, "0"), (999, "999"), (12345, "12\u202f345"), (1234567, "1\u202f234\u202f567")],
)
def test_format_number(value, expected):
    assert format_number(value) == expected


@pytest.mark.parametrize(
    "share, expected",
    [
        (0, "0\u00a0%"),
        (0.12, "12\u00a0%"),
        (0.125, "13\u00a0%"),
        (0.145, "15\u00a0%"),
        (0.004, "0\u00a0%"),
        (1, "100\u00a0%"),
    ],
)
def test_format_percent(share, expected):
    assert format_percent(share) == expected


@pytest.mark.parametrize(
    "maximum, expected",
    [
        (0, [0, 1, 2, 3]),
        (7, [0, 2, 4, 6, 8]),
        (10, [0, 2, 4, 6, 8, 10]),
        (11, [0, 5, 10, 15]),
        (1234, [0, 250, 500, 750, 1000, 1250]),
        (980000, [0, 200000, 400000, 600000, 800000, 1000000]),
        (100, [0, 20, 40, 60, 80, 100]),
    ],
)
def test_nice_ticks(maximum, expected):
    assert nice_ticks(maximum) == expected


@given(st.integers(min_value=0, max_value=10**12))
def test_nice_ticks_cover_the_maximum_from_zero_with_a_nice_step(maximum):
    ticks = nice_ticks(maximum)
    assert 4 <= len(ticks) <= 6 and ticks[0] == 0 and ticks[-1] >= maximum
    step = ticks[1]
    assert all(b - a == step for a, b in zip(ticks, ticks[1:], strict=False))
    mantissa = step / 10 ** (len(str(step)) - 1)
    assert mantissa in (1, 2, 2.5, 5)
    assert ticks[-2] < maximum or maximum <= 1 or len(ticks) == 4  # no needless tick above the maximum


@pytest.mark.parametrize("draw", EMPTY.values(), ids=EMPTY)
def test_nothing_publishable_says_so_and_keeps_its_title(draw):
    root = parse(draw())
    assert texts(root) == [NO_DATA]
    assert root[0].text and root[1].text.endswith(NO_DATA)
    assert not list(root.iter(f"{NS}rect")) and not list(root.iter(f"{NS}polyline"))


def test_negative_counts_are_refused():
    with pytest.raises(ValueError, match="negative"):
        draw_line(months([3, -1]))
    with pytest.raises(ValueError, match="negative"):
        draw_bars([Point("a", -1)])

"""What the public observatory shows for a period and an audience, read from the published cells only."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.conf import settings

from cyberaide.content.search_text import strip_accents
from cyberaide.core.audiences import Audience
from cyberaide.core.geography import DEPARTEMENTS, REGIONS
from cyberaide.diagnostic.models import Channel, IncidentType

from .charts import format_number, format_percent
from .disclosure import Figure, Status, combine
from .models import NOT_FOUND, PublishedCell, PublishedMonth
from .publication import ALL, FOLLOW_UPS, UNKNOWN

AUDIENCE_PLURALS = {
    Audience.PARTICULIER: "Particuliers",
    Audience.ENTREPRISE: "Entreprises",
    Audience.ASSOCIATION: "Associations",
    Audience.COLLECTIVITE: "Collectivités et administrations",
}
FOLLOW_UP_LABELS = {
    "situation-grave": "Situation grave (discussion 17Cyber proposée)",
    "suite-prestataire": "Demande à un prestataire référencé",
    "suite-17cyber": "Discussion avec un policier ou un gendarme (17Cyber)",
    "suite-plainte": "Plainte ou rendez-vous après la discussion",
}
MONTH_NAMES = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]
FULL_MONTH_NAMES = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
TOP_THREATS = 10


def publication_state() -> tuple[list[date], str]:
    """The published months, and a stamp that changes whenever one is published (again)."""
    rows = list(PublishedMonth.objects.order_by("month").values_list("month", "published_at"))
    stamp = max((published_at for _, published_at in rows), default=None)
    return [month for month, _ in rows], f"{len(rows)}-{stamp.timestamp() if stamp else 0}"


def month_label(month: date) -> str:
    """The short label of a month on a chart's axis: "janv. 2026"."""
    return f"{MONTH_NAMES[month.month - 1]} {month.year}"


def full_month_label(month: date) -> str:
    return f"{FULL_MONTH_NAMES[month.month - 1]} {month.year}"


def period_label(months: list[date]) -> str:
    """ "en mars 2026", "de janvier à mars 2026", "d'octobre 2025 à mars 2026"."""
    first, last = months[0], months[-1]
    if first == last:
        return f"en {full_month_label(first)}"
    start = FULL_MONTH_NAMES[first.month - 1] if first.year == last.year else full_month_label(first)
    elided = "d'" if start[0] in "aeiouy" else "de "
    return f"{elided}{start} à {full_month_label(last)}"


def figure_text(figure: Figure) -> str:
    """How a figure reads in a table: exact; "≥ n" when some of its cells are not published; for a single cell
    not published, "< 11" (under the threshold) or "masqué" (hidden so that a small one cannot be worked out);
    otherwise "non publié"."""
    if figure.complete:
        return format_number(figure.value)
    if figure.is_published:
        return f"≥ {format_number(figure.value)}"
    if figure.cells == 1 and figure.small_only:
        return f"< {settings.OBSERVATORY_THRESHOLD}"
    if figure.cells == 1 and figure.secret_only:
        return "masqué"
    return "non publié"


def share_value(part: Figure, whole: Figure) -> float | None:
    """A share, only when both figures are exact (a share of partial figures would mislead)."""
    if not (part.complete and whole.complete) or whole.value == 0:
        return None
    return part.value / whole.value


def share_text(part: Figure, whole: Figure) -> str:
    share = share_value(part, whole)
    if share is None:
        return "non publié"
    return "moins de 1\u00a0%" if 0 < share < 0.005 else format_percent(share)


@dataclass(frozen=True)
class Row:
    code: str
    label: str
    figure: Figure

    @property
    def text(self) -> str:
        return figure_text(self.figure)


class Cells:
    """The published cells of a period, indexed by (audience, dimension, code) then month."""

    def __init__(self, months: list[date], audiences: list[str]):
        self.months = months
        self.values: dict[tuple[str, str, str], dict[date, tuple[int | None, Status | None]]] = defaultdict(dict)
        rows = PublishedCell.objects.filter(month__month__in=months, audience__in=[*audiences, ALL]).values_list(
            "month__month", "audience", "dimension", "code", "value", "status"
        )
        for month, audience, dimension, code, value, status in rows:
            self.values[(audience, dimension, code)][month] = (value, Status(status))

    def figure(self, audiences: list[str], dimension: str, code: str = "", months: list[date] | None = None) -> Figure:
        cells = []
        for audience in audiences:
            by_month = self.values.get((audience, dimension, code), {})
            cells.extend(by_month.get(month, (None, None)) for month in months or self.months)
        return combine(cells)

    def codes(self, audience: str, dimension: str) -> list[str]:
        return sorted(
            code
            for (cell_audience, cell_dimension, code) in self.values
            if (cell_audience, cell_dimension) == (audience, dimension)
        )


@dataclass(frozen=True)
class Overview:
    months: list[date]
    audience: str  # an Audience value or ALL
    audiences: list[str]
    series: list[tuple[date, Figure, list[Figure]]]  # month, all shown audiences together, each audience
    total: Figure
    all_total: Figure  # every audience, for the tables published for all audiences only
    threats: list[tuple[str, Figure, list[Row]]]  # per audience: its total and its top threats
    regions: list[Row]
    departements: list[tuple[Row, list[Row]]]  # each region with its départements
    follow_ups: list[tuple[str, Figure, dict[str, Figure]]]  # per audience: its total, then "oui" per dimension
    channels: list[Row]


def overview(months: list[date], audience: str) -> Overview:
    audiences = Audience.values if audience == ALL else [audience]
    cells = Cells(months, audiences)
    shown = [ALL] if audience == ALL else audiences  # the published total of all audiences is exact
    incident_names = dict(IncidentType.objects.values_list("code", "name"))
    incident_names[NOT_FOUND] = "Situation non trouvée dans le diagnostic"
    series = [
        (
            month,
            cells.figure(shown, "total", months=[month]),
            [cells.figure([one], "total", months=[month]) for one in audiences],
        )
        for month in months
    ]
    threats = []
    for one in audiences:
        rows = [
            Row(code, incident_names.get(code, code), cells.figure([one], "incident", code))
            for code in cells.codes(one, "incident")
        ]
        rows = [row for row in rows if row.figure.is_published]
        rows.sort(key=lambda row: (-row.figure.value, row.label))
        threats.append((one, cells.figure([one], "total"), rows[:TOP_THREATS]))
    regions = [
        Row(
            code,
            REGIONS[code][0] if code in REGIONS else "Département non indiqué",
            cells.figure([ALL], "region", code),
        )
        for code in [*sorted(REGIONS, key=lambda code: strip_accents(REGIONS[code][0])), UNKNOWN]
    ]
    departements = [
        (
            region,
            [
                Row(code, f"{code} – {DEPARTEMENTS[code]}", cells.figure([ALL], "departement", code))
                for code in REGIONS[region.code][1]
            ],
        )
        for region in regions
        if region.code in REGIONS
    ]
    follow_ups = [
        (
            one,
            cells.figure([one], "total"),
            {dimension: cells.figure([one], dimension, "oui") for dimension in FOLLOW_UPS},
        )
        for one in audiences
    ]
    channels = [Row(code, label, cells.figure([ALL], "canal", code)) for code, label in Channel.choices]
    return Overview(
        months=months,
        audience=audience,
        audiences=audiences,
        series=series,
        total=cells.figure(shown, "total"),
        all_total=cells.figure([ALL], "total"),
        threats=threats,
        regions=regions,
        departements=departements,
        follow_ups=follow_ups,
        channels=channels,
    )


@dataclass(frozen=True)
class Line:
    """One row of a data table: its label and its cells as they read (figures and shares already formatted)."""

    label: str
    cells: list[str]


@dataclass(frozen=True)
class Table:
    caption: str
    headers: list[str]  # the column headers after the row header
    lines: list[Line]


def tables(view: Overview) -> dict:
    """The data tables printed under the charts, every figure formatted as it reads."""
    several = len(view.audiences) > 1
    evolution = Table(
        caption="Parcours terminés par mois",
        headers=[*(AUDIENCE_PLURALS[one] for one in view.audiences if several), "Total"],
        lines=[
            Line(month_label(month), [*(figure_text(one) for one in per_audience if several), figure_text(total)])
            for month, total, per_audience in view.series
        ],
    )
    threats = [
        (
            audience,
            Table(
                caption=f"Menaces les plus fréquentes : {AUDIENCE_PLURALS[audience].lower()}",
                headers=["Parcours", f"Part des parcours ({AUDIENCE_PLURALS[audience].lower()})"],
                lines=[Line(row.label, [row.text, share_text(row.figure, total)]) for row in rows],
            ),
        )
        for audience, total, rows in view.threats
    ]
    regions = Table(
        caption="Parcours par région, tous publics",
        headers=["Parcours", "Part des parcours"],
        lines=[Line(row.label, [row.text, share_text(row.figure, view.all_total)]) for row in view.regions],
    )
    departements = [
        (
            region,
            Table(
                caption=f"Parcours par département : {region.label}",
                headers=["Parcours"],
                lines=[Line(row.label, [row.text]) for row in rows],
            ),
        )
        for region, rows in view.departements
    ]
    follow_ups = Table(
        caption="Gravité des situations et suites données aux parcours",
        headers=[
            "Parcours",
            *(header for label in FOLLOW_UP_LABELS.values() for header in (label, "Part de tous les parcours")),
        ],
        lines=[
            Line(
                AUDIENCE_PLURALS[audience],
                [
                    figure_text(total),
                    *(
                        text
                        for dimension in FOLLOW_UP_LABELS
                        for text in (figure_text(yes[dimension]), share_text(yes[dimension], total))
                    ),
                ],
            )
            for audience, total, yes in view.follow_ups
        ],
    )
    channels = Table(
        caption="Parcours par point d'entrée, tous publics",
        headers=["Parcours", "Part des parcours"],
        lines=[Line(row.label, [row.text, share_text(row.figure, view.all_total)]) for row in view.channels],
    )
    return {
        "evolution": evolution,
        "threats": threats,
        "regions": regions,
        "departements": departements,
        "follow_ups": follow_ups,
        "channels": channels,
    }


assert set(FOLLOW_UP_LABELS) == set(FOLLOW_UPS)

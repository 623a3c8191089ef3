"""The public release: each complete month, computed once from the rollups with statistical secrecy applied.

Which cells a month holds (``dimension`` → its codes):

- for each audience: ``total``; ``incident`` (every incident type of that audience, and "non trouvé");
  ``situation-grave`` (the diagnosis found the situation serious), ``suite-prestataire``, ``suite-17cyber``,
  ``suite-plainte`` (``oui`` / ``non``); ``interventions`` and ``intervention-issue`` (providers' reports);
- for all audiences together (``tous``): ``total``, and, because per audience they would be too small, ``region``
  (and ``inconnu`` when the victim did not say), ``departement``, ``canal``.

The "tous" total is published; the audience totals form one relation against it; each dimension of an audience
forms a relation whose total is that audience's total; regions and channels form relations against the "tous"
total, and the départements of a region a relation against the region. Each relation is protected on its own
(``disclosure``), and relations share only public totals, so they cannot be combined to learn more. A hidden
total publishes none of the cells that add up to it (their "< 11" and "secret" marks would bound it more than its
own relation allows): an audience whose dimensions cannot be protected is hidden whole, a region whose
départements cannot be protected is hidden. A month with fewer journeys than the threshold, or whose audiences
cannot be protected, is withheld whole. A month is frozen once published: ``publish(republish=True)`` computes
the published months again from their frozen counts (after a change of threshold).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from cyberaide.assistance.models import InterventionReport
from cyberaide.core.audiences import Audience
from cyberaide.core.geography import REGION_OF_DEPARTEMENT, REGIONS
from cyberaide.diagnostic import graphs
from cyberaide.diagnostic.models import Channel

from . import disclosure
from .disclosure import Status
from .models import NOT_FOUND, OUT_OF_SCOPE, InterventionDay, JourneyDay, PublishedCell, PublishedMonth

ALL = "tous"
UNKNOWN = "inconnu"
# Yes/no measures of each audience's journeys: how serious the situation was, and what the journey led to.
FOLLOW_UPS = {
    "situation-grave": "serious",
    "suite-prestataire": "to_provider",
    "suite-17cyber": "to_chat",
    "suite-plainte": "to_complaint",
}
AUDIENCE_DIMENSIONS = ("total", "incident", *FOLLOW_UPS, "interventions", "intervention-issue")
ALL_DIMENSIONS = ("total", "region", "departement", "canal")


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def publishable_months(today: date | None = None) -> list[date]:
    """Complete months, from the first one with journeys, whose publication delay has passed."""
    today = today or timezone.localdate()
    first = JourneyDay.objects.order_by("day").values_list("day", flat=True).first()
    if first is None:
        return []
    months = []
    month = month_start(first)
    while next_month(month) + timedelta(days=settings.OBSERVATORY_PUBLICATION_DELAY_DAYS) <= today:
        months.append(month)
        month = next_month(month)
    return months


def publish(*, today: date | None = None, republish: bool = False) -> list[date]:
    """Publish the months that are ready and not yet published (with ``republish``, the published ones again, from
    their frozen counts). Returns the months written."""
    done = set(PublishedMonth.objects.values_list("month", flat=True))
    written = []
    for month in publishable_months(today):
        if month in done and not republish:
            continue
        publish_month(month)
        written.append(month)
    return written


@transaction.atomic
def publish_month(month: date) -> PublishedMonth:
    """Publish one month under the current threshold. Its counts are read from the rollups the first time and
    frozen: publishing it again (after a change of threshold) starts from them, so two publications of a month
    never differ by journeys recorded late, which would tell about a handful of victims."""
    threshold = settings.OBSERVATORY_THRESHOLD
    previous = PublishedMonth.objects.select_for_update().filter(month=month).first()
    counts = MonthCounts.from_json(previous.counts) if previous and previous.counts else MonthCounts.read(month)
    cells = protect_month(counts, threshold=threshold)
    PublishedMonth.objects.filter(month=month).delete()
    published = PublishedMonth.objects.create(
        month=month, threshold=threshold, withheld=cells is None, counts=counts.to_json()
    )
    PublishedCell.objects.bulk_create(
        PublishedCell(
            month=published,
            audience=audience,
            dimension=dimension,
            code=code,
            value=value if status == Status.PUBLISHED else None,
            status=status,
        )
        for (audience, dimension, code), (value, status) in sorted((cells or {}).items())
    )
    return published


# ---- Reading one month ------------------------------------------------------------------------------------------


@dataclass
class MonthCounts:
    """The true counts of one month, as relations: ``relations[(audience, dimension)] = {code: count}``."""

    totals: dict[str, int] = field(default_factory=dict)
    relations: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)
    interventions: dict[str, int] = field(default_factory=dict)
    regions: dict[str, int] = field(default_factory=dict)
    departements: dict[str, dict[str, int]] = field(default_factory=dict)  # region → département → count
    channels: dict[str, int] = field(default_factory=dict)

    @classmethod
    def read(cls, month: date) -> "MonthCounts":
        counts = cls()
        rows = (
            JourneyDay.objects.filter(day__gte=month, day__lt=next_month(month), audience__in=Audience.values)
            .exclude(incident=OUT_OF_SCOPE)
            .values("audience", "incident", "departement", "channel")
            .annotate(
                journeys=Sum("journeys"),
                to_provider=Sum("to_provider"),
                to_chat=Sum("to_chat"),
                to_complaint=Sum("to_complaint"),
                serious=Sum("serious"),
            )
            .order_by()
        )
        counts.start(incident_codes())
        for row in rows:
            counts.add(row)
        reports = (
            InterventionDay.objects.filter(day__gte=month, day__lt=next_month(month), audience__in=Audience.values)
            .values("audience", "outcome")
            .annotate(reports=Sum("reports"))
            .order_by()
        )
        for row in reports:
            counts.interventions[row["audience"]] += row["reports"]
            counts.relations[(row["audience"], "intervention-issue")][row["outcome"]] += row["reports"]
        return counts

    def to_json(self) -> dict:
        return {
            "totals": self.totals,
            "relations": {"|".join(key): values for key, values in self.relations.items()},
            "interventions": self.interventions,
            "regions": self.regions,
            "departements": self.departements,
            "channels": self.channels,
        }

    @classmethod
    def from_json(cls, data: dict) -> "MonthCounts":
        return cls(
            totals=data["totals"],
            relations={tuple(key.split("|", 1)): values for key, values in data["relations"].items()},
            interventions=data["interventions"],
            regions=data["regions"],
            departements=data["departements"],
            channels=data["channels"],
        )

    def start(self, codes_by_audience: dict[str, list[str]]) -> None:
        """Every possible code starts at zero: a zero is a small cell too, and hides the others."""
        for audience in Audience.values:
            self.totals[audience] = 0
            self.interventions[audience] = 0
            self.relations[(audience, "incident")] = dict.fromkeys([*codes_by_audience[audience], NOT_FOUND], 0)
            for dimension in FOLLOW_UPS:
                self.relations[(audience, dimension)] = {"oui": 0, "non": 0}
            self.relations[(audience, "intervention-issue")] = dict.fromkeys(InterventionReport.Outcome.values, 0)
        self.regions = dict.fromkeys([*REGIONS, UNKNOWN], 0)
        self.departements = {region: dict.fromkeys(members, 0) for region, (_, members) in REGIONS.items()}
        self.channels = dict.fromkeys(Channel.values, 0)

    def add(self, row: dict) -> None:
        audience, journeys = row["audience"], row["journeys"]
        self.totals[audience] += journeys
        incidents = self.relations[(audience, "incident")]
        incidents[row["incident"]] = incidents.get(row["incident"], 0) + journeys
        for dimension, measure in FOLLOW_UPS.items():
            self.relations[(audience, dimension)]["oui"] += row[measure]
            self.relations[(audience, dimension)]["non"] += journeys - row[measure]
        region = REGION_OF_DEPARTEMENT.get(row["departement"])
        if region is None:
            self.regions[UNKNOWN] += journeys
        else:
            self.regions[region] += journeys
            self.departements[region][row["departement"]] += journeys
        self.channels[row["channel"]] = self.channels.get(row["channel"], 0) + journeys


def incident_codes() -> dict[str, list[str]]:
    """The incident codes of each audience, in alphabetical order."""
    codes: dict[str, list[str]] = defaultdict(list)
    for code, audiences in sorted(graphs.incident_audiences().items()):
        for audience in audiences:
            codes[audience].append(code)
    return codes


# ---- Secrecy ------------------------------------------------------------------------------------------------------

Cells = dict[tuple[str, str, str], tuple[int, Status]]


def protect_month(counts: MonthCounts, *, threshold: int) -> Cells | None:
    """Statuses of every cell of one month (see the module's docstring), or None when the month is withheld whole:
    fewer journeys than the threshold, or audience totals that no choice of hidden cells protects."""
    total = sum(counts.totals.values())
    if total < threshold:
        return None
    slices = {audience: _audience_cells(counts, audience, threshold) for audience in Audience.values}
    withheld = frozenset(audience for audience, slice_cells in slices.items() if slice_cells is None)
    audiences = disclosure.protect(counts.totals, threshold=threshold, hidden=withheld)
    if audiences is None:
        return None
    cells: Cells = {(ALL, "total", ""): _cell(total, Status.PUBLISHED)}
    for audience, status in audiences.items():
        if status == Status.PUBLISHED:
            cells.update(slices[audience])
        else:
            # Hidden whole: its total only, marked "< 11" or "secret"; the cells that would add up to it are left
            # out, since their own marks would tell more about it than the relation of audiences allows.
            cells[(audience, "total", "")] = _cell(counts.totals[audience], status)
        cells.update(_intervention_cells(counts, audience, threshold))
    cells.update(_geography_cells(counts, threshold))
    cells.update(_relation_cells(ALL, "canal", counts.channels, threshold))
    return cells


def _cell(value: int, status: Status) -> tuple[int, Status]:
    return value, status


def _relation_cells(audience: str, dimension: str, values: dict[str, int], threshold: int) -> Cells:
    """The cells of one relation whose total is public; none at all if it cannot be protected."""
    statuses = disclosure.protect(values, threshold=threshold)
    if statuses is None:
        return {}
    return {(audience, dimension, code): _cell(value, statuses[code]) for code, value in values.items()}


def _audience_cells(counts: MonthCounts, audience: str, threshold: int) -> Cells | None:
    """The cells of one audience, each dimension protected against the audience's total; None if one cannot be."""
    cells: Cells = {(audience, "total", ""): _cell(counts.totals[audience], Status.PUBLISHED)}
    for dimension in ("incident", *FOLLOW_UPS):
        if (audience, dimension) not in counts.relations:
            continue  # a month frozen before this measure existed
        dimension_cells = _relation_cells(audience, dimension, counts.relations[(audience, dimension)], threshold)
        if not dimension_cells:
            return None
        cells.update(dimension_cells)
    return cells


def _intervention_cells(counts: MonthCounts, audience: str, threshold: int) -> Cells:
    """Reports are their own table: their total, then their outcomes when the total is published and they can be
    protected against it."""
    total = counts.interventions[audience]
    if total < threshold:
        return {(audience, "interventions", ""): _cell(total, Status.SMALL)}
    outcomes = counts.relations[(audience, "intervention-issue")]
    return {
        (audience, "interventions", ""): _cell(total, Status.PUBLISHED),
        **_relation_cells(audience, "intervention-issue", outcomes, threshold),
    }


def _geography_cells(counts: MonthCounts, threshold: int) -> Cells:
    """Regions against the total, and the départements of each published region against it. A region whose
    départements cannot be protected is hidden; the départements of a hidden region are left out."""
    regions = _protected_regions(counts, threshold)
    if regions is None:
        return {}
    cells: Cells = {}
    for region, value in counts.regions.items():
        cells[(ALL, "region", region)] = _cell(value, regions[region])
        if region != UNKNOWN and regions[region] == Status.PUBLISHED:
            cells.update(_relation_cells(ALL, "departement", counts.departements[region], threshold))
    return cells


def _protected_regions(counts: MonthCounts, threshold: int) -> dict[str, Status] | None:
    """Regions protected against the total, hiding a region whenever its départements cannot be protected."""
    hidden: frozenset[str] = frozenset()
    while True:
        regions = disclosure.protect(counts.regions, threshold=threshold, hidden=hidden)
        if regions is None:
            return None
        unprotectable = {
            region
            for region, status in regions.items()
            if status == Status.PUBLISHED
            and region != UNKNOWN
            and disclosure.protect(counts.departements[region], threshold=threshold) is None
        }
        if not unprotectable:
            return regions
        hidden |= unprotectable

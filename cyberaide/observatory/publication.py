"""The public release: each complete month, computed once from the rollups with statistical secrecy applied.

Which cells a month holds (``dimension`` → its codes):

- for each audience: ``total``; ``incident`` (every incident type of that audience, and "non trouvé");
  ``suite-prestataire``, ``suite-17cyber``, ``suite-plainte`` (``oui`` / ``non``); ``interventions`` and
  ``intervention-issue`` (providers' reports);
- for all audiences together (``tous``): ``total``, and, because per audience they would be too small, ``region``
  (and ``inconnu`` when the victim did not say), ``departement``, ``canal``.

The audience totals form one relation (their sum is the "tous" total that the geographic tables give away);
each dimension of an audience forms a relation whose total is that audience's total; the départements of a
region form a relation whose total is the region. An audience whose total must be hidden is hidden whole, and so
is a region whose départements cannot be protected. A month is frozen once published: ``publish(republish=True)``
computes the published months again (after a change of threshold, for instance).
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
from cyberaide.diagnostic.models import Channel, IncidentType

from . import disclosure
from .disclosure import Status
from .models import NOT_FOUND, OUT_OF_SCOPE, InterventionDay, JourneyDay, PublishedCell, PublishedMonth

ALL = "tous"
UNKNOWN = "inconnu"
FOLLOW_UPS = {
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
    """Publish the months that are ready and not yet published. Returns the months written."""
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
    threshold = settings.OBSERVATORY_THRESHOLD
    cells = protect_month(MonthCounts.read(month), threshold=threshold)
    PublishedMonth.objects.filter(month=month).delete()
    published = PublishedMonth.objects.create(month=month, threshold=threshold)
    PublishedCell.objects.bulk_create(
        PublishedCell(
            month=published,
            audience=audience,
            dimension=dimension,
            code=code,
            value=value if status == Status.PUBLISHED else None,
            status=status,
        )
        for (audience, dimension, code), (value, status) in sorted(cells.items())
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
    codes: dict[str, list[str]] = defaultdict(list)
    for code, audiences in IncidentType.objects.order_by("code").values_list("code", "audiences"):
        for audience in audiences:
            codes[audience].append(code)
    return codes


# ---- Secrecy ------------------------------------------------------------------------------------------------------

Cells = dict[tuple[str, str, str], tuple[int, Status]]


def protect_month(counts: MonthCounts, *, threshold: int) -> Cells:
    """Statuses of every cell of one month (see the module's docstring for the relations)."""
    cells: Cells = {}
    withheld: frozenset[str] = frozenset()
    while True:
        audiences = disclosure.protect(counts.totals, threshold=threshold, hidden=withheld)
        assert audiences is not None  # hiding every audience always protects them
        hidden = {audience for audience, status in audiences.items() if status != Status.PUBLISHED}
        slices = {audience: _audience_cells(counts, audience, threshold) for audience in Audience.values}
        newly_withheld = {audience for audience, slice_cells in slices.items() if slice_cells is None} - hidden
        if not newly_withheld:
            break
        withheld |= newly_withheld
    for audience in Audience.values:
        if audience in hidden or slices[audience] is None:
            cells.update(_withheld_cells(counts, audience, threshold))
        else:
            cells.update(slices[audience])
    cells.update(_all_audience_cells(counts, threshold))
    return cells


def _cell(value: int, status: Status) -> tuple[int, Status]:
    return value, status


def _audience_cells(counts: MonthCounts, audience: str, threshold: int) -> Cells | None:
    """The cells of one audience, each dimension protected against the audience's total; None if one cannot be."""
    cells: Cells = {(audience, "total", ""): _cell(counts.totals[audience], Status.PUBLISHED)}
    for dimension in ("incident", *FOLLOW_UPS):
        statuses = disclosure.protect(counts.relations[(audience, dimension)], threshold=threshold)
        if statuses is None:
            return None
        for code, status in statuses.items():
            cells[(audience, dimension, code)] = _cell(counts.relations[(audience, dimension)][code], status)
    cells.update(_intervention_cells(counts, audience, threshold))
    return cells


def _intervention_cells(counts: MonthCounts, audience: str, threshold: int) -> Cells:
    """Reports are their own table: a total too small, or outcomes that cannot be protected, hide them all."""
    total = counts.interventions[audience]
    outcomes = counts.relations[(audience, "intervention-issue")]
    statuses = disclosure.protect(outcomes, threshold=threshold) if total >= threshold else None
    cells: Cells = {
        (audience, "interventions", ""): _cell(total, Status.PUBLISHED if total >= threshold else Status.SMALL)
    }
    for code, value in outcomes.items():
        status = statuses[code] if statuses else _hidden(value, threshold)
        cells[(audience, "intervention-issue", code)] = _cell(value, status)
    return cells


def _hidden(value: int, threshold: int) -> Status:
    return Status.SMALL if value < threshold else Status.SECRET


def _withheld_cells(counts: MonthCounts, audience: str, threshold: int) -> Cells:
    """An audience hidden whole: every cell hidden, shown "< 11" when it is under the threshold."""
    cells: Cells = {
        (audience, "total", ""): _cell(counts.totals[audience], _hidden(counts.totals[audience], threshold))
    }
    for dimension in ("incident", *FOLLOW_UPS):
        for code, value in counts.relations[(audience, dimension)].items():
            cells[(audience, dimension, code)] = _cell(value, _hidden(value, threshold))
    cells.update(_intervention_cells(counts, audience, threshold))
    return cells


def _all_audience_cells(counts: MonthCounts, threshold: int) -> Cells:
    """The total, regions, départements and channels, for all audiences together. The total is published: every
    relation it closes (audiences, regions, channels) is protected against it."""
    total = sum(counts.totals.values())
    cells: Cells = {(ALL, "total", ""): _cell(total, Status.PUBLISHED if total >= threshold else Status.SMALL)}
    regions = _protected_regions(counts, threshold)
    for region, value in counts.regions.items():
        status = regions[region] if regions else _hidden(value, threshold)
        cells[(ALL, "region", region)] = _cell(value, status)
        if region == UNKNOWN:
            continue
        members = counts.departements[region]
        statuses = None
        if regions and status == Status.PUBLISHED:
            statuses = disclosure.protect(members, threshold=threshold)
        for departement, count in members.items():
            cells[(ALL, "departement", departement)] = _cell(
                count, statuses[departement] if statuses else _hidden(count, threshold)
            )
    channels = disclosure.protect(counts.channels, threshold=threshold)
    for channel, value in counts.channels.items():
        cells[(ALL, "canal", channel)] = _cell(value, channels[channel] if channels else _hidden(value, threshold))
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

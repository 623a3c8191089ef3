"""Daily rollups of journeys and intervention reports.

A day (Paris time) is always counted whole: its rows are deleted and computed again from the records, in one
transaction. The incremental refresh counts again every day that holds a record changed since the last run
(``JourneyRecord.updated_at``, reports' ``created_at``), with a margin for transactions still open when the
previous run read; so after any sequence of changes and refreshes the tables equal a rebuild from scratch.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from django.db import connection, transaction
from django.db.models import Case, Count, DateField, IntegerField, Sum, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from cyberaide.assistance.models import InterventionReport
from cyberaide.diagnostic.models import JourneyRecord, Severity

from .models import NOT_FOUND, OUT_OF_SCOPE, InterventionDay, JourneyDay, RollupState

STATE_NAME = "rollups"
# A write committed this long after it was stamped is still seen by the next refresh.
COMMIT_MARGIN = timedelta(minutes=5)
BATCH = 5000


@dataclass(frozen=True)
class RefreshReport:
    days: int
    journey_rows: int
    intervention_rows: int


def paris() -> tzinfo:
    """The days of the observatory are those of the project's time zone (Paris)."""
    return timezone.get_default_timezone()


def day_bounds(day: date) -> tuple[datetime, datetime]:
    zone = paris()
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)


def local_day(moment: datetime) -> date:
    return timezone.localdate(moment, paris())


def _count(**condition):
    return Sum(Case(When(**condition, then=Value(1)), default=Value(0), output_field=IntegerField()))


def _flag(field: str):
    return _count(**{field: True})


def _journey_groups(records, day: date | None = None):
    """Finished journeys grouped as ``JourneyDay`` rows: the columns of the query are the table's columns."""
    incident = Case(
        When(outcome_kind=JourneyRecord.OutcomeKind.NOT_FOUND, then=Value(NOT_FOUND)),
        When(outcome_kind=JourneyRecord.OutcomeKind.OUT_OF_SCOPE, then=Value(OUT_OF_SCOPE)),
        default="incident_code",
    )
    # Counting one day, its date is a constant: no conversion of each record's time.
    day_of = Value(day, output_field=DateField()) if day else TruncDate("started_at", tzinfo=paris())
    return (
        records.exclude(outcome_kind="")
        .annotate(day=day_of, incident=incident)
        .values("day", "incident", "audience", "departement", "channel")
        .annotate(
            journeys=Count("pk"),
            to_provider=_flag("led_to_provider"),
            to_chat=_flag("led_to_chat"),
            serious=_count(severity=Severity.CRITICAL),
            to_complaint=_flag("led_to_complaint"),
        )
        .order_by()
    )


def _insert_journey_days(records, day: date | None = None) -> int:
    """Write the grouped journeys into the rollup table in the database itself (INSERT … SELECT): hundreds of
    thousands of rows never travel through Python."""
    grouped = _journey_groups(records, day)
    compiler = grouped.query.get_compiler(using=JourneyDay.objects.db)
    sql, params = compiler.as_sql()
    columns = ", ".join(connection.ops.quote_name(alias) for _, _, alias in compiler.select)
    table = connection.ops.quote_name(JourneyDay._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)  # noqa: S608 (compiled by Django)
        return cursor.rowcount


def _intervention_rows(reports) -> Iterable[InterventionDay]:
    grouped = (
        reports.annotate(
            day=TruncDate("created_at", tzinfo=paris()),
            code=Coalesce("incident__code", "request__incident__code", Value("")),
        )
        .values("day", "code", "incident_confirmed", "request__audience", "request__departement", "sector", "outcome")
        .annotate(reports=Count("pk"))
        .order_by()
    )
    for row in grouped.iterator(chunk_size=BATCH):
        yield InterventionDay(
            day=row["day"],
            incident=row["code"],
            confirmed=row["incident_confirmed"],
            audience=row["request__audience"],
            departement=row["request__departement"],
            sector=row["sector"],
            outcome=row["outcome"],
            reports=row["reports"],
        )


def _insert_intervention_days(reports) -> int:
    return len(InterventionDay.objects.bulk_create(_intervention_rows(reports), batch_size=BATCH))


def rollup_day(day: date) -> tuple[int, int]:
    """Count one day again, whole. Returns the number of journey and intervention rows written."""
    start, end = day_bounds(day)
    with transaction.atomic():
        JourneyDay.objects.filter(day=day).delete()
        InterventionDay.objects.filter(day=day).delete()
        journeys = _insert_journey_days(JourneyRecord.objects.filter(started_at__gte=start, started_at__lt=end), day)
        interventions = _insert_intervention_days(
            InterventionReport.objects.filter(created_at__gte=start, created_at__lt=end)
        )
    return journeys, interventions


def rebuild() -> RefreshReport:
    """Count everything again from the records. The tables are replaced in one transaction."""
    started = timezone.now()
    with transaction.atomic():
        RollupState.objects.select_for_update().filter(name=STATE_NAME).first()  # waits for a refresh under way
        JourneyDay.objects.all().delete()
        InterventionDay.objects.all().delete()
        journeys = _insert_journey_days(JourneyRecord.objects.all())
        interventions = _insert_intervention_days(InterventionReport.objects.all())
        _set_state(started)
    days = JourneyDay.objects.values("day").distinct().count()
    return RefreshReport(days=days, journey_rows=journeys, intervention_rows=interventions)


def changed_days(since: datetime) -> set[date]:
    """The days (Paris time) holding a journey or a report written since ``since``."""
    journeys = (
        JourneyRecord.objects.filter(updated_at__gte=since)
        .annotate(day=TruncDate("started_at", tzinfo=paris()))
        .values_list("day", flat=True)
        .distinct()
    )
    reports = (
        InterventionReport.objects.filter(created_at__gte=since)
        .annotate(day=TruncDate("created_at", tzinfo=paris()))
        .values_list("day", flat=True)
        .distinct()
    )
    return set(journeys) | set(reports)


@transaction.atomic
def refresh() -> RefreshReport:
    """The scheduled task: count again the days that changed since the last run (everything on the first run).
    Runs that overlap wait for each other: the state's row is locked until the end."""
    state = RollupState.objects.select_for_update().filter(name=STATE_NAME).first()
    if state is None:
        return rebuild()
    started = timezone.now()
    days = sorted(changed_days(state.changes_seen_until - COMMIT_MARGIN))
    journeys = interventions = 0
    for day in days:
        day_journeys, day_interventions = rollup_day(day)
        journeys += day_journeys
        interventions += day_interventions
    _set_state(started)
    return RefreshReport(days=len(days), journey_rows=journeys, intervention_rows=interventions)


def _set_state(moment: datetime) -> None:
    RollupState.objects.update_or_create(name=STATE_NAME, defaults={"changes_seen_until": moment})


def journeys_in(start: date, end: date):
    """Rollup rows of the days from ``start`` to ``end`` included."""
    return JourneyDay.objects.filter(day__gte=start, day__lte=end)


def totals_by_day(start: date, end: date) -> dict[date, dict[str, int]]:
    """Journeys per day and incident (every audience and channel together), for surge detection."""
    table: dict[date, dict[str, int]] = {}
    rows = (
        journeys_in(start, end)
        .exclude(incident=OUT_OF_SCOPE)
        .values("day", "incident")
        .annotate(total=Sum("journeys"))
        .order_by()
    )
    for row in rows:
        table.setdefault(row["day"], {})[row["incident"]] = row["total"]
    return table

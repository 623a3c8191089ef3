"""Observatory benchmark, run by `bench/run.py` once per database: `python bench/observatory.py [RECORDS]`.

Fills the database given by DATABASE_URL with RECORDS (5,000,000 by default) synthetic finished journeys over
about three years up to now, unless it already holds them (a second run reuses them), then measures in-process:
the full rebuild of the daily rollups, the publication of every complete month, the rollup of one ordinary day
(several days) and an incremental refresh after about 1,000 of today's records changed. Progress goes to
stderr; the figures are one JSON line on stdout.

The records are written straight into the table, as the application would have written them one by one: with
PostgreSQL's COPY, with SQLite's executemany in large transactions (synchronous=OFF during the load only). The
indexes are those the migrations create.
"""

import json
import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from cyberaide.core.audiences import Audience  # noqa: E402
from cyberaide.core.communes import all_communes  # noqa: E402
from cyberaide.diagnostic.models import Channel, IncidentType, JourneyRecord  # noqa: E402
from cyberaide.diagnostic.taxonomy import load_taxonomy  # noqa: E402
from cyberaide.observatory import publication, rollups, selectors  # noqa: E402
from cyberaide.observatory.demo import RECORD_FIELDS  # noqa: E402
from cyberaide.observatory.models import JourneyDay, PublishedCell  # noqa: E402
from cyberaide.observatory.synthetic import (  # noqa: E402
    BASE_SHARES,
    GAMMA_SHAPE,
    PROFESSIONAL,
    day_factor,
    day_shares,
    is_day_off,
    multinomial,
)

RECORDS = 5_000_000
DAYS = 1_111  # about three years, ~4,500 journeys a day
SEED = 2026
ROLLUP_DAYS = 8  # ordinary days rolled up again, one at a time
UPDATED_TODAY = 1_000  # records of today changed before the incremental refresh
# How long each bench database took to fill, for the report of the runs that reuse it.
LOADS = ROOT / "var" / "bench" / "observatory-loads.json"
TABLE = JourneyRecord._meta.db_table
# The columns written, in the order of the generated rows: those of the demonstration journeys.
COLUMNS = tuple(JourneyRecord._meta.get_field(name).column for name in RECORD_FIELDS)

# Who reports (the national service's mix), and incidents that mostly hit organisations weigh more for them.
AUDIENCE_WEIGHTS = {"particulier": 94.0, "entreprise": 4.0, "association": 1.0, "collectivite": 1.0}
PROFESSIONAL_BOOST = 8.0
OUT_OF_SCOPE_SHARE = 0.01  # journeys sent to the ANSSI (outside the service's scope)
CHANNEL_WEIGHTS = {Channel.WEBSITE.value: 82.0, Channel.PARTNER.value: 12.0, Channel.API.value: 6.0}
DEPARTEMENT_GIVEN = 0.7  # share of victims who give their département on the result page
# Where a journey leads, by the incident's severity: a provider (organisations ask more often), 17Cyber when the
# incident offers it, a complaint after a conversation.
PROVIDER_RATE = {"critical": 0.08, "high": 0.035, "medium": 0.012, "low": 0.004}
PROVIDER_PROFESSIONAL = 3.0
CHAT_RATE = 0.1
COMPLAINT_AFTER_CHAT = 0.4
# Journeys by hour of the day (Paris time): a working-day rhythm with an evening shoulder.
HOUR_WEIGHTS = (2, 1, 1, 1, 1, 2, 4, 7, 10, 12, 12, 11, 9, 10, 11, 11, 10, 9, 8, 8, 7, 6, 4, 3)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


# ---- Synthetic journeys -----------------------------------------------------------------------------------------


class Generator:
    """Finished journeys, one day at a time, as ``JourneyRecord`` rows (values in ``COLUMNS`` order)."""

    def __init__(self, total: int, days: int, now: datetime, seed: int = SEED):
        self.seed = seed
        self.now = now
        today = timezone.localdate(now)
        self.days = [today - timedelta(days=offset) for offset in range(days - 1, -1, -1)]
        self.counts = self._day_counts(total)
        # The slow drift of the incidents' shares, one step a day (days are generated in order).
        self.drift_rng = random.Random(seed + 1)
        self.drift = {code: self.drift_rng.uniform(-0.1, 0.1) for code in BASE_SHARES}
        incidents = {i.code: i for i in IncidentType.objects.all()}
        missing = set(BASE_SHARES) - set(incidents) - {""}
        if missing:
            raise RuntimeError(f"Incident types missing from the taxonomy: {sorted(missing)}")
        self.audiences = {}
        self.follow_ups = {}
        for code in [*BASE_SHARES, "out_of_scope"]:
            incident = incidents.get(code)
            concerned = incident.audiences if incident else list(AUDIENCE_WEIGHTS)
            weights = [
                AUDIENCE_WEIGHTS[a] * (PROFESSIONAL_BOOST if code in PROFESSIONAL and a != Audience.PARTICULIER else 1)
                if a in concerned
                else 0.0
                for a in AUDIENCE_WEIGHTS
            ]
            self.audiences[code] = list(accumulate(weights))
            provider = PROVIDER_RATE[incident.severity] if incident else 0.002
            chat = CHAT_RATE if incident and incident.chat_offered else 0.0
            self.follow_ups[code] = (provider, chat)
        places = {}
        for commune in all_communes():
            places[commune.departement] = places.get(commune.departement, 0) + commune.population
        self.departements = sorted(places)
        self.departement_weights = list(accumulate([places[d] for d in self.departements]))
        self.channels = list(CHANNEL_WEIGHTS)
        self.channel_weights = list(accumulate(CHANNEL_WEIGHTS.values()))

    def _day_counts(self, total: int) -> list[int]:
        """Journeys per day: the usual rhythms, a slow trend, over-dispersed noise; today only up to now; the sum
        is ``total`` exactly."""
        rng = random.Random(self.seed + 2)
        weights = []
        for index, day in enumerate(self.days):
            trend = 0.9 + 0.2 * index / len(self.days)
            weight = day_factor(day) * trend * rng.gammavariate(GAMMA_SHAPE, 1 / GAMMA_SHAPE)
            start, end = rollups.day_bounds(day)
            if end > self.now:  # today: the part of the day already gone, a few minutes before now
                elapsed = (self.now - timedelta(minutes=10) - start) / (end - start)
                weight *= max(0.0, elapsed)
            weights.append(weight)
        scale = total / sum(weights)
        counts = [int(weight * scale) for weight in weights]
        busiest = max(range(len(counts)), key=counts.__getitem__)
        counts[busiest] += total - sum(counts)
        return counts

    def day_rows(self, index: int):
        day, count = self.days[index], self.counts[index]
        rng = random.Random(self.seed * 1_000_003 + day.toordinal())  # a day's journeys depend on that day only
        start, end = rollups.day_bounds(day)
        start_utc = start.astimezone(UTC)
        limit = min(end, self.now - timedelta(minutes=10))
        span = int((limit - start).total_seconds() // 60)  # minutes of the day (23 to 25 hours), or up to now
        if count <= 0 or span <= 0:
            return []
        hours = [HOUR_WEIGHTS[hour % 24] if hour * 60 < span else 0 for hour in range(25)]
        hour_weights = list(accumulate(hours))
        minutes = sorted(
            min(span - 1, hour * 60 + rng.randrange(60))
            for hour in rng.choices(range(25), cum_weights=hour_weights, k=count)
        )
        # Incidents and audiences of the day, in random order against the times.
        shares = day_shares(day, self.drift)
        shares = {code: share * (1 - OUT_OF_SCOPE_SHARE) for code, share in shares.items()}
        shares["out_of_scope"] = OUT_OF_SCOPE_SHARE
        outcomes = []
        for code, n in multinomial(rng, count, shares).items():
            if n:
                audiences = rng.choices(list(AUDIENCE_WEIGHTS), cum_weights=self.audiences[code], k=n)
                outcomes.extend(zip([code] * n, audiences, strict=True))
        rng.shuffle(outcomes)
        for code in self.drift:
            self.drift[code] = max(-0.2, min(0.2, self.drift[code] + self.drift_rng.gauss(0, 0.01)))
        departements = rng.choices(self.departements, cum_weights=self.departement_weights, k=count)
        channels = rng.choices(self.channels, cum_weights=self.channel_weights, k=count)
        version = 1 + index // 180  # a new questionnaire about twice a year
        stamps = {}

        def stamp(minute: int) -> str:
            text = stamps.get(minute)
            if text is None:
                text = stamps[minute] = (start_utc + timedelta(minutes=minute)).strftime("%Y-%m-%d %H:%M:%S")
            return text

        latest = int((self.now - start).total_seconds() // 60)
        rows = []
        random_ = rng.random
        for n in range(count):
            code, audience = outcomes[n]
            started = minutes[n]
            finished = started + 1 + int(random_() * random_() * 12)
            updated = finished
            provider_rate, chat_rate = self.follow_ups[code]
            if audience != Audience.PARTICULIER:
                provider_rate *= PROVIDER_PROFESSIONAL
            draw = random_()
            to_provider = draw < provider_rate
            to_chat = provider_rate <= draw < provider_rate + chat_rate
            to_complaint = to_chat and random_() < COMPLAINT_AFTER_CHAT
            if to_provider or to_chat:  # a later write: the request is sent, the conversation ends
                updated = min(latest, finished + 5 + int(random_() * 600))
            if code == "out_of_scope":
                outcome, incident = JourneyRecord.OutcomeKind.OUT_OF_SCOPE.value, ""
            elif code == "":
                outcome, incident = JourneyRecord.OutcomeKind.NOT_FOUND.value, ""
            else:
                outcome, incident = JourneyRecord.OutcomeKind.INCIDENT.value, code
            rows.append(
                (
                    audience,
                    outcome,
                    incident,
                    version,
                    channels[n],
                    departements[n] if random_() < DEPARTEMENT_GIVEN else "",
                    None,
                    stamp(started),
                    stamp(finished),
                    to_provider,
                    to_chat,
                    to_complaint,
                    stamp(updated),
                )
            )
        return rows


# ---- Loading ----------------------------------------------------------------------------------------------------


def load(generator: Generator) -> int:
    """Write every day's journeys. Returns the number of records written."""
    writer = _load_postgresql if connection.vendor == "postgresql" else _load_sqlite
    return writer(generator, range(len(generator.days)))


def _load_postgresql(generator: Generator, days) -> int:
    written = 0
    connection.ensure_connection()
    sql = f"COPY {TABLE} ({', '.join(COLUMNS)}) FROM STDIN"
    with transaction.atomic(), connection.cursor() as cursor:
        with cursor.cursor.copy(sql) as copy:
            for index in days:
                for row in generator.day_rows(index):
                    copy.write_row((*row[:7], row[7] + "+00", row[8] + "+00", *row[9:12], row[12] + "+00"))
                    written += 1
                if index % 100 == 0:
                    log(f"  {generator.days[index]}: {written:,} records")
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {TABLE}")  # what autovacuum does after such an insert
    return written


def _load_sqlite(generator: Generator, days) -> int:
    written = 0
    connection.ensure_connection()
    raw = connection.connection
    placeholders = ", ".join("?" * len(COLUMNS))
    sql = f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) VALUES ({placeholders})"  # noqa: S608 (names from the model)
    raw.execute("PRAGMA synchronous=OFF")
    raw.execute("PRAGMA cache_size=-262144")  # 256 MiB for the index pages during the load
    try:
        raw.execute("BEGIN")
        for index in days:
            rows = generator.day_rows(index)
            raw.executemany(sql, rows)
            written += len(rows)
            if index % 100 == 0:
                raw.execute("COMMIT")
                log(f"  {generator.days[index]}: {written:,} records")
                raw.execute("BEGIN")
        raw.execute("COMMIT")
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        raw.execute("PRAGMA synchronous=NORMAL")
        raw.execute("PRAGMA cache_size=-2000")
    return written


def ensure_records(total: int) -> tuple[dict, int]:
    """Migrate, load the taxonomy and the records unless they are there. Returns the load (its time and date,
    whether this run reused it) and the number of records."""
    call_command("migrate", verbosity=0)
    load_taxonomy()
    count = JourneyRecord.objects.count()
    database = f"{connection.vendor}:{connection.settings_dict['HOST']}:{connection.settings_dict['NAME']}"
    loads = json.loads(LOADS.read_text()) if LOADS.exists() else {}
    if count >= total:
        log(f"{count:,} journey records already there: reused.")
        return {**loads.get(database, {"seconds": None, "on": None}), "reused": True}, count
    log(f"Loading {total:,} synthetic journeys over {DAYS} days…")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {TABLE} RESTART IDENTITY CASCADE")
        else:
            cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608 (the model's table)
    started = time.perf_counter()
    written = load(Generator(total, DAYS, timezone.now()))
    seconds = time.perf_counter() - started
    log(f"Loaded {written:,} records in {seconds:.0f} s.")
    loads[database] = {"seconds": round(seconds, 1), "on": f"{timezone.localdate():%Y-%m-%d}"}
    LOADS.parent.mkdir(parents=True, exist_ok=True)
    LOADS.write_text(json.dumps(loads, indent=1))
    return {**loads[database], "reused": False}, JourneyRecord.objects.count()


# ---- Measures ---------------------------------------------------------------------------------------------------


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def ordinary_days(first: date, last: date, count: int) -> list[date]:
    """``count`` working days spread evenly over the period (neither its ends nor a holiday, nor August)."""
    days = []
    span = (last - first).days
    for n in range(count):
        day = first + timedelta(days=round(span * (n + 0.5) / count))
        while is_day_off(day) or day.month == 8 or day.month == 12 and day.day >= 18:
            day += timedelta(days=1)
        days.append(day)
    return days


def touch_today(count: int) -> tuple[int, int]:
    """About ``count`` of today's journeys change (they led to a provider request), as ``record_follow_up``
    writes them; today gets more journeys first if it holds too few (the records were loaded another day).
    Returns the number of records changed and of records added."""
    start, _ = rollups.day_bounds(timezone.localdate())
    now = timezone.now()
    present = JourneyRecord.objects.filter(started_at__gte=start, outcome_kind__gt="").count()
    added = 0
    if present < count and now - start > timedelta(minutes=30):
        generator = Generator(count - present, 1, now, seed=int(now.timestamp()))
        rows = generator.day_rows(0)
        JourneyRecord.objects.bulk_create(
            JourneyRecord(
                **dict(zip(COLUMNS[:7], row[:7], strict=True)),
                started_at=_aware(row[7]),
                finished_at=_aware(row[8]),
                led_to_provider=row[9],
                led_to_chat=row[10],
                led_to_complaint=row[11],
                updated_at=_aware(row[12]),
            )
            for row in rows
        )
        added = len(rows)
    ids = list(
        JourneyRecord.objects.filter(started_at__gte=start, outcome_kind__gt="")
        .order_by("-started_at")
        .values_list("pk", flat=True)[:count]
    )
    changed = JourneyRecord.objects.filter(pk__in=ids).update(led_to_provider=True, updated_at=timezone.now())
    return changed, added


def _aware(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def main():
    total = int(sys.argv[1]) if len(sys.argv) > 1 else RECORDS
    load, records = ensure_records(total)
    moments = JourneyRecord.objects.values_list("started_at", flat=True)
    first = rollups.local_day(moments.order_by("started_at")[:1][0])
    last = rollups.local_day(moments.order_by("-started_at")[:1][0])

    log("Full rebuild…")
    rebuild_seconds, report = timed(rollups.rebuild)
    log(f"  {rebuild_seconds:.1f} s: {report.journey_rows:,} rows for {report.days:,} days")

    log("Publication of every complete month…")
    publish_seconds, months = timed(publication.publish, republish=True)
    log(f"  {publish_seconds:.1f} s: {len(months)} months")

    log("Rollup of single days…")
    day_timings = []
    day_journeys = []
    for day in ordinary_days(first + timedelta(days=7), last - timedelta(days=7), ROLLUP_DAYS):
        seconds, (rows, _) = timed(rollups.rollup_day, day)
        start, end = rollups.day_bounds(day)
        journeys = JourneyRecord.objects.filter(started_at__gte=start, started_at__lt=end).count()
        log(f"  {day}: {seconds * 1000:.0f} ms ({journeys:,} journeys, {rows:,} rows)")
        day_timings.append(seconds)
        day_journeys.append(journeys)

    log("Incremental refresh…")
    changed, added = touch_today(UPDATED_TODAY)
    refresh_seconds, refreshed = timed(rollups.refresh)
    today_start, _ = rollups.day_bounds(timezone.localdate())
    today_records = JourneyRecord.objects.filter(started_at__gte=today_start).exclude(outcome_kind="")
    today_counted = sum(JourneyDay.objects.filter(day=timezone.localdate()).values_list("journeys", flat=True))
    if today_counted != today_records.count():
        raise RuntimeError(f"Today: {today_counted} journeys counted, {today_records.count()} recorded.")
    log(f"  {refresh_seconds:.2f} s: {changed} records changed ({added} added), {refreshed.days} days counted again")

    published, _ = selectors.publication_state()  # the months the public page offers
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "records": records,
                "days": (last - first).days + 1,
                "load": load,
                "rebuild_seconds": round(rebuild_seconds, 2),
                "journey_day_rows": report.journey_rows,
                "publish_seconds": round(publish_seconds, 2),
                "published_months": len(months),
                "published_cells": PublishedCell.objects.count(),
                "months": [f"{month:%Y-%m}" for month in published],
                "rollup_day": {
                    "days": len(day_timings),
                    "p50_s": round(percentile(day_timings, 0.5), 3),
                    "max_s": round(max(day_timings), 3),
                    "journeys_min": min(day_journeys),
                    "journeys_max": max(day_journeys),
                },
                "refresh": {
                    "seconds": round(refresh_seconds, 3),
                    "records_changed": changed,
                    "records_added": added,
                    "days": refreshed.days,
                },
            }
        )
    )


if __name__ == "__main__":
    main()

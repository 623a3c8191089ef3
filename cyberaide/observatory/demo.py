"""Demonstration data for the observatory: fifteen months of anonymous journeys and a month of "je n'ai pas
trouvé" descriptions, so that `make run` shows a living observatory (published months, regions, a past and a
current surge, waves of unmatched descriptions to group).

The daily volume follows the rhythms of ``synthetic.py`` (weekday, August lull, holidays, over-dispersed noise);
each day is shared between the four audiences in the public 2024 proportions (companies, associations and town
halls report on working days), then, per audience, between the incident types that concern it, with the 2024
top threats and a slow drift of every share. Two waves are laid over it: webcam blackmail (as in January 2019)
about five months ago, and fraudulent SMS since yesterday. Records are built day by day and written ``BATCH`` at a
time, in one transaction.
"""

import bisect
import math
import random
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate
from pathlib import Path

import yaml
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from cyberaide.core.audiences import Audience
from cyberaide.core.communes import all_communes
from cyberaide.core.geography import DEPARTEMENTS
from cyberaide.core.text import scrub_personal_data
from cyberaide.diagnostic import engine
from cyberaide.diagnostic.graphs import current_content
from cyberaide.diagnostic.models import (
    Channel,
    GraphVersion,
    IncidentType,
    JourneyRecord,
    Severity,
    UnmatchedReport,
    minute,
)
from cyberaide.partners.models import Partner

from . import surges, synthetic, watch
from .models import NOT_FOUND, OUT_OF_SCOPE, JourneyDay, Surge
from .rollups import paris

UNMATCHED_FILE = Path(__file__).with_name("data") / "demo_unmatched.yaml"

DEMO_DAYS = 456  # about fifteen months, today included
DAILY_MEAN = 650.0  # finished journeys on an ordinary day (before the weekday and seasonal factors)
BATCH = 5000
TREND = 0.2  # the service grows: the last day is 20 % busier than the first (before the other factors)

# Public 2024 shares of journeys by audience. Organisations report mostly on working days.
AUDIENCE_SHARES = {
    Audience.PARTICULIER: 0.94,
    Audience.ENTREPRISE: 0.04,
    Audience.ASSOCIATION: 0.01,
    Audience.COLLECTIVITE: 0.01,
}
ORGANISATION_WORKDAY = 1.25
ORGANISATION_DAY_OFF = 0.45

# Besides incident codes, a day's counts hold NOT_FOUND (no incident found) and OUT_OF_SCOPE (an operator of vital
# importance or a central administration, sent to the ANSSI), as the rollups do.
NOT_FOUND_SHARE = 0.05
OUT_OF_SCOPE_SHARE = 0.03  # of the collectivités' journeys
OTHER_WEIGHT = 0.3  # an applicable incident type missing from the tables below
PERSONAL_OTHER_SHARE = 0.002  # the same for particuliers (a share of ``synthetic.BASE_SHARES``)

# Incident weights per audience (percent, roughly): the 2024 top threats, then the long tail. Particuliers use the
# national mix of ``synthetic.BASE_SHARES``, whose top four are theirs (phishing about a third once the types
# that do not concern them are removed).
ORGANISATION_WEIGHTS = {
    Audience.ENTREPRISE: {
        "phishing": 24,
        "account_hacking": 14,
        "ransomware": 9,
        "ceo_fraud": 7,
        "fake_invoice": 6,
        "data_breach": 5,
        "system_compromise": 4,
        "fake_tech_support": 4,
        "scam_sms": 3,
        "phone_scam": 3,
        "email_spam": 3,
        "malware": 3,
        "identity_theft": 2,
        "card_fraud": 2,
        "fake_bank_adviser": 2,
        "domain_abuse": 1.5,
        "defacement": 1.5,
        "ddos": 1,
        "pbx_hacking": 1,
        "stealer": 1,
        "sextortion_bluff": 1,
        "cyberharassment": 1,
        "fake_shop": 1,
    },
    Audience.ASSOCIATION: {
        "phishing": 25,
        "account_hacking": 18,
        "fake_invoice": 7,
        "ceo_fraud": 5,
        "data_breach": 5,
        "ransomware": 5,
        "identity_theft": 4,
        "cyberharassment": 4,
        "scam_sms": 3,
        "phone_scam": 3,
        "email_spam": 3,
        "malware": 2,
        "fake_tech_support": 2,
        "defacement": 2,
        "card_fraud": 2,
        "fake_bank_adviser": 1,
        "domain_abuse": 1,
        "sextortion_bluff": 1,
    },
    Audience.COLLECTIVITE: {
        "phishing": 28,
        "ransomware": 14,
        "account_hacking": 12,
        "data_breach": 6,
        "system_compromise": 5,
        "ceo_fraud": 4,
        "fake_invoice": 4,
        "ddos": 3,
        "defacement": 3,
        "email_spam": 3,
        "malware": 3,
        "phone_scam": 2,
        "pbx_hacking": 2,
        "domain_abuse": 1,
        "fake_tech_support": 1,
        "identity_theft": 1,
    },
}

# Hour of the day (Paris time) when journeys start: people in the evening too, organisations at office hours.
PERSONAL_HOURS = (4, 3, 2, 1, 1, 2, 4, 10, 20, 30, 34, 34, 28, 29, 33, 33, 31, 30, 28, 26, 26, 24, 18, 10)
OFFICE_HOURS = (0.5, 0.3, 0.2, 0.2, 0.2, 0.5, 1, 5, 30, 40, 40, 35, 20, 30, 40, 40, 35, 20, 8, 4, 3, 2, 1, 0.5)
JOURNEY_MINUTES = (1, 7)  # a journey lasts from one to six minutes

CHANNEL_WEIGHTS = {Channel.WEBSITE: 85, Channel.PARTNER: 12, Channel.API: 3}
DEPARTEMENT_GIVEN = 0.4

# Follow-ups: a request to a provider (only where the result offers providers, more for organisations and serious
# situations), a 17Cyber conversation (only where it is offered: serious situations), a complaint or an appointment
# after that conversation.
PROVIDER_RATE = {
    Audience.PARTICULIER: 0.06,
    Audience.ENTREPRISE: 0.09,
    Audience.ASSOCIATION: 0.07,
    Audience.COLLECTIVITE: 0.08,
}
SEVERITY_FACTOR = {"critical": 2.0, "high": 1.2, "medium": 0.6, "low": 0.2}
CHAT_RATE = {
    Audience.PARTICULIER: 0.05,
    Audience.ENTREPRISE: 0.08,
    Audience.ASSOCIATION: 0.08,
    Audience.COLLECTIVITE: 0.08,
}
COMPLAINT_AFTER_CHAT = 0.4

# The past wave: webcam blackmail by mass e-mail takes about half of the particuliers' journeys for ten days,
# about five months ago, then fades (the January 2019 story).
PAST_WAVE_INCIDENT = "sextortion_bluff"
PAST_WAVE_DAYS_AGO = 152
PAST_WAVE_PEAK = 0.5
PAST_WAVE_PEAK_DAYS = 10
PAST_WAVE_HALF_LIFE = 4.0  # days
# The current wave: fraudulent SMS since yesterday, about 30 % of the journeys of the audiences it concerns.
CURRENT_WAVE_INCIDENT = "scam_sms"
CURRENT_WAVE_SHARE = 0.3


def past_wave_share(elapsed: int) -> float:
    """The past wave's share of the particuliers' journeys, ``elapsed`` days after its first day (0 = none)."""
    if elapsed < 0:
        return 0.0
    if elapsed == 0:
        return PAST_WAVE_PEAK * 0.6  # it jumps within a day
    if elapsed < PAST_WAVE_PEAK_DAYS:
        return PAST_WAVE_PEAK
    return PAST_WAVE_PEAK * 0.5 ** ((elapsed - PAST_WAVE_PEAK_DAYS + 1) / PAST_WAVE_HALF_LIFE)


def current_wave_share(elapsed: int) -> float:
    """The current wave's share: two thirds of it on its first day (yesterday), all of it from the second."""
    if elapsed < 0:
        return 0.0
    return CURRENT_WAVE_SHARE * (2 / 3 if elapsed == 0 else 1.0)


class _Context:
    """What every day needs, read once: incident types, départements by population, partner, out-of-scope code."""

    def __init__(self, graph_version: int, rng: random.Random):
        self.graph_version = graph_version
        incidents = list(IncidentType.objects.values_list("code", "audiences"))
        # Each journey's outcome (its severity, and whether providers are offered) is drawn among those its incident
        # can have for its audience, one per situation.
        content = current_content()
        found: dict[tuple[str, str], Counter] = defaultdict(Counter)
        for situation in engine.situations(content.graph):  # one walk for every incident and audience
            assessment = engine.assess(content.graph.rules, situation.incident, situation.audience, situation.known)
            found[(situation.audience, situation.incident)][(assessment.level, assessment.providers)] += 1
        self.outcomes: dict[tuple[str, str], tuple[list[tuple[str, bool]], list[int]]] = {
            key: (list(counts), list(accumulate(counts.values()))) for key, counts in found.items()
        }
        self.weights: dict[str, dict[str, float]] = {}
        for audience in AUDIENCE_SHARES:
            table, other = (
                (ORGANISATION_WEIGHTS[audience], OTHER_WEIGHT)
                if audience in ORGANISATION_WEIGHTS
                else (synthetic.BASE_SHARES, PERSONAL_OTHER_SHARE)
            )
            codes = sorted(code for code, audiences in incidents if audience in audiences)
            weights = {code: float(table.get(code, other)) for code in codes}
            mass = sum(weights.values())
            shares = {code: (1 - NOT_FOUND_SHARE) * weight / mass for code, weight in weights.items()}
            shares[NOT_FOUND] = NOT_FOUND_SHARE
            self.weights[audience] = shares
        self.out_of_scope_audience = _out_of_scope_code(graph_version)
        if self.out_of_scope_audience:
            collectivites = self.weights[Audience.COLLECTIVITE]
            self.weights[Audience.COLLECTIVITE] = {
                **{code: share * (1 - OUT_OF_SCOPE_SHARE) for code, share in collectivites.items()},
                OUT_OF_SCOPE: OUT_OF_SCOPE_SHARE,
            }
        # Each share drifts slowly (a random walk of its logarithm, kept within synthetic's bounds).
        self.drift = {
            audience: {code: rng.uniform(-synthetic.DRIFT_BOUND, synthetic.DRIFT_BOUND) / 2 for code in shares}
            for audience, shares in self.weights.items()
        }
        population = Counter()
        for commune in all_communes():
            if commune.departement in DEPARTEMENTS:
                population[commune.departement] += commune.population
        self.departements = sorted(population)
        self.departement_weights = list(accumulate(population[code] for code in self.departements))
        self.partner_id = Partner.objects.filter(key=settings.PARTNER_DEMO_KEY).values_list("pk", flat=True).first()
        self.channels = list(CHANNEL_WEIGHTS)
        self.channel_weights = list(accumulate(CHANNEL_WEIGHTS.values()))
        self.personal_hours = list(accumulate(PERSONAL_HOURS))
        self.office_hours = list(accumulate(OFFICE_HOURS))

    def move_drift(self, rng: random.Random) -> None:
        bound = synthetic.DRIFT_BOUND
        for drift in self.drift.values():
            for code in drift:
                drift[code] = min(bound, max(-bound, drift[code] + rng.gauss(0, synthetic.DRIFT_STEP)))

    def shares(self, audience: str, day: date) -> dict[str, float]:
        professional = synthetic.PROFESSIONAL_DAY_OFF if synthetic.is_day_off(day) else synthetic.PROFESSIONAL_WORKDAY
        drift = self.drift[audience]
        raw = {
            code: share * math.exp(drift[code]) * (professional if code in synthetic.PROFESSIONAL else 1.0)
            for code, share in self.weights[audience].items()
        }
        mass = sum(raw.values())
        return {code: value / mass for code, value in raw.items()}


def _out_of_scope_code(graph_version: int) -> str:
    """The code the questionnaire records as the "audience" of an out-of-scope organisation ("oiv")."""
    data = GraphVersion.objects.filter(number=graph_version).values_list("data", flat=True).first() or {}
    entries = data.get("out_of_scope") or []
    return entries[0]["code"] if entries else ""


def audience_shares(day: date) -> dict[str, float]:
    organisations = ORGANISATION_DAY_OFF if synthetic.is_day_off(day) else ORGANISATION_WORKDAY
    raw = {
        audience: share * (1.0 if audience == Audience.PARTICULIER else organisations)
        for audience, share in AUDIENCE_SHARES.items()
    }
    mass = sum(raw.values())
    return {audience: value / mass for audience, value in raw.items()}


def _with_wave(counts: dict[str, int], incident: str, share: float, rng: random.Random) -> None:
    """Add journeys of ``incident`` so that it makes about ``share`` of them (the others keep their numbers)."""
    if incident not in counts or share <= 0:
        return
    others = sum(counts.values()) - counts[incident]
    counts[incident] = max(counts[incident], synthetic.poisson(rng, others * share / (1 - share)))


def _day_counts(
    context: _Context, day: date, *, first_day: date, today: date, rng: random.Random
) -> dict[str, dict[str, int]]:
    """Journeys of one whole day per audience and incident code (``NOT_FOUND``, ``OUT_OF_SCOPE`` included)."""
    trend = 1 + TREND * ((day - first_day).days / max(1, (today - first_day).days) - 0.5)
    noise = rng.gammavariate(synthetic.GAMMA_SHAPE, 1 / synthetic.GAMMA_SHAPE)
    total = synthetic.poisson(rng, DAILY_MEAN * synthetic.day_factor(day) * trend * noise)
    by_audience = synthetic.multinomial(rng, total, audience_shares(day))
    past_wave = past_wave_share((day - (today - timedelta(days=PAST_WAVE_DAYS_AGO))).days)
    current_wave = current_wave_share((day - (today - timedelta(days=1))).days)
    result = {}
    for audience, journeys in by_audience.items():
        counts = synthetic.multinomial(rng, journeys, context.shares(audience, day))
        if audience == Audience.PARTICULIER:
            _with_wave(counts, PAST_WAVE_INCIDENT, past_wave, rng)
        _with_wave(counts, CURRENT_WAVE_INCIDENT, current_wave, rng)
        result[audience] = counts
    return result


def _days(
    graph_version: int, *, today: date, days: int, seed: int
) -> Iterator[tuple[date, _Context, dict[str, dict[str, int]]]]:
    """Each day from the first to ``today``, with its whole-day counts. The counts have their own random draws,
    so ``demo_day_counts`` and ``create_demo_journeys`` see the same days."""
    rng = random.Random(seed)
    first_day = today - timedelta(days=days - 1)
    context = _Context(graph_version, rng)
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        yield day, context, _day_counts(context, day, first_day=first_day, today=today, rng=rng)
        context.move_drift(rng)


def demo_day_counts(
    graph_version: int, *, today: date | None = None, seed: int = 2026, days: int = DEMO_DAYS
) -> list[surges.DayCounts]:
    """The whole-day counts ``create_demo_journeys`` draws (today counted whole), as the surge watch reads them:
    every audience together, "not found" included, out-of-scope journeys left out. Nothing is written."""
    result = []
    for day, _, counts in _days(graph_version, today=today or timezone.localdate(), days=days, seed=seed):
        by_incident: Counter[str] = Counter()
        for by_code in counts.values():
            for code, journeys in by_code.items():
                if code != OUT_OF_SCOPE and journeys:
                    by_incident[code] += journeys
        result.append(surges.DayCounts(day=day, total=sum(by_incident.values()), by_incident=dict(by_incident)))
    return result


def _rows(
    context: _Context, day: date, counts: dict[str, dict[str, int]], *, now: datetime, rng: random.Random
) -> Iterator[tuple]:
    """The records of one day that finished by ``now``, as rows of ``RECORD_FIELDS`` ready for the database."""
    adapt = connection.ops.adapt_datetimefield_value
    zone = paris()
    start = datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone).astimezone(UTC)
    day_minutes = (end - start) // timedelta(minutes=1)  # 1,380 or 1,500 on the days the clocks change
    last = (now - start) // timedelta(minutes=1)  # minutes until now: past the day's end, except today
    hours = range(24)
    stamps: dict[int, object] = {}  # minute of the day → its value for the database (adapting costs more than a draw)

    def stamp(offset: int):
        if offset not in stamps:
            stamps[offset] = adapt(start + timedelta(minutes=offset))
        return stamps[offset]

    departements, departement_weights = context.departements, context.departement_weights
    population = departement_weights[-1]
    for audience, by_code in counts.items():
        cumulative_hours = context.personal_hours if audience == Audience.PARTICULIER else context.office_hours
        for code, journeys in by_code.items():
            if not journeys:
                continue
            if code == NOT_FOUND:
                kind, incident = JourneyRecord.OutcomeKind.NOT_FOUND.value, ""
            elif code == OUT_OF_SCOPE:
                kind, incident = JourneyRecord.OutcomeKind.OUT_OF_SCOPE.value, ""
            else:
                kind, incident = JourneyRecord.OutcomeKind.INCIDENT.value, code
            record_audience = context.out_of_scope_audience if code == OUT_OF_SCOPE else str(audience)
            outcomes, outcome_weights = context.outcomes.get((str(audience), incident), ([("", False)], [1]))
            for hour in rng.choices(hours, cum_weights=cumulative_hours, k=journeys):
                level, providers = rng.choices(outcomes, cum_weights=outcome_weights)[0]
                provider_rate = PROVIDER_RATE[audience] * SEVERITY_FACTOR.get(level, 1.0) if providers else 0.0
                chat_rate = CHAT_RATE[audience] if level == Severity.CRITICAL else 0.0
                started = (hour * 60 + rng.randrange(60)) * day_minutes // 1440
                finished = started + rng.randrange(*JOURNEY_MINUTES)
                if finished > last:
                    continue
                channel = rng.choices(context.channels, cum_weights=context.channel_weights)[0]
                departement = ""
                if rng.random() < DEPARTEMENT_GIVEN:
                    index = bisect.bisect(departement_weights, rng.random() * population)
                    departement = departements[min(index, len(departements) - 1)]
                chat = rng.random() < chat_rate
                finished_value = stamp(finished)
                yield (
                    record_audience,
                    kind,
                    incident,
                    level,
                    context.graph_version,
                    channel,
                    departement,
                    context.partner_id if channel == Channel.PARTNER else None,
                    stamp(started),
                    finished_value,
                    rng.random() < provider_rate,
                    chat,
                    chat and rng.random() < COMPLAINT_AFTER_CHAT,
                    finished_value,  # updated_at
                )


# The columns written, in the order of the rows above. Every other column of JourneyRecord is its primary key.
RECORD_FIELDS = (
    "audience",
    "outcome_kind",
    "incident_code",
    "severity",
    "graph_version",
    "channel",
    "departement",
    "partner",
    "started_at",
    "finished_at",
    "led_to_provider",
    "led_to_chat",
    "led_to_complaint",
    "updated_at",
)


def _insert(rows: list[tuple]) -> None:
    """Write the rows: one INSERT run over all of them (``executemany``), or ``COPY`` on PostgreSQL.

    Not ``bulk_create``: on SQLite Django caps it at 999 parameters, 76 records a statement, and prepares every
    value through its field; for the 300,000 records it took about 45 s against 6 s this way. On PostgreSQL,
    ``COPY`` is seven times faster than the INSERTs."""
    fields = [JourneyRecord._meta.get_field(name) for name in RECORD_FIELDS]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    table = quote(JourneyRecord._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 (names from the model)
            cursor.executemany(sql, rows)


def create_demo_journeys(
    graph_version: int, *, today: date | None = None, seed: int = 2026, days: int = DEMO_DAYS
) -> int:
    """Create ``days`` days of finished anonymous journeys up to now (today's only up to the current time of day),
    with a past wave of webcam blackmail and a current wave of fraudulent SMS, inserted ``BATCH`` rows at a time
    in one transaction. Returns the number created."""
    local_now = timezone.localtime(minute(timezone.now()), paris())
    today = today or local_now.date()
    now = datetime.combine(today, local_now.time(), tzinfo=paris())
    rng = random.Random(seed + 1)  # the draws of each record
    created = 0
    batch: list[tuple] = []
    with transaction.atomic():
        for day, context, counts in _days(graph_version, today=today, days=days, seed=seed):
            batch.extend(_rows(context, day, counts, now=now, rng=rng))
            if len(batch) >= BATCH:
                _insert(batch)
                created += len(batch)
                batch = []
        if batch:
            _insert(batch)
    return created + len(batch)


def create_demo_past_surges(*, today: date | None = None) -> int:
    """Record what the watch would have raised before yesterday (it only looks at yesterday and today): replay the
    detector over the rollups and record each episode that has ended as an ended surge, acknowledged by staff.
    Run after the rollups are refreshed. Returns the number of surges recorded."""
    today = today or timezone.localdate()
    last = today - timedelta(days=2)
    first = JourneyDay.objects.order_by("day").values_list("day", flat=True).first()
    if first is None or first > last:
        return 0
    recorded = 0
    for episode in surges.replay(list(watch.day_counts(first, last).values())):
        ended_on = episode.last_day + timedelta(days=watch.QUIET_DAYS + 1)
        if ended_on > today or Surge.objects.filter(incident=episode.incident, first_day=episode.first_day).exists():
            continue
        peak = episode.peak
        raised_at = datetime.combine(episode.first_day, time(10), tzinfo=paris())
        Surge.objects.create(
            incident=episode.incident,
            label=watch.incident_label(episode.incident),
            first_day=episode.first_day,
            last_day=episode.last_day,
            ended_on=ended_on,
            peak_day=peak.day,
            observed=peak.observed,
            expected=round(peak.expected, 1),
            share=peak.share,
            baseline_share=peak.baseline_share,
            z_score=round(peak.z_score, 1),
            raised_at=raised_at,
            acknowledged_at=raised_at + timedelta(minutes=40),
            note="Alerte publiée le jour même et parcours complété (données de démonstration).",
        )
        recorded += 1
    return recorded


# ---- "Je n'ai pas trouvé" descriptions -------------------------------------------------------------------------

UNMATCHED_DAYS = 30
WAVE_DAYS = 6


def demo_unmatched_entries() -> list[dict]:
    """The descriptions of ``data/demo_unmatched.yaml``: each with ``audience``, ``text`` and optionally ``wave``
    (texts of one wave arrive within a few days of each other) and ``question`` (where the victim stopped)."""
    return yaml.safe_load(UNMATCHED_FILE.read_text(encoding="utf-8"))["reports"]


def create_demo_unmatched_reports(graph_version: int, *, seed: int = 2026) -> int:
    """Create the demonstration descriptions, spread over the last 30 days (the texts of a wave close together,
    as a wave arrives). Returns the number created."""
    rng = random.Random(seed)
    entries = demo_unmatched_entries()
    now = timezone.now()
    # The waves start a week apart, in the file's order, the last one a few days ago; each lasts about a week.
    # One-offs come any day.
    waves = list(dict.fromkeys(entry["wave"] for entry in entries if entry.get("wave")))
    wave_start = {wave: UNMATCHED_DAYS - 3 - 7 * index for index, wave in enumerate(waves)}
    created = 0
    with transaction.atomic():
        for entry in entries:
            wave = entry.get("wave")
            if wave:
                days_ago = max(0.05, wave_start[wave] - rng.uniform(0, WAVE_DAYS))
            else:
                days_ago = rng.uniform(0.05, UNMATCHED_DAYS)
            report = UnmatchedReport.objects.create(
                text=scrub_personal_data(entry["text"].strip()),
                audience=entry["audience"],
                question=entry.get("question", ""),
                graph_version=graph_version,
            )
            # created_at is set on creation (auto_now_add): moved afterwards.
            UnmatchedReport.objects.filter(pk=report.pk).update(
                created_at=now - timedelta(days=days_ago, seconds=rng.randrange(60))
            )
            created += 1
    return created

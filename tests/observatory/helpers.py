"""Anonymous journeys and published months for the observatory's tests."""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from cyberaide.diagnostic.models import Channel, JourneyRecord
from cyberaide.observatory.models import JourneyDay

PARIS = ZoneInfo("Europe/Paris")


def at(day, hour=12, minute=0):
    """A moment of that day, Paris time."""
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


def journey(
    day,
    *,
    incident="phishing",
    audience="particulier",
    departement="",
    channel=Channel.WEBSITE,
    hour=12,
    provider=False,
    chat=False,
    complaint=False,
    outcome=JourneyRecord.OutcomeKind.INCIDENT,
    severity="",
):
    started = at(day, hour)
    return JourneyRecord(
        audience=audience,
        outcome_kind=outcome,
        incident_code=incident if outcome == JourneyRecord.OutcomeKind.INCIDENT else "",
        graph_version=1,
        channel=channel,
        departement=departement,
        started_at=started,
        finished_at=started + timedelta(minutes=3) if outcome else None,
        led_to_provider=provider,
        led_to_chat=chat,
        led_to_complaint=complaint,
        severity=severity,
    )


def journeys(day, count, **fields):
    return [journey(day, **fields) for _ in range(count)]


def save(*batches):
    JourneyRecord.objects.bulk_create([record for batch in batches for record in batch])


def store_rollup(counts: Iterable[tuple[date, str, int]]) -> None:
    """Write (day, incident, journeys) straight into the rollup table, as particuliers on the site."""
    JourneyDay.objects.bulk_create(
        JourneyDay(
            day=day,
            incident=incident,
            audience="particulier",
            channel="site",
            journeys=journeys,
            to_provider=0,
            to_chat=0,
            to_complaint=0,
        )
        for day, incident, journeys in counts
        if journeys
    )


def month_of_journeys(month):
    """A month of journeys, the 10th: particuliers, entreprises, associations; every figure of its page is set."""
    day = month.replace(day=10)
    return (
        journeys(day, 60, incident="phishing", departement="69"),
        journeys(day, 25, incident="account_hacking", provider=True, departement="38"),
        journeys(day, 22, incident="fake_tech_support", channel=Channel.PARTNER),
        journeys(day, 5, incident="sextortion_bluff"),
        journeys(day, 12, outcome=JourneyRecord.OutcomeKind.NOT_FOUND, departement="13"),
        journeys(day, 40, audience="entreprise", incident="phishing", departement="75"),
        journeys(day, 25, audience="entreprise", incident="ransomware", chat=True),
        journeys(day, 21, audience="entreprise", incident="ceo_fraud"),
        journeys(day, 25, audience="association", incident="phishing"),
    )

"""The demonstration data of the observatory: plausible journeys, a past and a current wave that the surge
detector sees, "je n'ai pas trouvé" waves that the grouping finds, and a public page with figures."""

from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from django.db.models import Count, F, Q
from django.utils import timezone

from cyberaide.core.audiences import Audience
from cyberaide.core.geography import DEPARTEMENTS
from cyberaide.diagnostic.models import GraphVersion, IncidentType, JourneyRecord, UnmatchedReport
from cyberaide.observatory import demo, publication, rollups, watch
from cyberaide.observatory.grouping import Text, cluster
from cyberaide.observatory.models import Surge
from cyberaide.observatory.surges import replay

from .helpers import store_rollup

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 10)  # a Tuesday: February is complete, and published a week after its end
DAYS = 45  # from 25 January: six weeks of history for the surge watch


def now_on(day: date) -> datetime:
    """``day`` at the current time of day, as create_demo_journeys places "now" on a given day."""
    local = timezone.localtime(timezone.now(), rollups.paris())
    return datetime.combine(day, local.time(), tzinfo=rollups.paris())


@pytest.fixture
def journeys(graph_version):
    return demo.create_demo_journeys(graph_version.number, today=TODAY, days=DAYS)


def test_the_rows_fill_every_column_of_a_record():
    fields = {field.name for field in JourneyRecord._meta.concrete_fields if not field.primary_key}
    assert set(demo.RECORD_FIELDS) == fields


def test_demo_journeys_are_plausible(journeys):
    records = JourneyRecord.objects.all()
    assert records.count() == journeys
    assert 550 * DAYS < journeys < 800 * DAYS  # about 650 a day

    by_audience = Counter(dict(records.values_list("audience").annotate(n=Count("pk")).values_list("audience", "n")))
    audiences = {code: by_audience[code] / journeys for code in Audience.values}
    assert 0.92 < audiences["particulier"] < 0.955
    assert 0.03 < audiences["entreprise"] < 0.055
    assert 0.005 < audiences["association"] < 0.02
    assert 0.005 < audiences["collectivite"] < 0.02
    # Out of scope: organisations sent to the ANSSI, recorded under the questionnaire's code as the service does.
    assert set(by_audience) - set(Audience.values) == {"oiv"}
    assert set(records.filter(audience="oiv").values_list("outcome_kind", flat=True)) == {"out_of_scope"}

    applicable = dict(IncidentType.objects.values_list("code", "audiences"))
    pairs = records.filter(outcome_kind="incident").values_list("audience", "incident_code").distinct()
    assert all(audience in applicable[code] for audience, code in pairs)
    assert {code for _, code in pairs} >= {"phishing", "ransomware", "ceo_fraud", "sextortion_bluff"}
    assert not records.filter(outcome_kind="incident", incident_code="").exists()
    assert not records.exclude(outcome_kind="incident").exclude(incident_code="").exists()
    not_found = records.filter(outcome_kind="not_found").count() / journeys
    assert 0.035 < not_found < 0.065

    particuliers = records.filter(audience="particulier", outcome_kind="incident")
    top = list(particuliers.values("incident_code").annotate(n=Count("pk")).order_by("-n")[:3])
    assert top[0]["incident_code"] == "phishing" and 0.25 < top[0]["n"] / particuliers.count() < 0.38
    companies = records.filter(audience="entreprise", outcome_kind="incident")
    top = [row["incident_code"] for row in companies.values("incident_code").annotate(n=Count("pk")).order_by("-n")]
    assert top[0] == "phishing" and "ransomware" in top[:4]

    departements = set(records.values_list("departement", flat=True))
    assert departements - {""} <= set(DEPARTEMENTS)
    assert {"75", "13", "59", "971", "974"} <= departements  # the most populated ones and overseas
    given = records.exclude(departement="").count() / journeys
    assert 0.37 < given < 0.43
    # Drawn by population: Paris far ahead of Lozère.
    assert records.filter(departement="75").count() > 10 * records.filter(departement="48").count()

    channels = dict(records.values_list("channel").annotate(n=Count("pk")).values_list("channel", "n"))
    assert 0.82 < channels["site"] / journeys < 0.88
    assert 0.1 < channels["partenaire"] / journeys < 0.14
    assert 0.02 < channels["api"] / journeys < 0.04

    # Every journey has the severity its situation gives; only serious ones were offered the chat.
    assert not records.filter(outcome_kind="incident", severity="").exists()
    assert set(records.filter(led_to_chat=True).values_list("severity", flat=True)) == {"critical"}
    assert not records.filter(led_to_complaint=True, led_to_chat=False).exists()
    chats = records.filter(led_to_chat=True).count() / records.filter(severity="critical").count()
    assert 0.03 < chats < 0.08
    assert 0.1 < records.filter(severity="critical").count() / journeys < 0.5
    provider = {
        audience: records.filter(audience=audience, led_to_provider=True).count() / by_audience[audience]
        for audience in ("particulier", "entreprise")
    }
    assert 0.01 < provider["particulier"] < 0.05 < provider["entreprise"]

    # Times: to the minute, finished after started and by now, updated when finished.
    assert not records.filter(Q(started_at__second__gt=0) | Q(finished_at__second__gt=0)).exists()
    assert not records.exclude(updated_at=F("finished_at")).exists()
    assert not records.filter(finished_at__lte=F("started_at")).exists()
    assert not records.filter(finished_at__gt=now_on(TODAY)).exists()
    first, last = rollups.day_bounds(TODAY - timedelta(days=DAYS - 1))[0], rollups.day_bounds(TODAY)[1]
    assert records.filter(started_at__gte=first, started_at__lt=last).count() == journeys


def test_the_demo_partner_gets_the_module_journeys(graph_version):
    from cyberaide.partners.demo import create_demo_partner

    partner = create_demo_partner(8000)
    demo.create_demo_journeys(graph_version.number, today=TODAY, days=3)
    records = JourneyRecord.objects.all()
    assert records.filter(channel="partenaire").exists()
    assert not records.filter(channel="partenaire").exclude(partner=partner).exists()
    assert not records.exclude(channel="partenaire").filter(partner__isnull=False).exists()


def test_the_detector_sees_the_past_wave_and_the_current_one(graph_version):
    """Replayed over the whole-day counts of the demonstration, the detector raises exactly two episodes: webcam
    blackmail on the first day of its wave, five months ago, and fraudulent SMS yesterday."""
    days = demo.demo_day_counts(graph_version.number, today=TODAY, days=200)
    episodes = replay(days)
    assert [(episode.incident, episode.first_day) for episode in episodes] == [
        ("sextortion_bluff", TODAY - timedelta(days=demo.PAST_WAVE_DAYS_AGO)),
        ("scam_sms", TODAY - timedelta(days=1)),
    ]
    past = episodes[0]
    assert past.peak.share > 0.4 and past.last_day - past.first_day >= timedelta(days=9)
    today = days[-1]
    assert 0.22 < today.by_incident["scam_sms"] / today.total < 0.32


def test_the_past_wave_is_recorded_as_an_ended_surge(graph_version):
    """The watch only looks at yesterday and today: the demonstration records the past wave it would have raised."""
    days = demo.demo_day_counts(graph_version.number, today=TODAY, days=200)
    store_rollup(
        (counts.day, incident, journeys) for counts in days for incident, journeys in counts.by_incident.items()
    )
    assert demo.create_demo_past_surges(today=TODAY) == 1
    assert demo.create_demo_past_surges(today=TODAY) == 0  # once
    surge = Surge.objects.get()
    assert surge.incident == "sextortion_bluff"
    assert surge.first_day == TODAY - timedelta(days=demo.PAST_WAVE_DAYS_AGO)
    assert surge.ended_on is not None and surge.acknowledged_at is not None
    assert surge.share > 0.4 > 0.1 > surge.baseline_share


def test_the_observatory_comes_alive(journeys, client, mailoutbox):
    """After the refresh, the watch raises the current wave and the public page shows figures for every audience."""
    rollups.refresh()
    raised = watch.run(now=now_on(TODAY))
    assert [surge.incident for surge in raised] == ["scam_sms"]
    assert Surge.objects.get().first_day == TODAY - timedelta(days=1)

    assert publication.publish(today=TODAY) == [date(2026, 1, 1), date(2026, 2, 1)]
    response = client.get("/observatoire/", {"debut": "2026-02", "fin": "2026-02", "public": "tous"})
    assert response.status_code == 200
    threats = dict(response.context["tables"]["threats"])
    for audience in ("particulier", "entreprise", "association", "collectivite"):
        labels = [line.label for line in threats[audience].lines]
        assert "Hameçonnage (phishing)" in labels, audience
        assert threats[audience].lines[0].cells[0][0].isdigit(), audience
    assert len(threats["entreprise"].lines) >= 4
    regions = {line.label: line.cells[0] for line in response.context["tables"]["regions"].lines}
    assert regions["Île-de-France"][0].isdigit()
    assert regions["Département non indiqué"][0].isdigit()


def test_demo_unmatched_reports(graph_version):
    count = demo.create_demo_unmatched_reports(graph_version.number)
    reports = list(UnmatchedReport.objects.all())
    assert count == len(reports) == len(demo.demo_unmatched_entries()) >= 55
    now = timezone.now()
    assert all(now - timedelta(days=30) <= report.created_at <= now for report in reports)
    assert len({report.created_at.date() for report in reports}) > 10
    assert {report.audience for report in reports} == set(Audience.values)
    questions = set(GraphVersion.objects.get(pk=graph_version.pk).data["questions"])
    assert {report.question for report in reports} <= questions
    assert all("[" not in report.text for report in reports)  # nothing to scrub: no personal data

    waves = {entry["text"].strip(): entry.get("wave") for entry in demo.demo_unmatched_entries()}
    groups = cluster([Text(report.pk, report.text) for report in reports])
    by_pk = {report.pk: waves[report.text] for report in reports}
    found = [Counter(by_pk[key] for key in group.keys) for group in groups]
    # Every wave comes out grouped (most of it, in one group or two); no group mixes waves or takes a one-off.
    assert all(len(members) == 1 and None not in members for members in found)
    grouped = Counter()
    for members in found:
        grouped.update(members)
    assert set(grouped) == {"cpf", "critair", "ameli", "impots"}
    assert min(grouped.values()) >= 8

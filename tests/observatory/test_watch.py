"""Surge watch on the rollups: a wave in the day's counts raises one surge, staff are e-mailed its evidence once,
later signals extend it, quiet days end it; ordinary weeks raise nothing."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from cyberaide.accounts.models import User
from cyberaide.observatory import synthetic, watch
from cyberaide.observatory.models import NOT_FOUND, Surge
from cyberaide.observatory.surges import DayCounts

from .helpers import store_rollup

PARIS = ZoneInfo("Europe/Paris")
JUMP = date(2026, 3, 11)  # a Wednesday


def store(days: list[DayCounts]) -> None:
    """Write synthetic days into the rollup table, as the rollup would (one row per day and incident)."""
    store_rollup(
        (counts.day, incident, journeys)
        for counts in days
        for incident, journeys in [
            *counts.by_incident.items(),
            (NOT_FOUND, counts.total - sum(counts.by_incident.values())),
        ]
    )


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=PARIS)


@pytest.fixture
def staff(db):
    User.objects.create(username="analyste", email="analyste@cyberaide.example", is_staff=True, is_superuser=True)
    User.objects.create(username="visiteur", email="visiteur@exemple.fr")  # not staff: never e-mailed


def ordinary(days=70, seed=5):
    return synthetic.ordinary_traffic(JUMP - timedelta(days=days - 7), days, seed=seed)


@pytest.mark.django_db
def test_a_wave_raises_one_surge_and_tells_staff_with_the_evidence(
    staff, taxonomy, django_capture_on_commit_callbacks
):
    store(synthetic.with_wave(ordinary(), incident="sextortion_bluff", first_day=JUMP, share=0.5, seed=5))

    with django_capture_on_commit_callbacks(execute=True):
        raised = watch.run(now=at(JUMP, 21))

    assert [surge.incident for surge in raised] == ["sextortion_bluff"]
    surge = Surge.objects.get()
    assert (surge.first_day, surge.peak_day, surge.ended_on) == (JUMP, JUMP, None)
    assert surge.share > 2 * surge.baseline_share
    assert surge.observed > 2 * surge.expected
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["analyste@cyberaide.example"]
    assert "Chantage à la webcam" in message.subject
    assert f"{surge.observed} parcours" in message.body
    assert f"/gestion/observatory/surge/{surge.pk}/" in message.body


@pytest.mark.django_db
def test_the_next_runs_extend_the_surge_without_e_mailing_again(staff, django_capture_on_commit_callbacks):
    store(synthetic.with_wave(ordinary(), incident="sextortion_bluff", first_day=JUMP, share=0.5, seed=5))

    with django_capture_on_commit_callbacks(execute=True):
        watch.run(now=at(JUMP, 10))
        watch.run(now=at(JUMP, 22))
        watch.run(now=at(JUMP + timedelta(days=1), 9))
        watch.run(now=at(JUMP + timedelta(days=3), 9))

    surge = Surge.objects.get()
    assert surge.last_day == JUMP + timedelta(days=3)
    assert surge.ended_on is None
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_surge_ends_after_quiet_days(staff):
    waved = synthetic.with_wave(ordinary(), incident="sextortion_bluff", first_day=JUMP, share=0.5, seed=5)
    store([counts for counts in waved if counts.day <= JUMP] + [c for c in ordinary() if c.day > JUMP])

    watch.run(now=at(JUMP, 20))
    for offset in range(1, 5):
        watch.run(now=at(JUMP + timedelta(days=offset), 20))

    surge = Surge.objects.get()
    assert surge.last_day == JUMP
    assert surge.ended_on == JUMP + timedelta(days=watch.QUIET_DAYS + 1)


@pytest.mark.django_db
def test_ordinary_weeks_raise_nothing(staff, django_capture_on_commit_callbacks):
    days = ordinary(days=90)
    store(days)

    with django_capture_on_commit_callbacks(execute=True):
        for counts in days[-21:]:
            watch.run(now=at(counts.day, 20))

    assert not Surge.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_wave_of_situations_not_found_is_a_surge_too(staff):
    """New scams first show as descriptions the diagnostic does not know: their rise is worth a look."""
    days = ordinary()
    waved = [
        DayCounts(counts.day, counts.total * 2, counts.by_incident) if counts.day >= JUMP else counts
        for counts in days
    ]
    store(waved)

    assert [surge.incident for surge in watch.run(now=at(JUMP, 20))] == [NOT_FOUND]
    assert watch.incident_label(NOT_FOUND) == "Situations non trouvées dans le diagnostic"


@pytest.mark.django_db
def test_without_enough_history_nothing_is_said(staff):
    store(synthetic.with_wave(ordinary(days=14), incident="sextortion_bluff", first_day=JUMP, share=0.5))

    assert watch.run(now=at(JUMP, 20)) == []  # two weeks of history: no verdict


@pytest.mark.django_db
def test_right_after_midnight_today_is_not_judged(staff):
    """At 00:20 today is too young to be judged (yesterday, complete, is); by 9:00 the wave shows."""
    days = ordinary()
    today = DayCounts(JUMP, 400, {"sextortion_bluff": 200, "phishing": 200})
    store([counts for counts in days if counts.day < JUMP] + [today])

    assert watch.run(now=datetime.combine(JUMP, time(0, 20), tzinfo=PARIS)) == []
    assert [surge.incident for surge in watch.run(now=at(JUMP, 9))] == ["sextortion_bluff"]


@pytest.mark.django_db
def test_a_surge_ended_while_its_last_day_was_still_counted_is_taken_up_again(
    staff, django_capture_on_commit_callbacks
):
    store(synthetic.with_wave(ordinary(), incident="sextortion_bluff", first_day=JUMP, share=0.5, seed=5))
    with django_capture_on_commit_callbacks(execute=True):
        watch.run(now=at(JUMP, 12))
        Surge.objects.update(ended_on=JUMP + timedelta(days=1))  # as if ended at midnight

        watch.run(now=at(JUMP + timedelta(days=1), 12))

    surge = Surge.objects.get()
    assert (surge.ended_on, surge.last_day) == (None, JUMP + timedelta(days=1))
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_one_current_surge_per_incident(staff):
    fields = {"first_day": JUMP, "last_day": JUMP, "peak_day": JUMP, "observed": 90, "expected": 9.0}
    evidence = {"share": 0.5, "baseline_share": 0.05, "z_score": 30.0, **fields}
    Surge.objects.create(incident="phishing", label="Hameçonnage", **evidence)

    with pytest.raises(IntegrityError), transaction.atomic():
        Surge.objects.create(incident="phishing", label="Hameçonnage", **evidence)

"""Daily rollups: what a rebuild counts, and the incremental refresh always ending equal to a rebuild."""

from datetime import date, timedelta
from unittest import mock

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cyberaide.diagnostic.models import Channel, JourneyRecord
from cyberaide.diagnostic.services import record_follow_up
from cyberaide.observatory import rollups
from cyberaide.observatory.models import NOT_FOUND, OUT_OF_SCOPE, JourneyDay, RollupState

from .helpers import at, journey, journeys, save

DAY = date(2026, 3, 10)


def table():
    """The rollup as a comparable set of rows."""
    return set(
        JourneyDay.objects.values_list(
            "day",
            "incident",
            "audience",
            "departement",
            "channel",
            "journeys",
            "to_provider",
            "to_chat",
            "to_complaint",
        )
    )


def rebuilt_table():
    rollups.rebuild()
    return table()


@pytest.mark.django_db
def test_rebuild_counts_finished_journeys_per_day_incident_audience_departement_and_channel():
    save(
        journeys(DAY, 3, incident="phishing", departement="69"),
        journeys(DAY, 2, incident="phishing", departement="69", provider=True),
        journeys(
            DAY, 1, incident="ransomware", audience="entreprise", channel=Channel.PARTNER, chat=True, complaint=True
        ),
        journeys(DAY, 2, outcome=JourneyRecord.OutcomeKind.NOT_FOUND),
        journeys(DAY, 1, outcome=JourneyRecord.OutcomeKind.OUT_OF_SCOPE, audience="collectivite"),
        journeys(DAY, 4, outcome=""),  # not finished: not counted
        journeys(DAY + timedelta(days=1), 1, incident="phishing"),
    )

    report = rollups.rebuild()

    assert report.days == 2
    assert table() == {
        (DAY, "phishing", "particulier", "69", "site", 5, 2, 0, 0),
        (DAY, "ransomware", "entreprise", "", "partenaire", 1, 0, 1, 1),
        (DAY, NOT_FOUND, "particulier", "", "site", 2, 0, 0, 0),
        (DAY, OUT_OF_SCOPE, "collectivite", "", "site", 1, 0, 0, 0),
        (DAY + timedelta(days=1), "phishing", "particulier", "", "site", 1, 0, 0, 0),
    }


@pytest.mark.django_db
def test_serious_situations_are_counted():
    save(
        journeys(DAY, 3, incident="fake_bank_adviser", severity="critical", chat=True),
        journeys(DAY, 4, incident="fake_bank_adviser", severity="low"),
        journeys(DAY, 2, outcome=JourneyRecord.OutcomeKind.NOT_FOUND),
    )
    rollups.rebuild()
    rows = dict(JourneyDay.objects.values_list("incident", "serious"))
    assert rows == {"fake_bank_adviser": 3, NOT_FOUND: 0}


@pytest.mark.django_db
def test_days_are_paris_days():
    """23:30 in Paris on the 10th is 22:30 UTC (21:30 in summer): it belongs to the 10th, not the 11th."""
    save([journey(DAY, hour=23), journey(date(2026, 7, 14), hour=0)])

    rollups.rebuild()

    assert set(JourneyDay.objects.values_list("day", flat=True)) == {DAY, date(2026, 7, 14)}


@pytest.mark.django_db
def test_first_refresh_rebuilds_then_refresh_counts_again_only_changed_days():
    save(journeys(DAY, 2), journeys(DAY - timedelta(days=30), 5))
    first = rollups.refresh()
    assert first.days == 2
    assert RollupState.objects.get().changes_seen_until <= timezone.now()
    # Written well before the last run: not counted again (those of the last minutes are, in case a transaction
    # was still open when it read).
    JourneyRecord.objects.update(updated_at=timezone.now() - timedelta(hours=1))

    save(journeys(DAY, 1, incident="ransomware", audience="entreprise"))
    second = rollups.refresh()

    assert second.days == 1
    assert table() == rebuilt_table()


@pytest.mark.django_db
def test_follow_ups_recorded_after_the_journey_are_counted_again(taxonomy):
    from cyberaide.diagnostic.models import DiagnosticResult

    save(journeys(DAY, 1))
    record = JourneyRecord.objects.get()
    result = DiagnosticResult.objects.create(audience="particulier", graph_version=1, record=record)
    rollups.refresh()
    assert JourneyDay.objects.get().to_provider == 0
    JourneyRecord.objects.update(updated_at=timezone.now() - timedelta(hours=1))  # out of the last run's margin
    RollupState.objects.update(changes_seen_until=timezone.now() - timedelta(minutes=30))

    record_follow_up(result, provider=True)
    rollups.refresh()

    assert JourneyDay.objects.get().to_provider == 1
    assert table() == rebuilt_table()


@pytest.mark.django_db
def test_rolling_up_a_day_again_replaces_its_rows():
    save(journeys(DAY, 3))
    rollups.rebuild()
    JourneyRecord.objects.filter(started_at__gte=at(DAY, 0)).delete()

    assert rollups.rollup_day(DAY) == (0, 0)
    assert not JourneyDay.objects.exists()


# Any sequence of changes and refreshes ends equal to a rebuild from scratch.

DAYS = [DAY + timedelta(days=offset) for offset in range(4)]
new_journey = st.builds(
    lambda day, incident, audience, departement, channel, hour, outcome: journey(
        day, incident=incident, audience=audience, departement=departement, channel=channel, hour=hour, outcome=outcome
    ),
    st.sampled_from(DAYS),
    st.sampled_from(["phishing", "ransomware", "sextortion_bluff"]),
    st.sampled_from(["particulier", "entreprise"]),
    st.sampled_from(["", "69", "2A", "974"]),
    st.sampled_from(Channel.values),
    st.integers(0, 23),
    st.sampled_from([*JourneyRecord.OutcomeKind.values, ""]),
)
operation = st.one_of(
    st.tuples(st.just("add"), st.lists(new_journey, min_size=1, max_size=5)),
    st.tuples(st.just("finish"), st.integers(0, 50)),
    st.tuples(st.just("departement"), st.integers(0, 50)),
    st.tuples(st.just("follow_up"), st.integers(0, 50)),
    st.tuples(st.just("refresh"), st.none()),
)


def apply(name, argument):
    if name == "add":
        for record in argument:  # built when the example was drawn: written now
            record.pk, record.updated_at = None, timezone.now()
        save(argument)
    elif name == "refresh":
        rollups.refresh()
    else:
        records = list(JourneyRecord.objects.order_by("pk"))
        if not records:
            return
        record = records[argument % len(records)]
        changes = {
            "finish": {"outcome_kind": JourneyRecord.OutcomeKind.INCIDENT, "incident_code": "phishing"},
            "departement": {"departement": "13"},
            "follow_up": {"led_to_provider": True, "led_to_chat": True},
        }[name]
        # As the services do: every write sets updated_at.
        JourneyRecord.objects.filter(pk=record.pk).update(**changes, updated_at=timezone.now())


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(operation, max_size=12))
def test_incremental_refresh_always_equals_a_rebuild(operations):
    """Without the margin for open transactions (writes here follow each other), so that a refresh counts again
    only the days whose records were written after the previous one: a write that forgot ``updated_at`` fails."""
    JourneyRecord.objects.all().delete()
    JourneyDay.objects.all().delete()
    RollupState.objects.all().delete()

    with mock.patch.object(rollups, "COMMIT_MARGIN", timedelta(0)):
        for name, argument in operations:
            apply(name, argument)
        rollups.refresh()
    incremental = table()

    assert incremental == rebuilt_table()

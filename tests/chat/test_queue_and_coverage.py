"""The queue order, the place and wait told to a victim, and who covers a commune: pure rules."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from cyberaide.chat import coverage, queue

START = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)

waiting = st.builds(
    queue.Waiting,
    id=st.integers(1, 10_000),
    severity_rank=st.integers(0, 399),
    opened_at=st.integers(0, 600).map(lambda minutes: START + timedelta(minutes=minutes)),
)
queues = st.lists(waiting, max_size=40, unique_by=lambda item: item.id)


@given(queues)
def test_the_most_serious_are_served_first_then_the_longest_waiting(items):
    ordered = queue.in_order(items)
    for before, after in zip(ordered, ordered[1:], strict=False):
        assert before.severity_rank < after.severity_rank or (
            before.severity_rank == after.severity_rank and before.opened_at <= after.opened_at
        )


def test_the_rank_orders_by_level_then_by_the_diagnosis_priority():
    danger = queue.severity_rank("critical", 0)
    ransomware = queue.severity_rank("critical", 30)
    assert danger < ransomware < queue.severity_rank("high", 0) < queue.severity_rank("", 0)
    assert queue.severity_rank("critical", 5000) < queue.severity_rank("high", 0)  # a priority never spills over


@given(queues)
def test_positions_are_one_to_n_in_serving_order(items):
    ordered = queue.in_order(items)
    assert [queue.position_of(item, items) for item in ordered] == list(range(1, len(items) + 1))


@given(queues, waiting)
def test_a_new_arrival_never_moves_anyone_back_unless_more_serious_or_earlier(items, newcomer):
    items = [item for item in items if item.id != newcomer.id]
    for item in items:
        before = queue.position_of(item, items)
        after = queue.position_of(item, items + [newcomer])
        served_first = queue.order_key(newcomer) < queue.order_key(item)
        assert after == before + (1 if served_first else 0)


@given(st.integers(1, 500), st.integers(1, 100), st.floats(1, 60))
def test_the_wait_grows_with_the_place_and_shrinks_with_agents(position, agents, minutes):
    wait = queue.estimated_wait_minutes(position, agents, minutes)
    assert wait >= 1
    assert queue.estimated_wait_minutes(position + agents, agents, minutes) >= wait
    assert queue.estimated_wait_minutes(position, agents + 1, minutes) <= wait


def test_no_wait_is_promised_when_nobody_is_on_duty():
    assert queue.estimated_wait_minutes(1, 0, 12) is None


def test_the_next_one_served_waits_about_a_minute():
    assert queue.estimated_wait_minutes(1, 3, 12) == 1
    assert queue.estimated_wait_minutes(4, 3, 12) == 12


def test_paris_its_inner_suburbs_and_towns_are_police_the_countryside_gendarmerie():
    assert coverage.default_force("75", 2_100_000) == coverage.POLICE
    assert coverage.default_force("93", 9_000) == coverage.POLICE
    assert coverage.default_force("35", 230_000) == coverage.POLICE
    assert coverage.default_force("46", 3_500) == coverage.GENDARMERIE
    assert coverage.default_force("01", 19_999) == coverage.GENDARMERIE


def test_a_staff_override_wins_over_the_rule():
    assert coverage.force_for("46128", "46", 3_500, {"46128": coverage.POLICE}) == coverage.POLICE
    assert coverage.force_for("35238", "35", 230_000, {"46128": coverage.POLICE}) == coverage.POLICE

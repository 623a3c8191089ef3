"""Statistical secrecy of one relation, checked against an attacker who enumerates every possibility.

The attacker knows the published cells, the total of the relation (public), that a cell marked "< 11" holds 0 to
10 and that a secret cell holds 11 or more. Whatever the relation, for every small cell the values still possible
must be all of 0 to 10: the publication tells nothing more about it.
"""

from itertools import product

from hypothesis import given, settings
from hypothesis import strategies as st

from cyberaide.observatory.disclosure import Status, combine, is_protected, protect

THRESHOLD = 11


def possible_values(values: dict[str, int], statuses: dict[str, Status], target: str) -> set[int]:
    """Every value the cell ``target`` can hold given what is published (brute force)."""
    hidden = [key for key, status in statuses.items() if status != Status.PUBLISHED]
    remainder = sum(values[key] for key in hidden)  # the total minus the published cells
    ranges = [
        range(0, THRESHOLD) if statuses[key] == Status.SMALL else range(THRESHOLD, remainder + 1) for key in hidden
    ]
    found = set()
    for assignment in product(*ranges):
        if sum(assignment) == remainder:
            found.add(assignment[hidden.index(target)])
    return found


relations = st.dictionaries(
    st.sampled_from(["a", "b", "c", "d", "e"]),
    st.one_of(st.integers(0, 12), st.integers(13, 40)),
    min_size=1,
    max_size=5,
)


@settings(max_examples=300, deadline=None)
@given(relations)
def test_no_small_cell_can_be_narrowed_down(values):
    statuses = protect(values)

    if statuses is None:  # nothing can protect it: the caller hides the whole relation
        assert any(value < THRESHOLD for value in values.values())
        return
    assert {key for key, status in statuses.items() if status == Status.SMALL} == {
        key for key, value in values.items() if value < THRESHOLD
    }
    remainder = sum(values[key] for key, status in statuses.items() if status != Status.PUBLISHED)
    for key, status in statuses.items():
        if status == Status.SMALL and remainder > 0:
            assert possible_values(values, statuses, key) == set(range(THRESHOLD)), (values, statuses, key)
    assert is_protected(values, statuses)


@settings(max_examples=200, deadline=None)
@given(relations)
def test_secret_cells_are_at_least_the_threshold_and_relations_without_small_cells_stay_public(values):
    statuses = protect(values) or {}

    for key, status in statuses.items():
        if status == Status.SECRET:
            assert values[key] >= THRESHOLD
    if all(value >= THRESHOLD for value in values.values()):
        assert set(statuses.values()) == {Status.PUBLISHED}


def test_a_lone_small_cell_is_hidden_with_the_smallest_cell_that_protects_it():
    statuses = protect({"phishing": 500, "ransomware": 40, "fovi": 25, "ddos": 3})

    assert statuses == {
        "phishing": Status.PUBLISHED,
        "ransomware": Status.PUBLISHED,
        "fovi": Status.SECRET,
        "ddos": Status.SMALL,
    }


def test_the_difference_attack_on_two_cells():
    """Total 103 = 100 + 3: hiding only the 3 would give it back by subtraction."""
    statuses = protect({"oui": 3, "non": 100})

    assert statuses == {"oui": Status.SMALL, "non": Status.SECRET}
    assert possible_values({"oui": 3, "non": 100}, statuses, "oui") == set(range(THRESHOLD))


def test_small_cells_that_hide_each_other():
    # 6 + 7 = 13: either could be 3 to 10, not 0 to 10; a published cell must go.
    assert not is_protected({"a": 6, "b": 7, "c": 50}, {"a": Status.SMALL, "b": Status.SMALL, "c": Status.PUBLISHED})
    statuses = protect({"a": 6, "b": 7, "c": 50})
    assert statuses["c"] == Status.SECRET


def test_zeros_reveal_nothing_about_anyone():
    assert protect({"a": 0, "b": 0, "c": 30}) == {"a": Status.SMALL, "b": Status.SMALL, "c": Status.PUBLISHED}


def test_a_relation_of_small_cells_only_cannot_always_be_protected():
    assert protect({"a": 2, "b": 3}) is None


def test_figures_added_up_count_only_published_cells():
    figure = combine([(40, Status.PUBLISHED), (None, Status.SMALL), (25, Status.PUBLISHED)])

    assert (figure.value, figure.hidden, figure.complete, figure.is_published) == (65, 1, False, True)
    assert combine([(None, Status.SMALL)]).chart_value is None

"""Statistical secrecy of one relation, checked against attackers who enumerate every possibility.

The first knows the published cells, the total of the relation (public), that a cell marked "< 11" holds 0 to 10
and that a secret cell holds 11 or more: for every small cell the values still possible must be all of 0 to 10.
The second also knows the code that chose the hidden cells (it is open source) and runs it on every table that
would give the same total: it must never learn a small cell exactly, and at most narrow it by one value.
"""

from collections import defaultdict
from itertools import product

from hypothesis import given, settings
from hypothesis import strategies as st

from cyberaide.observatory.disclosure import Status, combine, is_protected, protect

THRESHOLD = 11


def possible_values(values: dict[str, int], statuses: dict[str, Status], target: str) -> set[int]:
    """Every value the cell ``target`` can hold given what is published and the marks: small cells hold 0 to 10,
    secret ones 11 to the smallest published cell (cells are hidden smallest first), and the hidden cells add up
    to the total minus the published ones. Worked out by listing the sums the other hidden cells can reach."""
    hidden = [key for key, status in statuses.items() if status != Status.PUBLISHED]
    remainder = sum(values[key] for key in hidden)
    ceiling = min((values[key] for key, status in statuses.items() if status == Status.PUBLISHED), default=remainder)

    def values_of(key):
        return range(0, THRESHOLD) if statuses[key] == Status.SMALL else range(THRESHOLD, ceiling + 1)

    reachable = {0}
    for key in hidden:
        if key != target:
            reachable = {
                total + value for total in reachable for value in values_of(key) if total + value <= remainder
            }
    return {value for value in values_of(target) if remainder - value in reachable}


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
    for key, status in statuses.items():
        if status == Status.SMALL:
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


def test_zeros_are_protected_like_any_small_count():
    """Publishing 30 next to two "< 11" would tell they are zeros: "nobody in this commune filed a complaint"."""
    assert protect({"a": 0, "b": 0, "c": 30}) == {"a": Status.SMALL, "b": Status.SMALL, "c": Status.SECRET}


def test_a_relation_of_small_cells_only_cannot_always_be_protected():
    assert protect({"a": 2, "b": 3}) is None


def test_figures_added_up_count_only_published_cells():
    figure = combine([(40, Status.PUBLISHED), (None, Status.SMALL), (25, Status.PUBLISHED)])

    assert (figure.value, figure.hidden, figure.complete, figure.is_published) == (65, 1, False, True)
    assert combine([(None, Status.SMALL)]).chart_value is None


def observations(cells: int, largest: int) -> dict[tuple, list[tuple[int, ...]]]:
    """Every table of ``cells`` cells from 0 to ``largest``, grouped by what its publication shows."""
    keys = "abcd"[:cells]
    seen = defaultdict(list)
    for table in product(range(largest + 1), repeat=cells):
        values = dict(zip(keys, table, strict=True))
        statuses = protect(values)
        if statuses is None:
            shown = ("withheld",)
        else:
            shown = tuple((statuses[key], values[key] if statuses[key] == Status.PUBLISHED else None) for key in keys)
        seen[(shown, sum(table))].append(table)
    return seen


def test_an_attacker_who_knows_the_code_never_learns_a_small_count():
    """All tables of three cells up to 30 and of four cells up to 14: for each publication, the attacker lists
    every table that would have been published the same way (only those whose total is within the enumeration,
    so that none is missing) and reads what each small cell could be."""
    narrowest = THRESHOLD
    for cells, largest in ((3, 30), (4, 14)):
        for (shown, total), tables in observations(cells, largest).items():
            if shown == ("withheld",) or total > largest:
                continue
            for position, (status, _) in enumerate(shown):
                if status == Status.SMALL:
                    possible = {table[position] for table in tables}
                    narrowest = min(narrowest, len(possible))
                    assert len(possible) >= THRESHOLD - 1, (shown, total, position, possible)
    assert narrowest >= THRESHOLD - 1

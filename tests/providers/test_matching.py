"""The ranking of providers, alone (no database)."""

import collections

from hypothesis import given
from hypothesis import strategies as st

from cyberaide.core import communes
from cyberaide.providers import matching
from cyberaide.providers.matching import Candidate

LYON = (45.76, 4.84)


def candidate(pk, km_east=0.0, covers=True, remote=False, ratings=(0, 0), open_requests=0):
    # One degree of longitude is about 78 km at Lyon's latitude.
    return Candidate(
        provider_id=pk,
        lat=LYON[0],
        lon=LYON[1] + km_east / 78.0,
        covers_area=covers,
        remote=remote,
        rating_sum=ratings[0],
        rating_count=ratings[1],
        open_requests=open_requests,
    )


def ranked(candidates, seed="victime", wanted=5):
    matches, widened = matching.rank(candidates, lat=LYON[0], lon=LYON[1], seed=seed, wanted=wanted)
    return [m.provider_id for m in matches], widened


def test_nearer_band_comes_first_whatever_the_rating():
    order, _ = ranked([candidate(1, km_east=80, ratings=(50, 10)), candidate(2, km_east=5)])
    assert order == [2, 1]


def test_within_a_band_better_rated_then_less_busy_come_first():
    order, _ = ranked(
        [
            candidate(1, km_east=3, ratings=(30, 10)),  # 3.0 average
            candidate(2, km_east=4, ratings=(50, 10)),  # 5.0 average
            candidate(3, km_east=5, ratings=(50, 10), open_requests=9),
        ]
    )
    assert order == [2, 3, 1]


def test_one_perfect_rating_does_not_beat_many_good_ones():
    order, _ = ranked([candidate(1, km_east=2, ratings=(5, 1)), candidate(2, km_east=2, ratings=(480, 100))])
    assert order[0] == 2


def test_remote_providers_are_eligible_and_those_outside_their_area_only_widen_the_search():
    matches, widened = matching.rank(
        [candidate(1, km_east=300, covers=False, remote=True), candidate(2, km_east=20, covers=False)],
        lat=LYON[0],
        lon=LYON[1],
        seed="x",
        wanted=5,
    )
    assert [m.provider_id for m in matches] == [1, 2]
    assert widened
    assert matches[0].remote_only and not matches[0].outside_area
    assert matches[1].outside_area


def test_no_widening_when_enough_providers_cover_the_place():
    order, widened = ranked([candidate(pk, km_east=pk) for pk in range(1, 7)] + [candidate(99, covers=False)])
    assert 99 not in order and not widened


def test_equal_providers_take_turns_at_the_top():
    equals = [candidate(pk, km_east=1) for pk in range(1, 6)]
    firsts = collections.Counter(ranked(equals, seed=f"victime-{n}")[0][0] for n in range(1000))
    assert set(firsts) == {1, 2, 3, 4, 5}
    assert max(firsts.values()) < 2 * min(firsts.values())


def test_distance_is_the_great_circle_one():
    assert 385 < communes.distance_km(48.8566, 2.3522, 45.764, 4.8357) < 395  # Paris – Lyon


@given(
    st.lists(
        st.builds(
            candidate,
            pk=st.integers(1, 10_000),
            km_east=st.floats(0, 500),
            covers=st.booleans(),
            remote=st.booleans(),
            open_requests=st.integers(0, 20),
        ),
        max_size=40,
        unique_by=lambda c: c.provider_id,
    ),
    st.text(max_size=10),
)
def test_ranking_properties(candidates, seed):
    matches, widened = matching.rank(candidates, lat=LYON[0], lon=LYON[1], seed=seed, wanted=5)
    eligible = [c for c in candidates if c.covers_area or c.remote]
    ids = [m.provider_id for m in matches]
    assert len(ids) == len(set(ids))
    # Every eligible provider is listed, before any widening entry.
    assert ids[: len(eligible)] == [m.provider_id for m in matches if not m.outside_area]
    assert len(ids) == max(len(eligible), min(5, len(candidates)))
    assert widened == (len(eligible) < 5)
    # Distance bands never go backwards among eligible providers.
    bands = [matching.band(m.distance_km, matching.DISTANCE_BANDS_KM) for m in matches if not m.outside_area]
    assert bands == sorted(bands)

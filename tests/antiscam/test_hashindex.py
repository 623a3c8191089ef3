"""The in-memory browser list: every listed hash is found by its prefix, nothing else is."""

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from cyberaide.antiscam.hashindex import PREFIX_LENGTH, HashIndex, checksum

hashes = st.binary(min_size=32, max_size=32)


@given(st.lists(hashes, max_size=200, unique=True), st.lists(hashes, max_size=20))
def test_lookup_returns_exactly_the_hashes_sharing_a_prefix(listed, asked):
    index = HashIndex((full, number) for number, full in enumerate(listed))
    prefixes = [full[:PREFIX_LENGTH] for full in asked] + [full[:PREFIX_LENGTH] for full in listed[:5]]
    found = index.lookup(prefixes)
    expected = {(full, number) for number, full in enumerate(listed) if full[:PREFIX_LENGTH] in set(prefixes)}
    assert set(found) == expected


@given(st.lists(hashes, max_size=100))
def test_prefixes_are_distinct_sorted_and_cover_the_list(listed):
    index = HashIndex((full, number) for number, full in enumerate(listed))
    prefixes = index.prefixes()
    assert prefixes == sorted(set(prefixes))
    assert set(prefixes) == {full[:PREFIX_LENGTH] for full in listed}
    assert all(index.contains_prefix(prefix) for prefix in prefixes)
    assert not index.contains_prefix(b"\xff\xff\xff\xff") or b"\xff\xff\xff\xff" in prefixes


def test_hashes_sharing_a_prefix_are_all_answered():
    first = bytes.fromhex("a1b2c3d4") + b"\x01" * 28
    second = bytes.fromhex("a1b2c3d4") + b"\x02" * 28
    other = bytes.fromhex("a1b2c3d5") + b"\x01" * 28
    index = HashIndex([(first, 1), (second, 2), (other, 3)])
    assert sorted(index.lookup([bytes.fromhex("a1b2c3d4")])) == [(first, 1), (second, 2)]
    assert index.lookup([bytes.fromhex("00000000")]) == []
    assert len(index) == 3
    assert index.nbytes == 3 * (4 + 32 + 8)


def test_checksum_ignores_order_and_repeats():
    prefixes = [bytes.fromhex("00000001"), bytes.fromhex("ffffffff"), bytes.fromhex("00000001")]
    expected = hashlib.sha256(bytes.fromhex("00000001ffffffff")).hexdigest()
    assert checksum(prefixes) == checksum(list(reversed(prefixes))) == expected

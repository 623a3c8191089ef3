"""The browser list in memory: full SHA-256 hashes sorted by their 4-byte prefix, looked up by prefix.

Pure Python. Two flat arrays (the prefixes as unsigned integers, the full hashes end to end) rather than a dict of
objects: a million entries take about 36 MB and a lookup is a binary search.
"""

import hashlib
import sys
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable

PREFIX_LENGTH = 4
HASH_LENGTH = 32


class HashIndex:
    def __init__(self, entries: Iterable[tuple[bytes, int]]):
        """``entries``: (full hash, listing id) pairs, in any order."""
        ordered = sorted(entries)
        self._prefixes = array("I", (int.from_bytes(full[:PREFIX_LENGTH], "big") for full, _ in ordered))
        self._hashes = b"".join(full for full, _ in ordered)
        self._ids = array("Q", (listing_id for _, listing_id in ordered))

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def nbytes(self) -> int:
        """Memory held by the index's arrays."""
        return self._prefixes.itemsize * len(self._prefixes) + len(self._hashes) + self._ids.itemsize * len(self._ids)

    def lookup(self, prefixes: Iterable[bytes]) -> list[tuple[bytes, int]]:
        """Every (full hash, listing id) whose hash starts with one of ``prefixes`` (each PREFIX_LENGTH bytes)."""
        found = []
        for prefix in prefixes:
            number = int.from_bytes(prefix[:PREFIX_LENGTH], "big")
            start = bisect_left(self._prefixes, number)
            end = bisect_right(self._prefixes, number, lo=start)
            for position in range(start, end):
                found.append(
                    (self._hashes[position * HASH_LENGTH : (position + 1) * HASH_LENGTH], self._ids[position])
                )
        return found

    def contains_prefix(self, prefix: bytes) -> bool:
        number = int.from_bytes(prefix[:PREFIX_LENGTH], "big")
        position = bisect_left(self._prefixes, number)
        return position < len(self._prefixes) and self._prefixes[position] == number

    def prefix_blob(self) -> bytes:
        """The distinct prefixes in order, end to end (4 bytes each, big-endian): what a client downloads."""
        distinct = array("I", sorted(set(self._prefixes)))
        if sys.byteorder == "little":
            distinct.byteswap()
        return distinct.tobytes()

    def prefixes(self) -> list[bytes]:
        blob = self.prefix_blob()
        return [blob[start : start + PREFIX_LENGTH] for start in range(0, len(blob), PREFIX_LENGTH)]


def checksum(prefixes: list[bytes]) -> str:
    """SHA-256 of the sorted distinct prefixes end to end: a client that applied every change holds the same."""
    return blob_checksum(b"".join(sorted(set(prefixes))))


def blob_checksum(blob: bytes) -> str:
    """The same, of prefixes already sorted, distinct and end to end (``HashIndex.prefix_blob``)."""
    return hashlib.sha256(blob).hexdigest()

"""The list browsers and resolvers use: hash prefixes to download, full hashes to confirm a match.

Clients never send an address: they hash the canonical expressions of the page they are about to open, compare the
first 4 bytes with the prefixes they downloaded, and only on a local match ask for the full hashes sharing that
prefix. Each process keeps the list in memory (``HashIndex``) and rebuilds it when the journal's version moves.
"""

import threading
from dataclasses import dataclass

from django.db import connection

from .hashindex import PREFIX_LENGTH, HashIndex, blob_checksum
from .models import WEB_KINDS, FilterChange, Listing

# How long a client may keep an answer before asking again.
MATCH_CACHE_SECONDS = 300
# How often a client should fetch the changes of the list.
UPDATE_INTERVAL_SECONDS = 1800
MAX_PREFIXES_PER_LOOKUP = 30
# An arbitrary key of PostgreSQL's advisory locks, for the journal's writers.
JOURNAL_LOCK = 7_170_001

_lock = threading.Lock()


@dataclass(frozen=True)
class Snapshot:
    """The list at one version, as this process holds it: the index, and the prefixes clients download."""

    stamp: tuple
    index: HashIndex
    prefix_blob: bytes
    checksum: str

    @property
    def version(self) -> int:
        return self.stamp[0]


_snapshot: Snapshot | None = None


def _journal_stamp() -> tuple:
    """The version with the time of its change: a rolled-back change may leave its number to another (SQLite)."""
    return FilterChange.objects.order_by("-pk").values_list("pk", "at").first() or (0, None)


def record_change(full_hash: str, *, added: bool) -> None:
    """Journal a hash entering or leaving the list, called once the listing's new state is saved. Another listing
    may hold the same hash (a site listed by a partner and by staff): the list changes only with the first and the
    last."""
    _serialise_journal()
    holders = Listing.objects.filter(status=Listing.Status.ACTIVE, full_hash=full_hash).count()
    if (added and holders == 1) or (not added and holders == 0):
        FilterChange.objects.create(full_hash=full_hash, added=added)


def _serialise_journal() -> None:
    """One transaction at a time writes the journal, until it commits: versions then follow commit order (a client
    at version N has seen every change up to N), and two listings ending together see each other."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [JOURNAL_LOCK])
    # SQLite lets one transaction write at a time anyway.


def build_index() -> HashIndex:
    """The listings the journal holds as active (one past its expiry stays until ``expire_listings`` journals its
    end, so that the list and its changes agree; ``matches`` never confirms it)."""
    rows = (
        Listing.objects.filter(status=Listing.Status.ACTIVE, indicator__kind__in=WEB_KINDS)
        .exclude(full_hash="")
        .values_list("full_hash", "pk")
        .iterator(chunk_size=20000)
    )
    return HashIndex((bytes.fromhex(full_hash), pk) for full_hash, pk in rows)


def snapshot() -> Snapshot:
    """The list at the current version. When the journal moved, one thread rebuilds it while the others keep
    answering from the previous version (a new listing reaches lookups a moment later; an ended one is filtered out
    at once by ``matches``)."""
    global _snapshot
    stamp = _journal_stamp()
    current = _snapshot
    if current is not None and current.stamp == stamp:
        return current
    if not _lock.acquire(blocking=current is None):
        return current
    try:
        if _snapshot is None or _snapshot.stamp != stamp:
            index = build_index()
            blob = index.prefix_blob()
            _snapshot = Snapshot(stamp, index, blob, blob_checksum(blob))
        return _snapshot
    finally:
        _lock.release()


@dataclass(frozen=True)
class Match:
    full_hash: str
    listing: Listing


def matches(prefixes: list[bytes]) -> list[Match]:
    """The current listings whose hash starts with one of ``prefixes``."""
    found = snapshot().index.lookup(prefixes)
    if not found:
        return []
    listings = Listing.objects.active().in_bulk([listing_id for _, listing_id in found])
    return [Match(full.hex(), listings[pk]) for full, pk in found if pk in listings]


@dataclass(frozen=True)
class ListUpdate:
    version: int
    full: bool
    additions: list[str]
    removals: list[str]
    checksum: str


def list_update(since: int) -> ListUpdate:
    """What a client at version ``since`` must do to hold the list: the whole list when it has none (0) or when its
    version is unknown; otherwise the prefixes added and removed since."""
    current = snapshot()
    version = current.version
    if since <= 0 or since > version:
        blob = current.prefix_blob.hex()
        prefixes = [blob[start : start + 2 * PREFIX_LENGTH] for start in range(0, len(blob), 2 * PREFIX_LENGTH)]
        return ListUpdate(version, True, prefixes, [], current.checksum)
    touched = FilterChange.objects.filter(pk__gt=since, pk__lte=version).values_list("full_hash", flat=True)
    touched_prefixes = {bytes.fromhex(full_hash)[:PREFIX_LENGTH] for full_hash in touched}
    additions = sorted(prefix.hex() for prefix in touched_prefixes if current.index.contains_prefix(prefix))
    removals = sorted(prefix.hex() for prefix in touched_prefixes if not current.index.contains_prefix(prefix))
    return ListUpdate(version, False, additions, removals, current.checksum)

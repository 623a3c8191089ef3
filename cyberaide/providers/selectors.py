"""Reads that need care: the candidates for matching, the public directory and the verification search."""

import math
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from cyberaide.assistance.workflow import OPEN
from cyberaide.core import communes
from cyberaide.core.expertise import Expertise

from . import matching
from .enums import CLIENTELE_OF_AUDIENCE, Clientele, ProviderStatus
from .models import Label, Provider, ServiceArea, mask_of

OPEN_STATUSES = sorted(status.value for status in OPEN)
# At most this many eligible providers, the nearest, are ranked in Python.
CANDIDATES = 200
# The coverage test (a subquery per provider) runs only on this many times CANDIDATES nearest providers: near a
# victim almost everyone covers the place or helps remotely, and testing thousands of rows would cost more.
NEAREST_FACTOR = 4
# Up to this many referenced providers, one query over all of them is faster than searching squares in turn.
SMALL_NETWORK = 20_000
# Half-sides of the squares searched in turn for them (None: everywhere, overseas included).
SEARCH_SQUARES_KM = (30, 120, 400, None)
KM_PER_DEGREE_LAT = 110.57
KM_PER_DEGREE_LON_AT_EQUATOR = 111.32


@dataclass(frozen=True)
class Place:
    name: str
    postcode: str
    departement: str
    lat: float
    lon: float


def place_for(text: str) -> Place | None:
    """The victim's place from what they typed: a postcode, a town, or both ("69003 Lyon")."""
    commune = communes.resolve(text)
    if commune is None:
        return None
    typed = communes.clean_postcode(text.strip()[:6])
    postcode = typed if typed in commune.postcodes else commune.postcodes[0]
    return Place(commune.name, postcode, commune.departement, commune.lat, commune.lon)


@dataclass
class MatchList:
    place: Place
    entries: list[tuple[Provider, matching.Match]] = field(default_factory=list)
    eligible_count: int = 0  # covering the place, or offering remote help
    covering_count: int = 0  # of which covering the place on site
    widened: bool = False


class CandidateQuery:
    """The one query on the hot path of matching, in plain SQL (valid on SQLite and PostgreSQL): the ORM took
    longer to build it than the database took to run it.

    Referenced providers with the clientele bit and one of the skill bits, their planar squared distance to the
    place in km² (good to a few per cent below 300 km), and whether they cover the place: its département is
    in their area, or it lies within their radius. Nearest first. Only the ``NEAREST_FACTOR × limit`` nearest
    are tested for coverage: a provider further away that covers the place is then missed, which can only
    happen where there are already more than enough providers.
    """

    def __init__(self, place: Place, clientele_bit: int, expertise_bits: int, labelled_on=None):
        self.place, self.clientele_bit, self.expertise_bits, self.labelled_on = (
            place,
            clientele_bit,
            expertise_bits,
            labelled_on,
        )

    def rows(self, *, eligible: bool, limit: int, within_km: float | None = None) -> list[dict]:
        """Up to ``limit`` rows, nearest first; with ``within_km``, only inside the square of that half-side
        around the place (an index range scan on latitude instead of a scan of every provider)."""
        from cyberaide.assistance.models import AssistanceRequest

        provider, area, label = Provider._meta.db_table, ServiceArea._meta.db_table, Label._meta.db_table
        requests = AssistanceRequest._meta.db_table
        kx = math.cos(math.radians(self.place.lat)) * KM_PER_DEGREE_LON_AT_EQUATOR
        # Only table names from our models and fixed clauses are formatted in; every value is a parameter.
        label_filter = (
            f"AND EXISTS (SELECT 1 FROM {label} l WHERE l.provider_id = {provider}.id AND l.valid_from <= %(on)s "  # noqa: S608
            "AND l.valid_until >= %(on)s AND l.revoked_at IS NULL)"
            if self.labelled_on
            else ""
        )
        wanted = "covers_area OR remote" if eligible else "NOT (covers_area OR remote)"
        open_statuses = ", ".join(f"%(open{index})s" for index in range(len(OPEN_STATUSES)))
        box = (
            "AND lat BETWEEN %(lat_min)s AND %(lat_max)s AND lon BETWEEN %(lon_min)s AND %(lon_max)s"
            if within_km
            else ""
        )
        sql = f"""
            SELECT c.*,
                (SELECT COUNT(*) FROM {requests} r WHERE r.provider_id = c.id AND r.status IN ({open_statuses}))
                    AS open_requests,
                EXISTS (SELECT 1 FROM {label} l WHERE l.provider_id = c.id AND l.valid_from <= %(today)s
                    AND l.valid_until >= %(today)s AND l.revoked_at IS NULL) AS labelled
            FROM (
            SELECT id, lat, lon, remote, rating_sum, rating_count, covers_area, distance2 FROM (
                SELECT p.*,
                    (EXISTS (SELECT 1 FROM {area} a WHERE a.provider_id = p.id AND a.departement = %(dep)s)
                     OR p.distance2 <= p.radius_km * p.radius_km) AS covers_area
                FROM (
                    SELECT id, lat, lon, remote, rating_sum, rating_count, radius_km,
                        ((lat - %(lat)s) * %(ky)s) * ((lat - %(lat)s) * %(ky)s)
                        + ((lon - %(lon)s) * %(kx)s) * ((lon - %(lon)s) * %(kx)s) AS distance2
                    FROM {provider}
                    WHERE status = %(status)s AND lat IS NOT NULL
                        AND (clientele_mask & %(clientele)s) <> 0 AND (expertise_mask & %(expertise)s) <> 0
                        {label_filter} {box}
                    ORDER BY distance2, id
                    LIMIT %(nearest)s
                ) p
            ) candidates
            WHERE {wanted}
            ORDER BY distance2, id
            LIMIT %(limit)s
            ) c
            ORDER BY c.distance2, c.id
        """  # noqa: S608 (see above: no value is formatted in)
        params = {
            "dep": self.place.departement,
            "lat": self.place.lat,
            "lon": self.place.lon,
            "ky": KM_PER_DEGREE_LAT,
            "kx": kx,
            "status": ProviderStatus.ACCEPTED.value,
            "clientele": self.clientele_bit,
            "expertise": self.expertise_bits,
            "on": self.labelled_on,
            "today": timezone.localdate(),
            **{f"open{index}": status for index, status in enumerate(OPEN_STATUSES)},
            "limit": max(limit, 0),
            "nearest": max(limit, 0) * NEAREST_FACTOR,
        }
        if within_km:
            dlat, dlon = within_km / KM_PER_DEGREE_LAT, within_km / kx
            params.update(
                lat_min=self.place.lat - dlat,
                lat_max=self.place.lat + dlat,
                lon_min=self.place.lon - dlon,
                lon_max=self.place.lon + dlon,
            )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            columns = [column[0] for column in cursor.description]
            rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        for row in rows:  # SQLite answers 0 and 1 where PostgreSQL answers booleans
            row["covers_area"], row["labelled"] = bool(row["covers_area"]), bool(row["labelled"])
        return rows


def referenced_count() -> int:
    """How many providers are referenced, cached for ten minutes (it only chooses a search strategy)."""
    return cache.get_or_set("providers:referenced-count", lambda: Provider.objects.referenced().count(), 600)


def find_matches(
    *,
    audience: str,
    expertise: tuple[str, ...],
    place: Place,
    seed: str,
    labelled_only: bool = False,
    wanted: int = 5,
    shown: int = 10,
) -> MatchList:
    """Referenced providers for this audience and these skills, ranked for this place (see ``matching``)."""
    result = MatchList(place=place)
    clientele_bit = mask_of([CLIENTELE_OF_AUDIENCE[audience]], Clientele)
    expertise_bits = mask_of(expertise, Expertise)
    if not expertise_bits:
        return result
    query = CandidateQuery(
        place, clientele_bit, expertise_bits, labelled_on=timezone.localdate() if labelled_only else None
    )
    # With many providers, look close first: the nearest CANDIDATES are found in a small square.
    squares = SEARCH_SQUARES_KM if referenced_count() > SMALL_NETWORK else (None,)
    for within_km in squares:
        eligible = query.rows(eligible=True, limit=CANDIDATES, within_km=within_km)
        if len(eligible) >= CANDIDATES:
            break
    result.eligible_count = len(eligible)
    result.covering_count = sum(1 for row in eligible if row["covers_area"])
    others = query.rows(eligible=False, limit=wanted - len(eligible)) if len(eligible) < wanted else []
    rows = eligible + others
    candidates = [
        matching.Candidate(
            provider_id=row["id"],
            lat=row["lat"],
            lon=row["lon"],
            covers_area=row["covers_area"],
            remote=row["remote"],
            rating_sum=row["rating_sum"],
            rating_count=row["rating_count"],
            open_requests=row["open_requests"],
        )
        for row in rows
    ]
    matches, result.widened = matching.rank(candidates, lat=place.lat, lon=place.lon, seed=seed, wanted=wanted)
    matches = matches[:shown]
    # Whole rows only for the few providers shown.
    providers = Provider.objects.in_bulk([match.provider_id for match in matches])
    labelled = {row["id"] for row in rows if row["labelled"]}
    for match in matches:
        provider = providers[match.provider_id]
        provider.labelled = match.provider_id in labelled
        result.entries.append((provider, match))
    return result


def directory(query: str = "", departement: str = ""):
    """Referenced providers for the public directory, with their current label."""
    providers = Provider.objects.referenced().with_label().order_by("legal_name")
    if departement:
        providers = providers.filter(departement=departement)
    if query:
        providers = search(providers, query)
    return providers


def search(providers, query: str):
    query = query.strip()
    digits = query.replace(" ", "")
    if digits.isdigit() and len(digits) in (9, 14):
        return providers.filter(siret__startswith=digits)
    return providers.filter(Q(legal_name__icontains=query) | Q(commune_name__icontains=query))


def verify(query: str):
    """Everything that answers to the query (name, SIRET or town), whatever its status, for "Vérifier"."""
    return search(Provider.objects.with_label(), query).exclude(status="draft").order_by("legal_name")[:20]

"""Reads that need care: the candidates for matching, the public directory and the verification search."""

import math
from dataclasses import dataclass, field

from django.db.models import Count, Exists, ExpressionWrapper, F, FloatField, OuterRef, Q
from django.db.models.fields import BooleanField
from django.utils import timezone

from cyberaide.assistance.workflow import OPEN
from cyberaide.core import communes

from . import matching
from .enums import CLIENTELE_OF_AUDIENCE, Clientele, Expertise
from .models import Label, Provider, ServiceArea, mask_of

# At most this many eligible providers, the nearest, are ranked in Python.
CANDIDATES = 200
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
    eligible_count: int = 0
    widened: bool = False


def squared_distance(lat: float, lon: float):
    """Planar approximation of the squared distance in km² (good to a few per cent below 300 km), in SQL."""
    kx = math.cos(math.radians(lat)) * KM_PER_DEGREE_LON_AT_EQUATOR
    dy = (F("lat") - lat) * KM_PER_DEGREE_LAT
    dx = (F("lon") - lon) * kx
    return ExpressionWrapper(dy * dy + dx * dx, output_field=FloatField())


def label_holders(provider_ids, on=None) -> set[int]:
    on = on or timezone.localdate()
    return set(
        Label.objects.filter(
            provider_id__in=provider_ids, valid_from__lte=on, valid_until__gte=on, revoked_at=None
        ).values_list("provider_id", flat=True)
    )


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
    base = (
        Provider.objects.referenced()
        .filter(lat__isnull=False)
        .annotate(
            clientele_hit=F("clientele_mask").bitand(clientele_bit),
            expertise_hit=F("expertise_mask").bitand(expertise_bits),
        )
        .filter(clientele_hit__gt=0, expertise_hit__gt=0)
        .annotate(
            distance2=squared_distance(place.lat, place.lon),
            in_departement=Exists(ServiceArea.objects.filter(provider=OuterRef("pk"), departement=place.departement)),
        )
        .annotate(within_radius=ExpressionWrapper(Q(distance2__lte=F("radius_km") * F("radius_km")), BooleanField()))
    )
    if labelled_only:
        today = timezone.localdate()
        base = base.filter(
            Exists(
                Label.objects.filter(
                    provider=OuterRef("pk"), valid_from__lte=today, valid_until__gte=today, revoked_at=None
                )
            )
        )
    covering = Q(in_departement=True) | Q(within_radius=True)
    eligible = list(base.filter(covering | Q(remote=True)).order_by("distance2", "pk")[:CANDIDATES])
    result.eligible_count = len(eligible)
    others = []
    if len(eligible) < wanted:
        others = list(base.exclude(covering | Q(remote=True)).order_by("distance2", "pk")[: wanted - len(eligible)])
    providers = {provider.pk: provider for provider in eligible + others}
    workload = dict(
        providers_requests_open(providers.keys()).values_list("provider_id").annotate(n=Count("pk")).order_by()
    )
    candidates = [
        matching.Candidate(
            provider_id=provider.pk,
            lat=provider.lat,
            lon=provider.lon,
            covers_area=provider.in_departement or provider.within_radius,
            remote=provider.remote,
            rating_sum=provider.rating_sum,
            rating_count=provider.rating_count,
            open_requests=workload.get(provider.pk, 0),
        )
        for provider in providers.values()
    ]
    matches, result.widened = matching.rank(candidates, lat=place.lat, lon=place.lon, seed=seed, wanted=wanted)
    matches = matches[:shown]
    labelled = label_holders([match.provider_id for match in matches])
    for match in matches:
        provider = providers[match.provider_id]
        provider.labelled = match.provider_id in labelled
        result.entries.append((provider, match))
    return result


def providers_requests_open(provider_ids):
    from cyberaide.assistance.models import AssistanceRequest

    return AssistanceRequest.objects.filter(provider_id__in=list(provider_ids), status__in=[s.value for s in OPEN])


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

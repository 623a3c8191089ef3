from typing import Literal

from django.urls import reverse
from ninja import Field, Query, Router, Schema

from cyberaide.diagnostic.graphs import possible_expertise
from cyberaide.diagnostic.models import IncidentType
from cyberaide.providers import selectors

from .errors import ApiError

router = Router(tags=["Prestataires"])

AudienceCode = Literal["particulier", "entreprise", "association", "collectivite"]
ReferencingStatus = Literal["labellise", "reference", "non_reference"]


class MatchQuery(Schema):
    audience: AudienceCode
    incident: str = Field(description="Code stable du type d'incident (voir `/v1/incidents`).")
    postcode: str = Field(description="Code postal (5 chiffres) ou nom de la commune de la victime.")


class PlaceOut(Schema):
    commune: str
    postcode: str
    departement: str


class ProviderMatchOut(Schema):
    id: int
    name: str
    commune: str
    departement: str
    distance_km: float
    labelled: bool = Field(description="Labellisé ExpertCyber aujourd'hui.")
    covers_area: bool = Field(description="Intervient sur place dans la commune de la victime.")
    remote_only: bool = Field(description="Hors de sa zone, mais propose l'assistance à distance.")
    outside_area: bool = Field(description="Ajouté pour élargir la recherche : hors de sa zone habituelle.")
    rating: float | None
    rating_count: int
    price_statement: str
    profile_url: str


class MatchOut(Schema):
    place: PlaceOut
    eligible_count: int = Field(description="Nombre de prestataires qui couvrent la commune ou aident à distance.")
    widened: bool = Field(description="Vrai si la recherche a été élargie faute d'assez de prestataires.")
    providers: list[ProviderMatchOut]


class VerifyOut(Schema):
    name: str
    siret: str
    commune: str
    status: ReferencingStatus


class ErrorDetail(Schema):
    code: str
    message: str


class ErrorOut(Schema):
    error: ErrorDetail


@router.get(
    "/match",
    response={200: MatchOut, 400: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Les prestataires proposés à une victime",
)
def match(request, query: Query[MatchQuery]):
    """Prestataires référencés pour ce public, ce type d'incident et ce lieu, dans l'ordre où la victime les verrait
    (distance, puis avis, puis charge, avec une rotation équitable entre prestataires équivalents)."""
    if not IncidentType.objects.filter(code=query.incident).exists():
        raise ApiError(404, "unknown_incident", "Ce type d'incident n'existe pas.")
    place = selectors.place_for(query.postcode)
    if place is None:
        raise ApiError(400, "unknown_place", "Ce code postal ou cette commune est inconnu.")
    found = selectors.find_matches(
        audience=query.audience,
        expertise=possible_expertise(query.incident, query.audience),
        place=place,
        seed=request.GET.urlencode(),
    )
    return {
        "place": {"commune": place.name, "postcode": place.postcode, "departement": place.departement},
        "eligible_count": found.eligible_count,
        "widened": found.widened,
        "providers": [
            {
                "id": provider.pk,
                "name": provider.legal_name,
                "commune": provider.commune_name,
                "departement": provider.departement,
                "distance_km": round(m.distance_km, 1),
                "labelled": provider.labelled,
                "covers_area": m.covers_area,
                "remote_only": m.remote_only,
                "outside_area": m.outside_area,
                "rating": round(m.rating, 2) if m.rating is not None else None,
                "rating_count": provider.rating_count,
                "price_statement": provider.price_statement,
                "profile_url": request.build_absolute_uri(reverse("providers:profile", args=[provider.pk])),
            }
            for provider, m in found.entries
        ],
    }


@router.get(
    "/verify", response={200: list[VerifyOut], 400: ErrorOut, 422: ErrorOut}, summary="Vérifier un prestataire"
)
def verify(request, q: str = Query(..., description="Nom, SIRET (ou SIREN) ou ville du prestataire.")):
    """Dit si un prestataire est labellisé ExpertCyber, référencé ou non référencé (refusé, suspendu,
    déréférencé ou en cours d'examen). Une liste vide signifie : personne de ce nom n'est référencé."""
    q = q.strip()[:100]
    if len(q) < 3:
        raise ApiError(400, "query_too_short", "Saisissez au moins 3 caractères : un nom, un SIRET ou une ville.")
    return [
        {
            "name": provider.legal_name,
            "siret": provider.siret,
            "commune": provider.commune_name,
            "status": "non_reference"
            if not provider.is_referenced
            else "labellise"
            if provider.labelled
            else "reference",
        }
        for provider in selectors.verify(q)
    ]

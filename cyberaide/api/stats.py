"""The observatory's open data through the API: the same published cells as the CSV and JSON files."""

from datetime import datetime
from typing import Literal

from django.urls import reverse
from ninja import Field, Query, Router, Schema

from cyberaide.observatory import opendata
from cyberaide.observatory.forms import DownloadForm
from cyberaide.observatory.models import PublishedMonth

from .errors import ApiError
from .providers import ErrorOut

router = Router(tags=["Observatoire (données ouvertes)"])

AudienceOrAll = Literal["particulier", "entreprise", "association", "collectivite", "tous"]
Dimension = Literal[tuple(opendata.DIMENSIONS)]  # type: ignore[valid-type]
Diffusion = Literal["publie", "moins_de_11", "secret"]


class CellsQuery(Schema):
    debut: str | None = Field(None, description="Premier mois, AAAA-MM (inclus).")
    fin: str | None = Field(None, description="Dernier mois, AAAA-MM (inclus).")
    public: str | None = Field(None, description="particulier, entreprise, association, collectivite ou tous.")
    dimension: Dimension | None = Field(None, description="Ne donner que cette dimension.")


class LicenceOut(Schema):
    name: str
    title: str
    path: str


class CellOut(Schema):
    mois: str = Field(description="AAAA-MM, heure de Paris.")
    public: AudienceOrAll
    dimension: Dimension
    code: str
    libelle: str
    valeur: int | None = Field(description="Vide quand la case n'est pas diffusée.")
    diffusion: Diffusion


class CellsOut(Schema):
    licence: LicenceOut
    schema_url: str = Field(description="Le schéma des données (Table Schema).")
    donnees: list[CellOut]


class MonthOut(Schema):
    mois: str
    publie_le: datetime
    seuil: int = Field(description="Seuil de diffusion appliqué : une case de moins de ce nombre n'est pas publiée.")


@router.get("/months", response=list[MonthOut], summary="Les mois publiés")
def months(request):
    """Les mois publiés par l'observatoire, du plus ancien au plus récent. Un mois publié n'est plus modifié."""
    return [
        {"mois": f"{month.month:%Y-%m}", "publie_le": month.published_at, "seuil": month.threshold}
        for month in PublishedMonth.objects.order_by("month")
    ]


@router.get("/cells", response={200: CellsOut, 400: ErrorOut, 422: ErrorOut}, summary="Les chiffres publiés")
def cells(request, query: Query[CellsQuery]):
    """Les cases publiées de l'observatoire (licence Etalab 2.0), filtrées par période, public et dimension.

    Les cases de moins de 11 parcours n'ont pas de valeur (`diffusion` = `moins_de_11`), d'autres sont masquées
    (`secret`) pour qu'aucune petite case ne puisse être retrouvée par soustraction."""
    form = DownloadForm({"debut": query.debut or "", "fin": query.fin or "", "public": query.public or ""})
    if not form.is_valid():
        raise ApiError(400, "invalid_filter", form.first_error())
    rows = opendata.rows(**form.filters(), dimension=query.dimension)
    return {
        "licence": opendata.LICENCE,
        "schema_url": request.build_absolute_uri(reverse("observatory:schema")),
        "donnees": list(rows),
    }

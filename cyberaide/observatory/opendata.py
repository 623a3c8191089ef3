"""The observatory's open data: every published cell, in CSV and JSON, described by a Table Schema.

Published under the Licence Ouverte / Open Licence 2.0 (Etalab). The same rows, filtered, answer
``GET /api/v1/stats/cells``.
"""

import csv
import io
import json
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.db.models import Max

from cyberaide.assistance.models import InterventionReport
from cyberaide.core.audiences import Audience
from cyberaide.core.geography import DEPARTEMENTS, REGIONS
from cyberaide.diagnostic.models import Channel, IncidentType

from .disclosure import Status
from .models import NOT_FOUND, PublishedCell, PublishedMonth
from .publication import ALL, ALL_DIMENSIONS, AUDIENCE_DIMENSIONS, FOLLOW_UPS, UNKNOWN

LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence version 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}
DIMENSIONS = {
    "total": "parcours de diagnostic terminés (code vide) ; pour « tous », tous publics confondus",
    "incident": "type d'incident identifié (code stable du diagnostic ; « non-trouve » : situation non trouvée)",
    "situation-grave": "le diagnostic a jugé la situation grave : argent perdu dans une escroquerie, chantage ou "
    "menaces, danger, mineur visé, activité arrêtée… (oui / non) ; avant le diagnostic de la situation "
    "(décembre 2026), selon le seul type d'incident",
    "suite-prestataire": "le parcours a mené à une demande à un prestataire référencé (oui / non)",
    "suite-17cyber": "le parcours a mené à une discussion 17Cyber (oui / non)",
    "suite-plainte": "la discussion 17Cyber s'est conclue par une plainte ou un rendez-vous (oui / non)",
    "interventions": "rapports d'intervention déposés par les prestataires (code vide)",
    "intervention-issue": "issue de l'intervention selon le prestataire",
    "region": "région de la victime (code officiel géographique ; « inconnu » : non indiquée), tous publics",
    "departement": "département de la victime (code officiel géographique), tous publics",
    "canal": "point d'entrée du parcours (site, partenaire, api), tous publics",
}
assert set(DIMENSIONS) == {*AUDIENCE_DIMENSIONS, *ALL_DIMENSIONS}

FIELDS = ["mois", "public", "dimension", "code", "libelle", "valeur", "diffusion"]
THRESHOLD = settings.OBSERVATORY_THRESHOLD
SCHEMA = {
    "name": "cyberaide-observatoire-parcours",
    "title": "Parcours des victimes de cybermalveillance, par mois",
    "description": (
        "Nombre de parcours de diagnostic terminés sur Cyberaide, par mois, public et dimension. Chaque ligne est "
        f"une case : les cases de moins de {THRESHOLD} parcours, zéro compris, ne donnent pas leur valeur "
        "(diffusion « moins_de_11 ») et d'autres cases sont masquées (« secret ») pour qu'aucune petite case ne "
        "puisse être retrouvée par soustraction ; les cases d'un total masqué ne sont pas publiées. Un mois publié "
        "n'est plus modifié."
    ),
    "licenses": [LICENCE],
    "fields": [
        {
            "name": "mois",
            "type": "yearmonth",
            "description": "Mois des parcours (heure de Paris), AAAA-MM.",
            "constraints": {"required": True},
        },
        {
            "name": "public",
            "type": "string",
            "description": "Public de la victime ; « tous » pour les dimensions publiées tous publics confondus.",
            "constraints": {"required": True, "enum": [*Audience.values, ALL]},
        },
        {
            "name": "dimension",
            "type": "string",
            "description": "Ce que la ligne décompose : "
            + " ; ".join(f"« {name} » : {text}" for name, text in DIMENSIONS.items())
            + ".",
            "constraints": {"required": True, "enum": list(DIMENSIONS)},
        },
        {"name": "code", "type": "string", "description": "Valeur de la dimension (vide pour un total)."},
        {"name": "libelle", "type": "string", "description": "Libellé en français de la valeur."},
        {
            "name": "valeur",
            "type": "integer",
            "description": "Nombre de parcours (ou de rapports) ; vide quand la case n'est pas diffusée.",
            "constraints": {"minimum": THRESHOLD},
        },
        {
            "name": "diffusion",
            "type": "string",
            "description": f"publie ; moins_de_11 (moins de {THRESHOLD}, seuil de diffusion, valeur non diffusée) ; "
            f"secret (au moins {THRESHOLD}, masquée pour protéger une petite case).",
            "constraints": {"required": True, "enum": [status.value for status in Status]},
        },
    ],
    "missingValues": [""],
    "primaryKey": ["mois", "public", "dimension", "code"],
}


def labels() -> dict[tuple[str, str], str]:
    """French labels of every (dimension, code)."""
    table: dict[tuple[str, str], str] = {("total", ""): "Parcours terminés", ("interventions", ""): "Interventions"}
    for code, name in IncidentType.objects.values_list("code", "name"):
        table[("incident", code)] = name
    table[("incident", NOT_FOUND)] = "Situation non trouvée"
    for dimension in FOLLOW_UPS:
        table[(dimension, "oui")] = "Oui"
        table[(dimension, "non")] = "Non"
    for code, label in InterventionReport.Outcome.choices:
        table[("intervention-issue", code)] = label
    for code, (name, _) in REGIONS.items():
        table[("region", code)] = name
    table[("region", UNKNOWN)] = "Non indiquée"
    for code, name in DEPARTEMENTS.items():
        table[("departement", code)] = name
    for code, label in Channel.choices:
        table[("canal", code)] = label
    return table


def rows(
    *, start: date | None = None, end: date | None = None, audience: str | None = None, dimension: str | None = None
) -> Iterable[dict]:
    cells = PublishedCell.objects.order_by("month__month", "audience", "dimension", "code")
    if start:
        cells = cells.filter(month__month__gte=start)
    if end:
        cells = cells.filter(month__month__lte=end)
    if audience:
        cells = cells.filter(audience=audience)
    if dimension:
        cells = cells.filter(dimension=dimension)
    names = labels()
    for month, cell_audience, cell_dimension, code, value, status in cells.values_list(
        "month__month", "audience", "dimension", "code", "value", "status"
    ).iterator(chunk_size=5000):
        yield {
            "mois": f"{month:%Y-%m}",
            "public": cell_audience,
            "dimension": cell_dimension,
            "code": code,
            "libelle": names.get((cell_dimension, code), code),
            "valeur": value,
            "diffusion": status,
        }


def csv_text(**filters) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in rows(**filters):
        writer.writerow({**row, "valeur": "" if row["valeur"] is None else row["valeur"]})
    return buffer.getvalue()


def json_document(**filters) -> dict:
    last = PublishedMonth.objects.aggregate(at=Max("published_at"))["at"]
    return {
        "titre": SCHEMA["title"],
        "producteur": "Cyberaide",
        "licence": LICENCE,
        "schema": SCHEMA,
        "mis_a_jour_le": last.isoformat() if last else None,
        "donnees": list(rows(**filters)),
    }


def json_text(**filters) -> str:
    return json.dumps(json_document(**filters), ensure_ascii=False)

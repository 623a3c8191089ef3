"""The anti-scam list for browsers and resolvers, by hash prefixes: no client ever sends an address.

1. ``GET /api/v1/filter/list`` gives the 4-byte prefixes of the SHA-256 hashes of the listed expressions (the whole
   list, or the changes since the client's version).
2. The client canonicalises the address it is about to open, hashes each of its expressions (host suffixes × path
   prefixes) and compares the first 4 bytes with its local prefixes.
3. Only on a local match it asks ``GET /api/v1/filter/matches?prefix=…`` for the full hashes sharing that prefix, and
   warns when one equals a full hash it computed. The server learns a prefix shared by many addresses, never the
   address.
"""

import re
from datetime import datetime

from django.conf import settings
from django.http import HttpResponse
from ninja import Field, Query, Router, Schema

from cyberaide.antiscam import filterlist
from cyberaide.core.ratelimit import is_rate_limited

from .errors import ApiError
from .providers import ErrorOut

router = Router(tags=["Filtre anti-arnaque"])

PREFIX_PATTERN = re.compile(r"^[0-9a-f]{8}$")


def _public(response: HttpResponse, *, max_age: int) -> None:
    # Anyone may read the list, from any origin (an extension, a resolver); no cookie is used.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = f"public, max-age={max_age}"


class ListQuery(Schema):
    since: int = Field(0, ge=0, description="La version que le client détient ; 0 (ou rien) pour toute la liste.")


class ListOut(Schema):
    version: int = Field(description="La version de la liste après application de cette réponse.")
    full: bool = Field(description="Vrai : la liste entière, qui remplace celle du client. Faux : des changements.")
    additions: list[str] = Field(description="Préfixes à ajouter : 4 octets en hexadécimal (8 caractères).")
    removals: list[str] = Field(description="Préfixes à retirer (toujours vide quand « full » est vrai).")
    checksum: str = Field(
        description="SHA-256 (hexadécimal) des préfixes distincts triés, mis bout à bout en octets, que le client "
        "doit obtenir ; s'il diffère, le client redemande toute la liste (since=0)."
    )
    minimum_wait_seconds: int = Field(description="Délai avant de redemander les changements.")


class MatchOut(Schema):
    hash: str = Field(description="Le hash SHA-256 complet (hexadécimal) d'une expression inscrite.")
    category: str = Field(description="Code stable de la catégorie d'arnaque.")
    category_label: str = Field(description="La catégorie, en français.")
    reason: str = Field(description="La raison de l'inscription, en français, à montrer à l'utilisateur.")
    listed_at: datetime
    expires_at: datetime


class MatchesOut(Schema):
    matches: list[MatchOut]
    cache_seconds: int = Field(description="Durée pendant laquelle le client peut garder cette réponse.")


@router.get("/list", response={200: ListOut, 422: ErrorOut}, summary="La liste des préfixes, ou ses changements")
def prefix_list(request, response: HttpResponse, query: Query[ListQuery]):
    """Les préfixes de 4 octets des hash des adresses inscrites. Avec `since`, seulement les changements depuis
    cette version ; une version inconnue du serveur donne la liste entière."""
    update = filterlist.list_update(query.since)
    _public(response, max_age=60)
    return {
        "version": update.version,
        "full": update.full,
        "additions": update.additions,
        "removals": update.removals,
        "checksum": update.checksum,
        "minimum_wait_seconds": filterlist.UPDATE_INTERVAL_SECONDS,
    }


@router.get(
    "/matches",
    response={200: MatchesOut, 400: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Les hash complets qui commencent par des préfixes",
)
def matches(request, response: HttpResponse, prefix: Query[list[str] | None] = None):
    """Pour chaque préfixe demandé (paramètre `prefix` répété, 30 au plus), les hash complets inscrits qui
    commencent par lui, avec la raison de l'inscription. Le client compare lui-même avec les hash qu'il a calculés."""
    if not prefix:
        raise ApiError(400, "missing_prefix", "Indiquez au moins un préfixe (paramètre « prefix »).")
    if len(prefix) > filterlist.MAX_PREFIXES_PER_LOOKUP:
        raise ApiError(400, "too_many_prefixes", "30 préfixes au plus par requête.")
    cleaned = [value.lower() for value in prefix]
    if not all(PREFIX_PATTERN.match(value) for value in cleaned):
        raise ApiError(400, "invalid_prefix", "Un préfixe s'écrit avec 8 caractères hexadécimaux (4 octets).")
    if is_rate_limited(request, "antiscam-lookup", settings.RATELIMIT_ANTISCAM_LOOKUP):
        raise ApiError(429, "rate_limited", "Trop de requêtes : réessayez dans une minute.")
    found = filterlist.matches([bytes.fromhex(value) for value in dict.fromkeys(cleaned)])
    _public(response, max_age=filterlist.MATCH_CACHE_SECONDS)
    return {
        "matches": [
            {
                "hash": match.full_hash,
                "category": match.listing.category,
                "category_label": match.listing.get_category_display(),
                "reason": match.listing.reason,
                "listed_at": match.listing.listed_at,
                "expires_at": match.listing.expires_at,
            }
            for match in found
        ],
        "cache_seconds": filterlist.MATCH_CACHE_SECONDS,
    }

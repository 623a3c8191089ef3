"""The web origins a partner may embed the module from. Pure Python.

An origin is a scheme, a host and a port, nothing else ("https://www.mairie-exemple.fr"). Partners' sites must
use HTTPS; plain HTTP is accepted for the local machine only (development and the demonstration page).
"""

import re
from urllib.parse import urlsplit

MAX_ORIGINS = 5
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
LOCAL_HOSTS = {"localhost", "127.0.0.1"}


class OriginError(ValueError):
    pass


def normalise_origin(text: str) -> str:
    """``https://Www.Mairie-Exemple.fr/`` → ``https://www.mairie-exemple.fr``; refuses anything else."""
    text = text.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise OriginError(f"« {text} » n'est pas une adresse de site valide.") from None
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("https", "http") or not host or parts.username or parts.password:
        raise OriginError(f"« {text} » doit être de la forme https://www.exemple.fr.")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise OriginError(f"« {text} » : indiquez seulement le site (https://www.exemple.fr), sans page ni paramètre.")
    try:
        # An accented name (mairie-cœur.fr) is written as browsers send it (xn--…): HTTP headers are ASCII.
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise OriginError(f"« {text} » : le nom du site n'est pas valide.") from None
    if "*" in host or not _HOST.match(host):
        raise OriginError(f"« {text} » : le nom du site n'est pas valide (les jokers * sont refusés).")
    if parts.scheme == "http" and host not in LOCAL_HOSTS:
        raise OriginError(f"« {text} » : le site doit utiliser HTTPS.")
    default_port = {"https": 443, "http": 80}[parts.scheme]
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default_port else "")


def parse_origins(text: str) -> list[str]:
    """One origin per line (or separated by spaces or commas), normalised, without duplicates."""
    origins = []
    for item in re.split(r"[\s,]+", text or ""):
        if item:
            origin = normalise_origin(item)
            if origin not in origins:
                origins.append(origin)
    if not origins:
        raise OriginError("Indiquez au moins l'adresse du site qui affichera le module.")
    if len(origins) > MAX_ORIGINS:
        raise OriginError(f"Indiquez au plus {MAX_ORIGINS} sites.")
    return origins

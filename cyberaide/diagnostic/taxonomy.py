"""The incident taxonomy and the official services, shipped as YAML and loaded into the database."""

from pathlib import Path

import yaml
from django.db import transaction

from .models import IncidentType, OfficialService

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_yaml(name: str):
    return yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8"))


def shipped_incident_audiences() -> dict[str, list[str]]:
    """Each incident type of the shipped taxonomy and the audiences it concerns (staff edits not included)."""
    return {entry["code"]: entry["audiences"] for entry in read_yaml("incidents.yaml")}


@transaction.atomic
def load_taxonomy(*, update_existing: bool = False) -> tuple[int, int]:
    """Create the official services and incident types of the data files that are missing.

    Entries already in the database are left as staff edited them, unless ``update_existing`` is set.
    """
    write = OfficialService.objects.update_or_create if update_existing else OfficialService.objects.get_or_create
    services = read_yaml("official_services.yaml")
    for entry in services:
        write(
            code=entry["code"],
            defaults={
                **{k: entry.get(k) or "" for k in ("name", "description", "url", "phone", "hours")},
                "audiences": entry.get("audiences") or [],
            },
        )
    incidents = read_yaml("incidents.yaml")
    write = IncidentType.objects.update_or_create if update_existing else IncidentType.objects.get_or_create
    for entry in incidents:
        write(code=entry["code"], defaults={"name": entry["name"], "audiences": entry["audiences"]})
    return len(services), len(incidents)

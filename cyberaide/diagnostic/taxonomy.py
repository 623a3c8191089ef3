"""The incident taxonomy and the official services, shipped as YAML and loaded into the database."""

from pathlib import Path

import yaml
from django.db import transaction

from .models import IncidentService, IncidentType, OfficialService

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_yaml(name: str):
    return yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8"))


@transaction.atomic
def load_taxonomy(*, update_existing: bool = False) -> tuple[int, int]:
    """Create the official services and incident types of the data files that are missing.

    Entries already in the database are left as staff edited them, unless ``update_existing`` is set.
    """
    write = OfficialService.objects.update_or_create if update_existing else OfficialService.objects.get_or_create
    services = {}
    for entry in read_yaml("official_services.yaml"):
        service, _ = write(
            code=entry["code"],
            defaults={k: entry.get(k) or "" for k in ("name", "description", "url", "phone", "hours")},
        )
        services[service.code] = service
    incidents = read_yaml("incidents.yaml")
    write = IncidentType.objects.update_or_create if update_existing else IncidentType.objects.get_or_create
    for entry in incidents:
        incident, created = write(
            code=entry["code"],
            defaults={
                "name": entry["name"],
                "summary": entry["summary"],
                "audiences": entry["audiences"],
                "severity": entry["severity"],
                "actions": entry["actions"],
                "evidence": entry["evidence"],
                "complaint": entry["complaint"],
                "complaint_how": entry.get("complaint_how", ""),
                "chat_offered": bool(entry.get("chat_offered", False)),
            },
        )
        if not (created or update_existing):
            continue
        incident.service_links.all().delete()
        IncidentService.objects.bulk_create(
            IncidentService(incident=incident, service=services[code], position=position)
            for position, code in enumerate(entry.get("services", []))
        )
    return len(services), len(incidents)

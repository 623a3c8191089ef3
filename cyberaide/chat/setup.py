"""The canned answers, shipped as YAML (``data/canned_answers.yaml``) and loaded into the database."""

from pathlib import Path

import yaml
from django.db import transaction

from .models import CannedAnswer

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_yaml(name: str):
    return yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8"))


@transaction.atomic
def load_canned_answers() -> int:
    """Create the canned answers that are missing; those already there stay as staff edited them."""
    created = 0
    for position, entry in enumerate(read_yaml("canned_answers.yaml")):
        _, was_created = CannedAnswer.objects.get_or_create(
            code=entry["code"],
            defaults={
                "title": entry["title"],
                "body": " ".join(entry["body"].split()),
                "forces": entry.get("forces", []),
                "incidents": entry.get("incidents", []),
                "position": position,
            },
        )
        created += was_created
    return created

"""The charter providers sign, versioned: a new text is a new version, never an edit of an accepted one."""

from pathlib import Path

import yaml

from .models import CharterVersion

DATA = Path(__file__).resolve().parent / "data" / "charter.yaml"


def load_charter(path: Path = DATA) -> CharterVersion:
    """Create the charter version described by the file, unless that version already exists."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    charter, _ = CharterVersion.objects.get_or_create(
        version=str(data["version"]),
        defaults={"title": data["title"], "summary": data.get("summary", ""), "sections": data["sections"]},
    )
    return charter

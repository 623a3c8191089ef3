"""The documentation space for referenced providers, kept as data in ``data/documentation.yaml``."""

from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "data" / "documentation.yaml"


@cache
def pages() -> list[dict]:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def page(slug: str) -> dict | None:
    return next((entry for entry in pages() if entry["slug"] == slug), None)

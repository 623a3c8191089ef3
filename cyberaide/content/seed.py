"""The content written by the Cyberaide team (data/*.yaml), loaded as published pages. Idempotent by slug.

The printable documents of the guide and of the kit are drawn as PDF from the same files.
"""

from datetime import timedelta
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

import yaml
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape as html_escape
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
from wagtail.documents import get_document_model

from cyberaide.diagnostic.models import IncidentType

from .models import (
    AlertIndexPage,
    AlertPage,
    Audience,
    CampaignPage,
    ContentPage,
    GuidePage,
    KitItem,
    KitPage,
    MemoPage,
    PracticalSheetPage,
    ReflexSheetPage,
    Theme,
    ThreatArticlePage,
    VideoPage,
)
from .setup import section, set_up_content

DATA_DIR = Path(__file__).parent / "data"
PAGE_FILES = ["reflex_sheets_1.yaml", "reflex_sheets_2.yaml", "reflex_sheets_3.yaml", "library.yaml"]

# Page type in the files -> (model, section slug).
PAGE_TYPES = {
    "reflex": (ReflexSheetPage, "fiches-reflexes"),
    "practical": (PracticalSheetPage, "fiches-pratiques"),
    "article": (ThreatArticlePage, "menaces"),
    "memo": (MemoPage, "ressources"),
    "video": (VideoPage, "ressources"),
    "guide": (GuidePage, "ressources"),
    "campaign": (CampaignPage, "campagnes"),
    "alert": (AlertPage, None),
}


def read_pages() -> list[dict]:
    pages = []
    for name in PAGE_FILES:
        path = DATA_DIR / name
        if path.exists():
            pages.extend(yaml.safe_load(path.read_text(encoding="utf-8")) or [])
    return pages


def body_blocks(entries: list[dict]) -> list[dict]:
    """The files' simple blocks as StreamField data."""
    blocks = []
    for entry in entries:
        ((kind, value),) = entry.items()
        if kind == "paragraph":
            blocks.append({"type": "paragraph", "value": f"<p>{html_escape(value)}</p>"})
        elif kind == "list":
            items = "".join(f"<li>{html_escape(item)}</li>" for item in value)
            blocks.append({"type": "paragraph", "value": f"<ul>{items}</ul>"})
        elif kind in ("heading", "warning", "steps", "callout"):
            blocks.append({"type": kind, "value": value})
        else:
            raise ValueError(f"Unknown block type {kind!r}")
    return blocks


def pdf_bytes(title: str, sections: list[dict], licence: str = "") -> bytes:
    styles = getSampleStyleSheet()
    story = [Paragraph(escape(title), styles["Title"]), Spacer(1, 12)]
    for part in sections:
        story.append(Paragraph(escape(part["heading"]), styles["Heading2"]))
        story.append(Paragraph(escape(part["text"]), styles["BodyText"]))
    story += [
        Spacer(1, 18),
        Paragraph(escape(licence or "Cyberaide — Licence Ouverte Etalab 2.0."), styles["Italic"]),
    ]
    buffer = BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=title, author="Cyberaide", lang="fr").build(story)
    return buffer.getvalue()


def _document(title: str, filename: str, content: bytes):
    Document = get_document_model()
    existing = Document.objects.filter(title=title).first()
    if existing is not None:
        return existing
    document = Document(title=title)
    document.file.save(filename, ContentFile(content), save=False)
    document.save()
    return document


def _fields(entry: dict, model) -> dict:
    fields = {
        "title": entry["title"],
        "slug": entry["slug"],
        "intro": entry["intro"],
        "body": body_blocks(entry["body"]),
    }
    now = timezone.now()
    if model is MemoPage:
        fields["text_alternative"] = entry["alt_text"]
    elif model is VideoPage:
        fields["transcript"] = entry["transcript"]
    elif model is GuidePage:
        fields["document"] = _document(
            entry["title"], f"{entry['slug']}.pdf", pdf_bytes(entry["title"], entry["pdf_sections"])
        )
    elif model is CampaignPage:
        year = now.year if now.month <= 10 else now.year + 1
        fields["starts_on"] = now.date().replace(year=year, month=10, day=1)
        fields["ends_on"] = now.date().replace(year=year, month=10, day=31)
    elif model is AlertPage:
        fields["severity"] = entry["severity"]
        fields["banner"] = entry["banner"]
        fields["starts_at"] = now - timedelta(days=2)
        fields["ends_at"] = now + timedelta(days=28)
        codes = entry.get("incidents") or []
        fields["incident_type"] = IncidentType.objects.filter(code__in=codes[:1]).first()
    return fields


def create_page(entry: dict) -> ContentPage | None:
    model, section_slug = PAGE_TYPES[entry["type"]]
    if ContentPage.objects.filter(slug=entry["slug"]).exists():
        return None
    parent = AlertIndexPage.objects.get() if section_slug is None else section(section_slug)
    page = model(**_fields(entry, model))
    page.audiences = list(Audience.objects.filter(code__in=entry["audiences"]))
    page.themes = list(Theme.objects.filter(code__in=entry.get("themes", [])))
    page.incident_types = list(IncidentType.objects.filter(code__in=entry.get("incidents", [])))
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def load_kit() -> int:
    path = DATA_DIR / "kit.yaml"
    kit = KitPage.objects.get()
    if kit.items.exists() or not path.exists():
        return 0
    for position, entry in enumerate(yaml.safe_load(path.read_text(encoding="utf-8"))):
        document = _document(
            f"Kit — {entry['title']}",
            f"kit-{entry['slug']}.pdf",
            pdf_bytes(entry["title"], entry["sections"], kit.licence),
        )
        KitItem.objects.create(
            page=kit, sort_order=position, title=entry["title"], description=entry["description"], document=document
        )
    kit.save_revision().publish()
    return kit.items.count()


@transaction.atomic
def load_content() -> int:
    """Create the skeleton, the editorial roles, every page of the files not yet there, and the kit."""
    set_up_content()
    created = sum(1 for entry in read_pages() if create_page(entry) is not None)
    load_kit()
    return created


def refresh_demo_alerts(now=None) -> int:
    """Keep the demonstration's alerts current (for `make run` only): an ended one starts again for four weeks."""
    now = now or timezone.now()
    slugs = [entry["slug"] for entry in read_pages() if entry["type"] == "alert"]
    refreshed = 0
    for alert in AlertPage.objects.filter(slug__in=slugs, ends_at__lt=now + timedelta(days=1)):
        alert.starts_at = now - timedelta(days=2)
        alert.ends_at = now + timedelta(days=28)
        alert.save_revision().publish()
        refreshed += 1
    return refreshed

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model

from cyberaide.content.models import AlertIndexPage, Audience, KitItem, KitPage
from cyberaide.content.setup import section, set_up_content
from cyberaide.diagnostic.models import IncidentType


@pytest.fixture
def content_tree(taxonomy):
    set_up_content()


@pytest.fixture
def document(db):
    def make(title="Guide", name="guide.pdf", content=b"%PDF-1.4 test"):
        Document = get_document_model()
        doc = Document(title=title)
        doc.file.save(name, ContentFile(content), save=False)
        doc.save()
        return doc

    return make


def publish(parent, page, audiences=("particuliers",), incidents=()):
    page.audiences = list(Audience.objects.filter(code__in=audiences))
    page.incident_types = list(IncidentType.objects.filter(code__in=incidents))
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def body(text="Premier paragraphe du contenu."):
    return [
        {"type": "heading", "value": "Ce qu'il faut faire"},
        {"type": "paragraph", "value": f"<p>{text}</p>"},
        {"type": "steps", "value": ["Ne répondez pas.", "Conservez le message."]},
        {"type": "callout", "value": {"title": "À retenir", "text": "Ne donnez jamais vos codes."}},
        {"type": "warning", "value": "En cas de danger immédiat, appelez le 17 ou le 112."},
    ]


@pytest.fixture
def make_alert(content_tree):
    from cyberaide.content.models import AlertPage

    def make(title="Vague de faux SMS de péage", starts_in=timedelta(hours=-1), ends_in=timedelta(days=3), **extra):
        now = timezone.now()
        page = AlertPage(
            title=title,
            intro="Des SMS réclament un péage impayé : c'est une arnaque.",
            banner="Ne payez pas le péage réclamé par SMS : c'est une arnaque.",
            severity=extra.pop("severity", "warning"),
            starts_at=now + starts_in,
            ends_at=now + ends_in,
            body=body(),
            **extra,
        )
        return publish(AlertIndexPage.objects.get(), page)

    return make


@pytest.fixture
def kit_page(content_tree, document):
    kit = KitPage.objects.get()
    for position, title in enumerate(["Affiche mots de passe", "Fiche hameçonnage"]):
        KitItem.objects.create(
            page=kit,
            sort_order=position,
            title=title,
            description="À imprimer.",
            document=document(title, f"kit-{position}.pdf", f"%PDF-1.4 {title}".encode()),
        )
    return kit


__all__ = ["body", "publish", "section"]

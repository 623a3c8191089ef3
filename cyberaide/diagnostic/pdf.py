"""The result as a PDF the victim can print or bring to a police station or gendarmerie brigade."""

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import date_format
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer

from .composition import ResultView


def _items(lines, style, bullet="bullet"):
    return ListFlowable([ListItem(Paragraph(escape(line), style)) for line in lines], bulletType=bullet, leftIndent=14)


def _service_line(service) -> str:
    phone = service.phone if service.phone and service.phone not in service.name else ""
    return " – ".join(part for part in (service.name, phone, service.url) if part)


def result_pdf(view: ResultView, link: str) -> bytes:
    styles = getSampleStyleSheet()
    body, h1, h2 = styles["BodyText"], styles["Title"], styles["Heading2"]
    result, incident = view.result, view.incident
    created = date_format(timezone.localtime(result.created_at), "j F Y à H\\hi")
    story = [
        Paragraph("Cyberaide – résumé de votre diagnostic", h1),
        Paragraph(escape(f"Diagnostic établi le {created}. Public : {view.audience_label}."), body),
        Spacer(1, 0.3 * cm),
        Paragraph("Ce qui s'est passé", h2),
    ]
    if incident:
        story += [
            Paragraph(escape(f"Vous semblez être victime de : {incident.name}."), body),
            Paragraph(escape(view.summary), body),
            Paragraph(escape(f"Gravité : {view.severity_label}. {view.severity_advice}"), body),
        ]
        if view.reasons:
            story.append(_items(view.reasons, body))
    else:
        story.append(Paragraph("Votre situation ne correspond à aucune des réponses proposées.", body))
        if result.description:
            story.append(Paragraph(escape(f"Votre description : {result.description}"), body))
    story += [Paragraph("Vos réponses", h2)]
    story.append(_items([f"{line['question']} — {line['answer']}" for line in result.answers], body))
    story += [Paragraph("Que faire maintenant", h2), _items(view.actions, body, bullet="1")]
    if incident:
        story += [Paragraph("Preuves à conserver", h2), _items(view.evidence, body)]
        story += [
            Paragraph("Porter plainte", h2),
            Paragraph(escape(view.complaint_label + ". " + view.complaint_how), body),
        ]
    story.append(Paragraph("Services officiels", h2))
    story.append(_items([_service_line(service) for service in view.services], body))
    story += [Spacer(1, 0.5 * cm), Paragraph(escape(f"Retrouvez ce résultat en ligne : {link}"), body)]
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title="Résumé de votre diagnostic",
        author="Cyberaide",
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
    )
    document.build(story)
    return buffer.getvalue()

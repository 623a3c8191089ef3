"""The result as a PDF the victim can print or bring to a police station or gendarmerie brigade."""

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import date_format
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer


def _items(lines, style, bullet="bullet"):
    return ListFlowable([ListItem(Paragraph(escape(line), style)) for line in lines], bulletType=bullet, leftIndent=14)


def result_pdf(context: dict, link: str) -> bytes:
    styles = getSampleStyleSheet()
    body, h1, h2 = styles["BodyText"], styles["Title"], styles["Heading2"]
    result, incident = context["result"], context["incident"]
    created = date_format(timezone.localtime(result.created_at), "j F Y à H\\hi")
    story = [
        Paragraph("Cyberaide – résumé de votre diagnostic", h1),
        Paragraph(escape(f"Diagnostic établi le {created}. Public : {context['audience_label']}."), body),
        Spacer(1, 0.3 * cm),
        Paragraph("Ce qui s'est passé", h2),
    ]
    if incident:
        story += [
            Paragraph(escape(f"Vous semblez être victime de : {incident.name}."), body),
            Paragraph(escape(incident.summary), body),
            Paragraph(escape(f"Gravité : {incident.get_severity_display()}."), body),
        ]
    else:
        story.append(Paragraph("Votre situation ne correspond à aucune des réponses proposées.", body))
        if result.description:
            story.append(Paragraph(escape(f"Votre description : {result.description}"), body))
    story += [Paragraph("Vos réponses", h2)]
    story.append(_items([f"{line['question']} — {line['answer']}" for line in result.answers], body))
    if incident:
        story += [Paragraph("Que faire maintenant", h2), _items(incident.actions, body, bullet="1")]
        story += [Paragraph("Preuves à conserver", h2), _items(incident.evidence, body)]
        story += [
            Paragraph("Porter plainte", h2),
            Paragraph(escape(incident.get_complaint_display() + ". " + incident.complaint_how), body),
        ]
    story.append(Paragraph("Services officiels", h2))
    story.append(
        _items(
            [" – ".join(part for part in (s.name, s.phone, s.url) if part) for s in context["official_services"]],
            body,
        )
    )
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

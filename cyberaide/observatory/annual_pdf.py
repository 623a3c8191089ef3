"""The annual report as a PDF, drawn with reportlab (no system library), from the same tables as the page."""

from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from . import annual

MARGIN = 2 * cm
WIDTH = A4[0] - 2 * MARGIN
# The standard PDF fonts have no narrow no-break space nor minus sign: their nearest equivalents.
SUBSTITUTES = str.maketrans({"\u202f": "\u00a0", annual.MINUS: "-"})
TABLE_STYLE = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#929292")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
)


def _text(text: str) -> str:
    return escape(text.translate(SUBSTITUTES))


def _widths(columns: int) -> list[float]:
    other = 4 * cm if columns > 2 else 6 * cm
    return [WIDTH - other * (columns - 1), *[other] * (columns - 1)]


def _table(table: annual.Table, styles) -> list:
    caption = Paragraph(_text(table.caption), styles["Heading4"])
    if not table.rows:
        return [KeepTogether([caption, Paragraph("Aucune donnée pour cette période.", styles["BodyText"])])]
    left = styles["BodyText"]
    right = ParagraphStyle("figure", parent=left, alignment=TA_RIGHT)

    def cells(row, markup="{}"):
        return [Paragraph(markup.format(_text(cell)), left if index == 0 else right) for index, cell in enumerate(row)]

    grid = Table(
        [cells(table.columns, "<b>{}</b>"), *(cells(row) for row in table.rows)],
        colWidths=_widths(len(table.columns)),
        repeatRows=1,
    )
    grid.setStyle(TABLE_STYLE)
    return [KeepTogether([caption, grid]), Spacer(1, 0.3 * cm)]


def render_pdf(figures: annual.AnnualFigures) -> bytes:
    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    note = ParagraphStyle("note", parent=body, fontName="Helvetica-Bold")
    footer = f"Cyberaide – {annual.title(figures).lower()} – document interne"
    story = [
        Paragraph(_text(f"Cyberaide – {annual.title(figures).lower()}"), styles["Title"]),
        Paragraph(_text(annual.period_text(figures)), body),
        Paragraph(_text(annual.INTERNAL_NOTE), note),
        Paragraph(_text(annual.produced_text(figures)), body),
    ]
    for section in annual.sections(figures):
        story.append(Paragraph(_text(section.title), styles["Heading2"]))
        for table in section.tables:
            story += _table(table, styles)

    def draw_footer(canvas, document):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(MARGIN, MARGIN / 2, f"{footer} – page {document.page}")
        canvas.restoreState()

    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=annual.title(figures),
        author="Cyberaide",
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
    )
    document.build(story, onFirstPage=draw_footer, onLaterPages=draw_footer)
    return buffer.getvalue()

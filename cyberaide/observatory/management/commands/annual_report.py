from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string

from cyberaide.observatory import annual, annual_pdf
from cyberaide.observatory.annual_views import document_context


class Command(BaseCommand):
    help = (
        "Bilan annuel de l'observatoire (document interne, chiffres exacts) : sans option, affiche les chiffres "
        "clés ; avec --html et/ou --pdf, écrit le bilan dans ces fichiers."
    )

    def add_arguments(self, parser):
        parser.add_argument("annee", help="l'année du bilan, par exemple 2025")
        parser.add_argument("--html", metavar="FICHIER", help="écrit le bilan en page HTML autonome")
        parser.add_argument("--pdf", metavar="FICHIER", help="écrit le bilan en PDF")

    def handle(self, *args, **options):
        try:
            figures = annual.key_figures(annual.parse_year(options["annee"]))
        except ValueError as error:
            raise CommandError(str(error)) from error
        if options["html"]:
            page = render_to_string("observatory/annual_report_document.html", document_context(figures))
            self._write(options["html"], page.encode())
        if options["pdf"]:
            self._write(options["pdf"], annual_pdf.render_pdf(figures))
        if not (options["html"] or options["pdf"]):
            self.stdout.write(annual.as_text(figures), ending="")

    def _write(self, name: str, content: bytes) -> None:
        try:
            Path(name).write_bytes(content)
        except OSError as error:
            raise CommandError(f"Impossible d'écrire le fichier {name} : {error.strerror or error}.") from error
        self.stdout.write(f"Bilan écrit dans {name}.")

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cyberaide.diagnostic import engine, graphs


class Command(BaseCommand):
    help = "Importe un questionnaire (YAML ou JSON) comme brouillon, et le publie avec --publish."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--publish", action="store_true")
        parser.add_argument("--note", default="Importé en ligne de commande")

    def handle(self, *args, file: Path, publish: bool, note: str, **options):
        try:
            data = graphs.parse_graph_file(file.read_text(encoding="utf-8"))
            version = graphs.create_draft(data=data, note=note)
            if publish:
                version = graphs.publish(version)
        except engine.InvalidGraph as error:
            raise CommandError("Questionnaire refusé :\n- " + "\n- ".join(error.problems)) from None
        self.stdout.write(f"{version} enregistrée.")

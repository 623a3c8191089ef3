from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cyberaide.diagnostic import engine, graphs


class Command(BaseCommand):
    help = (
        "Importe une version du diagnostic, ou un questionnaire seul (avec les règles et textes publiés), "
        "comme brouillon ; la publie avec --publish. Sans fichier : la version livrée avec Cyberaide."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, nargs="?")
        parser.add_argument("--publish", action="store_true")
        parser.add_argument("--note", default="Importé en ligne de commande")

    def handle(self, *args, file: Path | None, publish: bool, note: str, **options):
        try:
            if file is None:
                data, rules, advice = graphs.read_default_version()
            else:
                content = graphs.parse_graph_file(file.read_text(encoding="utf-8"))
                data, rules, advice = graphs.split_version_file(content, fallback=graphs.published_version())
            version = graphs.create_draft(data=data, rules=rules, advice=advice, note=note)
            if publish:
                version = graphs.publish(version)
        except engine.InvalidGraph as error:
            raise CommandError("Version refusée :\n- " + "\n- ".join(error.problems)) from None
        self.stdout.write(f"{version} enregistrée.")

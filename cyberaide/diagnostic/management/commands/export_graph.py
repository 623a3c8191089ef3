from django.core.management.base import BaseCommand, CommandError

from cyberaide.diagnostic import graphs
from cyberaide.diagnostic.models import GraphVersion


class Command(BaseCommand):
    help = (
        "Écrit une version du diagnostic (questionnaire, règles et textes) en YAML sur la sortie standard "
        "(la version publiée en cours par défaut)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--number", type=int, help="numéro de la version à exporter")

    def handle(self, *args, number=None, **options):
        version = GraphVersion.objects.filter(number=number).first() if number else graphs.current_version()
        if version is None:
            raise CommandError("Aucune version correspondante.")
        self.stdout.write(graphs.export_version(GraphVersion.objects.get(pk=version.pk)), ending="")

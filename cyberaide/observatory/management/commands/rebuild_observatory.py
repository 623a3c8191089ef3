from django.core.management.base import BaseCommand

from cyberaide.observatory import publication, rollups


class Command(BaseCommand):
    help = (
        "Recompte tout l'observatoire à partir des parcours et des rapports d'intervention. Avec --republier, "
        "publie de nouveau les mois déjà publiés (après un changement du seuil de diffusion, par exemple)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--republier", action="store_true", help="recalcule aussi les mois déjà publiés")

    def handle(self, *args, **options):
        report = rollups.rebuild()
        published = publication.publish(republish=options["republier"])
        self.stdout.write(
            f"{report.days} jour(s), {report.journey_rows} ligne(s) de parcours et {report.intervention_rows} "
            f"ligne(s) d'interventions ; {len(published)} mois publié(s)."
        )

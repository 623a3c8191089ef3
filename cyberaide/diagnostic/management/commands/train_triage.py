from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cyberaide.diagnostic import suggestions, triage


class Command(BaseCommand):
    help = (
        "Entraîne le tri des descriptions sur le corpus livré et les descriptions classées par l'équipe, affiche "
        "les résultats de la validation croisée, et ne met le modèle en service qu'avec --activate."
    )

    def add_arguments(self, parser):
        parser.add_argument("--activate", action="store_true", help="Mettre le nouveau modèle en service.")
        parser.add_argument(
            "--folds", type=int, default=5, help="Nombre de plis de la validation croisée (0 : aucune)."
        )
        parser.add_argument(
            "--export", metavar="FICHIER", help="Écrire le corpus (YAML) dans ce fichier, sans entraîner."
        )
        parser.add_argument(
            "--warm",
            action="store_true",
            help="Préparer le modèle en service (le lire, ou l'entraîner une fois) sans enregistrer d'entraînement.",
        )

    def handle(self, *args, activate, folds, export, warm, **options):
        try:
            if export:
                Path(export).write_text(suggestions.export_corpus(), encoding="utf-8")
                self.stdout.write(f"Corpus écrit dans {export}.")
                return
            if warm:
                model = suggestions.classifier()
                self.stdout.write(f"Modèle en service prêt ({model.size} exemples).")
                return
            model = suggestions.train_model(folds=folds)
        except triage.InvalidCorpus as error:
            raise CommandError("Corpus invalide :\n" + "\n".join(error.problems)) from error
        self.stdout.write(self.report(model))
        if activate:
            suggestions.put_in_service(model)
            self.stdout.write(self.style.SUCCESS(f"{model} mis en service."))
        else:
            self.stdout.write(
                "Non mis en service : relisez ces résultats, puis mettez-le en service (--activate ou back office)."
            )

    @staticmethod
    def report(model) -> str:
        lines = [
            f"{model} : {model.examples} exemples, dont {len(model.labelled)} descriptions classées par l'équipe."
        ]
        figures = model.figures
        if figures:
            lines.append(
                f"Validation croisée : bonne situation en premier {figures['top1']:.1%}, "
                f"parmi les trois premières {figures['top3']:.1%}."
            )
            weakest = sorted(figures["per_incident"].items(), key=lambda item: item[1]["top1"])[:5]
            lines.append("Les moins bien reconnues : " + ", ".join(f"{code} {f['top1']:.0%}" for code, f in weakest))
            lines.append(
                "Confusions les plus fréquentes : "
                + ", ".join(f"{c['expected']} → {c['suggested']} ({c['count']})" for c in figures["confusions"][:5])
            )
        return "\n".join(lines)

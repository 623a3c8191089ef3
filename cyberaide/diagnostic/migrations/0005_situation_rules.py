# The diagnostic's version holds its situation rules and result texts; results and journey records keep what the
# rules concluded; official services say which audiences they are for.

from django.db import migrations, models

SEVERITIES = [("critical", "Critique"), ("high", "Élevée"), ("medium", "Modérée"), ("low", "Faible")]


class Migration(migrations.Migration):
    dependencies = [
        ("diagnostic", "0004_journeyrecord_follow_ups"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="graphversion",
            options={
                "ordering": ["-number"],
                "verbose_name": "version du diagnostic",
                "verbose_name_plural": "versions du diagnostic",
            },
        ),
        migrations.AddField(
            model_name="graphversion",
            name="rules",
            field=models.JSONField(default=dict, verbose_name="questions de situation et règles"),
        ),
        migrations.AddField(
            model_name="graphversion",
            name="advice",
            field=models.JSONField(default=dict, verbose_name="textes des résultats"),
        ),
        migrations.AddField(
            model_name="diagnosticresult",
            name="situation",
            field=models.JSONField(default=dict),
        ),
        migrations.AddField(
            model_name="diagnosticresult",
            name="severity",
            field=models.CharField(blank=True, choices=SEVERITIES, max_length=10),
        ),
        migrations.AddField(
            model_name="diagnosticresult",
            name="assessment",
            field=models.JSONField(default=dict),
        ),
        migrations.AddField(
            model_name="journeyrecord",
            name="severity",
            field=models.CharField(blank=True, choices=SEVERITIES, max_length=10, verbose_name="gravité"),
        ),
        migrations.AddField(
            model_name="officialservice",
            name="audiences",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Vide : tous les publics. Les règles du diagnostic ne peuvent pas le proposer aux autres.",
                verbose_name="réservé à ces publics",
            ),
        ),
    ]

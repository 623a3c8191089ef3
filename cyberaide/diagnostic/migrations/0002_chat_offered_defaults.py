"""17Cyber offers its chat for large bank fraud (fake bank adviser) and harassment too: set it on databases that
loaded the taxonomy before. Staff may change it afterwards."""

from django.db import migrations

CODES = ["fake_bank_adviser", "cyberharassment"]


def offer_chat(apps, schema_editor):
    apps.get_model("diagnostic", "IncidentType").objects.filter(code__in=CODES).update(chat_offered=True)


class Migration(migrations.Migration):
    dependencies = [("diagnostic", "0001_initial")]
    operations = [migrations.RunPython(offer_chat, migrations.RunPython.noop)]

from django.db import migrations

from cyberaide.content.taxonomy import AUDIENCES, THEMES


def create(apps, schema_editor):
    Audience = apps.get_model("content", "Audience")
    Theme = apps.get_model("content", "Theme")
    for position, (code, name) in enumerate(AUDIENCES):
        Audience.objects.update_or_create(code=code, defaults={"name": name, "position": position})
    for code, name in THEMES:
        Theme.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("content", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]

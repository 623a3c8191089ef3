# Conversations opened before the diagnosis's priority ranked 0 to 3 by severity alone: they keep their level and
# come after the conversations a rule made urgent within it.

from django.db import migrations
from django.db.models import F

PRIORITIES_PER_LEVEL = 100


def rescale(apps, schema_editor):
    Conversation = apps.get_model("chat", "Conversation")
    Conversation.objects.filter(severity_rank__lt=4).update(
        severity_rank=F("severity_rank") * PRIORITIES_PER_LEVEL + PRIORITIES_PER_LEVEL - 1
    )


class Migration(migrations.Migration):
    dependencies = [
        ("chat", "0002_queue_priority"),
    ]

    operations = [migrations.RunPython(rescale, migrations.RunPython.noop)]

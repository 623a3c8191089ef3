# What an incident type says and offers now lives in the versioned rules and result texts.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("diagnostic", "0006_backfill_assessments"),
    ]

    operations = [
        migrations.RemoveField(model_name="incidenttype", name="services"),
        migrations.DeleteModel(name="IncidentService"),
        migrations.RemoveField(model_name="incidenttype", name="summary"),
        migrations.RemoveField(model_name="incidenttype", name="severity"),
        migrations.RemoveField(model_name="incidenttype", name="actions"),
        migrations.RemoveField(model_name="incidenttype", name="evidence"),
        migrations.RemoveField(model_name="incidenttype", name="complaint"),
        migrations.RemoveField(model_name="incidenttype", name="complaint_how"),
        migrations.RemoveField(model_name="incidenttype", name="chat_offered"),
    ]

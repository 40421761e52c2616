from django.db import migrations, models


def backfill(apps, schema_editor):
    """Give every existing certificate its own status list bit, in order of issue."""
    Certificate = apps.get_model("certificates", "Certificate")
    for index, pk in enumerate(Certificate.objects.order_by("issued_at", "pk").values_list("pk", flat=True)):
        Certificate.objects.filter(pk=pk).update(status_index=index)


class Migration(migrations.Migration):
    dependencies = [("certificates", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="status_index",
            field=models.PositiveIntegerField(null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="certificate",
            name="status_index",
            field=models.PositiveIntegerField(unique=True),
        ),
    ]

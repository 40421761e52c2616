"""A PostgreSQL sequence for the certificates' status-list bits (certificates.status_index),
starting after the highest bit already taken."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE SEQUENCE IF NOT EXISTS certificates_status_index_seq MINVALUE 0 START WITH 0"
    )
    schema_editor.execute(
        "SELECT setval('certificates_status_index_seq', "
        "COALESCE((SELECT MAX(status_index) + 1 FROM certificates_certificate), 0), false)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP SEQUENCE IF EXISTS certificates_status_index_seq")


class Migration(migrations.Migration):
    dependencies = [("certificates", "0005_organisation_certificate")]

    operations = [migrations.RunPython(create, drop)]

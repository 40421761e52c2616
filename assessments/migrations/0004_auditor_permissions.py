"""Examiners manage the auditor register in the CMS (through assessments.auditors)."""

from django.db import migrations

CODENAMES = ("view_auditoraccreditation", "add_auditoraccreditation", "change_auditoraccreditation")


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    examiners, _ = Group.objects.get_or_create(name="Examiners")
    examiners.permissions.add(
        *Permission.objects.filter(content_type__app_label="assessments", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    examiners = Group.objects.filter(name="Examiners").first()
    if examiners:
        examiners.permissions.remove(
            *Permission.objects.filter(content_type__app_label="assessments", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_certification_workflow"),
        ("accounts", "0002_roles"),
    ]
    operations = [migrations.RunPython(grant, revoke)]

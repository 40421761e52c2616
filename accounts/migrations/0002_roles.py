"""Create the role groups and give examiners the CMS and the exam bank."""

from django.db import migrations

ROLE_GROUPS = ("Trainers", "ATO admins", "Examiners")
EXAMINER_APPS = ("exams",)


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name in ROLE_GROUPS:
        Group.objects.get_or_create(name=name)
    examiners = Group.objects.get(name="Examiners")
    perms = Permission.objects.filter(content_type__app_label__in=EXAMINER_APPS) | Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    examiners.permissions.add(*perms)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("exams", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_roles, remove_roles)]

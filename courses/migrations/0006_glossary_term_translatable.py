"""Glossary terms become translatable: a locale and a translation_key per term (the existing
terms are English, each its own translation group), a slug unique per locale."""

import uuid

import django.db.models.deletion
from django.db import migrations, models


def terms_to_english(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    GlossaryTerm = apps.get_model("courses", "GlossaryTerm")
    english, _ = Locale.objects.get_or_create(language_code="en")
    for term in GlossaryTerm.objects.all():
        term.locale_id = english.pk
        term.translation_key = uuid.uuid4()
        term.save(update_fields=["locale", "translation_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0005_content_locales"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="glossaryterm",
            name="locale",
            field=models.ForeignKey(
                null=True,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AddField(
            model_name="glossaryterm",
            name="translation_key",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(terms_to_english, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="glossaryterm",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AlterField(
            model_name="glossaryterm",
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterField(
            model_name="glossaryterm",
            name="slug",
            field=models.SlugField(),
        ),
        migrations.AlterUniqueTogether(
            name="glossaryterm",
            unique_together={("translation_key", "locale")},
        ),
        migrations.AddConstraint(
            model_name="glossaryterm",
            constraint=models.UniqueConstraint(fields=("slug", "locale"), name="courses_glossary_slug_per_locale"),
        ),
    ]

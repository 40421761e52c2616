"""Every Python string people read (labels, help texts, messages, form errors, choice labels) is
marked for translation: scripts/untranslated_python.py finds none in the apps."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location(
    "untranslated_python", ROOT / "scripts" / "untranslated_python.py"
)
untranslated_python = importlib.util.module_from_spec(spec)
spec.loader.exec_module(untranslated_python)


def test_every_python_string_people_read_is_marked():
    problems = [
        f"{untranslated_python.name_of(path)}:{line}: {text}"
        for path in untranslated_python.python_files()
        for line, text in untranslated_python.unmarked(path.read_text(encoding="utf-8"))
    ]
    assert problems == [], "Python strings not marked for translation:\n" + "\n".join(problems[:40])


def test_the_scanner_finds_labels_messages_errors_and_choices_and_ignores_marked_ones():
    source = """
from django import forms
from django.contrib import messages
from django.db import models
from django.utils.translation import gettext as _


class State(models.TextChoices):
    OPEN = "open", "Open"
    SHUT = "shut", _("Shut")


class Thing(models.Model):
    title = models.CharField("title of the thing", max_length=9)
    code = models.CharField(_("code"), max_length=9, help_text="Letters and digits.")
    owner = models.ForeignKey("accounts.User", on_delete=models.CASCADE)


class ThingForm(forms.Form):
    name = forms.CharField(label="Name")
    slug = forms.CharField(label=_("Slug"))

    def clean(self):
        self.add_error("name", "Too short.")
        raise forms.ValidationError(_("Not allowed."))


def view(request, thing):
    messages.success(request, f"Saved {thing}.")
    messages.info(request, _("Done."))
    messages.warning(request, "%(x)s")
"""
    found = [text for _, text in untranslated_python.unmarked(source)]

    assert found == ["Open", "title of the thing", "Letters and digits.", "Name", "Too short.", "f-string"]

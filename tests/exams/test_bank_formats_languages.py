"""YAML, GIFT and Moodle XML carry the language of the versions they hold."""

import pytest
import yaml
from django.core.management import call_command

from exams import errors
from exams.models import Question, QuestionTranslation
from exams.services import bank_formats
from exams.services.translations import bank_items_import
from tests.exams.languages import translate, translated_item

pytestmark = pytest.mark.django_db
FORMATS = ["yaml", "gift", "moodle-xml"]


def _export(language, fmt, purpose="exam"):
    questions = bank_formats.questions_for_export("TST", purpose, language)
    return bank_formats.bank_export(questions, fmt, certification="TST", purpose=purpose, language=language)


def _parse(text, fmt):
    return bank_formats.bank_parse(text, fmt, certification="TST", purpose="exam")


@pytest.fixture
def german(certification):
    questions = list(Question.objects.filter(certification=certification, purpose="exam"))
    translate(questions[:4], status="reviewed")
    translate(questions[4:], status="translated")
    return questions


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_german_export_reads_back_as_german_items_with_their_status(german, fmt):
    items = _parse(_export("de", fmt), fmt)
    assert len(items) == len(german)
    assert {i.language for i in items} == {"de"}
    by_id = {i.external_id: i for i in items}
    for question in german:
        translation = QuestionTranslation.objects.get(question=question, language="de")
        item = by_id[question.external_id]
        assert item.stem == translation.current_version.stem
        assert item.options == {o.label: o.text for o in translation.current_version.options.all()}
        assert item.answer == translation.current_version.options.get(is_correct=True).label
        assert item.status == translation.status


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_round_trip_of_a_language_version_changes_nothing(german, fmt):
    versions = sorted(QuestionTranslation.objects.values_list("pk", "current_version_id", "status"))
    counts = bank_items_import(_parse(_export("de", fmt), fmt))
    assert counts == {"created": 0, "updated": 0, "unchanged": len(german)}
    assert sorted(QuestionTranslation.objects.values_list("pk", "current_version_id", "status")) == versions


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_english_export_carries_no_language_and_reads_back_as_english(german, fmt):
    text = _export("en", fmt)
    assert "language" not in text
    assert {i.language for i in _parse(text, fmt)} == {"en"}


def test_how_each_format_writes_the_language(german):
    assert yaml.safe_load(_export("de", "yaml"))["language"] == "de"
    assert "// language: de" in _export("de", "gift")
    assert "<text>language:de</text>" in _export("de", "moodle-xml")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_french_file_imports_french_versions_of_the_same_questions(german, fmt):
    text = _export("de", fmt)
    for old, new in (("language: de", "language: fr"), ("language:de", "language:fr")):
        text = text.replace(old, new)
    items = _parse(text, fmt)
    assert bank_items_import(items)["created"] == len(german)
    assert QuestionTranslation.objects.filter(language="fr").count() == len(german)
    assert not Question.objects.filter(external_id__startswith="fr").exists()


def test_a_language_file_whose_key_differs_from_the_english_is_refused(german):
    data = yaml.safe_load(_export("de", "yaml"))
    first = data["items"][0]
    first["answer"] = "A" if first["answer"] != "A" else "D"
    with pytest.raises(errors.BankError, match="in English"):
        bank_items_import(_parse(yaml.safe_dump(data, allow_unicode=True), "yaml"))


def test_a_file_mixing_languages_is_refused(german):
    items = [translated_item(german[0], "de"), translated_item(german[1], "fr")]
    with pytest.raises(errors.BankError, match="one language"):
        bank_items_import(items)


def test_the_export_command_writes_a_language_version(german, capsys, tmp_path):
    out = tmp_path / "de.yaml"
    call_command(
        "bank_export", certification="TST", purpose="exam", format="yaml", language="de", output=str(out)
    )
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["language"] == "de" and len(data["items"]) == len(german)
    call_command("bank_import", str(out), format="yaml")
    assert "0 created, 0 updated" in capsys.readouterr().out

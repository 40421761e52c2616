"""Language versions of a question: stored as versions of the same Question, key by label,
status and a second-examiner review per language."""

import pytest
import yaml
from django.db import IntegrityError, transaction

from content.loader import banks_load, certifications_load
from exams import errors
from exams.models import Question, QuestionTranslation
from exams.services import translations
from exams.services.bank import question_revise
from tests.exams.languages import translate, translated_item
from tests.factories import QuestionFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_translation_is_a_version_of_the_same_question_with_the_english_key():
    question = QuestionFactory(answer="C")
    counts = translate([question])
    assert counts == {"created": 1, "updated": 0, "unchanged": 0}
    translation = QuestionTranslation.objects.get(question=question, language="de")
    version = translation.current_version
    assert version.question == question and version.language == "de"
    assert [o.label for o in version.options.filter(is_correct=True)] == ["C"]
    assert translation.status == "reviewed" and translation.reviewed_at is not None
    question.refresh_from_db()
    assert question.current_version.language == "en"  # the English wording stays current


def test_importing_the_same_translation_again_changes_nothing():
    question = QuestionFactory()
    translate([question])
    assert translate([question]) == {"created": 0, "updated": 0, "unchanged": 1}
    assert question.versions.count() == 2


def test_a_changed_wording_becomes_a_new_version_and_a_changed_status_only_an_update():
    question = QuestionFactory()
    translate([question], status="translated")
    item = translated_item(question, stem="Neue Fassung der Frage?", status="translated")
    assert translations.translations_import([item])["updated"] == 1
    assert question.versions.filter(language="de").count() == 2
    translate([question], status="draft")  # the first wording again: a third version
    assert question.versions.filter(language="de").count() == 3
    assert translations.translations_import([translated_item(question, status="reviewed")])["updated"] == 1
    assert question.versions.filter(language="de").count() == 3
    assert QuestionTranslation.objects.get(question=question).status == "reviewed"


def test_a_translation_whose_key_differs_from_the_english_is_refused():
    question = QuestionFactory(answer="B")
    with pytest.raises(errors.BankError, match="the key is D here and B in English"):
        translations.translations_import([translated_item(question, answer="D")])
    assert not QuestionTranslation.objects.exists()


def test_a_translation_of_an_unknown_question_or_with_three_options_is_refused_all_or_nothing():
    good = QuestionFactory()
    bad = QuestionFactory()
    three = translated_item(bad, options={"A": "a", "B": "b", "C": "c"})
    with pytest.raises(errors.BankError, match="four options"):
        translations.translations_import([translated_item(good), three])
    item = translated_item(good)
    item.external_id = "NO-SUCH-ID"
    with pytest.raises(errors.BankError, match="no question has this id"):
        translations.translations_import([item])
    assert not QuestionTranslation.objects.exists()


def test_english_is_no_translation_language():
    question = QuestionFactory()
    with pytest.raises(errors.BankError, match="not a language"):
        translations.translations_import([translated_item(question, "en")])


def test_a_german_rationale_naming_a_letter_is_refused():
    question = QuestionFactory()
    item = translated_item(question)
    item.rationale = "Antwort B ist richtig."
    with pytest.raises(errors.BankError, match="names an option by its letter"):
        translations.translations_import([item])


def test_the_reviewer_of_a_language_version_is_never_its_author():
    author, reviewer = UserFactory(), UserFactory()
    question = QuestionFactory()
    translation = translations.translation_save(
        question=question,
        language="de",
        stem="Frage?",
        options={label: f"Auswahl {label}" for label in "ABCD"},
        rationale="FitSM-1 regelt das so.",
        reference="FitSM-1 GR1",
        actor=author,
    )
    assert translation.status == "translated" and translation.author == author
    with pytest.raises(errors.InvalidTransition, match="its author cannot"):
        translations.translation_review(translation=translation, actor=author)
    reviewed = translations.translation_review(translation=translation, actor=reviewer)
    assert (reviewed.status, reviewed.reviewed_by) == ("reviewed", reviewer)
    with pytest.raises(errors.InvalidTransition):
        translations.translation_review(translation=reviewed, actor=reviewer)


def test_the_database_refuses_a_reviewer_who_is_the_author():
    author = UserFactory()
    question = QuestionFactory()
    translate([question], actor=author)
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionTranslation.objects.filter(question=question).update(reviewed_by=author)


def test_one_current_version_per_question_and_language_and_none_for_english():
    question = QuestionFactory()
    translate([question])
    existing = QuestionTranslation.objects.get(question=question)
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionTranslation.objects.create(
            question=question, language="de", current_version=existing.current_version
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionTranslation.objects.create(
            question=question, language="en", current_version=existing.current_version
        )


def test_a_new_english_wording_sends_the_translations_back_to_draft(examiner):
    question = QuestionFactory(topic=TopicFactory(quota=0))
    translate([question])
    question_revise(
        question=Question.objects.get(pk=question.pk),
        actor=examiner,
        stem="A new English stem?",
        options={label: f"new {label}" for label in "ABCD"},
        answer="B",
        rationale="FitSM-1 says so.",
        reference="FitSM-1 GR1",
    )
    assert QuestionTranslation.objects.get(question=question).status == "draft"


def _bank(tmp_path):
    folder = tmp_path / "banks"
    (folder / "de").mkdir(parents=True)
    english = {
        "certification": "FND",
        "purpose": "practice",
        "items": [
            {
                "id": "FND-P-BASICS-901",
                "topic": "BASICS",
                "difficulty": 1,
                "stem": "Which FitSM part holds the terms?",
                "options": {"A": "FitSM-0", "B": "FitSM-1", "C": "FitSM-2", "D": "FitSM-3"},
                "answer": "A",
                "rationale": "The terms and definitions are the subject of FitSM-0.",
                "reference": "FitSM-0",
            }
        ],
    }
    german = {
        "certification": "FND",
        "purpose": "practice",
        "language": "de",
        "items": [
            {
                "id": "FND-P-BASICS-901",
                "status": "translated",
                "stem": "Welcher FitSM-Teil enthält die Begriffe?",
                "options": {"A": "FitSM-0", "B": "FitSM-1", "C": "FitSM-2", "D": "FitSM-3"},
                "rationale": "Die Begriffe und Definitionen sind Gegenstand von FitSM-0.",
                "reference": "FitSM-0",
            }
        ],
    }
    (folder / "FND-practice.yaml").write_text(yaml.safe_dump(english, allow_unicode=True))
    (folder / "de" / "FND-practice.yaml").write_text(yaml.safe_dump(german, allow_unicode=True))
    return folder


def test_load_fitsm_loads_translation_files_idempotently_with_their_status(tmp_path):
    certifications_load()
    folder = _bank(tmp_path)
    first = banks_load(folder)
    assert first["created"] == 1 and first["translations"]["created"] == 1
    question = Question.objects.get(external_id="FND-P-BASICS-901")
    translation = QuestionTranslation.objects.get(question=question, language="de")
    assert translation.status == "translated"
    assert translation.current_version.options.get(is_correct=True).label == "A"
    again = banks_load(folder)
    assert again["translations"] == {"created": 0, "updated": 0, "unchanged": 1}
    path = folder / "de" / "FND-practice.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("status: translated", "status: reviewed"))
    assert banks_load(folder)["translations"]["updated"] == 1
    assert QuestionTranslation.objects.get(pk=translation.pk).status == "reviewed"


def test_advanced_certifications_allow_the_switch_to_english():
    certifications_load()
    from exams.models import Certification

    allowed = dict(Certification.objects.values_list("code", "english_switch_allowed"))
    assert allowed["SOC"] and allowed["SPD"] and not allowed["FND"]

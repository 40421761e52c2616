"""The examiner's screen to write or correct a question's version in another language beside the
English one: saved as a new translated version by its author, refused (nothing saved) when
incomplete, reviewed by another examiner only; examiners only."""

import pytest
from allauth.mfa.models import Authenticator

from accounts.models import AuditEntry
from accounts.roles import EXAMINER, role_add
from exams.models import Question, QuestionTranslation
from tests.conftest import mfa_login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GERMAN = {
    "stem": "Welche Rolle genehmigt die SMS-Politik?",
    "option_a": "SMS-Eigentümer",
    "option_b": "SMS-Manager",
    "option_c": "Prozesseigentümer",
    "option_d": "Service-Eigentümer",
    "rationale": "Der SMS-Eigentümer genehmigt die Politik; die anderen Rollen handeln darunter.",
    "reference": "FitSM-1 GR1.2",
}


@pytest.fixture
def question(certification):
    return Question.objects.filter(certification=certification, purpose="exam").first()


def _url(question, language="de"):
    return f"/cms/exams/questions/{question.pk}/translations/{language}/"


def test_the_screen_shows_the_english_version_beside_an_empty_form(client, examiner, question):
    cms = mfa_login(client, examiner)
    page = cms.get(_url(question)).content.decode()
    assert question.current_version.stem in page and 'lang="en"' in page
    assert 'name="stem"' in page and 'name="option_d"' in page
    assert 'name="answer"' not in page  # the key is the English key's letter
    review = cms.get(f"/cms/exams/questions/{question.pk}/review/").content.decode()
    assert f'href="{_url(question)}"' in review and f'href="{_url(question, "fr")}"' in review
    assert not QuestionTranslation.objects.exists()  # GET changes nothing


def test_saving_makes_a_translated_version_by_its_author_that_another_examiner_reviews(
    client, examiner, question
):
    cms = mfa_login(client, examiner)
    response = cms.post(_url(question), GERMAN)
    assert response.status_code == 302 and response["Location"].endswith(f"/{question.pk}/review/")
    translation = QuestionTranslation.objects.get(question=question, language="de")
    assert (translation.status, translation.author) == ("translated", examiner)
    assert translation.current_version.stem == GERMAN["stem"]
    key = question.current_version.options.get(is_correct=True).label
    assert translation.current_version.options.get(is_correct=True).label == key
    assert AuditEntry.objects.filter(action="question.translated", target_id=str(question.pk)).exists()
    # the author cannot review it; a second examiner can
    review = cms.get(f"/cms/exams/questions/{question.pk}/review/").content.decode()
    assert "Mark the Deutsch version reviewed" not in review
    second = UserFactory(email="second@test.example")
    role_add(second, EXAMINER)
    client.logout()
    mfa_login(client, second).post(
        f"/cms/exams/questions/{question.pk}/review/", {"action": "review_translation", "language": "de"}
    )
    assert QuestionTranslation.objects.get(pk=translation.pk).status == "reviewed"


def test_a_correction_is_a_new_version_and_needs_a_new_review(client, examiner, question):
    cms = mfa_login(client, examiner)
    cms.post(_url(question), GERMAN)
    first = QuestionTranslation.objects.get(question=question).current_version
    QuestionTranslation.objects.filter(question=question).update(status="reviewed")
    page = cms.get(_url(question)).content.decode()
    assert GERMAN["option_c"] in page  # the form starts from the current version
    cms.post(_url(question), GERMAN | {"stem": "Wer genehmigt die SMS-Politik?"})
    translation = QuestionTranslation.objects.get(question=question)
    assert translation.current_version.number > first.number
    assert translation.status == "translated" and translation.reviewed_by is None


def test_an_incomplete_version_is_refused_at_its_field_and_nothing_is_saved(client, examiner, question):
    response = mfa_login(client, examiner).post(_url(question), GERMAN | {"option_b": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_option_b-error"' in page
    assert not QuestionTranslation.objects.exists()


def test_a_version_the_bank_rules_refuse_is_shown_with_the_reason(client, examiner, question):
    """Two options alike: the same validation as an imported bank file."""
    response = mfa_login(client, examiner).post(_url(question), GERMAN | {"option_b": GERMAN["option_a"]})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not QuestionTranslation.objects.exists()


def test_a_language_the_site_does_not_translate_into_is_404(client, examiner, question):
    cms = mfa_login(client, examiner)
    assert cms.get(_url(question, "en")).status_code == 404
    assert cms.get(_url(question, "it")).status_code == 404
    assert cms.get("/cms/exams/questions/999999/translations/de/").status_code == 404


def test_only_examiners_reach_the_screen(client, learner, question):
    assert client.get(_url(question)).status_code == 302  # to the sign-in
    Authenticator.objects.create(
        user=learner, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    client.force_login(learner)
    assert client.get(_url(question)).status_code in (302, 403)
    assert client.post(_url(question), GERMAN).status_code in (302, 403)
    assert not QuestionTranslation.objects.exists()

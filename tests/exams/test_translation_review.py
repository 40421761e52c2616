"""The examiner's question review: the language versions side by side, and a second examiner
marking a translated version reviewed."""

import pytest
from allauth.mfa.models import Authenticator

from accounts.roles import EXAMINER, role_add
from exams.models import Question, QuestionTranslation
from tests.conftest import mfa_login
from tests.exams.languages import translate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def translator(db):
    user = UserFactory(email="translator@test.example")
    role_add(user, EXAMINER)
    return user


@pytest.fixture
def question(certification, translator):
    question = Question.objects.filter(certification=certification, purpose="exam").first()
    translate([question], status="translated", actor=translator)
    return question


def _url(question):
    return f"/cms/exams/questions/{question.pk}/review/"


def _review(client, question, language="de"):
    return client.post(_url(question), {"action": "review_translation", "language": language})


def test_the_review_screen_shows_the_language_versions_side_by_side(client, examiner, question):
    page = mfa_login(client, examiner).get(_url(question)).content.decode()
    translation = QuestionTranslation.objects.get(question=question)
    assert "Language versions" in page and 'lang="de"' in page and 'lang="en"' in page
    assert translation.current_version.stem in page and question.current_version.stem in page
    assert "Mark the Deutsch version reviewed" in page


def test_a_second_examiner_marks_the_version_reviewed(client, examiner, question):
    response = _review(mfa_login(client, examiner), question)
    assert response.status_code == 302
    translation = QuestionTranslation.objects.get(question=question)
    assert (translation.status, translation.reviewed_by) == ("reviewed", examiner)


def test_the_author_of_a_version_cannot_review_it(client, translator, question):
    page = mfa_login(client, translator).get(_url(question)).content.decode()
    assert "Mark the Deutsch version reviewed" not in page
    _review(client, question)
    assert QuestionTranslation.objects.get(question=question).status == "translated"


def test_a_draft_cannot_be_marked_reviewed(client, examiner, question):
    QuestionTranslation.objects.filter(question=question).update(status="draft")
    _review(mfa_login(client, examiner), question)
    assert QuestionTranslation.objects.get(question=question).status == "draft"


def test_an_unknown_language_version_is_not_found(client, examiner, question):
    assert _review(mfa_login(client, examiner), question, "fr").status_code == 404


def test_a_learner_cannot_review(client, learner, question):
    Authenticator.objects.create(
        user=learner, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    client.force_login(learner)
    assert _review(client, question).status_code in (302, 403)
    assert QuestionTranslation.objects.get(question=question).status == "translated"


def test_reviewing_needs_a_post_and_a_csrf_token(csrf_client, examiner, question):
    mfa_login(csrf_client, examiner)
    assert csrf_client.get(_url(question) + "?action=review_translation&language=de").status_code == 200
    assert _review(csrf_client, question).status_code == 403
    assert QuestionTranslation.objects.get(question=question).status == "translated"


def test_signed_out_visitors_are_sent_to_sign_in(client, question):
    response = _review(client, question)
    assert response.status_code == 302 and "login" in response["Location"]

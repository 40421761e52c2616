import pytest
from allauth.mfa.models import Authenticator

from exams import services
from exams.models import Question
from tests.conftest import mfa_login
from tests.factories import QuestionFactory


@pytest.fixture
def cms(client, examiner):
    return mfa_login(client, examiner)


@pytest.mark.django_db
def test_learners_cannot_reach_examiner_screens(client, learner, certification):
    Authenticator.objects.create(
        user=learner, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    client.force_login(learner)
    q = Question.objects.first()
    for path in ["/cms/exams/blueprints/", "/cms/exams/statistics/", f"/cms/exams/questions/{q.pk}/review/"]:
        assert client.get(path).status_code in (302, 403)


@pytest.mark.django_db
def test_blueprints_page_shows_coverage(cms, certification):
    page = cms.get("/cms/exams/blueprints/").content.decode()
    assert "Test exam" in page and "T1" in page


@pytest.mark.django_db
def test_review_workflow_in_the_cms(cms, certification, examiner, trainer):
    q = QuestionFactory(topic=certification.topics.first(), status=Question.Status.DRAFT, author=trainer)
    url = f"/cms/exams/questions/{q.pk}/review/"
    assert cms.get(url).status_code == 200
    cms.post(url, {"action": "submit"})
    cms.post(url, {"action": "approve"})
    q.refresh_from_db()
    assert q.status == Question.Status.APPROVED and q.approved_by == examiner
    cms.post(
        url,
        {
            "action": "revise",
            "stem": "Reworded?",
            "option_a": "a",
            "option_b": "b",
            "option_c": "c",
            "option_d": "d",
            "answer": "D",
            "rationale": "r",
            "reference": "FitSM-1 PR3",
        },
    )
    q.refresh_from_db()
    assert q.current_version.number == 2 and q.status == Question.Status.IN_REVIEW
    response = cms.post(url, {"action": "approve"}, follow=True)
    assert "second examiner" in response.content.decode()


@pytest.mark.django_db
def test_statistics_page_and_recompute(cms, attempt, now):
    services.attempt_submit(attempt=attempt, now=now)
    assert cms.post("/cms/exams/statistics/recompute/").status_code == 302
    page = cms.get("/cms/exams/statistics/").content.decode()
    assert (
        "<svg" in page
        and "KR-20" in page
        and attempt.items.first().question_version.question.external_id in page
    )

"""The result page: a pass congratulates and leads on; a fail gives the retake rule, the
weakest topics and where to study and book; the API carries the same."""

import pytest

from exams import services
from exams.presentation import KEYS

pytestmark = pytest.mark.django_db


def _answer_all(attempt, now, *, right):
    for item in attempt.items.select_related("question_version"):
        option = next(o for o in item.question_version.options.all() if o.is_correct == right)
        services.answer_save(
            attempt=attempt,
            position=item.position,
            key=KEYS[item.option_order.index(option.id)],
            seq=1,
            now=now,
        )


def test_a_failed_exam_shows_the_retake_rule_weakest_topics_and_booking(client, attempt, learner, now):
    _answer_all(attempt, now, right=False)
    services.attempt_submit(attempt=attempt, now=now, actor=learner)
    client.force_login(learner)
    page = client.get(f"/exams/attempts/{attempt.pk}/result/").content.decode()
    assert "Not passed this time" in page
    assert "book a new sitting" in page  # no attempt left in this sitting
    assert "Revise first:" in page and "Topic T1" in page
    assert "Book your next attempt" in page and 'href="/me/exams/"' in page
    result = client.get(f"/api/v1/attempts/{attempt.pk}/result").json()
    assert result["retake_rule"] and result["weakest_topics"]
    assert any(step["heading"] == "Book your next attempt" for step in result["next_steps"])


def test_a_passed_exam_congratulates_and_offers_no_retake(client, attempt, learner, now):
    _answer_all(attempt, now, right=True)
    services.attempt_submit(attempt=attempt, now=now, actor=learner)
    client.force_login(learner)
    page = client.get(f"/exams/attempts/{attempt.pk}/result/").content.decode()
    assert "Congratulations, you passed" in page and "What to do next" not in page


def test_my_exams_names_each_sitting_and_says_results_in_words(client, attempt, learner, now):
    _answer_all(attempt, now, right=True)
    services.attempt_submit(attempt=attempt, now=now, actor=learner)
    client.force_login(learner)
    page = client.get("/me/exams/").content.decode()
    assert "Test sitting" in page
    assert "passed: 4 of 4 correct (100.0 %)" in page
    assert "You hold this certification" in page
    assert "Graded" not in page and "in_progress" not in page


def test_a_pass_leads_to_the_certificate_its_pdf_and_linkedin(client, attempt, learner, now):
    _answer_all(attempt, now, right=True)
    services.attempt_submit(attempt=attempt, now=now, actor=learner)
    from certificates.models import Certificate

    certificate = Certificate.objects.get(attempt=attempt)
    client.force_login(learner)
    page = client.get(f"/exams/attempts/{attempt.pk}/result/").content.decode()
    assert (
        f'href="/verify/{certificate.code}/"' in page
        and f'href="/me/certificates/{certificate.code}.pdf"' in page
    )
    assert "linkedin.com/profile/add" in page

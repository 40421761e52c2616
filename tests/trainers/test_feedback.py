import pytest
from django.db import IntegrityError, transaction

from trainers import errors, selectors, services
from trainers.models import Feedback

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed(published_a, admin_a, learner, other_learner):
    services.participant_invite(session=published_a, user=learner, actor=admin_a)
    services.participant_invite(session=published_a, user=other_learner, actor=admin_a)
    return services.session_complete(session=published_a, actor=admin_a, now=published_a.ends_at)


def test_completion_sends_the_survey(
    published_a, admin_a, learner, mailoutbox, django_capture_on_commit_callbacks
):
    services.participant_invite(session=published_a, user=learner, actor=admin_a)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.session_complete(session=published_a, actor=admin_a, now=published_a.ends_at)
    assert [m.to for m in mailoutbox] == [[learner.email]]
    assert f"/sessions/{published_a.pk}/feedback/" in mailoutbox[0].body


def test_participant_gives_feedback_once(client, completed, learner):
    client.force_login(learner)
    url = f"/sessions/{completed.pk}/feedback/"
    assert client.get(url).status_code == 200
    data = {"rating_overall": 5, "rating_trainer": 4, "rating_material": 3, "comment": "Clear and practical."}
    assert client.post(url, data).status_code == 302
    assert client.post(url, {**data, "comment": "again"}).status_code == 200
    assert Feedback.objects.count() == 1
    assert "already given feedback" in client.get(url).content.decode()


def test_bad_ratings_are_refused(client, completed, learner):
    client.force_login(learner)
    response = client.post(f"/sessions/{completed.pk}/feedback/", {"rating_overall": 9})
    assert response.status_code == 200 and not Feedback.objects.exists()
    assert "Select a valid choice" in response.content.decode()


def test_only_participants_of_a_completed_session(client, completed, published_a, trainer_b):
    client.force_login(trainer_b.user)
    assert client.get(f"/sessions/{completed.pk}/feedback/").status_code == 404


def test_database_allows_one_feedback_per_participant(completed, learner):
    p = completed.participants.get(user=learner)
    services.feedback_submit(
        participant=p, user=learner, rating_overall=4, rating_trainer=4, rating_material=4
    )
    with pytest.raises(errors.InvalidTransition):
        services.feedback_submit(
            participant=p, user=learner, rating_overall=1, rating_trainer=1, rating_material=1
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Feedback.objects.create(participant=p, rating_overall=6, rating_trainer=1, rating_material=1)


def test_feedback_is_summarised_for_the_trainer_and_the_ato(
    client, completed, learner, other_learner, trainer_a, admin_a
):
    for user, r, comment in ((learner, 5, "Great"), (other_learner, 3, "")):
        p = completed.participants.get(user=user)
        services.feedback_submit(
            participant=p, user=user, rating_overall=r, rating_trainer=r, rating_material=4, comment=comment
        )
    summary = selectors.feedback_summary([completed])
    assert summary == {"count": 2, "overall": 4.0, "trainer": 4.0, "material": 4.0, "comments": ["Great"]}
    client.force_login(trainer_a.user)
    assert "overall <strong>4.0</strong>" in client.get("/training/").content.decode()
    client.force_login(admin_a)
    page = client.get("/training/organisations/alpha/").content.decode()
    assert "2 response(s)" in page and "Great" in page

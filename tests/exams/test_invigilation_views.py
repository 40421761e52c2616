import pytest

from exams.models import Attempt
from tests.factories import UserFactory


@pytest.mark.django_db
def test_invigilation_needs_login_and_a_role(client, learner, sitting):
    assert client.get("/invigilate/").status_code == 302
    client.force_login(learner)
    assert client.get("/invigilate/").status_code == 403
    assert client.get(f"/invigilate/{sitting.pk}/").status_code == 403


@pytest.mark.django_db
def test_a_trainer_sees_only_sittings_they_invigilate(client, sitting, attempt):
    from accounts.roles import TRAINER, role_add

    stranger = UserFactory()
    role_add(stranger, TRAINER)
    client.force_login(stranger)
    assert client.get(f"/invigilate/{sitting.pk}/").status_code == 404
    response = client.post(f"/invigilate/{sitting.pk}/action/", {"action": "close"})
    assert response.status_code == 404


@pytest.mark.django_db
def test_monitor_shows_state_answered_and_time_left(client, trainer, sitting, attempt):
    client.force_login(trainer)
    page = client.get(f"/invigilate/{sitting.pk}/").content.decode()
    assert "Lena Learner" in page and "In progress" in page and "0 / 4" in page and " min" in page


@pytest.mark.django_db
def test_actions_are_post_only_and_change_state(client, trainer, sitting, attempt):
    client.force_login(trainer)
    assert client.get(f"/invigilate/{sitting.pk}/action/").status_code == 405
    before = attempt.deadline
    client.post(
        f"/invigilate/{sitting.pk}/action/", {"action": "extend_all", "minutes": "5", "reason": "Fire alarm"}
    )
    attempt.refresh_from_db()
    assert (attempt.deadline - before).total_seconds() == 300
    # Voiding is not done from the table's button: the action sends the invigilator to the form.
    response = client.post(
        f"/invigilate/{sitting.pk}/action/", {"action": "void", "attempt": attempt.pk, "reason": "Phone"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/invigilate/{sitting.pk}/attempts/{attempt.pk}/void/"
    assert Attempt.objects.get(pk=attempt.pk).state == "in_progress"
    client.post(f"/invigilate/{sitting.pk}/action/", {"action": "close"})
    sitting.refresh_from_db()
    assert sitting.state == "closed"

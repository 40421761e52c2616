import pytest

from accounts import roles
from tests.factories import UserFactory


@pytest.mark.django_db
def test_every_account_is_a_learner_and_nothing_more_by_default(learner):
    assert roles.is_learner(learner)
    assert not roles.is_trainer(learner)
    assert not roles.is_ato_admin(learner)
    assert not roles.is_examiner(learner)
    assert roles.roles_of(learner) == ["learner"]


@pytest.mark.django_db
def test_group_membership_gives_the_role(trainer, examiner):
    assert roles.is_trainer(trainer) and roles.is_invigilator(trainer)
    assert roles.is_examiner(examiner) and not roles.is_trainer(examiner)


@pytest.mark.django_db
def test_anonymous_has_no_role():
    from django.contrib.auth.models import AnonymousUser

    anon = AnonymousUser()
    assert roles.roles_of(anon) == []


@pytest.mark.django_db
def test_role_groups_come_from_the_data_migration():
    from django.contrib.auth.models import Group

    names = set(Group.objects.values_list("name", flat=True))
    assert {"Trainers", "ATO admins", "Examiners"} <= names
    examiners = Group.objects.get(name="Examiners")
    assert examiners.permissions.filter(codename="access_admin").exists()
    assert examiners.permissions.filter(codename="change_question").exists()


@pytest.mark.django_db
def test_role_add_rejects_unknown_roles():
    with pytest.raises(ValueError):
        roles.role_add(UserFactory(), "Wizards")


@pytest.mark.django_db
def test_navigation_shows_each_role_its_own_links(client, learner, trainer, examiner):
    client.force_login(learner)
    page = client.get("/").content.decode()
    assert "My exams" in page and "Invigilate" not in page and "Examiner admin" not in page
    client.force_login(trainer)
    assert "Invigilate" in client.get("/").content.decode()
    client.force_login(examiner)
    assert "Examiner admin" in client.get("/").content.decode()

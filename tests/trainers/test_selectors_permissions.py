import pytest

from tests.factories import UserFactory
from trainers import selectors, services
from trainers.models import Membership

from .conftest import make_session, make_trainer

pytestmark = pytest.mark.django_db


def test_a_trainer_sees_the_sessions_they_teach_only(published_a, session_b, trainer_a, trainer_b):
    assert list(selectors.sessions_visible_to(trainer_a.user)) == [published_a]
    assert list(selectors.sessions_visible_to(trainer_b.user)) == [session_b]
    assert selectors.session_for_manager(user=trainer_a.user, session_id=session_b.pk) is None


def test_an_admin_sees_every_session_of_their_organisation_and_nothing_else(
    published_a, session_b, admin_a, org_a, certification, examiner_user
):
    other_trainer = make_trainer(org_a, certification, examiner_user)
    second = make_session(org_a, [other_trainer], certification, admin_a, days=30)
    assert set(selectors.sessions_visible_to(admin_a)) == {published_a, second}
    assert selectors.organisation_for_admin(user=admin_a, slug="beta") is None
    assert selectors.organisation_for_admin(user=admin_a, slug="alpha") == org_a


def test_an_affiliate_admin_sees_nothing_of_the_sponsor(published_a, affiliate, org_a):
    admin = UserFactory()
    services.membership_add(organisation=affiliate, user=admin, role=Membership.Role.ADMIN)
    assert not selectors.sessions_visible_to(admin).exists()
    assert selectors.organisation_for_admin(user=admin, slug=org_a.slug) is None
    assert list(selectors.organisations_admined_by(admin)) == [affiliate]


def test_anonymous_sees_nothing_to_manage(published_a):
    from django.contrib.auth.models import AnonymousUser

    assert not selectors.sessions_visible_to(AnonymousUser()).exists()


def test_meeting_link_for_enrolled_trainers_and_admins_only(
    published_a, admin_a, admin_b, trainer_a, learner
):
    assert not selectors.can_see_meeting_link(user=learner, session=published_a)
    p = services.participant_request(session=published_a, user=learner)
    assert not selectors.can_see_meeting_link(user=learner, session=published_a)
    services.participant_accept(participant=p, actor=trainer_a.user)
    assert selectors.can_see_meeting_link(user=learner, session=published_a)
    assert selectors.can_see_meeting_link(user=trainer_a.user, session=published_a)
    assert selectors.can_see_meeting_link(user=admin_a, session=published_a)
    assert not selectors.can_see_meeting_link(user=admin_b, session=published_a)


def test_directory_shows_suspended_parties_as_such(org_a, org_b, examiner_user, trainer_a):
    services.accreditation_suspend(
        accreditation=org_b.accreditations.get(), actor=examiner_user, notes="Audit."
    )
    orgs = {o.slug: o.public_status for o in selectors.organisations_directory()}
    assert orgs == {"alpha": "accredited", "beta": "suspended"}
    assert selectors.organisation_public(slug="beta").public_status == "suspended"
    assert [o.slug for o in selectors.organisations_directory(country="fr")] == ["beta"]


def test_applicants_are_not_in_the_directory(certification):
    from .factories import OrganisationFactory

    org = OrganisationFactory(slug="hopeful")
    services.accreditation_apply(certification=certification, organisation=org)
    assert selectors.organisation_public(slug="hopeful") is None
    assert selectors.organisations_directory() == []


def test_trainer_directory_filters_by_language_and_country(trainer_a, trainer_b):
    trainer_a.languages = "en,de"
    trainer_a.save()
    assert [t.pk for t in selectors.trainers_directory(language="de")] == [trainer_a.pk]
    assert [t.pk for t in selectors.trainers_directory(language="e")] == []
    assert [t.pk for t in selectors.trainers_directory(country="FR")] == [trainer_b.pk]


def test_courses_hook_lists_upcoming_published_sessions(published_a, session_a, certification):
    from courses.hooks import upcoming_sessions

    sessions = upcoming_sessions(certification)
    assert [s.pk for s in sessions] == [published_a.pk]
    s = sessions[0]
    assert s.seats_left == 10 and s.organisation_name == "Alpha Training" and s.mode_label == "Online"
    assert s.get_absolute_url() == f"/sessions/{s.pk}/"

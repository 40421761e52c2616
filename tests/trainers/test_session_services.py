from datetime import timedelta

import pytest

from certificates.services import certificate_revoke
from trainers import errors, services
from trainers.models import Membership

from .conftest import accredit, make_session, make_trainer
from .factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_publish_with_valid_accreditations(session_a, admin_a):
    session = services.session_publish(session=session_a, actor=admin_a)
    assert session.status == "published" and session.published_at


def test_publish_is_refused_when_the_certification_is_outside_the_organisations_scope(
    org_a, trainer_a, admin_a, examiner_user
):
    from tests.factories import CertificationFactory, QuestionFactory, TopicFactory

    other = CertificationFactory(code="OTH")
    QuestionFactory(topic=TopicFactory(certification=other))
    from .factories import CertificateFactory

    CertificateFactory(user=trainer_a.user, certification=other)
    accredit(examiner=examiner_user, certification=other, trainer=trainer_a)
    session = make_session(org_a, [trainer_a], other, admin_a)
    with pytest.raises(errors.NotAccredited, match="Alpha Training holds no accreditation for OTH"):
        services.session_publish(session=session, actor=admin_a)
    session.refresh_from_db()
    assert session.status == "draft"


def test_publish_is_refused_when_the_trainer_is_not_accredited(org_a, certification, examiner_user, admin_a):
    trainer = make_trainer(org_a, certification, examiner_user, accredited=False)
    session = make_session(org_a, [trainer], certification, admin_a)
    with pytest.raises(errors.NotAccredited, match=trainer.display_name):
        services.session_publish(session=session, actor=admin_a)


def test_publish_is_refused_when_accreditation_ends_before_the_session(
    org_a, certification, examiner_user, admin_a
):
    trainer = make_trainer(org_a, certification, examiner_user, accredited=False)
    accredit(examiner=examiner_user, certification=certification, trainer=trainer, days_after=9)
    ok = make_session(org_a, [trainer], certification, admin_a, days=7, length_days=2)
    services.session_publish(session=ok, actor=admin_a)
    too_long = make_session(org_a, [trainer], certification, admin_a, days=9, length_days=2)
    with pytest.raises(errors.NotAccredited, match="valid from"):
        services.session_publish(session=too_long, actor=admin_a)


def test_publish_is_refused_when_the_organisation_accreditation_is_suspended(
    session_a, admin_a, org_a, examiner_user
):
    services.accreditation_suspend(
        accreditation=org_a.accreditations.get(), actor=examiner_user, notes="Audit."
    )
    with pytest.raises(errors.NotAccredited):
        services.session_publish(session=session_a, actor=admin_a)


def test_publish_is_refused_when_the_trainer_lost_the_certificate(
    session_a, admin_a, trainer_a, examiner_user
):
    certificate = trainer_a.user.certificates.get()
    certificate_revoke(certificate=certificate, actor=examiner_user, reason="Fraud.")
    assert trainer_a.accreditations.get().status == "suspended"
    with pytest.raises(errors.NotAccredited, match="certificate"):
        services.session_publish(session=session_a, actor=admin_a)


def test_affiliate_needs_its_sponsor_accredited_too(affiliate, org_a, certification, examiner_user):
    trainer = make_trainer(affiliate, certification, examiner_user)
    session = make_session(affiliate, [trainer], certification, None)
    services.accreditation_suspend(
        accreditation=org_a.accreditations.get(), actor=examiner_user, notes="Audit."
    )
    with pytest.raises(errors.NotAccredited, match="Alpha Training"):
        services.session_publish(session=session, actor=None)


def test_publish_is_refused_when_trainer_is_double_booked(
    published_a, org_a, trainer_a, certification, admin_a
):
    clash = services.session_create(
        organisation=org_a,
        certification=certification,
        trainers=[trainer_a],
        actor=admin_a,
        starts_at=published_a.starts_at + timedelta(hours=2),
        ends_at=published_a.ends_at + timedelta(hours=2),
        meeting_link="https://meet.example/x",
    )
    with pytest.raises(errors.DoubleBooked, match="already teaching"):
        services.session_publish(session=clash, actor=admin_a)
    adjacent = services.session_create(
        organisation=org_a,
        certification=certification,
        trainers=[trainer_a],
        actor=admin_a,
        starts_at=published_a.ends_at,
        ends_at=published_a.ends_at + timedelta(hours=3),
        meeting_link="https://meet.example/x",
    )
    assert services.session_publish(session=adjacent, actor=admin_a).status == "published"


def test_moving_a_published_session_onto_another_is_refused(
    published_a, org_a, trainer_a, certification, admin_a
):
    later = make_session(org_a, [trainer_a], certification, admin_a, days=20)
    services.session_publish(session=later, actor=admin_a)
    with pytest.raises(errors.DoubleBooked):
        services.session_update(
            session=later, actor=admin_a, starts_at=published_a.starts_at, ends_at=published_a.ends_at
        )
    later.refresh_from_db()
    assert later.starts_at > published_a.ends_at


def test_trainers_must_belong_to_the_organisation(org_a, trainer_b, certification, admin_a):
    with pytest.raises(errors.NotAllowed, match="Not a trainer of Alpha Training"):
        make_session(org_a, [trainer_b], certification, admin_a)


def test_online_session_needs_a_meeting_link(org_a, trainer_a, certification, admin_a):
    with pytest.raises(errors.InvalidTransition, match="meeting link"):
        make_session(org_a, [trainer_a], certification, admin_a, meeting_link="")


def test_cancel_and_complete(published_a, admin_a, trainer_a):
    with pytest.raises(errors.InvalidTransition, match="started"):
        services.session_complete(session=published_a, actor=admin_a)
    done = services.session_complete(session=published_a, actor=admin_a, now=published_a.ends_at)
    assert done.status == "completed"
    with pytest.raises(errors.InvalidTransition):
        services.session_cancel(session=done, actor=admin_a)


def test_cancel_tells_the_participants(
    published_a, admin_a, learner, mailoutbox, django_capture_on_commit_callbacks
):
    services.participant_invite(session=published_a, user=learner, actor=admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(session=published_a, actor=admin_a, reason="Trainer ill.")
    assert published_a.status == "cancelled"
    assert [m.to for m in mailoutbox] == [[learner.email]]
    assert "cancelled" in mailoutbox[0].subject.lower()


def test_membership_gives_the_site_role(certification):
    from accounts.roles import is_ato_admin, is_trainer
    from tests.factories import UserFactory

    org = OrganisationFactory()
    user = UserFactory()
    services.membership_add(organisation=org, user=user, role=Membership.Role.ADMIN)
    assert is_ato_admin(user) and not is_trainer(user)


def test_session_dates_use_its_time_zone(org_a, trainer_a, certification, admin_a):
    from datetime import UTC, datetime

    start = datetime(2031, 3, 3, 23, 30, tzinfo=UTC)  # 4 March, 00:30 in Berlin
    session = services.session_create(
        organisation=org_a,
        certification=certification,
        trainers=[trainer_a],
        actor=admin_a,
        starts_at=start,
        ends_at=start + timedelta(days=1),
        time_zone="Europe/Berlin",
        meeting_link="https://meet.example/x",
    )
    assert [d.isoformat() for d in session.days] == ["2031-03-04", "2031-03-05"]

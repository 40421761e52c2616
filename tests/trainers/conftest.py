"""Personas and a small world: organisation A (an ATO) with its admin and an
accredited trainer, organisation B (another ATO), and an affiliate of A."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import EXAMINER, role_add
from tests.factories import UserFactory
from trainers import services
from trainers.models import Membership

from .factories import CertificateFactory, OrganisationFactory


def accredit(*, examiner, certification, organisation=None, trainer=None, days_before=30, days_after=365):
    today = timezone.localdate()
    acc = services.accreditation_apply(
        certification=certification, organisation=organisation, trainer=trainer
    )
    return services.accreditation_decide(
        accreditation=acc,
        actor=examiner,
        accredit=True,
        notes="Audit passed.",
        valid_from=today - timedelta(days=days_before),
        valid_until=today + timedelta(days=days_after),
    )


def make_trainer(organisation, certification, examiner, *, accredited=True, email=None):
    user = UserFactory(**({"email": email} if email else {}))
    services.membership_add(organisation=organisation, user=user, role=Membership.Role.TRAINER)
    profile = user.trainer_profile
    CertificateFactory(user=user, certification=certification)
    if accredited:
        accredit(examiner=examiner, certification=certification, trainer=profile)
    return profile


@pytest.fixture
def examiner_user(db):
    user = UserFactory(email="exam-body@test.example")
    role_add(user, EXAMINER)
    return user


@pytest.fixture
def org_a(db, certification, examiner_user):
    org = OrganisationFactory(name="Alpha Training", slug="alpha", country="DE")
    accredit(examiner=examiner_user, certification=certification, organisation=org)
    return org


@pytest.fixture
def org_b(db, certification, examiner_user):
    org = OrganisationFactory(name="Beta Academy", slug="beta", country="FR")
    accredit(examiner=examiner_user, certification=certification, organisation=org)
    return org


@pytest.fixture
def affiliate(db, org_a, certification, examiner_user):
    org = OrganisationFactory(
        name="Gamma Affiliate", slug="gamma", country="AT", kind="affiliate", sponsor=org_a
    )
    accredit(examiner=examiner_user, certification=certification, organisation=org)
    return org


@pytest.fixture
def admin_a(db, org_a):
    user = UserFactory(email="admin-a@test.example")
    services.membership_add(organisation=org_a, user=user, role=Membership.Role.ADMIN)
    return user


@pytest.fixture
def admin_b(db, org_b):
    user = UserFactory(email="admin-b@test.example")
    services.membership_add(organisation=org_b, user=user, role=Membership.Role.ADMIN)
    return user


@pytest.fixture
def trainer_a(org_a, certification, examiner_user):
    return make_trainer(org_a, certification, examiner_user, email="trainer-a@test.example")


@pytest.fixture
def trainer_a2(org_a, certification, examiner_user):
    """A second trainer of organisation A: an insider who does not teach session A."""
    return make_trainer(org_a, certification, examiner_user, email="trainer-a2@test.example")


@pytest.fixture
def trainer_b(org_b, certification, examiner_user):
    return make_trainer(org_b, certification, examiner_user, email="trainer-b@test.example")


def future(days=7, hours=9):
    start = (timezone.now() + timedelta(days=days)).replace(hour=hours, minute=0, second=0, microsecond=0)
    return start, start + timedelta(hours=8)


def make_session(
    organisation, trainers, certification, actor, *, days=7, length_days=1, capacity=10, **fields
):
    start, _ = future(days)
    end = start + timedelta(days=length_days - 1, hours=8)
    fields.setdefault("mode", "online")
    fields.setdefault("meeting_link", "https://meet.example/room-42")
    return services.session_create(
        organisation=organisation,
        certification=certification,
        trainers=trainers,
        actor=actor,
        starts_at=start,
        ends_at=end,
        time_zone="Europe/Berlin",
        language="en",
        capacity=capacity,
        **fields,
    )


@pytest.fixture
def session_a(org_a, trainer_a, certification, admin_a):
    return make_session(org_a, [trainer_a], certification, admin_a)


@pytest.fixture
def published_a(session_a, admin_a):
    return services.session_publish(session=session_a, actor=admin_a)


@pytest.fixture
def session_b(org_b, trainer_b, certification, admin_b):
    session = make_session(org_b, [trainer_b], certification, admin_b)
    return services.session_publish(session=session, actor=admin_b)

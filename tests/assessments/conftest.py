import pytest

from assessments import services
from assessments.models import ProviderMembership, RequirementItem
from content.fitsm.loader import instrument_load, levels_load
from tests.factories import UserFactory

ROLE = ProviderMembership.Role


@pytest.fixture
def instrument(db):
    instrument_load()
    levels_load()
    return services.selectors.instrument_current()


@pytest.fixture
def owner(db):
    return UserFactory(email="owner@provider.example")


@pytest.fixture
def assessor(db):
    return UserFactory(email="assessor@provider.example")


@pytest.fixture
def second_assessor(db):
    return UserFactory(email="assessor2@provider.example")


@pytest.fixture
def viewer(db):
    return UserFactory(email="viewer@provider.example")


@pytest.fixture
def outsider(db):
    return UserFactory(email="outsider@elsewhere.example")


@pytest.fixture
def provider(owner, assessor, second_assessor, viewer):
    provider = services.provider_register(name="Acme IT Services", country="de", actor=owner)
    for user, role in ((assessor, ROLE.ASSESSOR), (second_assessor, ROLE.ASSESSOR), (viewer, ROLE.VIEWER)):
        ProviderMembership.objects.create(provider=provider, user=user, role=role)
    return provider


@pytest.fixture
def assessment(provider, owner, instrument):
    return services.assessment_create(provider=provider, title="2026 baseline", actor=owner)


def item(code, instrument=None):
    qs = RequirementItem.objects.filter(code=code)
    if instrument is not None:
        qs = qs.filter(instrument=instrument)
    return qs.select_related("requirement").get()


def score_all(assessment, actor, value=4, overrides=None, start=1):
    """Score every in-scope item `value` (or overrides[code]); sequence numbers from `start`."""
    overrides = overrides or {}
    scope = {e.requirement_id: e.in_scope for e in assessment.scope.all()}
    seq = start
    for it in RequirementItem.objects.filter(instrument=assessment.instrument).select_related("requirement"):
        if scope.get(it.requirement_id, True):
            seq += 1
            services.assessment_score_save(
                assessment=assessment, item=it, score=overrides.get(it.code, value), seq=seq, actor=actor
            )


def scope_entries(assessment, **changes):
    """All scope entries of the assessment as the service takes them, with `changes` applied."""
    entries = {
        e.requirement.code: {"in_scope": e.in_scope, "reason": e.reason, "target": e.target}
        for e in assessment.scope.select_related("requirement")
    }
    for code, change in changes.items():
        entries[code] = entries[code] | change
    return entries


# --- certification workflow ------------------------------------------------------------------


@pytest.fixture
def examiner(db):
    from accounts.roles import EXAMINER, role_add

    user = UserFactory(email="examiner@body.example")
    role_add(user, EXAMINER)
    return user


@pytest.fixture
def second_examiner(db):
    from accounts.roles import EXAMINER, role_add

    user = UserFactory(email="examiner2@body.example")
    role_add(user, EXAMINER)
    return user


def accredit(user, examiner, *, days_before=30, days_after=365):
    from datetime import timedelta

    from django.utils import timezone

    from assessments import auditors

    today = timezone.localdate()
    return auditors.auditor_accreditation_grant(
        user=user,
        valid_from=today - timedelta(days=days_before),
        valid_until=today + timedelta(days=days_after),
        actor=examiner,
        reason="Completed the auditor training",
    )


@pytest.fixture
def auditor(db, examiner):
    user = UserFactory(email="auditor@body.example")
    accredit(user, examiner)
    return user


@pytest.fixture
def application(provider, owner, instrument):
    from assessments import certification
    from assessments.models import CertificationLevel

    return certification.application_submit(
        provider=provider,
        level=CertificationLevel.objects.get(code="essentials"),
        scope_statement="Hosting and service desk for our customers in Germany",
        actor=owner,
    )


def audit_started(application, examiner, auditor):
    from assessments import certification

    certification.application_auditor_assign(application=application, auditor=auditor, actor=examiner)
    return certification.application_declare(application=application, actor=auditor, has_conflict=False)


def audit_completed(application, examiner, auditor, value=4):
    from assessments import certification

    application = audit_started(application, examiner, auditor)
    score_all(application.audit_assessment, auditor, value=value)
    return certification.audit_complete(
        application=application, actor=auditor, recommendation="granted", notes="Well run"
    )

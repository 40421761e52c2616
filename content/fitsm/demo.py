"""Demo data of the self-assessment (development only): a service provider whose SMS owner is a
demo account, a colleague assessor, one submitted and one ongoing self-assessment. Idempotent:
what exists is kept ("already exists — skipping"). Built through the services the pages use."""

from django.db import transaction
from django.utils import timezone

from assessments import services
from assessments.models import (
    Assessment,
    CertificationLevel,
    ProviderMembership,
    RequirementItem,
    ServiceProvider,
)

from ..demo import DEMO_PASSWORD, _user
from .loader import instrument_load, levels_load

PROVIDER_SLUG = "fitsm-demo-services"
OWNER = ("provider@example.org", "Petra", "Provider")
ASSESSOR = ("assessor@example.org", "Sam", "Assessor")
AUDITOR = ("auditor@example.org", "Alex", "Auditor")
CERTIFIED_SLUG = "fitsm-demo-hosting"
FINISHED = "Baseline self-assessment"
ONGOING = "Follow-up self-assessment"


def _scores(assessment, owner, pattern):
    """Score every item in scope: pattern(item) → score."""
    items = RequirementItem.objects.filter(instrument=assessment.instrument).select_related("requirement")
    scope = {e.requirement_id: e.in_scope for e in assessment.scope.all()}
    for seq, item in enumerate(items, start=1):
        if scope.get(item.requirement_id, True):
            value = pattern(item)
            if value is not None:
                services.assessment_score_save(
                    assessment=assessment, item=item, score=value, seq=seq, actor=owner, comment=""
                )


@transaction.atomic
def assessment_demo_seed():
    """Returns {"accounts": [...], "lines": [...]}."""
    lines = []
    owner, _ = _user(*OWNER, None)
    assessor, _ = _user(*ASSESSOR, None)
    accounts = [
        {"email": OWNER[0], "password": DEMO_PASSWORD, "role": "sms_owner"},
        {"email": ASSESSOR[0], "password": DEMO_PASSWORD, "role": "assessor"},
    ]
    provider = ServiceProvider.objects.filter(slug=PROVIDER_SLUG).first()
    if provider is None:
        provider = services.provider_register(
            name="FitSM Demo Services",
            slug=PROVIDER_SLUG,
            country="DE",
            website="https://services.example.org",
            actor=owner,
        )
        ProviderMembership.objects.get_or_create(
            provider=provider, user=assessor, defaults={"role": ProviderMembership.Role.ASSESSOR}
        )
        lines.append(f"Provider {provider.name}: created.")
    else:
        lines.append(f"Provider {provider.name}: already exists — skipping.")
    if services.selectors.instrument_current() is None:  # a database loaded before the instrument existed
        instrument_load()
        lines.append("Assessment instrument: loaded.")
    if not CertificationLevel.objects.exists():
        levels_load()
        lines.append("Certification levels: loaded.")
    if not provider.assessments.filter(title=FINISHED).exists():
        finished = services.assessment_create(provider=provider, title=FINISHED, actor=owner)
        entries = {
            e.requirement.code: {
                "in_scope": True,
                "reason": "",
                "target": 4 if e.requirement.is_general else 3,
            }
            for e in finished.scope.select_related("requirement")
        }
        entries["PR5"] = {
            "in_scope": False,
            "reason": "Capacity is planned by the hosting partner.",
            "target": 3,
        }
        services.assessment_scope_set(assessment=finished, actor=owner, entries=entries)
        _scores(
            finished, owner, lambda item: 4 if item.requirement.is_general else (3 if item.ordinal % 2 else 2)
        )
        services.assessment_submit(assessment=finished, actor=owner, now=timezone.now())
        lines.append(f"Assessment {FINISHED}: created and submitted.")
    else:
        lines.append(f"Assessment {FINISHED}: already exists — skipping.")
    if not provider.assessments.filter(title=ONGOING).exists():
        ongoing = services.assessment_create(provider=provider, title=ONGOING, actor=owner)
        _scores(ongoing, owner, lambda item: 4 if item.requirement.is_general else None)
        lines.append(f"Assessment {ONGOING}: created, general requirements scored.")
    else:
        lines.append(f"Assessment {ONGOING}: already exists — skipping.")
    certified = certification_demo_seed(owner=owner)
    accounts += certified["accounts"]
    lines += certified["lines"]
    return {
        "accounts": accounts,
        "lines": lines,
        "provider": provider.slug,
        "assessments": list(
            provider.assessments.filter(kind=Assessment.Kind.SELF).values_list("pk", flat=True)
        ),
        "certified_provider": CERTIFIED_SLUG,
    }


def certification_demo_seed(*, owner):
    """An accredited auditor, and a provider whose application for FitSM Essentials was granted
    after an audit (plan, scores, a minor nonconformity answered and accepted, an observation).
    The decision is recorded; the certificate itself is the certificates app's to issue."""
    from datetime import date, timedelta

    from accounts.roles import EXAMINER
    from assessments import auditors, certification, errors
    from assessments.models import AuditorAccreditation, CertificationLevel

    lines = []
    auditor, _ = _user(*AUDITOR, None)
    examiner, _ = _user("examiner@example.org", "Erik", "Examiner", EXAMINER)
    accounts = [{"email": AUDITOR[0], "password": DEMO_PASSWORD, "role": "auditor"}]
    today = timezone.localdate()
    if not AuditorAccreditation.objects.filter(user=auditor).exists():
        try:
            auditors.auditor_accreditation_grant(
                user=auditor,
                valid_from=today - timedelta(days=60),
                valid_until=today + timedelta(days=3 * 365),
                actor=examiner,
                reason="Demo: completed the auditor training and a witnessed audit.",
            )
        except errors.AssessmentError as exc:
            lines.append(f"Auditor {AUDITOR[0]}: not accredited ({exc.detail}).")
            return {"accounts": accounts, "lines": lines}
        lines.append(f"Auditor {AUDITOR[0]}: accredited.")
    else:
        lines.append(f"Auditor {AUDITOR[0]}: already exists — skipping.")
    provider = ServiceProvider.objects.filter(slug=CERTIFIED_SLUG).first()
    if provider is not None:
        lines.append(f"Certified provider {provider.name}: already exists — skipping.")
        lines += _certificates_issue(certification)
        return {"accounts": accounts, "lines": lines}
    provider = services.provider_register(
        name="FitSM Demo Hosting",
        slug=CERTIFIED_SLUG,
        country="NL",
        website="https://hosting.example.org",
        actor=owner,
    )
    application = certification.application_submit(
        provider=provider,
        level=CertificationLevel.objects.get(code="essentials"),
        scope_statement="Managed hosting and the service desk for business customers, run from the Utrecht office.",
        actor=owner,
    )
    certification.application_auditor_assign(application=application, auditor=auditor, actor=examiner)
    application = certification.application_declare(
        application=application, actor=auditor, has_conflict=False
    )
    for offset, location, people in (
        (0, "Utrecht office", "SMS owner; service portfolio manager"),
        (1, "Utrecht office", "Incident and service request manager; change manager"),
    ):
        certification.plan_entry_add(
            application=application,
            actor=auditor,
            day=date(today.year, 1, 1) + timedelta(days=20 + offset),
            location=location,
            interviewees=people,
        )
    _scores(application.audit_assessment, auditor, lambda item: 4)
    minor = certification.finding_raise(
        application=application,
        actor=auditor,
        item=RequirementItem.objects.get(instrument=application.audit_assessment.instrument, code="PR6.1"),
        kind="minor",
        description="Two incidents in the sample were closed without the user's confirmation.",
        evidence="Incident records sampled from the ticket system.",
    )
    certification.finding_answer(
        finding=minor, actor=owner, text="Closing an incident now asks for the user's confirmation."
    )
    certification.finding_review(
        finding=minor, actor=auditor, accept=True, notes="Checked on the second day."
    )
    certification.finding_raise(
        application=application,
        actor=auditor,
        item=RequirementItem.objects.get(instrument=application.audit_assessment.instrument, code="GR1.3"),
        kind="observation",
        description="The management review minutes could name the owner of each action.",
    )
    application = certification.audit_complete(
        application=application, actor=auditor, recommendation="granted", notes="Essentials criteria met."
    )
    certification.application_decide(
        application=application,
        actor=examiner,
        outcome="granted",
        reasons="The audit shows the Essentials criteria met.",
    )
    lines.append(f"Certified provider {provider.name}: audited, FitSM Essentials granted.")
    lines += _certificates_issue(certification)
    return {"accounts": accounts, "lines": lines}


def _certificates_issue(certification):
    """The certificate of every grant, issued by the same service as after a decision (the demo
    runs in one transaction, so the call after the commit comes too late for its own output; a
    database seeded before organisations' certificates existed gets them here too)."""
    issued = certification.grant_certificates_issue_missing()
    return [f"Organisation certificates: {issued} issued."] if issued else []


def demo_assessment_ids():
    return list(
        Assessment.objects.filter(provider__slug=PROVIDER_SLUG, kind=Assessment.Kind.SELF).values_list(
            "pk", flat=True
        )
    )

"""Reads of the certification workflow: who may see an application and in which capacity, the
auditor register's eligibility, what still blocks an audit's completion, and the readiness advice
shown to the deciding examiner.

Visibility: an application is visible to the provider's members, to its lead auditor (and to the
auditor assigned and still to declare), and to examiners; to anyone else it does not exist."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import is_examiner

from . import selectors
from .models import (
    AuditorAccreditation,
    CertificationApplication,
    CertificationLevel,
    Finding,
    ProviderMembership,
)

APP = CertificationApplication.State
EVENT_LABELS = {
    "submitted": gettext_lazy("Application submitted"),
    "withdrawn": gettext_lazy("Application withdrawn"),
    "auditor_assigned": gettext_lazy("Lead auditor assigned"),
    "conflict_declared": gettext_lazy("Conflict of interest declared; assignment ended"),
    "no_conflict_declared": gettext_lazy("No conflict of interest declared; audit started"),
    "plan_entry_added": gettext_lazy("Audit plan entry added"),
    "plan_entry_removed": gettext_lazy("Audit plan entry removed"),
    "finding_raised": gettext_lazy("Finding recorded"),
    "finding_answered": gettext_lazy("Corrective action proposed"),
    "corrective_action_accepted": gettext_lazy("Corrective action accepted"),
    "corrective_action_rejected": gettext_lazy("Corrective action rejected"),
    "audit_completed": gettext_lazy("Audit completed"),
    "decided": gettext_lazy("Decision recorded"),
}


@dataclass(frozen=True)
class Access:
    """In which capacities a person sees an application (a person may hold more than one)."""

    member_role: str | None
    is_auditor: bool
    is_examiner: bool

    @property
    def visible(self):
        return bool(self.member_role or self.is_auditor or self.is_examiner)

    @property
    def is_owner(self):
        return self.member_role == ProviderMembership.Role.SMS_OWNER


def accreditation_of(user):
    if not getattr(user, "is_authenticated", False):
        return None
    return AuditorAccreditation.objects.filter(user=user).first()


def auditor_is_accredited(*, user, today=None):
    """Active and within its validity today."""
    today = today or timezone.localdate()
    return AuditorAccreditation.objects.filter(
        user=user, state=AuditorAccreditation.State.ACTIVE, valid_from__lte=today, valid_until__gte=today
    ).exists()


def auditor_ineligibility(*, application, user, today=None):
    """Why the person cannot lead this application's audit ([] when they can)."""
    reasons = []
    if not auditor_is_accredited(user=user, today=today):
        reasons.append(
            _("%(email)s holds no active, unexpired auditor accreditation.") % {"email": user.email}
        )
    if ProviderMembership.objects.filter(provider=application.provider_id, user=user).exists():
        reasons.append(_("%(email)s is a member of the provider.") % {"email": user.email})
    if application.declarations.filter(auditor=user, has_conflict=True).exists():
        reasons.append(
            _("%(email)s has declared a conflict of interest for this application.") % {"email": user.email}
        )
    return reasons


def eligible_auditors(*, application, today=None):
    """The accredited auditors who could lead this application's audit."""
    today = today or timezone.localdate()
    accreditations = AuditorAccreditation.objects.filter(
        state=AuditorAccreditation.State.ACTIVE, valid_from__lte=today, valid_until__gte=today
    ).select_related("user")
    members = set(
        ProviderMembership.objects.filter(provider=application.provider_id).values_list("user_id", flat=True)
    )
    conflicted = set(application.declarations.filter(has_conflict=True).values_list("auditor_id", flat=True))
    return [a.user for a in accreditations if a.user_id not in members | conflicted]


def access_to(*, application, user):
    if not getattr(user, "is_authenticated", False):
        return Access(None, False, False)
    membership = selectors.membership_of(provider=application.provider, user=user)
    return Access(
        member_role=membership.role if membership else None,
        is_auditor=application.lead_auditor_id == user.pk,
        is_examiner=is_examiner(user),
    )


def application_for_reader(*, application_id, user):
    """(application, Access) when the person may see the application, else None."""
    application = (
        CertificationApplication.objects.select_related(
            "provider", "level", "self_assessment", "lead_auditor", "audit_assessment", "granted_level"
        )
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        return None
    access = access_to(application=application, user=user)
    return (application, access) if access.visible else None


def applications_all(*, state=""):
    qs = CertificationApplication.objects.select_related("provider", "level", "lead_auditor")
    if state:
        qs = qs.filter(state=state)
    return list(qs)


def audits_of(user):
    return list(
        CertificationApplication.objects.filter(lead_auditor=user)
        .select_related("provider", "level")
        .order_by("-applied_at")
    )


def provider_applications(provider):
    return list(provider.applications.select_related("level", "granted_level"))


def provider_open_application(provider):
    return provider.applications.exclude(state__in=[APP.DECIDED, APP.WITHDRAWN]).first()


def submitted_self_assessments(provider):
    from .models import Assessment

    return list(
        provider.assessments.filter(kind=Assessment.Kind.SELF, state=Assessment.State.SUBMITTED).order_by(
            "-submitted_at"
        )
    )


def application_levels():
    return list(CertificationLevel.objects.all())


def lower_level(level):
    """The level just below (FitSM Plus → FitSM Essentials), or None."""
    return (
        CertificationLevel.objects.filter(position__lt=level.position).order_by("-position", "code").first()
    )


def application_findings(application):
    return list(application.findings.select_related("item", "raised_by").prefetch_related("actions"))


def application_plan(application):
    return list(application.plan_entries.all())


def application_events(application):
    """The steps of the application, each with a `label` for people."""
    events = list(application.events.select_related("actor"))
    for event in events:
        event.label = EVENT_LABELS.get(event.action, event.action)
    return events


def completion_blockers(application):
    """What still prevents the auditor from completing the audit ([] when nothing)."""
    blockers = []
    majors = application.findings.filter(kind=Finding.Kind.MAJOR).exclude(state=Finding.State.CLOSED)
    for finding in majors.select_related("item"):
        blockers.append(
            _(
                "The major nonconformity on %(item)s is not closed: its corrective action must be accepted first."
            )
            % {"item": finding.item.code}
        )
    if application.audit_assessment_id:
        progress = selectors.assessment_progress(application.audit_assessment)
        if progress["scored"] < progress["in_scope"]:
            blockers.append(
                _("%(left)s of %(total)s items in the audit's scope are not scored yet.")
                % {"left": progress["in_scope"] - progress["scored"], "total": progress["in_scope"]}
            )
    else:
        blockers.append(_("The audit has not started."))
    return blockers


def decision_advice(application):
    """Readiness of the auditor's assessment for the level applied for and the level below it:
    advice for the examiner, never the decision itself. [] before the audit exists."""
    if not application.audit_assessment_id:
        return []
    levels = [application.level]
    lower = lower_level(application.level)
    if lower is not None:
        levels.append(lower)
    return [selectors.readiness(assessment=application.audit_assessment, level=level) for level in levels]

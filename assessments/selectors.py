"""Reads of the assessments app: who may see what, progress, results, gaps, readiness, trend.

Visibility: a provider and its assessments are visible to its members and, read-only, to
examiners; to anyone else they do not exist (the views and the API answer 404)."""

import re
from statistics import mean

from accounts.roles import is_examiner

from .models import (
    Assessment,
    CertificationLevel,
    Evidence,
    Instrument,
    ProviderInvitation,
    ProviderMembership,
    Requirement,
    RequirementItem,
    ScopeEntry,
    Score,
    ScoreChange,
    ServiceProvider,
)

ROLE = ProviderMembership.Role
EXAMINER_READ = "examiner"  # the reading role of an examiner who is not a member
AUDITOR = "auditor"  # the lead auditor of an audit in progress: scores and scopes the audit
READER = "reader"  # reads an assessment it does not belong to (a member reading the audit, ...)
SCORING_ROLES = (ROLE.SMS_OWNER, ROLE.ASSESSOR, AUDITOR)
MANAGING_ROLES = (ROLE.SMS_OWNER, AUDITOR)


def can_score(role):
    return role in SCORING_ROLES


def can_manage(role):
    return role in MANAGING_ROLES


def instrument_current():
    return Instrument.objects.filter(is_current=True).first()


def membership_of(*, provider, user):
    if not getattr(user, "is_authenticated", False):
        return None
    return ProviderMembership.objects.filter(provider=provider, user=user).first()


def role_at(*, provider, user):
    """The person's role at the provider: a membership role, "examiner" (read only), or None."""
    membership = membership_of(provider=provider, user=user)
    if membership is not None:
        return membership.role
    if is_examiner(user):
        return EXAMINER_READ
    return None


def provider_for_reader(*, slug, user):
    """(provider, role) when the person may see the provider, else None."""
    provider = ServiceProvider.objects.filter(slug=slug).first()
    if provider is None:
        return None
    role = role_at(provider=provider, user=user)
    return (provider, role) if role else None


def assessment_role(*, assessment, user):
    """The person's role on one assessment. A self-assessment: the membership role, "examiner"
    (read only), or "reader" for the lead auditor of an application based on it. An audit: the
    lead auditor is "auditor" while the audit is in progress (a "reader" afterwards); examiners
    read it; the provider's members read it once the audit is completed. None: no access."""
    from .models import CertificationApplication

    if not getattr(user, "is_authenticated", False):
        return None
    APP = CertificationApplication.State
    if assessment.kind == Assessment.Kind.AUDIT:
        application = CertificationApplication.objects.filter(audit_assessment=assessment).first()
        if application is not None and application.lead_auditor_id == user.pk:
            return AUDITOR if application.state == APP.AUDIT_IN_PROGRESS else READER
        if is_examiner(user):
            return EXAMINER_READ
        completed = application is not None and application.state in (APP.AUDIT_COMPLETED, APP.DECIDED)
        if completed and membership_of(provider=assessment.provider, user=user) is not None:
            return READER
        return None
    role = role_at(provider=assessment.provider, user=user)
    if role:
        return role
    audited = assessment.applications.filter(lead_auditor=user).exclude(state=APP.WITHDRAWN).exists()
    return READER if audited else None


def assessment_for_reader(*, assessment_id, user):
    """(assessment, role) when the person may see the assessment, else None."""
    assessment = (
        Assessment.objects.select_related("provider", "instrument", "created_by", "submitted_by")
        .filter(pk=assessment_id)
        .first()
    )
    if assessment is None:
        return None
    role = assessment_role(assessment=assessment, user=user)
    return (assessment, role) if role else None


def providers_for_user(user):
    if not getattr(user, "is_authenticated", False):
        return []
    memberships = ProviderMembership.objects.filter(user=user).select_related("provider")
    return [(m.provider, m.role) for m in memberships.order_by("provider__name")]


def provider_members(provider):
    return list(provider.memberships.select_related("user").order_by("user__email"))


def provider_pending_invitations(provider):
    return list(provider.invitations.filter(status=ProviderInvitation.Status.PENDING))


def provider_assessments(provider):
    """The provider's self-assessments (audits belong to their certification application)."""
    return list(provider.assessments.filter(kind=Assessment.Kind.SELF).select_related("instrument"))


def invitation_by_token(token):
    return ProviderInvitation.objects.select_related("provider").filter(token=token).first()


def invitation_addressed_to(*, invitation, user):
    """Whether the person has verified the address the invitation was sent to."""
    from allauth.account.models import EmailAddress

    if not getattr(user, "is_authenticated", False):
        return False
    return EmailAddress.objects.filter(user=user, email__iexact=invitation.email, verified=True).exists()


def owners_count(provider):
    return provider.memberships.filter(role=ROLE.SMS_OWNER).count()


# --- the instrument and an assessment's data -------------------------------------------------

_CODE = re.compile(r"^([A-Z]+)(\d+)(?:\.(\d+))?$")


def code_key(code):
    """Sort key of a requirement or item code: GR before PR, then by number (PR2.1 < PR10.1)."""
    match = _CODE.match(code or "")
    if not match:
        return (9, 0, 0, code)
    prefix, major, minor = match.groups()
    return (0 if prefix == "GR" else 1, int(major), int(minor or 0), code)


def instrument_requirements(instrument):
    return list(instrument.requirements.prefetch_related("items").order_by("ordinal"))


def scope_entries(assessment):
    """{requirement_id: ScopeEntry} of the assessment."""
    return {e.requirement_id: e for e in ScopeEntry.objects.filter(assessment=assessment)}


def scores_of(assessment):
    """{item_id: Score} of the assessment."""
    return {s.item_id: s for s in Score.objects.filter(assessment=assessment).select_related("changed_by")}


def item_in_scope(*, assessment, item):
    entry = ScopeEntry.objects.filter(assessment=assessment, requirement_id=item.requirement_id).first()
    return entry is None or entry.in_scope


def assessment_item(*, assessment, item_id):
    """A requirement item of the assessment's instrument, or None."""
    return (
        RequirementItem.objects.select_related("requirement")
        .filter(pk=item_id, instrument_id=assessment.instrument_id)
        .first()
    )


def assessment_requirement(*, assessment, code):
    return (
        Requirement.objects.filter(instrument_id=assessment.instrument_id, code=code)
        .prefetch_related("items")
        .first()
    )


def _rows(assessment):
    """Per requirement of the instrument: its scope entry, items and their scores."""
    entries = scope_entries(assessment)
    scores = scores_of(assessment)
    rows = []
    for requirement in instrument_requirements(assessment.instrument):
        entry = entries.get(requirement.pk)
        in_scope = True if entry is None else entry.in_scope
        target = None if entry is None else entry.target
        items = [(item, scores.get(item.pk)) for item in requirement.items.all()]
        rows.append(
            {
                "requirement": requirement,
                "in_scope": in_scope,
                "reason": "" if entry is None else entry.reason,
                "target": target,
                "items": items,
            }
        )
    return rows


def assessment_progress(assessment):
    """{"scored": n, "in_scope": m, "percent": p} over the in-scope items."""
    scored = total = 0
    for row in _rows(assessment):
        if not row["in_scope"]:
            continue
        total += len(row["items"])
        scored += sum(1 for _, s in row["items"] if s is not None)
    return {"scored": scored, "in_scope": total, "percent": round(100 * scored / total) if total else 0}


def assessment_overview(assessment):
    """The requirements with scope, target and how many of their items are scored."""
    out = []
    for row in _rows(assessment):
        out.append(
            {
                "requirement": row["requirement"],
                "in_scope": row["in_scope"],
                "reason": row["reason"],
                "target": row["target"],
                "scored": sum(1 for _, s in row["items"] if s is not None),
                "total": len(row["items"]),
            }
        )
    return out


def requirement_scoring(*, assessment, requirement):
    """The items of one requirement with their stored score, comment, who changed it, and evidence."""
    scores = scores_of(assessment)
    evidence = {}
    for e in Evidence.objects.filter(assessment=assessment, item__requirement=requirement):
        evidence.setdefault(e.item_id, []).append(e)
    items = []
    for item in requirement.items.all():
        items.append({"item": item, "score": scores.get(item.pk), "evidence": evidence.get(item.pk, [])})
    return items


def score_history(*, assessment, item):
    return list(
        ScoreChange.objects.filter(assessment=assessment, item=item).select_related("changed_by")[:20]
    )


def evidence_for_reader(*, assessment, evidence_id):
    return Evidence.objects.filter(assessment=assessment, pk=evidence_id).first()


# --- results ---------------------------------------------------------------------------------


def assessment_results(assessment):
    """Per requirement: target, minimum and mean score, met / not met, the items below target;
    plus the gap list. An item not scored counts as below target (and as 0 in the gap)."""
    requirements = []
    gaps = []
    for row in _rows(assessment):
        requirement = row["requirement"]
        values = [s.score for _, s in row["items"] if s is not None]
        target = row["target"]
        below = []
        if row["in_scope"] and target is not None:
            for item, s in row["items"]:
                value = None if s is None else s.score
                if value is None or value < target:
                    below.append(item.code)
                    gaps.append(
                        {
                            "item": item,
                            "requirement": requirement,
                            "score": value,
                            "target": target,
                            "gap": target - (value or 0),
                            "comment": "" if s is None else s.comment,
                        }
                    )
        requirements.append(
            {
                "requirement": requirement,
                "code": requirement.code,
                "name": requirement.name,
                "kind": requirement.kind,
                "in_scope": row["in_scope"],
                "reason": row["reason"],
                "target": target,
                "minimum": min(values) if values else None,
                "mean": round(mean(values), 2) if values else None,
                "scored": len(values),
                "total": len(row["items"]),
                "met": bool(row["in_scope"] and target is not None and not below),
                "below": sorted(below, key=code_key),
            }
        )
    gaps.sort(key=lambda g: (-g["gap"], code_key(g["item"].code)))
    return {"requirements": requirements, "gaps": gaps}


def certification_levels():
    return list(CertificationLevel.objects.all())


def _rule_requirements(rule, all_codes, named_before):
    named = rule.get("requirements")
    if named == "all":
        return list(all_codes)
    if named == "others":
        return [c for c in all_codes if c not in named_before]
    return [c for c in named if c in all_codes]


def readiness(*, assessment, level):
    """Whether the assessment meets the level's configured criteria, and what is missing.
    {"level": level, "ready": bool, "missing": [str], "exceptions": [item codes]}"""
    from django.utils.translation import gettext as _

    rows = {row["requirement"].code: row for row in _rows(assessment)}
    all_codes = sorted(rows, key=code_key)
    missing, exceptions_all = [], []
    named_before = set()
    for rule in (level.criteria or {}).get("rules", []):
        codes = _rule_requirements(rule, all_codes, named_before)
        if isinstance(rule.get("requirements"), list):
            named_before.update(rule["requirements"])
        minimum = int(rule.get("min_score", 4))
        allowed = int(rule.get("max_exceptions", 0))
        floor = int(rule.get("exception_min_score", minimum))
        exceptions = []
        for code in codes:
            row = rows[code]
            if not row["in_scope"]:
                if rule.get("in_scope_required"):
                    missing.append(
                        _("%(code)s is out of scope, but this level requires it.") % {"code": code}
                    )
                continue
            for item, s in row["items"]:
                value = 0 if s is None else s.score
                if value >= minimum:
                    continue
                if value >= floor:
                    exceptions.append(item.code)
                else:
                    missing.append(
                        _("%(item)s scores %(score)s; this level needs at least %(needed)s.")
                        % {"item": item.code, "score": value, "needed": floor if allowed else minimum}
                    )
        if len(exceptions) > allowed:
            missing.append(
                _("%(count)s items (%(items)s) are below %(minimum)s; at most %(allowed)s may be.")
                % {
                    "count": len(exceptions),
                    "items": ", ".join(sorted(exceptions, key=code_key)),
                    "minimum": minimum,
                    "allowed": allowed,
                }
            )
        exceptions_all += exceptions
    return {"level": level, "ready": not missing, "missing": missing, "exceptions": exceptions_all}


def assessment_readiness(assessment):
    return [readiness(assessment=assessment, level=level) for level in certification_levels()]


def provider_trend(provider):
    """Per requirement, the mean score in each submitted assessment of the provider, oldest first.
    {"assessments": [Assessment], "rows": [{"code", "name", "values": [mean or None]}]}"""
    assessments = list(
        provider.assessments.filter(kind=Assessment.Kind.SELF, state=Assessment.State.SUBMITTED).order_by(
            "submitted_at", "id"
        )
    )
    by_code = {}
    names = {}
    for index, assessment in enumerate(assessments):
        for r in assessment_results(assessment)["requirements"]:
            names.setdefault(r["code"], r["name"])
            by_code.setdefault(r["code"], [None] * len(assessments))
            by_code[r["code"]][index] = r["mean"] if r["in_scope"] else None
    rows = [{"code": c, "name": names[c], "values": by_code[c]} for c in sorted(by_code, key=code_key)]
    return {"assessments": assessments, "rows": rows}


def export_rows(assessment):
    """One row per item: requirement, item, in scope, target, score, gap, comment."""
    results = assessment_results(assessment)
    scores = scores_of(assessment)
    rows = []
    targets = {r["code"]: (r["in_scope"], r["target"]) for r in results["requirements"]}
    for requirement in instrument_requirements(assessment.instrument):
        in_scope, target = targets[requirement.code]
        for item in requirement.items.all():
            s = scores.get(item.pk)
            value = None if s is None else s.score
            gap = max(target - (value or 0), 0) if (in_scope and target is not None) else None
            rows.append(
                {
                    "requirement": requirement.code,
                    "item": item.code,
                    "in_scope": in_scope,
                    "target": target,
                    "score": value,
                    "gap": gap,
                    "comment": "" if s is None else s.comment,
                }
            )
    return rows

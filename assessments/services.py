"""Writes of the assessments app. Every change checks the actor's role at the provider, runs in
one transaction with its audit entry, and moves states by conditional UPDATEs.

Scores are saved as exam answers are: the assessment row is locked, a score is written only when
its sequence number is higher than the stored one (UPDATE … WHERE seq < new), an older or repeated
write changes nothing and is answered with the stored value (`stale`), and a submitted assessment
refuses every change."""

import mimetypes
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.background import enqueue_on_commit
from accounts.services import audit_record
from certificates.storage import private_storage

from . import errors, selectors
from .models import (
    COMMENT_MAX,
    SCORE_MAX,
    SCORE_MIN,
    TARGET_MAX,
    TARGET_MIN,
    Assessment,
    CertificationLevel,
    Evidence,
    ProviderInvitation,
    ProviderMembership,
    Requirement,
    ScopeEntry,
    Score,
    ScoreChange,
    ServiceProvider,
)

ROLE = ProviderMembership.Role
INV = ProviderInvitation.Status
INVITATION_DAYS = 14
SEQ_MAX = 2**53
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "text/plain": ".txt",
    "text/csv": ".csv",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
}
DEFAULT_TARGET = 3


def _require(role, check, detail=None):
    if not check(role):
        raise errors.NotAllowed(detail)


def _role(provider, actor):
    membership = selectors.membership_of(provider=provider, user=actor)
    return membership.role if membership else None


def _assessment_role(assessment, actor):
    """The actor's role on the assessment: a member's role on a self-assessment, "auditor" for
    the lead auditor of an audit in progress (provider members never write to an audit)."""
    role = selectors.assessment_role(assessment=assessment, user=actor)
    if assessment.kind == Assessment.Kind.AUDIT and role != selectors.AUDITOR:
        return None
    return role


# --- certification levels --------------------------------------------------------------------


def level_criteria_validate(*, criteria):
    """Refuse criteria the readiness check could not read."""
    rules = (criteria or {}).get("rules")
    if not isinstance(rules, list) or not rules:
        raise errors.InvalidInput(_("The criteria need a list of rules."), field="criteria")
    for number, rule in enumerate(rules, start=1):
        if not isinstance(rule, dict):
            raise errors.InvalidInput(_("Rule %(n)s is not a mapping.") % {"n": number}, field="criteria")
        named = rule.get("requirements")
        if not (
            named in ("all", "others") or (isinstance(named, list) and all(isinstance(c, str) for c in named))
        ):
            raise errors.InvalidInput(
                _("Rule %(n)s: requirements must be a list of codes, all or others.") % {"n": number},
                field="criteria",
            )
        try:
            minimum = int(rule.get("min_score"))
            allowed = int(rule.get("max_exceptions", 0))
            floor = int(rule.get("exception_min_score", minimum))
        except (TypeError, ValueError):
            raise errors.InvalidInput(
                _("Rule %(n)s: min_score, max_exceptions and exception_min_score are whole numbers.")
                % {"n": number},
                field="criteria",
            ) from None
        if not (SCORE_MIN <= floor <= minimum <= SCORE_MAX) or allowed < 0:
            raise errors.InvalidInput(
                _("Rule %(n)s: need 0 ≤ exception_min_score ≤ min_score ≤ 4 and max_exceptions ≥ 0.")
                % {"n": number},
                field="criteria",
            )
    return criteria


def certification_level_update(*, level, actor, name, summary, validity_years, criteria, now=None):
    """An examiner changes a level (validated, audited with before and after)."""
    from accounts.roles import is_examiner

    if not is_examiner(actor):
        raise errors.NotAllowed(_("Only examiners change the certification levels."))
    level_criteria_validate(criteria=criteria)
    if not 1 <= int(validity_years) <= 10:
        raise errors.InvalidInput(_("Validity is between 1 and 10 years."), field="validity_years")
    now = now or timezone.now()
    with transaction.atomic():
        locked = CertificationLevel.objects.select_for_update().get(pk=level.pk)
        before = {
            "name": locked.name,
            "summary": locked.summary,
            "validity_years": locked.validity_years,
            "criteria": locked.criteria,
        }
        locked.name, locked.summary = name, summary
        locked.validity_years, locked.criteria = int(validity_years), criteria
        locked.edited_by, locked.edited_at = actor, now
        locked.save()
        after = {
            "name": name,
            "summary": summary,
            "validity_years": int(validity_years),
            "criteria": criteria,
        }
        changed = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
        audit_record(action="certification_level.updated", target=locked, actor=actor, data=changed)
    return locked


# --- providers and members -------------------------------------------------------------------


def provider_register(*, name, country, actor, slug="", website=""):
    """Any signed-in person registers a provider and becomes its SMS owner."""
    if not getattr(actor, "is_authenticated", False):
        raise errors.NotAllowed(_("Sign in first."))
    name = (name or "").strip()
    if not name:
        raise errors.InvalidInput(_("Give the organisation's name."), field="name")
    slug = slugify(slug or name)[:80]
    if not slug:
        raise errors.InvalidInput(
            _("Give a short name for the address (letters, digits, hyphens)."), field="slug"
        )
    country = (country or "").strip().upper()
    if len(country) != 2 or not country.isalpha():
        raise errors.InvalidInput(_("Give the two-letter country code, e.g. DE."), field="country")
    if website:
        try:
            URLValidator(schemes=["http", "https"])(website)
        except ValidationError:
            raise errors.InvalidInput(_("Give the website as an http(s) address."), field="website") from None
    try:
        with transaction.atomic():
            provider = ServiceProvider.objects.create(
                name=name, slug=slug, country=country, website=website, created_by=actor
            )
            ProviderMembership.objects.create(provider=provider, user=actor, role=ROLE.SMS_OWNER)
            audit_record(action="provider.registered", target=provider, actor=actor, data={"slug": slug})
    except IntegrityError:
        raise errors.InvalidInput(
            _("That address is taken; choose another short name."), field="slug"
        ) from None
    return provider


def provider_invite(*, provider, email, role, actor, now=None):
    """The SMS owner invites an address with a role; inviting it again renews the invitation."""
    _require(_role(provider, actor), selectors.can_manage)
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise errors.InvalidInput(_("Give a valid e-mail address."), field="email") from None
    if role not in ROLE.values:
        raise errors.InvalidInput(_("Choose a role."), field="role")
    now = now or timezone.now()
    with transaction.atomic():
        invitation = (
            ProviderInvitation.objects.select_for_update()
            .filter(provider=provider, email=email, status=INV.PENDING)
            .first()
        )
        if invitation is None:
            invitation = ProviderInvitation(provider=provider, email=email, token=secrets.token_urlsafe(32))
        invitation.role = role
        invitation.invited_by = actor
        invitation.expires_at = now + timedelta(days=INVITATION_DAYS)
        invitation.save()
        audit_record(
            action="provider_invitation.sent",
            target=invitation,
            actor=actor,
            data={"email": email, "role": role},
        )
        from .tasks import provider_invitation_send

        enqueue_on_commit(provider_invitation_send, invitation.pk)
    return invitation


def provider_invitation_withdraw(*, invitation, actor, now=None):
    _require(_role(invitation.provider, actor), selectors.can_manage)
    with transaction.atomic():
        done = ProviderInvitation.objects.filter(pk=invitation.pk, status=INV.PENDING).update(
            status=INV.WITHDRAWN, responded_at=now or timezone.now()
        )
        if done != 1:
            raise errors.InvalidTransition(_("This invitation is no longer open."))
        audit_record(action="provider_invitation.withdrawn", target=invitation, actor=actor)
    invitation.refresh_from_db()
    return invitation


def provider_invitation_accept(*, token, user, now=None):
    """The invited person, signed in with the invited address verified, becomes a member."""
    now = now or timezone.now()
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        raise errors.NotFound(_("This invitation does not exist."))
    if not selectors.invitation_addressed_to(invitation=invitation, user=user):
        raise errors.NotAllowed(
            _(
                "This invitation was sent to another e-mail address: accept it signed in with that address, once it is verified."
            )
        )
    if invitation.status != INV.PENDING or invitation.expires_at < now:
        raise errors.InvalidTransition(_("This invitation is no longer open; ask for a new one."))
    with transaction.atomic():
        done = ProviderInvitation.objects.filter(
            pk=invitation.pk, status=INV.PENDING, expires_at__gte=now
        ).update(status=INV.ACCEPTED, accepted_by=user, responded_at=now)
        if done != 1:
            raise errors.InvalidTransition(_("This invitation is no longer open; ask for a new one."))
        membership = (
            ProviderMembership.objects.select_for_update()
            .filter(provider=invitation.provider, user=user)
            .first()
        )
        if membership is None:
            membership = ProviderMembership.objects.create(
                provider=invitation.provider, user=user, role=invitation.role
            )
        audit_record(
            action="provider_invitation.accepted",
            target=invitation,
            actor=user,
            data={"role": membership.role},
        )
    return membership


def _owners_left_check(provider, excluding):
    others = (
        ProviderMembership.objects.select_for_update()
        .filter(provider=provider, role=ROLE.SMS_OWNER)
        .exclude(pk=excluding.pk)
    )
    if not list(others):
        raise errors.InvalidTransition(_("A provider keeps at least one SMS owner."))


def membership_role_set(*, membership, role, actor):
    """The SMS owner changes a member's role; the last owner stays an owner."""
    _require(_role(membership.provider, actor), selectors.can_manage)
    if role not in ROLE.values:
        raise errors.InvalidInput(_("Choose a role."), field="role")
    with transaction.atomic():
        locked = ProviderMembership.objects.select_for_update().get(pk=membership.pk)
        if locked.role == ROLE.SMS_OWNER and role != ROLE.SMS_OWNER:
            _owners_left_check(locked.provider, locked)
        before = locked.role
        ProviderMembership.objects.filter(pk=locked.pk, role=before).update(role=role)
        audit_record(
            action="provider_membership.role_changed",
            target=locked,
            actor=actor,
            data={"role": [before, role]},
        )
    membership.refresh_from_db()
    return membership


def membership_remove(*, membership, actor):
    """The SMS owner removes a member; never the last owner."""
    _require(_role(membership.provider, actor), selectors.can_manage)
    with transaction.atomic():
        locked = ProviderMembership.objects.select_for_update().filter(pk=membership.pk).first()
        if locked is None:
            raise errors.NotFound()
        if locked.role == ROLE.SMS_OWNER:
            _owners_left_check(locked.provider, locked)
        audit_record(
            action="provider_membership.removed",
            target=locked,
            actor=actor,
            data={"user": locked.user_id, "role": locked.role},
        )
        locked.delete()


# --- assessments -----------------------------------------------------------------------------


def assessment_create(*, provider, title, actor, kind=Assessment.Kind.SELF):
    """The SMS owner starts an assessment on the current instrument: everything in scope, every
    target at the default level until the owner sets them."""
    _require(_role(provider, actor), selectors.can_manage)
    title = (title or "").strip()
    if not title:
        raise errors.InvalidInput(_("Give the assessment a title."), field="title")
    if len(title) > 200:
        raise errors.InvalidInput(_("The title is at most 200 characters."), field="title")
    return assessment_make(provider=provider, title=title, actor=actor, kind=kind)


def assessment_make(*, provider, title, actor, kind, instrument=None):
    """A new assessment on the instrument (the current one unless given): everything in scope,
    every target at the default level. The callers check who may create it."""
    instrument = instrument or selectors.instrument_current()
    if instrument is None:
        raise errors.InvalidTransition(_("No assessment instrument is loaded yet (manage.py load_fitsm)."))
    with transaction.atomic():
        assessment = Assessment.objects.create(
            provider=provider, instrument=instrument, kind=kind, title=title, created_by=actor
        )
        ScopeEntry.objects.bulk_create(
            ScopeEntry(assessment=assessment, requirement=r, in_scope=True, target=DEFAULT_TARGET)
            for r in instrument.requirements.all()
        )
        audit_record(
            action="assessment.created",
            target=assessment,
            actor=actor,
            data={"instrument": instrument.version, "kind": kind},
        )
    return assessment


def _lock_draft(assessment):
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.state != Assessment.State.DRAFT:
        raise errors.AssessmentLocked()
    return locked


def assessment_scope_set(*, assessment, actor, entries):
    """Set scope and targets. `entries`: {requirement code: {"in_scope", "reason", "target"}}.
    General requirements are always in scope; a process out of scope needs a reason; targets 1–4."""
    _require(_assessment_role(assessment, actor), selectors.can_manage)
    requirements = {r.code: r for r in Requirement.objects.filter(instrument_id=assessment.instrument_id)}
    cleaned = {}
    for code, value in entries.items():
        requirement = requirements.get(code)
        if requirement is None:
            raise errors.InvalidInput(
                _("%(code)s is not a requirement of this instrument.") % {"code": code}, field=code
            )
        in_scope = bool(value.get("in_scope", True))
        reason = (value.get("reason") or "").strip()
        try:
            target = int(value.get("target"))
        except (TypeError, ValueError):
            target = None
        if target is None or not TARGET_MIN <= target <= TARGET_MAX:
            raise errors.InvalidInput(
                _("%(code)s: the target level is 1 to 4.") % {"code": code}, field=f"{code}-target"
            )
        if requirement.is_general and not in_scope:
            raise errors.InvalidInput(
                _("%(code)s is a general requirement: general requirements are always in scope.")
                % {"code": code},
                field=f"{code}-in_scope",
            )
        if not in_scope and not reason:
            raise errors.InvalidInput(
                _("%(code)s: say why this process is out of scope.") % {"code": code}, field=f"{code}-reason"
            )
        if len(reason) > 2000:
            raise errors.InvalidInput(
                _("%(code)s: the reason is at most 2000 characters.") % {"code": code}, field=f"{code}-reason"
            )
        cleaned[requirement] = (in_scope, reason if not in_scope else "", target)
    with transaction.atomic():
        locked = _lock_draft(assessment)
        changed = {}
        for requirement, (in_scope, reason, target) in cleaned.items():
            entry, _created = ScopeEntry.objects.get_or_create(
                assessment=locked, requirement=requirement, defaults={"target": target}
            )
            before = (entry.in_scope, entry.reason, entry.target)
            if before != (in_scope, reason, target):
                ScopeEntry.objects.filter(pk=entry.pk).update(in_scope=in_scope, reason=reason, target=target)
                changed[requirement.code] = {"in_scope": in_scope, "reason": reason, "target": target}
        if changed:
            audit_record(action="assessment.scope_set", target=locked, actor=actor, data=changed)
    return changed


def score_input_check(*, score, comment, seq):
    """Bounds of one score write (the API's schema states the same)."""
    if not isinstance(score, int) or isinstance(score, bool) or not SCORE_MIN <= score <= SCORE_MAX:
        raise errors.InvalidInput(_("The score is a whole number from 0 to 4."), field="score")
    if comment is not None and len(comment) > COMMENT_MAX:
        raise errors.InvalidInput(_("The comment is at most 4000 characters."), field="comment")
    if not isinstance(seq, int) or isinstance(seq, bool) or not 1 <= seq <= SEQ_MAX:
        raise errors.InvalidInput(_("The sequence number is a whole number from 1 to 2^53."), field="seq")


def assessment_score_save(*, assessment, item, score, seq, actor, comment=None, now=None):
    """Save one item's score (and comment; None keeps the stored comment). Returns (Score, stale):
    stale is True when the stored write has an equal or higher sequence number, in which case
    nothing changed and the stored score is returned (with who changed it and when)."""
    score_input_check(score=score, comment=comment, seq=seq)
    _require(_assessment_role(assessment, actor), selectors.can_score)
    if item.instrument_id != assessment.instrument_id:
        raise errors.NotFound(_("This item is not part of the assessment's instrument."))
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_draft(assessment)
        if not selectors.item_in_scope(assessment=locked, item=item):
            raise errors.OutOfScope()
        stored = Score.objects.select_for_update().filter(assessment=locked, item=item).first()
        if stored is None:
            stored = Score.objects.create(
                assessment=locked,
                item=item,
                score=score,
                comment=comment or "",
                seq=seq,
                changed_by=actor,
                changed_at=now,
            )
            old_score, old_comment = None, ""
        else:
            new_comment = stored.comment if comment is None else comment
            done = Score.objects.filter(pk=stored.pk, seq__lt=seq).update(
                score=score, comment=new_comment, seq=seq, changed_by=actor, changed_at=now
            )
            if done != 1:
                return stored, True
            old_score, old_comment = stored.score, stored.comment
            stored.refresh_from_db()
        ScoreChange.objects.create(
            assessment=locked,
            item=item,
            old_score=old_score,
            new_score=stored.score,
            old_comment=old_comment,
            new_comment=stored.comment,
            seq=seq,
            changed_by=actor,
            changed_at=now,
        )
    return stored, False


def evidence_link_add(*, assessment, item, url, actor, name=""):
    _require(_assessment_role(assessment, actor), selectors.can_score)
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise errors.InvalidInput(_("Give the link as an http(s) address."), field="url") from None
    if len(url) > 1000:
        raise errors.InvalidInput(_("The link is at most 1000 characters."), field="url")
    with transaction.atomic():
        locked = _lock_draft(assessment)
        evidence = Evidence.objects.create(
            assessment=locked,
            item=item,
            kind=Evidence.Kind.LINK,
            url=url,
            name=(name or url)[:200],
            added_by=actor,
        )
        audit_record(
            action="assessment.evidence_added",
            target=locked,
            actor=actor,
            data={"item": item.code, "url": url},
        )
    return evidence


def evidence_file_add(*, assessment, item, upload, actor):
    """Store a file privately (certificates' private storage), at most 10 MB, of a known type."""
    _require(_assessment_role(assessment, actor), selectors.can_score)
    if upload.size > EVIDENCE_MAX_BYTES:
        raise errors.InvalidInput(_("The file is larger than 10 MB."), field="file")
    content_type = (getattr(upload, "content_type", "") or "").split(";")[0].strip()
    guessed = mimetypes.guess_type(upload.name)[0]
    if content_type not in EVIDENCE_TYPES or (guessed and guessed != content_type):
        raise errors.InvalidInput(
            _(
                "This kind of file is not accepted: upload a PDF, PNG, JPEG, text, CSV, Word, Excel or OpenDocument file."
            ),
            field="file",
        )
    head = upload.read(8)
    upload.seek(0)
    if content_type == "application/pdf" and not head.startswith(b"%PDF"):
        raise errors.InvalidInput(_("The file does not look like a PDF."), field="file")
    if content_type == "image/png" and not head.startswith(b"\x89PNG"):
        raise errors.InvalidInput(_("The file does not look like a PNG image."), field="file")
    with transaction.atomic():
        locked = _lock_draft(assessment)
        stored_name = private_storage.save(
            f"assessments/{locked.pk}/{secrets.token_hex(8)}{EVIDENCE_TYPES[content_type]}",
            ContentFile(upload.read()),
        )
        evidence = Evidence.objects.create(
            assessment=locked,
            item=item,
            kind=Evidence.Kind.FILE,
            file=stored_name,
            name=upload.name[:200],
            content_type=content_type,
            size=upload.size,
            added_by=actor,
        )
        audit_record(
            action="assessment.evidence_added",
            target=locked,
            actor=actor,
            data={"item": item.code, "file": upload.name},
        )
    return evidence


def evidence_remove(*, evidence, actor):
    _require(_assessment_role(evidence.assessment, actor), selectors.can_score)
    with transaction.atomic():
        locked = _lock_draft(evidence.assessment)
        audit_record(
            action="assessment.evidence_removed", target=locked, actor=actor, data={"evidence": evidence.pk}
        )
        name = evidence.file
        evidence.delete()
        if name:
            transaction.on_commit(lambda: private_storage.delete(name))


def assessment_submit(*, assessment, actor, now=None):
    """The SMS owner submits: only when every in-scope item is scored; then it is locked. An audit
    is locked when its auditor completes it (assessments.certification.audit_complete)."""
    if assessment.kind == Assessment.Kind.AUDIT:
        raise errors.InvalidTransition(_("An audit is locked when the auditor completes the audit."))
    _require(_assessment_role(assessment, actor), selectors.can_manage)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_draft(assessment)
        progress = selectors.assessment_progress(locked)
        if progress["scored"] < progress["in_scope"]:
            raise errors.NotReady(
                _("%(left)s of %(total)s items in scope are not scored yet; score them before submitting.")
                % {"left": progress["in_scope"] - progress["scored"], "total": progress["in_scope"]}
            )
        done = Assessment.objects.filter(pk=locked.pk, state=Assessment.State.DRAFT).update(
            state=Assessment.State.SUBMITTED, submitted_at=now, submitted_by=actor
        )
        if done != 1:
            raise errors.AssessmentLocked()
        audit_record(action="assessment.submitted", target=locked, actor=actor, data=progress)
    assessment.refresh_from_db()
    return assessment


def assessment_scores_save_form(*, assessment, actor, entries, now=None):
    """The scoring page without JavaScript: `entries` are [{"item", "score", "comment", "base_seq"}]
    where base_seq is the stored sequence number the page showed (0 when none). An item someone
    else changed since the page was shown is not overwritten: it is returned in `conflicts` with
    the stored value. Returns {"saved": [Score], "conflicts": [Score]}."""
    import time

    now = now or timezone.now()
    stored = selectors.scores_of(assessment)
    saved, conflicts = [], []
    for entry in entries:
        item, score, comment = entry["item"], entry["score"], entry.get("comment") or ""
        current = stored.get(item.pk)
        if score is None:
            continue
        if current is not None and (current.score, current.comment) == (score, comment):
            continue
        if current is not None and current.seq != entry.get("base_seq", 0):
            conflicts.append(current)
            continue
        seq = max((current.seq + 1) if current else 1, int(time.time() * 1000))
        row, stale = assessment_score_save(
            assessment=assessment, item=item, score=score, comment=comment, seq=seq, actor=actor, now=now
        )
        (conflicts if stale else saved).append(row)
    return {"saved": saved, "conflicts": conflicts}

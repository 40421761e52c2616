"""Issuance, derivation and revocation of certificates.

Exactly once: the database allows one certificate per passed attempt and one
unrevoked certificate per person and certification; concurrent issuers (the
grading signal and the sweep) meet at those constraints and the loser simply
reads the winner's row."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.background import enqueue
from accounts.services import audit_record
from exams.models import Attempt, Certification, Purpose

from .codes import code_generate
from .models import Certificate
from .signals import certificate_revoked
from .status_index import status_index_next

log = logging.getLogger(__name__)


def _create(*, user, certification, attempt, now):
    sitting = attempt.registration.sitting if attempt and attempt.registration_id else None
    # A code collision is astronomically rare (and, without PostgreSQL's sequence, a status index
    # taken by a concurrent issuer): the loser retries with fresh values.
    for _ in range(10):
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    code=code_generate(),
                    status_index=status_index_next(),
                    user=user,
                    certification=certification,
                    attempt=attempt,
                    holder_name=user.printed_name,
                    holder_family_name=user.last_name.strip(),
                    certification_name=certification.name,
                    language=certificate_language(user=user, attempt=attempt),
                    organisation_name=sitting.organisation_name if sitting else "",
                    trainer_name=sitting.trainer_name if sitting else "",
                    issued_at=now,
                    issued_on=timezone.localdate(now),
                )
                audit_record(action="certificate.issued", target=certificate, data={"code": certificate.code})
        except IntegrityError:
            existing = _existing(user=user, certification=certification, attempt=attempt)
            if existing is not None:
                return existing, False
            continue
        transaction.on_commit(lambda pk=certificate.pk: _after_issue(pk))
        return certificate, True
    raise RuntimeError("Could not allocate a unique certificate code.")


def certificate_language(*, user, attempt):
    """The exam's language for an exam certificate; the holder's profile language (if offered)
    for one earned by holding others."""
    from accounts.languages import language_valid

    for language in (getattr(attempt, "language", None), getattr(user, "language", None)):
        if language and language_valid(language):
            return language
    return settings.LANGUAGE_CODE


def _existing(*, user, certification, attempt):
    if attempt is not None:
        found = Certificate.objects.filter(attempt=attempt).first()
        if found:
            return found
    return Certificate.objects.filter(user=user, certification=certification, revoked_at__isnull=True).first()


def _after_issue(certificate_id):
    from .tasks import certificate_issued_notify

    enqueue(certificate_issued_notify, certificate_id)


def certificate_issue(*, attempt, now=None):
    """Issue the certificate a passed exam attempt earns (idempotent). Returns the certificate or None."""
    now = now or timezone.now()
    if attempt.purpose != Purpose.EXAM or attempt.state != Attempt.State.GRADED or not attempt.passed:
        return None
    existing = _existing(user=attempt.user, certification=attempt.certification, attempt=attempt)
    if existing is not None:
        return existing
    certificate, _ = _create(user=attempt.user, certification=attempt.certification, attempt=attempt, now=now)
    certificates_derive(user=attempt.user, now=now)
    return certificate


def certificates_derive(*, user, now=None):
    """Issue derived certifications (FitSM Expert) whose prerequisites the person now holds."""
    from .selectors import holds_valid_certificate

    now = now or timezone.now()
    issued = []
    for derived in Certification.objects.filter(earned_by=Certification.EarnedBy.DERIVED).prefetch_related(
        "prerequisites"
    ):
        prerequisites = list(derived.prerequisites.all())
        if not prerequisites or holds_valid_certificate(user, derived):
            continue
        if all(holds_valid_certificate(user, p) for p in prerequisites):
            certificate, created = _create(user=user, certification=derived, attempt=None, now=now)
            if created:
                issued.append(certificate)
    return issued


def certificates_issue_missing(*, now=None):
    """The sweep: issue what a lost signal or a dead worker missed. Returns how many were issued."""
    from django.contrib.auth import get_user_model

    now = now or timezone.now()
    count = 0
    missing = Attempt.objects.filter(
        purpose=Purpose.EXAM, state=Attempt.State.GRADED, passed=True, certificate__isnull=True
    ).select_related("user", "certification", "registration__sitting")
    for attempt in missing:
        with transaction.atomic():
            certificate_issue(attempt=attempt, now=now)
        count += Certificate.objects.filter(attempt=attempt).exists()
    holders = get_user_model().objects.filter(certificates__revoked_at__isnull=True).distinct()
    for user in holders:
        with transaction.atomic():
            count += len(certificates_derive(user=user, now=now))
    certificates_notify_missing(now=now)
    return count


NOTIFY_AFTER = timedelta(minutes=2)


def certificates_notify_missing(*, now):
    """Queue the PDF and e-mail of certificates issued a while ago whose holder was never told
    (the task was never queued, or failed for good). Returns how many were queued."""
    from .tasks import certificate_issued_notify

    pending = Certificate.objects.filter(notified_at__isnull=True, issued_at__lt=now - NOTIFY_AFTER)
    queued = 0
    for pk in pending.values_list("pk", flat=True)[:500]:
        queued += enqueue(certificate_issued_notify, pk)
    return queued


def certificate_notification_claim(*, certificate, now):
    """Claim the one notification of a certificate: True for exactly one caller."""
    return bool(
        Certificate.objects.filter(pk=certificate.pk, notified_at__isnull=True).update(notified_at=now)
    )


def certificate_notification_release(*, certificate):
    """The notification failed after its claim: let the sweep or a retry send it again."""
    Certificate.objects.filter(pk=certificate.pk).update(notified_at=None)


def certificate_revoke(*, certificate, actor, reason, internal_reason="", now=None):
    """Revoke with a public reason (page, API, lists, the holder's e-mail) and an optional internal
    one (examiners only). Revoking a suspended certificate ends the suspension in the same UPDATE.
    Both status lists are rendered from the rows, so they change in this transaction too."""
    reason = (reason or "").strip()
    internal_reason = (internal_reason or "").strip()
    if not reason:
        raise ValueError(gettext("A public reason is required to revoke a certificate."))
    now = now or timezone.now()
    with transaction.atomic():
        done = Certificate.objects.filter(pk=certificate.pk, revoked_at__isnull=True).update(
            revoked_at=now,
            revocation_reason=reason,
            revocation_reason_internal=internal_reason,
            revoked_by=actor,
            suspended_at=None,
            suspension_reason="",
            suspended_by=None,
        )
        if not done:
            raise ValueError(gettext("This certificate is already revoked."))
        audit_record(
            action="certificate.revoked",
            target=certificate,
            actor=actor,
            reason=reason,
            data={"internal_reason": internal_reason} if internal_reason else None,
        )
        certificate.refresh_from_db()
        certificate_revoked.send(sender=Certificate, certificate=certificate)
        transaction.on_commit(lambda: _after_revoke(certificate.pk))
    return certificate


def certificate_suspend(*, certificate, actor, reason, now=None):
    """Suspend a valid certificate pending an investigation (the reason stays internal)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValueError(gettext("A reason is required to suspend a certificate."))
    now = now or timezone.now()
    with transaction.atomic():
        done = Certificate.objects.filter(
            pk=certificate.pk, revoked_at__isnull=True, suspended_at__isnull=True
        ).update(suspended_at=now, suspension_reason=reason, suspended_by=actor)
        if not done:
            raise ValueError(
                gettext("Only a certificate that is neither revoked nor suspended can be suspended.")
            )
        audit_record(action="certificate.suspended", target=certificate, actor=actor, reason=reason)
    certificate.refresh_from_db()
    return certificate


def certificate_unsuspend(*, certificate, actor, reason):
    """End a suspension: the certificate is in force again (unless it expired meanwhile)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValueError(gettext("A reason is required to lift a suspension."))
    with transaction.atomic():
        done = Certificate.objects.filter(
            pk=certificate.pk, revoked_at__isnull=True, suspended_at__isnull=False
        ).update(suspended_at=None, suspension_reason="", suspended_by=None)
        if not done:
            raise ValueError(gettext("This certificate is not suspended."))
        audit_record(action="certificate.unsuspended", target=certificate, actor=actor, reason=reason)
    certificate.refresh_from_db()
    return certificate


VOIDED_ATTEMPT_PUBLIC_REASON = "The exam attempt that earned this certificate was voided."


def certificate_revoke_for_voided_attempt(*, attempt, actor=None, now=None):
    """Called inside the voiding transaction: the certificate the attempt produced is revoked with
    it (the void reason is kept as the internal reason). Returns the certificate, or None."""
    certificate = Certificate.objects.filter(attempt_id=attempt.pk, revoked_at__isnull=True).first()
    if certificate is None:
        return None
    return certificate_revoke(
        certificate=certificate,
        actor=actor,
        reason=VOIDED_ATTEMPT_PUBLIC_REASON,
        internal_reason=f"Attempt {attempt.pk} voided: {attempt.void_reason}".strip(),
        now=now,
    )


def _after_revoke(certificate_id):
    from .tasks import certificate_revoked_notify

    enqueue(certificate_revoked_notify, certificate_id)


def certificate_reinstate(*, certificate, actor, reason):
    """Undo a revocation: only an examiner other than the one who revoked may do it."""
    if certificate.revoked_at is None:
        raise ValueError(gettext("This certificate is not revoked."))
    if certificate.revoked_by_id == actor.pk:
        raise ValueError(gettext("Another examiner must undo this revocation."))
    with transaction.atomic():
        try:
            done = Certificate.objects.filter(pk=certificate.pk, revoked_at__isnull=False).update(
                revoked_at=None, revocation_reason="", revocation_reason_internal="", revoked_by=None
            )
        except IntegrityError:
            raise ValueError(
                gettext("The holder has another valid certificate of this certification.")
            ) from None
        if done:
            audit_record(action="certificate.reinstated", target=certificate, actor=actor, reason=reason)
    certificate.refresh_from_db()
    return certificate


def holder_did_set(*, user, did):
    """Name a DID as the subject of the holder's Open Badges 3.0 credentials; an empty value removes it."""
    from .models import HolderIdentity

    did = (did or "").strip()
    if did and (not did.startswith("did:") or len(did) > 300 or any(c.isspace() for c in did)):
        raise ValueError(gettext("A DID starts with did: and has no spaces, for example did:key:z6Mk…"))
    with transaction.atomic():
        if did:
            HolderIdentity.objects.update_or_create(user=user, defaults={"did": did})
        else:
            HolderIdentity.objects.filter(user=user).delete()
        audit_record(action="certificate.holder_did_set", target=user, actor=user, data={"did": did})
    return did or None


def credentials_reissue(*, record=True):
    """Sign every certificate's credential in both current forms and check it against the bundled
    schema and our own verifiers; with `record`, one audit entry says it was done. Nothing signed
    is stored (credentials are rendered on request), so there is nothing else to refresh.
    Raises SigningKeyUnavailable without keys, ValueError when a credential fails its checks."""
    from . import openbadges_v3

    count = 0
    for certificate in Certificate.objects.select_related("certification", "user").order_by("pk"):
        errors = openbadges_v3.schema_errors(openbadges_v3.credential(certificate))
        if errors:
            raise ValueError(f"Certificate {certificate.code}: {'; '.join(errors)}")
        openbadges_v3.credential_jwt_verify(openbadges_v3.credential_jwt(certificate))
        openbadges_v3.credential_document_verify(openbadges_v3.credential_with_proof(certificate))
        count += 1
    if record and count:
        with transaction.atomic():
            first = Certificate.objects.order_by("pk").first()
            audit_record(action="certificate.credentials_reissued", target=first, data={"count": count})
    return count

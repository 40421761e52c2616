"""Issuance, suspension, revocation and expiry reminders of organisations' certificates.

Exactly once: the database allows one certificate per grant (`grant_key`). The caller that
records a grant (the assessments app, after its decision commits) and its sweep may both issue;
they meet at that constraint and the loser reads the winner's row. Every change is a conditional
UPDATE with an audit entry in one transaction; only examiners suspend, revoke and reinstate."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from accounts.background import enqueue
from accounts.roles import is_examiner
from accounts.services import audit_record

from .codes import code_generate
from .models import Certificate, OrganisationCertificate, OrganisationCertificateReminder

NOTIFY_AFTER = timedelta(minutes=2)


def expiry_date(issued_on, years):
    """The last day of validity: the day before the `years`-th anniversary of the issue (an issue
    on 29 February has its anniversary on 1 March)."""
    try:
        anniversary = issued_on.replace(year=issued_on.year + years)
    except ValueError:
        anniversary = issued_on.replace(year=issued_on.year + years, month=3, day=1)
    return anniversary - timedelta(days=1)


def _next_status_index():
    highest = OrganisationCertificate.objects.aggregate(highest=Max("status_index"))["highest"]
    return 0 if highest is None else highest + 1


def _free_code():
    """A new code of the certificate scheme that no certificate of either kind carries."""
    for _ in range(10):
        code = code_generate()
        if not Certificate.objects.filter(code=code).exists():
            return code
    raise RuntimeError("Could not allocate a unique certificate code.")


def _clean_emails(emails):
    seen = []
    for email in emails or ():
        email = (email or "").strip()
        if email and email.lower() not in (e.lower() for e in seen):
            seen.append(email)
    return seen


def organisation_certificate_issue(
    *,
    grant_key,
    organisation_name,
    organisation_slug,
    level_code,
    level_name,
    scope_statement,
    granted_at,
    level_summary="",
    organisation_country="",
    organisation_website="",
    contact_emails=(),
    validity_years=3,
):
    """Issue the certificate a grant earns (idempotent: the certificate of `grant_key` if there is
    one already). Dated by the grant, valid for `validity_years` from that day (the level's
    validity, part of the scheme's configured criteria that examiners edit). Returns
    (certificate, created)."""
    existing = OrganisationCertificate.objects.filter(grant_key=grant_key).first()
    if existing is not None:
        return existing, False
    organisation_name = (organisation_name or "").strip()
    scope_statement = (scope_statement or "").strip()
    if not organisation_name or not organisation_slug or not level_code or not scope_statement:
        raise ValueError("An organisation's certificate needs the organisation, the level and the scope.")
    issued_on = timezone.localdate(granted_at)
    if not 1 <= int(validity_years) <= 10:
        raise ValueError("An organisation's certificate is valid for 1 to 10 years.")
    expires_on = expiry_date(issued_on, int(validity_years))
    for _ in range(10):
        try:
            with transaction.atomic():
                certificate = OrganisationCertificate.objects.create(
                    code=_free_code(),
                    status_index=_next_status_index(),
                    grant_key=grant_key,
                    organisation_name=organisation_name,
                    organisation_slug=organisation_slug,
                    organisation_country=(organisation_country or "").upper()[:2],
                    organisation_website=organisation_website or "",
                    level_code=level_code,
                    level_name=level_name or level_code,
                    level_summary=level_summary or "",
                    scope_statement=scope_statement,
                    contact_emails=_clean_emails(contact_emails),
                    issued_at=granted_at,
                    issued_on=issued_on,
                    expires_on=expires_on,
                )
                audit_record(
                    action="organisation_certificate.issued",
                    target=certificate,
                    data={"code": certificate.code, "grant": grant_key, "level": level_code},
                )
        except IntegrityError:
            # A concurrent issuer won the grant (read its row), or took the status index or code
            # (try again with fresh values).
            existing = OrganisationCertificate.objects.filter(grant_key=grant_key).first()
            if existing is not None:
                return existing, False
            continue
        transaction.on_commit(lambda pk=certificate.pk: _after_issue(pk))
        return certificate, True
    raise RuntimeError("Could not allocate a unique organisation certificate.")


def _after_issue(certificate_id):
    from .organisation_tasks import organisation_certificate_issued_notify

    enqueue(organisation_certificate_issued_notify, certificate_id)


def organisation_certificate_notification_claim(*, certificate, now):
    """Claim the one issue notification of a certificate: True for exactly one caller."""
    return bool(
        OrganisationCertificate.objects.filter(pk=certificate.pk, notified_at__isnull=True).update(
            notified_at=now
        )
    )


def organisation_certificate_notification_release(*, certificate):
    OrganisationCertificate.objects.filter(pk=certificate.pk).update(notified_at=None)


def organisation_certificates_notify_missing(*, now):
    """Queue the notification of certificates issued a while ago that nobody was told of."""
    from .organisation_tasks import organisation_certificate_issued_notify

    pending = OrganisationCertificate.objects.filter(
        notified_at__isnull=True, revoked_at__isnull=True, issued_at__lt=now - NOTIFY_AFTER
    )
    queued = 0
    for pk in pending.values_list("pk", flat=True)[:500]:
        queued += enqueue(organisation_certificate_issued_notify, pk)
    return queued


# --- examiners' decisions ---------------------------------------------------------------------


def _examiner_check(actor):
    if not is_examiner(actor):
        raise PermissionDenied(gettext("Only examiners of the certification body may do this."))


def _reason(reason, message):
    reason = (reason or "").strip()
    if not reason:
        raise ValueError(message)
    return reason


def organisation_certificate_revoke(*, certificate, actor, reason, internal_reason="", now=None):
    """Withdraw the certification for good (an examiner, with a public reason and an optional
    internal one). Revoking a suspended certificate ends the suspension in the same UPDATE."""
    _examiner_check(actor)
    reason = _reason(reason, gettext("A public reason is required to revoke a certificate."))
    internal_reason = (internal_reason or "").strip()
    now = now or timezone.now()
    with transaction.atomic():
        done = OrganisationCertificate.objects.filter(pk=certificate.pk, revoked_at__isnull=True).update(
            revoked_at=now,
            revocation_reason=reason[:300],
            revocation_reason_internal=internal_reason,
            revoked_by=actor,
            suspended_at=None,
            suspension_reason="",
            suspended_by=None,
        )
        if not done:
            raise ValueError(gettext("This certificate is already revoked."))
        audit_record(
            action="organisation_certificate.revoked",
            target=certificate,
            actor=actor,
            reason=reason,
            data={"internal_reason": internal_reason} if internal_reason else None,
        )
        transaction.on_commit(lambda: _after_revoke(certificate.pk))
    certificate.refresh_from_db()
    return certificate


def _after_revoke(certificate_id):
    from .organisation_tasks import organisation_certificate_revoked_notify

    enqueue(organisation_certificate_revoked_notify, certificate_id)


def organisation_certificate_suspend(*, certificate, actor, reason, now=None):
    """Suspend a certificate in force pending an investigation (the reason stays internal)."""
    _examiner_check(actor)
    reason = _reason(reason, gettext("A reason is required to suspend a certificate."))
    now = now or timezone.now()
    with transaction.atomic():
        done = OrganisationCertificate.objects.filter(
            pk=certificate.pk, revoked_at__isnull=True, suspended_at__isnull=True
        ).update(suspended_at=now, suspension_reason=reason[:300], suspended_by=actor)
        if not done:
            raise ValueError(
                gettext("Only a certificate that is neither revoked nor suspended can be suspended.")
            )
        audit_record(
            action="organisation_certificate.suspended", target=certificate, actor=actor, reason=reason
        )
    certificate.refresh_from_db()
    return certificate


def organisation_certificate_unsuspend(*, certificate, actor, reason):
    """End a suspension: the certificate is in force again (unless it expired meanwhile)."""
    _examiner_check(actor)
    reason = _reason(reason, gettext("A reason is required to lift a suspension."))
    with transaction.atomic():
        done = OrganisationCertificate.objects.filter(
            pk=certificate.pk, revoked_at__isnull=True, suspended_at__isnull=False
        ).update(suspended_at=None, suspension_reason="", suspended_by=None)
        if not done:
            raise ValueError(gettext("This certificate is not suspended."))
        audit_record(
            action="organisation_certificate.unsuspended", target=certificate, actor=actor, reason=reason
        )
    certificate.refresh_from_db()
    return certificate


def organisation_certificate_reinstate(*, certificate, actor, reason):
    """Undo a revocation: only an examiner other than the one who revoked may do it."""
    _examiner_check(actor)
    reason = _reason(reason, gettext("A reason is required to reinstate a certificate."))
    certificate.refresh_from_db()
    if certificate.revoked_at is None:
        raise ValueError(gettext("This certificate is not revoked."))
    if certificate.revoked_by_id == actor.pk:
        raise ValueError(gettext("Another examiner must undo this revocation."))
    with transaction.atomic():
        done = OrganisationCertificate.objects.filter(
            pk=certificate.pk, revoked_at__isnull=False, revoked_by=certificate.revoked_by_id
        ).update(revoked_at=None, revocation_reason="", revocation_reason_internal="", revoked_by=None)
        if not done:
            raise ValueError(gettext("This certificate changed meanwhile; look at it again."))
        audit_record(
            action="organisation_certificate.reinstated", target=certificate, actor=actor, reason=reason
        )
    certificate.refresh_from_db()
    return certificate


# --- reminders before expiry ------------------------------------------------------------------


def reminder_days():
    days = getattr(settings, "ORGANISATION_CERTIFICATE_REMINDER_DAYS", (90, 30)) or ()
    return tuple(sorted({int(d) for d in days if int(d) > 0}, reverse=True))


def _threshold(days_left):
    """The smallest reminder threshold that applies (a late first run sends only the nearest one)."""
    due = [d for d in reminder_days() if days_left <= d]
    return min(due) if due else None


def organisation_certificates_remind(*, today=None):
    """The daily sweep: one reminder per threshold (by default 90 and 30 days) before a certificate
    in force expires, to the provider's SMS owners. Idempotent: a reminder row is unique per
    certificate, threshold and expiry date. Returns how many reminders were queued."""
    from .organisation_tasks import organisation_certificate_reminder_send

    today = today or timezone.localdate()
    days = reminder_days()
    if not days:
        return 0
    horizon = today + timedelta(days=max(days))
    queued = 0
    candidates = OrganisationCertificate.objects.filter(
        revoked_at__isnull=True, suspended_at__isnull=True, expires_on__gte=today, expires_on__lte=horizon
    )
    for certificate in candidates:
        threshold = _threshold((certificate.expires_on - today).days)
        if threshold is None:
            continue
        try:
            with transaction.atomic():
                reminder = OrganisationCertificateReminder.objects.create(
                    certificate=certificate, days_before=threshold, expires_on=certificate.expires_on
                )
                transaction.on_commit(
                    lambda pk=reminder.pk: enqueue(organisation_certificate_reminder_send, pk)
                )
        except IntegrityError:
            continue  # already reminded for this threshold and expiry
        queued += 1
    # A reminder whose e-mail never went out (a broker that was down) is queued again.
    for pk in OrganisationCertificateReminder.objects.filter(
        sent_at__isnull=True,
        created_at__lt=timezone.now() - NOTIFY_AFTER,
        expires_on__gte=today,
        certificate__revoked_at__isnull=True,
        certificate__suspended_at__isnull=True,
    ).values_list("pk", flat=True)[:500]:
        enqueue(organisation_certificate_reminder_send, pk)
    return queued


def organisation_certificate_reminder_claim(*, reminder, now):
    """Claim the sending of one reminder: True for exactly one caller."""
    return bool(
        OrganisationCertificateReminder.objects.filter(pk=reminder.pk, sent_at__isnull=True).update(
            sent_at=now
        )
    )


def organisation_certificate_reminder_release(*, reminder):
    OrganisationCertificateReminder.objects.filter(pk=reminder.pk).update(sent_at=None)

"""Certificates: what was awarded, to whom, and the snapshot printed on it."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .storage import certificate_pdf_storage


class Certificate(models.Model):
    """One award of a certification to a person. The printed fields are a
    snapshot taken at issue, so a later change of profile or course name
    never alters an issued certificate. Exactly once: one certificate per
    passed attempt, and one unrevoked certificate per person and certification.
    Each certificate owns one bit in each status list (revocation and suspension) at
    `status_index`, unique in the database so two certificates can never share a bit.

    Status is one of valid, suspended, revoked, expired: revoked wins over suspended (revoking
    ends a suspension), suspended over expired. A revocation has a public reason (page, API,
    lists, the holder's e-mail) and an internal one for examiners only; a suspension's reason
    is internal, the public sees "suspended pending an investigation"."""

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        SUSPENDED = "suspended", _("Suspended")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    code = models.CharField(max_length=16, unique=True)
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates")
    certification = models.ForeignKey(
        "exams.Certification", on_delete=models.PROTECT, related_name="certificates"
    )
    attempt = models.OneToOneField(
        "exams.Attempt", null=True, blank=True, on_delete=models.PROTECT, related_name="certificate"
    )
    holder_name = models.CharField(max_length=320)
    holder_family_name = models.CharField(max_length=150, blank=True)
    certification_name = models.CharField(max_length=120)
    # The language the certificate speaks (its PDF, Open Badges 3.0 achievement, e-mails): the
    # language the exam was taken in, or the holder's for a certification earned by holding others.
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="en")
    organisation_name = models.CharField(max_length=200, blank=True)
    trainer_name = models.CharField(max_length=200, blank=True)
    issued_at = models.DateTimeField(default=timezone.now)
    issued_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.CharField(_("public revocation reason"), max_length=300, blank=True)
    revocation_reason_internal = models.TextField(_("internal revocation reason"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    suspended_at = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.CharField(_("internal suspension reason"), max_length=300, blank=True)
    suspended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Never under MEDIA_ROOT: served only by the holder-checked view (see certificates.storage).
    pdf = models.FileField(upload_to="certificates/", blank=True, storage=certificate_pdf_storage)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    # When the holder was told (PDF rendered, e-mail sent). Empty until then: the sweep finds
    # certificates whose notification was never queued (a broker that was down) or failed.
    notified_at = models.DateTimeField(null=True, blank=True)
    # The certificate's bit in the signed Open Badges 3.0 revocation status list. Allocated once
    # at issue and never reused, so a verifier's cached list and a new one agree on every bit.
    status_index = models.PositiveIntegerField(unique=True)

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "certification"],
                condition=Q(revoked_at__isnull=True),
                name="certificates_one_valid_per_person_and_certification",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
                name="certificates_revocation_reason",
            ),
            models.CheckConstraint(
                condition=Q(suspended_at__isnull=True) | ~Q(suspension_reason=""),
                name="certificates_suspension_reason",
            ),
            models.CheckConstraint(
                condition=Q(suspended_at__isnull=True) | Q(revoked_at__isnull=True),
                name="certificates_revoked_is_not_suspended",
            ),
        ]
        indexes = [
            # The notification sweep's query: certificates whose holder was never told.
            models.Index(
                fields=["issued_at"],
                condition=Q(notified_at__isnull=True),
                name="certificates_not_notified",
            )
        ]

    def __str__(self):
        return f"{self.code} {self.certification_name} – {self.holder_name}"

    def status_on(self, day):
        if self.revoked_at:
            return self.Status.REVOKED
        if self.suspended_at:
            return self.Status.SUSPENDED
        if self.expires_on and self.expires_on < day:
            return self.Status.EXPIRED
        return self.Status.VALID

    @property
    def status(self):
        return self.status_on(timezone.localdate())

    @property
    def display_code(self):
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))


class HolderIdentity(models.Model):
    """A DID the holder gave, named as the subject of their Open Badges 3.0 credentials (optional;
    without one the credentials name the holder by a salted hash of the e-mail address only)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="holder_identity"
    )
    did = models.CharField(_("DID"), max_length=300)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(did__startswith="did:"), name="certificates_holder_did_is_a_did"
            )
        ]

    def __str__(self):
        return self.did


# Certificates whose subject is an organisation (FitSM Essentials, FitSM Plus): a model of their own.
from .organisation_models import OrganisationCertificate, OrganisationCertificateReminder  # noqa: E402, F401

"""Certificates: what was awarded, to whom, and the snapshot printed on it."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Certificate(models.Model):
    """One award of a certification to a person. The printed fields are a
    snapshot taken at issue, so a later change of profile or course name
    never alters an issued certificate. Exactly once: one certificate per
    passed attempt, and one unrevoked certificate per person and certification.
    Each certificate owns one bit of the revocation status list (`status_index`),
    unique in the database so two certificates can never share a bit."""

    class Status(models.TextChoices):
        VALID = "valid", "Valid"
        EXPIRED = "expired", "Expired"
        REVOKED = "revoked", "Revoked"

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
    organisation_name = models.CharField(max_length=200, blank=True)
    trainer_name = models.CharField(max_length=200, blank=True)
    issued_at = models.DateTimeField(default=timezone.now)
    issued_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.CharField(max_length=300, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pdf = models.FileField(upload_to="certificates/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
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
        ]

    def __str__(self):
        return f"{self.code} {self.certification_name} – {self.holder_name}"

    def status_on(self, day):
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_on and self.expires_on < day:
            return self.Status.EXPIRED
        return self.Status.VALID

    @property
    def status(self):
        return self.status_on(timezone.localdate())

    @property
    def display_code(self):
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))

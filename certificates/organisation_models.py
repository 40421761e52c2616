"""Certificates whose subject is an organisation: a service provider certified at a level of
organisational certification (FitSM Essentials, FitSM Plus) after an audit against FitSM-1.

A model of its own beside the personal `Certificate`, so that the personal certificate's rows,
constraints and status lists stay exactly as they are. Everything printed is a snapshot of plain
values taken at issue (the certificates app never reads the assessments app): the organisation's
name, slug, country and website, the level, the scope statement. Exactly once: one certificate
per grant (`grant_key`, the grant's id, unique in the database)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .storage import certificate_pdf_storage


class OrganisationCertificate(models.Model):
    """Status is one of valid, suspended, revoked, expired, with the same rules as a personal
    certificate: revoked wins over suspended, suspended over expired. Each certificate owns one bit
    in each of the organisations' status lists (revocation and suspension) at `status_index`."""

    code = models.CharField(max_length=16, unique=True)
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    grant_key = models.PositiveBigIntegerField(
        unique=True, help_text=_("The id of the grant it was issued for.")
    )
    organisation_name = models.CharField(max_length=200)
    organisation_slug = models.SlugField(max_length=80, db_index=True)
    organisation_country = models.CharField(max_length=2, blank=True)
    organisation_website = models.URLField(blank=True)
    level_code = models.SlugField(max_length=20)
    level_name = models.CharField(max_length=100)
    level_summary = models.TextField(blank=True)
    scope_statement = models.TextField()
    # Who is told of the issue and reminded before expiry: the provider's SMS owners at issue.
    contact_emails = models.JSONField(default=list, blank=True)
    issued_at = models.DateTimeField(default=timezone.now)
    issued_on = models.DateField()
    expires_on = models.DateField()
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
    pdf = models.FileField(
        upload_to="certificates/organisations/", blank=True, storage=certificate_pdf_storage
    )
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    status_index = models.PositiveIntegerField(unique=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
                name="certificates_org_revocation_reason",
            ),
            models.CheckConstraint(
                condition=Q(suspended_at__isnull=True) | ~Q(suspension_reason=""),
                name="certificates_org_suspension_reason",
            ),
            models.CheckConstraint(
                condition=Q(suspended_at__isnull=True) | Q(revoked_at__isnull=True),
                name="certificates_org_revoked_is_not_suspended",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__gte=models.F("issued_on")),
                name="certificates_org_expires_after_issue",
            ),
            models.CheckConstraint(condition=~Q(scope_statement=""), name="certificates_org_has_scope"),
        ]

    def __str__(self):
        return f"{self.code} {self.level_name} – {self.organisation_name}"

    def status_on(self, day):
        from .models import Certificate

        if self.revoked_at:
            return Certificate.Status.REVOKED
        if self.suspended_at:
            return Certificate.Status.SUSPENDED
        if self.expires_on < day:
            return Certificate.Status.EXPIRED
        return Certificate.Status.VALID

    @property
    def status(self):
        return self.status_on(timezone.localdate())

    @property
    def display_code(self):
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))

    @property
    def subject_type(self):
        return "organisation"


class OrganisationCertificateReminder(models.Model):
    """That the reminder `days_before` the expiry on `expires_on` was queued. The unique
    constraint makes the daily task idempotent; `sent_at` is set once the e-mail went out."""

    certificate = models.ForeignKey(
        OrganisationCertificate, on_delete=models.CASCADE, related_name="reminders"
    )
    days_before = models.PositiveSmallIntegerField()
    expires_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "days_before", "expires_on"], name="certificates_org_reminder_once"
            )
        ]

    def __str__(self):
        return f"{self.certificate_id} {self.days_before}d before {self.expires_on}"

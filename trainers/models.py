"""Training organisations, trainers, accreditations and training sessions.

States are text choices changed only by the guarded service functions in
trainers.services (a conditional UPDATE ... WHERE status = ... that acts only
when exactly one row changed). The database guards the invariants the
services rely on: one accreditation per party and certification, one seat
row per person and session, one waiting-list position per session, one
feedback per participant, one reminder per accreditation, threshold and
expiry date, one pending invitation per session and address, one live
assignment per pool voucher."""

import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.templatetags.tz import do_timezone
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.models import PreviewableMixin


class Organisation(models.Model):
    """An accredited training organisation (ATO) or an affiliate. An affiliate
    reuses its sponsoring ATO's quality system and materials, so it names that
    ATO; an ATO names none (checked by the database)."""

    class Kind(models.TextChoices):
        ATO = "ato", _("Accredited training organisation")
        AFFILIATE = "affiliate", _("Affiliate")

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ATO)
    sponsor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="affiliates",
        limit_choices_to={"kind": "ato"},
        help_text=_("The ATO whose quality system an affiliate uses."),
    )
    country = models.CharField(max_length=2, help_text=_("ISO 3166-1 alpha-2 code, e.g. DE."))
    website = models.URLField(blank=True)
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    description = models.TextField(blank=True, help_text=_("Shown on the public directory page."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="ato") & Q(sponsor__isnull=True))
                | (Q(kind="affiliate") & Q(sponsor__isnull=False)),
                name="trainers_org_affiliate_has_sponsor",
                violation_error_message=_(
                    "An affiliate must name its sponsoring ATO; an ATO has no sponsor."
                ),
            ),
            models.CheckConstraint(
                condition=Q(sponsor__isnull=True) | ~Q(sponsor=F("id")), name="trainers_org_not_own_sponsor"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("trainers:organisation_detail", args=[self.slug])

    @property
    def is_affiliate(self):
        return self.kind == self.Kind.AFFILIATE


class Membership(models.Model):
    """A person's role in an organisation. A trainer may belong to several
    organisations; the admin role lets a person manage the organisation's
    trainers, sessions and vouchers (and nothing of any other organisation,
    including an affiliate's sponsor)."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        TRAINER = "trainer", _("Trainer")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=8, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "role", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user", "role"], name="trainers_membership_unique"
            )
        ]

    def __str__(self):
        return _("%(user)s – %(role)s of %(organisation)s") % {
            "user": self.user,
            "role": self.get_role_display(),
            "organisation": self.organisation,
        }


class TrainerProfile(PreviewableMixin, models.Model):
    """The public face of a trainer (a Wagtail snippet with preview, so
    examiners see the directory page before saving). A separate row from the
    user: most accounts are learners and have no profile."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trainer_profile"
    )
    slug = models.SlugField(max_length=80, unique=True)
    display_name = models.CharField(max_length=200)
    languages = models.CharField(
        max_length=100, blank=True, help_text=_("Teaching languages as comma-separated codes, e.g. en,de.")
    )
    bio = models.TextField(blank=True, help_text=_("Shown on the public directory page."))
    photo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["display_name"]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("trainers:trainer_detail", args=[self.slug])

    @property
    def language_list(self):
        return [code.strip() for code in self.languages.split(",") if code.strip()]

    def get_preview_template(self, request, mode_name):
        return "trainers/trainer_detail.html"

    def get_preview_context(self, request, mode_name):
        from .selectors import trainer_public_context

        return {"request": request, **trainer_public_context(trainer=self)}


class Accreditation(models.Model):
    """The right of one party (an organisation or a trainer) to teach one
    certification. The set of a party's accreditations is its scope. One row
    per party and certification whose status moves through the services;
    every decision is appended to AccreditationDecision, the full history."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        ACCREDITED = "accredited", _("Accredited")
        SUSPENDED = "suspended", _("Suspended")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPIRED = "expired", _("Expired")

    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="accreditations"
    )
    trainer = models.ForeignKey(
        TrainerProfile, null=True, blank=True, on_delete=models.CASCADE, related_name="accreditations"
    )
    certification = models.ForeignKey(
        "exams.Certification", on_delete=models.PROTECT, related_name="accreditations"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.APPLIED, db_index=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    decision_notes = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["certification__position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(organisation__isnull=False) & Q(trainer__isnull=True))
                | (Q(organisation__isnull=True) & Q(trainer__isnull=False)),
                name="trainers_accreditation_one_party",
            ),
            models.UniqueConstraint(
                fields=["organisation", "certification"],
                condition=Q(organisation__isnull=False),
                name="trainers_accreditation_org_unique",
            ),
            models.UniqueConstraint(
                fields=["trainer", "certification"],
                condition=Q(trainer__isnull=False),
                name="trainers_accreditation_trainer_unique",
            ),
            models.CheckConstraint(
                condition=~Q(status="accredited")
                | (
                    Q(valid_from__isnull=False)
                    & Q(valid_until__isnull=False)
                    & Q(valid_until__gte=F("valid_from"))
                ),
                name="trainers_accredited_has_validity",
            ),
        ]

    def __str__(self):
        return f"{self.party} – {self.certification.code} ({self.get_status_display()})"

    @property
    def party(self):
        return self.organisation if self.organisation_id else self.trainer

    def covers(self, start, end):
        """Accredited and valid on every date from start to end (dates)."""
        return (
            self.status == self.Status.ACCREDITED
            and self.valid_from is not None
            and self.valid_from <= start
            and end <= self.valid_until
        )


class AccreditationDecision(models.Model):
    """Append-only history of an accreditation: every application, decision,
    suspension, withdrawal and expiry, with who decided and why."""

    accreditation = models.ForeignKey(Accreditation, on_delete=models.CASCADE, related_name="decisions")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, choices=Accreditation.Status.choices)
    valid_from = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["accreditation", "at", "id"]

    def __str__(self):
        return f"{self.accreditation_id}: {self.from_status or '-'} → {self.to_status}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Accreditation history is append-only.")
        super().save(*args, **kwargs)


class AccreditationReminder(models.Model):
    """That the expiry reminder `days_before` was sent for the validity ending
    on `valid_until`. The unique constraint makes the daily task idempotent;
    a renewal (a new valid_until) is reminded again."""

    accreditation = models.ForeignKey(Accreditation, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    valid_until = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["accreditation", "days_before", "valid_until"], name="trainers_reminder_once"
            )
        ]

    def __str__(self):
        return f"{self.accreditation_id} {self.days_before}d before {self.valid_until}"


# The languages a session can be taught in, with their names (in English, then their own).
SESSION_LANGUAGES = [
    ("en", _("English")),
    ("de", _("German (Deutsch)")),
    ("fr", _("French (Français)")),
    ("es", _("Spanish (Español)")),
    ("it", _("Italian (Italiano)")),
    ("nl", _("Dutch (Nederlands)")),
    ("pl", _("Polish (Polski)")),
    ("pt", _("Portuguese (Português)")),
]


def _time_zone_validate(value):
    from django.core.exceptions import ValidationError

    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            _("%(value)r is not a time zone name such as Europe/Berlin.") % {"value": value}
        ) from None


def default_time_zone():
    """The zone a new session is announced in unless its form says otherwise: the setting
    TRAINING_SESSION_TIME_ZONE, else the site's TIME_ZONE (an IANA name, validated)."""
    return getattr(settings, "TRAINING_SESSION_TIME_ZONE", "") or settings.TIME_ZONE


class TrainingSession(models.Model):
    """A scheduled course of one certification run by an organisation with
    one or more trainers. Times are stored as aware datetimes (UTC in the
    database); `time_zone` is the zone the course is announced in."""

    class Mode(models.TextChoices):
        ONLINE = "online", _("Online")
        IN_PERSON = "in_person", _("In person")
        BLENDED = "blended", _("Blended")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")
        COMPLETED = "completed", _("Completed")

    certification = models.ForeignKey(
        "exams.Certification", on_delete=models.PROTECT, related_name="training_sessions"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="sessions")
    trainers = models.ManyToManyField(TrainerProfile, through="SessionTrainer", related_name="sessions")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    time_zone = models.CharField(max_length=64, default=default_time_zone, validators=[_time_zone_validate])
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.ONLINE)
    venue = models.CharField(max_length=300, blank=True, help_text=_("Address (in person or blended)."))
    meeting_link = models.URLField(blank=True, help_text=_("Shown only to enrolled participants."))
    language = models.CharField(max_length=8, choices=SESSION_LANGUAGES, default="en")
    capacity = models.PositiveSmallIntegerField(default=12)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    public_notes = models.TextField(blank=True)
    sitting = models.OneToOneField(
        "exams.Sitting", null=True, blank=True, on_delete=models.SET_NULL, related_name="training_session"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="trainers_session_end_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="trainers_session_capacity_positive"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("trainers:session_detail", args=[self.pk])

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def local_start(self):
        """The start in the session's own time zone; templates print it as it is (marked so that
        they do not convert it back to the site's time zone)."""
        return do_timezone(self.starts_at, self.zone)

    @property
    def local_end(self):
        return do_timezone(self.ends_at, self.zone)

    @property
    def mode_label(self):
        return self.get_mode_display()

    @property
    def organisation_name(self):
        return self.organisation.name

    @property
    def days(self):
        """The calendar days of the session in its own time zone."""
        from datetime import timedelta

        first, last = self.local_start.date(), self.local_end.date()
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]


class SessionTrainer(models.Model):
    """A trainer teaching a session (a through table so the pair is unique)."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="session_trainers")
    trainer = models.ForeignKey(TrainerProfile, on_delete=models.PROTECT, related_name="session_trainers")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "trainer"], name="trainers_session_trainer_unique")
        ]

    def __str__(self):
        return f"{self.trainer} in {self.session}"


class Participant(models.Model):
    """A person's seat in a session. `requested` waits for the trainer, who
    accepts or refuses it; `enrolled` holds a seat (at most `capacity`,
    enforced while the session row is locked); `waitlisted` has a position,
    promoted in order when a seat frees up. One row per person and session."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ENROLLED = "enrolled", _("Enrolled")
        WAITLISTED = "waitlisted", _("Waiting list")
        REFUSED = "refused", _("Refused")
        CANCELLED = "cancelled", _("Cancelled")

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_participations"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED, db_index=True)
    position = models.PositiveIntegerField(null=True, blank=True, help_text=_("Place on the waiting list."))
    extra_minutes = models.PositiveSmallIntegerField(default=0)
    time_multiplier = models.DecimalField(max_digits=4, decimal_places=2, default=1)
    extra_time_reason = models.CharField(max_length=300, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    enrolled_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "status", "position", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="trainers_participant_unique"),
            models.UniqueConstraint(
                fields=["session", "position"],
                condition=Q(status="waitlisted"),
                name="trainers_waitlist_position_unique",
            ),
            models.CheckConstraint(
                condition=(Q(status="waitlisted") & Q(position__isnull=False))
                | (~Q(status="waitlisted") & Q(position__isnull=True)),
                name="trainers_waitlist_has_position",
            ),
            models.CheckConstraint(
                condition=Q(time_multiplier__gte=1, time_multiplier__lte=3),
                name="trainers_participant_multiplier_range",
            ),
        ]

    def __str__(self):
        return f"{self.user} in {self.session} ({self.status})"

    @property
    def needs_extra_time(self):
        return bool(self.extra_minutes) or self.time_multiplier > 1


class Attendance(models.Model):
    """Whether a participant was present on one day of a session."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="attendance")
    day = models.DateField()
    present = models.BooleanField()
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["participant", "day"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "day"], name="trainers_attendance_unique")
        ]

    def __str__(self):
        return f"{self.participant_id} {self.day} {'present' if self.present else 'absent'}"


class Feedback(models.Model):
    """A participant's short survey after a completed session: one per
    participant (a one-to-one), ratings 1-5 checked by the database."""

    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="feedback")
    rating_overall = models.PositiveSmallIntegerField()
    rating_trainer = models.PositiveSmallIntegerField()
    rating_material = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(rating_overall__gte=1, rating_overall__lte=5)
                & Q(rating_trainer__gte=1, rating_trainer__lte=5)
                & Q(rating_material__gte=1, rating_material__lte=5),
                name="trainers_feedback_ratings_range",
            )
        ]

    def __str__(self):
        return f"Feedback of {self.participant_id}"


class TrainerInvitation(models.Model):
    """An ATO admin's invitation of a person, by e-mail, to join the
    organisation as a trainer. The invited person accepts it after signing
    in with that address; the token is single-use (accepted_at)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=Q(accepted_at__isnull=True),
                name="trainers_one_open_invitation",
            )
        ]

    def __str__(self):
        return f"{self.email} to {self.organisation}"


class OrganisationVoucher(models.Model):
    """An exam voucher allocated to an organisation's pool. Vouchers belong to
    the exam engine, which knows nothing of organisations; this link (one
    organisation per voucher) is the trainers' side of the allocation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="vouchers")
    voucher = models.OneToOneField(
        "exams.Voucher", on_delete=models.CASCADE, related_name="organisation_link"
    )
    allocated_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.voucher} for {self.organisation}"


class SessionInvitation(models.Model):
    """A trainer's invitation of a person, by e-mail address, to a seat in a
    session (typed in or from a CSV file). The trainer sees only the address
    until it is accepted, never a name or whether an account uses it. The seat
    is taken on acceptance, by a signed-in person whose verified address it is,
    under the session lock like any seat; extra time from a CSV row waits here
    until then. At most one pending invitation per session and address."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Invited, not yet accepted")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # Where the browser session keeps the token of an invitation opened signed out, so that it is
    # found again after signing in or up (trainers.receivers).
    REMEMBERED_KEY = "trainers_session_invitation"

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    token = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )
    extra_minutes = models.PositiveSmallIntegerField(default=0)
    time_multiplier = models.DecimalField(max_digits=4, decimal_places=2, default=1)
    extra_time_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["session", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "email"],
                condition=Q(status="pending"),
                name="trainers_one_pending_session_invitation",
            ),
            models.CheckConstraint(
                condition=(Q(status="pending") & Q(responded_at__isnull=True))
                | (~Q(status="pending") & Q(responded_at__isnull=False)),
                name="trainers_session_invitation_responded",
            ),
            models.CheckConstraint(
                condition=Q(time_multiplier__gte=1, time_multiplier__lte=3),
                name="trainers_session_invitation_multiplier_range",
            ),
        ]

    def __str__(self):
        return f"{self.email} to {self.session} ({self.status})"

    def get_absolute_url(self):
        return reverse("trainers:session_invitation", args=[self.token])

    def is_expired(self, now=None):
        from django.utils import timezone

        return self.expires_at < (now or timezone.now())

    @property
    def needs_extra_time(self):
        return bool(self.extra_minutes) or self.time_multiplier > 1


class VoucherAssignment(models.Model):
    """An ATO admin's handing of one voucher of the pool to a person, by e-mail
    address: the code is e-mailed to it, and whether an account uses the address
    is never shown. Revoking an unredeemed assignment gives the voucher a new code
    (the e-mailed one stops working) and returns it to the pool; the rows stay as
    the history of who received which voucher. At most one live assignment per
    voucher."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned")
        REVOKED = "revoked", _("Revoked")

    pool_voucher = models.ForeignKey(
        OrganisationVoucher, on_delete=models.CASCADE, related_name="assignments"
    )
    email = models.EmailField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ASSIGNED, db_index=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-assigned_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pool_voucher"], condition=Q(status="assigned"), name="trainers_voucher_assigned_once"
            ),
            models.CheckConstraint(
                condition=(Q(status="assigned") & Q(revoked_at__isnull=True))
                | (Q(status="revoked") & Q(revoked_at__isnull=False)),
                name="trainers_voucher_assignment_revoked_at",
            ),
        ]

    def __str__(self):
        return f"{self.pool_voucher.voucher_id} to {self.email} ({self.status})"


class VoucherRequest(models.Model):
    """An ATO admin's request to the certification body for more vouchers of a
    certification. Examiners see the open requests on the CMS voucher
    allocation screen and allocate (which fulfils the request) or decline."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        FULFILLED = "fulfilled", _("Allocated")
        DECLINED = "declined", _("Declined")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="voucher_requests")
    certification = models.ForeignKey("exams.Certification", on_delete=models.PROTECT, related_name="+")
    count = models.PositiveSmallIntegerField()
    note = models.TextField(blank=True, max_length=1000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    response_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(count__gte=1, count__lte=500), name="trainers_voucher_request_count_range"
            ),
            models.CheckConstraint(
                condition=(Q(status="open") & Q(handled_at__isnull=True))
                | (~Q(status="open") & Q(handled_at__isnull=False)),
                name="trainers_voucher_request_handled",
            ),
        ]

    def __str__(self):
        return _("%(count)s × %(code)s for %(organisation)s") % {
            "count": self.count,
            "code": self.certification.code,
            "organisation": self.organisation,
        }

"""Service providers, their members, and FitSM-1 assessments.

The instrument is versioned data (Instrument → Requirement → RequirementItem), loaded from
`assessments/instrument/` by content.fitsm.loader; an assessment keeps the instrument version it
was made with, so a later edition never changes an old result. An assessment is a self-assessment
today; `kind` and the provider foreign key leave room for the audited certification (an audit
scores the same instrument). States change only through assessments.services, by conditional
UPDATEs, and the database holds the invariants the services rely on (one score row per
assessment and item, one scope row per assessment and requirement, scores 0–4, targets 1–4, an
out-of-scope process has a reason, one membership per provider and person)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

SCORE_MIN, SCORE_MAX = 0, 4
TARGET_MIN, TARGET_MAX = 1, 4
COMMENT_MAX = 4000


class Instrument(models.Model):
    """One edition of FitSM-1 as an assessment instrument. Exactly one is current: new
    assessments use it; older assessments keep theirs."""

    version = models.CharField(max_length=40, unique=True)
    is_current = models.BooleanField(default=False)
    # What each score 0–4 means in general ({"0": {"name": ..., "summary": ...}}), from the
    # descriptors file; the names in assessments.scale are used where it gives none.
    scale = models.JSONField(default=dict, blank=True)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_current", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="assessments_one_current_instrument"
            )
        ]

    def __str__(self):
        return self.version


class Requirement(models.Model):
    """A general requirement (GR1–GR7, always in scope) or a process requirement (PR1–PR14)."""

    class Kind(models.TextChoices):
        GENERAL = "general", _("General requirement")
        PROCESS = "process", _("Process requirement")

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="requirements")
    code = models.CharField(max_length=10)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    process_code = models.CharField(max_length=10, blank=True)
    ordinal = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["instrument", "ordinal"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="assessments_requirement_code"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def is_general(self):
        return self.kind == self.Kind.GENERAL


class RequirementItem(models.Model):
    """A numbered requirement item (e.g. PR3.2). `descriptors` maps each score "0"–"4" to a short
    description of what that level looks like for this item (empty until written)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="items")
    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(max_length=12)
    text = models.TextField()
    ordinal = models.PositiveSmallIntegerField()
    descriptors = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["requirement__ordinal", "ordinal"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="assessments_item_code"),
        ]

    def __str__(self):
        return self.code


class CertificationLevel(models.Model):
    """A level of organisational certification (FitSM Essentials, FitSM Plus). Its `criteria` are
    the scheme's data — which requirements must reach which score, how many exceptions are
    allowed and how far below an exception may be — loaded from content/assessment/levels.yaml and
    edited by examiners in the CMS through assessments.services (audited). Code never restates
    them. A snippet would do too; a model with a service-backed admin screen keeps the one rule
    that every change is validated and audited."""

    code = models.SlugField(max_length=20, unique=True)
    name = models.CharField(max_length=100)
    summary = models.TextField(blank=True)
    validity_years = models.PositiveSmallIntegerField(default=3)
    position = models.PositiveSmallIntegerField(default=0)
    criteria = models.JSONField(default=dict)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(validity_years__gte=1) & Q(validity_years__lte=10),
                name="assessments_level_validity_range",
            )
        ]

    def __str__(self):
        return self.name


class ServiceProvider(models.Model):
    """An organisation running IT services that assesses its service management system."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    country = models.CharField(max_length=2, help_text=_("ISO 3166-1 alpha-2 code, e.g. DE."))
    website = models.URLField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ProviderMembership(models.Model):
    """A person's role at a provider: the SMS owner manages members, scope, targets and
    submission; an assessor scores; a viewer reads."""

    class Role(models.TextChoices):
        SMS_OWNER = "sms_owner", _("SMS owner")
        ASSESSOR = "assessor", _("Assessor")
        VIEWER = "viewer", _("Viewer")

    provider = models.ForeignKey(ServiceProvider, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["provider", "role", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "user"], name="assessments_one_membership"),
        ]

    def __str__(self):
        return f"{self.user} ({self.role}) at {self.provider}"


class ProviderInvitation(models.Model):
    """An invitation by e-mail address; accepted by the person signed in with that address."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    provider = models.ForeignKey(ServiceProvider, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=ProviderMembership.Role.choices)
    token = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "email"],
                condition=Q(status="pending"),
                name="assessments_one_pending_invitation",
            )
        ]

    def __str__(self):
        return f"{self.email} ({self.role}) to {self.provider_id}"


class Assessment(models.Model):
    """A FitSM-1 assessment of a provider's service management system against one instrument
    version. A self-assessment now; an audit (scored by an auditor) later."""

    class Kind(models.TextChoices):
        SELF = "self", _("Self-assessment")
        AUDIT = "audit", _("Audit")

    class State(models.TextChoices):
        DRAFT = "draft", _("In progress")
        SUBMITTED = "submitted", _("Submitted")

    provider = models.ForeignKey(ServiceProvider, on_delete=models.PROTECT, related_name="assessments")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SELF)
    title = models.CharField(max_length=200)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(state="draft") & Q(submitted_at__isnull=True))
                | (Q(state="submitted") & Q(submitted_at__isnull=False)),
                name="assessments_submitted_has_time",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_locked(self):
        return self.state != self.State.DRAFT

    @property
    def audit_application(self):
        """The certification application this audit belongs to (None for a self-assessment)."""
        if self.kind != self.Kind.AUDIT:
            return None
        return (
            CertificationApplication.objects.filter(audit_assessment=self).select_related("provider").first()
        )


class ScopeEntry(models.Model):
    """Whether a requirement is in the assessment's scope, and its target level (1–4). General
    requirements are always in scope (the service refuses otherwise); a process out of scope
    carries a reason (the database refuses otherwise)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scope")
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="+")
    in_scope = models.BooleanField(default=True)
    reason = models.TextField(blank=True)
    target = models.PositiveSmallIntegerField(default=3)

    class Meta:
        ordering = ["requirement__ordinal"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "requirement"], name="assessments_one_scope_entry"),
            models.CheckConstraint(
                condition=Q(in_scope=True) | ~Q(reason=""), name="assessments_out_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(target__gte=TARGET_MIN) & Q(target__lte=TARGET_MAX),
                name="assessments_target_range",
            ),
        ]

    def __str__(self):
        return f"{self.requirement_id}: {'in' if self.in_scope else 'out'}, target {self.target}"


class Score(models.Model):
    """The stored score of one item: the write with the highest sequence number wins; an older
    or repeated one changes nothing (assessments.services.assessment_score_save)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(RequirementItem, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    seq = models.BigIntegerField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="assessments_one_score"),
            models.CheckConstraint(
                condition=Q(score__gte=SCORE_MIN) & Q(score__lte=SCORE_MAX), name="assessments_score_range"
            ),
            models.CheckConstraint(condition=Q(seq__gte=1), name="assessments_score_seq_positive"),
        ]

    def __str__(self):
        return f"{self.item_id}: {self.score}"


class ScoreChange(models.Model):
    """History: one row per accepted change of a score (who, when, old → new)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="score_changes")
    item = models.ForeignKey(RequirementItem, on_delete=models.PROTECT, related_name="+")
    old_score = models.PositiveSmallIntegerField(null=True)
    new_score = models.PositiveSmallIntegerField()
    old_comment = models.TextField(blank=True)
    new_comment = models.TextField(blank=True)
    seq = models.BigIntegerField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return f"{self.item_id}: {self.old_score} → {self.new_score}"


class Evidence(models.Model):
    """A link or a file supporting an item's score. Files are stored privately (never under
    MEDIA_URL) and served only to the provider's members by a permission-checked view."""

    class Kind(models.TextChoices):
        LINK = "link", _("Link")
        FILE = "file", _("File")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evidence")
    item = models.ForeignKey(RequirementItem, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=5, choices=Kind.choices)
    url = models.URLField(max_length=1000, blank=True)
    file = models.CharField(max_length=300, blank=True, help_text=_("Name in the private storage."))
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="link") & ~Q(url="")) | (Q(kind="file") & ~Q(file="")),
                name="assessments_evidence_has_target",
            )
        ]

    def __str__(self):
        return self.name


# --- audited organisational certification ----------------------------------------------------


class AuditorAccreditation(models.Model):
    """A person the certification body accredits to audit providers. One row per person whose
    state moves through assessments.auditors (examiners only); every change is appended to
    AuditorAccreditationChange, the full history. Same shape as trainers' accreditations, without
    a certification: an auditor audits against the whole instrument."""

    class State(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.ACTIVE)
    valid_from = models.DateField()
    valid_until = models.DateField()
    notes = models.TextField(
        blank=True, help_text=_("Why this change is made (kept in the accreditation's history).")
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user__email"]
        verbose_name = _("auditor accreditation")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="assessments_auditor_validity_order",
            )
        ]

    def __str__(self):
        return f"{self.user} ({self.state}, until {self.valid_until})"


class AuditorAccreditationChange(models.Model):
    """Append-only history of an auditor accreditation: who changed what, when and why."""

    accreditation = models.ForeignKey(AuditorAccreditation, on_delete=models.CASCADE, related_name="changes")
    from_state = models.CharField(max_length=10, blank=True)
    to_state = models.CharField(max_length=10, choices=AuditorAccreditation.State.choices)
    valid_from = models.DateField()
    valid_until = models.DateField()
    reason = models.TextField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["accreditation", "at", "id"]

    def __str__(self):
        return f"{self.accreditation_id}: {self.from_state or '-'} → {self.to_state}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Auditor accreditation history is append-only.")
        super().save(*args, **kwargs)


SCOPE_STATEMENT_MAX = 4000


class CertificationApplication(models.Model):
    """A provider's application for a level of organisational certification, from its submission
    through the audit to the examiner's decision. States move only through
    assessments.certification by conditional UPDATEs; the database holds the combinations the
    services rely on: who is set in which state, a decision only when decided, and never decided
    by the application's own lead auditor (four eyes)."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        AUDITOR_ASSIGNED = "auditor_assigned", _("Auditor assigned")
        AUDIT_IN_PROGRESS = "audit_in_progress", _("Audit in progress")
        AUDIT_COMPLETED = "audit_completed", _("Audit completed")
        DECIDED = "decided", _("Decided")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Outcome(models.TextChoices):
        GRANTED = "granted", _("Granted at the level applied for")
        GRANTED_LOWER = "granted_lower", _("Granted at the lower level")
        REFUSED = "refused", _("Refused")

    provider = models.ForeignKey(ServiceProvider, on_delete=models.PROTECT, related_name="applications")
    level = models.ForeignKey(CertificationLevel, on_delete=models.PROTECT, related_name="+")
    scope_statement = models.TextField()
    self_assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.PROTECT, related_name="applications"
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.SUBMITTED, db_index=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_at = models.DateTimeField()
    lead_auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    audit_assessment = models.OneToOneField(
        Assessment, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_of"
    )
    recommendation = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    recommendation_notes = models.TextField(blank=True)
    audit_completed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    granted_level = models.ForeignKey(
        CertificationLevel, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_reasons = models.TextField(blank=True)
    readiness_advice = models.JSONField(default=dict, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-applied_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    state__in=[
                        "submitted",
                        "auditor_assigned",
                        "audit_in_progress",
                        "audit_completed",
                        "decided",
                        "withdrawn",
                    ]
                ),
                name="assessments_application_state",
            ),
            # A decision (outcome, decider, time) exists exactly when the state is decided; a grant
            # names its level, a refusal none.
            models.CheckConstraint(
                condition=(
                    Q(state="decided")
                    & Q(decided_by__isnull=False)
                    & Q(decided_at__isnull=False)
                    & (
                        (Q(outcome__in=["granted", "granted_lower"]) & Q(granted_level__isnull=False))
                        | (Q(outcome="refused") & Q(granted_level__isnull=True))
                    )
                )
                | (
                    ~Q(state="decided")
                    & Q(outcome="")
                    & Q(decided_by__isnull=True)
                    & Q(decided_at__isnull=True)
                    & Q(granted_level__isnull=True)
                ),
                name="assessments_application_decision_state",
            ),
            # From the assignment on there is a lead auditor; before it there is none.
            models.CheckConstraint(
                condition=Q(state="submitted", lead_auditor__isnull=True)
                | Q(state="withdrawn")
                | (
                    Q(state__in=["auditor_assigned", "audit_in_progress", "audit_completed", "decided"])
                    & Q(lead_auditor__isnull=False)
                ),
                name="assessments_application_auditor_state",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["audit_completed", "decided"])
                | (Q(audit_completed_at__isnull=False) & ~Q(recommendation="")),
                name="assessments_application_completed_has_recommendation",
            ),
            # Four eyes: the lead auditor never decides the application.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True)
                | Q(lead_auditor__isnull=True)
                | ~Q(decided_by=models.F("lead_auditor")),
                name="assessments_application_four_eyes",
            ),
            models.CheckConstraint(
                condition=~Q(scope_statement=""), name="assessments_application_has_scope_statement"
            ),
            # One open application per provider at a time.
            models.UniqueConstraint(
                fields=["provider"],
                condition=~Q(state__in=["decided", "withdrawn"]),
                name="assessments_one_open_application",
            ),
        ]

    def __str__(self):
        return f"{self.provider} — {self.level} ({self.state})"

    @property
    def is_open(self):
        return self.state not in (self.State.DECIDED, self.State.WITHDRAWN)


class ApplicationEvent(models.Model):
    """Every step of an application (who, when, what, from which state to which), append-only."""

    application = models.ForeignKey(CertificationApplication, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=40)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.application_id}: {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Application events are append-only.")
        super().save(*args, **kwargs)


class ConflictDeclaration(models.Model):
    """An auditor's declaration about one application: no conflict of interest (the audit may
    start) or a conflict (the assignment ends and that person cannot be assigned to it again)."""

    application = models.ForeignKey(
        CertificationApplication, on_delete=models.CASCADE, related_name="declarations"
    )
    auditor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    has_conflict = models.BooleanField()
    statement = models.TextField(blank=True)
    declared_at = models.DateTimeField()

    class Meta:
        ordering = ["declared_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "auditor"], name="assessments_one_declaration"),
            models.CheckConstraint(
                condition=Q(has_conflict=False) | ~Q(statement=""), name="assessments_conflict_has_statement"
            ),
        ]

    def __str__(self):
        return f"{self.auditor_id} on {self.application_id}: {'conflict' if self.has_conflict else 'none'}"


class AuditPlanEntry(models.Model):
    """One row of the audit plan: a day, where, whom the auditor interviews (and about what)."""

    application = models.ForeignKey(
        CertificationApplication, on_delete=models.CASCADE, related_name="plan_entries"
    )
    day = models.DateField()
    location = models.CharField(max_length=200)
    interviewees = models.CharField(max_length=500)
    topics = models.CharField(max_length=500, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["day", "id"]

    def __str__(self):
        return f"{self.day} {self.location}"


class Finding(models.Model):
    """What the auditor found about one requirement item. A nonconformity (major or minor) is
    answered by the provider with a corrective action and closed when the auditor accepts one;
    an observation needs no answer (state `noted`)."""

    class Kind(models.TextChoices):
        MAJOR = "major", _("Major nonconformity")
        MINOR = "minor", _("Minor nonconformity")
        OBSERVATION = "observation", _("Observation")

    class State(models.TextChoices):
        OPEN = "open", _("Awaiting a corrective action")
        ANSWERED = "answered", _("Corrective action proposed")
        CLOSED = "closed", _("Closed: corrective action accepted")
        NOTED = "noted", _("Noted")

    application = models.ForeignKey(
        CertificationApplication, on_delete=models.CASCADE, related_name="findings"
    )
    item = models.ForeignKey(RequirementItem, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    state = models.CharField(max_length=10, choices=State.choices)
    description = models.TextField()
    evidence = models.TextField(blank=True)
    evidence_links = models.JSONField(default=list, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_at = models.DateTimeField()

    class Meta:
        ordering = ["raised_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="observation") & Q(state="noted"))
                | (Q(kind__in=["major", "minor"]) & Q(state__in=["open", "answered", "closed"])),
                name="assessments_finding_kind_state",
            ),
            models.CheckConstraint(condition=~Q(description=""), name="assessments_finding_has_description"),
        ]

    def __str__(self):
        return f"{self.kind} on {self.item_id}"

    @property
    def is_nonconformity(self):
        return self.kind != self.Kind.OBSERVATION


class CorrectiveAction(models.Model):
    """The provider's answer to a nonconformity, and the auditor's review of it. At most one is
    pending per finding; a rejected one stays in the history and the provider answers again."""

    class Review(models.TextChoices):
        PENDING = "pending", _("Waiting for the auditor")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="actions")
    text = models.TextField()
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField()
    review = models.CharField(max_length=10, choices=Review.choices, default=Review.PENDING)
    review_notes = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["proposed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["finding"], condition=Q(review="pending"), name="assessments_one_pending_action"
            ),
            models.CheckConstraint(
                condition=Q(review="pending", reviewed_at__isnull=True)
                | (~Q(review="pending") & Q(reviewed_at__isnull=False)),
                name="assessments_action_reviewed_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(review="rejected") | ~Q(review_notes=""), name="assessments_rejection_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.finding_id}: {self.review}"


class CertificationGrant(models.Model):
    """That an application was granted, and at which level: one row per application at most
    (the unique constraint makes a grant exactly once). The certificates app issues the
    organisation's certificate from it."""

    application = models.OneToOneField(
        CertificationApplication, on_delete=models.PROTECT, related_name="grant"
    )
    provider = models.ForeignKey(ServiceProvider, on_delete=models.PROTECT, related_name="grants")
    level = models.ForeignKey(CertificationLevel, on_delete=models.PROTECT, related_name="+")
    scope_statement = models.TextField()
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField()

    class Meta:
        ordering = ["-granted_at"]

    def __str__(self):
        return f"{self.provider} — {self.level}"

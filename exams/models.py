"""Exam engine data: the certification scheme, the question bank, sittings,
vouchers, registrations, attempts and their event log.

States are text choices; every transition goes through a guarded service
function (a conditional UPDATE ... WHERE state = ...), so concurrent requests,
workers and sweeps cannot apply the same transition twice."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .codes import voucher_code_generate


class Certification(models.Model):
    """A certification is a row, not a branch in code: its exam parameters and
    blueprint (the topic quotas) are data the certification body maintains."""

    class EarnedBy(models.TextChoices):
        EXAM = "exam", _("Exam")
        DERIVED = "derived", _("Derived from other certifications")

    code = models.CharField(max_length=8, unique=True)
    name = models.CharField(max_length=120)
    earned_by = models.CharField(max_length=8, choices=EarnedBy.choices, default=EarnedBy.EXAM)
    prerequisites = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="leads_to")
    question_count = models.PositiveSmallIntegerField(default=0)
    duration_minutes = models.PositiveSmallIntegerField(default=0)
    pass_mark = models.PositiveSmallIntegerField(
        default=0, help_text=_("Percent of questions to answer correctly.")
    )
    options_per_question = models.PositiveSmallIntegerField(default=4)
    closed_book = models.BooleanField(default=True)
    # A candidate sitting the exam in another language may show one question at a time in
    # English and back (content/certifications.yaml: allowed for the Advanced exams).
    english_switch_allowed = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(pass_mark__lte=100), name="exams_cert_pass_mark_percent"),
            models.CheckConstraint(
                condition=Q(earned_by="derived") | (Q(question_count__gt=0) & Q(duration_minutes__gt=0)),
                name="exams_cert_exam_has_parameters",
            ),
        ]

    def __str__(self):
        return f"{self.code} – {self.name}"

    @property
    def is_exam(self):
        return self.earned_by == self.EarnedBy.EXAM

    @property
    def prerequisite_codes(self):
        return [c.code for c in self.prerequisites.all()]

    @property
    def pass_count(self):
        """The fewest correct answers that pass: smallest c with c*100 >= pass_mark*total."""
        return -(-self.pass_mark * self.question_count // 100)


class Topic(models.Model):
    """A syllabus area of one certification. `quota` is its share of every exam
    form: the quotas of a certification's topics are its blueprint."""

    certification = models.ForeignKey(Certification, on_delete=models.CASCADE, related_name="topics")
    code = models.CharField(max_length=16)
    name = models.CharField(max_length=160)
    quota = models.PositiveSmallIntegerField(
        default=0, help_text=_("Questions this topic contributes to an exam.")
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["certification", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["certification", "code"], name="exams_topic_code_unique")
        ]

    def __str__(self):
        return f"{self.certification.code}/{self.code} – {self.name}"


class Purpose(models.TextChoices):
    EXAM = "exam", _("Certification exam")
    PRACTICE = "practice", _("Practice")


class Question(models.Model):
    """The stable identity of an item. Its wording lives in versions: editing an
    approved question publishes a new version, and attempts keep the version
    they drew, so nothing changes under a candidate."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        APPROVED = "approved", _("Approved")
        RETIRED = "retired", _("Retired")

    external_id = models.CharField(max_length=40, unique=True)
    certification = models.ForeignKey(Certification, on_delete=models.PROTECT, related_name="questions")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="questions")
    purpose = models.CharField(max_length=8, choices=Purpose.choices, default=Purpose.EXAM)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    difficulty = models.PositiveSmallIntegerField(default=2)
    current_version = models.ForeignKey(
        "QuestionVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    exposure_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["external_id"]
        indexes = [models.Index(fields=["certification", "purpose", "status", "topic"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(difficulty__gte=1, difficulty__lte=3), name="exams_q_difficulty"
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | Q(author__isnull=True) | ~Q(approved_by=F("author")),
                name="exams_q_four_eyes",
            ),
        ]

    def __str__(self):
        return self.external_id

    @property
    def stem_preview(self):
        """The start of the current wording, for lists."""
        stem = self.current_version.stem if self.current_version_id else ""
        return stem if len(stem) <= 90 else stem[:87].rstrip() + "…"


class QuestionVersion(models.Model):
    """One immutable wording of a question with its options, in one language. The versions of
    one question in every language are one item family: option A in German is option A in
    English (the same meaning), so the key is the same label in every language."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="en")
    stem = models.TextField()
    rationale = models.TextField()
    reference = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["question", "number"]
        constraints = [models.UniqueConstraint(fields=["question", "number"], name="exams_qv_number_unique")]

    def __str__(self):
        return f"{self.question.external_id} v{self.number}"


class QuestionTranslation(models.Model):
    """The current version of a question in a language other than English, and its review.
    English, the source language, is the question's own current_version and approval.

    Four eyes per language: the reviewer of a language version is never its author."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        TRANSLATED = "translated", _("Translated")
        REVIEWED = "reviewed", _("Reviewed")

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    current_version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["question", "language"]
        constraints = [
            models.UniqueConstraint(fields=["question", "language"], name="exams_qt_language_unique"),
            models.CheckConstraint(condition=~Q(language="en"), name="exams_qt_not_source_language"),
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True) | Q(author__isnull=True) | ~Q(reviewed_by=F("author")),
                name="exams_qt_four_eyes",
            ),
        ]
        indexes = [models.Index(fields=["language", "status"])]

    def __str__(self):
        return f"{self.question.external_id} ({self.language})"


class QuestionOption(models.Model):
    """An option of a version. Candidates see options under shuffled letters;
    scoring compares option identity, never the displayed letter."""

    version = models.ForeignKey(QuestionVersion, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(max_length=1, help_text=_("The letter in the source bank (A-D)."))
    text = models.TextField()
    is_correct = models.BooleanField(default=False)

    class Meta:
        ordering = ["version", "label"]
        constraints = [
            models.UniqueConstraint(fields=["version", "label"], name="exams_opt_label_unique"),
            models.UniqueConstraint(
                fields=["version"], condition=Q(is_correct=True), name="exams_opt_one_key"
            ),
        ]

    def __str__(self):
        return f"{self.version} {self.label}"


class Sitting(models.Model):
    """An exam session. Scheduled sittings have a start window and candidates
    registered by a trainer or examiner; on-demand sittings are always open and
    candidates join by voucher."""

    class Kind(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        ON_DEMAND = "on_demand", _("On demand")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    certification = models.ForeignKey(Certification, on_delete=models.PROTECT, related_name="sittings")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SCHEDULED)
    title = models.CharField(max_length=200, blank=True)
    opens_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True, help_text=_("Last moment a candidate may start."))
    duration_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Default: the exam's.")
    )
    access_code = models.CharField(max_length=32, blank=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.DRAFT, db_index=True)
    invigilators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="invigilated_sittings"
    )
    organisation_name = models.CharField(max_length=200, blank=True)
    trainer_name = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["certification"],
                condition=Q(kind="on_demand", state="open"),
                name="exams_one_open_on_demand_sitting",
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=F("opens_at")),
                name="exams_sitting_window_order",
            ),
        ]

    def __str__(self):
        return self.title or f"{self.certification.code} sitting #{self.pk}"

    @property
    def minutes(self):
        return self.duration_minutes or self.certification.duration_minutes


class Voucher(models.Model):
    """A single-use right to sit one exam of a certification."""

    code = models.CharField(max_length=32, unique=True, default=voucher_code_generate, editable=False)
    certification = models.ForeignKey(Certification, on_delete=models.PROTECT, related_name="vouchers")
    valid_until = models.DateTimeField()
    issued_to = models.CharField(max_length=200, blank=True, help_text=_("Organisation or person."))
    issued_to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    redeemed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="redeemed_vouchers",
    )
    redeemed_at = models.DateTimeField(null=True, blank=True)
    registration = models.ForeignKey(
        "Registration", null=True, blank=True, on_delete=models.PROTECT, related_name="vouchers"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(redeemed_by__isnull=True, redeemed_at__isnull=True)
                | Q(redeemed_by__isnull=False, redeemed_at__isnull=False),
                name="exams_voucher_redeemed_pair",
            )
        ]

    def __str__(self):
        return self.code


class Registration(models.Model):
    """A candidate in a sitting, with the attempts and extra time allowed."""

    sitting = models.ForeignKey(Sitting, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="registrations")
    attempts_allowed = models.PositiveSmallIntegerField(default=1)
    extra_minutes = models.PositiveSmallIntegerField(default=0)
    time_multiplier = models.DecimalField(max_digits=4, decimal_places=2, default=1)
    extra_time_reason = models.CharField(max_length=300, blank=True)
    extra_time_granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Extra time above what an invigilator may grant waits for an examiner; until then it does
    # not apply (the candidate sits with the standard time).
    extra_time_pending = models.BooleanField(default=False)
    extra_time_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Wrong sitting access codes entered by this candidate; at ACCESS_CODE_MAX_FAILURES the
    # registration locks until an invigilator unlocks it.
    access_code_failures = models.PositiveSmallIntegerField(default=0)
    locked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sitting", "user"]
        constraints = [
            models.UniqueConstraint(fields=["sitting", "user"], name="exams_registration_unique"),
            models.CheckConstraint(
                condition=Q(time_multiplier__gte=1, time_multiplier__lte=3), name="exams_reg_multiplier_range"
            ),
        ]

    def __str__(self):
        return f"{self.user} in {self.sitting}"


class Attempt(models.Model):
    """One candidate's exam form: the drawn question versions, their order and
    option permutation are frozen in its items when it is assembled."""

    class State(models.TextChoices):
        READY = "ready", _("Ready (generated, not started)")
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")
        EXPIRED = "expired", _("Expired")
        GRADED = "graded", _("Graded")
        VOIDED = "voided", _("Voided")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="attempts")
    certification = models.ForeignKey(Certification, on_delete=models.PROTECT, related_name="attempts")
    registration = models.ForeignKey(
        Registration, null=True, blank=True, on_delete=models.PROTECT, related_name="attempts"
    )
    purpose = models.CharField(max_length=8, choices=Purpose.choices, default=Purpose.EXAM)
    state = models.CharField(max_length=12, choices=State.choices, default=State.READY, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    graded_at = models.DateTimeField(null=True, blank=True)
    correct = models.PositiveSmallIntegerField(null=True, blank=True)
    total = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    pass_mark = models.PositiveSmallIntegerField(default=0)
    # The language the candidate chose in the lobby: every item is drawn in it.
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="en")
    by_topic = models.JSONField(default=list, blank=True)
    void_reason = models.TextField(blank=True)
    # Minutes added to the deadline by extensions, capped for invigilators (an examiner may go
    # beyond): the guarded UPDATE that extends checks the cap in the database.
    extended_minutes = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration"],
                condition=Q(state__in=["ready", "in_progress"]),
                name="exams_one_open_attempt_per_registration",
            ),
            models.CheckConstraint(
                condition=Q(purpose="practice") | Q(registration__isnull=False),
                name="exams_exam_attempt_registered",
            ),
            models.CheckConstraint(
                condition=~Q(state="graded") | Q(passed__isnull=False, correct__isnull=False),
                name="exams_graded_has_result",
            ),
            models.CheckConstraint(
                condition=Q(state="ready") | Q(started_at__isnull=False, deadline__isnull=False),
                name="exams_started_has_deadline",
            ),
        ]

    def __str__(self):
        return f"Attempt #{self.pk} {self.certification.code} {self.user}"

    @property
    def is_open(self):
        return self.state in (self.State.READY, self.State.IN_PROGRESS)

    @property
    def percent(self):
        if not self.total:
            return None
        return round(self.correct * 100 / self.total, 1)


class AttemptItem(models.Model):
    """One position of an attempt: the question version drawn, the order its
    options are shown in, and the candidate's latest answer."""

    # No index of its own: the unique (attempt, position) index serves every lookup by attempt,
    # and an answer that changes the chosen option updates each index of the row.
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items", db_index=False)
    position = models.PositiveSmallIntegerField()
    question_version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    # The language of the version drawn (and scored); a switch of the display to English is an
    # event, never a change of the version.
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="en")
    option_order = models.JSONField(help_text=_("Option ids in the order shown as A, B, C, D."))
    chosen_option = models.ForeignKey(
        QuestionOption, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    flagged = models.BooleanField(default=False)
    seq = models.BigIntegerField(default=0, help_text=_("Highest client sequence number applied."))
    saved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="exams_item_position_unique")
        ]

    def __str__(self):
        return f"{self.attempt_id}#{self.position}"


class AttemptEvent(models.Model):
    """Append-only log of what happened to an attempt."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        STARTED = "started", _("Started")
        RESUMED = "resumed", _("Resumed")
        ANSWER_SAVED = "answer_saved", _("Answer saved")
        FOCUS_LOST = "focus_lost", _("Focus lost")
        FOCUS_REGAINED = "focus_regained", _("Focus regained")
        CONNECTION_LOST = "connection_lost", _("Connection lost")
        CONNECTION_RESTORED = "connection_restored", _("Connection restored")
        TIME_EXTENDED = "time_extended", _("Time extended")
        DISPLAY_LANGUAGE = "display_language", _("Question shown in another language")
        SUBMITTED = "submitted", _("Submitted")
        EXPIRED = "expired", _("Expired")
        GRADED = "graded", _("Graded")
        VOIDED = "voided", _("Voided")

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["attempt", "at", "id"]

    def __str__(self):
        return f"{self.attempt_id} {self.kind}"


class ItemStatistic(models.Model):
    """Classical test theory figures for one question, from graded exam attempts."""

    question = models.OneToOneField(Question, on_delete=models.CASCADE, related_name="statistic")
    computed_at = models.DateTimeField()
    exposures = models.PositiveIntegerField(default=0)
    facility = models.FloatField(null=True, blank=True)
    discrimination = models.FloatField(null=True, blank=True)
    option_frequencies = models.JSONField(default=dict, blank=True)
    flagged = models.BooleanField(default=False)
    flag_reasons = models.CharField(max_length=200, blank=True)
    # Per language of the version drawn: {"de": {"exposures": 40, "facility": 0.55}, ...}.
    by_language = models.JSONField(default=dict, blank=True)

    def __str__(self):
        return f"Statistics of {self.question}"


class FormStatistic(models.Model):
    """Score distribution and reliability (KR-20) per certification or sitting."""

    certification = models.ForeignKey(Certification, on_delete=models.CASCADE, related_name="form_statistics")
    sitting = models.ForeignKey(
        Sitting, null=True, blank=True, on_delete=models.CASCADE, related_name="statistics"
    )
    computed_at = models.DateTimeField()
    candidates = models.PositiveIntegerField(default=0)
    mean = models.FloatField(null=True, blank=True)
    sd = models.FloatField(null=True, blank=True)
    kr20 = models.FloatField(null=True, blank=True)
    pass_rate = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["certification"], condition=Q(sitting__isnull=True), name="exams_formstat_cert_unique"
            ),
            models.UniqueConstraint(fields=["sitting"], name="exams_formstat_sitting_unique"),
        ]

    def __str__(self):
        return f"Statistics of {self.sitting or self.certification}"

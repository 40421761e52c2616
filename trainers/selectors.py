"""Read-side queries, including the object permissions of trainers and ATO admins.

A trainer manages the sessions they teach; an ATO admin manages the sessions,
trainers and vouchers of the organisations they administer. Nothing else: a
trainer or admin of organisation A sees nothing of organisation B, and an
affiliate's admin nothing of its sponsoring ATO."""

from collections import defaultdict

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from exams.models import Attempt, Purpose

from .models import (
    SESSION_LANGUAGES,
    Accreditation,
    Membership,
    Organisation,
    Participant,
    SessionInvitation,
    TrainerProfile,
    TrainingSession,
    VoucherAssignment,
    VoucherRequest,
)

PUBLIC_STATUSES = (
    Accreditation.Status.ACCREDITED,
    Accreditation.Status.SUSPENDED,
    Accreditation.Status.WITHDRAWN,
    Accreditation.Status.EXPIRED,
)
PUBLIC_SESSION_STATUSES = (
    TrainingSession.Status.PUBLISHED,
    TrainingSession.Status.CANCELLED,
    TrainingSession.Status.COMPLETED,
)


# --- who manages what -------------------------------------------------------


def organisations_admined_by(user):
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user, memberships__role=Membership.Role.ADMIN
    ).distinct()


def organisation_for_admin(*, user, slug):
    return organisations_admined_by(user).filter(slug=slug).first()


def organisations_of_trainer(user):
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user, memberships__role=Membership.Role.TRAINER
    ).distinct()


def sessions_visible_to(user):
    """Sessions the user may manage: those they teach, and those of organisations they administer."""
    if not getattr(user, "is_authenticated", False):
        return TrainingSession.objects.none()
    return (
        TrainingSession.objects.filter(
            Q(session_trainers__trainer__user=user)
            | Q(organisation__memberships__user=user, organisation__memberships__role=Membership.Role.ADMIN)
        )
        .distinct()
        .select_related("organisation", "certification", "sitting")
    )


def session_for_manager(*, user, session_id):
    return sessions_visible_to(user).filter(pk=session_id).first()


def organisations_for_session_create(user):
    """Organisations in which the user may create sessions: as admin, or as one of its trainers."""
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).distinct().order_by("name")


def trainers_of_organisation(organisation):
    return TrainerProfile.objects.filter(
        user__memberships__organisation=organisation, user__memberships__role=Membership.Role.TRAINER
    ).distinct()


def trainers_of_organisations(organisations):
    return TrainerProfile.objects.filter(
        user__memberships__organisation__in=organisations, user__memberships__role=Membership.Role.TRAINER
    ).distinct()


def can_see_meeting_link(*, user, session):
    if not getattr(user, "is_authenticated", False):
        return False
    if session.participants.filter(user=user, status=Participant.Status.ENROLLED).exists():
        return True
    return sessions_visible_to(user).filter(pk=session.pk).exists()


def participant_of(*, user, session):
    if not getattr(user, "is_authenticated", False):
        return None
    return session.participants.filter(user=user).first()


# --- public directory and calendar -----------------------------------------


def party_status(accreditations, today=None):
    """One word for a party: accredited if any accreditation is in force, else the most telling other status."""
    today = today or timezone.localdate()
    statuses = [a.status for a in accreditations if a.status in PUBLIC_STATUSES]
    for status in PUBLIC_STATUSES:
        if status in statuses:
            return status
    return None


def _public_accreditations():
    return Prefetch(
        "accreditations",
        queryset=Accreditation.objects.filter(status__in=PUBLIC_STATUSES).select_related("certification"),
        to_attr="public_accreditations",
    )


def organisations_directory(*, country="", certification=""):
    qs = Organisation.objects.filter(accreditations__status__in=PUBLIC_STATUSES)
    if country:
        qs = qs.filter(country=country.upper())
    if certification:
        qs = qs.filter(
            accreditations__certification__code=certification, accreditations__status__in=PUBLIC_STATUSES
        )
    orgs = list(
        qs.distinct().select_related("sponsor").prefetch_related(_public_accreditations()).order_by("name")
    )
    for org in orgs:
        org.public_status = party_status(org.public_accreditations)
    return orgs


def trainers_directory(*, country="", language="", certification=""):
    qs = TrainerProfile.objects.filter(accreditations__status__in=PUBLIC_STATUSES)
    if country:
        qs = qs.filter(
            user__memberships__organisation__country=country.upper(),
            user__memberships__role=Membership.Role.TRAINER,
        )
    if language:
        qs = qs.filter(languages__iregex=rf"(^|,)\s*{_safe_code(language)}\s*(,|$)")
    if certification:
        qs = qs.filter(
            accreditations__certification__code=certification, accreditations__status__in=PUBLIC_STATUSES
        )
    trainers = list(qs.distinct().prefetch_related(_public_accreditations()).order_by("display_name"))
    for trainer in trainers:
        trainer.public_status = party_status(trainer.public_accreditations)
    return trainers


def _safe_code(code):
    return "".join(ch for ch in code if ch.isalnum() or ch == "-")[:8]


def organisation_public(*, slug):
    org = (
        Organisation.objects.filter(slug=slug)
        .select_related("sponsor")
        .prefetch_related(_public_accreditations())
        .first()
    )
    if org is None or not org.public_accreditations:
        return None
    org.public_status = party_status(org.public_accreditations)
    return org


def organisation_public_context(*, organisation):
    trainers = [
        t
        for t in trainers_directory()
        if t.pk in set(trainers_of_organisation(organisation).values_list("pk", flat=True))
    ]
    return {
        "organisation": organisation,
        "accreditations": organisation.public_accreditations,
        "status": organisation.public_status,
        "trainers": trainers,
        "affiliates": organisation.affiliates.filter(accreditations__status__in=PUBLIC_STATUSES).distinct(),
        **_running_and_upcoming(sessions_upcoming().filter(organisation=organisation)),
    }


def trainer_public(*, slug):
    trainer = TrainerProfile.objects.filter(slug=slug).prefetch_related(_public_accreditations()).first()
    if trainer is None or not trainer.public_accreditations:
        return None
    return trainer


def trainer_public_context(*, trainer):
    accreditations = getattr(trainer, "public_accreditations", None)
    if trainer.pk is None:  # the CMS preview of a profile not saved yet
        accreditations = []
    elif accreditations is None:
        accreditations = list(
            trainer.accreditations.filter(status__in=PUBLIC_STATUSES).select_related("certification")
        )
    return {
        "trainer": trainer,
        "accreditations": accreditations,
        "status": party_status(accreditations),
        "organisations": Organisation.objects.filter(
            memberships__user_id=trainer.user_id, memberships__role=Membership.Role.TRAINER
        ).distinct(),
        **(
            _running_and_upcoming(sessions_upcoming().filter(session_trainers__trainer=trainer))
            if trainer.pk
            else {"running": [], "sessions": []}
        ),
    }


def _running_and_upcoming(qs, now=None):
    """Sessions under way now apart from those still to come: a running course is not "upcoming"."""
    now = now or timezone.now()
    return {
        "running": _seated(qs.filter(starts_at__lte=now)[:20]),
        "sessions": _seated(qs.filter(starts_at__gt=now)[:20]),
    }


def _with_seats(qs):
    return qs.annotate(
        enrolled_count=Count("participants", filter=Q(participants__status=Participant.Status.ENROLLED))
    )


def _seated(sessions):
    sessions = list(sessions)
    for session in sessions:
        session.seats_left = seats_left(session)
    return sessions


def seats_left(session):
    enrolled = getattr(session, "enrolled_count", None)
    if enrolled is None:
        enrolled = session.participants.filter(status=Participant.Status.ENROLLED).count()
    return max(session.capacity - enrolled, 0)


def sessions_upcoming(now=None):
    now = now or timezone.now()
    return (
        _with_seats(TrainingSession.objects.filter(status=TrainingSession.Status.PUBLISHED, ends_at__gte=now))
        .select_related("organisation", "certification")
        .order_by("starts_at", "id")
    )


def sessions_calendar(*, certification="", country="", language="", mode="", now=None):
    qs = sessions_upcoming(now)
    if certification:
        qs = qs.filter(certification__code=certification)
    if country:
        qs = qs.filter(organisation__country=country.upper())
    if language:
        qs = qs.filter(language=language)
    if mode:
        qs = qs.filter(mode=mode)
    sessions = list(qs.prefetch_related("trainers"))
    for session in sessions:
        session.seats_left = seats_left(session)
    return sessions


def upcoming_sessions_for_certification(certification, limit=5):
    """The courses hook: published sessions of a certification still to come."""
    sessions = list(
        sessions_upcoming().filter(certification=certification, starts_at__gte=timezone.now())[:limit]
    )
    for session in sessions:
        session.seats_left = seats_left(session)
    return sessions


def calendar_url_for_certification(certification):
    """The courses hook: the public calendar filtered to one certification."""
    from urllib.parse import urlencode

    from django.urls import reverse

    return f"{reverse('trainers:session_list')}?{urlencode({'certification': certification.code})}"


def session_public(*, session_id):
    return (
        _with_seats(TrainingSession.objects.filter(pk=session_id, status__in=PUBLIC_SESSION_STATUSES))
        .select_related("organisation", "certification")
        .prefetch_related("trainers")
        .first()
    )


def sessions_for_trainer_feed(trainer):
    return (
        TrainingSession.objects.filter(session_trainers__trainer=trainer, status__in=PUBLIC_SESSION_STATUSES)
        .select_related("organisation", "certification")
        .order_by("starts_at")
    )


def sessions_for_organisation_feed(organisation):
    return (
        TrainingSession.objects.filter(organisation=organisation, status__in=PUBLIC_SESSION_STATUSES)
        .select_related("organisation", "certification")
        .order_by("starts_at")
    )


def filter_choices():
    from exams.models import Certification

    names = dict(SESSION_LANGUAGES)
    return {
        "certifications": Certification.objects.filter(earned_by="exam").order_by("position"),
        "countries": sorted(set(Organisation.objects.values_list("country", flat=True))),
        "languages": [
            (code, names.get(code, code))
            for code in sorted(
                set(TrainingSession.objects.values_list("language", flat=True))
                | {
                    c.strip()
                    for t in TrainerProfile.objects.values_list("languages", flat=True)
                    for c in t.split(",")
                    if c.strip()
                }
            )
        ],
        "modes": TrainingSession.Mode.choices,
    }


# --- dashboards ------------------------------------------------------------


def session_participants(session):
    return (
        session.participants.select_related("user")
        .prefetch_related("attendance")
        .order_by("status", "position", "user__last_name", "user__email")
    )


def session_participant_counts(session):
    """How many hold a seat, wait on the list or wait for the trainer's answer."""
    S = Participant.Status
    counts = dict(
        session.participants.filter(status__in=(S.ENROLLED, S.WAITLISTED, S.REQUESTED))
        .values_list("status")
        .annotate(n=Count("id"))
    )
    return {status.value: counts.get(status.value, 0) for status in (S.ENROLLED, S.WAITLISTED, S.REQUESTED)}


def session_invitations_pending(session):
    """Invitations not answered yet: the trainer sees the address alone, never a name or an account."""
    return session.invitations.filter(status=SessionInvitation.Status.PENDING).order_by("created_at", "id")


def session_invitation_by_token(token):
    return (
        SessionInvitation.objects.filter(token=token)
        .select_related("session__organisation", "session__certification")
        .first()
    )


def invitation_addressed_to(*, invitation, user):
    """Whether the user has verified the address the invitation was sent to."""
    from allauth.account.models import EmailAddress

    if not getattr(user, "is_authenticated", False):
        return False
    return EmailAddress.objects.filter(user=user, email__iexact=invitation.email, verified=True).exists()


def session_days_so_far(session, now=None):
    """The days of the session up to today in its time zone (attendance is kept for these)."""
    today = (now or timezone.now()).astimezone(session.zone).date()
    return [day for day in session.days if day <= today]


def session_in_the_past(session, now=None):
    """A session starting in the past is allowed (it may be recorded afterwards) but worth a warning."""
    return session.starts_at < (now or timezone.now())


def session_actions(session, *, problems=(), now=None):
    """Which actions apply to the session now, as the services would allow them: the pages offer
    only these (a completed session offers no cancellation and no seats)."""
    now = now or timezone.now()
    S = TrainingSession.Status
    started = session.starts_at <= now
    return {
        "edit": session.status in (S.DRAFT, S.PUBLISHED),
        "publish": session.status == S.DRAFT and not problems,
        "complete": session.status == S.PUBLISHED and started,
        "cancel": session.status in (S.DRAFT, S.PUBLISHED),
        "open_sitting": session.status in (S.PUBLISHED, S.COMPLETED) and started and not session.sitting_id,
        "seats": session.status == S.PUBLISHED,
        "attendance": session.status in (S.PUBLISHED, S.COMPLETED) and started,
        "extra_time": session.status in (S.PUBLISHED, S.COMPLETED) and not session.sitting_id,
        "warn_past": session.status == S.DRAFT and started,  # a warning, not a refusal
    }


def results_summary(sessions):
    """Pass rate and per-topic averages of the exam attempts in the sessions' sittings.
    Scores only: never questions, answers or keys."""
    sitting_ids = [s.sitting_id for s in sessions if s.sitting_id]
    attempts = Attempt.objects.filter(
        registration__sitting_id__in=sitting_ids, purpose=Purpose.EXAM, state=Attempt.State.GRADED
    ).only("passed", "correct", "total", "by_topic")
    graded = passed = 0
    topics = defaultdict(lambda: {"correct": 0, "total": 0, "name": ""})
    for attempt in attempts:
        graded += 1
        passed += bool(attempt.passed)
        for row in attempt.by_topic or []:
            t = topics[row["code"]]
            t["name"] = row.get("topic", row["code"])
            t["correct"] += row.get("correct", 0)
            t["total"] += row.get("total", 0)
    return {
        "graded": graded,
        "passed": passed,
        "pass_rate": round(passed * 100 / graded, 1) if graded else None,
        "topics": [
            {
                "code": code,
                "name": t["name"],
                "average": round(t["correct"] * 100 / t["total"], 1) if t["total"] else None,
            }
            for code, t in sorted(topics.items())
        ],
    }


def feedback_summary(sessions):
    from django.db.models import Avg

    from .models import Feedback

    qs = Feedback.objects.filter(participant__session__in=sessions)
    agg = qs.aggregate(
        n=Count("id"),
        overall=Avg("rating_overall"),
        trainer=Avg("rating_trainer"),
        material=Avg("rating_material"),
    )
    return {
        "count": agg["n"],
        "overall": round(agg["overall"], 2) if agg["overall"] is not None else None,
        "trainer": round(agg["trainer"], 2) if agg["trainer"] is not None else None,
        "material": round(agg["material"], 2) if agg["material"] is not None else None,
        "comments": list(
            qs.exclude(comment="").order_by("-submitted_at").values_list("comment", flat=True)[:20]
        ),
    }


def organisation_trainer_rows(organisation):
    """The organisation's trainers with their accreditations and the nearest expiry."""
    rows = []
    for trainer in trainers_of_organisation(organisation).prefetch_related(
        Prefetch("accreditations", queryset=Accreditation.objects.select_related("certification"))
    ):
        accs = list(trainer.accreditations.all())
        in_force = [
            a.valid_until for a in accs if a.status == Accreditation.Status.ACCREDITED and a.valid_until
        ]
        rows.append(
            {"trainer": trainer, "accreditations": accs, "next_expiry": min(in_force) if in_force else None}
        )
    return sorted(
        rows, key=lambda r: (r["next_expiry"] is None, r["next_expiry"] or 0, r["trainer"].display_name)
    )


def organisation_voucher_pool(organisation, now=None):
    """Allocated, redeemed, expired, assigned (handed to someone, not redeemed yet) and available
    vouchers of the organisation's pool, per certification."""
    from exams.models import Voucher

    now = now or timezone.now()
    unused = Q(redeemed_at__isnull=True, valid_until__gte=now)
    rows = (
        Voucher.objects.filter(organisation_link__organisation=organisation)
        .values("certification__code")
        .annotate(
            allocated=Count("id"),
            redeemed=Count("id", filter=Q(redeemed_at__isnull=False)),
            expired=Count("id", filter=Q(redeemed_at__isnull=True, valid_until__lt=now)),
            assigned=Count(
                "id",
                filter=unused & Q(organisation_link__assignments__status=VoucherAssignment.Status.ASSIGNED),
                distinct=True,
            ),
        )
        .order_by("certification__code")
    )
    out = []
    for row in rows:
        row["available"] = row["allocated"] - row["redeemed"] - row["expired"] - row["assigned"]
        out.append(row)
    return out


def organisation_vouchers_available(organisation, now=None):
    """Codes the admin can hand out: allocated to the organisation, not redeemed, not expired and
    not assigned to anyone."""
    from exams.models import Voucher

    now = now or timezone.now()
    return (
        Voucher.objects.filter(
            organisation_link__organisation=organisation, redeemed_at__isnull=True, valid_until__gte=now
        )
        .exclude(organisation_link__assignments__status=VoucherAssignment.Status.ASSIGNED)
        .select_related("certification")
        .order_by("certification__code", "valid_until", "code")
    )


def organisation_voucher_assignments(organisation, now=None, limit=500):
    """Who received which voucher and who redeemed it, newest first (live and revoked). Each row's
    `state`: revoked, redeemed, expired (not redeemed in time) or sent (may still be redeemed)."""
    now = now or timezone.now()
    rows = list(
        VoucherAssignment.objects.filter(pool_voucher__organisation=organisation)
        .select_related(
            "pool_voucher__voucher__certification", "pool_voucher__voucher__redeemed_by", "assigned_by"
        )
        .order_by("-assigned_at", "-id")[:limit]
    )
    for row in rows:
        voucher = row.pool_voucher.voucher
        if row.status == VoucherAssignment.Status.REVOKED:
            row.state = "revoked"
        elif voucher.redeemed_at:
            row.state = "redeemed"
        elif voucher.valid_until < now:
            row.state = "expired"
        else:
            row.state = "sent"
    return rows


def organisation_voucher_requests(organisation):
    return VoucherRequest.objects.filter(organisation=organisation).select_related(
        "certification", "requested_by"
    )


def voucher_requests_open():
    """What examiners see on the CMS voucher allocation screen."""
    return (
        VoucherRequest.objects.filter(status=VoucherRequest.Status.OPEN)
        .select_related("organisation", "certification", "requested_by")
        .order_by("created_at", "id")
    )


def organisation_accredited_certifications(organisation):
    from exams.models import Certification

    return Certification.objects.filter(
        accreditations__organisation=organisation, accreditations__status=Accreditation.Status.ACCREDITED
    ).order_by("position", "code")


def organisation_pool_certifications(organisation):
    """The certifications of which the pool holds vouchers (what an admin can hand out)."""
    from exams.models import Certification

    return (
        Certification.objects.filter(vouchers__organisation_link__organisation=organisation)
        .distinct()
        .order_by("position", "code")
    )


def organisation_pass_rates(organisation, sessions):
    """Pass rates of the exams taken in the organisation's sessions, for every certification it is
    accredited for (and any other it has sessions of); a certification without graded exams is
    listed with 0 graded."""
    from exams.models import Certification

    by_cert = defaultdict(list)
    for session in sessions:
        by_cert[session.certification_id].append(session)
    ids = set(organisation_accredited_certifications(organisation).values_list("pk", flat=True)) | set(
        by_cert
    )
    return [
        {"code": cert.code, "name": cert.name, **results_summary(by_cert.get(cert.pk, []))}
        for cert in Certification.objects.filter(pk__in=ids).order_by("position", "code")
    ]


# --- programme statistics (examiners) --------------------------------------


def programme_statistics():
    """Figures of the whole programme for the certification body."""
    from django.db.models.functions import ExtractYear

    from certificates.models import Certificate
    from exams.models import Certification

    certificates = list(
        Certificate.objects.annotate(year=ExtractYear("issued_on"))
        .values("year", "certification__code")
        .annotate(n=Count("id"))
        .order_by("year", "certification__code")
    )
    delivered = TrainingSession.objects.filter(status=TrainingSession.Status.COMPLETED)
    modes = {m: 0 for m, _ in TrainingSession.Mode.choices}
    for row in delivered.values("mode").annotate(n=Count("id")):
        modes[row["mode"]] = row["n"]
    reached = Organisation.objects.filter(sessions__status=TrainingSession.Status.COMPLETED).distinct()
    accredited = Organisation.objects.filter(
        accreditations__status=Accreditation.Status.ACCREDITED
    ).distinct()
    pass_rates = []
    for cert in Certification.objects.filter(earned_by="exam").order_by("position", "code"):
        graded = Attempt.objects.filter(certification=cert, purpose=Purpose.EXAM, state=Attempt.State.GRADED)
        n = graded.count()
        passed = graded.filter(passed=True).count()
        pass_rates.append(
            {
                "code": cert.code,
                "name": cert.name,
                "graded": n,
                "rate": round(passed * 100 / n, 1) if n else None,
            }
        )
    return {
        "certificates": certificates,
        "sessions_by_mode": [(label, modes[m]) for m, label in TrainingSession.Mode.choices],
        "organisations_reached": reached.count(),
        "countries_reached": sorted(set(reached.values_list("country", flat=True))),
        "atos": accredited.filter(kind=Organisation.Kind.ATO).count(),
        "affiliates": accredited.filter(kind=Organisation.Kind.AFFILIATE).count(),
        "pass_rates": pass_rates,
    }


def accreditation_applications_waiting():
    """Accreditation applications awaiting an examiner's decision, oldest first, with what the
    dashboard names of each (party and certification) fetched in the same query."""
    from .models import Accreditation

    return (
        Accreditation.objects.filter(status=Accreditation.Status.APPLIED)
        .select_related("organisation", "trainer", "certification")
        .order_by("id")
    )

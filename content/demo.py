"""Demo data for `manage.py seed_demo`: idempotent, built with the same services as the product."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.roles import ATO_ADMIN, EXAMINER, TRAINER, role_add
from certificates.services import certificates_issue_missing
from exams import services
from exams.models import Attempt, AttemptItem, Certification, Sitting

# DEVELOPMENT ONLY: the demo accounts' shared password.
DEMO_PASSWORD = "fitsm-demo-2026"
DEMO_USERS = [
    ("learner@example.org", "learner", "Ada", "Lovelace", None),
    ("trainer@example.org", "trainer", "Tomás", "Trainer", TRAINER),
    ("ato-admin@example.org", "ato_admin", "Anna", "Admin", ATO_ADMIN),
    ("examiner@example.org", "examiner", "Erik", "Examiner", EXAMINER),
]


def _user(email, first, last, group):
    User = get_user_model()
    user, created = User.objects.get_or_create(email=email, defaults={"first_name": first, "last_name": last})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
        from allauth.account.models import EmailAddress

        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
    if group:
        role_add(user, group)
    return user, created


def _passed_attempt(user, certification, invigilator, now, title=None):
    """The demo learner already holds this certification: a completed sitting with a passed attempt."""
    title = title or f"Demo {certification.code} sitting (completed)"
    sitting = Sitting.objects.filter(title=title).first()
    if sitting is None:
        sitting = services.sitting_create(
            certification=certification,
            title=title,
            opens_at=now - timedelta(days=30),
            closes_at=now - timedelta(days=29),
            created_by=invigilator,
            access_code="",
            invigilators=[invigilator],
            organisation_name=DEMO_ATO,
            trainer_name=invigilator.printed_name,
        )
        services.sitting_open(sitting=sitting, actor=invigilator)
        registration = services.registration_create(sitting=sitting, user=user, actor=invigilator)
        attempt = registration.attempts.get(state=Attempt.State.READY)
        start = now - timedelta(days=30) + timedelta(minutes=5)
        Sitting.objects.filter(pk=sitting.pk).update(opens_at=None, closes_at=None)
        services.attempt_start(attempt=attempt, now=start, actor=user)
        for seq, item in enumerate(
            AttemptItem.objects.filter(attempt=attempt).select_related("question_version"), 1
        ):
            correct = item.question_version.options.get(is_correct=True)
            key = "ABCD"[item.option_order.index(correct.id)]
            services.answer_save(attempt=attempt, position=item.position, key=key, seq=seq, now=start)
        services.attempt_submit(attempt=attempt, now=start + timedelta(minutes=10), actor=user)
        Sitting.objects.filter(pk=sitting.pk).update(
            opens_at=now - timedelta(days=30), closes_at=now - timedelta(days=29)
        )
        sitting.refresh_from_db()
        services.sitting_close(sitting=sitting, actor=invigilator, now=now)
    return sitting


def _open_sitting(certification, user, invigilator, now):
    title = f"Demo {certification.code} sitting"
    sitting = Sitting.objects.filter(title=title).first()
    if sitting is None:
        sitting = services.sitting_create(
            certification=certification,
            title=title,
            opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(days=365),
            created_by=invigilator,
            invigilators=[invigilator],
            access_code="",  # the demo candidate starts without one; real sittings get a random code
            organisation_name=DEMO_ATO,
            trainer_name=invigilator.printed_name,
        )
        services.sitting_open(sitting=sitting, actor=invigilator)
    services.registration_create(sitting=sitting, user=user, actor=invigilator)
    return sitting


@transaction.atomic
def demo_seed():
    """Create the demo accounts and objects; return what exists (ids), creating only what is missing."""
    now = timezone.now()
    users = {}
    accounts = []
    for email, role, first, last, group in DEMO_USERS:
        users[role], _ = _user(email, first, last, group)
        accounts.append({"email": email, "password": DEMO_PASSWORD, "role": role})
    learner, trainer = users["learner"], users["trainer"]
    ids = {"sittings": {}}
    fnd = Certification.objects.filter(code="FND").first()
    if fnd is None:
        raise RuntimeError("Load the certifications first: python manage.py load_fitsm")
    ids["completed_sitting"] = _passed_attempt(learner, fnd, trainer, now).pk
    # Tasks run in-process without beat here: run the certificate sweep so the demo learner
    # holds Foundation even in a database seeded before certificates existed.
    certificates_issue_missing(now=now)
    for cert in Certification.objects.filter(earned_by=Certification.EarnedBy.EXAM):
        ids["sittings"][cert.code] = _open_sitting(cert, learner, trainer, now).pk
    ids["learning"] = demo_learning_seed(learner)
    demo_signing_key()
    ids["training"] = demo_seed_training(users, now)
    return {"accounts": accounts, "ids": ids}


DEMO_LESSONS_DONE = 2


def demo_learning_seed(learner):
    """The demo learner is enrolled in the Foundation course and has completed its first two lessons
    (through the same services a learner uses: a passed knowledge check, or marked complete)."""
    from courses import selectors as course_selectors
    from courses import services as course_services
    from courses.knowledge_checks import field_name, knowledge_check_blocks
    from courses.models import CoursePage, LessonCompletion

    course = CoursePage.objects.live().filter(certification__code="FND").first()
    if course is None:
        return None
    course_services.enrolment_create(user=learner, course=course)
    done = []
    for lesson in course_selectors.course_lessons(course=course)[:DEMO_LESSONS_DONE]:
        if not LessonCompletion.objects.filter(user=learner, lesson=lesson).exists():
            checks = knowledge_check_blocks(lesson)
            if not checks:
                course_services.lesson_mark_complete(user=learner, lesson=lesson)
            for block_id, questions in checks:
                data = {
                    field_name(block_id, qi): str(next(i for i, o in enumerate(q["options"]) if o["correct"]))
                    for qi, q in enumerate(questions)
                }
                course_services.knowledge_check_submit(
                    user=learner, lesson=lesson, block_id=block_id, data=data
                )
        done.append(lesson.pk)
    return {"course": course.pk, "lessons_done": done}


# --- Certificates: a signing key so Open Badges 3.0 works in development --------------------


def demo_signing_key():
    """Create an Open Badges 3.0 signing key in CERTIFICATE_KEYS_DIR when there is none (idempotent)."""
    from certificates.signing_keys import key_ensure

    return key_ensure()


# --- Training organisations, trainers and sessions ---------------------------

DEMO_ATO = "FitSM Demo Academy"
DEMO_AFFILIATE = "FitSM Demo Affiliate"


def _accredited(examiner, certification, now, *, organisation=None, trainer=None):
    from trainers import services as training
    from trainers.models import Accreditation

    party = {"organisation": organisation} if organisation else {"trainer": trainer}
    acc = Accreditation.objects.filter(certification=certification, **party).first()
    if acc is None:
        acc = training.accreditation_apply(certification=certification, actor=examiner, **party)
    if acc.status != Accreditation.Status.ACCREDITED:
        today = timezone.localdate(now)
        acc = training.accreditation_decide(
            accreditation=acc,
            actor=examiner,
            accredit=True,
            notes="Demo accreditation.",
            valid_from=today - timedelta(days=365),  # before the demo's past courses
            valid_until=today + timedelta(days=730),
        )
    return acc


def _past_session(sitting, *, ato, profile, admin, now):
    """A completed course of the ATO whose exam sitting is `sitting` (idempotent)."""
    from trainers import services as training
    from trainers.models import TrainingSession

    if TrainingSession.objects.filter(sitting=sitting).exists():
        return
    start = (now - timedelta(days=31)).replace(hour=8, minute=0, second=0, microsecond=0)
    session = training.session_create(
        organisation=ato,
        certification=sitting.certification,
        trainers=[profile],
        actor=admin,
        title=f"{sitting.certification.name} (demo, delivered)",
        starts_at=start,
        ends_at=start + timedelta(hours=8),
        time_zone="Europe/Berlin",
        mode=TrainingSession.Mode.ONLINE,
        meeting_link="https://meet.example.org/fitsm-past-demo",
        language="en",
        capacity=12,
    )
    session = training.session_publish(session=session, actor=admin)
    training.session_complete(session=session, actor=admin, now=now)
    # The sitting was held before this record of the course existed: attach it as its exam.
    TrainingSession.objects.filter(pk=session.pk, sitting__isnull=True).update(sitting=sitting)


def demo_seed_training(users, now):
    """An ATO and its affiliate, the demo trainer accredited for FND and SOC (holding both
    certificates), the ATO admin, a published online SOC session running now with the demo
    learner enrolled and its exam sitting open, and an upcoming FND session. Idempotent."""
    from certificates.selectors import holds_valid_certificate
    from trainers import services as training
    from trainers.models import Membership, Organisation, TrainingSession

    examiner, trainer, learner, admin = (
        users["examiner"],
        users["trainer"],
        users["learner"],
        users["ato_admin"],
    )
    certs = {c.code: c for c in Certification.objects.filter(code__in=["FND", "SOC", "SPD"])}
    for code in ("FND", "SOC"):
        if not holds_valid_certificate(trainer, certs[code]):
            _passed_attempt(trainer, certs[code], examiner, now, title=f"Demo trainer qualification {code}")
            certificates_issue_missing(now=now)
    ato = Organisation.objects.filter(name=DEMO_ATO).first() or training.organisation_create(
        name=DEMO_ATO,
        country="DE",
        website="https://academy.example.org",
        contact_name="Anna Admin",
        contact_email="ato-admin@example.org",
        description="Demo accredited training organisation with its own audited quality management system.",
    )
    affiliate = Organisation.objects.filter(name=DEMO_AFFILIATE).first() or training.organisation_create(
        name=DEMO_AFFILIATE,
        country="AT",
        kind=Organisation.Kind.AFFILIATE,
        sponsor=ato,
        description="Demo affiliate using the quality system and material of FitSM Demo Academy.",
    )
    for code in ("FND", "SOC", "SPD"):
        _accredited(examiner, certs[code], now, organisation=ato)
    _accredited(examiner, certs["FND"], now, organisation=affiliate)
    training.membership_add(organisation=ato, user=admin, role=Membership.Role.ADMIN)
    training.membership_add(organisation=ato, user=trainer, role=Membership.Role.TRAINER)
    profile = trainer.trainer_profile
    if not profile.bio:
        profile.languages, profile.bio = (
            "en,de,es",
            "Demo trainer for FitSM Foundation and Service Operation and Control.",
        )
        profile.save(update_fields=["languages", "bio"])
    for code in ("FND", "SOC"):
        _accredited(examiner, certs[code], now, trainer=profile)

    title = "FitSM Advanced SOC (online, demo)"
    session = TrainingSession.objects.filter(title=title, organisation=ato).first()
    if session is None:
        start = (now - timedelta(hours=2)).replace(second=0, microsecond=0)
        session = training.session_create(
            organisation=ato,
            certification=certs["SOC"],
            trainers=[profile],
            actor=admin,
            title=title,
            starts_at=start,
            ends_at=start + timedelta(days=1, hours=8),
            time_zone="Europe/Berlin",
            mode=TrainingSession.Mode.ONLINE,
            meeting_link="https://meet.example.org/fitsm-soc-demo",
            language="en",
            capacity=12,
            public_notes="Two half days online; the exam sitting at the end.",
        )
    if session.status == TrainingSession.Status.DRAFT:
        session = training.session_publish(session=session, actor=admin)
    training.participant_invite(session=session, user=learner, actor=trainer)
    if session.sitting_id is None:
        training.session_sitting_open(session=session, actor=trainer, now=now)
        session.refresh_from_db()

    upcoming_title = "FitSM Foundation (online, demo)"
    upcoming = TrainingSession.objects.filter(title=upcoming_title, organisation=ato).first()
    if upcoming is None:
        start = (now + timedelta(days=21)).replace(hour=8, minute=0, second=0, microsecond=0)
        upcoming = training.session_create(
            organisation=ato,
            certification=certs["FND"],
            trainers=[profile],
            actor=admin,
            title=upcoming_title,
            starts_at=start,
            ends_at=start + timedelta(hours=8),
            time_zone="Europe/Berlin",
            mode=TrainingSession.Mode.ONLINE,
            meeting_link="https://meet.example.org/fitsm-fnd-demo",
            language="en",
            capacity=16,
        )
    if upcoming.status == TrainingSession.Status.DRAFT:
        training.session_publish(session=upcoming, actor=admin)

    # The exams already passed (the learner's Foundation, the trainer's qualifications) were sat
    # in the ATO's own past courses, so its dashboard and the examiner's statistics count them alike.
    for sitting in Sitting.objects.filter(
        title__in=[f"Demo {certs['FND'].code} sitting (completed)"]
        + [f"Demo trainer qualification {code}" for code in ("FND", "SOC")]
    ):
        _past_session(sitting, ato=ato, profile=profile, admin=admin, now=now)
    Sitting.objects.filter(organisation_name="Demo Training Organisation").update(organisation_name=DEMO_ATO)

    # A voucher pool to hand out from the ATO admin's page.
    from trainers.selectors import organisation_voucher_pool

    if not any(row["available"] for row in organisation_voucher_pool(ato, now=now)):
        training.organisation_vouchers_allocate(
            organisation=ato,
            certification=certs["FND"],
            count=5,
            valid_until=now + timedelta(days=180),
            actor=examiner,
        )
    return {
        "ato": ato.slug,
        "affiliate": affiliate.slug,
        "trainer": profile.slug,
        "session": session.pk,
        "session_sitting": session.sitting_id,
        "upcoming_session": upcoming.pk,
    }

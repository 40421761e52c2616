"""`manage.py make_sitting`: an open sitting with registered candidates (demos, rehearsals, load tests).

Candidates are created in bulk with one password, hashed once with the configured hasher and
reused for every account (hashing each one at full cost took 8 minutes for 1,000). They can
start at once: a certification with prerequisites (SOC and SPD need FND) gets each candidate a
passed exam in every prerequisite first, taken through the exam engine (assembled, started,
answered correctly, submitted and graded), so the certificate the prerequisite check looks for
is issued by the certificates app itself when the grade is recorded. That history is fixture
data, in a closed sitting titled "… prerequisite (fixture)"; its answers are written in one
statement per sitting rather than saved one by one."""

import json
import secrets
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from exams import errors, hooks, services
from exams.models import Attempt, AttemptItem, Certification, QuestionOption


class Command(BaseCommand):
    help = "Create an open sitting with registered candidates (demos, load tests, rehearsals)."

    def add_arguments(self, parser):
        parser.add_argument("--certification", required=True)
        parser.add_argument("--minutes", type=int)
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--candidates", type=int, default=0)
        group.add_argument("--emails", default="")
        parser.add_argument(
            "--email-prefix",
            default="candidate",
            help="new candidates are <prefix>-<tag>-<n>@example.org (letters, digits and dashes)",
        )
        parser.add_argument(
            "--access-code",
            default=None,
            help="the sitting's access code (default: a generated one; '' for none)",
        )
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--force", action="store_true")

    def handle(self, *args, **o):
        if not settings.DEBUG and not o["force"]:
            raise CommandError("Refusing to create accounts with DEBUG off; pass --force if you mean it.")
        cert = Certification.objects.filter(code=o["certification"].upper(), earned_by="exam").first()
        if cert is None:
            raise CommandError(f"No exam certification with code {o['certification']!r}.")
        if o["minutes"] is not None and not 1 <= o["minutes"] <= 600:
            raise CommandError("--minutes must be between 1 and 600.")
        if not 0 <= o["candidates"] <= 20_000:
            raise CommandError("--candidates must be between 0 and 20000.")
        prefix = o["email_prefix"].strip().lower()
        if not prefix or not all(ch.isalnum() or ch == "-" for ch in prefix):
            raise CommandError("--email-prefix may hold letters, digits and dashes only.")
        now = timezone.now()
        timings = {}
        try:
            # One commit: the per-candidate savepoints do not each wait for the disk.
            with transaction.atomic():
                t0 = time.perf_counter()
                sitting = services.sitting_create(
                    certification=cert,
                    title=f"{cert.code} sitting {now:%Y-%m-%d %H:%M}",
                    opens_at=now - timedelta(minutes=1),
                    closes_at=now + timedelta(days=1),
                    duration_minutes=o["minutes"],
                    access_code=o["access_code"],
                )
                services.sitting_open(sitting=sitting)
                candidates = []
                if o["candidates"]:
                    candidates = _candidates_create(o["candidates"], prefix)
                timings["accounts_s"] = time.perf_counter() - t0
                for email in filter(None, (e.strip().lower() for e in o["emails"].split(","))):
                    user = get_user_model().objects.filter(email=email).first()
                    if user is None:
                        raise CommandError(f"No account with e-mail {email}.")
                    candidates.append({"email": email, "password": None, "user": user})
                t0 = time.perf_counter()
                users = [c["user"] for c in candidates]
                prerequisites = _prerequisites_grant(cert, users, now=now)
                timings["prerequisites_s"] = time.perf_counter() - t0
                t0 = time.perf_counter()
                for c in candidates:
                    services.registration_create(sitting=sitting, user=c.pop("user"))
                timings["registrations_s"] = time.perf_counter() - t0
        except errors.ExamError as exc:
            raise CommandError(exc.detail) from None
        if o["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "sitting_id": sitting.pk,
                        "certification": cert.code,
                        "access_code": sitting.access_code,
                        "duration_minutes": sitting.minutes,
                        "prerequisites_granted": prerequisites,
                        "seconds": {k: round(v, 2) for k, v in timings.items()},
                        "candidates": candidates,
                    }
                )
            )
        else:
            code = f" (access code {sitting.access_code})" if sitting.access_code else ""
            granted = "".join(f"; {n} passed {p} first (fixture)" for p, n in prerequisites.items())
            self.stdout.write(
                self.style.SUCCESS(
                    f"Sitting {sitting.pk} is open with {len(candidates)} candidate(s){code}{granted}."
                )
            )


def _candidates_create(count, prefix):
    """`count` verified accounts in two bulk inserts, sharing one password hashed once."""
    from allauth.account.models import EmailAddress

    User = get_user_model()
    tag = secrets.token_hex(4)
    password = secrets.token_urlsafe(12)
    encoded = make_password(password)  # the configured hasher, at full cost, once
    rows = [
        User(
            email=f"{prefix}-{tag}-{i}@example.org",
            first_name="Candidate",
            last_name=f"{tag}-{i}",
            password=encoded,
        )
        for i in range(1, count + 1)
    ]
    User.objects.bulk_create(rows, batch_size=1000)
    users = list(User.objects.filter(email__startswith=f"{prefix}-{tag}-").order_by("pk"))
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users], batch_size=1000
    )
    return [{"email": u.email, "password": password, "user": u} for u in users]


def _prerequisites_grant(cert, users, *, now):
    """Each candidate who lacks a prerequisite passes its exam first, through the exam engine
    (the certificates app issues the certificate when the grade is recorded). Returns
    {certification code: candidates who needed it}."""
    granted = {}
    for prerequisite in cert.prerequisites.all():
        if not prerequisite.is_exam:
            raise CommandError(f"{cert.code} needs {prerequisite.code}, which is not earned by exam.")
        missing = [u for u in users if not hooks.holds_certification(u, prerequisite)]
        if not missing:
            continue
        earlier = now - timedelta(days=1)
        sitting = services.sitting_create(
            certification=prerequisite,
            title=f"{prerequisite.code} prerequisite (fixture) for a {cert.code} sitting",
            opens_at=earlier - timedelta(minutes=1),
            closes_at=now,
            access_code="",
        )
        services.sitting_open(sitting=sitting)
        attempt_ids = []
        for user in missing:
            services.registration_create(sitting=sitting, user=user)
            attempt, _ = services.attempt_begin(sitting=sitting, user=user, now=earlier)
            attempt_ids.append(attempt.pk)
        correct = QuestionOption.objects.filter(version_id=OuterRef("question_version_id"), is_correct=True)
        AttemptItem.objects.filter(attempt_id__in=attempt_ids).update(
            chosen_option_id=Subquery(correct.values("id")[:1]), seq=1, saved_at=earlier
        )
        for attempt in Attempt.objects.filter(pk__in=attempt_ids).select_related("certification"):
            services.attempt_submit(attempt=attempt, now=earlier + timedelta(minutes=30))
        services.sitting_close(sitting=sitting, now=now)
        still = [u.email for u in missing if not hooks.holds_certification(u, prerequisite)]
        if still:
            raise CommandError(f"{len(still)} candidate(s) did not get {prerequisite.code}, e.g. {still[0]}.")
        granted[prerequisite.code] = len(missing)
    return granted

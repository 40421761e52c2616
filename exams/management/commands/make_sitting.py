import json
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from exams import errors, services
from exams.models import Certification


class Command(BaseCommand):
    help = "Create an open sitting with registered candidates (demos, load tests, rehearsals)."

    def add_arguments(self, parser):
        parser.add_argument("--certification", required=True)
        parser.add_argument("--minutes", type=int)
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--candidates", type=int, default=0)
        group.add_argument("--emails", default="")
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
        User = get_user_model()
        now = timezone.now()
        try:
            sitting = services.sitting_create(
                certification=cert,
                title=f"{cert.code} sitting {now:%Y-%m-%d %H:%M}",
                opens_at=now - timedelta(minutes=1),
                closes_at=now + timedelta(days=1),
                duration_minutes=o["minutes"],
            )
            services.sitting_open(sitting=sitting)
            candidates = []
            if o["candidates"]:
                tag = secrets.token_hex(4)
                for i in range(1, o["candidates"] + 1):
                    email, password = f"candidate-{tag}-{i}@example.org", secrets.token_urlsafe(12)
                    user = User.objects.create_user(
                        email=email, password=password, first_name="Candidate", last_name=f"{tag}-{i}"
                    )
                    _verified(user)
                    candidates.append({"email": email, "password": password, "user": user})
            for email in filter(None, (e.strip().lower() for e in o["emails"].split(","))):
                user = User.objects.filter(email=email).first()
                if user is None:
                    raise CommandError(f"No account with e-mail {email}.")
                candidates.append({"email": email, "password": None, "user": user})
            for c in candidates:
                services.registration_create(sitting=sitting, user=c.pop("user"))
        except errors.ExamError as exc:
            raise CommandError(exc.detail) from None
        if o["json"]:
            self.stdout.write(json.dumps({"sitting_id": sitting.pk, "candidates": candidates}))
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Sitting {sitting.pk} is open with {len(candidates)} candidate(s).")
            )


def _verified(user):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

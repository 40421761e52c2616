"""CI fixture for .ci/verifiers.sh: creates a fresh certificate on the throw-away database and
moves it between states through the real services (guarded UPDATEs, audit entries).

    python ci/verifiers/certificate.py create        -> prints the uuid, holder e-mail and DID
    python ci/verifiers/certificate.py revoke|reinstate|suspend|unsuspend UUID
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.utils import timezone  # noqa: E402

from accounts.roles import EXAMINER, role_add  # noqa: E402
from certificates import services  # noqa: E402
from certificates.models import Certificate  # noqa: E402
from exams.models import Certification  # noqa: E402
from tests.factories import UserFactory  # noqa: E402

HOLDER_DID = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"


def examiner(name):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(email=f"{name}@verifiers.example").first()
    if user is None:
        user = UserFactory(email=f"{name}@verifiers.example")
        role_add(user, EXAMINER)
    return user


def create():
    certification, _ = Certification.objects.get_or_create(
        code="FND",
        defaults={"name": "FitSM Foundation", "question_count": 30, "duration_minutes": 60, "pass_mark": 65},
    )
    holder = UserFactory(first_name="Vera", last_name="Verifier")
    services.holder_did_set(user=holder, did=HOLDER_DID)
    # A passed attempt is what normally earns it; the issuing path after that is the same.
    certificate, _ = services._create(
        user=holder, certification=certification, attempt=None, now=timezone.now()
    )
    print("CERTIFICATE", certificate.uuid, holder.email, HOLDER_DID)


def change(action, uuid):
    certificate = Certificate.objects.get(uuid=uuid)
    if action == "revoke":
        services.certificate_revoke(
            certificate=certificate, actor=examiner("first"), reason="CI: revoked", internal_reason="CI run"
        )
    elif action == "reinstate":
        services.certificate_reinstate(
            certificate=certificate, actor=examiner("second"), reason="CI: reinstated"
        )
    elif action == "suspend":
        services.certificate_suspend(certificate=certificate, actor=examiner("first"), reason="CI: suspended")
    elif action == "unsuspend":
        services.certificate_unsuspend(
            certificate=certificate, actor=examiner("first"), reason="CI: unsuspended"
        )
    else:
        raise SystemExit(f"unknown action {action}")
    certificate.refresh_from_db()
    print(certificate.status)


if __name__ == "__main__":
    if sys.argv[1:2] == ["create"]:
        create()
    else:
        change(sys.argv[1], sys.argv[2])

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from content.loader import banks_load, certifications_load

pytestmark = pytest.mark.django_db


def _counts():
    return {m._meta.label: m.objects.count() for m in apps.get_app_config("trainers").get_models()}


def test_seed_demo_adds_the_training_world_once(settings):
    from trainers.models import Accreditation, Organisation, TrainingSession

    settings.DEBUG = True
    certifications_load()
    banks_load()
    call_command("seed_demo", stdout=StringIO())
    counts = _counts()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == counts

    ato = Organisation.objects.get(name="FitSM Demo Academy")
    affiliate = Organisation.objects.get(kind="affiliate")
    assert affiliate.sponsor == ato
    trainer_scope = set(
        Accreditation.objects.filter(
            trainer__user__email="trainer@example.org", status="accredited"
        ).values_list("certification__code", flat=True)
    )
    assert trainer_scope == {"FND", "SOC"}
    session = TrainingSession.objects.get(title="FitSM Advanced SOC (online, demo)")
    assert session.status == "published" and session.mode == "online"
    assert session.participants.get(user__email="learner@example.org").status == "enrolled"
    assert session.sitting.state == "open"
    assert list(session.sitting.registrations.values_list("user__email", flat=True)) == [
        "learner@example.org"
    ]
    assert session.sitting.invigilators.filter(email="trainer@example.org").exists()

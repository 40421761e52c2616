import json
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from content.loader import banks_load, certifications_load


def _snapshot():
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label in ("accounts", "exams", "auth")
    }


@pytest.mark.django_db
def test_seed_demo_twice_gives_the_same_database(settings):
    settings.DEBUG = True
    certifications_load()
    banks_load()
    out = StringIO()
    call_command("seed_demo", "--json", stdout=out)
    first = json.loads(out.getvalue())
    snapshot = _snapshot()
    out = StringIO()
    call_command("seed_demo", "--json", stdout=out)
    assert json.loads(out.getvalue()) == first
    assert _snapshot() == snapshot
    roles = {a["role"] for a in first["accounts"]}
    assert roles == {"learner", "trainer", "ato_admin", "examiner"}
    assert set(first["ids"]["sittings"]) == {"FND", "SOC", "SPD"}


@pytest.mark.django_db
def test_demo_learner_holds_foundation_and_can_start_advanced(settings, client):
    settings.DEBUG = True
    certifications_load()
    banks_load()
    call_command("seed_demo", stdout=StringIO())
    from accounts.models import User
    from exams.hooks import holds_certification
    from exams.models import Certification

    learner = User.objects.get(email="learner@example.org")
    assert holds_certification(learner, Certification.objects.get(code="FND"))
    client.force_login(learner)
    sittings = client.get("/api/v1/me/sittings").json()
    soc = next(s for s in sittings if s["certification"]["code"] == "SOC" and s["state"] == "open")
    from exams.models import Sitting

    code = Sitting.objects.get(pk=soc["id"]).access_code  # read out by the invigilator, if any
    response = client.post(
        f"/api/v1/sittings/{soc['id']}/attempts",
        data=json.dumps({"access_code": code}),
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["question_count"] == 30


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")


@pytest.mark.django_db
def test_make_sitting_json(settings):
    settings.DEBUG = True
    certifications_load()
    banks_load()
    out = StringIO()
    call_command("make_sitting", "--certification", "FND", "--candidates", "3", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert len(data["candidates"]) == 3 and all(c["password"] for c in data["candidates"])
    from exams.models import Sitting

    sitting = Sitting.objects.get(pk=data["sitting_id"])
    assert sitting.state == "open" and sitting.registrations.count() == 3
    with pytest.raises(CommandError):
        call_command("make_sitting", "--certification", "EXP", stdout=StringIO())

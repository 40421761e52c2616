"""manage.py make_sitting: bulk candidates with one password hash, and the prerequisites of the
certification granted through the exam engine, so that every candidate can start."""

import json
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from content.loader import banks_load, certifications_load
from exams import hooks, services
from exams.models import Certification, Sitting


def _make(*args):
    out = StringIO()
    call_command("make_sitting", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_soc_candidates_hold_fnd_and_can_start(settings):
    settings.DEBUG = True
    certifications_load()
    banks_load()
    data = _make("--certification", "SOC", "--candidates", "3")
    assert data["prerequisites_granted"] == {"FND": 3}
    fnd = Certification.objects.get(code="FND")
    sitting = Sitting.objects.get(pk=data["sitting_id"])
    for c in data["candidates"]:
        user = User.objects.get(email=c["email"])
        assert hooks.holds_certification(user, fnd)
        attempt, created = services.attempt_begin(
            sitting=sitting, user=user, now=timezone.now(), access_code=data["access_code"]
        )
        assert created and attempt.state == "in_progress" and attempt.total == 30
    # the fixture history is a closed sitting of its own
    assert (
        Sitting.objects.filter(
            certification=fnd, title__contains="prerequisite (fixture)", state="closed"
        ).count()
        == 1
    )


@pytest.mark.django_db
def test_candidates_share_one_hash_and_can_sign_in(settings):
    settings.DEBUG = True
    certifications_load()
    banks_load()
    data = _make("--certification", "FND", "--candidates", "4", "--email-prefix", "room")
    users = User.objects.filter(email__in=[c["email"] for c in data["candidates"]])
    assert users.count() == 4 and len({u.password for u in users}) == 1
    assert all(c["email"].startswith("room-") for c in data["candidates"])
    first = data["candidates"][0]
    assert authenticate(email=first["email"], password=first["password"]) is not None
    assert data["access_code"] and Sitting.objects.get(pk=data["sitting_id"]).registrations.count() == 4

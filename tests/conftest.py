from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.roles import EXAMINER, TRAINER, role_add
from exams import services
from tests.factories import CertificationFactory, QuestionFactory, TopicFactory, UserFactory


@pytest.fixture(autouse=True)
def _tasks_in_process(request):
    """Tasks run in-process, except in tests marked `broker`, which exercise a real worker."""
    from config.celery import app

    if request.node.get_closest_marker("broker"):
        yield
        return
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and debounce marks live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language: a request a test makes activates the
    language it asks for in this thread, and nothing deactivates it afterwards."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def learner(db):
    return UserFactory(email="learner@test.example", first_name="Lena", last_name="Learner")


@pytest.fixture
def other_learner(db):
    return UserFactory(email="other@test.example")


@pytest.fixture
def trainer(db):
    user = UserFactory(email="trainer@test.example")
    role_add(user, TRAINER)
    return user


@pytest.fixture
def examiner(db):
    user = UserFactory(email="examiner@test.example")
    role_add(user, EXAMINER)
    return user


@pytest.fixture
def csrf_client():
    """A client that enforces CSRF like a browser would."""
    return Client(enforce_csrf_checks=True)


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def certification(db):
    """A small exam: two topics of quota 2 (4 questions, pass 75 % = 3/4), three approved questions per topic."""
    cert = CertificationFactory(
        code="TST", name="Test exam", question_count=4, duration_minutes=10, pass_mark=75
    )
    for code in ("T1", "T2"):
        topic = TopicFactory(certification=cert, code=code, quota=2)
        for _ in range(3):
            QuestionFactory(topic=topic)
        QuestionFactory(topic=topic, purpose="practice")
    return cert


@pytest.fixture
def sitting(certification, trainer, now):
    s = services.sitting_create(
        certification=certification,
        title="Test sitting",
        opens_at=now - timedelta(minutes=5),
        closes_at=now + timedelta(hours=2),
        created_by=trainer,
        invigilators=[trainer],
        access_code="",
    )
    return services.sitting_open(sitting=s, actor=trainer)


@pytest.fixture
def registration(sitting, learner, trainer):
    return services.registration_create(sitting=sitting, user=learner, actor=trainer)


@pytest.fixture
def attempt(registration, learner, now):
    attempt, _ = services.attempt_begin(sitting=registration.sitting, user=learner, now=now)
    return attempt


def correct_key(item):
    """The displayed letter of the correct option of an attempt item."""
    correct = item.question_version.options.get(is_correct=True)
    return "ABCD"[item.option_order.index(correct.id)]


def wrong_key(item):
    correct = item.question_version.options.get(is_correct=True)
    return "ABCD"[(item.option_order.index(correct.id) + 1) % 4]


TOTP_SECRET = "JBSWY3DPEHPK3PXP"


def mfa_login(client, user):
    """Sign `user` in as a session that passed the second factor (what /cms/ requires), with a
    TOTP authenticator set up for the account. The real sign-in flow is tested in
    tests/accounts/test_login_paths.py."""
    import time

    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )
    from allauth.mfa.models import Authenticator

    totp, _ = Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": TOTP_SECRET}}
    )
    client.force_login(user)
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "email": user.email},
        {"method": "mfa", "at": time.time(), "id": totp.pk, "type": "totp"},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()
    return client

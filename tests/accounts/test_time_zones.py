"""Time zones: a profile field (IANA name, UTC by default), filled at sign-up from the browser and
validated by the server, editable in the profile; each request shows times in the signed-in
person's zone (visitors: UTC) with the zone named; e-mails in their recipient's zone; training
sessions in their own zone with the viewer's time beside it."""

from datetime import UTC, date, datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone, translation

from accounts.middleware import UserTimeZoneMiddleware
from accounts.models import User
from accounts.services import profile_update
from accounts.timezones import (
    day_format,
    recipient_time_zone,
    time_zone_or_default,
    time_zone_validate,
    when_format,
    when_with_own_time,
)
from tests.conftest import login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# 13:00 UTC on 3 December 2026 is 14:00 in Berlin (CET, UTC+1).
INSTANT = datetime(2026, 12, 3, 13, 0, tzinfo=UTC)
SIGNUP = {
    "email": "zoned@example.org",
    "password1": "a-long-enough-passphrase",
    "password2": "a-long-enough-passphrase",
    "first_name": "Zed",
    "last_name": "Zoned",
}


def render(source, **context):
    return Template("{% load datetimes %}" + source).render(Context(context))


def test_a_new_account_is_in_utc():
    assert UserFactory().time_zone == "UTC"


def test_the_database_refuses_an_empty_zone(learner):
    with pytest.raises(IntegrityError):
        User.objects.filter(pk=learner.pk).update(time_zone="")


def test_zone_names_are_checked_against_zoneinfo():
    time_zone_validate("Europe/Berlin")
    time_zone_validate("UTC")
    for bad in ("Europe/Atlantis", "CET+1", "", "../etc/passwd", "europe/berlin"):
        with pytest.raises(ValidationError):
            time_zone_validate(bad)
    assert time_zone_or_default("Mars/Olympus") == "UTC" and time_zone_or_default(None) == "UTC"
    assert time_zone_or_default(" Asia/Tokyo ") == "Asia/Tokyo"


def test_sign_up_keeps_the_zone_the_browser_sent(client):
    assert 'type="hidden" name="time_zone"' in client.get("/accounts/signup/").content.decode()
    assert "js/timezone" in client.get("/accounts/signup/").content.decode()
    client.post("/accounts/signup/", SIGNUP | {"time_zone": "Europe/Berlin"})
    assert User.objects.get(email="zoned@example.org").time_zone == "Europe/Berlin"


@pytest.mark.parametrize("sent", ["Mars/Olympus", "", "<script>"])
def test_sign_up_with_an_unknown_zone_falls_back_to_utc(client, sent):
    response = client.post("/accounts/signup/", SIGNUP | {"time_zone": sent})
    assert response.status_code == 302
    assert User.objects.get(email="zoned@example.org").time_zone == "UTC"


def test_the_profile_offers_the_zones_in_a_select_and_saves_one(client, learner):
    login(client, learner)
    page = client.get("/me/profile/").content.decode()
    assert '<select name="time_zone"' in page and '<option value="Europe/Berlin">' in page
    data = {
        "first_name": "Lena",
        "last_name": "Learner",
        "language": "en",
        "country": "",
        "time_zone": "Europe/Berlin",
    }
    assert client.post("/me/profile/", data).status_code == 302
    learner.refresh_from_db()
    assert learner.time_zone == "Europe/Berlin"


def test_an_invalid_zone_in_the_profile_is_refused_with_a_clear_message(client, learner):
    login(client, learner)
    data = {
        "first_name": "Lena",
        "last_name": "Learner",
        "language": "en",
        "country": "",
        "time_zone": "Mars/Olympus",
    }
    response = client.post("/me/profile/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "“Mars/Olympus” is not a time zone we know. Choose one from the list, e.g. Europe/Berlin." in page
    assert 'id="id_time_zone_error"' in page
    learner.refresh_from_db()
    assert learner.time_zone == "UTC"


def test_the_service_refuses_an_invalid_zone_and_saves_nothing(learner):
    with pytest.raises(ValidationError):
        profile_update(
            user=learner, first_name="New", last_name="Name", language="en", country="", time_zone="Nowhere"
        )
    learner.refresh_from_db()
    assert learner.first_name == "Lena" and learner.time_zone == "UTC"


def test_one_format_with_the_zone_named():
    with timezone.override("Europe/Berlin"):
        assert when_format(INSTANT) == "3 Dec 2026, 14:00 CET"
        assert day_format(INSTANT) == "3 Dec 2026"
        assert render("{{ v|when }} · {{ v|day }} · {{ v|clock }}", v=INSTANT) == (
            "3 Dec 2026, 14:00 CET · 3 Dec 2026 · 14:00 CET"
        )
    with timezone.override("UTC"):
        assert render("{{ v|when }}", v=INSTANT) == "3 Dec 2026, 13:00 UTC"
        # The date is the viewer's date: 23:30 UTC is already the next day in Tokyo.
        late = datetime(2026, 12, 3, 23, 30, tzinfo=UTC)
        assert render("{{ v|day }} / {{ v|day:'Asia/Tokyo' }}", v=late) == "3 Dec 2026 / 4 Dec 2026"
    assert render("[{{ v|when }}]", v=None) == "[]"
    with timezone.override("Asia/Dubai"):
        assert when_format(INSTANT) == "3 Dec 2026, 17:00 UTC+04"  # a zone without an abbreviation


@pytest.mark.parametrize(
    ("language", "when", "march"),
    [
        ("en", "3 Dec 2026, 14:00 CET", "3 Mar 2026"),
        ("de", "3. Dez. 2026, 14:00 CET", "3. März 2026"),
        ("fr", "3 déc. 2026, 14:00 CET", "3 mars 2026"),
    ],
)
def test_dates_follow_the_active_languages_pattern_and_month_names(language, when, march):
    with timezone.override("Europe/Berlin"), translation.override(language):
        assert when_format(INSTANT) == when
        assert day_format(date(2026, 3, 3)) == march
        assert render("{{ v|day }}", v=INSTANT) == when.split(",")[0]


def test_the_middleware_activates_the_users_zone_and_utc_for_visitors(learner):
    seen = []
    middleware = UserTimeZoneMiddleware(lambda request: seen.append(timezone.get_current_timezone_name()))
    learner.time_zone = "Europe/Berlin"
    request = RequestFactory().get("/")
    request.user = learner
    middleware(request)
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    middleware(request)
    assert seen == ["Europe/Berlin", "UTC"]
    assert timezone.get_current_timezone_name() == "UTC"  # nothing left active after the request


def _certificate_for(user):
    from certificates.models import Certificate
    from exams import services
    from tests.certificates.conftest import sit
    from tests.factories import CertificationFactory, QuestionFactory, TopicFactory

    cert = CertificationFactory(
        code="TZC", name="TZ exam", question_count=2, duration_minutes=10, pass_mark=50
    )
    topic = TopicFactory(certification=cert, code="TZA", quota=2)
    for _ in range(2):
        QuestionFactory(topic=topic)
    examiner = UserFactory(email="tz-trainer@test.example")
    from accounts.roles import TRAINER, role_add

    role_add(examiner, TRAINER)
    now = timezone.now()
    sitting = services.sitting_create(
        certification=cert,
        title="TZ sitting",
        opens_at=now - timezone.timedelta(minutes=5),
        closes_at=now + timezone.timedelta(hours=2),
        created_by=examiner,
        invigilators=[examiner],
        access_code="",
    )
    sitting = services.sitting_open(sitting=sitting, actor=examiner)
    services.registration_create(sitting=sitting, user=user, actor=examiner)
    attempt, _ = services.attempt_begin(sitting=sitting, user=user, now=now)
    sit(attempt, now, right=2)
    return Certificate.objects.get(attempt=attempt)


def test_a_berlin_learner_sees_a_utc_instant_as_berlin_time_and_a_visitor_as_utc(client, learner):
    from exams.models import Attempt

    _certificate_for(learner)
    Attempt.objects.filter(user=learner).update(started_at=INSTANT, finished_at=INSTANT)
    learner.time_zone = "Europe/Berlin"
    learner.save()
    login(client, learner)
    page = client.get("/me/exams/").content.decode()
    assert "3 Dec 2026, 14:00 CET" in page and "13:00 UTC" not in page and "(UTC)" not in page
    # The same page for an account in UTC, and a template rendered for a visitor's request.
    learner.time_zone = "UTC"
    learner.save()
    page = client.get("/me/exams/").content.decode()
    assert "3 Dec 2026, 13:00 UTC" in page and "CET" not in page
    client.logout()
    seen = []
    UserTimeZoneMiddleware(lambda request: seen.append(render("{{ v|when }}", v=INSTANT)))(_visitor_request())
    assert seen == ["3 Dec 2026, 13:00 UTC"]


def _visitor_request():
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    return request


def test_session_times_name_their_own_zone_and_the_viewers_time():
    with timezone.override("UTC"):
        assert (
            when_with_own_time(INSTANT, zone="Europe/Berlin")
            == "3 Dec 2026, 14:00 CET (your time: 13:00 UTC)"
        )
        assert (
            when_with_own_time(INSTANT, zone="Europe/Berlin", viewer_known=False) == "3 Dec 2026, 14:00 CET"
        )
    with timezone.override("Europe/Paris"):  # the same wall-clock time: said once
        assert when_with_own_time(INSTANT, zone="Europe/Berlin") == "3 Dec 2026, 14:00 CET"
    with timezone.override("Pacific/Auckland"):  # another day there: the date is repeated
        assert when_with_own_time(INSTANT, zone="Europe/Berlin") == (
            "3 Dec 2026, 14:00 CET (your time: 4 Dec 2026, 02:00 NZDT)"
        )


def test_the_when_in_tag_shows_the_viewers_time_to_signed_in_people_only(learner):
    from django.contrib.auth.models import AnonymousUser

    source = "{% when_in v 'Europe/Berlin' %}"
    with timezone.override("UTC"):
        assert render(source, v=INSTANT, user=learner) == "3 Dec 2026, 14:00 CET (your time: 13:00 UTC)"
        assert render(source, v=INSTANT, user=AnonymousUser()) == "3 Dec 2026, 14:00 CET"
        assert (
            render(source, v=INSTANT, recipient_time_zone="UTC")
            == "3 Dec 2026, 14:00 CET (your time: 13:00 UTC)"
        )


def test_e_mails_are_rendered_in_the_recipients_zone(learner, other_learner):
    learner.time_zone = "Europe/Berlin"
    learner.save()
    with recipient_time_zone([learner.email]) as zone:
        assert zone == "Europe/Berlin" and when_format(INSTANT) == "3 Dec 2026, 14:00 CET"
    with recipient_time_zone(["nobody@example.org"]) as zone:
        assert zone is None and when_format(INSTANT) == "3 Dec 2026, 13:00 UTC"
    with recipient_time_zone([learner.email, other_learner.email]) as zone:  # Berlin and UTC: not one zone
        assert zone is None and timezone.get_current_timezone_name() == "UTC"
    assert timezone.get_current_timezone_name() == "UTC"


def test_a_revocation_e_mail_names_the_day_in_the_holders_zone(learner):
    from certificates import emails
    from certificates.models import Certificate

    certificate = _certificate_for(learner)
    # 23:30 UTC on 3 December is already 4 December in Tokyo.
    Certificate.objects.filter(pk=certificate.pk).update(
        revoked_at=datetime(2026, 12, 3, 23, 30, tzinfo=UTC), revocation_reason="Exam misconduct"
    )
    learner.time_zone = "Asia/Tokyo"
    learner.save()
    certificate = Certificate.objects.select_related("user").get(pk=certificate.pk)
    mail.outbox.clear()
    emails.certificate_revoked(certificate)
    assert "was revoked on 4 Dec 2026" in mail.outbox[-1].body
    learner.time_zone = "UTC"
    learner.save()
    certificate = Certificate.objects.select_related("user").get(pk=certificate.pk)
    emails.certificate_revoked(certificate)
    assert "was revoked on 3 Dec 2026" in mail.outbox[-1].body

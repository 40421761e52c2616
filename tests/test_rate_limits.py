"""Rate limits key on the real client (behind the configured proxies) and on the account, are
kept in the shared cache, and cover every guessable or costly action."""

import json

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory, override_settings

from accounts.ratelimits import client_ip, limit_hit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@override_settings(TRUSTED_PROXY_COUNT=1, ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_client_is_the_address_the_proxy_saw():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert client_ip(request) == "198.51.100.7"
    spoofed = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.8")
    assert client_ip(spoofed) == "198.51.100.8"  # what the client wrote itself is not trusted


def test_without_proxies_the_forwarded_header_is_ignored():
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_ip(request) == "203.0.113.5"


@override_settings(TRUSTED_PROXY_COUNT=1, ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_one_clients_searches_do_not_use_up_anothers(client):
    for _ in range(10):
        client.post("/verify/", {"code": "AAAA", "family_name": "x"}, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert (
        client.post(
            "/verify/", {"code": "AAAA", "family_name": "x"}, HTTP_X_FORWARDED_FOR="198.51.100.1"
        ).status_code
        == 429
    )
    other = client.post("/verify/", {"code": "AAAA", "family_name": "x"}, HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert other.status_code == 404


def test_limit_hit_counts_per_scope_and_person(settings):
    settings.RATE_LIMITS = {"voucher-redeem:user": (2, 60)}
    assert [limit_hit("voucher-redeem:user", "u1") for _ in range(3)] == [False, False, True]
    assert limit_hit("voucher-redeem:user", "u2") is False


def test_voucher_redemption_is_limited_per_account(learner, settings):
    settings.RATE_LIMITS = {"voucher-redeem:user": (3, 600)}
    client = Client()
    client.force_login(learner)
    codes = [
        client.post(
            "/api/v1/vouchers/redeem", data=json.dumps({"code": "NOPE"}), content_type="application/json"
        ).status_code
        for _ in range(4)
    ]
    assert codes[:3] == [404, 404, 404] and codes[3] == 429
    page = client.post("/me/exams/voucher/", {"code": "NOPE"}, follow=True)
    assert "Too many tries" in page.content.decode()


def test_practice_starts_are_limited_per_account(learner, certification, settings):
    settings.RATE_LIMITS = {"practice-start:user": (2, 3600)}
    client = Client()
    client.force_login(learner)
    for _ in range(2):
        client.post(f"/exams/practice/{certification.code}/")
    from exams.models import Attempt

    before = Attempt.objects.filter(user=learner, purpose="practice").count()
    response = client.post(f"/exams/practice/{certification.code}/", follow=True)
    assert "Too many tries" in response.content.decode()
    assert Attempt.objects.filter(user=learner, purpose="practice").count() == before


def test_sitting_access_codes_are_limited_per_address(learner, certification, trainer, settings, now):
    from datetime import timedelta

    from exams import services

    settings.RATE_LIMITS = {"access-code:ip": (2, 600)}
    sitting = services.sitting_create(
        certification=certification,
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(hours=1),
        invigilators=[trainer],
    )
    services.sitting_open(sitting=sitting, actor=trainer)
    services.registration_create(sitting=sitting, user=learner, actor=trainer)
    client = Client()
    client.force_login(learner)
    url = f"/api/v1/sittings/{sitting.pk}/attempts"
    codes = [
        client.post(
            url, data=json.dumps({"access_code": "WRONG-WRONG"}), content_type="application/json"
        ).status_code
        for _ in range(3)
    ]
    assert codes == [403, 403, 429]


def test_file_verification_is_limited_per_address_before_the_upload_is_read(client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.RATE_LIMITS = {"file-verify:ip": (2, 600)}
    codes = [
        client.post("/verify/file/", {"file": SimpleUploadedFile("x.png", b"not a png")}).status_code
        for _ in range(3)
    ]
    assert codes[:2] != [429, 429] and codes[2] == 429


def test_with_the_cache_down_limits_fail_open_and_grading_still_answers(monkeypatch, settings):
    """Redis (the cache) stopped mid-exam: a limit is not counted rather than every request refused,
    and the statistics debounce does not turn a submit into a server error."""
    from exams.services.statistics import item_statistics_schedule

    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(cache, "add", down)
    monkeypatch.setattr(cache, "get", down)
    assert limit_hit("voucher-redeem:user", "u1") is False
    calls = []
    assert item_statistics_schedule(delay_seconds=10, schedule=calls.append) is True
    assert calls == [10]

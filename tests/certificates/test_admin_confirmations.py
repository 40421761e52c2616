"""Revoking and suspending a certificate in the CMS take a confirmation step: the first POST only
shows what will happen; GET never changes anything."""

import pytest
from django.core import mail
from django.test import Client

from certificates.models import Certificate
from tests.conftest import mfa_login


@pytest.fixture
def certificate(passed_attempt):
    return Certificate.objects.get()


def _cms(user):
    return mfa_login(Client(), user)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["revoke", "suspend"])
def test_get_changes_nothing(examiner, certificate, kind):
    cms = _cms(examiner)
    assert cms.get(f"/cms/certificates/{certificate.pk}/{kind}/").status_code == 405
    certificate.refresh_from_db()
    assert certificate.status == "valid"


@pytest.mark.django_db
def test_revoke_without_confirmation_shows_the_confirmation_and_changes_nothing(
    examiner, certificate, django_capture_on_commit_callbacks
):
    cms = _cms(examiner)
    with django_capture_on_commit_callbacks(execute=True):
        response = cms.post(
            f"/cms/certificates/{certificate.pk}/revoke/",
            {"reason": "Exam misconduct", "internal_reason": "Report 17"},
        )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Revoke this certificate?" in page and "Yes, revoke the certificate" in page
    assert 'name="confirmed" value="yes"' in page
    assert 'value="Exam misconduct"' in page and 'value="Report 17"' in page
    certificate.refresh_from_db()
    assert certificate.status == "valid" and certificate.revoked_at is None
    assert not mail.outbox


@pytest.mark.django_db
def test_revoke_with_confirmation_revokes(examiner, certificate):
    cms = _cms(examiner)
    response = cms.post(
        f"/cms/certificates/{certificate.pk}/revoke/",
        {"reason": "Exam misconduct", "internal_reason": "Report 17", "confirmed": "yes"},
    )
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == "revoked" and certificate.revocation_reason_internal == "Report 17"


@pytest.mark.django_db
def test_suspend_without_confirmation_shows_the_confirmation_and_changes_nothing(examiner, certificate):
    cms = _cms(examiner)
    response = cms.post(f"/cms/certificates/{certificate.pk}/suspend/", {"reason": "Complaint"})
    page = response.content.decode()
    assert response.status_code == 200 and "Yes, suspend the certificate" in page
    certificate.refresh_from_db()
    assert certificate.status == "valid" and certificate.suspended_at is None
    response = cms.post(
        f"/cms/certificates/{certificate.pk}/suspend/", {"reason": "Complaint", "confirmed": "yes"}
    )
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == "suspended"


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["revoke", "suspend"])
def test_a_confirmation_without_a_reason_is_refused(examiner, certificate, kind):
    cms = _cms(examiner)
    response = cms.post(f"/cms/certificates/{certificate.pk}/{kind}/", {"reason": "", "confirmed": "yes"})
    assert response.status_code == 400
    certificate.refresh_from_db()
    assert certificate.status == "valid"


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["revoke", "suspend"])
def test_non_examiners_are_refused_at_both_steps(trainer, certificate, kind):
    from django.contrib.auth.models import Permission

    trainer.user_permissions.add(Permission.objects.get(codename="access_admin"))
    cms = _cms(trainer)
    for data in ({"reason": "x"}, {"reason": "x", "confirmed": "yes"}):
        assert cms.post(f"/cms/certificates/{certificate.pk}/{kind}/", data).status_code == 403
    certificate.refresh_from_db()
    assert certificate.status == "valid"

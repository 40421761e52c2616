"""Examiners revoke and reinstate certificates in the Wagtail admin."""

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.test import Client

from accounts.roles import EXAMINER, role_add
from certificates.models import Certificate
from certificates.services import certificate_revoke
from tests.conftest import mfa_login
from tests.factories import UserFactory


def _with_mfa(user):
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    return user


def _cms(user, *, csrf=False):
    return mfa_login(Client(enforce_csrf_checks=csrf), user)


@pytest.fixture
def certificate(passed_attempt):
    return Certificate.objects.get()


@pytest.fixture
def second_examiner(db):
    user = UserFactory(email="second-examiner@test.example", first_name="Sam", last_name="Second")
    role_add(user, EXAMINER)
    return user


@pytest.mark.django_db
def test_examiner_finds_a_certificate_by_number_or_name(examiner, certificate):
    cms = _cms(examiner)
    by_code = cms.get("/cms/certificates/", {"q": certificate.display_code.lower()})
    assert by_code.status_code == 200 and certificate.display_code in by_code.content.decode()
    assert certificate.display_code in cms.get("/cms/certificates/", {"q": "lena"}).content.decode()
    assert "No certificate matches" in cms.get("/cms/certificates/", {"q": "nobody"}).content.decode()


@pytest.mark.django_db
def test_revoking_needs_a_reason_and_is_shown_in_the_history(
    examiner, certificate, django_capture_on_commit_callbacks
):
    cms = _cms(examiner)
    url = f"/cms/certificates/{certificate.pk}/"
    blank = cms.post(f"{url}revoke/", {"reason": "  "})
    assert blank.status_code == 400 and "Give the public reason for the revocation." in blank.content.decode()
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    with django_capture_on_commit_callbacks(execute=True):
        response = cms.post(f"{url}revoke/", {"reason": "Exam misconduct", "confirmed": "yes"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.revoked_by == examiner and certificate.revocation_reason == "Exam misconduct"
    assert any("revoked" in m.subject for m in mail.outbox)
    page = cms.get(url).content.decode()
    assert "certificate.revoked" in page and "Exam misconduct" in page
    assert "another examiner must reinstate it" in page


@pytest.mark.django_db
def test_the_revoking_examiner_cannot_reinstate_but_another_can(examiner, second_examiner, certificate):
    certificate_revoke(certificate=certificate, actor=examiner, reason="Exam misconduct")
    first = _cms(examiner)
    response = first.post(
        f"/cms/certificates/{certificate.pk}/reinstate/", {"reason": "Appeal upheld"}, follow=True
    )
    assert "Another examiner must undo this revocation." in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    second = _cms(second_examiner)
    assert second.post(f"/cms/certificates/{certificate.pk}/reinstate/", {"reason": ""}).status_code == 400
    second.post(f"/cms/certificates/{certificate.pk}/reinstate/", {"reason": "Appeal upheld"})
    certificate.refresh_from_db()
    assert certificate.revoked_at is None and certificate.revocation_reason == ""
    assert "certificate.reinstated" in second.get(f"/cms/certificates/{certificate.pk}/").content.decode()


@pytest.mark.django_db
def test_non_examiners_are_refused(client, trainer, learner, certificate):
    from django.contrib.auth.models import Permission

    # A trainer who may use the CMS (for other work) is still no examiner.
    trainer.user_permissions.add(Permission.objects.get(codename="access_admin"))
    cms = _cms(trainer)
    for path in ("/cms/certificates/", f"/cms/certificates/{certificate.pk}/"):
        assert cms.get(path).status_code == 403
    assert cms.post(f"/cms/certificates/{certificate.pk}/revoke/", {"reason": "x"}).status_code == 403
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    # Learners do not reach the CMS at all; anonymous visitors are sent to the login.
    learner_cms = _cms(learner)
    assert learner_cms.get("/cms/certificates/").status_code in (302, 403)
    anonymous = client.get("/cms/certificates/")
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]


@pytest.mark.django_db
def test_revoke_is_post_only_and_needs_the_csrf_token(examiner, certificate):
    cms = _cms(examiner, csrf=True)
    assert cms.get(f"/cms/certificates/{certificate.pk}/revoke/").status_code == 405
    assert (
        cms.post(f"/cms/certificates/{certificate.pk}/revoke/", {"reason": "Exam misconduct"}).status_code
        == 403
    )
    certificate.refresh_from_db()
    assert certificate.revoked_at is None

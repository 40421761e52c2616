"""Examiners suspend, revoke (withdraw), lift and reinstate organisations' certificates in the
Wagtail admin; nobody else can."""

import pytest
from django.test import Client

from accounts.roles import EXAMINER, role_add
from tests.certificates.organisation_helpers import issue
from tests.conftest import mfa_login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _cms(user, *, csrf=False):
    return mfa_login(Client(enforce_csrf_checks=csrf), user)


@pytest.fixture
def certificate():
    return issue()


@pytest.fixture
def second_examiner(db):
    user = UserFactory(email="second-examiner@test.example", first_name="Sam", last_name="Second")
    role_add(user, EXAMINER)
    return user


def test_the_examiner_finds_a_certificate_by_number_or_name(examiner, certificate):
    cms = _cms(examiner)
    by_code = cms.get("/cms/certificates/organisations/", {"q": certificate.display_code.lower()})
    assert by_code.status_code == 200 and certificate.display_code in by_code.content.decode()
    assert (
        certificate.display_code
        in cms.get("/cms/certificates/organisations/", {"q": "harbour"}).content.decode()
    )
    assert (
        "No certificate matches"
        in cms.get("/cms/certificates/organisations/", {"q": "nobody"}).content.decode()
    )
    assert cms.get("/cms/certificates/organisations/999999/").status_code == 404


def test_suspending_and_revoking_need_a_reason_and_a_confirmation(examiner, second_examiner, certificate):
    cms = _cms(examiner)
    url = f"/cms/certificates/organisations/{certificate.pk}/"
    blank = cms.post(f"{url}suspend/", {"reason": " "})
    assert blank.status_code == 400 and "Give the reason for the suspension." in blank.content.decode()
    confirm = cms.post(f"{url}suspend/", {"reason": "Complaint received"})
    assert confirm.status_code == 200 and "Suspend this certificate?" in confirm.content.decode()
    certificate.refresh_from_db()
    assert certificate.suspended_at is None  # nothing changed before the confirmation
    assert cms.post(f"{url}suspend/", {"reason": "Complaint received", "confirmed": "yes"}).status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == "suspended" and certificate.suspended_by == examiner
    assert cms.post(f"{url}unsuspend/", {"reason": "Complaint answered"}).status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == "valid"
    assert cms.post(f"{url}revoke/", {"reason": "Scope exceeded", "confirmed": "yes"}).status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == "revoked" and certificate.revocation_reason == "Scope exceeded"
    page = cms.get(url).content.decode()
    assert "another examiner must reinstate it" in page and "organisation_certificate.revoked" in page
    assert _cms(second_examiner).post(f"{url}reinstate/", {"reason": "Decided in error"}).status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == "valid"


def test_non_examiners_are_refused(client, trainer, learner, certificate):
    from django.contrib.auth.models import Permission

    trainer.user_permissions.add(Permission.objects.get(codename="access_admin"))
    cms = _cms(trainer)
    url = f"/cms/certificates/organisations/{certificate.pk}/"
    for path in ("/cms/certificates/organisations/", url):
        assert cms.get(path).status_code == 403
    for action in ("revoke", "suspend"):
        assert cms.post(f"{url}{action}/", {"reason": "x", "confirmed": "yes"}).status_code == 403
    certificate.refresh_from_db()
    assert certificate.status == "valid"
    anonymous = client.get("/cms/certificates/organisations/")
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]


def test_actions_are_post_only_and_need_the_csrf_token(examiner, certificate):
    cms = _cms(examiner, csrf=True)
    url = f"/cms/certificates/organisations/{certificate.pk}/"
    assert cms.get(f"{url}revoke/").status_code == 405
    assert cms.post(f"{url}revoke/", {"reason": "Scope exceeded", "confirmed": "yes"}).status_code == 403
    certificate.refresh_from_db()
    assert certificate.revoked_at is None

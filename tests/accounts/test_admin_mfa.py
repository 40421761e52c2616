import pytest
from allauth.mfa.models import Authenticator

from tests.conftest import mfa_login


@pytest.mark.django_db
def test_examiner_without_mfa_is_sent_to_set_it_up(client, examiner):
    client.force_login(examiner)
    response = client.get("/cms/")
    assert response.status_code == 302
    assert "/accounts/2fa/totp/activate" in response["Location"]


@pytest.mark.django_db
def test_examiner_whose_session_passed_the_second_factor_reaches_the_cms(client, examiner):
    mfa_login(client, examiner)
    assert client.get("/cms/").status_code == 200


@pytest.mark.django_db
def test_a_password_only_session_of_an_account_with_totp_is_asked_for_the_code(client, examiner):
    Authenticator.objects.create(
        user=examiner, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    client.force_login(examiner)  # the account has TOTP, this session never passed it
    response = client.get("/cms/exams/blueprints/")
    assert response.status_code == 302
    assert (
        response["Location"].startswith("/accounts/reauthenticate/")
        or "2fa/reauthenticate" in response["Location"]
    )
    assert "next=%2Fcms%2Fexams%2Fblueprints%2F" in response["Location"]


@pytest.mark.django_db
def test_cms_login_is_allauths_login(client):
    response = client.get("/cms/login/?next=/cms/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=%2Fcms%2F"


@pytest.mark.django_db
def test_learner_cannot_use_the_cms(client, learner):
    Authenticator.objects.create(
        user=learner, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    mfa_login(client, learner)
    response = client.get("/cms/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_django_admin_is_for_superusers_only(client, examiner, settings):
    client.force_login(examiner)
    path = "/" + settings.DJANGO_ADMIN_PATH
    assert client.get(path).status_code == 302
    assert client.get("/admin/").status_code == 404

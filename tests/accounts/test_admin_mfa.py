import pytest
from allauth.mfa.models import Authenticator


@pytest.mark.django_db
def test_examiner_without_mfa_is_sent_to_set_it_up(client, examiner):
    client.force_login(examiner)
    response = client.get("/cms/")
    assert response.status_code == 302
    assert "/accounts/2fa/totp/activate" in response["Location"]


@pytest.mark.django_db
def test_examiner_with_totp_reaches_the_cms(client, examiner):
    Authenticator.objects.create(
        user=examiner, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    client.force_login(examiner)
    assert client.get("/cms/").status_code == 200


@pytest.mark.django_db
def test_cms_login_page_answers_without_mfa(client):
    assert client.get("/cms/login/").status_code == 200


@pytest.mark.django_db
def test_learner_cannot_use_the_cms(client, learner):
    Authenticator.objects.create(
        user=learner, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    client.force_login(learner)
    response = client.get("/cms/")
    assert response.status_code == 302 and response["Location"].startswith("/cms/login/")


@pytest.mark.django_db
def test_django_admin_is_for_superusers_only(client, examiner, settings):
    client.force_login(examiner)
    path = "/" + settings.DJANGO_ADMIN_PATH
    assert client.get(path).status_code == 302
    assert client.get("/admin/").status_code == 404

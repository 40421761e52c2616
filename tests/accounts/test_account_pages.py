"""The account pages (allauth: sign-in, sign-up, e-mail confirmation, password reset, two-factor)
are pages of the site: its header, navigation and footer, one heading, the site's form layout with
a label above each field and errors at the field they concern."""

import re

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.models import Authenticator

from tests.conftest import TOTP_SECRET, mfa_login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def assert_site_page(response, heading):
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    assert 'class="site-header"' in page and 'class="site-footer"' in page
    assert '<nav aria-label="Main">' in page
    assert '<main id="main"' in page and 'class="skip-link"' in page
    assert len(re.findall(r"<h1[ >]", page)) == 1
    assert re.search(rf"<h1>\s*{re.escape(heading)}\s*</h1>", page), heading
    return page


def assert_site_form(page):
    assert 'class="site-form"' in page and 'class="field' in page
    assert re.search(r'<button class="button[^"]*"[^>]* type="submit"', page)
    # Every visible input has a label of its own (no placeholder-only fields).
    for input_id in re.findall(r'<input(?![^>]*type="hidden")[^>]* id="([^"]+)"', page):
        assert f'for="{input_id}"' in page, input_id


def test_sign_in_is_a_site_page_with_labelled_fields(client):
    page = assert_site_page(client.get("/accounts/login/"), "Sign In")
    assert_site_form(page)
    assert '<label for="id_login">' in page and '<label for="id_password">' in page


def test_a_wrong_password_is_said_above_the_form_and_empty_fields_at_the_field(client):
    user = UserFactory(email="someone@test.example")
    response = client.post("/accounts/login/", {"login": user.email, "password": "not-the-password"})
    page = response.content.decode()
    assert re.search(r'<div class="errors" role="alert"><p>[^<]*not correct', page)
    response = client.post("/accounts/login/", {"login": "", "password": ""})
    page = response.content.decode()
    assert 'class="field has-error"' in page
    assert 'id="id_login_error"' in page and re.search(r'aria-describedby="[^"]*id_login_error', page)


def test_sign_up_is_a_site_page_and_errors_sit_at_their_fields(client):
    page = assert_site_page(client.get("/accounts/signup/"), "Sign Up")
    assert_site_form(page)
    response = client.post(
        "/accounts/signup/", {"email": "not-an-address", "password1": "x", "password2": "y"}
    )
    page = response.content.decode()
    assert 'id="id_email_error"' in page and 'id="id_first_name_error"' in page
    assert page.count('class="field has-error"') >= 3


def test_the_email_confirmation_page_is_a_site_page(client):
    user = UserFactory(email="confirm@test.example")
    address = EmailAddress.objects.get(user=user)
    address.verified = False
    address.save()
    key = EmailConfirmationHMAC(address).key
    page = assert_site_page(client.get(f"/accounts/confirm-email/{key}/"), "Confirm Email Address")
    assert 'class="site-form"' in page and "confirm@test.example" in page
    assert_site_page(client.get("/accounts/confirm-email/not-a-key/"), "Confirm Email Address")


def test_the_verification_sent_page_is_a_site_page(client):
    assert_site_page(client.get("/accounts/confirm-email/"), "Verify Your Email Address")


def test_the_password_reset_pages_are_site_pages(client):
    page = assert_site_page(client.get("/accounts/password/reset/"), "Password Reset")
    assert_site_form(page)
    assert_site_page(client.get("/accounts/password/reset/done/"), "Password Reset")
    assert_site_page(client.get("/accounts/password/reset/key/done/"), "Change Password")


def test_the_password_reset_link_opens_a_site_form_and_a_bad_link_says_so(client):
    user = UserFactory(email="reset@test.example")
    uid, key = user_pk_to_url_str(user), default_token_generator.make_token(user)
    response = client.get(f"/accounts/password/reset/key/{uid}-{key}/", follow=True)
    page = assert_site_page(response, "Change Password")
    assert_site_form(page)
    assert '<label for="id_password1">' in page
    response = client.get(f"/accounts/password/reset/key/{uid}-wrong-token/", follow=True)
    page = assert_site_page(response, "Bad Token")
    assert "new password reset" in page


def test_the_two_factor_pages_are_site_pages(client, learner):
    client.force_login(learner)
    assert_site_page(client.get("/accounts/2fa/"), "Two-Factor Authentication")
    response = client.get("/accounts/2fa/totp/activate/", follow=True)
    page = response.content.decode()
    assert 'class="site-header"' in page and 'class="site-form"' in page
    assert_site_page(response, re.search(r"<h1>\s*([^<]+?)\s*</h1>", page).group(1))


def test_the_two_factor_pages_of_an_account_with_totp_are_site_pages(client, learner):
    mfa_login(client, learner)
    assert_site_page(client.get("/accounts/2fa/"), "Two-Factor Authentication")
    # Changing a factor asks for the password again first: that page is a site page too.
    response = client.get("/accounts/2fa/totp/deactivate/", follow=True)
    assert response.redirect_chain and "/accounts/reauthenticate/" in response.redirect_chain[-1][0]
    page = assert_site_page(response, "Confirm Access")
    assert_site_form(page)


def test_the_code_step_of_sign_in_is_a_site_page(client):
    user = UserFactory(email="totp@test.example")
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": TOTP_SECRET})
    response = client.post("/accounts/login/", {"login": user.email, "password": "correct-horse-battery"})
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    page = assert_site_page(client.get(response["Location"]), "Two-Factor Authentication")
    assert_site_form(page)
    response = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert 'class="field has-error"' in response.content.decode()

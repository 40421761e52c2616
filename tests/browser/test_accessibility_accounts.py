"""The account pages (sign-in, sign-up, e-mail confirmation, password reset, two-factor) pass
axe-core's WCAG 2.1 A/AA rules in chromium, carry the site's header and footer, and fit a 390 px
wide screen. Uses the checks of tests/browser/test_accessibility.py."""

from importlib import resources

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.models import Authenticator

from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import _axe, _broken_references, _horizontal_overflow
from tests.conftest import TOTP_SECRET
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _empty_submit(page):
    page.evaluate("document.querySelectorAll('main form').forEach(f => { f.noValidate = true; })")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_selector(".has-error, .errors")


def _site_chrome(page, name):
    problems = []
    if page.locator("header.site-header .brand").count() != 1:
        problems.append(f"{name}: no site header")
    if page.locator("footer.site-footer").count() != 1:
        problems.append(f"{name}: no site footer")
    if page.locator("h1").count() != 1:
        problems.append(f"{name}: {page.locator('h1').count()} h1 elements")
    return problems


def test_account_pages_pass_wcag_checks_with_the_site_layout(browser, live_server):
    axe_source = resources.files("axe_playwright_python").joinpath("axe.min.js").read_text()
    base = live_server.url
    unconfirmed = UserFactory(email="unconfirmed@test.example")
    address = EmailAddress.objects.get(user=unconfirmed)
    address.verified = False
    address.save()
    confirm_key = EmailConfirmationHMAC(address).key
    resetting = UserFactory(email="resetting@test.example")
    reset_path = f"/accounts/password/reset/key/{user_pk_to_url_str(resetting)}-{default_token_generator.make_token(resetting)}/"
    with_totp = UserFactory(email="totp@test.example")
    Authenticator.objects.create(user=with_totp, type=Authenticator.Type.TOTP, data={"secret": TOTP_SECRET})
    member = UserFactory(email="member@test.example")

    visitor = [
        ("sign in", "/accounts/login/", None),
        ("sign in, with errors", "/accounts/login/", _empty_submit),
        ("sign up", "/accounts/signup/", None),
        ("sign up, with errors", "/accounts/signup/", _empty_submit),
        ("confirm e-mail", f"/accounts/confirm-email/{confirm_key}/", None),
        ("verification sent", "/accounts/confirm-email/", None),
        ("password reset", "/accounts/password/reset/", None),
        ("password reset, with errors", "/accounts/password/reset/", _empty_submit),
        ("password reset done", "/accounts/password/reset/done/", None),
        ("password reset from key", reset_path, None),
        ("password reset from key, with errors", reset_path, _empty_submit),
        ("password reset, bad link", "/accounts/password/reset/key/1-not-a-token/", None),
        ("password reset from key done", "/accounts/password/reset/key/done/", None),
    ]
    signed_in = [
        ("two-factor overview", "/accounts/2fa/", None),
        ("set up an authenticator app", "/accounts/2fa/totp/activate/", None),
        ("set up an authenticator app, with errors", "/accounts/2fa/totp/activate/", _empty_submit),
        ("e-mail addresses", "/accounts/email/", None),
        ("change password", "/accounts/password/change/", None),
    ]
    problems = []

    def check(page, name, path, before):
        for width in (1366, 390):
            page.set_viewport_size({"width": width, "height": 900})
            response = page.goto(base + path)
            assert response.ok, f"{name}: {response.status}"
            if before:
                before(page)
            problems.extend(_site_chrome(page, name))
            problems.extend(_axe(page, f"{name} at {width} px", axe_source))
            problems.extend(_broken_references(page, name))
            if width == 390:
                problems.extend(_horizontal_overflow(page, name))

    context = browser.new_context(bypass_csp=True)  # to inject axe; the pages keep their CSP
    try:
        page = context.new_page()
        page.set_default_timeout(15000)
        for name, path, before in visitor:
            check(page, name, path, before)

        # The code step of a sign-in with two factors.
        page.goto(base + "/accounts/login/")
        page.fill("input[name=login]", with_totp.email)
        page.fill("input[name=password]", "correct-horse-battery")
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_url("**/accounts/2fa/authenticate/")
        problems.extend(_site_chrome(page, "two-factor code"))
        problems.extend(_axe(page, "two-factor code", axe_source))
        page.fill("input[name=code]", "000000")
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_selector(".has-error, .errors")
        problems.extend(_axe(page, "two-factor code, wrong", axe_source))
        problems.extend(_broken_references(page, "two-factor code, wrong"))
        context.clear_cookies()

        sign_in(page, base, member.email)
        for name, path, before in signed_in:
            check(page, name, path, before)
    finally:
        context.close()
    assert not problems, "Problems:\n" + "\n".join(problems)

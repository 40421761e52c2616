"""Sign-up takes the browser's time zone (a chromium set to Europe/Berlin), My exams then shows
times in Berlin with the zone named, and the profile's select changes the zone."""

import pytest
from allauth.account.models import EmailAddress

from accounts.models import User
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_sign_up_takes_the_browsers_zone_and_the_profile_changes_it(browser, live_server, width):
    base = live_server.url
    context = browser.new_context(timezone_id="Europe/Berlin", viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.set_default_timeout(15000)
        page.goto(f"{base}/accounts/signup/")
        page.wait_for_function("document.querySelector('input[name=time_zone]').value !== ''")
        page.get_by_label("Email").fill("berlin@example.org")
        page.get_by_label("Given name(s)").fill("Bea")
        page.get_by_label("Family name").fill("Berliner")
        page.get_by_label("Password", exact=True).fill("a-long-enough-passphrase")
        page.get_by_label("Password (again)").fill("a-long-enough-passphrase")
        page.get_by_role("button", name="Sign Up").click()
        page.wait_for_url(lambda url: "/accounts/signup" not in url)
        user = User.objects.get(email="berlin@example.org")
        assert user.time_zone == "Europe/Berlin"

        EmailAddress.objects.filter(user=user).update(verified=True)
        user.set_password("correct-horse-battery")
        user.save()
        context.clear_cookies()
        sign_in(page, base, user.email)
        page.goto(f"{base}/me/profile/")
        select = page.get_by_label("Time zone")
        assert select.input_value() == "Europe/Berlin"
        select.select_option("America/New_York")
        page.get_by_role("button", name="Save").click()
        page.wait_for_selector("text=Your profile has been saved.")
        user.refresh_from_db()
        assert user.time_zone == "America/New_York"
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    finally:
        context.close()

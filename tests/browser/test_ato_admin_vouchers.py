"""The ATO admin hands a voucher of the pool to a person by e-mail, sees it as sent, revokes it, and
asks the certification body for more, in a real browser, wide and narrow."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tests.browser.conftest import sign_in
from tests.trainers import conftest as training_world
from trainers import services
from trainers.models import VoucherAssignment, VoucherRequest

admin_a = training_world.admin_a
examiner_user = training_world.examiner_user
org_a = training_world.org_a

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_ato_admin_assigns_revokes_and_requests_vouchers(
    browser, live_server, admin_a, org_a, certification, examiner_user, width
):
    services.organisation_vouchers_allocate(
        organisation=org_a,
        certification=certification,
        count=2,
        valid_until=timezone.now() + timedelta(days=60),
        actor=examiner_user,
    )
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.set_default_timeout(15000)
        base = live_server.url
        sign_in(page, base, admin_a.email)
        page.goto(f"{base}/training/organisations/{org_a.slug}/")
        page.get_by_role("link", name="Manage vouchers").click()
        page.wait_for_url("**/vouchers/")

        page.get_by_label("E-mail address of the person").fill("candidate@test.example")
        page.get_by_role("button", name="E-mail a voucher").click()
        assert (
            "A voucher code was e-mailed to candidate@test.example" in page.locator(".messages").inner_text()
        )
        assignment = VoucherAssignment.objects.get()
        code = assignment.pool_voucher.voucher.code
        assert mail.outbox[-1].to == ["candidate@test.example"]
        assert (
            re.sub("-", "", re.search(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){3}", mail.outbox[-1].body).group(0)) == code
        )
        row = page.get_by_role("row", name=re.compile("candidate@test.example"))
        assert "Sent, not redeemed yet" in row.inner_text() and code in row.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")

        row.get_by_role("button", name="Revoke the voucher sent to candidate@test.example").click()
        assert "back in the pool" in page.locator(".messages").inner_text()
        assignment.refresh_from_db()
        assert assignment.status == "revoked" and assignment.pool_voucher.voucher.code != code
        assert "Revoked on" in page.get_by_role("row", name=re.compile("candidate@test.example")).inner_text()

        page.get_by_label("Number of vouchers").fill("30")
        page.get_by_label("Note to the certification body").fill("Autumn cohort")
        page.get_by_role("button", name="Send the request").click()
        assert "sent to the certification body" in page.locator(".messages").inner_text()
        request = VoucherRequest.objects.get()
        assert (request.count, request.note, request.status) == (30, "Autumn cohort", "open")
    finally:
        context.close()

"""An employer without an account checks a candidate's certificate: by the QR code
printed on the PDF, then through the register search, and sees a revocation at once."""

import io

import pytest
from pypdf import PdfReader

from certificates.models import Certificate
from certificates.pdf import certificate_pdf_render
from certificates.services import certificate_revoke
from tests.certificates.conftest import sit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _qr_url(pdf):
    import zxingcpp

    images = list(PdfReader(io.BytesIO(pdf)).pages[0].images)
    found = [r.text for image in images for r in zxingcpp.read_barcodes(image.image)]
    assert len(found) == 1, found
    return found[0]


def test_employer_verifies_by_qr_code_and_register_search(
    page, live_server, settings, attempt, now, examiner
):
    settings.SITE_URL = live_server.url
    sit(attempt, now, right=4)
    certificate = Certificate.objects.get(attempt=attempt)

    # The QR code on the PDF leads to the public verification page.
    url = _qr_url(certificate_pdf_render(certificate))
    assert url == f"{live_server.url}/verify/{certificate.code}/"
    page.goto(url)
    banner = page.get_by_role("status")
    assert banner.inner_text().startswith("VALID")
    assert page.locator("dl.facts").get_by_text("Lena Learner").is_visible()

    # The register search by number and family name finds the same certificate.
    page.goto(f"{live_server.url}/verify/")
    page.get_by_label("Certificate number").fill(certificate.display_code)
    page.get_by_label("Family name of the holder").fill("learner")
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url(f"**/verify/{certificate.code}/")
    assert page.get_by_role("heading", level=1).inner_text() == f"Certificate {certificate.display_code}"
    assert page.get_by_role("status").inner_text().startswith("VALID")

    # Once revoked, the same address says so, with the reason.
    certificate_revoke(certificate=certificate, actor=examiner, reason="Exam misconduct")
    page.goto(url)
    text = page.get_by_role("status").inner_text()
    assert text.startswith("REVOKED") and "Exam misconduct" in text


@pytest.mark.parametrize("width", [1366, 390])
def test_employer_reads_status_validity_badge_and_issuer_mark_at_desktop_and_phone_width(
    browser, live_server, settings, attempt, now, examiner, width
):
    settings.SITE_URL = live_server.url
    sit(attempt, now, right=4)
    certificate = Certificate.objects.get(attempt=attempt)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(f"{live_server.url}/verify/{certificate.code}/")
        facts = page.locator("dl.facts").first
        assert facts.locator("dd.status-words").inner_text() == "Valid"
        assert facts.locator("dd.validity").inner_text() == "Does not expire"
        assert page.get_by_text("What it attests:").is_visible()
        for image in (
            page.get_by_alt_text("Test exam badge"),
            page.get_by_alt_text(f"Seal of {settings.ISSUING_BODY}"),
        ):
            assert image.is_visible()
            assert image.evaluate("img => img.complete && img.naturalWidth > 0"), "the image did not load"
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")

        # Suspended: the status is said in words, in the banner and in the facts.
        from certificates.services import certificate_suspend

        certificate_suspend(certificate=certificate, actor=examiner, reason="Complaint under review")
        page.reload()
        assert page.get_by_role("status").inner_text().startswith("SUSPENDED")
        assert facts.locator("dd.status-words").inner_text() == "Suspended"
    finally:
        context.close()


@pytest.mark.parametrize("width", [1366, 390])
def test_a_visitor_opens_verification_from_a_home_page_card_by_mouse_and_by_keyboard(
    browser, live_server, width
):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(f"{live_server.url}/")
        card = page.locator("li.card-link", has=page.get_by_role("link", name="Verify a certificate"))
        # The whole card is the link: a click on its description (covered by the link's area) follows it.
        box = card.locator("p").bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_url("**/verify/")
        assert page.get_by_role("heading", level=1).is_visible()

        # By keyboard: the card shows the focus while its link has it, and Enter follows it.
        page.goto(f"{live_server.url}/")
        link = card.get_by_role("link", name="Verify a certificate")
        link.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
        assert link.evaluate("a => a === document.activeElement && a.matches(':focus-visible')")
        outline = card.evaluate(
            "li => getComputedStyle(li).outlineStyle + ' ' + getComputedStyle(li).outlineWidth"
        )
        assert outline == "solid 3px", outline
        page.keyboard.press("Enter")
        page.wait_for_url("**/verify/")
    finally:
        context.close()

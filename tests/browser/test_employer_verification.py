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

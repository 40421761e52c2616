"""An organisation's certificate verified without an account: the page at /verify/{code}/ (the
same address as personal certificates), the JSON record, the OpenAPI schema, the PDF with its
QR code, and 404s for what does not exist."""

import re

import pytest
from django.test import Client

from certificates import organisation_services as services
from certificates.codes import code_generate
from tests.certificates.organisation_helpers import issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate():
    return issue()


def test_the_verify_page_shows_organisation_level_scope_validity_and_status(client, certificate):
    response = client.get(f"/verify/{certificate.code}/")
    page = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "no-cache"
    assert '<html lang="en"' in page
    assert "Harbour Cloud Services" in page and "FitSM Essentials" in page
    assert "Managed hosting and the service desk, run from the Rotterdam office." in page
    assert "VALID" in page and "Valid until 9 Mar 2029" in page
    assert certificate.display_code in page and "Netherlands" in page
    assert f"/ob/v3/organisations/credentials/{certificate.uuid}.jwt" in page
    assert f"/verify/{certificate.code}/certificate.pdf" in page


def test_the_status_is_shown_in_words_as_it_changes(client, certificate, examiner):
    services.organisation_certificate_suspend(certificate=certificate, actor=examiner, reason="Complaint")
    page = client.get(f"/verify/{certificate.code}/").content.decode()
    assert "SUSPENDED" in page and "Complaint" not in page  # the reason is internal
    services.organisation_certificate_revoke(certificate=certificate, actor=examiner, reason="Scope exceeded")
    page = client.get(f"/verify/{certificate.code}/").content.decode()
    assert "REVOKED" in page and "Scope exceeded" in page
    assert f"/verify/{certificate.code}/certificate.pdf" not in page


def test_an_expired_certificate_is_shown_expired(client):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    old = issue(granted_at=datetime(2019, 5, 2, 9, 0, tzinfo=ZoneInfo("UTC")))
    page = client.get(f"/verify/{old.code}/").content.decode()
    assert "EXPIRED" in page and "Expired on 1 May 2022" in page
    assert client.get(f"/api/v1/certificates/{old.code}").json()["status"] == "expired"


def test_a_code_typed_with_dashes_and_lower_case_redirects_to_the_page(client, certificate):
    response = client.get(f"/verify/{certificate.display_code.lower()}/")
    assert response.status_code == 302 and response["Location"] == f"/verify/{certificate.code}/"


def test_unknown_and_mistyped_codes_answer_404(client, certificate):
    unknown = client.get(f"/verify/{code_generate()}/")
    assert unknown.status_code == 404 and "No certificate has this number" in unknown.content.decode()
    typo = certificate.code[:-1] + ("A" if certificate.code[-1] != "A" else "B")
    assert client.get(f"/verify/{typo}/").status_code == 404
    assert client.get(f"/api/v1/certificates/{code_generate()}").status_code == 404


def test_the_api_names_the_organisation_as_the_subject(client, certificate):
    body = client.get(f"/api/v1/certificates/{certificate.code}").json()
    assert body["subject"] == {
        "type": "organisation",
        "name": "Harbour Cloud Services",
        "slug": "harbour-cloud",
        "country": "NL",
        "register_url": "http://127.0.0.1:8000/providers/harbour-cloud/",
    }
    assert body["level"] == {"code": "essentials", "name": "FitSM Essentials"}
    assert body["scope_statement"].startswith("Managed hosting")
    assert (body["status"], body["issued_on"], body["expires_on"]) == ("valid", "2026-03-10", "2029-03-09")
    assert body["revoked_on"] is None and body["suspended_on"] is None
    assert body["ob3_credential_url"].endswith(f"/ob/v3/organisations/credentials/{certificate.uuid}.jwt")
    assert "holder_name" not in body


def test_the_api_gives_the_public_reason_of_a_revocation_only(client, certificate, examiner):
    services.organisation_certificate_revoke(
        certificate=certificate, actor=examiner, reason="Scope exceeded", internal_reason="Case 12"
    )
    response = client.get(f"/api/v1/certificates/{certificate.code}")
    body = response.json()
    assert (
        body["status"] == "revoked" and body["revocation_reason"] == "Scope exceeded" and body["revoked_on"]
    )
    assert "Case 12" not in response.content.decode()


def test_a_personal_certificate_keeps_its_shape(client, passed_attempt):
    from certificates.models import Certificate

    personal = Certificate.objects.get()
    body = client.get(f"/api/v1/certificates/{personal.code}").json()
    assert "subject" not in body and body["holder_name"] and body["certification"]["code"] == "TST"


def test_the_openapi_schema_documents_both_kinds(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/certificates/{code}"]["get"]
    answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
    refs = {entry["$ref"].rsplit("/", 1)[1] for entry in answer.get("anyOf", answer.get("oneOf", []))}
    assert refs == {"CertificateOut", "OrganisationCertificateOut"}
    components = schema["components"]["schemas"]
    subject = components["SubjectOut"]["properties"]["type"]
    assert subject.get("const") == "organisation" or subject.get("enum") == ["organisation"]
    assert {"subject", "level", "scope_statement"} <= set(
        components["OrganisationCertificateOut"]["required"]
    )


def test_the_pdf_is_one_page_with_the_organisation_and_a_qr_code(client, certificate):
    from io import BytesIO

    from pypdf import PdfReader

    response = client.get(f"/verify/{certificate.code}/certificate.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    reader = PdfReader(BytesIO(data))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Harbour Cloud Services" in text and "FitSM Essentials" in text and "Rotterdam" in text
    assert certificate.display_code in text and f"/verify/{certificate.code}/" in text
    assert any(name.startswith("/") for name in reader.pages[0]["/Resources"]["/XObject"])  # the QR image
    certificate.refresh_from_db()
    import hashlib

    assert certificate.pdf_sha256 == hashlib.sha256(data).hexdigest()


def test_the_pdf_embeds_the_bundled_fonts(certificate):
    from io import BytesIO

    from pypdf import PdfReader

    from certificates.organisation_pdf import organisation_certificate_pdf_render

    reader = PdfReader(BytesIO(organisation_certificate_pdf_render(certificate)))
    fonts = reader.pages[0]["/Resources"]["/Font"].values()
    names = {str(font.get_object()["/BaseFont"]) for font in fonts}
    # WeasyPrint names an embedded font after its @font-face family: the bundled files only.
    assert names and all(
        re.fullmatch(r"/[A-Z]{6}\+FitSM-Certificate-(Sans|Sans-Bold|CJK)", n) for n in names
    ), names
    for font in fonts:
        font = font.get_object()
        descriptor = (
            font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        )
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_a_long_scope_and_name_still_fit_one_page():
    from io import BytesIO

    from pypdf import PdfReader

    from certificates.organisation_pdf import organisation_certificate_pdf_render

    long = issue(organisation_name="Harbour " * 24, scope_statement=("Hosting and support. " * 200)[:4000])
    assert len(PdfReader(BytesIO(organisation_certificate_pdf_render(long))).pages) == 1


def test_the_pdf_of_a_withdrawn_certificate_is_not_handed_out(client, certificate, examiner):
    services.organisation_certificate_suspend(certificate=certificate, actor=examiner, reason="Complaint")
    response = client.get(f"/verify/{certificate.code}/certificate.pdf")
    assert response.status_code == 410 and "not in force" in response.content.decode()
    services.organisation_certificate_revoke(certificate=certificate, actor=examiner, reason="Withdrawn")
    assert client.get(f"/verify/{certificate.code}/certificate.pdf").status_code == 410


def test_the_pdf_address_serves_no_personal_certificate_and_nothing_unknown(client, passed_attempt):
    from certificates.models import Certificate

    personal = Certificate.objects.get()
    assert client.get(f"/verify/{personal.code}/certificate.pdf").status_code == 404
    assert client.get(f"/verify/{code_generate()}/certificate.pdf").status_code == 404


def test_the_public_pages_answer_get_only(client, certificate):
    assert client.post(f"/verify/{certificate.code}/certificate.pdf").status_code == 405
    assert client.post("/providers/").status_code == 405
    assert client.post(f"/providers/{certificate.organisation_slug}/").status_code == 405
    # and a POST without the CSRF token is refused before anything else
    assert Client(enforce_csrf_checks=True).post("/providers/").status_code == 403


# --- files checked at /verify/file/ --------------------------------------------------------------


def _upload(client, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/verify/file/", {"file": SimpleUploadedFile("file.bin", data)})


def test_the_pdf_we_issued_is_genuine_and_an_altered_one_is_not(client, certificate):
    data = b"".join(client.get(f"/verify/{certificate.code}/certificate.pdf").streaming_content)
    genuine = _upload(client, data)
    page = genuine.content.decode()
    assert genuine.status_code == 200 and "Result: GENUINE" in page
    assert "Harbour Cloud Services" in page and "FitSM Essentials" in page
    altered = _upload(client, data + b"\n% appended\n")
    assert altered.status_code == 422 and "Result: NOT GENUINE" in altered.content.decode()
    assert "Harbour Cloud Services" in altered.content.decode()  # the certificate it names, on record


def test_the_badge_images_we_issued_are_genuine(client, certificate, signing_key):
    for url in (
        f"/ob/v3/organisations/credentials/{certificate.uuid}.png",
        f"/ob/v2/organisations/assertions/{certificate.uuid}.png",
    ):
        response = _upload(client, client.get(url).content)
        assert response.status_code == 200 and "Result: GENUINE" in response.content.decode(), url
        assert "Harbour Cloud Services" in response.content.decode()

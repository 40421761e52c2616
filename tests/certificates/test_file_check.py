"""Verify a file: certificate PDFs and baked badges uploaded by someone without an account."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader, PdfWriter

from certificates import openbadges, openbadges_v3
from certificates.models import Certificate
from certificates.pdf import certificate_pdf_ensure
from certificates.png_text import png_text_write
from certificates.services import certificate_revoke


@pytest.fixture
def certificate(passed_attempt):
    return Certificate.objects.select_related("user", "certification").get()


@pytest.fixture
def issued_pdf(certificate):
    from django.core.files.storage import default_storage

    with default_storage.open(certificate_pdf_ensure(certificate), "rb") as handle:
        return handle.read()


def upload(client, data, name="file.bin", content_type="application/octet-stream"):
    return client.post("/verify/file/", {"file": SimpleUploadedFile(name, data, content_type=content_type)})


def page(response):
    return response.content.decode()


@pytest.mark.django_db
def test_the_page_is_public_and_linked_from_the_register_search(client):
    response = client.get("/verify/file/")
    assert response.status_code == 200 and 'enctype="multipart/form-data"' in page(response)
    assert "/verify/file/" in page(client.get("/verify/"))


@pytest.mark.django_db
def test_a_post_without_the_csrf_token_is_refused(csrf_client, certificate, issued_pdf):
    assert upload(csrf_client, issued_pdf, "c.pdf").status_code == 403


@pytest.mark.django_db
def test_a_genuine_pdf_shows_the_certificate_as_valid(client, certificate, issued_pdf):
    response = upload(client, issued_pdf, "c.pdf", "application/pdf")
    assert response.status_code == 200
    text = page(response)
    assert "This PDF is exactly the certificate we issued" in text and "VALID" in text
    assert "Lena Learner" in text and certificate.display_code in text


@pytest.mark.django_db
def test_an_altered_pdf_is_told_apart_and_the_real_status_is_shown(client, certificate, issued_pdf, examiner):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(issued_pdf)))
    writer.add_metadata({"/Title": "Test exam – Someone Else"})
    out = io.BytesIO()
    writer.write(out)
    assert out.getvalue() != issued_pdf
    certificate_revoke(certificate=certificate, actor=examiner, reason="Exam misconduct")
    text = page(upload(client, out.getvalue(), "c.pdf", "application/pdf"))
    assert "This file does not match the certificate we issued" in text
    assert "REVOKED" in text and "Exam misconduct" in text and certificate.display_code in text


@pytest.mark.django_db
def test_a_revoked_certificate_pdf_shows_revoked(client, certificate, issued_pdf, examiner):
    certificate_revoke(certificate=certificate, actor=examiner, reason="Exam misconduct")
    text = page(upload(client, issued_pdf, "c.pdf"))
    assert "exactly the certificate we issued" in text and "REVOKED" in text and "Exam misconduct" in text


@pytest.mark.django_db
def test_an_ob2_baked_png_shows_the_certificate(client, certificate):
    response = upload(client, openbadges.baked_png(certificate), "badge.png", "image/png")
    assert response.status_code == 200
    assert "The Open Badge in this image is the one we issued" in page(response) and "VALID" in page(response)


@pytest.mark.django_db
def test_an_ob2_png_baked_with_the_assertion_url_shows_the_certificate(client, certificate):
    data = png_text_write(
        openbadges.badge_png(certificate.certification), "openbadges", openbadges.assertion_id(certificate)
    )
    assert "VALID" in page(upload(client, data, "badge.png"))


@pytest.mark.django_db
def test_an_ob2_png_with_altered_badge_data_is_told_apart(client, certificate):
    import json

    assertion = openbadges.assertion(certificate)
    assertion["recipient"]["identity"] = "sha256$" + "0" * 64
    data = png_text_write(
        openbadges.badge_png(certificate.certification), "openbadges", json.dumps(assertion)
    )
    assert "differs from the badge we issued" in page(upload(client, data, "badge.png"))


@pytest.mark.django_db
def test_an_ob2_baked_svg_shows_the_certificate(client, certificate):
    response = upload(client, openbadges.baked_svg(certificate).encode(), "badge.svg", "image/svg+xml")
    assert response.status_code == 200 and "VALID" in page(response)


@pytest.mark.django_db
def test_an_ob3_baked_png_verifies_its_signature(client, certificate, signing_key, examiner):
    data = openbadges_v3.baked_png(certificate)
    certificate_revoke(certificate=certificate, actor=examiner, reason="Exam misconduct")
    text = page(upload(client, data, "badge.png", "image/png"))
    assert "verifies with our key" in text and "REVOKED" in text and "Exam misconduct" in text


@pytest.mark.django_db
def test_an_ob3_png_signed_by_someone_else_is_refused(client, certificate, signing_key, keys_dir, settings):
    data = openbadges_v3.baked_png(certificate)
    settings.CERTIFICATE_KEYS_DIR = str(keys_dir.parent / "other-keys")
    from certificates.signing_keys import key_create

    key_create()  # our ring no longer holds the key that signed the image
    response = upload(client, data, "badge.png")
    assert response.status_code == 422 and "not signed by us" in page(response)


@pytest.mark.django_db
def test_a_png_without_a_badge_is_told_so(client, certificate):
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), "red").save(buffer, format="PNG")
    response = upload(client, buffer.getvalue(), "photo.png", "image/png")
    assert response.status_code == 422 and "carries no Open Badge" in page(response)


@pytest.mark.django_db
def test_a_file_that_is_not_an_image_or_pdf_is_told_so(client, certificate):
    response = upload(client, b"hello, this is text", "notes.txt", "text/plain")
    assert response.status_code == 422 and "neither a certificate PDF nor a badge image" in page(response)
    broken = upload(client, b"%PDF-1.7 garbage", "broken.pdf")
    assert broken.status_code == 422 and "cannot be read" in page(broken)


@pytest.mark.django_db
def test_an_oversized_file_is_refused_with_a_message(client, certificate, settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    response = upload(client, b"%PDF-" + b"0" * (10 * 1024 * 1024), "big.pdf")
    assert response.status_code == 413 and "larger than 10 MB" in page(response)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.django_db
def test_no_file_gets_a_message(client):
    response = client.post("/verify/file/", {})
    assert response.status_code == 400 and "Choose a file to check." in page(response)


def test_the_upload_handler_keeps_files_in_memory_and_skips_oversized_ones():
    from django.core.files.uploadhandler import SkipFile

    from certificates.file_views import MemoryOnlyUploadHandler
    from certificates.upload_limits import MAX_UPLOAD_BYTES as MAX_BYTES

    handler = MemoryOnlyUploadHandler()
    handler.new_file("file", "c.pdf", "application/pdf", 3_000_000)
    handler.receive_data_chunk(b"x" * 3_000_000, 0)  # above Django's in-memory threshold, still ours
    upload = handler.file_complete(3_000_000)
    assert upload.read() == b"x" * 3_000_000 and not hasattr(upload, "temporary_file_path")
    handler.new_file("file", "big.pdf", "application/pdf", MAX_BYTES + 1)
    with pytest.raises(SkipFile):
        handler.receive_data_chunk(b"x" * (MAX_BYTES + 1), 0)
    assert handler.too_large

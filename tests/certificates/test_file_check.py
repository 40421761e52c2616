"""Verify a file: certificate PDFs and baked badges uploaded by someone without an account."""

import io
import json

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
    from certificates.storage import private_storage

    with private_storage.open(certificate_pdf_ensure(certificate), "rb") as handle:
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
    assert "Result: GENUINE" in text and "NOT GENUINE" not in text
    assert "This PDF is exactly the certificate we issued" in text and "VALID" in text
    assert "Lena Learner" in text and certificate.display_code in text


def altered(pdf):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.add_metadata({"/Title": "Test exam – Someone Else"})
    out = io.BytesIO()
    writer.write(out)
    assert out.getvalue() != pdf
    return out.getvalue()


@pytest.mark.django_db
def test_an_altered_pdf_is_not_genuine_and_the_record_is_only_secondary(
    client, certificate, issued_pdf, examiner
):
    certificate_revoke(certificate=certificate, actor=examiner, reason="Exam misconduct")
    response = upload(client, altered(issued_pdf), "c.pdf", "application/pdf")
    assert response.status_code == 422
    text = page(response)
    assert '<h2 id="result-heading">Result: NOT GENUINE</h2>' in text
    assert 'role="alert"><strong>NOT GENUINE</strong>' in text
    assert "This file does not match the certificate we issued" in text
    # the record's status is told in a sentence, never as the page's status banner
    assert "REVOKED" not in text and 'role="status"' not in text
    assert f"This file names certificate {certificate.display_code}, whose record says it was revoked" in text
    assert "Exam misconduct" in text and "but the file is not the one we issued" in text


@pytest.mark.django_db
def test_an_altered_pdf_of_a_valid_certificate_never_shows_valid(client, certificate, issued_pdf):
    text = page(upload(client, altered(issued_pdf), "c.pdf", "application/pdf"))
    assert "Result: NOT GENUINE" in text and "VALID" not in text and "status-ok" not in text
    assert "whose record says it is valid" in text and "but the file is not the one we issued" in text


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


def not_genuine(response, certificate, problem):
    """The page says NOT GENUINE as its result, with the problem, and names the certificate only
    as secondary information (never with its status banner)."""
    text = page(response)
    assert response.status_code == 422, text
    assert "Result: NOT GENUINE" in text and problem in text
    assert "VALID" not in text and 'role="status"' not in text
    assert f"This file names certificate {certificate.display_code}" in text
    return text


@pytest.mark.django_db
def test_an_ob2_png_baked_with_only_the_assertion_url_is_not_genuine(client, certificate):
    data = png_text_write(
        openbadges.badge_png(certificate.certification), "openbadges", openbadges.assertion_id(certificate)
    )
    not_genuine(upload(client, data, "badge.png"), certificate, "carries only the address of a badge")


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
    from certificates.upload_limits import MAX_UPLOAD_BYTES, size_words

    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    response = upload(client, b"%PDF-" + b"0" * MAX_UPLOAD_BYTES, "big.pdf")
    assert response.status_code == 413 and f"larger than {size_words(MAX_UPLOAD_BYTES)}" in page(response)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "head, limit, words",
    [
        (b"%PDF-1.7\n", "MAX_PDF_BYTES", "This PDF is larger than"),
        (b"<svg ", "MAX_SVG_BYTES", "This SVG image is larger than"),
    ],
)
def test_each_type_has_its_own_size_cap(client, certificate, head, limit, words):
    from certificates import upload_limits

    cap = getattr(upload_limits, limit)
    assert cap < upload_limits.MAX_UPLOAD_BYTES  # the handler reads it; the type's cap refuses it
    response = upload(client, head + b" " * cap, "big")
    assert response.status_code == 422
    assert f"{words} {upload_limits.size_words(cap)}" in page(response) and "Result: NOT GENUINE" in page(
        response
    )


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


# ---------------------------------------------------------------- the image is bound to the badge


def red_square(size=400):
    buffer = io.BytesIO()
    Image.new("RGBA", (size, size), "red").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.django_db
def test_an_ob2_assertion_with_a_field_the_old_check_ignored_changed_is_not_genuine(client, certificate):
    assertion = openbadges.assertion(certificate)
    assertion["evidence"] = "https://elsewhere.example/forged-evidence"
    data = png_text_write(
        openbadges.badge_png(certificate.certification), "openbadges", json.dumps(assertion)
    )
    not_genuine(upload(client, data, "badge.png"), certificate, "differs from the badge we issued")


@pytest.mark.django_db
def test_an_ob2_assertion_is_compared_as_canonical_json(client, certificate):
    reordered = json.dumps(openbadges.assertion(certificate), sort_keys=True, indent=2)
    data = png_text_write(openbadges.badge_png(certificate.certification), "openbadges", reordered)
    assert "Result: GENUINE" in page(upload(client, data, "badge.png"))


@pytest.mark.django_db
def test_an_ob2_assertion_with_a_repeated_key_is_refused(client, certificate):
    ours = json.dumps(openbadges.assertion(certificate))
    repeated = '{"recipient": {"identity": "sha256$forged"}, ' + ours[1:]  # the last one would win
    data = png_text_write(openbadges.badge_png(certificate.certification), "openbadges", repeated)
    text = page(upload(client, data, "badge.png"))
    assert "Result: NOT GENUINE" in text and "The badge in this image is damaged" in text


@pytest.mark.django_db
def test_our_ob2_assertion_baked_into_another_picture_is_not_genuine(client, certificate):
    data = png_text_write(red_square(), "openbadges", json.dumps(openbadges.assertion(certificate)))
    not_genuine(upload(client, data, "badge.png"), certificate, "copied into a picture that is not")


@pytest.mark.django_db
def test_our_ob2_assertion_baked_into_another_levels_badge_is_not_genuine(client, certificate):
    from tests.factories import CertificationFactory

    other_level = openbadges.badge_png(CertificationFactory(code="SOC", name="Service Operation"))
    data = png_text_write(other_level, "openbadges", json.dumps(openbadges.assertion(certificate)))
    not_genuine(upload(client, data, "badge.png"), certificate, "copied into a picture that is not")


@pytest.mark.django_db
def test_an_ob2_svg_baked_with_only_the_assertion_url_is_not_genuine(client, certificate):
    svg = openbadges.baked_svg(certificate)
    start, end = svg.index("<![CDATA["), svg.index("]]></openbadges:assertion>") + 3
    data = (svg[:start] + svg[end:]).encode()
    not_genuine(upload(client, data, "badge.svg"), certificate, "carries only the address of a badge")


@pytest.mark.django_db
def test_an_ob2_svg_with_a_redrawn_picture_is_not_genuine(client, certificate):
    svg = openbadges.baked_svg(certificate)
    colour = openbadges.badge_svg(certificate.certification).split('fill="', 1)[1].split('"', 1)[0]
    data = svg.replace(f'fill="{colour}"', 'fill="#000000"', 1).encode()
    assert data != svg.encode()
    not_genuine(upload(client, data, "badge.svg"), certificate, "copied into a picture that is not")


@pytest.mark.django_db
def test_an_ob2_svg_whose_verify_address_differs_from_its_assertion_is_not_genuine(client, certificate):
    svg = openbadges.baked_svg(certificate)
    data = svg.replace(f'verify="{openbadges.assertion_id(certificate)}"', 'verify="https://x.example/a"')
    not_genuine(upload(client, data.encode(), "badge.svg"), certificate, "differs from the badge we issued")


@pytest.mark.django_db
def test_an_ob3_credential_baked_into_another_picture_is_not_genuine(client, certificate, signing_key):
    from certificates.png_text import png_text_write as bake

    data = bake(red_square(), "openbadgecredential", openbadges_v3.credential_jwt(certificate))
    not_genuine(upload(client, data, "badge.png"), certificate, "copied into a picture that is not")


@pytest.mark.django_db
@pytest.mark.parametrize("proof", ["jwt", "di"])
def test_ob3_badges_we_issue_are_genuine_as_png_and_svg(client, certificate, signing_key, proof):
    for data, kind in (
        (openbadges_v3.baked_png(certificate, proof=proof), "png"),
        (openbadges_v3.baked_svg(certificate, proof=proof).encode(), "svg"),
    ):
        response = upload(client, data, f"badge.{kind}")
        assert response.status_code == 200, (kind, page(response))
        assert "Result: GENUINE" in page(response) and "verifies with our key" in page(response)


@pytest.mark.django_db
def test_an_edited_ob3_data_integrity_credential_is_not_genuine(client, certificate, signing_key):
    document = openbadges_v3.credential_with_proof(certificate)
    document["name"] = "Expert in everything"
    data = png_text_write(
        openbadges.badge_png(certificate.certification), "openbadgecredential", json.dumps(document)
    )
    not_genuine(upload(client, data, "badge.png"), certificate, "differs from the credential we issued")


@pytest.mark.django_db
def test_an_ob3_data_integrity_credential_with_a_forged_proof_is_not_genuine(
    client, certificate, signing_key
):
    document = openbadges_v3.credential_with_proof(certificate)
    document["proof"]["proofValue"] = "z" + "2" * 87
    data = png_text_write(
        openbadges.badge_png(certificate.certification), "openbadgecredential", json.dumps(document)
    )
    not_genuine(upload(client, data, "badge.png"), certificate, "not signed by us")


@pytest.mark.django_db
def test_the_data_integrity_proof_is_only_checked_on_our_own_credential(
    client, certificate, signing_key, monkeypatch
):
    """JSON-LD canonicalisation of a document an uploader shaped can take exponential time: it must
    never run unless the document (without its proof) is the credential we issue."""
    calls = []
    monkeypatch.setattr(openbadges_v3, "credential_document_verify", lambda d: calls.append(d))
    document = openbadges_v3.credential_with_proof(certificate)
    document["credentialSubject"]["extra"] = [{"a": {"b": {}}}] * 50
    data = png_text_write(
        openbadges.badge_png(certificate.certification), "openbadgecredential", json.dumps(document)
    )
    upload(client, data, "badge.png")
    assert calls == []


@pytest.mark.django_db
def test_a_badge_we_cannot_check_now_is_not_called_genuine_nor_forged(
    client, certificate, signing_key, settings
):
    data = openbadges_v3.baked_png(certificate)
    settings.CERTIFICATE_SIGNING_KEYS = '["not a key"]'  # the ring cannot be read: nothing can be checked
    response = upload(client, data, "badge.png")
    text = page(response)
    assert response.status_code == 503 and "Result: CANNOT BE CHECKED NOW" in text
    assert "NOT GENUINE" not in text and "Result: GENUINE" not in text
    settings.CERTIFICATE_SIGNING_KEYS, settings.CERTIFICATE_KEYS_DIR = "", ""  # no key configured at all
    assert upload(client, data, "badge.png").status_code == 503

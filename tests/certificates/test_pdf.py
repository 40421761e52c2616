import io

import pytest
from pypdf import PdfReader

from certificates.models import Certificate
from certificates.pdf import certificate_pdf_ensure, certificate_pdf_render

NAME = "Zoë Łukasiewicz Ελένη 王小明"


@pytest.fixture
def certificate(passed_attempt):
    c = Certificate.objects.get()
    Certificate.objects.filter(pk=c.pk).update(holder_name=NAME)
    c.refresh_from_db()
    return c


def _decode_qr(reader):
    import zxingcpp

    page = reader.pages[0]
    images = list(page.images)
    assert images, "the page carries the QR code as an image"
    return [r.text for img in images for r in zxingcpp.read_barcodes(img.image)]


@pytest.mark.django_db
def test_pdf_has_one_landscape_page_with_selectable_text_and_metadata(certificate, settings):
    reader = PdfReader(io.BytesIO(certificate_pdf_render(certificate)))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape
    text = " ".join(reader.pages[0].extract_text().split())
    for part in (
        "Zoë",
        "Łukasiewicz",
        "Ελένη",
        "王小明",
        "Test exam",
        certificate.display_code,
        f"/verify/{certificate.code}/",
    ):
        assert part in text, part
    meta = reader.metadata
    assert meta.title.startswith("Test exam") and meta.author == settings.ISSUING_BODY


@pytest.mark.django_db
def test_qr_code_decodes_to_the_verification_url(certificate, settings):
    reader = PdfReader(io.BytesIO(certificate_pdf_render(certificate)))
    assert _decode_qr(reader) == [f"{settings.SITE_URL}/verify/{certificate.code}/"]


@pytest.mark.django_db
def test_fonts_are_embedded(certificate):
    reader = PdfReader(io.BytesIO(certificate_pdf_render(certificate)))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    for ref in fonts.values():
        descriptor = ref.get_object().get("/FontDescriptor")
        if descriptor is None:
            descendant = ref.get_object()["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"]
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


@pytest.mark.django_db
def test_markup_in_a_name_is_printed_not_interpreted(certificate):
    Certificate.objects.filter(pk=certificate.pk).update(holder_name="<b>Bold</b> &amp; Co")
    certificate.refresh_from_db()
    text = PdfReader(io.BytesIO(certificate_pdf_render(certificate))).pages[0].extract_text()
    assert "<b>Bold</b> &amp; Co" in text


@pytest.mark.django_db
def test_holder_downloads_the_stored_pdf_and_others_get_404(client, learner, other_learner, certificate):
    client.force_login(other_learner)
    assert client.get(f"/me/certificates/{certificate.code}.pdf").status_code == 404
    client.force_login(learner)
    response = client.get(f"/me/certificates/{certificate.code}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    certificate.refresh_from_db()
    import hashlib

    assert hashlib.sha256(body).hexdigest() == certificate.pdf_sha256
    assert certificate_pdf_ensure(certificate) == certificate.pdf.name  # stored once, not re-rendered


@pytest.mark.django_db
def test_the_embedded_fonts_are_the_bundled_ones_not_the_systems(certificate):
    """Every font in the PDF comes from the bundled files loaded with @font-face (WeasyPrint names
    an embedded font after its @font-face family), none from the machine's own fonts."""
    reader = PdfReader(io.BytesIO(certificate_pdf_render(certificate)))
    names = set()
    for ref in reader.pages[0]["/Resources"]["/Font"].values():
        base = str(ref.get_object()["/BaseFont"]).lstrip("/")
        names.add(base.split("+", 1)[-1])  # a subset is named ABCDEF+Name
    assert names and all(n.startswith(("FitSM-Certificate-Sans", "FitSM-Certificate-CJK")) for n in names), (
        names
    )
    assert any(n.startswith("FitSM-Certificate-CJK") for n in names)  # the Chinese name is set in it


@pytest.mark.django_db
def test_a_right_to_left_name_is_printed_as_text(certificate):
    Certificate.objects.filter(pk=certificate.pk).update(holder_name="محمد שרה")
    certificate.refresh_from_db()
    text = PdfReader(io.BytesIO(certificate_pdf_render(certificate))).pages[0].extract_text()
    assert "محمد" in text or "دمحم" in text

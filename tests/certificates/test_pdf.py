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


def test_renders_one_after_another_each_carry_their_own_holder_and_qr_code(certificate, settings):
    """The font configuration and image cache are kept between renders; nothing of one
    certificate may reach the next."""
    first = PdfReader(io.BytesIO(certificate_pdf_render(certificate)))
    Certificate.objects.filter(pk=certificate.pk).update(
        holder_name="Ada Second", code=certificate.code[:-3] + "ZZ9"
    )
    certificate.refresh_from_db()

    second = PdfReader(io.BytesIO(certificate_pdf_render(certificate)))

    assert "Ada Second" in second.pages[0].extract_text()
    assert "Ada Second" not in first.pages[0].extract_text()
    assert _decode_qr(second) == [f"{settings.SITE_URL}/verify/{certificate.code}/"]


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


def _text(certificate):
    reader = PdfReader(io.BytesIO(certificate_pdf_render(certificate)))
    return reader, " ".join(reader.pages[0].extract_text().split())


@pytest.mark.django_db
def test_the_pdf_is_exactly_one_a4_landscape_page(certificate):
    reader, _ = _text(certificate)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    # A4 is 297 × 210 mm; PDF points are 1/72 inch.
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (297, 210)


@pytest.mark.django_db
def test_a_certificate_without_expiry_says_it_does_not_expire(certificate):
    assert certificate.expires_on is None
    _, text = _text(certificate)
    assert "Does not expire" in text and "Valid until" not in text


@pytest.mark.django_db
def test_the_validity_line_comes_from_the_certificates_expiry_date(certificate):
    import datetime

    Certificate.objects.filter(pk=certificate.pk).update(expires_on=datetime.date(2029, 12, 2))
    certificate.refresh_from_db()
    _, text = _text(certificate)
    assert "Valid until 2 Dec 2029" in text and "Does not expire" not in text
    Certificate.objects.filter(pk=certificate.pk).update(expires_on=datetime.date(2031, 5, 17))
    certificate.refresh_from_db()
    assert "Valid until 17 May 2031" in _text(certificate)[1]


@pytest.mark.django_db
def test_the_pdf_names_holder_certification_level_dates_number_and_bodies(certificate, settings):
    Certificate.objects.filter(pk=certificate.pk).update(
        organisation_name="Nordlicht IT Training", trainer_name="Tomas Berg"
    )
    certificate.certification.code = "SOC"
    certificate.certification.save(update_fields=["code"])
    certificate.refresh_from_db()
    _, text = _text(certificate)
    from accounts.timezones import day_format

    for part in (
        "This certifies that",
        "王小明",
        "has achieved the certification",
        "Test exam",
        "Level: Advanced",
        f"DATE OF ISSUE {day_format(certificate.issued_on)}",  # the labels are set in capitals
        certificate.display_code,
        settings.ISSUING_BODY,
        "Nordlicht IT Training",
        "Tomas Berg",
    ):
        assert part in text, part


@pytest.mark.django_db
def test_a_certification_outside_the_schemes_levels_prints_no_level_line(certificate):
    assert certificate.certification.code == "TST"
    assert "Level:" not in _text(certificate)[1]


@pytest.mark.django_db
def test_the_issuing_bodys_mark_is_drawn_on_the_certificate(certificate, tmp_path, monkeypatch):
    """The page paints the mark's gold (used nowhere else on the page); and whatever file is the
    mark is what the page draws: a stand-in of a colour of its own shows up in the PDF."""
    reader, _ = _text(certificate)
    assert b"0.94902 0.717647 0.019608 rg" in reader.pages[0].get_contents().get_data()

    stand_in = tmp_path / "mark.svg"
    stand_in.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="5" fill="#336699"/></svg>'
    )
    monkeypatch.setattr("certificates.pdf.mark_path", lambda: stand_in)
    content = PdfReader(io.BytesIO(certificate_pdf_render(certificate))).pages[0].get_contents().get_data()
    assert b"0.2 0.4 0.6 rg" in content and b"0.94902 0.717647 0.019608 rg" not in content


@pytest.mark.django_db
def test_a_very_long_name_still_fits_one_page(certificate):
    long_name = " ".join(["Maximiliane Alexandra von Hohenzollern-Sigmaringen"] * 6)
    Certificate.objects.filter(pk=certificate.pk).update(holder_name=long_name)
    certificate.refresh_from_db()
    reader, text = _text(certificate)
    assert len(reader.pages) == 1 and "Hohenzollern-Sigmaringen" in text and certificate.display_code in text

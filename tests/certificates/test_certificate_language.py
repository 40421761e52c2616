"""A certificate speaks the language the exam was taken in: its PDF (which says so), its Open
Badges 3.0 credential and achievement (`inLanguage`, names and descriptions), and it tells the
verification page's reader, in the reader's language, which language the exam was in."""

import io

import pytest
from django.utils import translation
from pypdf import PdfReader

from certificates import openbadges_v3
from certificates.models import Certificate
from certificates.pdf import certificate_pdf_render
from certificates.services import certificate_language
from exams.models import Attempt, Question
from tests.certificates.conftest import sit
from tests.exams.languages import translate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def german_certificate(registration, learner, now):
    from exams import services

    translate(Question.objects.filter(certification=registration.sitting.certification, purpose="exam"), "de")
    attempt, _ = services.attempt_begin(sitting=registration.sitting, user=learner, now=now, language="de")
    assert attempt.language == "de"
    sit(attempt, now, right=attempt.items.count())
    return Certificate.objects.get(attempt=attempt)


@pytest.fixture
def certificate(passed_attempt):
    return Certificate.objects.get()


def _gettext(language, text):
    with translation.override(language):
        return translation.gettext(text)


def test_the_certificate_takes_the_exams_language(german_certificate):
    assert german_certificate.language == "de"


def test_a_derived_certificate_takes_the_holders_language():
    holder = UserFactory(language="fr")
    assert certificate_language(user=holder, attempt=None) == "fr"
    assert certificate_language(user=UserFactory(language="pl"), attempt=None) == "en"  # not offered
    assert certificate_language(user=holder, attempt=Attempt(language="de")) == "de"


def test_the_pdf_is_in_the_certificates_language_and_names_the_exams_language(german_certificate):
    with translation.override("fr"):  # whoever renders it, and in whatever language
        text = " ".join(
            PdfReader(io.BytesIO(certificate_pdf_render(german_certificate))).pages[0].extract_text().split()
        )

    upper = text.upper()  # the labels are printed in capitals
    assert _gettext("de", "This certifies that").upper() in upper
    assert _gettext("de", "Exam taken in").upper() in upper and "DEUTSCH" in upper
    assert "THIS CERTIFIES THAT" not in upper
    assert len(PdfReader(io.BytesIO(certificate_pdf_render(german_certificate))).pages) == 1


def test_the_ob3_credential_and_its_achievement_are_in_the_certificates_language(client, german_certificate):
    credential = openbadges_v3.credential(german_certificate)
    achievement = credential["credentialSubject"]["achievement"]

    assert achievement["inLanguage"] == "de"
    assert achievement["id"].endswith(f"/ob/v3/achievements/{german_certificate.certification.code}/de")
    assert credential["evidence"][0]["description"] == _gettext(
        "de", "The public verification page of the certificate."
    )
    assert credential["evidence"][0]["description"] != "The public verification page of the certificate."
    assert openbadges_v3.schema_errors(credential) == []
    hosted = client.get(achievement["id"].split("127.0.0.1:8000")[-1]).json()
    assert {k: v for k, v in hosted.items() if k != "@context"} == achievement


def test_an_english_certificates_achievement_keeps_its_address(client, certificate):
    achievement = openbadges_v3.credential(certificate)["credentialSubject"]["achievement"]

    assert achievement["inLanguage"] == "en"
    assert achievement["id"].endswith(f"/ob/v3/achievements/{certificate.certification.code}")
    assert client.get(f"/ob/v3/achievements/{certificate.certification.code}/es").status_code == 404


def test_the_verification_page_says_in_the_readers_language_which_language_the_exam_was_in(
    client, german_certificate
):
    html = client.get(f"/verify/{german_certificate.code}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert _gettext("fr", "Exam taken in") in html
    assert "Allemand" in html  # German, named in French

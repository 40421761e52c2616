"""E-mails are written in their recipient's language (the profile's), whatever language the
page or task that sends them is in; someone without an account gets the sender's language."""

import pytest
from django.core import mail
from django.utils import translation

from accounts.languages import recipient_language
from certificates import emails as certificate_emails
from certificates.models import Certificate
from tests.certificates.conftest import sit

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(attempt, now):
    sit(attempt, now, right=attempt.items.count())
    return Certificate.objects.get()


@pytest.mark.parametrize(
    ("language", "subject"), [("de", "Ihr Zertifikat"), ("fr", "Votre certificat"), ("en", "Your")]
)
def test_the_certificate_e_mail_is_in_the_holders_language(certificate, language, subject):
    certificate.user.language = language
    certificate.user.save(update_fields=["language"])
    mail.outbox.clear()

    with translation.override("en"):  # the sender's side (a task) is in English
        certificate_emails.certificate_issued(certificate)

    message = mail.outbox[-1]
    assert message.subject.startswith(subject)
    with translation.override(language):
        link_text = translation.gettext("Your certificates")
    assert link_text in message.alternatives[0][0]
    assert link_text != "Your certificates" or language == "en"


def test_recipients_sharing_a_language_get_it_and_mixed_ones_keep_the_senders(learner, other_learner):
    learner.language, other_learner.language = "fr", "de"
    learner.save(update_fields=["language"])
    other_learner.save(update_fields=["language"])

    with translation.override("en"):
        with recipient_language([learner]) as language:
            assert (language, translation.get_language()) == ("fr", "fr")
        with recipient_language([learner.email, other_learner.email]) as language:
            assert translation.get_language() == "en"
        with recipient_language(["nobody@example.org"]):
            assert translation.get_language() == "en"
        assert translation.get_language() == "en"

"""Suspension, the public and the internal revocation reason, revocation of a voided attempt's
certificate, private certificate PDFs, and one certificate per passed attempt for good."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from certificates.models import Certificate
from certificates.services import (
    VOIDED_ATTEMPT_PUBLIC_REASON,
    certificate_issue,
    certificate_reinstate,
    certificate_revoke,
    certificate_suspend,
    certificate_unsuspend,
)
from exams import hooks


@pytest.fixture
def certificate(passed_attempt):
    return Certificate.objects.select_related("user", "certification").get()


def _cms(user):
    from django.test import Client

    from tests.conftest import mfa_login

    return mfa_login(Client(), user)


def _history(certificate):
    from certificates.selectors import certificate_history

    return [(e.action, e.reason) for e in certificate_history(certificate=certificate)]


# --- Suspension ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_suspended_certificate_is_shown_as_such_everywhere_and_is_valid_again_after(
    client, certificate, examiner, signing_key
):
    certificate_suspend(certificate=certificate, actor=examiner, reason="Complaint about the sitting")
    assert certificate.status == "suspended"
    page = client.get(f"/verify/{certificate.code}/").content.decode()
    assert "SUSPENDED" in page and "pending an investigation" in page
    assert "Complaint about the sitting" not in page  # the reason is internal
    body = client.get(f"/api/v1/certificates/{certificate.code}").json()
    assert body["status"] == "suspended" and body["suspended_on"] and body["revocation_reason"] is None
    client.force_login(certificate.user)
    wallet = client.get("/me/certificates/").content.decode()
    assert "Suspended" in wallet and f"/ob/v3/credentials/{certificate.uuid}.png" not in wallet
    # Open Badges 2.0 has no suspension: revoked while it lasts.
    assert client.get(f"/ob/v2/assertions/{certificate.uuid}").status_code == 410
    listed = client.get("/ob/v2/revocations").json()["revokedAssertions"]
    assert [r["revocationReason"] for r in listed] == ["Suspended pending an investigation."]

    certificate_unsuspend(certificate=certificate, actor=examiner, reason="Investigation closed")
    assert certificate.status == "valid"
    assert "VALID" in client.get(f"/verify/{certificate.code}/").content.decode()
    assert client.get(f"/api/v1/certificates/{certificate.code}").json()["status"] == "valid"
    assert client.get(f"/ob/v2/assertions/{certificate.uuid}").status_code == 200
    assert client.get("/ob/v2/revocations").json()["revokedAssertions"] == []
    assert _history(certificate)[:2] == [
        ("certificate.unsuspended", "Investigation closed"),
        ("certificate.suspended", "Complaint about the sitting"),
    ]


@pytest.mark.django_db
def test_a_suspended_certificate_does_not_count_as_a_prerequisite(certificate, examiner):
    user, certification = certificate.user, certificate.certification
    assert hooks.holds_certification(user, certification)
    certificate_suspend(certificate=certificate, actor=examiner, reason="Investigation")
    assert not hooks.holds_certification(user, certification)
    certificate_unsuspend(certificate=certificate, actor=examiner, reason="Cleared")
    assert hooks.holds_certification(user, certification)


@pytest.mark.django_db
def test_suspension_changes_are_guarded(certificate, examiner):
    with pytest.raises(ValueError, match="reason"):
        certificate_suspend(certificate=certificate, actor=examiner, reason=" ")
    with pytest.raises(ValueError, match="not suspended"):
        certificate_unsuspend(certificate=certificate, actor=examiner, reason="x")
    stale = Certificate.objects.get(pk=certificate.pk)
    certificate_suspend(certificate=certificate, actor=examiner, reason="First")
    with pytest.raises(ValueError, match="neither revoked nor suspended"):
        certificate_suspend(certificate=stale, actor=examiner, reason="Second")  # the UPDATE is conditional
    # Revoking a suspended certificate ends the suspension in the same row change.
    certificate_revoke(certificate=certificate, actor=examiner, reason="Misconduct confirmed")
    assert certificate.suspended_at is None and certificate.status == "revoked"
    with pytest.raises(ValueError, match="neither revoked nor suspended"):
        certificate_suspend(certificate=certificate, actor=examiner, reason="Again")
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.filter(pk=certificate.pk).update(
            suspended_at=certificate.revoked_at, suspension_reason="x"
        )


@pytest.mark.django_db
def test_examiners_suspend_and_unsuspend_in_the_cms_by_post_only(certificate, examiner, learner):
    cms = _cms(examiner)
    url = f"/cms/certificates/{certificate.pk}/"
    assert cms.get(f"{url}suspend/").status_code == 405
    assert cms.post(f"{url}suspend/", {"reason": ""}).status_code == 400
    assert _cms(learner).post(f"{url}suspend/", {"reason": "x"}).status_code in (302, 403)
    certificate.refresh_from_db()
    assert certificate.suspended_at is None
    assert cms.post(f"{url}suspend/", {"reason": "Complaint received", "confirmed": "yes"}).status_code == 302
    certificate.refresh_from_db()
    assert certificate.suspended_by == examiner and certificate.status == "suspended"
    page = cms.get(url).content.decode()
    assert "SUSPENDED" in page and "Complaint received" in page and "Lift the suspension" in page
    assert cms.get(f"{url}unsuspend/").status_code == 405
    assert cms.post(f"{url}unsuspend/", {"reason": "Closed"}).status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == "valid"


# --- Public and internal reasons --------------------------------------------------------------


@pytest.mark.django_db
def test_the_internal_revocation_reason_is_for_examiners_only(
    client, certificate, examiner, signing_key, django_capture_on_commit_callbacks
):
    cms = _cms(examiner)
    with django_capture_on_commit_callbacks(execute=True):
        response = cms.post(
            f"/cms/certificates/{certificate.pk}/revoke/",
            {
                "reason": "Exam rules were broken.",
                "internal_reason": "Invigilator report 2026-17: phone in use",
                "confirmed": "yes",
            },
        )
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.revocation_reason == "Exam rules were broken."
    assert certificate.revocation_reason_internal == "Invigilator report 2026-17: phone in use"
    secret = "phone in use"
    public = [
        client.get(f"/verify/{certificate.code}/").content.decode(),
        client.get(f"/api/v1/certificates/{certificate.code}").content.decode(),
        client.get("/ob/v2/revocations").content.decode(),
        client.get(f"/ob/v2/assertions/{certificate.uuid}").content.decode(),
        client.get("/ob/v3/status/revocation.json").content.decode(),
        *(m.body + "".join(str(a[0]) for a in getattr(m, "alternatives", [])) for m in mail.outbox),
    ]
    assert all("Exam rules were broken." in text for text in public[:4])
    assert not any(secret in text for text in public)
    assert mail.outbox and any("Exam rules were broken." in text for text in public[5:])
    examiner_page = cms.get(f"/cms/certificates/{certificate.pk}/").content.decode()
    assert secret in examiner_page and "Exam rules were broken." in examiner_page
    # Reinstating clears both reasons.
    from tests.factories import UserFactory

    other = UserFactory(email="second@test.example")
    from accounts.roles import EXAMINER, role_add

    role_add(other, EXAMINER)
    certificate_reinstate(certificate=certificate, actor=other, reason="Appeal upheld")
    assert certificate.revocation_reason == certificate.revocation_reason_internal == ""


# --- Voiding a graded attempt -----------------------------------------------------------------


@pytest.mark.django_db
def test_voiding_the_attempt_revokes_its_certificate_in_the_same_transaction(
    certificate, passed_attempt, examiner, now
):
    from exams import services as exam_services

    exam_services.attempt_void(attempt=passed_attempt, actor=examiner, reason="Impersonation proven", now=now)
    certificate.refresh_from_db()
    assert certificate.status == "revoked"
    assert certificate.revocation_reason == VOIDED_ATTEMPT_PUBLIC_REASON
    assert "Impersonation proven" in certificate.revocation_reason_internal
    assert certificate.revoked_by == examiner
    assert not hooks.holds_certification(certificate.user, certificate.certification)


@pytest.mark.django_db
def test_when_revoking_fails_the_void_is_rolled_back_too(
    certificate, passed_attempt, examiner, now, monkeypatch
):
    from certificates import services as certificate_services
    from exams import services as exam_services
    from exams.models import Attempt

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(certificate_services, "certificate_revoke", broken)
    with pytest.raises(RuntimeError):
        exam_services.attempt_void(attempt=passed_attempt, actor=examiner, reason="x", now=now)
    passed_attempt.refresh_from_db()
    certificate.refresh_from_db()
    assert passed_attempt.state != Attempt.State.VOIDED and certificate.revoked_at is None


# --- Private PDFs -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.urls("tests.certificates.media_urls")
def test_certificate_pdfs_are_never_under_public_media(client, certificate, settings, tmp_path):
    from certificates.pdf import certificate_pdf_ensure
    from certificates.storage import private_storage

    media = tmp_path / "media"
    settings.MEDIA_ROOT = str(media)
    name = certificate_pdf_ensure(certificate)
    stored = Path(private_storage.path(name)).resolve()
    assert stored.is_file() and media.resolve() not in stored.parents
    assert not (media / name).exists()
    assert client.get(f"/media/{name}").status_code == 404
    assert certificate.pdf.storage.path(name) == str(stored)
    # The same route does serve what is in public media: the 404 above is the storage's doing.
    (media / "certificates").mkdir(parents=True)
    (media / "certificates" / "public.txt").write_text("public")
    assert client.get("/media/certificates/public.txt").status_code == 200
    # The holder's view serves it, to the holder only.
    client.force_login(certificate.user)
    response = client.get(f"/me/certificates/{certificate.code}.pdf")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")
    assert "no-store" in response["Cache-Control"]
    from tests.factories import UserFactory

    client.force_login(UserFactory(email="stranger@test.example"))
    assert client.get(f"/me/certificates/{certificate.code}.pdf").status_code == 404


def test_on_s3_pdfs_are_private_with_expiring_signed_urls(settings):
    from certificates import storage

    settings.AWS_STORAGE_BUCKET_NAME = "fitsm-media"
    built = storage._build()
    assert built.location == "private/certificates" and built.default_acl == "private"
    assert built.querystring_auth is True and built.querystring_expire == storage.PDF_URL_LIFETIME_SECONDS


@pytest.mark.django_db
def test_the_migration_moves_existing_pdfs_out_of_public_media(certificate, tmp_path):
    from importlib import import_module

    from django.apps import apps
    from django.core.files.base import ContentFile
    from django.core.files.storage import FileSystemStorage

    from certificates.storage import private_storage

    public = FileSystemStorage(location=tmp_path / "media")
    name = public.save(f"certificates/{certificate.uuid}.pdf", ContentFile(b"%PDF-1.7 old"))
    Certificate.objects.filter(pk=certificate.pk).update(pdf=name)
    migration = import_module("certificates.migrations.0003_suspension_public_reason_private_pdfs")
    import django.core.files.storage as storage_module

    original = storage_module.default_storage
    storage_module.default_storage = public
    try:
        migration.move_pdfs_out_of_public_media(apps, None)
    finally:
        storage_module.default_storage = original
    assert not public.exists(name)
    certificate.refresh_from_db()
    with private_storage.open(certificate.pdf.name, "rb") as handle:
        assert handle.read() == b"%PDF-1.7 old"


# --- One certificate per passed attempt, for good ----------------------------------------------


@pytest.mark.django_db
def test_a_revoked_certificates_attempt_can_never_earn_another(certificate, passed_attempt, examiner, now):
    """The database refuses a second certificate for the same attempt even once the first is revoked
    (the one-per-person-and-certification rule no longer applies then): only a one-to-one link does."""
    certificate_revoke(certificate=certificate, actor=examiner, reason="Misconduct")
    assert certificate_issue(attempt=passed_attempt, now=now + timedelta(minutes=1)) == certificate
    assert Certificate.objects.filter(attempt=passed_attempt).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(
            code="ABCDEFGHJK2",
            status_index=certificate.status_index + 1,
            user=certificate.user,
            certification=certificate.certification,
            attempt=passed_attempt,
            holder_name=certificate.holder_name,
            certification_name=certificate.certification_name,
            issued_on=certificate.issued_on,
        )
    # Without the attempt, the same row is allowed: the refusal above is the attempt link's doing.
    Certificate.objects.create(
        code="ABCDEFGHJK3",
        status_index=certificate.status_index + 2,
        user=certificate.user,
        certification=certificate.certification,
        holder_name=certificate.holder_name,
        certification_name=certificate.certification_name,
        issued_on=certificate.issued_on,
    )

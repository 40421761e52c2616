"""Sittings and vouchers in the CMS go through exams.services: validated and audited."""

import pytest
from django.utils import timezone

from accounts.models import AuditEntry
from exams.models import Sitting, Voucher
from tests.conftest import mfa_login

pytestmark = pytest.mark.django_db


def test_a_sitting_created_in_the_cms_gets_a_code_and_an_audit_entry(client, examiner, certification):
    mfa_login(client, examiner)
    response = client.post(
        "/cms/sitting/new/",
        {"certification": certification.pk, "kind": "scheduled", "title": "Room 4", "access_code": ""},
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    sitting = Sitting.objects.get(title="Room 4")
    assert len(sitting.access_code) >= 12
    assert AuditEntry.objects.filter(action="sitting.created", target_id=str(sitting.pk)).exists()


def test_a_candidate_cannot_be_made_invigilator_through_the_cms(
    client, examiner, sitting, registration, learner
):
    sitting.state = Sitting.State.DRAFT
    sitting.save(update_fields=["state"])
    mfa_login(client, examiner)
    response = client.post(
        f"/cms/sitting/edit/{sitting.pk}/",
        {"title": sitting.title, "invigilators": [learner.pk], "access_code": "", "certification": sitting.certification_id, "kind": sitting.kind},
    )  # fmt: skip
    assert response.status_code == 200 and "registered as a candidate" in response.content.decode()
    assert not sitting.invigilators.filter(pk=learner.pk).exists()


def test_an_open_sitting_cannot_be_edited_in_the_cms(client, examiner, sitting):
    mfa_login(client, examiner)
    response = client.post(
        f"/cms/sitting/edit/{sitting.pk}/",
        {
            "title": "Renamed",
            "access_code": "",
            "certification": sitting.certification_id,
            "kind": sitting.kind,
        },
    )
    assert response.status_code == 200 and "has not opened yet" in response.content.decode()
    sitting.refresh_from_db()
    assert sitting.title != "Renamed"


def test_vouchers_are_created_through_the_service_and_never_edited_or_deleted(
    client, examiner, certification
):
    mfa_login(client, examiner)
    valid_until = (timezone.now() + timezone.timedelta(days=30)).date().isoformat()
    client.post(
        "/cms/voucher/new/",
        {"certification": certification.pk, "valid_until": valid_until, "issued_to": "x@y.z"},
    )
    voucher = Voucher.objects.get(issued_to="x@y.z")
    assert AuditEntry.objects.filter(action="voucher.created", target_id=str(voucher.pk)).exists()
    client.post(
        f"/cms/voucher/edit/{voucher.pk}/",
        {"certification": certification.pk, "valid_until": "2099-01-01", "issued_to": "a@b.c"},
    )
    client.post(f"/cms/voucher/delete/{voucher.pk}/")
    voucher.refresh_from_db()
    assert voucher.issued_to == "x@y.z"

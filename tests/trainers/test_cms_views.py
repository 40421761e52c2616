from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.utils import timezone

from tests.conftest import mfa_login
from trainers.models import Accreditation

from .factories import OrganisationFactory, TrainerProfileFactory

pytestmark = pytest.mark.django_db


def _mfa(user):
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})


@pytest.fixture
def cms(client, examiner_user):
    return mfa_login(client, examiner_user)


def test_examiner_records_an_application_and_accredits_it(cms, certification, examiner_user):
    org = OrganisationFactory()
    response = cms.post(
        "/cms/training/accreditations/apply/", {"organisation": org.pk, "certification": certification.pk}
    )
    acc = Accreditation.objects.get(organisation=org)
    assert response.status_code == 302 and acc.status == "applied"
    today = timezone.localdate()
    url = f"/cms/training/accreditations/{acc.pk}/decide/"
    response = cms.post(
        url,
        {
            "action": "accredit",
            "valid_from": today.isoformat(),
            "valid_until": (today + timedelta(days=365)).isoformat(),
            "notes": "Audit passed",
        },
    )
    assert response.status_code == 302
    acc.refresh_from_db()
    assert acc.status == "accredited" and acc.decided_by == examiner_user
    page = cms.get(url).content.decode()
    assert "applied → accredited" in page and "Audit passed" in page


def test_a_refused_decision_shows_the_reason_and_changes_nothing(cms, certification):
    trainer = TrainerProfileFactory()
    cms.post(
        "/cms/training/accreditations/apply/", {"trainer": trainer.pk, "certification": certification.pk}
    )
    acc = Accreditation.objects.get(trainer=trainer)
    today = timezone.localdate().isoformat()
    response = cms.post(
        f"/cms/training/accreditations/{acc.pk}/decide/",
        {"action": "accredit", "valid_from": today, "valid_until": today},
    )
    assert response.status_code == 200
    assert "does not hold a valid" in response.content.decode()
    acc.refresh_from_db()
    assert acc.status == "applied"


def test_the_apply_form_needs_exactly_one_party(cms, certification):
    response = cms.post("/cms/training/accreditations/apply/", {"certification": certification.pk})
    assert response.status_code == 200 and "either an organisation or a trainer" in response.content.decode()
    assert not Accreditation.objects.exists()


def test_accreditation_listing_is_read_only(cms, org_a):
    assert cms.get("/cms/training/accreditations/list/").status_code == 200
    assert cms.get("/cms/training/accreditations/list/new/").status_code in (302, 403)
    acc = org_a.accreditations.get()
    assert cms.get(f"/cms/training/accreditations/list/edit/{acc.pk}/").status_code in (302, 403)


def test_organisations_and_trainer_snippets_are_managed_in_the_cms(cms, trainer_a):
    assert "Alpha Training" in cms.get("/cms/training/organisations/").content.decode()
    assert cms.get("/cms/snippets/trainers/trainerprofile/").status_code == 200
    edit = cms.get(f"/cms/snippets/trainers/trainerprofile/edit/{trainer_a.pk}/")
    assert edit.status_code == 200


def test_trainer_snippet_preview_renders_the_public_page(cms, trainer_a):
    url = f"/cms/snippets/trainers/trainerprofile/preview/{trainer_a.pk}/"
    data = {
        "user": trainer_a.user_id,
        "slug": trainer_a.slug,
        "display_name": "Preview Name",
        "languages": "en,fr",
        "bio": "Teaches FitSM.",
    }
    assert cms.post(url, data).json()["is_valid"] is True
    page = cms.get(url).content.decode()
    assert "Preview Name" in page and "ACCREDITED" in page


def test_non_examiners_cannot_reach_the_training_admin(client, trainer_a, admin_a):
    for user in (trainer_a.user, admin_a):
        mfa_login(client, user)
        for path in (
            "/cms/training/accreditations/apply/",
            "/cms/training/organisations/",
            "/cms/training/vouchers/",
        ):
            assert client.get(path).status_code in (302, 403), path


def test_examiner_allocates_vouchers_to_an_organisation(cms, org_a, certification):
    response = cms.post(
        "/cms/training/vouchers/",
        {
            "organisation": org_a.pk,
            "certification": certification.pk,
            "count": 3,
            "valid_until": (timezone.now() + timedelta(days=90)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    assert org_a.vouchers.count() == 3
    assert {v.voucher.issued_to for v in org_a.vouchers.select_related("voucher")} == {"Alpha Training"}


def test_organisation_edits_in_the_cms_keep_the_rules_and_are_audited(cms, org_b, examiner_user):
    ato = org_b
    from accounts.models import AuditEntry

    data = {"name": ato.name, "slug": ato.slug, "kind": "affiliate", "country": ato.country}
    response = cms.post(f"/cms/training/organisations/edit/{ato.pk}/", data)
    assert (
        response.status_code == 200
        and "An affiliate must name its sponsoring ATO" in response.content.decode()
    )
    ato.refresh_from_db()
    assert ato.kind == "ato"
    cms.post(f"/cms/training/organisations/edit/{ato.pk}/", data | {"kind": "ato", "name": "Renamed Academy"})
    ato.refresh_from_db()
    assert ato.name == "Renamed Academy"
    assert AuditEntry.objects.filter(action="organisation.updated", actor=examiner_user).exists()
    cms.post(f"/cms/training/organisations/delete/{ato.pk}/")
    assert type(ato).objects.filter(pk=ato.pk).exists()

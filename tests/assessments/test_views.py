import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments import services
from assessments.models import Evidence, Score
from tests.assessments.conftest import item, score_all
from tests.conftest import login

pytestmark = pytest.mark.django_db


def urls(assessment):
    a = assessment.pk
    return [
        f"/assessments/providers/{assessment.provider.slug}/",
        f"/assessments/{a}/",
        f"/assessments/{a}/scope/",
        f"/assessments/{a}/requirements/PR3/",
        f"/assessments/{a}/results/",
        f"/assessments/{a}/export.csv",
    ]


def test_signed_out_visitors_are_sent_to_sign_in(client, assessment):
    for url in urls(assessment):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_outsiders_get_404_for_everything_of_a_provider(client, assessment, outsider):
    login(client, outsider)
    for url in urls(assessment):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/assessments/{assessment.pk}/requirements/PR3/", {}).status_code == 404


def test_members_and_examiners_read_every_page(client, assessment, viewer, examiner):
    for user in (viewer, examiner):
        login(client, user)
        for url in urls(assessment):
            assert client.get(url).status_code == 200, (user, url)


def test_a_viewer_gets_403_when_scoring_or_managing(client, assessment, viewer):
    login(client, viewer)
    pr = item("PR3.1")
    assert (
        client.post(f"/assessments/{assessment.pk}/requirements/PR3/", {f"score-{pr.pk}": "2"}).status_code
        == 403
    )
    assert client.post(f"/assessments/{assessment.pk}/submit/").status_code == 403
    assert client.post(f"/assessments/{assessment.pk}/scope/", {}).status_code == 403
    assert client.post(f"/assessments/providers/{assessment.provider.slug}/invite/", {}).status_code == 403
    assert not Score.objects.exists()


def test_examiners_read_but_do_not_score(client, assessment, examiner):
    login(client, examiner)
    pr = item("PR3.1")
    assert (
        client.post(f"/assessments/{assessment.pk}/requirements/PR3/", {f"score-{pr.pk}": "2"}).status_code
        == 403
    )


def test_the_scoring_page_shows_radios_with_descriptors_and_saves_by_a_normal_post(
    client, assessment, assessor
):
    login(client, assessor)
    url = f"/assessments/{assessment.pk}/requirements/PR3/"
    page = client.get(url).content.decode()
    pr = item("PR3.1")
    assert "<fieldset" in page and "<legend>Score for PR3.1</legend>" in page
    assert f'id="score-{pr.pk}-4"' in page
    if pr.descriptors:
        assert pr.descriptors["4"] in page.replace("&#x27;", "'").replace("&quot;", '"').replace("&amp;", "&")
    response = client.post(
        url, {f"score-{pr.pk}": "2", f"comment-{pr.pk}": "Monthly report only", f"base-{pr.pk}": "0"}
    )
    assert response.status_code == 302
    stored = Score.objects.get()
    assert (stored.item, stored.score, stored.comment, stored.changed_by) == (
        pr,
        2,
        "Monthly report only",
        assessor,
    )
    assert "Last changed by assessor@provider.example" in client.get(url).content.decode()


def test_the_overview_shows_progress(client, assessment, owner):
    services.assessment_score_save(assessment=assessment, item=item("GR1.1"), score=3, seq=1, actor=owner)
    login(client, owner)
    page = client.get(f"/assessments/{assessment.pk}/").content.decode()
    assert "1 of 82 items in scope scored" in page


def test_the_owner_sets_scope_through_the_page_and_errors_show_at_the_field(client, assessment, owner):
    login(client, owner)
    data = {f"{r}-target": "3" for r in [f"GR{n}" for n in range(1, 8)] + [f"PR{n}" for n in range(1, 15)]}
    data |= {f"PR{n}-in_scope": "on" for n in range(1, 15) if n != 4}
    response = client.post(f"/assessments/{assessment.pk}/scope/", data)
    assert response.status_code == 200
    assert "say why this process is out of scope" in response.content.decode()
    data["PR4-reason"] = "No configuration items of our own"
    assert client.post(f"/assessments/{assessment.pk}/scope/", data).status_code == 302
    assert not assessment.scope.get(requirement__code="PR4").in_scope


def test_register_a_provider_and_create_an_assessment_through_the_pages(client, outsider, instrument):
    login(client, outsider)
    response = client.post(
        "/assessments/providers/new/", {"name": "Green Ops", "country": "FR", "slug": "", "website": ""}
    )
    assert response.status_code == 302 and response["Location"] == "/assessments/providers/green-ops/"
    response = client.post("/assessments/providers/green-ops/new/", {"title": "First look"})
    assert response.status_code == 302 and response["Location"].endswith("/scope/")


def test_csv_export_has_one_row_per_item(client, assessment, owner):
    score_all(assessment, owner, value=4, overrides={"PR3.2": 1})
    services.assessment_score_save(
        assessment=assessment, item=item("PR3.2"), score=1, seq=10**6, comment="=SUM(A1)", actor=owner
    )
    login(client, owner)
    response = client.get(f"/assessments/{assessment.pk}/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["requirement", "item", "in_scope", "target", "score", "gap", "comment"]
    assert len(rows) == 83
    pr32 = next(r for r in rows if r[1] == "PR3.2")
    assert pr32 == ["PR3", "PR3.2", "yes", "3", "1", "2", "'=SUM(A1)"]


def test_the_pdf_report_renders_with_text(client, assessment, owner):
    from pypdf import PdfReader

    score_all(assessment, owner, value=3)
    login(client, owner)
    response = client.get(f"/assessments/{assessment.pk}/report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "2026 baseline" in text and "Acme IT Services" in text and "FitSM Plus" in text
    assert "PR14" in text


def test_evidence_files_are_checked_stored_privately_and_served_to_members_only(
    client, assessment, assessor, outsider, settings, tmp_path
):
    settings.CERTIFICATE_PDF_ROOT = str(tmp_path)
    from django.utils.functional import empty

    from certificates.storage import private_storage

    private_storage._wrapped = empty  # built again with the setting of this test
    login(client, assessor)
    pr = item("PR3.1")
    url = f"/assessments/{assessment.pk}/items/{pr.pk}/evidence/"
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), content_type="application/pdf")
    client.post(url, {"file": big})
    exe = SimpleUploadedFile("tool.exe", b"MZ....", content_type="application/octet-stream")
    response = client.post(url, {"file": exe}, follow=True)
    assert "This kind of file is not accepted" in response.content.decode()
    assert not Evidence.objects.exists()
    good = SimpleUploadedFile("report.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    client.post(url, {"file": good})
    evidence = Evidence.objects.get()
    assert evidence.file.startswith("assessments/") and (tmp_path / evidence.file).exists()
    download = f"/assessments/{assessment.pk}/evidence/{evidence.pk}/"
    assert client.get(download).status_code == 200
    login(client, outsider)
    assert client.get(download).status_code == 404
    private_storage._wrapped = empty


def test_a_link_is_added_as_evidence(client, assessment, assessor):
    login(client, assessor)
    pr = item("PR3.1")
    client.post(
        f"/assessments/{assessment.pk}/items/{pr.pk}/evidence/", {"url": "https://wiki.example/reports"}
    )
    assert Evidence.objects.get().url == "https://wiki.example/reports"


def test_the_results_page_shows_chart_table_gaps_and_readiness(client, assessment, owner):
    score_all(assessment, owner, value=4, overrides={"PR6.1": 1})
    login(client, owner)
    page = client.get(f"/assessments/{assessment.pk}/results/").content.decode()
    assert 'role="img"' in page and '<title id="score-chart-title">' in page
    assert "configured" in page and "FitSM Essentials" in page and "not ready yet" in page
    assert "PR6.1" in page


def test_an_invitation_is_accepted_through_its_page(client, provider, owner):
    from tests.factories import UserFactory

    invitation = services.provider_invite(
        provider=provider, email="join@colleague.example", role="viewer", actor=owner
    )
    url = f"/assessments/invitations/{invitation.token}/"
    assert client.get(url).status_code == 302  # sign in first
    login(client, UserFactory(email="join@colleague.example"))
    assert "Accept the invitation" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert client.get(f"/assessments/providers/{provider.slug}/").status_code == 200


def test_the_last_owner_cannot_be_removed_through_the_page(client, provider, owner):
    from assessments.models import ProviderMembership

    login(client, owner)
    own = ProviderMembership.objects.get(provider=provider, user=owner)
    response = client.post(f"/assessments/providers/{provider.slug}/members/{own.pk}/remove/", follow=True)
    assert "at least one SMS owner" in response.content.decode()
    assert ProviderMembership.objects.filter(pk=own.pk).exists()


def test_the_self_assessment_home_leads_auditors_and_examiners_to_their_certification_work(
    client, owner, auditor, examiner
):
    audits, applications = "/assessments/audits/", "/assessments/applications/"
    client.force_login(owner)
    page = client.get("/assessments/").content.decode()
    assert audits not in page and applications not in page
    client.force_login(auditor)
    page = client.get("/assessments/").content.decode()
    assert audits in page and applications not in page
    client.force_login(examiner)
    assert applications in client.get("/assessments/").content.decode()

"""The certification pages: who sees an application (404 for outsiders), which role may take which
step (403 otherwise), POST-only changes with CSRF, and the whole journey through the views."""

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import CertificationApplication, CertificationGrant, Finding

from .conftest import audit_started, item, score_all

pytestmark = pytest.mark.django_db
APP = CertificationApplication.State


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _url(name, *args):
    return reverse(f"assessments:{name}", args=args)


def test_outsiders_get_404_and_members_auditor_examiner_see_it(
    application, outsider, owner, viewer, examiner, auditor
):
    url = _url("application", application.pk)
    assert _client(outsider).get(url).status_code == 404
    assert _client(auditor).get(url).status_code == 404  # not assigned yet
    for person in (owner, viewer, examiner):
        assert _client(person).get(url).status_code == 200
    audit_started(application, examiner, auditor)
    assert _client(auditor).get(url).status_code == 200


def test_anonymous_is_sent_to_sign_in(application):
    response = Client().get(_url("application", application.pk))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_wrong_roles_get_403(application, owner, viewer, examiner, auditor):
    a = application.pk
    assert _client(viewer).post(_url("application_withdraw", a)).status_code == 403
    assert _client(owner).post(_url("application_assign", a), {"auditor": auditor.pk}).status_code == 403
    assert _client(owner).post(_url("application_decide", a), {"outcome": "granted"}).status_code == 403
    assert _client(examiner).post(_url("application_declare", a), {"declaration": "none"}).status_code == 403
    assert _client(examiner).post(_url("finding_add", a)).status_code == 403
    assert _client(owner).get(_url("applications")).status_code == 403
    assert _client(owner).get(_url("my_audits")).status_code == 403
    assert _client(viewer).get(_url("application_new", application.provider.slug)).status_code == 403


def test_state_changes_are_post_only(application, owner, examiner):
    assert _client(owner).get(_url("application_withdraw", application.pk)).status_code == 405
    assert _client(examiner).get(_url("application_assign", application.pk)).status_code == 405
    application.refresh_from_db()
    assert application.state == APP.SUBMITTED


def test_posts_without_csrf_token_are_refused(application, owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert client.post(_url("application_withdraw", application.pk)).status_code == 403
    application.refresh_from_db()
    assert application.state == APP.SUBMITTED


def test_owner_applies_on_the_page(provider, owner, instrument):
    from assessments.models import CertificationLevel

    client = _client(owner)
    page = client.get(_url("application_new", provider.slug))
    assert page.status_code == 200 and b"Scope statement" in page.content
    level = CertificationLevel.objects.get(code="plus")
    refused = client.post(_url("application_new", provider.slug), {"level": level.pk, "scope_statement": ""})
    assert refused.status_code == 200 and not CertificationApplication.objects.exists()
    response = client.post(
        _url("application_new", provider.slug), {"level": level.pk, "scope_statement": "All our services"}
    )
    application = CertificationApplication.objects.get()
    assert response.status_code == 302 and response["Location"].startswith(
        _url("application", application.pk)
    )
    assert application.level == level and application.applied_by == owner


def test_the_whole_journey_through_the_pages(application, owner, examiner, second_examiner, auditor):
    a = application.pk
    examiner_page = _client(examiner).get(_url("application", a))
    assert auditor.email.encode() in examiner_page.content
    _client(examiner).post(_url("application_assign", a), {"auditor": auditor.pk})
    auditor_client = _client(auditor)
    assert b"Conflict of interest" in auditor_client.get(_url("application", a)).content
    auditor_client.post(_url("application_declare", a), {"declaration": "none"})
    application.refresh_from_db()
    assert application.state == APP.AUDIT_IN_PROGRESS
    auditor_client.post(
        _url("plan_add", a), {"day": "2026-05-04", "location": "Berlin", "interviewees": "SMS owner"}
    )
    assert application.plan_entries.count() == 1
    auditor_client.post(
        _url("finding_add", a),
        {"item": item("PR6.1").pk, "kind": "minor", "description": "No review", "evidence": "Records"},
    )
    finding = Finding.objects.get()
    _client(owner).post(_url("finding_answer", a, finding.pk), {"text": "Weekly review"})
    auditor_client.post(_url("finding_review", a, finding.pk), {"review": "accept"})
    finding.refresh_from_db()
    assert finding.state == Finding.State.CLOSED
    score_all(application.audit_assessment, auditor)
    auditor_client.post(_url("audit_complete", a), {"recommendation": "granted", "notes": "Good"})
    application.refresh_from_db()
    assert application.state == APP.AUDIT_COMPLETED
    # the auditor (even if an examiner) sees no decision form; another examiner decides
    assert b"Record the decision" not in auditor_client.get(_url("application", a)).content
    page = _client(second_examiner).get(_url("application", a))
    assert b"Record the decision" in page.content and b"Readiness of the audit" in page.content
    _client(second_examiner).post(_url("application_decide", a), {"outcome": "granted", "reasons": "Met"})
    application.refresh_from_db()
    assert (
        application.state == APP.DECIDED
        and CertificationGrant.objects.filter(application=application).exists()
    )
    assert b"Granted at the level applied for" in _client(owner).get(_url("application", a)).content


def test_a_refused_step_shows_its_detail_and_changes_nothing(application, examiner, owner):
    from tests.factories import UserFactory

    stranger = UserFactory()
    response = _client(examiner).post(
        _url("application_assign", application.pk), {"auditor": stranger.pk}, follow=True
    )
    assert b"no active, unexpired auditor accreditation" in response.content
    application.refresh_from_db()
    assert application.state == APP.SUBMITTED


def test_the_audit_assessment_pages_follow_the_audit(application, examiner, auditor, owner, outsider):
    application = audit_started(application, examiner, auditor)
    audit = application.audit_assessment
    url = _url("requirement", audit.pk, "PR1")
    assert _client(auditor).get(url).status_code == 200
    assert _client(owner).get(url).status_code == 404  # members read the audit once it is completed
    assert _client(outsider).get(url).status_code == 404
    assert _client(examiner).get(url).status_code == 200
    response = _client(owner).post(url, {f"score-{item('PR1.1').pk}": "4"})
    assert response.status_code == 404
    assert not audit.scores.exists()
    provider_page = _client(owner).get(_url("provider", application.provider.slug))
    assert audit.title.encode() not in provider_page.content


def test_examiner_lists_applications_and_auditor_sees_own_audits(application, examiner, auditor):
    assert application.provider.name.encode() in _client(examiner).get(_url("applications")).content
    assert _client(auditor).get(_url("my_audits")).status_code == 200
    audit_started(application, examiner, auditor)
    assert application.provider.name.encode() in _client(auditor).get(_url("my_audits")).content

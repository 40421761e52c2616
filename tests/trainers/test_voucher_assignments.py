"""The ATO admin's vouchers: assign one from the pool to a person by e-mail (the code is e-mailed, no
account is disclosed), see who received and who redeemed which, revoke an unredeemed assignment (the
voucher returns to the pool with a new code), request more from the certification body (examiners
see the request where they allocate), and pass rates for every accredited certification."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import AuditEntry
from exams import errors as exam_errors
from exams.services import voucher_redeem
from exams.services.vouchers import voucher_code_normalise
from tests.conftest import mfa_login
from tests.factories import CertificationFactory
from trainers import errors, selectors, services
from trainers.models import VoucherAssignment, VoucherRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool(org_a, certification, examiner_user):
    return services.organisation_vouchers_allocate(
        organisation=org_a,
        certification=certification,
        count=2,
        valid_until=timezone.now() + timedelta(days=60),
        actor=examiner_user,
    )


def _assign(org, certification, email, actor, capture):
    with capture(execute=True):
        return services.organisation_voucher_assign(
            organisation=org, certification=certification, email=email, actor=actor
        )


def _code_in(message):
    import re

    return voucher_code_normalise(re.search(r"\b([A-Z0-9]{4}(?:-[A-Z0-9]{4}){3})\b", message.body).group(1))


# --- services ---------------------------------------------------------------


def test_assigning_e_mails_a_code_of_the_pool_and_counts_it_as_assigned(
    org_a, certification, admin_a, learner, pool, mailoutbox, django_capture_on_commit_callbacks
):
    assignment = _assign(
        org_a, certification, learner.email.upper(), admin_a, django_capture_on_commit_callbacks
    )
    assert assignment.email == learner.email and assignment.status == "assigned"
    assert mailoutbox[0].to == [learner.email] and org_a.name in mailoutbox[0].subject
    assert _code_in(mailoutbox[0]) == assignment.pool_voucher.voucher.code
    assert mailoutbox[0].alternatives and "/me/exams/" in mailoutbox[0].body
    [row] = selectors.organisation_voucher_pool(org_a)
    assert (row["allocated"], row["assigned"], row["available"]) == (2, 1, 1)
    assert assignment.pool_voucher.voucher not in selectors.organisation_vouchers_available(org_a)
    assert AuditEntry.objects.filter(action="organisation_voucher.assigned").count() == 1


def test_an_address_without_an_account_gets_a_voucher_the_same_way(
    org_a, certification, admin_a, pool, mailoutbox, django_capture_on_commit_callbacks
):
    assignment = _assign(
        org_a, certification, "nobody-yet@test.example", admin_a, django_capture_on_commit_callbacks
    )
    assert assignment.status == "assigned" and mailoutbox[0].to == ["nobody-yet@test.example"]


def test_two_assignments_never_share_a_voucher_and_an_empty_pool_says_so(org_a, certification, admin_a, pool):
    first = services.organisation_voucher_assign(
        organisation=org_a, certification=certification, email="a@test.example", actor=admin_a
    )
    second = services.organisation_voucher_assign(
        organisation=org_a, certification=certification, email="b@test.example", actor=admin_a
    )
    assert first.pool_voucher_id != second.pool_voucher_id
    with pytest.raises(errors.InvalidTransition, match="request more") as info:
        services.organisation_voucher_assign(
            organisation=org_a, certification=certification, email="c@test.example", actor=admin_a
        )
    assert info.value.field == "certification"
    assert VoucherAssignment.objects.count() == 2


def test_revoking_returns_the_voucher_to_the_pool_and_the_e_mailed_code_stops_working(
    org_a, certification, admin_a, learner, pool, mailoutbox, django_capture_on_commit_callbacks
):
    assignment = _assign(org_a, certification, learner.email, admin_a, django_capture_on_commit_callbacks)
    old_code = assignment.pool_voucher.voucher.code
    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_voucher_revoke(assignment=assignment, actor=admin_a)
    assignment.refresh_from_db()
    voucher = assignment.pool_voucher.voucher
    voucher.refresh_from_db()
    assert assignment.status == "revoked" and assignment.revoked_by == admin_a
    assert voucher.code != old_code and voucher.redeemed_at is None
    assert mailoutbox[-1].to == [learner.email] and "withdrawn" in mailoutbox[-1].subject
    with pytest.raises(exam_errors.VoucherUnknown):
        voucher_redeem(code=old_code, user=learner, now=timezone.now())
    [row] = selectors.organisation_voucher_pool(org_a)
    assert (row["assigned"], row["available"]) == (0, 2)
    with pytest.raises(errors.InvalidTransition, match="already revoked"):
        services.organisation_voucher_revoke(assignment=assignment, actor=admin_a)
    again = services.organisation_voucher_assign(
        organisation=org_a, certification=certification, email="next@test.example", actor=admin_a
    )
    assert VoucherAssignment.objects.filter(status="assigned").count() == 1 and again.status == "assigned"


def test_a_redeemed_voucher_cannot_be_revoked_and_shows_who_redeemed_it(
    org_a, certification, admin_a, learner, pool
):
    assignment = services.organisation_voucher_assign(
        organisation=org_a, certification=certification, email=learner.email, actor=admin_a
    )
    voucher_redeem(code=assignment.pool_voucher.voucher.code, user=learner, now=timezone.now())
    with pytest.raises(errors.InvalidTransition, match="already been redeemed"):
        services.organisation_voucher_revoke(assignment=assignment, actor=admin_a)
    assignment.refresh_from_db()
    assert assignment.status == "assigned"  # the refusal changed nothing
    [row] = selectors.organisation_voucher_assignments(org_a)
    assert row.state == "redeemed" and row.pool_voucher.voucher.redeemed_by == learner


def test_a_request_needs_an_accreditation_and_a_sane_count(org_a, certification, admin_a):
    request = services.voucher_request_create(
        organisation=org_a, certification=certification, count=20, note="Spring group", actor=admin_a
    )
    assert request.status == "open" and request.requested_by == admin_a
    with pytest.raises(errors.InvalidTransition) as info:
        services.voucher_request_create(
            organisation=org_a, certification=certification, count=0, note="", actor=admin_a
        )
    assert info.value.field == "count"
    other = CertificationFactory(code="OTH")
    with pytest.raises(errors.NotAccredited):
        services.voucher_request_create(
            organisation=org_a, certification=other, count=5, note="", actor=admin_a
        )
    assert VoucherRequest.objects.count() == 1


def test_allocating_for_a_request_fulfils_it_once(org_a, org_b, certification, admin_a, examiner_user):
    request = services.voucher_request_create(
        organisation=org_a, certification=certification, count=3, note="", actor=admin_a
    )
    until = timezone.now() + timedelta(days=90)
    with pytest.raises(errors.InvalidTransition, match="another organisation"):
        services.organisation_vouchers_allocate(
            organisation=org_b,
            certification=certification,
            count=3,
            valid_until=until,
            actor=examiner_user,
            request=request,
        )
    services.organisation_vouchers_allocate(
        organisation=org_a,
        certification=certification,
        count=3,
        valid_until=until,
        actor=examiner_user,
        request=request,
    )
    request.refresh_from_db()
    assert (
        request.status == "fulfilled" and request.handled_by == examiner_user and org_a.vouchers.count() == 3
    )
    with pytest.raises(errors.InvalidTransition, match="already been handled"):
        services.organisation_vouchers_allocate(
            organisation=org_a,
            certification=certification,
            count=3,
            valid_until=until,
            actor=examiner_user,
            request=request,
        )
    assert org_a.vouchers.count() == 3 and not org_b.vouchers.exists()


def test_pass_rates_list_every_accredited_certification_with_zero_attempts(
    org_a, certification, examiner_user
):
    from .conftest import accredit

    spare = CertificationFactory(code="SPR", name="Spare exam")
    accredit(examiner=examiner_user, certification=spare, organisation=org_a)
    rates = selectors.organisation_pass_rates(org_a, [])
    assert sorted((r["code"], r["graded"], r["passed"], r["pass_rate"]) for r in rates) == [
        ("SPR", 0, 0, None),
        ("TST", 0, 0, None),
    ]


# --- the admin's pages ------------------------------------------------------


def test_the_admin_assigns_sees_and_revokes_on_the_vouchers_page(
    client, org_a, certification, admin_a, learner, pool, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(admin_a)
    answers = []
    for email in (learner.email, "nobody-yet@test.example"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/training/organisations/alpha/vouchers/assign/",
                {"certification": certification.pk, "email": email},
                follow=True,
            )
        answers.append([m.message for m in response.context["messages"]][0].replace(email, "ADDRESS"))
    assert answers[0] == answers[1] == "A voucher code was e-mailed to ADDRESS."
    voucher_redeem(code=_code_in(mailoutbox[0]), user=learner, now=timezone.now())
    page = client.get("/training/organisations/alpha/vouchers/").content.decode()
    assert "nobody-yet@test.example" in page and "Sent, not redeemed yet" in page
    assert "Redeemed on" in page and learner.printed_name in page  # who redeemed it
    assert page.count('type="submit" aria-label="Revoke the voucher') == 1  # only the unredeemed one
    unredeemed = VoucherAssignment.objects.get(email="nobody-yet@test.example")
    client.post(f"/training/organisations/alpha/vouchers/assignments/{unredeemed.pk}/revoke/")
    unredeemed.refresh_from_db()
    assert unredeemed.status == "revoked"
    assert "Revoked on" in client.get("/training/organisations/alpha/vouchers/").content.decode()


def test_assignment_errors_are_shown_at_their_field(client, org_a, certification, admin_a, pool):
    client.force_login(admin_a)
    response = client.post(
        "/training/organisations/alpha/vouchers/assign/", {"certification": certification.pk, "email": "nope"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_email_error"' in page and 'aria-invalid="true"' in page
    for n in range(2):
        services.organisation_voucher_assign(
            organisation=org_a, certification=certification, email=f"p{n}@test.example", actor=admin_a
        )
    response = client.post(
        "/training/organisations/alpha/vouchers/assign/",
        {"certification": certification.pk, "email": "x@test.example"},
    )
    assert response.context["assign_form"].errors == {
        "certification": ["No TST voucher is left in the pool: request more from the certification body."]
    }


def test_the_admin_requests_vouchers_and_examiners_see_it_where_they_allocate(
    client, org_a, certification, admin_a, examiner_user
):
    client.force_login(admin_a)
    client.post(
        "/training/organisations/alpha/vouchers/request/",
        {"certification": certification.pk, "count": 25, "note": "Autumn cohort"},
    )
    request = VoucherRequest.objects.get()
    assert (request.count, request.note) == (25, "Autumn cohort")
    assert "Autumn cohort" in client.get("/training/organisations/alpha/vouchers/").content.decode()
    response = client.post(
        "/training/organisations/alpha/vouchers/request/", {"certification": certification.pk, "count": 0}
    )
    assert "count" in response.context["request_form"].errors and VoucherRequest.objects.count() == 1
    cms = mfa_login(client, examiner_user)
    page = cms.get("/cms/training/vouchers/").content.decode()
    assert "Alpha Training" in page and "Autumn cohort" in page and "25" in page
    prefilled = cms.get(f"/cms/training/vouchers/?request={request.pk}").context["form"]
    assert prefilled["count"].value() == 25 and prefilled["organisation"].value() == org_a.pk
    until = (timezone.now() + timedelta(days=90)).strftime("%Y-%m-%dT%H:%M")
    cms.post(
        "/cms/training/vouchers/",
        {
            "organisation": org_a.pk,
            "certification": certification.pk,
            "count": 25,
            "valid_until": until,
            "request": request.pk,
        },
    )
    request.refresh_from_db()
    assert request.status == "fulfilled" and org_a.vouchers.count() == 25
    assert "Autumn cohort" not in cms.get("/cms/training/vouchers/").content.decode()


def test_examiners_decline_a_request(client, org_a, certification, admin_a, examiner_user):
    request = services.voucher_request_create(
        organisation=org_a, certification=certification, count=5, note="", actor=admin_a
    )
    cms = mfa_login(client, examiner_user)
    assert cms.get(f"/cms/training/vouchers/requests/{request.pk}/decline/").status_code == 405
    cms.post(f"/cms/training/vouchers/requests/{request.pk}/decline/", {"note": "Budget used up"})
    request.refresh_from_db()
    assert request.status == "declined" and request.response_note == "Budget used up"


def test_the_dashboard_shows_pass_rates_for_every_accredited_certification(
    client, org_a, admin_a, examiner_user
):
    from .conftest import accredit

    accredit(
        examiner=examiner_user,
        certification=CertificationFactory(code="SPR", name="Spare"),
        organisation=org_a,
    )
    client.force_login(admin_a)
    page = client.get("/training/organisations/alpha/").content.decode().replace("\n", "")
    assert "<td>SPR <span" in page and "<td>TST <span" in page
    assert page.count("No exams taken yet") == 2 and "<td>0</td><td>0</td>" in page


def _voucher_posts(assignment_id):
    base = "/training/organisations/alpha/vouchers"
    return [
        (f"{base}/assign/", {"email": "x@test.example"}),
        (f"{base}/assignments/{assignment_id}/revoke/", {}),
        (f"{base}/request/", {"count": 5}),
    ]


def test_voucher_changes_are_post_only(client, org_a, certification, admin_a, pool):
    assignment = services.organisation_voucher_assign(
        organisation=org_a, certification=certification, email="a@test.example", actor=admin_a
    )
    client.force_login(admin_a)
    for path, _ in _voucher_posts(assignment.pk):
        assert client.get(path).status_code == 405, path
    assignment.refresh_from_db()
    assert assignment.status == "assigned"


def test_only_the_organisations_admins_reach_its_vouchers(
    client, org_a, certification, admin_a, admin_b, trainer_a, trainer_a2, affiliate, pool
):
    from tests.factories import UserFactory

    assignment = services.organisation_voucher_assign(
        organisation=org_a, certification=certification, email="a@test.example", actor=admin_a
    )
    affiliate_admin = UserFactory()
    services.membership_add(organisation=affiliate, user=affiliate_admin, role="admin")
    for user in (admin_b, trainer_a.user, trainer_a2.user, affiliate_admin):
        client.force_login(user)
        assert client.get("/training/organisations/alpha/vouchers/").status_code == 404
        for path, data in _voucher_posts(assignment.pk):
            assert client.post(path, {"certification": certification.pk, **data}).status_code == 404, path
    assignment.refresh_from_db()
    assert assignment.status == "assigned" and VoucherAssignment.objects.count() == 1
    assert not VoucherRequest.objects.exists()
    # Another organisation's admin cannot reach org A's assignment through their own pages either.
    client.force_login(admin_b)
    response = client.post(f"/training/organisations/beta/vouchers/assignments/{assignment.pk}/revoke/")
    assert response.status_code == 404

"""The audited certification in a real browser: the provider's owner applies, the examiner assigns
the auditor, the auditor declares no conflict, records a plan, scores a few items on the scoring
page (the remaining items in-process), raises a minor finding, the owner answers it, the auditor
accepts it and completes the audit, and a second examiner grants FitSM Essentials; an employer then
finds the provider in the public register and verifies its certificate."""

import pytest

from accounts.roles import EXAMINER, role_add
from assessments import services
from assessments.models import CertificationApplication, CertificationGrant, RequirementItem
from certificates.models import OrganisationCertificate
from content.fitsm.loader import instrument_load, levels_load
from tests.assessments.conftest import accredit
from tests.browser.conftest import sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _person(browser, base, user):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15000)
    sign_in(page, base, user.email)
    return context, page


def test_application_audit_and_decision_end_to_end(page, live_server, browser):
    instrument_load()
    levels_load()
    base = live_server.url
    owner = UserFactory(email="owner@audit-journey.example")
    provider = services.provider_register(name="Audit Journey Hosting", country="NL", actor=owner)
    assigner = UserFactory(email="assigner@body.example")
    decider = UserFactory(email="decider@body.example")
    for examiner in (assigner, decider):
        role_add(examiner, EXAMINER)
    auditor = UserFactory(email="lead-auditor@body.example")
    accredit(auditor, assigner)
    contexts = []
    try:
        # the provider applies
        owner_page = page
        sign_in(owner_page, base, owner.email)
        owner_page.goto(f"{base}/assessments/providers/{provider.slug}/")
        owner_page.get_by_role("link", name="Apply for certification").click()
        owner_page.get_by_label("FitSM Essentials").check()
        owner_page.get_by_label("Scope statement").fill("Managed hosting for business customers")
        owner_page.get_by_role("button", name="Submit the application").click()
        owner_page.get_by_text("An examiner will assign the lead auditor").wait_for()
        application = CertificationApplication.objects.get()
        app_url = f"{base}/assessments/applications/{application.pk}/"

        # the examiner assigns the auditor
        ctx, examiner_page = _person(browser, base, assigner)
        contexts.append(ctx)
        examiner_page.goto(f"{base}/assessments/applications/")
        examiner_page.get_by_role("link", name="Audit Journey Hosting").click()
        examiner_page.get_by_label("Accredited auditor").select_option(str(auditor.pk))
        examiner_page.get_by_role("button", name="Assign").click()
        examiner_page.get_by_text("they declare any conflict of interest next").wait_for()

        # the auditor declares no conflict and records a plan
        ctx, auditor_page = _person(browser, base, auditor)
        contexts.append(ctx)
        auditor_page.goto(f"{base}/assessments/audits/")
        auditor_page.get_by_role("link", name="Audit Journey Hosting").click()
        auditor_page.get_by_label("I have no conflict of interest with this provider").check()
        auditor_page.get_by_role("button", name="Declare").click()
        auditor_page.get_by_text("the audit has started").wait_for()
        auditor_page.get_by_label("Day").fill("2026-05-04")
        auditor_page.get_by_label("Location").fill("Utrecht office")
        auditor_page.get_by_label("People interviewed").fill("SMS owner; incident manager")
        auditor_page.get_by_role("button", name="Add to the plan").click()
        auditor_page.get_by_role("row", name="Utrecht office").wait_for()

        # scores a few items on the scoring page (saved as each radio is chosen)
        application.refresh_from_db()
        audit = application.audit_assessment
        auditor_page.goto(f"{base}/assessments/{audit.pk}/requirements/PR6/")
        for code in ("PR6.1", "PR6.2"):
            group = auditor_page.get_by_role("group", name=f"Score for {code}")
            group.get_by_label("4 —").check()
            group.get_by_role("status").filter(has_text="Saved").wait_for()
        assert set(audit.scores.values_list("item__code", flat=True)) == {"PR6.1", "PR6.2"}
        seq = 100
        for item in RequirementItem.objects.filter(instrument=audit.instrument).exclude(
            code__in=["PR6.1", "PR6.2"]
        ):
            seq += 1
            services.assessment_score_save(assessment=audit, item=item, score=4, seq=seq, actor=auditor)

        # raises a minor finding
        auditor_page.goto(app_url)
        auditor_page.get_by_label("Requirement item").select_option(label="PR6.1")
        auditor_page.get_by_label("Kind").select_option("minor")
        auditor_page.get_by_label("Description").fill("Incidents closed without the user's confirmation")
        auditor_page.get_by_label("Evidence", exact=True).fill("Ticket sample of March")
        auditor_page.get_by_role("button", name="Record the finding").click()
        auditor_page.get_by_role("heading", name="Minor nonconformity: PR6.1").wait_for()

        # the provider answers
        owner_page.goto(app_url)
        owner_page.get_by_label("Corrective action for PR6.1").fill("Closing now asks the user to confirm")
        owner_page.get_by_role("button", name="Send the corrective action").click()
        owner_page.get_by_text("Corrective action sent to the auditor").wait_for()

        # the auditor accepts and completes
        auditor_page.goto(app_url)
        auditor_page.get_by_role("button", name="Accept the corrective action").click()
        auditor_page.get_by_text("the finding is closed").wait_for()
        auditor_page.get_by_label("Recommendation").select_option("granted")
        auditor_page.get_by_role("button", name="Complete the audit").click()
        auditor_page.get_by_text("Audit completed; an examiner decides next").wait_for()
        assert auditor_page.get_by_role("button", name="Record the decision").count() == 0

        # another examiner grants
        ctx, decider_page = _person(browser, base, decider)
        contexts.append(ctx)
        decider_page.goto(app_url)
        assert decider_page.get_by_text("FitSM Essentials: criteria met").is_visible()
        decider_page.get_by_label("Granted at the level applied for").check()
        decider_page.get_by_label("Reasons").fill("The audit shows the criteria met")
        decider_page.get_by_role("button", name="Record the decision").click()
        decider_page.get_by_text("Decision recorded.").wait_for()
        assert "Decided" in decider_page.locator("#application-state").inner_text()
        application.refresh_from_db()
        assert application.state == "decided" and application.decided_by == decider
        assert CertificationGrant.objects.get(application=application).level.code == "essentials"

        # an employer, without an account, finds the provider in the register and verifies its certificate
        ctx = browser.new_context()
        contexts.append(ctx)
        employer_page = ctx.new_page()
        employer_page.set_default_timeout(15000)
        employer_page.goto(f"{base}/providers/")
        employer_page.get_by_label("Name of the provider").fill("journey")
        employer_page.get_by_role("button", name="Search").click()
        employer_page.get_by_role("link", name="Audit Journey Hosting").click()
        employer_page.get_by_role("heading", name="Audit Journey Hosting", level=1).wait_for()
        certificate = OrganisationCertificate.objects.get(grant_key=application.grant.pk)
        employer_page.get_by_role("link", name=certificate.display_code).click()
        employer_page.wait_for_url(f"{base}/verify/{certificate.code}/")
        assert "VALID" in employer_page.get_by_role("status").inner_text()
        assert employer_page.locator(".organisation-name").inner_text() == "Audit Journey Hosting"
        assert employer_page.locator(".level-name").inner_text() == "FitSM Essentials"
        assert (
            "Managed hosting for business customers" in employer_page.locator(".scope-statement").inner_text()
        )
        pdf_link = employer_page.get_by_role("link", name="Download the certificate (PDF)")
        pdf = employer_page.request.get(f"{base}{pdf_link.get_attribute('href')}")
        assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body()[:5] == b"%PDF-"
    finally:
        for ctx in contexts:
            ctx.close()

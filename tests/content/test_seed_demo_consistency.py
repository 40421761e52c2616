"""The demo data agree with themselves: the certificate's training organisation is listed in the
directory, the ATO's pass rates are the examiner's, the voucher pool is not empty, and the running
session is not listed as upcoming."""

from io import StringIO

import pytest
from django.core.management import call_command

from content.loader import banks_load, certifications_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    certifications_load()
    banks_load()
    try:  # the organisational-certification demo needs its instrument (when that app is there)
        from content.fitsm.loader import instrument_load
    except ImportError:
        pass
    else:
        instrument_load()
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())  # idempotent: a second run changes none of it


def test_the_certificate_names_an_organisation_of_the_directory(demo, client):
    from certificates.models import Certificate
    from trainers import selectors

    listed = {o.name for o in selectors.organisations_directory()}
    certificate = Certificate.objects.get(user__email="learner@example.org", certification__code="FND")
    assert certificate.organisation_name in listed
    page = client.get("/organisations/").content.decode()
    assert certificate.organisation_name in page


def test_the_ato_pass_rates_agree_with_the_examiner_statistics(demo):
    from trainers import selectors
    from trainers.models import Organisation

    ato = Organisation.objects.get(name="FitSM Demo Academy")
    sessions = list(ato.sessions.all())
    ato_rates = {
        r["code"]: (r["graded"], r["pass_rate"]) for r in selectors.organisation_pass_rates(ato, sessions)
    }
    programme = {
        r["code"]: (r["graded"], r["rate"])
        for r in selectors.programme_statistics()["pass_rates"]
        if r["graded"]
    }
    assert programme, "the demo has graded exams"
    for code, figures in programme.items():
        assert ato_rates[code] == figures, code


def test_the_demo_voucher_pool_is_not_empty(demo):
    from trainers import selectors
    from trainers.models import Organisation

    ato = Organisation.objects.get(name="FitSM Demo Academy")
    assert sum(row["available"] for row in selectors.organisation_voucher_pool(ato)) > 0


def test_the_running_session_is_not_listed_as_upcoming(demo, client):
    from trainers.models import Organisation, TrainingSession

    running = TrainingSession.objects.get(title="FitSM Advanced SOC (online, demo)")
    upcoming = TrainingSession.objects.get(title="FitSM Foundation (online, demo)")
    ato = Organisation.objects.get(name="FitSM Demo Academy")
    for url in (f"/organisations/{ato.slug}/", f"/trainers/{running.trainers.first().slug}/"):
        page = client.get(url).content.decode()
        before, after = page.split("<h2>Upcoming sessions</h2>")
        assert running.title in before and "Running now" in before, url
        assert running.title not in after and upcoming.title in after, url


def test_the_certified_provider_has_its_certificate_in_the_register(demo, client):
    from assessments.models import CertificationGrant
    from certificates.models import OrganisationCertificate

    grant = CertificationGrant.objects.get(provider__slug="fitsm-demo-hosting")
    certificate = OrganisationCertificate.objects.get(grant_key=grant.pk)  # one, after two runs
    assert (certificate.organisation_name, certificate.level_code) == (grant.provider.name, grant.level.code)
    assert certificate.scope_statement == grant.scope_statement and certificate.status == "valid"
    assert certificate.issued_on == grant.granted_at.date()
    register = client.get("/providers/").content.decode()
    assert grant.provider.name in register and "FitSM Essentials" in register
    page = client.get(f"/verify/{certificate.code}/").content.decode()
    assert grant.provider.name in page and grant.scope_statement in page and "VALID" in page

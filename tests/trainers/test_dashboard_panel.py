"""The CMS dashboard shows examiners the accreditation applications awaiting a decision."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import mfa_login
from tests.factories import UserFactory
from trainers import services

from .conftest import accredit
from .factories import OrganisationFactory, TrainerProfileFactory

pytestmark = pytest.mark.django_db

HEADING = "Accreditation applications awaiting a decision"


def test_examiner_sees_the_count_and_a_link_to_each_application(client, examiner_user, certification):
    org = OrganisationFactory(name="Waiting Org")
    by_org = services.accreditation_apply(certification=certification, organisation=org)
    trainer = TrainerProfileFactory(display_name="Wanda Waiting")
    by_trainer = services.accreditation_apply(certification=certification, trainer=trainer)
    decided = accredit(
        examiner=examiner_user, certification=certification, organisation=OrganisationFactory()
    )
    page = mfa_login(client, examiner_user).get("/cms/").content.decode()
    assert f"{HEADING} (2)" in page
    assert f"/cms/training/accreditations/{by_org.pk}/decide/" in page and "Waiting Org" in page
    assert f"/cms/training/accreditations/{by_trainer.pk}/decide/" in page and "Wanda Waiting" in page
    assert f"/cms/training/accreditations/{decided.pk}/decide/" not in page


def test_none_waiting_says_so(client, examiner_user):
    page = mfa_login(client, examiner_user).get("/cms/").content.decode()
    assert f"{HEADING} (0)" in page and "No application is waiting." in page


def test_the_panel_is_for_examiners_only(client, certification):
    services.accreditation_apply(certification=certification, organisation=OrganisationFactory())
    editor = UserFactory()
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    page = mfa_login(client, editor).get("/cms/")
    assert page.status_code == 200 and HEADING not in page.content.decode()


def test_the_panel_queries_do_not_grow_with_the_applications(client, examiner_user, certification):
    cms = mfa_login(client, examiner_user)
    services.accreditation_apply(certification=certification, organisation=OrganisationFactory())
    cms.get("/cms/")
    with CaptureQueriesContext(connection) as few:
        cms.get("/cms/")
    for _ in range(6):
        services.accreditation_apply(certification=certification, trainer=TrainerProfileFactory())
    with CaptureQueriesContext(connection) as many:
        cms.get("/cms/")
    assert len(many) == len(few)

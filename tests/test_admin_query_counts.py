"""The examiner's admin lists answer in a fixed, small number of queries, whatever the number of
rows (no query per row): the question list, the accreditation list, the sittings admin and the
certificate admin."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from exams import services as exam_services
from tests.conftest import mfa_login
from tests.factories import QuestionFactory, TopicFactory, UserFactory
from tests.trainers.factories import CertificateFactory, OrganisationFactory, TrainerProfileFactory
from trainers import services as training

pytestmark = pytest.mark.django_db

MAX_QUERIES = 25  # sessions, user, MFA, Wagtail's own chrome and the list itself


def _questions(certification, n):
    # New topics too: the topic filter lists every topic with its certification.
    for i in range(n):
        code = f"Q{certification.topics.count()}"
        QuestionFactory(
            topic=TopicFactory(certification=certification, code=code, quota=0)
            if i % 3 == 0
            else certification.topics.order_by("-id").first()
        )


def _accreditations(certification, n):
    for i in range(n):
        if i % 2:
            training.accreditation_apply(certification=certification, organisation=OrganisationFactory())
        else:
            training.accreditation_apply(certification=certification, trainer=TrainerProfileFactory())


def _sittings(certification, examiner, n):
    now = timezone.now()
    for i in range(n):
        exam_services.sitting_create(
            certification=certification,
            title=f"Sitting {i}",
            opens_at=now + timedelta(days=i),
            closes_at=now + timedelta(days=i, hours=2),
            created_by=examiner,
            invigilators=[examiner],
            access_code="",
        )


def _certificates(certification, n):
    for _ in range(n):
        CertificateFactory(certification=certification, user=UserFactory())


LISTS = {
    "/cms/question/": lambda cert, examiner, n: _questions(cert, n),
    "/cms/training/accreditations/list/": lambda cert, examiner, n: _accreditations(cert, n),
    "/cms/sitting/": _sittings,
    "/cms/certificates/": lambda cert, examiner, n: _certificates(cert, n),
}


def _count(cms, url):
    with CaptureQueriesContext(connection) as queries:
        response = cms.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("url", list(LISTS))
def test_admin_list_queries_do_not_grow_with_the_rows(client, examiner, certification, url):
    cms = mfa_login(client, examiner)
    LISTS[url](certification, examiner, 3)
    cms.get(url)  # warm the per-process caches (site, content types) once
    few = _count(cms, url)
    LISTS[url](certification, examiner, 12)
    many = _count(cms, url)
    assert many == few, f"{url}: {few} queries with a few rows, {many} with more"
    assert few <= MAX_QUERIES, f"{url}: {few} queries"

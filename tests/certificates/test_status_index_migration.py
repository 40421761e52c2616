"""Certificates issued before the status list existed get their own bit when migrating."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("certificates", "0001_initial")]
AFTER = [("certificates", "0002_status_index")]


@pytest.fixture(autouse=True)
def _back_to_the_latest_schema():
    """Leave the database as every other test expects it: at the latest migrations."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_existing_certificates_get_distinct_status_indexes_in_order_of_issue(
    certification, learner, examiner
):
    old_apps = _migrate(BEFORE)
    Certificate = old_apps.get_model("certificates", "Certificate")
    now = timezone.now()
    for i, (user, code) in enumerate([(examiner, "BBBBBBBBBBB"), (learner, "AAAAAAAAAAA")]):
        Certificate.objects.create(
            code=code,
            user_id=user.pk,
            certification_id=certification.pk,
            holder_name="x",
            certification_name="Test exam",
            issued_at=now - timedelta(days=10 - i),
            issued_on=now.date(),
        )
    new_apps = _migrate(AFTER)
    Certificate = new_apps.get_model("certificates", "Certificate")
    assert list(Certificate.objects.order_by("status_index").values_list("code", "status_index")) == [
        ("BBBBBBBBBBB", 0),
        ("AAAAAAAAAAA", 1),
    ]

"""A sitting's title as people read it: an on-demand sitting's in the reader's language, a
scheduled one's as its organiser wrote it."""

import pytest
from django.utils import translation

from exams import selectors
from exams.services.sittings import sitting_on_demand_get

pytestmark = pytest.mark.django_db


def test_an_on_demand_sitting_is_named_in_the_readers_language(certification):
    sitting = sitting_on_demand_get(certification=certification)

    with translation.override("de"):
        assert selectors.sitting_title(sitting) == f"{certification.name} (auf Abruf)"
    with translation.override("fr"):
        assert selectors.sitting_title(sitting) == f"{certification.name} (à la demande)"
    assert selectors.sitting_title(sitting) == f"{certification.name} (on demand)"


def test_a_scheduled_sitting_keeps_its_organisers_title(sitting):
    with translation.override("de"):
        assert selectors.sitting_title(sitting) == "Test sitting"

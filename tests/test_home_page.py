"""The home page's cards: each card holds exactly one link, with an accessible name, that leads to
a page answering 200 for the person who sees it; a level's card leads to its course."""

import pytest
from bs4 import BeautifulSoup

from accounts.roles import ATO_ADMIN, EXAMINER, TRAINER, role_add
from tests.conftest import mfa_login
from tests.courses.conftest import build_course
from tests.factories import CertificationFactory, UserFactory


@pytest.fixture
def levels(db):
    """A certification with a course and a derived one without."""
    taught = build_course(code="TCO", title="Taught")
    derived = CertificationFactory(code="DRV", name="Derived level", earned_by="derived", question_count=0)
    derived.prerequisites.add(taught.certification)
    return taught, derived


def _cards(client):
    response = client.get("/")
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").select("main li.card")


def _check_every_card_has_one_working_link(client):
    cards = _cards(client)
    assert cards
    for card in cards:
        links = card.find_all("a")
        assert len(links) == 1, card
        link = links[0]
        assert link.get_text(strip=True), card  # the accessible name is the link's text
        assert link.find_parent("h3") is not None and "card-link" in card["class"]
        response = client.get(link["href"])
        assert response.status_code == 200, (link["href"], response.status_code)
    return cards


def test_a_visitors_cards_each_hold_one_link_that_answers_200(client, levels):
    names = [c.find("a").get_text(strip=True) for c in _check_every_card_has_one_working_link(client)]
    assert {"Taught certification", "Derived level", "Verify a certificate", "Training sessions"} <= set(
        names
    )
    assert "My exams" not in names


def test_a_level_card_leads_to_its_course_and_one_without_a_course_to_the_catalogue(client, levels):
    taught, _ = levels
    links = {c.find("a").get_text(strip=True): c.find("a")["href"] for c in _cards(client)}
    assert links["Taught certification"] == taught.course.get_url()
    assert links["Derived level"] == "/courses/"


@pytest.mark.parametrize("roles", [(), (TRAINER,), (ATO_ADMIN,), (TRAINER, ATO_ADMIN, EXAMINER)])
def test_a_signed_in_persons_cards_each_hold_one_link_that_answers_200(client, levels, roles):
    user = UserFactory()
    for role in roles:
        role_add(user, role)
    mfa_login(client, user)  # examiners' /cms/ asks for the second factor
    names = [c.find("a").get_text(strip=True) for c in _check_every_card_has_one_working_link(client)]
    assert {"My learning", "My exams", "My certificates", "Profile"} <= set(names)
    assert ("Invigilation" in names) == (TRAINER in roles)
    assert ("Examiner administration" in names) == (EXAMINER in roles)

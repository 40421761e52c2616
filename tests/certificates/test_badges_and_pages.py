"""What people see: the verification page explains the level and moves the machine-readable links
to a "For verifiers" section; each level has its own badge, as SVG and as PNG."""

import io

import pytest
from defusedxml import ElementTree
from PIL import Image

from certificates import levels, openbadges
from certificates.models import Certificate


@pytest.fixture
def certificate(passed_attempt):
    return Certificate.objects.select_related("user", "certification").get()


class Level:
    def __init__(self, code, name):
        self.code, self.name = code, name


LEVELS = [
    Level("FND", "FitSM Foundation"),
    Level("SOC", "FitSM Advanced: Service Operation and Control"),
    Level("SPD", "FitSM Advanced: Service Planning and Delivery"),
    Level("EXP", "FitSM Expert"),
]


@pytest.mark.django_db
def test_the_verification_page_shows_the_badge_what_it_attests_and_the_links_for_verifiers(
    client, certificate, signing_key
):
    page = client.get(f"/verify/{certificate.code}/").content.decode()
    assert f'src="/ob/v2/badges/{certificate.certification.code}.png"' in page
    assert levels.attests(certificate.certification) in page
    head, _, verifiers = page.partition('id="for-verifiers"')
    assert verifiers, "no For verifiers section"
    for link in (
        f"/ob/v3/credentials/{certificate.uuid}.jwt",
        f"/ob/v3/credentials/{certificate.uuid}.json",
        "/.well-known/did.json",
        "/ob/v3/status/revocation",
        "/ob/v3/status/suspension",
        f"/ob/v2/assertions/{certificate.uuid}",
        f"/api/v1/certificates/{certificate.code}",
    ):
        assert link in verifiers and link not in head, link


def test_each_level_has_its_own_badge_with_its_name_in_text():
    shapes, colours = set(), set()
    for level in LEVELS:
        svg = ElementTree.fromstring(levels.badge_svg(level))
        texts = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
        assert level.code in texts and levels.LEVELS[level.code]["ribbon"] in texts
        assert svg.find("{http://www.w3.org/2000/svg}title").text == level.name
        shapes.add(levels.LEVELS[level.code]["shape"])
        colours.add(levels.LEVELS[level.code]["colour"])
        for size in (400, 64):
            image = Image.open(io.BytesIO(levels.badge_png(level, size)))
            assert image.size == (size, size) and image.mode == "RGBA"
        assert levels.attests(level) and level.code not in ("",)
    assert len(shapes) == len(colours) == 4  # not four plain circles
    first = Image.open(io.BytesIO(levels.badge_png(LEVELS[0], 64))).tobytes()
    assert all(Image.open(io.BytesIO(levels.badge_png(x, 64))).tobytes() != first for x in LEVELS[1:])


@pytest.mark.django_db
def test_the_ob2_badge_class_says_what_the_level_attests(certificate):
    assert openbadges.badge_class(certificate.certification)["description"] == levels.attests(
        certificate.certification
    )

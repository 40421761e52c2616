"""The platform's own pages: privacy notice, imprint, terms, contact and candidate handbook,
loaded from content/pages/ as CMS pages and linked from every page's footer."""

import pytest

from content.course_loader import INFO_PAGES, courses_load

pytestmark = pytest.mark.django_db


def test_the_info_pages_load_and_are_linked_from_the_footer(client):
    from content.loader import certifications_load

    certifications_load()
    courses_load()
    home = client.get("/").content.decode()
    for slug in INFO_PAGES:
        assert f'href="/{slug}/"' in home, slug
        page = client.get(f"/{slug}/")
        assert page.status_code == 200, slug
    privacy = client.get("/privacy/").content.decode()
    assert "How long we keep it" in privacy and "Who sees it" in privacy
    handbook = client.get("/candidate-handbook/").content.decode()
    assert "Appeals" in handbook and "Adjustments" in handbook
    courses_load()  # idempotent

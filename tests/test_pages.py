import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accounts/signup/", "/about/material/"])
def test_public_pages_answer_200(client, path):
    assert client.get(path).status_code == 200


@pytest.mark.django_db
def test_home_lists_the_certification_levels(client):
    from content.loader import certifications_load

    certifications_load()
    page = client.get("/").content.decode()
    assert "FitSM Foundation" in page and "FitSM Expert" in page
    assert "20 questions, 30 minutes, pass mark 65 %" in page


def test_pages_have_landmarks_and_skip_link(client, db):
    page = client.get("/").content.decode()
    assert '<main id="main"' in page and 'href="#main"' in page and "<nav" in page and 'lang="en"' in page

"""The footer's information pages (privacy notice, imprint, terms, contact, candidate handbook)
in other languages: loaded from content/pages/locale/<language>/ as translations of the English
pages, shown at the same address in the reader's language, refused when their blocks differ."""

import shutil

import pytest

from content.course_loader import INFO_PAGES, courses_load
from content.loader import CONTENT_DIR, ContentError, certifications_load, read_yaml
from courses.models import InfoPage
from tests.courses.test_course_translations import _write

pytestmark = pytest.mark.django_db


def _german(english):
    """A German privacy notice with the English page's blocks, in the same order."""
    body = []
    for block in english["body"]:
        value = block["value"]
        if isinstance(value, str):
            value = "### Wie lange wir Daten aufbewahren\n\nSo lange, wie der Zweck es verlangt."
        body.append({"type": block["type"], "value": value})
    return {"slug": "privacy", "title": "Datenschutzhinweise", "summary": "Was wir speichern.", "body": body}


@pytest.fixture
def content(tmp_path):
    shutil.copytree(CONTENT_DIR / "pages", tmp_path / "pages", ignore=shutil.ignore_patterns("locale"))
    shutil.copy(CONTENT_DIR / "glossary.yaml", tmp_path / "glossary.yaml")
    english = read_yaml(CONTENT_DIR / "pages" / "privacy.yaml")
    _write(tmp_path / "pages" / "locale" / "de" / "privacy.yaml", _german(english))
    certifications_load()
    return tmp_path


def test_a_german_visitor_reads_the_privacy_notice_in_german_at_the_same_address(client, content):
    courses_load(content)
    response = client.get("/privacy/", HTTP_ACCEPT_LANGUAGE="de", follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Datenschutzhinweise" in html and "Wie lange wir Daten aufbewahren" in html
    assert '<html lang="de"' in html
    assert "How long we keep it" not in html
    english = client.get("/privacy/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "How long we keep it" in english and "Datenschutzhinweise" not in english


def test_a_translation_is_a_version_of_the_english_page_and_a_reload_changes_nothing(content):
    courses_load(content)
    english = InfoPage.objects.get(slug="privacy", locale__language_code="en")
    german = InfoPage.objects.get(locale__language_code="de")
    assert german.translation_key == english.translation_key and german.slug == "privacy"
    assert [b.block_type for b in german.body] == [b.block_type for b in english.body]
    assert not [line for line in courses_load(content) if "InfoPage" in line]
    assert InfoPage.objects.filter(locale__language_code="de").count() == 1


def test_an_untranslated_page_is_the_english_one_with_a_note(client, content):
    courses_load(content)
    html = client.get("/imprint/", HTTP_ACCEPT_LANGUAGE="de", follow=True).content.decode()
    assert 'role="note"' in html


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["body"].pop(), "blocks, the English page has"),
        (lambda d: d["body"][0].update(type="callout"), "the English page has 'text'"),
        (lambda d: d.update(slug="datenschutz"), "needs slug 'privacy'"),
        (lambda d: d.update(title=""), "needs slug 'privacy', a title"),
    ],
)
def test_a_translation_with_other_blocks_is_refused_and_nothing_is_loaded(content, change, message):
    path = content / "pages" / "locale" / "de" / "privacy.yaml"
    data = read_yaml(path)
    change(data)
    _write(path, data)
    with pytest.raises(ContentError, match=message):
        courses_load(content)
    assert not InfoPage.objects.exists()  # the load is one transaction


def test_the_info_pages_are_the_ones_the_footer_links():
    assert set(INFO_PAGES) == {p.stem for p in (CONTENT_DIR / "pages").glob("*.yaml")}


def test_every_info_page_is_written_in_german_and_french_with_the_english_blocks():
    for slug in INFO_PAGES:
        english = read_yaml(CONTENT_DIR / "pages" / f"{slug}.yaml")
        for language in ("de", "fr"):
            version = read_yaml(CONTENT_DIR / "pages" / "locale" / language / f"{slug}.yaml")
            assert version["slug"] == slug and version["title"]
            assert version["body"][0]["value"] != english["body"][0]["value"]  # written, not copied
            assert [b["type"] for b in version["body"]] == [b["type"] for b in english["body"]]


@pytest.mark.parametrize(("language", "heading"), [("de", "Einspruch"), ("fr", "recours")])
def test_the_candidate_handbook_is_read_in_german_and_french(client, language, heading):
    certifications_load()
    courses_load()
    response = client.get("/candidate-handbook/", HTTP_ACCEPT_LANGUAGE=language, follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and f'<html lang="{language}"' in html
    assert heading in html and 'role="note"' not in html and "Appeals" not in html

"""Courses in several languages: the loader's translations, pages shown in the reader's language
(with the English page and a note where there is no translation), the languages a page lists,
progress kept across languages, search per language and caching by language."""

import re
import shutil
from pathlib import Path

import pytest
import yaml
from django.utils import translation
from wagtail.models import Revision

from content.course_loader import courses_load, page_count
from content.loader import CONTENT_DIR, ContentError
from courses import services
from courses.models import (
    CoursePage,
    Enrolment,
    GlossaryTerm,
    KnowledgeCheckAttempt,
    LessonCompletion,
    LessonPage,
)
from courses.search import site_search
from tests.conftest import login
from tests.factories import CertificationFactory

pytestmark = pytest.mark.django_db

COURSE = {
    "slug": "tst-course",
    "certification": "TCO",
    "title": "Test course",
    "summary": "A short course about services.",
    "study_hours": 2,
    "modules": [
        {"slug": "tst-basics", "title": "Basics", "lessons": ["tst-services", "tst-roles"]},
    ],
}
CHECK = {
    "questions": [
        {
            "prompt": "Who agrees the service levels?",
            "options": [
                {"text": "The user", "correct": False, "feedback": "Users work with the service."},
                {"text": "The customer", "correct": True, "feedback": "Right. The customer agrees them."},
            ],
        },
        {
            "prompt": "Where are CIs recorded?",
            "options": [
                {"text": "In the CMDB", "correct": True, "feedback": "Right. In the CMDB."},
                {"text": "In the SLA", "correct": False, "feedback": "The SLA states service levels."},
            ],
        },
    ]
}
SERVICES = {
    "slug": "tst-services",
    "title": "Services and customers",
    "minutes": 10,
    "body": [
        {"type": "text", "value": "A service delivers value to customers without the costs of ownership."},
        {"type": "key_term", "value": {"term": "Service", "glossary": "service", "explanation": "Value."}},
        {"type": "knowledge_check", "value": CHECK},
    ],
}
ROLES = {
    "slug": "tst-roles",
    "title": "Roles",
    "minutes": 10,
    "body": [{"type": "text", "value": "Owners are accountable."}],
}
COURSE_DE = {
    "slug": "tst-course",
    "certification": "TCO",
    "title": "Testkurs",
    "summary": "Ein kurzer Kurs über Services.",
    "modules": [{"slug": "tst-basics", "title": "Grundlagen", "lessons": ["tst-services", "tst-roles"]}],
}
CHECK_DE = {
    "questions": [
        {
            "prompt": "Wer vereinbart die Service Levels?",
            "options": [
                {"text": "Der Nutzer", "correct": False, "feedback": "Nutzer arbeiten mit dem Service."},
                {"text": "Der Kunde", "correct": True, "feedback": "Richtig. Der Kunde vereinbart sie."},
            ],
        },
        {
            "prompt": "Wo werden CIs erfasst?",
            "options": [
                {"text": "In der CMDB", "correct": True, "feedback": "Richtig. In der CMDB."},
                {"text": "Im SLA", "correct": False, "feedback": "Das SLA nennt Service Levels."},
            ],
        },
    ]
}
SERVICES_DE = {
    "url_slug": "tst-services-und-kunden",
    "slug": "tst-services",
    "title": "Services und Kunden",
    "body": [
        {"type": "text", "value": "Ein Service stiftet Kunden Nutzen, ohne dass sie Eigentumskosten tragen."},
        {"type": "key_term", "value": {"term": "Service", "glossary": "service", "explanation": "Nutzen."}},
        {"type": "knowledge_check", "value": CHECK_DE},
    ],
}
GLOSSARY = {
    "terms": [
        {"slug": "service", "term": "Service", "definition": "A way of delivering value.", "see_also": []},
        {"slug": "customer", "term": "Customer", "definition": "Who agrees the service levels."},
    ]
}
GLOSSARY_DE = {"terms": [{"slug": "service", "term": "Service", "definition": "Ein Weg, Nutzen zu stiften."}]}

COURSE_URL = "/courses/tst-course/"
LESSON_EN_URL = "/courses/tst-course/tst-basics/tst-services/"
LESSON_DE_URL = "/courses/tst-course/tst-basics/tst-services-und-kunden/"
ROLES_URL = "/courses/tst-course/tst-basics/tst-roles/"


def _write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture
def content(tmp_path):
    """A content/ folder with one small course in English and German and a two-term glossary."""
    shutil.copytree(CONTENT_DIR / "pages", tmp_path / "pages")
    course = tmp_path / "courses" / "tst"
    _write(course / "course.yaml", COURSE)
    _write(course / "lessons" / "tst-services.yaml", SERVICES)
    _write(course / "lessons" / "tst-roles.yaml", ROLES)
    _write(course / "locale" / "de" / "course.yaml", COURSE_DE)
    _write(course / "locale" / "de" / "lessons" / "tst-services.yaml", SERVICES_DE)
    _write(tmp_path / "glossary.yaml", GLOSSARY)
    _write(tmp_path / "glossary.de.yaml", GLOSSARY_DE)
    return tmp_path


@pytest.fixture
def loaded(content):
    CertificationFactory(code="TCO", name="Test certification")
    courses_load(content)
    return content


def lesson(language, slug="tst-services"):
    return LessonPage.objects.get(
        locale__language_code=language, translation_key=_english(slug).translation_key
    )


def _english(slug):
    return LessonPage.objects.get(slug=slug, locale__language_code="en")


def html_lang(response):
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def german(user):
    user.language = "de"
    user.save(update_fields=["language"])
    return user


# The loader


def test_translations_load_as_versions_of_the_english_pages_and_a_reload_changes_nothing(loaded):
    english, german_lesson = _english("tst-services"), lesson("de")
    assert german_lesson.translation_key == english.translation_key and german_lesson.pk != english.pk
    assert german_lesson.title == "Services und Kunden" and german_lesson.slug == "tst-services-und-kunden"
    assert german_lesson.minutes == 10  # not wording: from the English lesson
    module = german_lesson.get_parent().specific
    assert module.title == "Grundlagen" and module.locale.language_code == "de"
    assert module.get_parent().get_parent().get_parent().locale.language_code == "de"  # the German site root
    english_ids = [b.id for b in english.body]
    assert [b.id for b in german_lesson.body] == english_ids  # the same blocks, so the same knowledge check
    term = GlossaryTerm.objects.get(slug="service", locale__language_code="de")
    assert term.definition == "Ein Weg, Nutzen zu stiften."
    assert (
        term.translation_key
        == GlossaryTerm.objects.get(slug="service", locale__language_code="en").translation_key
    )
    pages, revisions = page_count(), Revision.objects.count()
    assert courses_load(loaded) == []
    assert (page_count(), Revision.objects.count()) == (pages, revisions)


def test_a_changed_translation_updates_its_page(loaded):
    _write(loaded / "courses/tst/locale/de/lessons/tst-services.yaml", SERVICES_DE | {"title": "Services"})
    assert "updated: LessonPage tst-services (de)" in courses_load(loaded)
    assert lesson("de").title == "Services"


def test_a_lesson_that_is_not_in_the_english_course_is_refused(loaded):
    _write(loaded / "courses/tst/locale/de/lessons/tst-extra.yaml", ROLES | {"slug": "tst-extra"})
    with pytest.raises(ContentError, match="'tst-extra' is not a lesson of the English course"):
        courses_load(loaded)


def test_a_knowledge_check_with_another_key_is_refused(loaded):
    changed = yaml.safe_load(yaml.safe_dump(SERVICES_DE))
    options = changed["body"][2]["value"]["questions"][0]["options"]
    options[0]["correct"], options[1]["correct"] = True, False
    _write(loaded / "courses/tst/locale/de/lessons/tst-services.yaml", changed)
    with pytest.raises(ContentError, match=r"tst-services.yaml: block 3 \(knowledge_check\).*key differs"):
        courses_load(loaded)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["body"].pop(0), "2 blocks, the English lesson has 3"),
        (lambda d: d["body"][0].update(type="callout"), "block 1 is 'callout'"),
        (lambda d: d["body"][1]["value"].update(glossary="customer"), "must be 'service'"),
        (lambda d: d["body"][2]["value"]["questions"].pop(), "1 entries, the English lesson has 2"),
        (lambda d: d.update(slug="tst-roles"), "needs slug 'tst-services'"),
    ],
)
def test_a_translation_of_another_structure_is_refused(loaded, change, message):
    changed = yaml.safe_load(yaml.safe_dump(SERVICES_DE))
    change(changed)
    _write(loaded / "courses/tst/locale/de/lessons/tst-services.yaml", changed)
    with pytest.raises(ContentError, match=re.escape(message)):
        courses_load(loaded)


def test_a_module_or_glossary_term_the_english_lacks_is_refused(loaded):
    _write(loaded / "glossary.de.yaml", {"terms": [{"slug": "nope", "term": "X", "definition": "Y"}]})
    with pytest.raises(ContentError, match="'nope', not a term of glossary.yaml"):
        courses_load(loaded)
    _write(loaded / "glossary.de.yaml", GLOSSARY_DE)
    _write(
        loaded / "courses/tst/locale/de/course.yaml",
        COURSE_DE | {"modules": [{"slug": "other", "title": "X"}]},
    )
    with pytest.raises(ContentError, match="module 'other' is not a module of the English course"):
        courses_load(loaded)


def test_missing_translation_files_are_fine(loaded):
    assert not LessonPage.objects.filter(locale__language_code="de", slug="tst-roles").exists()
    assert not CoursePage.objects.filter(locale__language_code="fr").exists()


# Pages in the reader's language


def test_a_course_address_shows_the_version_in_the_readers_language(client, loaded):
    response = client.get(COURSE_URL, HTTP_ACCEPT_LANGUAGE="de")
    assert "<h1>Testkurs</h1>" in response.content.decode() and html_lang(response) == "de"
    response = client.get(COURSE_URL, HTTP_ACCEPT_LANGUAGE="en")
    assert "<h1>Test course</h1>" in response.content.decode() and html_lang(response) == "en"
    response = client.get("/courses/", HTTP_ACCEPT_LANGUAGE="de")
    assert 'href="/courses/tst-course/">Testkurs' in response.content.decode()


def test_a_signed_in_learner_reads_in_the_language_of_their_profile(client, loaded, learner):
    login(client, german(learner))
    response = client.get(COURSE_URL, HTTP_ACCEPT_LANGUAGE="en")
    assert "<h1>Testkurs</h1>" in response.content.decode()
    # The lesson's English address leads to its German version (which has a German slug).
    response = client.get(LESSON_EN_URL)
    assert response.status_code == 302 and response["Location"] == LESSON_DE_URL
    page = client.get(LESSON_DE_URL).content.decode()
    assert "Services und Kunden" in page and "Wer vereinbart die Service Levels?" in page


def test_the_language_switcher_shows_the_same_lesson_in_the_other_language(client, loaded, learner):
    login(client, german(learner))
    response = client.post("/language/", {"language": "en", "next": LESSON_DE_URL}, follow=True)
    assert response.redirect_chain[-1][0] == LESSON_EN_URL
    assert "<h1>Services and customers</h1>" in response.content.decode() and html_lang(response) == "en"
    learner.refresh_from_db()
    assert learner.language == "en"


def test_a_page_without_a_version_in_the_language_is_the_english_one_with_a_note(client, loaded):
    response = client.get(ROLES_URL, HTTP_ACCEPT_LANGUAGE="de")
    page = response.content.decode()
    assert response.status_code == 200 and "<h1>Roles</h1>" in page and html_lang(response) == "en"
    with translation.override("de"):
        note = translation.gettext(
            "This page is not yet translated into your language; it is shown in %(language)s."
        ) % {"language": translation.pgettext("language name in a sentence", "English")}
    assert f'role="note" lang="de">{note}</p>' in page
    assert 'role="note"' not in client.get(ROLES_URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # The German course lists its untranslated lesson too, in English, with the same progress.
    course = client.get(COURSE_URL, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert 'href="/courses/tst-course/tst-basics/tst-roles/">Roles' in course


def test_each_page_lists_its_languages_with_hreflang_and_addresses_that_keep_the_language(client, loaded):
    page = client.get(LESSON_DE_URL, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    links = re.findall(r'<a href="([^"]+)" hreflang="(\w+)" lang="(\w+)"[^>]*>([^<]+)</a>', page)
    assert links == [
        (f"/en{LESSON_EN_URL}", "en", "en", "English"),
        (f"/de{LESSON_DE_URL}", "de", "de", "Deutsch"),
    ]
    assert f'<link rel="alternate" hreflang="en" href="http://testserver/en{LESSON_EN_URL}">' in page
    # The English version's address shows it to a German reader, and the German one to anyone.
    english = client.get(f"/en{LESSON_EN_URL}", HTTP_ACCEPT_LANGUAGE="de")
    assert "<h1>Services and customers</h1>" in english.content.decode() and html_lang(english) == "en"
    assert f'href="{LESSON_DE_URL}">Deutsch</a>' in english.content.decode()  # "also in your language"
    assert "<h1>Services und Kunden</h1>" in client.get(f"/de{LESSON_DE_URL}").content.decode()
    assert client.get(f"/de{ROLES_URL}").status_code == 404
    roles = client.get(ROLES_URL).content.decode()
    assert re.findall(r'hreflang="(\w+)" lang', roles) == ["en"]


# Progress belongs to the translation group


def test_progress_made_in_german_is_the_progress_in_english(client, loaded, learner):
    login(client, german(learner))
    german_course = CoursePage.objects.get(locale__language_code="de")
    client.post(f"/learning/courses/{german_course.pk}/enrol/")
    english_course = CoursePage.objects.get(locale__language_code="en")
    assert Enrolment.objects.get(user=learner).course_id == english_course.pk
    german_lesson = lesson("de")
    block_id = next(str(b.id) for b in german_lesson.body if b.block_type == "knowledge_check")
    data = {"block": block_id, f"kc-{block_id}-0": "1", f"kc-{block_id}-1": "0"}
    client.post(f"/learning/lessons/{german_lesson.pk}/check/", data)
    english_lesson = _english("tst-services")
    assert LessonCompletion.objects.get(user=learner).lesson_id == english_lesson.pk
    assert KnowledgeCheckAttempt.objects.get(user=learner).lesson_id == english_lesson.pk
    german_page = client.get(LESSON_DE_URL).content.decode()
    assert "Der Kunde vereinbart sie." in german_page  # the feedback of the latest attempt
    learner.language = "en"
    learner.save(update_fields=["language"])
    english_page = client.get(LESSON_EN_URL).content.decode()
    assert "The customer agrees them." in english_page and "status-ok" in english_page
    course = client.get(COURSE_URL).content.decode()
    assert "Enrol in this course" not in course and "1 of 2 done" in course


def test_the_services_accept_any_version_of_a_course_or_lesson(loaded, learner):
    german_course = CoursePage.objects.get(locale__language_code="de")
    _enrolment, created = services.enrolment_create(user=learner, course=german_course)
    assert created
    assert not services.enrolment_create(
        user=learner, course=CoursePage.objects.get(locale__language_code="en")
    )[1]
    services.lesson_mark_complete(user=learner, lesson=_english("tst-roles"))
    assert services.enrolment_withdraw(user=learner, course=german_course)
    assert LessonCompletion.objects.filter(user=learner).count() == 1


# Search and caching


def test_search_finds_the_readers_language_only(loaded):
    with translation.override("de"):
        german_hits = site_search(query="Nutzen")
    assert [h["page"].title for h in german_hits["lessons"]] == ["Services und Kunden"]
    assert [h["term"].definition for h in german_hits["best_terms"] + german_hits["terms"]] == [
        "Ein Weg, Nutzen zu stiften."
    ]
    with translation.override("en"):
        assert site_search(query="Nutzen")["lessons"] == []
        english_hits = site_search(query="value")
    assert [h["page"].title for h in english_hits["lessons"]] == ["Services and customers"]
    assert all(h["term"].locale.language_code == "en" for h in english_hits["terms"])


def test_the_glossary_is_in_the_readers_language_with_english_where_untranslated(client, loaded):
    page = client.get("/glossary/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Ein Weg, Nutzen zu stiften." in page and "A way of delivering value." not in page
    assert '<dt id="customer" lang="en">Customer</dt>' in page


def test_a_shared_copy_of_a_page_varies_by_language(client, loaded):
    for language, title in (("de", "Testkurs"), ("en", "Test course")):
        response = client.get(COURSE_URL, HTTP_ACCEPT_LANGUAGE=language)
        assert "public" in response["Cache-Control"] and title in response.content.decode()
        vary = {v.strip() for v in response["Vary"].split(",")}
        assert {"Cookie", "Accept-Language"} <= vary
        assert response["Content-Language"] == language
    assert client.get("/glossary/", HTTP_ACCEPT_LANGUAGE="de")["Content-Language"] == "de"


def test_the_fnd_course_files_load_in_german():
    """The German FND files have the English structure (checked by the loader's rules)."""
    folder = Path(CONTENT_DIR / "courses" / "fnd" / "locale" / "de")
    english = yaml.safe_load((CONTENT_DIR / "courses/fnd/course.yaml").read_text(encoding="utf-8"))
    lessons = {slug for m in english["modules"] for slug in m["lessons"]}
    assert {p.stem for p in (folder / "lessons").glob("*.yaml")} == lessons
    german_terms = yaml.safe_load((CONTENT_DIR / "glossary.de.yaml").read_text(encoding="utf-8"))["terms"]
    english_terms = yaml.safe_load((CONTENT_DIR / "glossary.yaml").read_text(encoding="utf-8"))["terms"]
    assert [t["slug"] for t in german_terms] == [t["slug"] for t in english_terms]

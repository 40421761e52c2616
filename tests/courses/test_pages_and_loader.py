import pytest
from django.db import transaction
from wagtail.models import Page, Revision

from content.course_loader import courses_load, page_count
from content.loader import certifications_load
from courses.models import CatalogueIndexPage, CoursePage, GlossaryTerm, LessonPage, ModulePage


@pytest.fixture(scope="module")
def _loaded_once(django_db_setup, django_db_blocker):
    """All of content/ loaded once for this module, inside a transaction rolled back at its end;
    each test runs in a savepoint within it, so what one test changes the next never sees."""
    with django_db_blocker.unblock(), transaction.atomic():
        certifications_load()
        yield courses_load()
        transaction.set_rollback(True)


@pytest.fixture
def loaded(_loaded_once, db):
    """The report of the first load."""
    return _loaded_once


def test_page_tree_is_strict():
    assert CatalogueIndexPage.parent_page_types == ["wagtailcore.Page"]
    assert CoursePage.parent_page_types == ["courses.CatalogueIndexPage"]
    assert ModulePage.parent_page_types == ["courses.CoursePage"]
    assert LessonPage.parent_page_types == ["courses.ModulePage"] and LessonPage.subpage_types == []


@pytest.mark.django_db
def test_loader_builds_every_course_and_is_idempotent(loaded):
    english = {"locale__language_code": "en"}
    assert CoursePage.objects.filter(**english).count() == 3
    assert LessonPage.objects.filter(**english).count() >= 8 + 12 + 12
    assert GlossaryTerm.objects.filter(**english).count() >= 60
    pages, revisions = page_count(), Revision.objects.count()
    assert courses_load() == []
    assert (page_count(), Revision.objects.count()) == (pages, revisions)


@pytest.mark.django_db
def test_a_page_edited_in_the_cms_survives_a_reload(loaded):
    lesson = LessonPage.objects.order_by("pk").first()
    lesson.title = "Edited by an editor"
    lesson.save_revision().publish()
    LessonPage.objects.filter(pk=lesson.pk).update(source_hash="changed-on-disk")
    report = courses_load()
    assert any("left alone" in line and lesson.slug in line for line in report)
    assert LessonPage.objects.get(pk=lesson.pk).title == "Edited by an editor"


@pytest.mark.django_db
def test_a_changed_source_updates_the_page(loaded):
    lesson = LessonPage.objects.order_by("pk").first()
    LessonPage.objects.filter(pk=lesson.pk).update(source_hash="stale", title="Old title")
    report = courses_load()
    assert f"updated: LessonPage {lesson.slug}" in report
    assert LessonPage.objects.get(pk=lesson.pk).title != "Old title"


@pytest.mark.django_db
def test_loaded_tree_renders_and_keeps_its_rules(client, loaded):
    course = CoursePage.objects.first()
    assert not LessonPage.can_create_at(course)
    assert ModulePage.can_create_at(course)
    assert not CoursePage.can_create_at(Page.objects.get(depth=1))
    assert "FitSM Foundation" in client.get("/courses/").content.decode()
    page = client.get("/courses/fitsm-advanced-soc/").content.decode()
    assert (
        "30 multiple-choice questions" in page and "pass mark 70 % (21 of 30)" in page and "Syllabus" in page
    )
    lesson = LessonPage.objects.live().filter(slug__startswith="soc-isrm").first()
    body = client.get(lesson.url).content.decode()
    assert "PR9.1" in body and "Check your understanding" in body and "After this lesson you can" in body
    assert body.count("<h1") == 1
    page = client.get("/glossary/").content.decode()
    term = GlossaryTerm.objects.get(slug="configuration-item", locale__language_code="en")
    assert f'id="{term.slug}"' in page and 'href="#letter-C"' in page
    found = client.get("/search/", {"q": "known error"}).content.decode()
    assert "Problem" in found or "problem" in found
    assert 'href="/glossary/#known-error"' in found
    assert "No lesson matches" in client.get("/search/", {"q": "zzzqqqxxx"}).content.decode()

"""A small course tree for the learning tests: catalogue → course → module → two lessons,
the second with a knowledge check of two questions (correct options: 1 and 0)."""

from types import SimpleNamespace

import pytest
from wagtail.models import Locale, Page, Site

from courses.models import CatalogueIndexPage, CoursePage, LessonPage, ModulePage
from tests.factories import CertificationFactory

CHECK = {
    "questions": [
        {
            "prompt": "Who is accountable for a process?",
            "options": [
                {
                    "text": "The process manager",
                    "correct": False,
                    "feedback": "The manager runs it day to day.",
                },
                {"text": "The process owner", "correct": True, "feedback": "Yes: one owner per process."},
                {
                    "text": "The service desk",
                    "correct": False,
                    "feedback": "The desk is a function, not an owner.",
                },
            ],
        },
        {
            "prompt": "What does a configuration item belong to?",
            "options": [
                {"text": "The CMDB", "correct": True, "feedback": "Right: CIs are recorded in the CMDB."},
                {"text": "The SLA", "correct": False, "feedback": "An SLA describes service levels."},
            ],
        },
    ]
}
RIGHT = {"0": "1", "1": "0"}
WRONG = {"0": "0", "1": "0"}


def site_root():
    """The default site's root page; recreated when a transactional test flushed the one the
    migrations made (as the browser tests do)."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None:
        return site.root_page
    Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.add_child(instance=Page(title="Home", slug="home"))
    Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    return home


def build_course(*, code="TCO", slug="test-course", title="Test course"):
    root = site_root()
    catalogue = CatalogueIndexPage.objects.first()
    if catalogue is None:
        catalogue = root.add_child(instance=CatalogueIndexPage(title="Courses", slug="courses"))
    certification = CertificationFactory(code=code, name=f"{title} certification")
    course = catalogue.add_child(
        instance=CoursePage(title=title, slug=slug, certification=certification, summary="A short course.")
    )
    module = course.add_child(instance=ModulePage(title="Basics", slug=f"{slug}-basics"))
    reading = module.add_child(
        instance=LessonPage(
            title="Reading lesson",
            slug=f"{slug}-reading",
            body=[{"type": "text", "value": "Some **prose**."}],
        )
    )
    checked = module.add_child(
        instance=LessonPage(
            title="Checked lesson",
            slug=f"{slug}-checked",
            body=[{"type": "text", "value": "More prose."}, {"type": "knowledge_check", "value": CHECK}],
        )
    )
    checked = LessonPage.objects.get(pk=checked.pk)
    block_id = next(str(b.id) for b in checked.body if b.block_type == "knowledge_check")
    return SimpleNamespace(
        catalogue=catalogue,
        course=course,
        certification=certification,
        module=module,
        reading=reading,
        checked=checked,
        block_id=block_id,
    )


@pytest.fixture
def tree(db):
    return build_course()


def answers(tree, choice):
    data = {f"kc-{tree.block_id}-{q}": v for q, v in choice.items()}
    data["block"] = tree.block_id
    return data

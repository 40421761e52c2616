"""Inside a lesson: previous and next lesson across modules, the course outline with the current
lesson marked and the learner's progress, "Lesson complete" with the next step, feedback that
states each verdict once, and diagrams with a required text alternative."""

import re

import pytest
from wagtail.blocks import StructBlockValidationError

from courses import services
from courses.blocks import FigureBlock, ImageFigureBlock, LessonStreamBlock
from courses.knowledge_checks import feedback_without_verdict
from courses.models import LessonPage, ModulePage
from courses.selectors import lesson_learning_state
from tests.conftest import login
from tests.courses.conftest import RIGHT, WRONG, answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_module(tree):
    """A second module with one lesson, so the course runs: reading → checked → closing."""
    module = tree.course.add_child(instance=ModulePage(title="Further", slug="test-course-further"))
    closing = module.add_child(
        instance=LessonPage(
            title="Closing lesson", slug="test-course-closing", body=[{"type": "text", "value": "End."}]
        )
    )
    return closing


@pytest.fixture
def enrolled(tree, learner):
    services.enrolment_create(user=learner, course=tree.course)
    return learner


def test_previous_and_next_cross_module_boundaries(tree, second_module, learner):
    state = lesson_learning_state(user=learner, lesson=tree.checked, course=tree.course)
    assert state["previous_lesson"].pk == tree.reading.pk
    assert state["next_lesson"].pk == second_module.pk
    first = lesson_learning_state(user=learner, lesson=tree.reading, course=tree.course)
    last = lesson_learning_state(user=learner, lesson=second_module, course=tree.course)
    assert first["previous_lesson"] is None
    assert last["next_lesson"] is None and last["previous_lesson"].pk == tree.checked.pk


def test_the_next_step_is_the_next_lesson_and_at_the_end_the_course(tree, second_module, learner):
    state = lesson_learning_state(user=learner, lesson=tree.checked, course=tree.course)
    assert state["next_step"] == {"kind": "lesson", "page": state["next_lesson"]}
    last = lesson_learning_state(user=learner, lesson=second_module, course=tree.course)
    assert last["next_step"]["kind"] == "course" and last["next_step"]["page"].pk == tree.course.pk


def test_the_lesson_page_links_to_the_next_lesson_in_the_next_module(client, tree, second_module):
    page = client.get(tree.checked.url).content.decode()
    assert f'rel="next" href="{second_module.url}"' in page
    assert f'rel="prev" href="{tree.reading.url}"' in page


def test_the_outline_lists_every_lesson_and_marks_the_current_one(client, tree, second_module):
    page = client.get(tree.checked.url).content.decode()
    outline = page[page.index('class="course-outline') :]
    outline = outline[: outline.index("</nav>")]
    for lesson in (tree.reading, tree.checked, second_module):
        assert f'href="{lesson.url}"' in outline
    assert "Basics" in outline and "Further" in outline
    current = re.findall(r'<a href="([^"]+)" aria-current="page">', outline)
    assert current == [tree.checked.url]


def test_the_outline_shows_the_learners_progress_in_words_and_a_bar(client, tree, second_module, enrolled):
    services.lesson_mark_complete(user=enrolled, lesson=tree.reading)
    login(client, enrolled)
    page = client.get(tree.checked.url).content.decode()
    assert "33 % (1 of 3 lessons)" in page
    assert '<label for="lesson-course-progress">Your progress</label>' in page
    assert '<progress id="lesson-course-progress" max="100" value="33">' in page
    outline = page[page.index('class="course-outline') :]
    assert "(completed)" in outline[: outline.index("</nav>")]


def test_a_visitor_sees_the_outline_but_no_progress(client, tree):
    page = client.get(tree.checked.url).content.decode()
    assert "Course outline" in page and "<progress" not in page
    assert "and enrol to record your progress" in page


def test_a_passed_check_says_lesson_complete_and_offers_the_next_lesson(
    client, tree, second_module, enrolled
):
    login(client, enrolled)
    client.post(f"/learning/lessons/{tree.checked.pk}/check/", answers(tree, RIGHT))
    page = client.get(tree.checked.url).content.decode()
    check = page[page.index('class="knowledge-check') :]
    assert "Lesson complete" in check
    assert f'<a class="button" href="{second_module.url}">Next lesson: Closing lesson</a>' in check


def test_at_the_end_of_the_course_the_next_step_is_the_practice_exam_and_the_course(client, tree, enrolled):
    login(client, enrolled)
    client.post(f"/learning/lessons/{tree.checked.pk}/check/", answers(tree, RIGHT))
    page = client.get(tree.checked.url).content.decode()
    check = page[page.index('class="knowledge-check') :]
    assert "This was the last lesson of the course." in check
    assert f'action="/exams/practice/{tree.certification.code}/"' in check
    assert f'href="{tree.course.url}">Back to Test course</a>' in check


def test_a_failed_check_states_the_verdict_once_and_no_lesson_complete(client, tree, enrolled):
    login(client, enrolled)
    response = client.post(f"/learning/lessons/{tree.checked.pk}/check/", answers(tree, WRONG), follow=True)
    page = response.content.decode()
    assert page.count("1 of 2 right") == 1  # no flash message repeating the block's verdict
    assert "Lesson complete" not in page


def test_a_passed_check_states_the_verdict_once(client, tree, enrolled):
    login(client, enrolled)
    response = client.post(f"/learning/lessons/{tree.checked.pk}/check/", answers(tree, RIGHT), follow=True)
    page = response.content.decode()
    assert page.count("answers are right") == 1
    assert page.count("Lesson complete") == 1
    assert 'class="messages"' not in page


def test_option_feedback_does_not_repeat_the_verdict_of_its_text(client, tree, enrolled):
    login(client, enrolled)
    client.post(f"/learning/lessons/{tree.checked.pk}/check/", answers(tree, RIGHT))
    page = client.get(tree.checked.url).content.decode()
    assert "<strong>Right.</strong> One owner per process." in page
    assert "<strong>Right.</strong> CIs are recorded in the CMDB." in page
    assert "Right. Right" not in page and "Yes:" not in page


@pytest.mark.parametrize(
    "text, shown",
    [
        ("Right. GR1.2 gives the approval to the SMS owner.", "GR1.2 gives the approval to the SMS owner."),
        ("Correct: the owner approves.", "The owner approves."),
        ("Not quite. The manager runs it.", "The manager runs it."),
        ("The manager runs it day to day.", "The manager runs it day to day."),
        ("Rightly so, owners decide.", "Rightly so, owners decide."),
        ("Right.", "Right."),
    ],
)
def test_feedback_loses_only_an_opening_verdict(text, shown):
    assert feedback_without_verdict(text) == shown


def test_marking_a_lesson_complete_shows_the_next_step_without_a_second_message(client, tree, enrolled):
    login(client, enrolled)
    response = client.post(f"/learning/lessons/{tree.reading.pk}/complete/", follow=True)
    page = response.content.decode()
    assert page.count("Lesson complete") == 1 and 'class="messages"' not in page
    assert f'<a class="button" href="{tree.checked.url}">Next lesson: Checked lesson</a>' in page


def test_a_figure_without_a_text_alternative_is_refused():
    block = FigureBlock()
    with pytest.raises(StructBlockValidationError) as exc:
        block.clean(block.to_python({"svg": "<svg></svg>", "alt": "  ", "caption": "A diagram"}))
    assert "alt" in exc.value.block_errors
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({"svg": "", "alt": "Boxes", "caption": ""}))
    assert (
        block.clean(block.to_python({"svg": "<svg></svg>", "alt": "Two boxes", "caption": ""}))["alt"]
        == "Two boxes"
    )


def test_an_image_without_a_text_alternative_is_refused():
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    image = Image.objects.create(title="A map", file=get_test_image_file())
    block = ImageFigureBlock()
    with pytest.raises(StructBlockValidationError) as exc:
        block.clean(block.to_python({"image": image.pk, "alt": "", "caption": ""}))
    assert "alt" in exc.value.block_errors
    assert "image" in LessonStreamBlock.base_blocks


def test_figures_and_images_render_with_their_text_alternative(client, tree):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    image = Image.objects.create(title="A map", file=get_test_image_file())
    lesson = tree.reading
    lesson.body = [
        {
            "type": "figure",
            "value": {"svg": "<svg><rect/></svg>", "alt": "One box alone", "caption": "A box"},
        },
        {"type": "image", "value": {"image": image.pk, "alt": "Three processes in a row", "caption": ""}},
    ]
    lesson.save_revision().publish()
    page = client.get(lesson.url).content.decode()
    assert 'role="img" aria-label="One box alone"' in page and "<figcaption>A box</figcaption>" in page
    assert re.search(r'<img alt="Three processes in a row"[^>]*src="[^"]+"', page)


def test_every_figure_of_the_loaded_courses_has_a_text_alternative():
    """The course content's diagrams (content/courses) each carry an alt text."""
    from pathlib import Path

    import yaml

    figures = 0
    for path in Path("content/courses").rglob("*.yaml"):
        for block in (yaml.safe_load(path.read_text()) or {}).get("body", []) or []:
            if isinstance(block, dict) and block.get("type") == "figure":
                figures += 1
                assert (block["value"].get("alt") or "").strip(), path
    assert figures > 0

"""Knowledge-check options are shown in an order shuffled per learner; grading ignores the order."""

import re

import pytest

from content.bank_lint import knowledge_checks
from courses import services
from courses.knowledge_checks import option_order
from tests.conftest import login
from tests.courses.conftest import RIGHT, answers
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _shown_indexes(html, name):
    return [int(v) for v in re.findall(rf'name="{re.escape(name)}" value="(\d+)"', html)]


def test_the_order_is_stable_for_one_learner_and_differs_between_learners():
    orders = {viewer: [tuple(option_order(viewer=viewer, block_id="b", question_index=q, count=4)) for q in range(20)]
              for viewer in ("user-1", "user-2")}  # fmt: skip
    again = [tuple(option_order(viewer="user-1", block_id="b", question_index=q, count=4)) for q in range(20)]
    assert orders["user-1"] == again
    assert orders["user-1"] != orders["user-2"]
    assert all(sorted(o) == [0, 1, 2, 3] for o in orders["user-1"])


def test_over_the_course_checks_the_right_option_is_shown_first_about_as_often_as_chance():
    """Over every knowledge check of the courses, the right option is shown first about as
    often as chance says (in the files it used to be first in almost every question)."""
    checks = knowledge_checks()
    assert len(checks) > 50
    first, expected = 0, 0.0
    for viewer in ("user-7", "user-8", "user-9"):
        for qi, (_, _, options) in enumerate(checks):
            right = next(i for i, o in enumerate(options) if o.get("correct"))
            order = option_order(viewer=viewer, block_id=f"block-{qi}", question_index=0, count=len(options))
            first += order[0] == right
            expected += 1 / len(options)
    assert 0.6 * expected < first < 1.4 * expected


def test_a_learner_sees_shuffled_options_and_right_answers_still_pass(client, tree):
    learners = [UserFactory() for _ in range(6)]
    shown = set()
    for learner in learners:
        services.enrolment_create(user=learner, course=tree.course)
        login(client, learner)
        html = client.get(tree.checked.url).content.decode()
        shown.add(tuple(_shown_indexes(html, f"kc-{tree.block_id}-0")))
        assert client.get(tree.checked.url).content.decode().count("value=") == html.count("value=")
    assert len(shown) > 1, "every learner saw the options in the same order"
    learner = learners[0]
    login(client, learner)
    client.post(f"/learning/lessons/{tree.checked.pk}/check/", answers(tree, RIGHT))
    assert learner.knowledge_check_attempts.get().passed


def test_visitors_see_the_options_of_the_public_page_shuffled_too(client, tree):
    html = client.get(tree.checked.url).content.decode()
    [(_, questions)] = [(b, q) for b, q in services.knowledge_check_blocks(tree.checked)]
    order = option_order(
        viewer="anonymous", block_id=tree.block_id, question_index=0, count=len(questions[0]["options"])
    )
    texts = [questions[0]["options"][i]["text"] for i in order]
    positions = [html.index(t) for t in texts]
    assert positions == sorted(positions)

"""Reading and grading a lesson's knowledge-check blocks. Grading uses only the block data on
the server; the browser sends which option it chose, never whether that option is right."""

import hashlib
import hmac
import random
import re

from django.conf import settings
from django.utils.translation import gettext_lazy as _

PASS_RULE = _(
    "Answer every question correctly to complete this lesson; you can try again as often as you like."
)

# A verdict the feedback text itself may open with ("Right. GR1.2 gives …", "Richtig. …",
# "Exact. …"), in any of the content languages: the page states the verdict of each answer once,
# so the text's own opening verdict is left out.
_OPENING_VERDICT = re.compile(
    r"^\s*(?:right|correct|exactly|yes|no|not quite|wrong|incorrect"
    r"|richtig|genau|ja|nein|nicht ganz|falsch"
    r"|exact|exactement|oui|non|pas tout à fait|faux|incorrect)\s*[.:!,;\u2014-]+\s*",
    re.IGNORECASE,
)


def feedback_without_verdict(text):
    """The feedback of an option without an opening verdict word, first letter upper case."""
    rest = _OPENING_VERDICT.sub("", text or "", count=1)
    if not rest:
        return text or ""
    return rest[:1].upper() + rest[1:]


def field_name(block_id, question_index):
    return f"kc-{block_id}-{question_index}"


def knowledge_check_blocks(lesson):
    """The knowledge-check blocks of a lesson as (block id, list of questions) in page order."""
    return [
        (str(child.id), list(child.value["questions"]))
        for child in lesson.body
        if child.block_type == "knowledge_check"
    ]


def answers_parse(*, questions, block_id, data):
    """The chosen option index per question from submitted form data.

    Returns (answers, missing): answers is a list (None where unanswered), missing the indexes of
    unanswered questions. Raises ValueError when a value is not an option of its question."""
    answers, missing = [], []
    for qi, question in enumerate(questions):
        raw = data.get(field_name(block_id, qi))
        if raw in (None, ""):
            answers.append(None)
            missing.append(qi)
            continue
        raw = str(raw)
        if not (raw.isascii() and raw.isdigit()) or int(raw) >= len(question["options"]):
            raise ValueError(f"question {qi + 1}: {raw!r} is not an option")
        answers.append(int(raw))
    return answers, missing


def answers_grade(*, questions, answers):
    """(score, total) of complete answers: an answer is right when its option is marked correct."""
    score = sum(
        1
        for question, chosen in zip(questions, answers, strict=True)
        if question["options"][chosen]["correct"]
    )
    return score, len(questions)


def option_order(*, viewer, block_id, question_index, count):
    """The order in which one viewer sees a question's options: shuffled per viewer (a keyed hash
    of the viewer, the block and the question seeds it), the same on every visit. Options keep
    their index in the block data, so grading never depends on the order shown."""
    message = f"{viewer}:{block_id}:{question_index}".encode()
    seed = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()
    order = list(range(count))
    random.Random(seed).shuffle(order)
    return order


def questions_with_state(*, block_id, questions, answers=None, graded=False, errors=None, viewer="anonymous"):
    """What the knowledge-check template shows: each question with its options in the viewer's
    order, which one was chosen, and (once graded) whether the chosen option is right and its
    feedback."""
    errors = errors or {}
    out = []
    for qi, question in enumerate(questions):
        chosen = answers[qi] if answers and qi < len(answers) else None
        options = []
        order = option_order(
            viewer=viewer, block_id=block_id, question_index=qi, count=len(question["options"])
        )
        for oi in order:
            option = question["options"][oi]
            is_chosen = chosen == oi
            options.append(
                {
                    "index": oi,
                    "text": option["text"],
                    "chosen": is_chosen,
                    "feedback": feedback_without_verdict(option["feedback"]) if graded and is_chosen else "",
                    "correct": bool(option["correct"]) if graded and is_chosen else None,
                }
            )
        out.append(
            {
                "index": qi,
                "number": qi + 1,
                "name": field_name(block_id, qi),
                "prompt": question["prompt"],
                "options": options,
                "error": errors.get(qi, ""),
            }
        )
    return out

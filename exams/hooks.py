"""Small hooks through which apps above `exams` answer its questions.

`exams` never imports `certificates`: certificates registers a checker here
that answers "does this person hold this certification?". Until one is
registered, a passed, graded exam attempt counts as holding it."""

_holds_checker = None


def register_holds_checker(func):
    """Register func(user, certification) -> bool. The last registration wins."""
    global _holds_checker
    _holds_checker = func
    return func


def holds_certification(user, certification):
    if _holds_checker is not None:
        return _holds_checker(user, certification)
    from .models import Attempt, Purpose

    return Attempt.objects.filter(
        user=user, certification=certification, purpose=Purpose.EXAM, state=Attempt.State.GRADED, passed=True
    ).exists()


def missing_prerequisites(user, certification):
    return [p for p in certification.prerequisites.all() if not holds_certification(user, p)]


# What a finished attempt's result page offers next. Apps above exams register providers:
# func(attempt) -> list of {"heading": str, "text": str, "links": [(label, url), ...]}. The
# certificates app offers the certificate to a passed attempt; courses and trainers offer study
# and booking to a failed one. Providers run in registration order.
_result_next_steps = []


def register_result_next_steps(func):
    if func not in _result_next_steps:
        _result_next_steps.append(func)
    return func


def result_next_steps(attempt):
    sections = []
    for provider in _result_next_steps:
        sections.extend(provider(attempt) or [])
    return sections

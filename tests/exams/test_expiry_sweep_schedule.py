"""The beat's expiry sweep comes round at least twice in the 30 s an abandoned attempt has to be
graded after its deadline + grace: an attempt due just after one sweep is caught by the next with
time left for the sweep itself to wait behind other tasks."""

from datetime import timedelta

GRADING_TARGET = timedelta(seconds=30)


def test_the_expiry_sweep_runs_at_least_twice_within_the_grading_target(settings):
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["exams.tasks.attempts_expire_overdue"] <= GRADING_TARGET / 2

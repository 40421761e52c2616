"""Grading has a queue of its own, so an exam's deadline never waits behind a queue of PDFs; a
worker started without -Q still consumes every queue."""

from config.celery import app


def _queue_of(task_name):
    return app.amqp.router.route({}, task_name)["queue"].name


def test_the_expiry_sweep_and_grading_go_to_the_exams_queue():
    assert _queue_of("exams.tasks.attempts_expire_overdue") == "exams"
    assert _queue_of("exams.tasks.attempt_grade") == "exams"


def test_certificate_work_goes_to_the_default_queue():
    assert _queue_of("certificates.tasks.certificate_issued_notify") == "celery"
    assert _queue_of("certificates.tasks.certificates_sweep") == "celery"


def test_a_worker_without_q_consumes_both_queues():
    assert {q.name for q in app.conf.task_queues} == {"exams", "celery"}
    assert app.conf.task_default_queue == "celery"

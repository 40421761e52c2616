from django.apps import AppConfig


class ExamsConfig(AppConfig):
    verbose_name = "Exams"
    name = "exams"

    def ready(self):
        from . import receivers
        from .signals import attempt_graded

        attempt_graded.connect(receivers.on_attempt_graded, dispatch_uid="exams.on_attempt_graded")

from django.apps import AppConfig


class ExamsConfig(AppConfig):
    verbose_name = "Exams"
    name = "exams"

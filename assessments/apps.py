from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Service providers and FitSM-1 assessments"
    default_auto_field = "django.db.models.BigAutoField"

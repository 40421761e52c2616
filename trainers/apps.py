from django.apps import AppConfig


class TrainersConfig(AppConfig):
    name = "trainers"
    verbose_name = "Training organisations and trainers"

    def ready(self):
        from courses.hooks import register_sessions_calendar_url, register_upcoming_sessions_provider

        from . import receivers  # noqa: F401
        from .selectors import calendar_url_for_certification, upcoming_sessions_for_certification

        register_upcoming_sessions_provider(upcoming_sessions_for_certification)
        register_sessions_calendar_url(calendar_url_for_certification)

from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"

    def ready(self):
        from exams.hooks import register_result_next_steps

        from .result_steps import result_study_steps

        register_result_next_steps(result_study_steps)

from django.core.management.base import BaseCommand, CommandError

from content.course_loader import courses_load
from content.fitsm.loader import assessment_content_load
from content.loader import ContentError, banks_load, certifications_load
from exams.errors import ExamError


class Command(BaseCommand):
    help = "Load the FitSM certifications, question banks, glossary and courses from content/. Idempotent."

    def handle(self, *args, **options):
        try:
            n = certifications_load()
            self.stdout.write(f"Certifications: {n} loaded.")
            counts = banks_load()
        except (ContentError, ExamError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Questions: {counts['created']} created, {counts['updated']} updated, {counts['unchanged']} unchanged."
            )
        )
        try:
            report = courses_load()
        except ContentError as exc:
            raise CommandError(str(exc)) from None
        for line in report:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Courses: {len(report)} change(s)."))
        try:
            lines = assessment_content_load()
        except ContentError as exc:
            raise CommandError(str(exc)) from None
        for line in lines:
            self.stdout.write(line)

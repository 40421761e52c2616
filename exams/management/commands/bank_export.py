from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exams import errors
from exams.models import Certification, Purpose
from exams.services.bank_formats import FORMATS, bank_export, questions_for_export


class Command(BaseCommand):
    help = "Export the non-retired questions of one certification and purpose as YAML, GIFT or Moodle XML."

    def add_arguments(self, parser):
        parser.add_argument("--certification", required=True)
        parser.add_argument("--purpose", required=True, choices=Purpose.values)
        parser.add_argument("--format", required=True, choices=FORMATS)
        parser.add_argument("--output", help="File to write; default: standard output.")
        parser.add_argument(
            "--language", default="en", help="The language version to export (default en, the source)."
        )

    def handle(self, *args, **o):
        code = o["certification"].upper()
        if not Certification.objects.filter(code=code).exists():
            raise CommandError(f"No certification with code {o['certification']!r}.")
        questions = list(questions_for_export(code, o["purpose"], o["language"]))
        try:
            text = bank_export(
                questions, o["format"], certification=code, purpose=o["purpose"], language=o["language"]
            )
        except errors.ExamError as exc:
            raise CommandError(exc.detail) from None
        if not o["output"]:
            self.stdout.write(text, ending="")
            return
        Path(o["output"]).write_text(text, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Exported {len(questions)} question(s) to {o['output']}."))

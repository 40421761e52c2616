from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exams import errors
from exams.models import Purpose, Question
from exams.services.bank_formats import FORMATS, bank_parse
from exams.services.translations import bank_items_import


class Command(BaseCommand):
    help = (
        "Import a question bank file (YAML, GIFT or Moodle XML) all-or-nothing: "
        "a file with any bad item imports nothing and names every bad item. A file in another "
        "language than English (YAML language:, GIFT // language:, Moodle XML tag language:) "
        "imports language versions of existing questions."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--format", required=True, choices=FORMATS)
        parser.add_argument("--certification", help="Required for gift and moodle-xml.")
        parser.add_argument("--purpose", choices=Purpose.values, help="Required for gift and moodle-xml.")
        parser.add_argument(
            "--approved",
            action="store_true",
            help="Mark new questions approved (only for files already reviewed by two examiners); "
            "by default they wait in review for a second examiner.",
        )

    def handle(self, *args, **o):
        try:
            text = Path(o["file"]).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {o['file']}: {exc}") from None
        try:
            items = bank_parse(
                text,
                o["format"],
                certification=(o["certification"] or "").upper() or None,
                purpose=o["purpose"],
            )
            status = Question.Status.APPROVED if o["approved"] else Question.Status.IN_REVIEW
            counts = bank_items_import(items, status=status)
        except errors.ExamError as exc:
            raise CommandError(exc.detail) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Questions: {counts['created']} created, {counts['updated']} updated, "
                f"{counts['unchanged']} unchanged."
            )
        )

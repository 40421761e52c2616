import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from content import bank_cues
from content.bank_lint import cue_tables, language_items_lint, lint, translation_file_lint
from content.loader import CONTENT_DIR, LANGUAGE_FOLDER, bank_items_read


def bank_path(value):
    """The bank file --bank names: a path (content/banks/de/FND-exam.yaml), or a name under
    content/banks/ with or without .yaml (SOC-exam-2, de/FND-exam)."""
    given = Path(value)
    for path in (given, CONTENT_DIR.parent / given, CONTENT_DIR / "banks" / given):
        for candidate in (path, path.with_name(path.name + ".yaml")):
            if candidate.suffix == ".yaml" and candidate.is_file():
                return candidate.resolve()
    raise CommandError(f"No bank file {value} (give a file under content/banks/, e.g. de/FND-exam.yaml).")


class Command(BaseCommand):
    help = (
        "Check the question banks in content/banks/ (English) and content/banks/<language>/ "
        "(their translations) and the lessons' knowledge checks against the item-writing rules, "
        "and print the answer-cue table of every bank in every language."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--bank",
            help=(
                "Only this bank file (e.g. SOC-exam-2, or content/banks/de/FND-exam.yaml for a "
                "translation, checked with its English source): its cue table and its findings."
            ),
        )

    def handle(self, *args, **options):
        if options["bank"]:
            path = bank_path(options["bank"])
            if LANGUAGE_FOLDER.fullmatch(path.parent.name):
                findings = self._translation(path)
            else:
                findings = self._english(path)
        else:
            self.stdout.write(cue_tables())
            findings = lint()
        self.stdout.write("")
        for finding in findings:
            self.stderr.write(finding)
        if findings:
            raise CommandError(f"{len(findings)} finding(s) in the question banks.")
        self.stdout.write(self.style.SUCCESS("The question banks follow every rule."))

    def _english(self, path):
        name = path.stem
        items = bank_items_read(path)
        rows = bank_cues.bank_rows(items)
        for row in rows:
            row.name = name
        self.stdout.write(bank_cues.cue_table(rows))
        ids = {it.external_id for it in items}
        # English findings only: a translation's findings name its file (de/FND-exam.yaml).
        findings = [
            f
            for f in lint()
            if (any(i in f for i in ids) and not _names_translation(f)) or f.startswith(path.name)
        ]
        return findings + [f for row in rows for f in row.findings()]

    def _translation(self, path):
        language = path.parent.name
        english_path = path.parent.parent / path.name
        items, findings = translation_file_lint(
            language, path, english_path if english_path.is_file() else None
        )
        # Near-duplicates within the language: against the language's other files too.
        where = f"{language}/{path.name}"
        others = []
        for other in sorted(path.parent.glob("*.yaml")):
            source = other.parent.parent / other.name
            if other != path and source.is_file():
                others += translation_file_lint(language, other, source)[0]
        findings += [f for f in language_items_lint(items + others) if where in f]
        english = bank_items_read(english_path) if english_path.is_file() else []
        rows = bank_cues.bank_rows(english) + bank_cues.bank_rows(items)
        for row in rows:
            row.name = f"{path.stem} {row.language}"
        self.stdout.write(bank_cues.cue_table(rows))
        findings += [
            f for row in rows if row.language == language for f in row.findings() if "key letter" not in f
        ]
        return findings


# A finding about a translated item or file names it as de/FND-exam.yaml.
_TRANSLATION_FILE = re.compile(r"(?:^|\()[a-z]{2}(?:-[a-z]+)?/[^ :)]+\.yaml")


def _names_translation(finding):
    return bool(_TRANSLATION_FILE.search(finding.split(":", 1)[0]))

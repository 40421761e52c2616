"""Idempotent loaders that put the files of content/ into the database."""

import re
from pathlib import Path

import yaml
from django.db import transaction

from exams.models import Certification, Topic
from exams.services.bank import items_import
from exams.services.bank_formats import yaml_items, yaml_translation_items
from exams.services.translations import translations_import

CONTENT_DIR = Path(__file__).resolve().parent


class ContentError(Exception):
    pass


def read_yaml(path):
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ContentError(f"{path}: not valid YAML: {exc}") from None


@transaction.atomic
def certifications_load(path=None):
    data = read_yaml(path or CONTENT_DIR / "certifications.yaml")
    rows = data.get("certifications") or []
    for position, row in enumerate(rows):
        exam = row.get("earned_by", "exam") == "exam"
        cert, _ = Certification.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "earned_by": row.get("earned_by", "exam"),
                "position": position,
                "question_count": row.get("questions", 0) if exam else 0,
                "duration_minutes": row.get("minutes", 0) if exam else 0,
                "pass_mark": row.get("pass_mark", 0) if exam else 0,
                "options_per_question": row.get("options_per_question", 4),
                "closed_book": row.get("closed_book", True),
                "english_switch_allowed": row.get("english_switch", False),
            },
        )
        for tpos, t in enumerate(row.get("topics") or []):
            Topic.objects.update_or_create(
                certification=cert,
                code=t["code"],
                defaults={"name": t["name"], "quota": t["quota"], "position": tpos},
            )
    codes = {c.code: c for c in Certification.objects.all()}
    for row in rows:
        codes[row["code"]].prerequisites.set([codes[p] for p in row.get("prerequisites") or []])
    return len(rows)


def bank_items_read(path):
    """Parse one bank file into ItemData, with positions for error messages."""
    path = Path(path)
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise ContentError(f"{path.name}: expected 'certification', 'purpose' and a list of 'items'.")
    return yaml_items(data, where=f"{path.name} ")


def is_exam_bank(path):
    return "-exam" in Path(path).stem


def exam_banks_dir():
    """Where the live exam banks are read from: EXAM_BANKS_DIR (outside the code, in production),
    or the sample exam banks of content/banks/ (development and tests)."""
    from django.conf import settings

    if settings.EXAM_BANKS_DIR:
        folder = Path(settings.EXAM_BANKS_DIR)
        if not folder.is_dir():
            raise ContentError(f"EXAM_BANKS_DIR={folder} is not a directory.")
        return folder
    return CONTENT_DIR / "banks"


def bank_files(folder=None):
    """The bank files to load. Given a folder: every bank in it. Otherwise the practice banks of
    content/banks/ and the exam banks of exam_banks_dir()."""
    if folder is not None:
        return sorted(Path(folder).glob("*.yaml"))
    practice = [p for p in (CONTENT_DIR / "banks").glob("*.yaml") if not is_exam_bank(p)]
    exam = [p for p in exam_banks_dir().glob("*.yaml") if is_exam_bank(p)]
    return sorted(practice + exam)


LANGUAGE_FOLDER = re.compile(r"[a-z]{2}(?:-[a-z]+)?")


def translation_files(folder=None):
    """(language, translation file, English file) for every <banks folder>/<lang>/<bank>.yaml,
    from the folders bank_files(folder) reads (practice translations beside the practice banks,
    exam translations beside the exam banks). The English file is None when no English bank
    of that name is read."""
    english = {(p.parent, p.name): p for p in bank_files(folder)}
    if folder is not None:
        roots = [(Path(folder), None)]
    else:
        roots = [(CONTENT_DIR / "banks", False), (exam_banks_dir(), True)]
    out = []
    for root, exam in roots:
        for path in sorted(Path(root).glob("*/*.yaml")):
            if not LANGUAGE_FOLDER.fullmatch(path.parent.name):
                continue
            if exam is not None and is_exam_bank(path) != exam:
                continue
            out.append((path.parent.name, path, english.get((Path(root), path.name))))
    return sorted(set(out), key=lambda t: (t[0], t[1].name))


def translation_items_read(path, english_path):
    """Parse one translation file merged onto its English bank: (items, problems)."""
    path = Path(path)
    data = read_yaml(path)
    where = f"{path.parent.name}/{path.name}"
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise ContentError(f"{where}: expected 'certification', 'purpose', 'language' and a list of 'items'.")
    english = bank_items_read(english_path) if english_path else []
    return yaml_translation_items(data, english, where=where)


def translations_read(folder=None):
    """The items of every translation file of the banks, merged onto their English items.
    A file whose shape is wrong (see bank_lint) is refused with its problems."""
    items = []
    for _language, path, english_path in translation_files(folder):
        if english_path is None:
            raise ContentError(f"{path.parent.name}/{path.name}: no English bank of that name.")
        file_items, problems = translation_items_read(path, english_path)
        blocking = [p for p in problems if "not translated" not in p]  # a file may be unfinished
        if blocking:
            raise ContentError("; ".join(blocking))
        items.extend(file_items)
    return items


def banks_load(folder=None):
    """Load the English banks, then their translations as language versions of the same
    questions (status from the file). Counts are the English ones, with the translations'
    under "translations"."""
    items = [item for path in bank_files(folder) for item in bank_items_read(path)]
    counts = items_import(items)
    translated = translations_read(folder)
    counts["translations"] = translations_import(translated) if translated else {}
    return counts

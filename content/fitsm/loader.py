"""Loads the FitSM-1 assessment instrument, its level descriptors and the certification levels.

- The instrument: assessments/instrument/requirements.json (a licensed copy of FitSM-1, see the
  README there) → Instrument / Requirement / RequirementItem, idempotently by (version, code).
  The loaded version becomes the current one; older versions and the assessments made with them
  stay as they are.
- The descriptors: content/assessment/descriptors.yaml (our own words), when it exists and names
  the same instrument version. An item it does not (yet) describe keeps no descriptors.
- The certification levels: content/assessment/levels.yaml → CertificationLevel. A level an
  examiner has edited in the CMS since is left alone and reported."""

import json
from pathlib import Path

from django.conf import settings
from django.db import transaction

from assessments.models import CertificationLevel, Instrument, Requirement, RequirementItem
from assessments.services import level_criteria_validate

from ..loader import CONTENT_DIR, ContentError, read_yaml

INSTRUMENT_DIR = Path(settings.BASE_DIR) / "assessments" / "instrument"
REQUIREMENTS_FILE = INSTRUMENT_DIR / "requirements.json"
PROCESSES_FILE = INSTRUMENT_DIR / "processes.json"
DESCRIPTORS_FILE = CONTENT_DIR / "assessment" / "descriptors.yaml"
LEVELS_FILE = CONTENT_DIR / "assessment" / "levels.yaml"
INSTRUMENT_VERSION = "FitSM-1 v3.0.1"
LEVEL_KEYS = ("0", "1", "2", "3", "4")


def _read_json(path):
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ContentError(f"{path}: cannot be read: {exc}") from None


def descriptors_read(path=None):
    """{"scale": {...}, "items": {"GR1.1": {"0": "...", ...}}} from the descriptors file, or empty
    when the file is missing. Raises ContentError for a file of another instrument version."""
    path = Path(path or DESCRIPTORS_FILE)
    if not path.exists():
        return {"scale": {}, "items": {}}
    data = read_yaml(path) or {}
    version = data.get("instrument")
    if version and version != INSTRUMENT_VERSION:
        raise ContentError(f"{path}: describes {version}, not {INSTRUMENT_VERSION}.")
    items = {
        str(code): {str(level): str(text).strip() for level, text in (levels or {}).items()}
        for code, levels in (data.get("items") or {}).items()
    }
    scale = {
        str(level): {"name": str((v or {}).get("name", "")), "summary": str((v or {}).get("summary", ""))}
        for level, v in (data.get("scale") or {}).items()
    }
    return {"scale": scale, "items": items}


@transaction.atomic
def instrument_load(*, requirements_path=None, processes_path=None, descriptors_path=None):
    """Load (or update) the instrument; returns a report dict."""
    data = _read_json(requirements_path or REQUIREMENTS_FILE)
    names = {p["code"]: p["name"] for p in _read_json(processes_path or PROCESSES_FILE)}
    descriptors = descriptors_read(descriptors_path)
    instrument, _ = Instrument.objects.get_or_create(version=INSTRUMENT_VERSION)
    Instrument.objects.exclude(pk=instrument.pk).filter(is_current=True).update(is_current=False)
    instrument.is_current = True
    instrument.scale = descriptors["scale"]
    instrument.save()
    report = {"requirements": 0, "items": 0, "described": 0}
    ordinal = 0
    for kind, entries in (
        (Requirement.Kind.GENERAL, data.get("general", [])),
        (Requirement.Kind.PROCESS, data.get("process", [])),
    ):
        for entry in entries:
            ordinal += 1
            code = entry["id"]
            process = entry.get("process", "")
            name = entry.get("name") or names.get(process) or code
            requirement, _ = Requirement.objects.update_or_create(
                instrument=instrument,
                code=code,
                defaults={"name": name, "kind": kind, "process_code": process, "ordinal": ordinal},
            )
            report["requirements"] += 1
            for position, item in enumerate(entry.get("items", []), start=1):
                described = descriptors["items"].get(item["id"], {})
                described = {k: described[k] for k in LEVEL_KEYS if described.get(k)}
                RequirementItem.objects.update_or_create(
                    instrument=instrument,
                    code=item["id"],
                    defaults={
                        "requirement": requirement,
                        "text": item["text"],
                        "ordinal": position,
                        "descriptors": described,
                    },
                )
                report["items"] += 1
                report["described"] += bool(described)
    return report


@transaction.atomic
def levels_load(path=None):
    """Create or update the certification levels from levels.yaml; a level edited in the CMS is
    kept. Returns report lines."""
    path = Path(path or LEVELS_FILE)
    data = read_yaml(path) or {}
    lines = []
    for position, entry in enumerate(data.get("levels") or [], start=1):
        code = entry.get("code")
        if not code:
            raise ContentError(f"{path}: level {position} has no code.")
        criteria = entry.get("criteria") or {}
        try:
            level_criteria_validate(criteria=criteria)
        except Exception as exc:  # a domain error naming what is wrong
            raise ContentError(f"{path}: {code}: {getattr(exc, 'detail', exc)}") from None
        values = {
            "name": entry.get("name", code),
            "summary": (entry.get("summary") or "").strip(),
            "validity_years": int(entry.get("validity_years", 3)),
            "position": position,
            "criteria": criteria,
        }
        level = CertificationLevel.objects.filter(code=code).first()
        if level is None:
            CertificationLevel.objects.create(code=code, **values)
            lines.append(f"Level {code}: created.")
        elif level.edited_at is not None:
            lines.append(f"Level {code}: edited in the CMS, left alone.")
        elif any(getattr(level, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(level, k, v)
            level.save()
            lines.append(f"Level {code}: updated.")
    return lines


def assessment_content_load():
    """What load_fitsm calls: the instrument, then the levels. Returns report lines."""
    report = instrument_load()
    lines = [
        f"Assessment instrument {INSTRUMENT_VERSION}: {report['requirements']} requirements, "
        f"{report['items']} items, {report['described']} with level descriptors."
    ]
    return lines + levels_load()

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from content import bank_lint
from content.loader import CONTENT_DIR, banks_load, certifications_load
from exams.models import Certification, Question
from exams.services.bank import blueprint_validate

SHARED = Path(__file__).resolve().parents[3] / "shared"


@pytest.mark.django_db
def test_load_fitsm_loads_the_scheme_and_every_item_and_is_idempotent():
    certifications_load()
    first = banks_load()
    assert first["created"] > 400 and first["updated"] == 0
    again = banks_load()
    assert again["created"] == 0 and again["updated"] == 0 and again["unchanged"] == first["created"]
    soc = Certification.objects.get(code="SOC")
    assert (soc.question_count, soc.duration_minutes, soc.pass_mark, soc.pass_count) == (30, 60, 70, 21)
    assert Certification.objects.get(code="FND").pass_count == 13
    assert set(Certification.objects.get(code="EXP").prerequisite_codes) == {"FND", "SOC", "SPD"}
    for code in ("FND", "SOC", "SPD"):
        blueprint_validate(Certification.objects.get(code=code), times=3)
    assert not Question.objects.filter(purpose="exam", external_id__contains="-P-").exists()


def test_the_banks_follow_every_item_writing_rule():
    assert bank_lint.lint() == []


def _copy_banks(tmp_path):
    folder = tmp_path / "banks"
    shutil.copytree(CONTENT_DIR / "banks", folder)
    return folder


def _edit(path, change):
    data = yaml.safe_load(path.read_text())
    change(data["items"])
    path.write_text(yaml.safe_dump(data, allow_unicode=True))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda items: items[0]["options"].pop("D"), "four options"),
        (lambda items: items[0].update(rationale=""), "missing rationale"),
        (lambda items: items[0]["options"].update(C="All of the above"), "all/none of the above"),
        (lambda items: items[0].update(stem="Which of these is not a process?"), "negative stem"),
        (lambda items: items.append(dict(items[0], id="FND-BASICS-999")), "near-duplicate stems"),
        (lambda items: [i.update(answer="A") for i in items], "key A holds"),
        (lambda items: [items.remove(i) for i in [i for i in items if i["topic"] == "MAT"]], "FND/MAT"),
    ],
)
def test_the_lint_catches_each_rule(tmp_path, change, expected):
    folder = _copy_banks(tmp_path)
    _edit(folder / "FND-exam.yaml", change)
    findings = bank_lint.lint(bank_folder=folder)
    assert any(expected in f for f in findings), findings


def test_originality_checker_reports_nothing_for_content():
    tool = SHARED / "tools" / "originality.py"
    if not tool.exists():
        pytest.skip("the originality checker is not beside this checkout")
    result = subprocess.run([sys.executable, str(tool), str(CONTENT_DIR)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]


def test_exam_banks_come_from_exam_banks_dir_and_practice_banks_from_the_code(tmp_path, settings):
    from content.loader import bank_files

    (tmp_path / "SOC-exam.yaml").write_text("certification: SOC\npurpose: exam\nitems: []\n")
    (tmp_path / "SOC-practice.yaml").write_text("certification: SOC\npurpose: practice\nitems: []\n")
    settings.EXAM_BANKS_DIR = str(tmp_path)
    files = bank_files()
    exam = [p for p in files if "-exam" in p.name]
    practice = [p for p in files if "-practice" in p.name]
    assert exam == [tmp_path / "SOC-exam.yaml"]
    assert practice and all(p.parent == CONTENT_DIR / "banks" for p in practice)

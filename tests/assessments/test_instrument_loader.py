import json

import pytest
import yaml

from assessments.models import CertificationLevel, Instrument, Requirement, RequirementItem
from content.fitsm import loader
from content.loader import ContentError

pytestmark = pytest.mark.django_db


def test_the_instrument_holds_every_requirement_and_item_in_order(instrument):
    assert instrument.version == "FitSM-1 v3.0.1"
    codes = list(Requirement.objects.filter(instrument=instrument).values_list("code", flat=True))
    assert codes == [f"GR{n}" for n in range(1, 8)] + [f"PR{n}" for n in range(1, 15)]
    assert RequirementItem.objects.filter(instrument=instrument).count() == 82
    pr3 = Requirement.objects.get(instrument=instrument, code="PR3")
    assert pr3.kind == "process" and pr3.name == "Service Reporting Management"
    assert [i.code for i in pr3.items.all()] == ["PR3.1", "PR3.2", "PR3.3"]
    assert Requirement.objects.get(instrument=instrument, code="GR1").kind == "general"


def test_loading_twice_changes_nothing(instrument):
    before = list(RequirementItem.objects.order_by("pk").values_list("pk", "code", "text"))
    loader.instrument_load()
    loader.levels_load()
    assert list(RequirementItem.objects.order_by("pk").values_list("pk", "code", "text")) == before
    assert Instrument.objects.count() == 1 and CertificationLevel.objects.count() == 2


def test_the_loader_works_without_descriptors(db, tmp_path):
    report = loader.instrument_load(descriptors_path=tmp_path / "missing.yaml")
    assert report["items"] == 82 and report["described"] == 0
    assert RequirementItem.objects.filter(descriptors={}).count() == 82


def test_a_partial_descriptors_file_describes_only_its_items(db, tmp_path):
    path = tmp_path / "descriptors.yaml"
    path.write_text(
        yaml.safe_dump(
            {"instrument": "FitSM-1 v3.0.1", "items": {"GR1.1": {i: f"level {i}" for i in range(5)}}}
        )
    )
    report = loader.instrument_load(descriptors_path=path)
    assert report["described"] == 1
    assert RequirementItem.objects.get(code="GR1.1").descriptors == {str(i): f"level {i}" for i in range(5)}


def test_descriptors_of_another_instrument_version_are_refused(db, tmp_path):
    path = tmp_path / "descriptors.yaml"
    path.write_text("instrument: FitSM-1 v9\nitems: {}\n")
    with pytest.raises(ContentError, match="v9"):
        loader.instrument_load(descriptors_path=path)


def test_the_descriptors_file_when_present_gives_every_item_all_five_levels():
    if not loader.DESCRIPTORS_FILE.exists():
        pytest.skip("content/assessment/descriptors.yaml is not written yet")
    data = yaml.safe_load(loader.DESCRIPTORS_FILE.read_text(encoding="utf-8"))
    reference = json.loads(loader.REQUIREMENTS_FILE.read_text(encoding="utf-8"))
    ids = [i["id"] for group in reference["general"] + reference["process"] for i in group["items"]]
    items = data["items"]
    assert sorted(items) == sorted(ids)
    for code in ids:
        assert sorted(str(k) for k in items[code]) == ["0", "1", "2", "3", "4"], code
        assert all(str(v).strip() for v in items[code].values()), code


def test_a_level_edited_in_the_cms_is_not_overwritten_by_the_loader(instrument, examiner):
    from assessments.services import certification_level_update

    level = CertificationLevel.objects.get(code="plus")
    certification_level_update(
        level=level,
        actor=examiner,
        name=level.name,
        summary="Changed",
        validity_years=2,
        criteria=level.criteria,
    )
    lines = loader.levels_load()
    assert "Level plus: edited in the CMS, left alone." in lines
    assert CertificationLevel.objects.get(code="plus").validity_years == 2


def test_the_levels_file_is_checked(db, tmp_path):
    path = tmp_path / "levels.yaml"
    path.write_text(
        "levels:\n  - code: x\n    name: X\n    criteria: {rules: [{requirements: all, min_score: 5}]}\n"
    )
    with pytest.raises(ContentError, match="x"):
        loader.levels_load(path)

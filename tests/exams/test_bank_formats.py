import pytest
from django.core.management import CommandError, call_command

from exams import errors
from exams.models import Question, QuestionVersion
from exams.services import bank, bank_formats
from tests.factories import QuestionFactory

TRICKY = "Is {a} = b ~ c: d # e \\ f?\nSecond line :: with {braces} and <b>tags</b> & ampersands"


def _export(fmt, purpose="exam"):
    questions = bank_formats.questions_for_export("TST", purpose)
    return bank_formats.bank_export(questions, fmt, certification="TST", purpose=purpose)


def _snapshot():
    return sorted(
        (
            q.external_id,
            q.topic.code,
            q.difficulty,
            q.current_version_id,
            q.versions.count(),
        )
        for q in Question.objects.select_related("topic")
    )


def _tricky_question(certification):
    q = QuestionFactory(topic=certification.topics.get(code="T2"), external_id="TST-T2-077", answer="C")
    version = q.current_version
    QuestionVersion.objects.filter(pk=version.pk).update(
        stem=TRICKY, rationale="Why: {the third} = right # really", reference="FitSM-0 (terms: service)"
    )
    version.options.filter(label="A").update(text="~tilde=equals:colon")
    version.options.filter(label="D").update(text="a\\b {x}")
    Question.objects.filter(pk=q.pk).update(difficulty=3)
    return q


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", bank_formats.FORMATS)
@pytest.mark.parametrize("purpose", ["exam", "practice"])
def test_round_trip_leaves_the_bank_unchanged(certification, fmt, purpose):
    _tricky_question(certification)
    before = _snapshot()
    text = _export(fmt, purpose)
    items = bank_formats.bank_parse(text, fmt, certification="TST", purpose=purpose)
    expected = Question.objects.filter(purpose=purpose).exclude(status="retired").count()
    assert len(items) == expected
    counts = bank.items_import(items)
    assert counts == {"created": 0, "updated": 0, "unchanged": expected}
    assert _snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", bank_formats.FORMATS)
def test_export_then_import_creates_the_same_questions_elsewhere(certification, fmt):
    _tricky_question(certification)
    text = _export(fmt)
    originals = {
        q.external_id: bank_formats.question_item(q) for q in bank_formats.questions_for_export("TST", "exam")
    }
    items = bank_formats.bank_parse(text, fmt, certification="TST", purpose="exam")
    for item in items:
        original = originals[item.external_id]
        assert (
            item.stem,
            item.options,
            item.answer,
            item.rationale,
            item.reference,
            item.difficulty,
            item.topic,
        ) == (
            original.stem,
            original.options,
            original.answer,
            original.rationale,
            original.reference,
            original.difficulty,
            original.topic,
        )


@pytest.mark.django_db
def test_gift_escapes_special_characters(certification):
    _tricky_question(certification)
    text = _export("gift")
    assert "$CATEGORY: TST/T1" in text and "$CATEGORY: TST/T2" in text
    assert "::TST-T2-077::Is \\{a\\} \\= b \\~ c\\: d \\# e \\\\ f?\\nSecond line \\:\\: with" in text
    assert "~\\~tilde\\=equals\\:colon" in text and "// difficulty: 3" in text
    [item] = [
        i
        for i in bank_formats.gift_parse(text, certification="TST", purpose="exam")
        if i.external_id == "TST-T2-077"
    ]
    assert item.stem == TRICKY and item.answer == "C" and item.options["A"] == "~tilde=equals:colon"
    assert item.options["D"] == "a\\b {x}" and item.rationale == "Why: {the third} = right # really"


MALFORMED_GIFT = """\
$CATEGORY: TST/T1

// reference: FitSM-1 PR1
// difficulty: 2
// rationale: Fine.
::TST-T1-100::A good question? {
=right
~wrong one
~wrong two
~wrong three
}

// reference: FitSM-1 PR1
// rationale: No key.
::TST-T1-101::Which one? {
~a
~b
~c
~d
}

// reference: FitSM-1 PR1
// rationale: Two keys.
::TST-T1-102::Which one? {
=a
=b
~c
~d
}

// reference: FitSM-1 PR1
// rationale: Unclosed.
::TST-T1-103::Which one? {
=a
~b

// rationale: No title, three options.
Which one? {
=a
~b
~c
}

$CATEGORY: TST/T2
::TST-T2-104::Five options and no rationale {=a ~b ~c ~d ~e}
"""


@pytest.mark.django_db
def test_malformed_gift_reports_every_bad_item_with_its_line_and_imports_nothing(certification):
    before = _snapshot()
    with pytest.raises(errors.BankError) as exc:
        bank_formats.gift_parse(MALFORMED_GIFT, certification="TST", purpose="exam")
    detail = exc.value.detail
    assert detail.startswith("Nothing was imported.")
    assert "line 6" not in detail  # the good item
    assert "line 15 (TST-T1-101): no = (correct) answer" in detail
    assert "line 24 (TST-T1-102): 2 answers marked =" in detail
    assert "line 33 (TST-T1-103): malformed braces: { is never closed" in detail
    assert "line 38 (no id): missing title ::ID::" in detail and "3 options; needs exactly four" in detail
    assert "line 45 (TST-T2-104): 5 options; needs exactly four; missing rationale" in detail
    assert _snapshot() == before and not Question.objects.filter(external_id="TST-T1-100").exists()


def test_gift_without_category_or_braces_is_reported():
    text = "::X-1::No braces at all\n\n::X-2::Stray } brace { =a ~b ~c ~d }\n"
    with pytest.raises(errors.BankError) as exc:
        bank_formats.gift_parse(text, certification="TST", purpose="exam")
    detail = exc.value.detail
    assert "line 1 (X-1): no answer block { ... }; no $CATEGORY" in detail
    assert "line 3 (X-2): malformed braces" in detail


def test_gift_category_of_another_certification_is_reported():
    text = "$CATEGORY: OTHER/T1\n\n// reference: R\n// rationale: R\n::X-1::Q {=a ~b ~c ~d}\n"
    with pytest.raises(errors.BankError, match="line 1: category OTHER/T1 is not in certification TST"):
        bank_formats.gift_parse(text, certification="TST", purpose="exam")


def test_malformed_xml_is_rejected_with_line_and_column():
    with pytest.raises(errors.BankError, match=r"Not well-formed XML at line 3, column \d+"):
        bank_formats.moodle_xml_parse(
            "<quiz>\n<question type='multichoice'>\n<name><text>x</name>\n</quiz>",
            certification="TST",
            purpose="exam",
        )


@pytest.mark.parametrize(
    "prolog",
    [
        '<!DOCTYPE quiz [<!ENTITY a "aaaa">]>',
        '<!DOCTYPE quiz SYSTEM "file:///etc/passwd">',
    ],
)
def test_xml_with_doctype_or_entities_is_rejected(prolog):
    with pytest.raises(errors.BankError, match="DOCTYPE or ENTITY"):
        bank_formats.moodle_xml_parse(f"{prolog}<quiz>&a;</quiz>", certification="TST", purpose="exam")


@pytest.mark.django_db
def test_non_multichoice_and_bad_multichoice_are_reported(certification):
    text = _export("moodle-xml")
    text = text.replace(
        "</quiz>",
        """<question type="truefalse"><name><text>TF-1</text></name>
             <questiontext format="html"><text>True?</text></questiontext>
             <answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>
           </question>
           <question type="multichoice"><name><text>TST-T2-500</text></name>
             <questiontext format="html"><text>Half?</text></questiontext>
             <generalfeedback format="html"><text>R</text></generalfeedback>
             <single>false</single>
             <answer fraction="50"><text>a</text></answer><answer fraction="50"><text>b</text></answer>
             <answer fraction="0"><text>c</text></answer>
             <tags><tag><text>reference:R</text></tag></tags>
           </question>
         </quiz>""",
    )
    before = _snapshot()
    with pytest.raises(errors.BankError) as exc:
        bank_formats.moodle_xml_parse(text, certification="TST", purpose="exam")
    detail = exc.value.detail
    n = text[: text.index("TF-1")].count("<question ")
    assert f"question {n} (TF-1): type 'truefalse' is not supported; only multichoice" in detail
    assert f"question {n + 1} (TST-T2-500): allows several answers" in detail
    assert "answer fraction '50' is not 100 or 0" in detail
    assert 'no correct answer (fraction="100")' in detail and "3 options; needs exactly four" in detail
    assert detail.count(" | ") == 1  # only the two bad questions
    assert _snapshot() == before


def test_yaml_export_matches_the_content_bank_format():
    class V:
        stem, rationale, reference = "Which?", "Because.", "FitSM-1 PR9.4"

        class options:
            @staticmethod
            def all():
                return [
                    type("O", (), {"label": label, "text": f"opt {label}", "is_correct": label == "C"})
                    for label in "ABCD"
                ]

    q = type(
        "Q",
        (),
        {
            "external_id": "TST-T1-001",
            "certification": type("C", (), {"code": "TST"}),
            "topic": type("T", (), {"code": "T1"}),
            "purpose": "exam",
            "difficulty": 2,
            "current_version": V,
        },
    )
    text = bank_formats.yaml_export([q], certification="TST", purpose="exam")
    assert text == (
        "certification: TST\npurpose: exam\nitems:\n  - id: TST-T1-001\n    topic: T1\n    difficulty: 2\n"
        "    stem: >-\n      Which?\n    options:\n      A: opt A\n      B: opt B\n      C: opt C\n      D: opt D\n"
        '    answer: C\n    rationale: >-\n      Because.\n    reference: "FitSM-1 PR9.4"\n'
    )


@pytest.mark.django_db
@pytest.mark.parametrize("fmt,suffix", [("yaml", "yaml"), ("gift", "gift"), ("moodle-xml", "xml")])
def test_export_and_import_commands_round_trip(certification, tmp_path, capsys, fmt, suffix):
    path = tmp_path / f"bank.{suffix}"
    call_command("bank_export", certification="tst", purpose="exam", format=fmt, output=str(path))
    before = _snapshot()
    call_command("bank_import", str(path), format=fmt, certification="TST", purpose="exam")
    out = capsys.readouterr().out
    assert "0 created, 0 updated, 6 unchanged" in out
    assert _snapshot() == before


@pytest.mark.django_db
def test_export_command_writes_to_stdout(certification, capsys):
    call_command("bank_export", certification="TST", purpose="practice", format="gift")
    out = capsys.readouterr().out
    assert out.startswith("$CATEGORY: TST/T1") and out.count("::Q-") == 2


@pytest.mark.django_db
def test_import_command_creates_new_questions(certification, tmp_path):
    path = tmp_path / "bank.gift"
    path.write_text(MALFORMED_GIFT.split("\n\n// reference: FitSM-1 PR1\n// rationale: No key.")[0])
    call_command("bank_import", str(path), format="gift", certification="TST", purpose="practice")
    q = Question.objects.get(external_id="TST-T1-100")
    assert q.purpose == "practice" and q.topic.code == "T1"
    assert q.current_version.options.get(is_correct=True).text == "right"
    assert q.status == Question.Status.IN_REVIEW  # a second examiner approves imported questions


@pytest.mark.django_db
def test_import_command_can_mark_a_reviewed_file_approved(certification, tmp_path):
    path = tmp_path / "bank.gift"
    path.write_text(MALFORMED_GIFT.split("\n\n// reference: FitSM-1 PR1\n// rationale: No key.")[0])
    call_command(
        "bank_import", str(path), format="gift", certification="TST", purpose="practice", approved=True
    )
    assert Question.objects.get(external_id="TST-T1-100").status == Question.Status.APPROVED


@pytest.mark.django_db
def test_import_command_with_a_bad_file_changes_nothing(certification, tmp_path):
    path = tmp_path / "bank.gift"
    path.write_text(MALFORMED_GIFT)
    before = _snapshot()
    with pytest.raises(CommandError) as exc:
        call_command("bank_import", str(path), format="gift", certification="TST", purpose="exam")
    assert "Nothing was imported." in str(exc.value) and "line 45" in str(exc.value)
    assert _snapshot() == before


@pytest.mark.django_db
def test_import_command_with_an_unknown_topic_changes_nothing(certification, tmp_path):
    text = _export("moodle-xml").replace("$course$/TST/T2", "$course$/TST/NOPE")
    path = tmp_path / "bank.xml"
    path.write_text(text)
    before = _snapshot()
    with pytest.raises(CommandError, match="unknown topic 'NOPE'"):
        call_command("bank_import", str(path), format="moodle-xml", certification="TST", purpose="exam")
    assert _snapshot() == before


@pytest.mark.django_db
def test_import_command_needs_certification_and_purpose_for_gift(certification, tmp_path):
    path = tmp_path / "bank.gift"
    path.write_text(_export("gift"))
    with pytest.raises(CommandError, match="needs the certification and purpose"):
        call_command("bank_import", str(path), format="gift")

"""The bank lint reads translations (content/banks/<lang>/) merged onto their English items."""

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from content import bank_cues
from content.bank_lint import cue_tables, translations_lint

PROCESSES = [("SLM", "SPM", "SRM", "ISM"), ("CHM", "RDM", "CSI", "CRM"), ("SPM", "CRM", "ISM", "SLM")]
EN_STEMS = [
    "A provider agrees service targets with its customers. Which FitSM process covers this work?",
    "A new software release must be planned, tested and deployed. Which process leads this?",
    "Costs of services are collected and invoiced. Which FitSM process does this belong to?",
]
DE_STEMS = [
    "Ein Anbieter vereinbart Serviceziele mit seinen Kunden. Welcher FitSM-Prozess deckt das ab?",
    "Eine neue Softwareversion wird geplant, getestet und ausgerollt. Welcher Prozess führt das?",
    "Die Kosten der Services werden erfasst und abgerechnet. Zu welchem FitSM-Prozess gehört das?",
]
FR_STEMS = [
    "Un fournisseur convient d'objectifs de service avec ses clients. Quel processus FitSM couvre cela ?",
    "Une nouvelle version logicielle est planifiée, testée et déployée. Quel processus pilote cela ?",
    "Les coûts des services sont collectés et facturés. À quel processus FitSM cela appartient-il ?",
]


def _english_items():
    return [
        {
            "id": f"TST-BASICS-00{n + 1}",
            "topic": "BASICS",
            "difficulty": n % 3 + 1,
            "stem": EN_STEMS[n],
            "options": {
                letter: f"The process {abbr}" for letter, abbr in zip("ABCD", PROCESSES[n], strict=True)
            },
            "answer": "ABC"[n],
            "rationale": "FitSM-1 names this process for the work; the other processes cover other work.",
            "reference": "FitSM-1 (processes)",
        }
        for n in range(3)
    ]


def _translated_items(language):
    stems, word, rationale, reference = {
        "de": (DE_STEMS, "Der Prozess", "FitSM-1 ordnet diese Arbeit dem Prozess zu.", "FitSM-1 (Prozesse)"),
        "fr": (
            FR_STEMS,
            "Le processus",
            "FitSM-1 attribue ce travail à ce processus.",
            "FitSM-1 (processus)",
        ),
    }[language]
    return [
        {
            "id": f"TST-BASICS-00{n + 1}",
            "status": "reviewed",
            "stem": stems[n],
            "options": {letter: f"{word} {abbr}" for letter, abbr in zip("ABCD", PROCESSES[n], strict=True)},
            "rationale": rationale,
            "reference": reference,
        }
        for n in range(3)
    ]


def _write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture
def banks(tmp_path):
    """A small English bank with a German and a French version, all clean."""
    folder = tmp_path / "banks"
    _write(folder / "TST-exam.yaml", {"certification": "TST", "purpose": "exam", "items": _english_items()})
    for language in ("de", "fr"):
        _write(
            folder / language / "TST-exam.yaml",
            {
                "certification": "TST",
                "purpose": "exam",
                "language": language,
                "items": _translated_items(language),
            },
        )
    return folder


def _edit(banks, language, change):
    path = banks / language / "TST-exam.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data["items"])
    _write(path, data)


def test_a_complete_translation_follows_every_rule(banks):
    items, findings = translations_lint(banks)
    assert findings == []
    assert {(it.language, it.external_id) for it in items} == {
        (lang, f"TST-BASICS-00{n}") for lang in ("de", "fr") for n in (1, 2, 3)
    }


def test_a_translated_item_takes_topic_difficulty_and_key_from_the_english_item(banks):
    items, _ = translations_lint(banks)
    second = next(it for it in items if it.language == "de" and it.external_id == "TST-BASICS-002")
    assert (second.topic, second.difficulty, second.answer, second.status) == ("BASICS", 2, "B", "reviewed")
    assert second.stem == DE_STEMS[1] and second.options["B"] == "Der Prozess RDM"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda items: items.pop(1), "1 English item(s) not translated: TST-BASICS-002"),
        (lambda items: items.append(dict(items[0])), "TST-BASICS-001 is translated 2 times"),
        (lambda items: items.reverse(), "out of the English order"),
        (lambda items: items[0].update(id="TST-BASICS-999"), "no English item has this id"),
        (lambda items: items[0].update(answer="B"), "answer must not be given"),
        (lambda items: items[1].update(topic="BASICS", difficulty=1), "topic, difficulty must not be given"),
        (lambda items: items[2].update(scenario="billing"), "scenario must not be given"),
        (lambda items: items[0].update(status="done"), "status must be one of draft, translated, reviewed"),
        (lambda items: items[0]["options"].pop("D"), "needs exactly four options A-D"),
        (lambda items: items[0].update(rationale=""), "missing rationale"),
        (lambda items: items[0].update(reference="ISO 20000"), "must start with FitSM-0 to FitSM-3"),
        (lambda items: items[0].update(stem=EN_STEMS[0]), "the stem is the English one"),
    ],
)
def test_the_lint_catches_each_format_rule_in_a_translation(banks, change, expected):
    _edit(banks, "de", change)
    _, findings = translations_lint(banks)
    assert any(expected in f and "de/TST-exam.yaml" in f for f in findings), findings


@pytest.mark.parametrize(
    ("language", "rationale"),
    [
        ("de", "Antwort B beschreibt einen anderen Prozess."),
        ("de", "Richtig ist (C), weil FitSM-1 es so regelt."),
        ("de", "A ordnet die Arbeit falsch zu."),
        ("fr", "La réponse B décrit un autre processus."),
        ("fr", "A est juste, car FitSM-1 le prévoit."),
    ],
)
def test_a_rationale_naming_an_option_letter_is_found_in_each_language(banks, language, rationale):
    _edit(banks, language, lambda items: items[0].update(rationale=rationale))
    _, findings = translations_lint(banks)
    assert any("names an option letter" in f and f"{language}/TST-exam.yaml" in f for f in findings), findings


def test_a_french_sentence_starting_with_a_capital_a_is_no_letter(banks):
    _edit(banks, "fr", lambda items: items[0].update(rationale="A la fin, FitSM-1 confie ce travail à SLM."))
    assert translations_lint(banks)[1] == []


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Wie auf den Folien der Schulung gezeigt"),
        ("fr", "Comme sur les diapositives du cours"),
        ("de", "Wie ITIL es sagt"),
    ],
)
def test_off_scheme_words_are_found_in_each_language(banks, language, text):
    _edit(banks, language, lambda items: items[1].update(stem=text + " " + items[1]["stem"]))
    _, findings = translations_lint(banks)
    assert any("outside FitSM" in f for f in findings), findings


def test_near_duplicate_stems_within_a_language_are_found(banks):
    _edit(
        banks,
        "de",
        lambda items: items[1].update(stem=items[0]["stem"].replace("Ein Anbieter", "Der Anbieter")),
    )
    _, findings = translations_lint(banks)
    assert any("TST-BASICS-001" in f and "TST-BASICS-002" in f and "near-duplicate" in f for f in findings)


def test_a_negative_english_stem_needs_a_negative_in_capitals(banks):
    path = banks / "TST-exam.yaml"
    data = yaml.safe_load(path.read_text())
    data["items"][2]["stem"] = "Which of these processes does NOT handle the costs of services?"
    _write(path, data)
    _edit(banks, "de", lambda items: items[2].update(stem="Welcher Prozess behandelt die Kosten nicht?"))
    _edit(banks, "fr", lambda items: items[2].update(stem="Quel processus NE traite PAS les coûts ?"))
    _, findings = translations_lint(banks)
    assert any("negative in capitals" in f and "de/TST-exam.yaml" in f for f in findings)
    assert not any("negative in capitals" in f and "fr/TST-exam.yaml" in f for f in findings)


def test_a_translation_without_english_bank_or_of_a_language_not_offered_is_found(banks):
    _write(
        banks / "de" / "TST-practice.yaml",
        {"certification": "TST", "purpose": "practice", "language": "de", "items": []},
    )
    _write(
        banks / "es" / "TST-exam.yaml",
        {"certification": "TST", "purpose": "exam", "language": "es", "items": []},
    )
    _, findings = translations_lint(banks)
    assert "de/TST-practice.yaml: no English bank TST-practice.yaml to translate" in findings
    assert any(f.startswith("es/TST-exam.yaml") and "not a language of the site" in f for f in findings)


def test_the_language_word_lists_drive_the_absolute_and_hedge_strategies():
    options = {
        "A": "Der Prozess wird ausschließlich vom Manager geführt",
        "B": "Der Prozess wird vom Prozessmanager geplant",
        "C": "Der Prozess wird vom Eigentümer überwacht",
        "D": "Der Prozess wird vom Teamleiter bewertet",
    }
    assert bank_cues.strategy_hit("most absolutes", "", options, "A", "de") == 1.0
    assert bank_cues.strategy_hit("most absolutes", "", options, "A", "en") == 0.25
    french = {
        "A": "Le responsable peut généralement valider le plan",
        "B": "Le responsable valide le plan chaque mois",
        "C": "Le responsable revoit le plan avec le client",
        "D": "Le responsable publie le plan pour le client",
    }
    assert bank_cues.strategy_hit("most hedged", "", french, "A", "fr") == 1.0
    assert bank_cues.strategy_hit("most absolutes", "", french, "B", "fr") == 1.0


def test_a_translated_bank_over_a_cue_ceiling_is_found_under_its_language(banks):
    def key_longest(items):
        for n, item in enumerate(items):
            letter = "ABC"[n]
            item["options"][letter] += " und zusätzlich der zugehörige Plan des Anbieters"

    _edit(banks, "de", key_longest)
    _, findings = translations_lint(banks)
    assert any(f.startswith("TST-exam de: the 'longest' strategy") for f in findings), findings
    assert not any(f.startswith("TST-exam fr:") for f in findings)


def test_the_cue_tables_show_each_language(banks):
    text = cue_tables(bank_folder=banks, courses_folder=banks / "no-courses")
    assert "TST-exam de" in text and "TST-exam fr" in text


def test_lint_bank_checks_one_translation_file_with_its_english_source(banks, capsys):
    call_command("lint_bank", bank=str(banks / "de" / "TST-exam.yaml"))
    out = capsys.readouterr().out
    assert "TST-exam en" in out and "TST-exam de" in out and "follow every rule" in out
    _edit(banks, "de", lambda items: items.pop())
    with pytest.raises(CommandError, match="1 finding"):
        call_command("lint_bank", bank=str(banks / "de" / "TST-exam.yaml"))
    assert "TST-BASICS-003" in capsys.readouterr().err

"""Item-writing rules for the question banks (run by `manage.py lint_bank` and the tests)."""

import re
from collections import Counter, defaultdict
from pathlib import Path

from exams.presentation import letter_references

from . import bank_cues
from .loader import (
    CONTENT_DIR,
    ContentError,
    bank_files,
    bank_items_read,
    read_yaml,
    translation_files,
    translation_items_read,
)

NEGATIVE = re.compile(r"\b(not|never|except|least)\b")
ABOVE = re.compile(r"\b(all|none) of the above\b", re.IGNORECASE)
WORD = re.compile(r"[a-z0-9]+")
STOP = {
    "the",
    "a",
    "an",
    "of",
    "to",
    "and",
    "or",
    "in",
    "is",
    "which",
    "what",
    "for",
    "by",
    "on",
    "with",
    "does",
    "be",
}
NEAR_DUPLICATE = 0.8
# A knowledge check and an exam item, or two exam items of different certifications, that
# share this much of their stems' words tell the same scenario.
SAME_SCENARIO = 0.6
# A practice item that shares this much of its stem with an exam item rehearses that exam item.
PRACTICE_REHEARSES_EXAM = 0.5
KEY_SHARE = (0.20, 0.30)
TIMES_FILLABLE = 3
# <CERT>-<purpose>.yaml, or a bank split over several files: <CERT>-<purpose>-<part>.yaml.
BANK_FILE = re.compile(r"[A-Z]+-(exam|practice)(-[a-z0-9]+)?")
# Items test FitSM itself: the parts FitSM-0 to FitSM-3 and the FitSM training scope.
REFERENCE = re.compile(r"^FitSM-[0-3]\b|^FitSM (?:Foundation |Advanced )?training\b")
OFF_SCHEME = re.compile(
    r"\b(EOSC(?:-hub)?|EUDAT|EGI|ITIL|study notes|slides|course notes|fees?|GGUS|PeopleCert|APMG)\b",
    re.IGNORECASE,
)


# The same rules in the translations' languages (formats.md).
ABOVE_IN = {
    "de": re.compile(r"\b(alle|keine)\s+(der\s+)?(oben\s+genannten|obigen|genannten)\b", re.IGNORECASE),
    "fr": re.compile(
        r"\b(toutes|aucune)\s+(les|des|de\s+ces)\s+(réponses|propositions)(\s+ci-dessus|\s+précédentes)?\b"
        r"|\btout\s+ce\s+qui\s+précède\b",
        re.IGNORECASE,
    ),
}
OFF_SCHEME_IN = {
    "de": re.compile(
        r"\b(Gebühr|Gebühren|Prüfungsgebühr|Prüfungsgebühren|Kursgebühr|Kursgebühren|Folien|Foliensatz|"
        r"Studiennotizen|Lernnotizen|Kursnotizen)\b",
        re.IGNORECASE,
    ),
    "fr": re.compile(
        r"\b(frais\s+d['’](?:examen|inscription)|frais\s+de\s+(?:formation|certification)|diapositives?|"
        r"notes\s+de\s+cours|notes\s+d['’]étude)\b",
        re.IGNORECASE,
    ),
}
# An English stem with its negative word in capitals ("NOT") needs one in the translation too.
NEGATIVE_CAPS = re.compile(r"\b(NOT|NEVER|EXCEPT|LEAST)\b")
NEGATIVE_CAPS_IN = {
    "de": re.compile(
        r"\b(NICHT|NIE|NIEMALS|KEIN|KEINE|KEINER|KEINEN|KEINEM|KEINES|AUSSER|AUẞER|WENIGSTEN)\b"
    ),
    "fr": re.compile(r"\b(PAS|NE|N|JAMAIS|SAUF|MOINS|AUCUN|AUCUNE|EXCEPTÉ)\b"),
}


def _tokens(text):
    return frozenset(w for w in WORD.findall(text.lower()) if w not in STOP)


def _similar(a, b):
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _tokens_in(text, language):
    words = bank_cues.cue_words(language)
    return frozenset(bank_cues._content_words(text, words))


def _offered_languages():
    from django.conf import settings

    return {code for code, _ in settings.LANGUAGES if code != "en"}


def translation_file_lint(language, path, english_path):
    """(items, findings) of one translation file: its shape against the English bank, and every
    item's own rules in its language."""
    where = f"{language}/{Path(path).name}"
    if english_path is None:
        return [], [f"{where}: no English bank {Path(path).name} to translate"]
    if language not in _offered_languages():
        return [], [f"{where}: {language} is not a language of the site (settings.LANGUAGES)"]
    try:
        items, findings = translation_items_read(path, english_path)
    except ContentError as exc:
        return [], [str(exc)]
    data = read_yaml(path) or {}
    if data.get("language") and data.get("language") != language:
        findings.append(f"{where}: language {data.get('language')!r} in a file under {language}/")
    english = {it.external_id: it for it in bank_items_read(english_path)}
    for it in items:
        it.language = language
        findings.extend(translated_item_lint(it, english.get(it.external_id)))
    return items, findings


def translated_item_lint(it, source):
    """The item-writing rules a translated item can break by itself (its English item given)."""
    where = f"{it.external_id} ({it.position})"
    lang = it.language
    out = []
    if sorted(it.options) != ["A", "B", "C", "D"]:
        return [f"{where}: needs exactly four options A-D (the English item's letters)"]
    if any(not str(v).strip() for v in it.options.values()):
        out.append(f"{where}: an option is empty")
    if not it.stem.strip():
        out.append(f"{where}: missing stem")
    if not it.rationale.strip():
        out.append(f"{where}: missing rationale")
    if not it.reference.strip():
        out.append(f"{where}: missing reference")
    elif not REFERENCE.search(it.reference.strip()):
        out.append(f"{where}: the reference must start with FitSM-0 to FitSM-3 or FitSM training")
    texts = [it.stem, *it.options.values()]
    above = ABOVE_IN.get(lang)
    if any(ABOVE.search(t) or (above and above.search(t)) for t in texts):
        out.append(f"{where}: uses 'all/none of the above'")
    if letter_references(it.rationale, lang):
        out.append(
            f"{where}: the rationale names an option letter "
            f"({', '.join(dict.fromkeys(letter_references(it.rationale, lang)))}); options are re-lettered "
            "per attempt, so write about the options' content"
        )
    for text in (it.stem, *it.options.values(), it.rationale, it.reference):
        hit = OFF_SCHEME.search(text) or (OFF_SCHEME_IN[lang].search(text) if lang in OFF_SCHEME_IN else None)
        if hit:
            out.append(f"{where}: rests on material outside FitSM ({hit.group(0)!r})")
            break
    if source is not None:
        caps = NEGATIVE_CAPS_IN.get(lang)
        if NEGATIVE_CAPS.search(source.stem) and caps and not caps.search(it.stem):
            out.append(
                f"{where}: the English stem is negative in capitals; write the negative word in capitals"
            )
        if it.stem.strip() and it.stem.strip() == source.stem.strip():
            out.append(f"{where}: the stem is the English one, not translated")
        if it.rationale.strip() and it.rationale.strip() == source.rationale.strip():
            out.append(f"{where}: the rationale is the English one, not translated")
    return out


def language_items_lint(items):
    """Near-duplicate stems and identical option sets among the items of one language."""
    findings = []
    by_language = defaultdict(list)
    for it in items:
        by_language[it.language].append(it)
    for lang, lang_items in sorted(by_language.items()):
        stems = [(it, _tokens_in(it.stem, lang)) for it in lang_items]
        for i, (a, ta) in enumerate(stems):
            for b, tb in stems[i + 1 :]:
                if _similar(ta, tb) >= NEAR_DUPLICATE:
                    findings.append(
                        f"{a.external_id} ({a.position}) and {b.external_id} ({b.position}): "
                        "duplicate or near-duplicate stems"
                    )
        option_sets = defaultdict(list)
        for it in lang_items:
            if sorted(it.options) == ["A", "B", "C", "D"]:
                words = bank_cues.cue_words(lang)
                option_sets[
                    frozenset(" ".join(bank_cues._words(v, words)) for v in it.options.values())
                ].append(f"{it.external_id} ({it.position})")
        for ids in option_sets.values():
            if len(ids) > 1:
                findings.append(f"{', '.join(ids)}: identical option sets")
    return findings


def translation_cue_findings(items):
    """The answer-cue limits for translated banks. The key letters are the English ones (and
    linted there), so only the strategies that read the wording count."""
    return [f for row in bank_cues.bank_rows(items) for f in row.findings() if "key letter" not in f]


def translations_lint(bank_folder=None):
    """(items, findings) of every translation file of the banks."""
    items, findings = [], []
    for language, path, english_path in translation_files(bank_folder):
        file_items, file_findings = translation_file_lint(language, path, english_path)
        items.extend(file_items)
        findings.extend(file_findings)
    findings.extend(language_items_lint(items))
    findings.extend(translation_cue_findings(items))
    return items, findings


def lesson_check_prompts(folder=None):
    """(where, prompt) for every knowledge-check question in the lessons."""
    out = []
    for path in sorted((folder or CONTENT_DIR / "courses").glob("*/lessons/*.yaml")):
        data = read_yaml(path) or {}
        for block in data.get("body") or []:
            if block.get("type") == "knowledge_check":
                for i, q in enumerate((block.get("value") or {}).get("questions") or [], start=1):
                    out.append((f"{path.name} check question {i}", str(q.get("prompt", ""))))
    return out


def knowledge_checks(folder=None):
    """(course folder, prompt, options) for every knowledge-check question in the lessons."""
    out = []
    for path in sorted((folder or CONTENT_DIR / "courses").glob("*/lessons/*.yaml")):
        data = read_yaml(path) or {}
        for block in data.get("body") or []:
            if block.get("type") == "knowledge_check":
                for q in (block.get("value") or {}).get("questions") or []:
                    out.append(
                        (path.parent.parent.name.upper(), str(q.get("prompt", "")), q.get("options") or [])
                    )
    return out


def cue_tables(bank_folder=None, courses_folder=None):
    """The answer-cue table of every bank (one table per language) and of the lessons'
    knowledge checks, as text."""
    items = [it for path in bank_files(bank_folder) for it in bank_items_read(path)]
    tables = [bank_cues.cue_table(bank_cues.bank_rows(items))]
    translated, _ = translations_lint(bank_folder)
    by_language = defaultdict(list)
    for it in translated:
        by_language[it.language].append(it)
    for _, lang_items in sorted(by_language.items()):
        tables.append(bank_cues.cue_table(bank_cues.bank_rows(lang_items)))
    tables.append(bank_cues.cue_table(bank_cues.check_rows(knowledge_checks(courses_folder))))
    body = "\n\n".join(tables)
    return f"Answer cues: share of items each options-only strategy gets right\n\n{body}"


def lint(bank_folder=None, certifications_path=None, courses_folder=None):
    """Return a list of findings; each names the item it is about."""
    findings = []
    items = []
    scenarios = defaultdict(list)
    for path in bank_files(bank_folder):
        file_items = bank_items_read(path)
        data = read_yaml(path)
        if not BANK_FILE.fullmatch(Path(path).stem) or not Path(path).stem.startswith(
            f"{data.get('certification')}-{data.get('purpose')}"
        ):
            findings.append(f"{path.name}: certification/purpose do not match the file name")
        items.extend(file_items)
        for index, raw in enumerate(data.get("items") or [], start=1):
            label = raw.get("scenario") if isinstance(raw, dict) else None
            if label:
                scenarios[str(label)].append(
                    (
                        raw.get("id") or f"{path.name} item {index}",
                        data.get("certification"),
                        data.get("purpose"),
                    )
                )
    for it in items:
        where = f"{it.external_id} ({it.position})"
        if not isinstance(it.options, dict) or sorted(it.options) != ["A", "B", "C", "D"]:
            findings.append(f"{where}: needs exactly four options A-D")
            continue
        if it.answer not in it.options:
            findings.append(f"{where}: needs exactly one key among A-D")
        if not it.rationale.strip():
            findings.append(f"{where}: missing rationale")
        if not it.reference.strip():
            findings.append(f"{where}: missing reference")
        texts = [it.stem, *map(str, it.options.values())]
        if any(ABOVE.search(t) for t in texts):
            findings.append(f"{where}: uses 'all/none of the above'")
        if NEGATIVE.search(it.stem):
            findings.append(f"{where}: negative stem must write its negative word in capitals")
        if letter_references(it.rationale):
            findings.append(
                f"{where}: the rationale names an option letter; options are re-lettered per attempt, "
                "so write about the options' content"
            )
        if it.reference.strip() and not REFERENCE.search(it.reference.strip()):
            findings.append(
                f"{where}: the reference must cite FitSM-0 to FitSM-3 or the FitSM training scope"
            )
        for text in (it.stem, *map(str, it.options.values()), it.rationale, it.reference):
            hit = OFF_SCHEME.search(text)
            if hit:
                findings.append(f"{where}: rests on material outside FitSM ({hit.group(0)!r})")
                break
    # Duplicates and near-duplicates across every bank, and lesson checks against exam items.
    stems = [(it, _tokens(it.stem)) for it in items]
    for i, (a, ta) in enumerate(stems):
        for b, tb in stems[i + 1 :]:
            if _similar(ta, tb) >= NEAR_DUPLICATE:
                findings.append(f"{a.external_id} and {b.external_id}: duplicate or near-duplicate stems")
    option_sets = defaultdict(list)
    for it in items:
        if isinstance(it.options, dict):
            option_sets[
                frozenset(" ".join(WORD.findall(str(v).lower())) for v in it.options.values())
            ].append(it.external_id)
    for ids in option_sets.values():
        if len(ids) > 1:
            findings.append(f"{', '.join(ids)}: identical option sets")
    for label, uses in sorted(scenarios.items()):
        per_bank = Counter((cert, purpose) for _, cert, purpose in uses)
        exam_certs = {cert for _, cert, purpose in uses if purpose == "exam"}
        ids = ", ".join(str(i) for i, _, _ in uses)
        if any(n > 1 for n in per_bank.values()):
            findings.append(f"{ids}: scenario {label!r} appears more than once in one bank")
        if len(exam_certs) > 1:
            findings.append(
                f"{ids}: scenario {label!r} appears in the exam banks of {', '.join(sorted(exam_certs))}"
            )
    exam_stems = [(it, t) for it, t in stems if it.purpose == "exam"]
    for where, prompt in lesson_check_prompts(courses_folder):
        tp = _tokens(prompt)
        for it, t in exam_stems:
            if _similar(tp, t) >= SAME_SCENARIO:
                findings.append(f"{where} repeats exam item {it.external_id}")
    for a, ta in stems:
        if a.purpose != "practice":
            continue
        for b, tb in exam_stems:
            if _similar(ta, tb) >= PRACTICE_REHEARSES_EXAM:
                findings.append(
                    f"{a.external_id} rehearses exam item {b.external_id}: practice items must not repeat exam items"
                )
    for i, (a, ta) in enumerate(exam_stems):
        for b, tb in exam_stems[i + 1 :]:
            if a.certification != b.certification and _similar(ta, tb) >= SAME_SCENARIO:
                findings.append(
                    f"{a.external_id} and {b.external_id}: the same scenario in two certifications' exam banks"
                )
    # Per certification: key letter balance. Per bank: the answer cues a test-wise reader uses.
    by_cert = defaultdict(list)
    for it in items:
        if isinstance(it.options, dict) and it.answer in it.options:
            by_cert[it.certification].append(it)
    for cert, cert_items in sorted(by_cert.items()):
        n = len(cert_items)
        letters = Counter(it.answer for it in cert_items)
        for letter in "ABCD":
            share = letters.get(letter, 0) / n
            if not KEY_SHARE[0] <= share <= KEY_SHARE[1]:
                findings.append(f"{cert}: key {letter} holds {share:.0%} of keys (allowed 20-30 %)")
    for row in bank_cues.bank_rows(items):
        findings.extend(row.findings())
    for row in bank_cues.check_rows(knowledge_checks(courses_folder)):
        findings.extend(row.findings())
    # Translations: every file against its English bank, each language's own rules and cues.
    findings.extend(translations_lint(bank_folder)[1])
    # Blueprints: every topic fillable three times over from exam items.
    certs = read_yaml(certifications_path or CONTENT_DIR / "certifications.yaml")["certifications"]
    exam_counts = Counter((it.certification, it.topic) for it in items if it.purpose == "exam")
    for cert in certs:
        for topic in cert.get("topics") or []:
            have, need = exam_counts[(cert["code"], topic["code"])], topic["quota"] * TIMES_FILLABLE
            if have < need:
                findings.append(
                    f"{cert['code']}/{topic['code']}: {have} exam items, the blueprint needs {need}"
                )
    return findings

"""Item-writing rules for the question banks (run by `manage.py lint_bank` and the tests)."""

import re
from collections import Counter, defaultdict
from pathlib import Path

from .loader import CONTENT_DIR, bank_files, bank_items_read, read_yaml

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
KEY_SHARE = (0.20, 0.30)
LONGEST_KEY_MAX = 0.40
TIMES_FILLABLE = 3


def _tokens(text):
    return frozenset(w for w in WORD.findall(text.lower()) if w not in STOP)


def _similar(a, b):
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


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


def lint(bank_folder=None, certifications_path=None, courses_folder=None):
    """Return a list of findings; each names the item it is about."""
    findings = []
    items = []
    for path in bank_files(bank_folder):
        file_items = bank_items_read(path)
        data = read_yaml(path)
        stem_name = Path(path).stem
        if f"{data.get('certification')}-{data.get('purpose')}" != stem_name:
            findings.append(f"{path.name}: certification/purpose do not match the file name")
        items.extend(file_items)
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
    exam_stems = [(it, t) for it, t in stems if it.purpose == "exam"]
    for where, prompt in lesson_check_prompts(courses_folder):
        tp = _tokens(prompt)
        for it, t in exam_stems:
            if _similar(tp, t) >= NEAR_DUPLICATE:
                findings.append(f"{where} repeats exam item {it.external_id}")
    # Per certification: key letter balance and the longest-option habit.
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
        longest = sum(
            1
            for it in cert_items
            if len(str(it.options[it.answer])) == max(len(str(v)) for v in it.options.values())
        )
        if longest / n > LONGEST_KEY_MAX:
            findings.append(f"{cert}: the key is the longest option in {longest / n:.0%} of items (max 40 %)")
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

"""Question banks in interchange formats: the YAML of content/banks, Moodle GIFT
and Moodle XML (multiple-choice subset).

Export functions take Question objects (with current_version and its options)
and return text; parse functions take text and return ItemData for
`items_import`. A parse never stops at the first problem: it collects every
bad item with its position ("line 12" in GIFT, "question 3" in Moodle XML,
"item 4" in YAML) and raises one BankError naming them all, so nothing is
imported from a malformed file.

A parse is bounded, whoever sent the file: the size, the number of questions and
the nesting are capped (below), XML is read by defusedxml (no DTD, no entities),
YAML refuses aliases and over-long numbers, and no regular expression can
backtrack over the text, so a parse takes time proportional to the capped file.

Languages: an export is of one language (English by default; another language exports each
question's current version in it, skipping questions without one), and every format carries
it, so that a file read back gives items of that language (imported as language versions of
the same questions by translations.bank_items_import):
- YAML: a top-level `language: de` (absent: English), and each item's `status` for a
  language version (draft, translated, reviewed);
- GIFT: a `// language: de` comment before each question, beside its reference;
- Moodle XML: a `language:de` tag on each question, beside its reference tag."""

import html
import re
import xml.etree.ElementTree as ET  # noqa: S405 - export, and the tree builder; parsing is defusedxml's

import yaml
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from django.db.models import Prefetch
from django.utils.translation import gettext

from .. import errors
from ..models import Purpose, Question, QuestionTranslation
from .bank import LABELS, ItemData, item_validate

FORMATS = ("yaml", "gift", "moodle-xml")
NOTHING = "Nothing was imported. "

# The bounds of a bank file, every format. Our largest bank is about 90 KB and 110 questions;
# at these caps the slowest input measured parses in under half a second.
MAX_BANK_BYTES = 1024 * 1024
MAX_BANK_ITEMS = 2_000
BANK_MAX_DEPTH = 32  # XML elements, or YAML lists and mappings, nested in one another
BANK_MAX_NODES = 100_000  # XML elements, or YAML values
GIFT_MAX_OPTIONS = 26  # options read from one question; beyond, only their number is reported
YAML_MAX_NUMBER_CHARS = 100  # an integer longer than this is refused (sexagesimal ints cost n²)


# ---------------------------------------------------------------- shared


def questions_for_export(certification, purpose, language="en"):
    """The non-retired questions of one certification and purpose, grouped by topic (for a
    language other than English: those with a version in it)."""
    questions = (
        Question.objects.filter(certification__code=certification, purpose=purpose)
        .exclude(status=Question.Status.RETIRED)
        .exclude(current_version__isnull=True)
        .select_related("certification", "topic", "current_version")
        .prefetch_related("current_version__options")
        .order_by("topic__position", "topic__code", "external_id")
    )
    if language == "en":
        return questions
    found = (
        QuestionTranslation.objects.filter(language=language)
        .select_related("current_version")
        .prefetch_related("current_version__options")
    )
    return questions.filter(translations__language=language).prefetch_related(
        Prefetch("translations", queryset=found, to_attr="in_language")
    )


def _version_in(question, language):
    if language == "en":
        return question.current_version, ""
    found = getattr(question, "in_language", None)
    if found is None:
        found = list(question.translations.filter(language=language).select_related("current_version"))
    return (found[0].current_version, found[0].status) if found else (None, "")


def question_item(question, language="en"):
    """A Question (its current version in `language`) as ItemData."""
    version, status = _version_in(question, language)
    if version is None:
        raise errors.BankError(f"{question.external_id} has no wording yet and cannot be exported.")
    options = sorted(version.options.all(), key=lambda o: o.label)
    return ItemData(
        external_id=question.external_id,
        certification=question.certification.code,
        purpose=question.purpose,
        topic=question.topic.code,
        stem=version.stem,
        options={o.label: o.text for o in options},
        answer=next((o.label for o in options if o.is_correct), ""),
        rationale=version.rationale,
        reference=version.reference,
        difficulty=question.difficulty,
        language=language,
        status=status,
    )


def _purpose_check(purpose):
    if purpose not in Purpose.values:
        raise errors.BankError(f"{NOTHING}purpose must be exam or practice, not {purpose!r}.")


def _difficulty(value):
    try:
        return int(str(value).strip())
    except ValueError:
        return -1


def _shape_prefixes():
    """How item_validate's problems about an item's shape begin, in the active language (its
    messages are translated, so the prefixes are taken from the same catalogue entries)."""
    prefixes = (
        gettext("needs exactly four options A, B, C, D"),
        gettext("answer must be one of A-D, not %(answer)r").split("%(")[0],
        gettext("missing id"),
    )
    return tuple(p for p in prefixes if p)


def _report(items, structural, general=()):
    """Raise BankError naming every bad item: its structural problems plus what
    item_validate finds without the database (topics are checked on import)."""
    lines = list(general)
    seen = {}
    for index, item in enumerate(items):
        own = list(structural.get(index, ()))
        found = item_validate(item, topics_by_cert={item.certification: {item.topic: None}})
        if own:  # the structural problems already explain a bad shape
            found = [p for p in found if not p.startswith(_shape_prefixes())]
        item.problems = own + found
        if item.external_id and item.external_id in seen:
            item.problems.append(
                gettext("id %(id)s repeats the item at %(position)s")
                % {"id": item.external_id, "position": seen[item.external_id]}
            )
        seen.setdefault(item.external_id, item.position)
        if item.problems:
            lines.append(f"{item.position} ({item.external_id or 'no id'}): " + "; ".join(item.problems))
    if lines:
        raise errors.BankError(NOTHING + " | ".join(lines))
    if not items:
        raise errors.BankError(NOTHING + "The file holds no questions.")
    return items


def _size_check(text):
    size = len(text.encode("utf-8", "surrogatepass")) if isinstance(text, str) else len(text)
    if size > MAX_BANK_BYTES:
        raise errors.BankError(
            f"{NOTHING}The file is larger than {MAX_BANK_BYTES // (1024 * 1024)} MB; "
            "split the bank into smaller files."
        )


def _count_check(count):
    if count > MAX_BANK_ITEMS:
        raise errors.BankError(
            f"{NOTHING}The file holds more than {MAX_BANK_ITEMS} questions; split it into smaller files."
        )


def bank_export(questions, fmt, *, certification, purpose, language="en"):
    if fmt == "yaml":
        return yaml_export(questions, certification=certification, purpose=purpose, language=language)
    if fmt == "gift":
        return gift_export(questions, language=language)
    if fmt == "moodle-xml":
        return moodle_xml_export(questions, language=language)
    raise errors.BankError(f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")


def bank_parse(text, fmt, *, certification=None, purpose=None):
    """Parse a bank file of any format. YAML names its certification and purpose;
    GIFT and Moodle XML need them given."""
    if fmt == "yaml":
        return yaml_parse(text, certification=certification, purpose=purpose)
    if fmt not in FORMATS:
        raise errors.BankError(f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")
    if not certification or not purpose:
        raise errors.BankError(f"A {fmt} file needs the certification and purpose to import into.")
    if fmt == "gift":
        return gift_parse(text, certification=certification, purpose=purpose)
    return moodle_xml_parse(text, certification=certification, purpose=purpose)


# ---------------------------------------------------------------- YAML


class _Folded(str):
    pass


class _Quoted(str):
    pass


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


_Dumper.add_representer(_Folded, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", str(v), style=">"))
_Dumper.add_representer(_Quoted, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", str(v), style='"'))


def _yaml_data(items, certification, purpose, styled, language="en"):
    fold = _Folded if styled else str
    quote = _Quoted if styled else str
    head = {"certification": certification, "purpose": purpose}
    if language != "en":
        head["language"] = language
    return {
        **head,
        "items": [
            {
                "id": i.external_id,
                **({"status": i.status} if language != "en" else {}),
                "topic": i.topic,
                "difficulty": i.difficulty,
                "stem": fold(i.stem),
                "options": {label: i.options.get(label, "") for label in LABELS},
                "answer": i.answer,
                "rationale": fold(i.rationale),
                "reference": quote(i.reference),
            }
            for i in items
        ],
    }


def yaml_export(questions, *, certification, purpose, language="en"):
    """The bank as a content/banks/<CODE>-<purpose>.yaml file (with `language:` and each
    item's status for a language other than English)."""
    items = [question_item(q, language) for q in questions]
    plain = _yaml_data(items, certification, purpose, styled=False, language=language)
    dump = dict(Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    text = yaml.dump(_yaml_data(items, certification, purpose, styled=True, language=language), **dump)
    if yaml.safe_load(text) != plain:  # folded style cannot carry every string; fall back to quoting
        text = yaml.dump(plain, **dump)
    return text


def yaml_items(data, *, where=""):
    """The items of a parsed YAML bank as ItemData, unvalidated (the bank lint reads them
    this way too); `where` prefixes each position, e.g. the file name."""
    cert, purpose = data.get("certification"), data.get("purpose")
    language = str(data.get("language") or "en")
    items = []
    for index, raw in enumerate(data["items"], start=1):
        raw = raw if isinstance(raw, dict) else {}
        difficulty = raw.get("difficulty", 2)
        options = raw.get("options") if isinstance(raw.get("options"), dict) else {}
        items.append(
            ItemData(
                external_id=str(raw.get("id") or ""),
                certification=str(cert or ""),
                purpose=purpose,
                topic=str(raw.get("topic") or ""),
                stem=str(raw.get("stem") or ""),
                options={str(k): "" if v is None else str(v) for k, v in options.items()},
                answer=str(raw.get("answer") or ""),
                rationale=str(raw.get("rationale") or ""),
                reference=str(raw.get("reference") or ""),
                difficulty=difficulty if isinstance(difficulty, int) else -1,
                position=f"{where}item {index}",
                language=language,
                status=str(raw.get("status") or "") if language != "en" else "",
            )
        )
    return items


TRANSLATION_STATUSES = ("draft", "translated", "reviewed")
# A translation carries only the wording; these come from the English item with the same id.
TRANSLATION_FORBIDDEN_KEYS = ("answer", "topic", "difficulty", "scenario")
TRANSLATION_KEYS = ("id", "status", "stem", "options", "rationale", "reference")


def yaml_translation_items(data, english, *, where=""):
    """Merge the items of a parsed translation file (content/banks/<lang>/<bank>.yaml) onto
    `english`, the ItemData of the English bank of the same name: the wording and status come
    from the translation, the id, certification, purpose, topic, difficulty and key letter from
    the English item with the same id. Returns (items, problems): the merged items (unvalidated)
    and every problem of the file's shape, each naming the file or the item it is about."""
    language = str(data.get("language") or "")
    problems = []
    first = english[0] if english else None
    if not language:
        problems.append(f"{where}: no 'language:'")
    if first is not None:
        for key, want in (("certification", first.certification), ("purpose", first.purpose)):
            if data.get(key) != want:
                problems.append(f"{where}: {key} {data.get(key)!r}, the English bank has {want!r}")
    by_id = {it.external_id: it for it in english}
    items, ids = [], []
    for index, raw in enumerate(data.get("items") or [], start=1):
        position = f"{where} item {index}".strip()
        raw = raw if isinstance(raw, dict) else {}
        ext = str(raw.get("id") or "")
        label = f"{ext or 'no id'} ({position})"
        ids.append(ext)
        forbidden = [k for k in TRANSLATION_FORBIDDEN_KEYS if k in raw]
        if forbidden:
            problems.append(
                f"{label}: {', '.join(forbidden)} must not be given (they come from the English item)"
            )
        unknown = [str(k) for k in raw if k not in TRANSLATION_KEYS and k not in TRANSLATION_FORBIDDEN_KEYS]
        if unknown:
            problems.append(f"{label}: unknown key(s) {', '.join(unknown)}")
        status = str(raw.get("status") or "")
        if status not in TRANSLATION_STATUSES:
            problems.append(
                f"{label}: status must be one of {', '.join(TRANSLATION_STATUSES)}, not {status!r}"
            )
        source = by_id.get(ext)
        if source is None:
            problems.append(f"{label}: no English item has this id")
            continue
        options = raw.get("options") if isinstance(raw.get("options"), dict) else {}
        items.append(
            ItemData(
                external_id=ext,
                certification=source.certification,
                purpose=source.purpose,
                topic=source.topic,
                stem=str(raw.get("stem") or ""),
                options={str(k): "" if v is None else str(v) for k, v in options.items()},
                answer=source.answer,
                rationale=str(raw.get("rationale") or ""),
                reference=str(raw.get("reference") or ""),
                difficulty=source.difficulty,
                position=position,
                language=language,
                status=status,
            )
        )
    counts = {}
    for ext in ids:
        counts[ext] = counts.get(ext, 0) + 1
    for ext, n in counts.items():
        if ext and n > 1:
            problems.append(f"{where}: {ext} is translated {n} times")
    missing = [it.external_id for it in english if it.external_id not in counts]
    if missing:
        shown = ", ".join(missing[:10]) + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
        problems.append(f"{where}: {len(missing)} English item(s) not translated: {shown}")
    order = [ext for ext in dict.fromkeys(ids) if ext in by_id]
    expected = [it.external_id for it in english if it.external_id in counts]
    if order != expected:
        at = next(i for i, (a, b) in enumerate(zip(order, expected, strict=False)) if a != b)
        problems.append(
            f"{where}: items out of the English order from {order[at]} on (expected {expected[at]} there)"
        )
    return items, problems


_YAML_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 7x faster


class _BankYamlLoader(_YAML_BASE_LOADER):
    """The safe loader, refusing integers too long to convert in linear time."""


def _yaml_int(loader, node):
    if len(node.value) > YAML_MAX_NUMBER_CHARS:
        raise yaml.constructor.ConstructorError(
            None, None, f"a number longer than {YAML_MAX_NUMBER_CHARS} characters", node.start_mark
        )
    return loader.construct_yaml_int(node)


_BankYamlLoader.add_constructor("tag:yaml.org,2002:int", _yaml_int)
_YAML_OPEN = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_YAML_CLOSE = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


def _yaml_shape_check(text):
    """Read the events once, before anything is built: no alias (a "billion laughs" is
    aliases of aliases), no explicit tag (!!timestamp, !!bool… on a value that is not one
    make the safe constructor fail unpredictably), no nesting deeper than BANK_MAX_DEPTH (the
    composer recurses), at most BANK_MAX_NODES values."""
    depth = nodes = 0
    for event in yaml.parse(text, Loader=_BankYamlLoader):
        line = event.start_mark.line + 1 if event.start_mark else "?"
        if getattr(event, "tag", None) is not None:
            raise errors.BankError(
                f"{NOTHING}Line {line}: YAML tags ({event.tag}) are not allowed in a bank file; "
                "write plain values."
            )
        if isinstance(event, yaml.AliasEvent):
            raise errors.BankError(
                f"{NOTHING}Line {line}: YAML aliases (*{event.anchor}) are not allowed in a bank file; "
                "write each value out."
            )
        if isinstance(event, _YAML_OPEN):
            depth += 1
            if depth > BANK_MAX_DEPTH:
                raise errors.BankError(
                    f"{NOTHING}Line {line}: the YAML nests deeper than {BANK_MAX_DEPTH} levels."
                )
        elif isinstance(event, _YAML_CLOSE):
            depth -= 1
        if isinstance(event, (*_YAML_OPEN, yaml.ScalarEvent)):
            nodes += 1
            if nodes > BANK_MAX_NODES:
                raise errors.BankError(f"{NOTHING}The YAML holds more than {BANK_MAX_NODES} values.")


def yaml_parse(text, *, certification=None, purpose=None):
    _size_check(text)
    try:
        _yaml_shape_check(text)
        data = yaml.load(text, Loader=_BankYamlLoader)  # noqa: S506 - a safe loader (SafeConstructor)
    except yaml.YAMLError as exc:
        raise errors.BankError(f"{NOTHING}Not valid YAML: {exc}") from None
    except ValueError as exc:  # a value the safe constructor cannot build, e.g. the date 2024-02-30
        raise errors.BankError(f"{NOTHING}Not valid YAML: a value cannot be read ({exc}).") from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise errors.BankError(f"{NOTHING}Expected 'certification', 'purpose' and a list of 'items'.")
    _count_check(len(data["items"]))
    cert, file_purpose = data.get("certification"), data.get("purpose")
    for name, given, found in (("certification", certification, cert), ("purpose", purpose, file_purpose)):
        if given and given != found:
            raise errors.BankError(f"{NOTHING}The file is for {name} {found!r}, not {given!r}.")
    _purpose_check(file_purpose)
    items = yaml_items(data)
    return _report(items, {})


# ---------------------------------------------------------------- GIFT

GIFT_SPECIAL = "~=#{}:"
_GIFT_META = re.compile(r"^//\s*(reference|difficulty|rationale|language|status)\s*:\s?(.*)$", re.IGNORECASE)
_GIFT_CATEGORY = re.compile(r"^\$CATEGORY:\s*(.*)$")
_GIFT_WEIGHT = re.compile(r"^\s*%-?\d+(\.\d+)?%")


def gift_escape(text):
    text = str(text).replace("\\", "\\\\")
    for c in GIFT_SPECIAL:
        text = text.replace(c, "\\" + c)
    return text.replace("\r\n", "\n").replace("\n", "\\n")


def _gift_comment(text):
    """Comments are not parsed by Moodle: only backslashes and line breaks are escaped."""
    return str(text).replace("\\", "\\\\").replace("\r\n", "\n").replace("\n", "\\n")


def gift_unescape(text):
    return "".join(c for _, c in _gift_tokens(text))


def _gift_tokens(text):
    """(special, char) pairs: special is True for an unescaped ~ = # { } :."""
    out, i, end = [], 0, len(text)
    while i < end:
        j = text.find("\\", i)
        j = end if j < 0 else j
        out.extend([(c in GIFT_SPECIAL, c) for c in text[i:j]])  # the run up to the next backslash
        if j + 1 < end:
            nxt = text[j + 1]
            out.append((False, "\n" if nxt == "n" else nxt))
            i = j + 2
        else:
            if j < end:  # a backslash that ends the text stands for itself
                out.append((False, "\\"))
            i = end
    return out


def _text(tokens):
    return "".join([c for _, c in tokens])


def _category_path(value):
    """<CERT>/<TOPIC> from a category path; Moodle may prefix $course$/top/..."""
    parts = [p.strip() for p in value.split("/") if p.strip()]
    parts = [p for p in parts if not p.startswith("$")]
    return tuple(parts[-2:]) if len(parts) >= 2 else None


def gift_export(questions, language="en"):
    """GIFT: a $CATEGORY line before each topic's group, then per item its
    reference, difficulty and rationale as comments (and its language and status, other
    languages than English), ::ID:: title, stem and the four options in A-D order with =
    marking the key."""
    out, category = [], None
    for q in questions:
        item = question_item(q, language)
        if (item.certification, item.topic) != category:
            category = (item.certification, item.topic)
            out.append(f"$CATEGORY: {item.certification}/{item.topic}\n")
        lines = [
            f"// reference: {_gift_comment(item.reference)}",
            f"// difficulty: {item.difficulty}",
            f"// rationale: {_gift_comment(item.rationale)}",
            *([f"// language: {language}", f"// status: {item.status}"] if language != "en" else []),
            f"::{gift_escape(item.external_id)}::{gift_escape(item.stem)} {{",
        ]
        for label in LABELS:
            mark = "=" if label == item.answer else "~"
            lines.append(f"{mark}{gift_escape(item.options.get(label, ''))}")
        lines.append("}")
        out.append("\n".join(lines) + "\n")
    return "\n".join(out)


def _gift_blocks(text):
    """Blocks of consecutive non-blank lines, each as [(line number, line)]."""
    block = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            block.append((number, line.rstrip()))
        elif block:
            yield block
            block = []
    if block:
        yield block


_HASH = (True, "#")


def _gift_label(n):
    """A, B, C, D, then #5, #6, ... for the options beyond four."""
    return LABELS[n] if n < len(LABELS) else f"#{n + 1}"


def _gift_question(tokens):
    """Title, stem, options, answer, general feedback and problems of one question."""
    problems = []
    i = 0
    while i < len(tokens) and not tokens[i][0] and tokens[i][1].isspace():
        i += 1
    title = ""
    if tokens[i : i + 2] == [(True, ":"), (True, ":")]:
        end = next(
            (j for j in range(i + 2, len(tokens) - 1) if tokens[j] == tokens[j + 1] == (True, ":")), None
        )
        if end is None:
            problems.append("the title ::ID:: is not closed")
            i += 2
        else:
            title = _text(tokens[i + 2 : end]).strip()
            i = end + 2
            if not title:
                problems.append("empty title ::ID::")
    else:
        problems.append("missing title ::ID::")
    rest = tokens[i:]
    specials = [j for j, (special, _) in enumerate(rest) if special]  # one pass over a long text
    opens = [j for j in specials if rest[j][1] == "{"]
    closes = [j for j in specials if rest[j][1] == "}"]
    first = min(opens + closes, default=len(rest))
    bad = {"stem": _text(rest[:first]).strip(), "options": {}, "answer": "", "feedback": ""}
    if not opens and not closes:
        return title, bad, [*problems, "no answer block { ... }"]
    if len(opens) == 1 and not closes:
        return title, bad, [*problems, "malformed braces: { is never closed"]
    if len(opens) != 1 or len(closes) != 1 or closes[0] < opens[0]:
        return title, bad, [*problems, "malformed braces: expected exactly one { ... } answer block"]
    start, end = opens[0], closes[0]
    stem = _text(rest[:start]).strip()
    if _text(rest[end + 1 :]).strip():
        problems.append("text after the closing }")
    body = rest[start + 1 : end]
    feedback = ""
    hashes = [j for j, t in enumerate(body) if t == _HASH]
    run = next((h for n, h in enumerate(hashes[:-3]) if hashes[n + 3] == h + 3), None)  # "####"
    if run is not None:
        feedback, body = _text(body[run + 4 :]).strip(), body[:run]
    marks = [j for j, t in enumerate(body) if t in ((True, "="), (True, "~"))]
    lead = _text(body[: marks[0]] if marks else body).strip()
    if lead:
        kind = "true/false" if lead.upper() in ("T", "F", "TRUE", "FALSE") else "not multiple-choice"
        problems.append(f"{kind} answer {lead!r}: only multiple choice is supported")
    answers = []
    for n, j in enumerate(marks[:GIFT_MAX_OPTIONS]):  # beyond, the count alone is reported
        segment = body[j + 1 : marks[n + 1] if n + 1 < len(marks) else len(body)]
        cut = next((k for k, t in enumerate(segment) if t == _HASH), len(segment))
        answers.append((body[j][1] == "=", _text(segment[:cut]).strip()))
    if any(_GIFT_WEIGHT.match(text) for _, text in answers):
        problems.append("partial-credit %weights% are not supported")
    rights = [n for n, j in enumerate(marks) if body[j][1] == "="]
    if not rights:
        problems.append("no = (correct) answer")
    elif len(rights) > 1:
        problems.append(f"{len(rights)} answers marked =; exactly one must be correct")
    if len(marks) != 4:
        problems.append(f"{len(marks)} options; needs exactly four")
    options = {_gift_label(n): text for n, (_, text) in enumerate(answers)}
    answer = _gift_label(rights[0]) if len(rights) == 1 else ""
    return title, {"stem": stem, "options": options, "answer": answer, "feedback": feedback}, problems


def gift_parse(text, *, certification, purpose):
    """Parse GIFT into ItemData; raise BankError naming every bad item by line."""
    _purpose_check(purpose)
    _size_check(text)
    items, structural, general = [], {}, []
    category = None
    for block in _gift_blocks(text):
        meta, question = {}, []
        for number, line in block:
            stripped = line.strip()
            if question:
                question.append((number, line))
            elif m := _GIFT_CATEGORY.match(stripped):
                category = _category_path(m.group(1))
                if category is None:
                    general.append(f"line {number}: $CATEGORY must name <CERT>/<TOPIC>, not {m.group(1)!r}")
                elif category[0] != certification:
                    general.append(
                        f"line {number}: category {'/'.join(category)} is not in certification {certification}"
                    )
            elif stripped.startswith("//"):
                if m := _GIFT_META.match(stripped):
                    meta[m.group(1).lower()] = gift_unescape(m.group(2)).strip()
            else:
                question.append((number, line))
        if not question:
            continue
        _count_check(len(items) + 1)
        number = question[0][0]
        title, parts, problems = _gift_question(_gift_tokens("\n".join(line for _, line in question)))
        if category is None:
            problems.append("no $CATEGORY: <CERT>/<TOPIC> line before it")
        structural[len(items)] = problems
        items.append(
            ItemData(
                external_id=title,
                certification=category[0] if category else "",
                purpose=purpose,
                topic=category[1] if category else "",
                stem=parts["stem"],
                options=parts["options"],
                answer=parts["answer"],
                rationale=meta.get("rationale") or parts["feedback"],
                reference=meta.get("reference", ""),
                difficulty=_difficulty(meta.get("difficulty", 2)),
                position=f"line {number}",
                language=meta.get("language") or "en",
                status=meta.get("status", ""),
            )
        )
    return _report(items, structural, general)


# ---------------------------------------------------------------- Moodle XML


def _html(text):
    return html.escape(str(text), quote=False).replace("\r\n", "\n").replace("\n", "<br>")


_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^<>]*>")  # stops at the next "<": a run of "<" costs linear time, not n²


def _from_html(text):
    text = _BR.sub("\n", text or "")
    return html.unescape(_TAG.sub("", text))


def _text_of(element):
    """The <text> of an element, converted from HTML when its format says so."""
    if element is None:
        return ""
    text = element.findtext("text") or ""
    return _from_html(text) if element.get("format") == "html" else text


def _sub_text(parent, tag, text, **attrs):
    element = ET.SubElement(parent, tag, attrs)
    ET.SubElement(element, "text").text = text
    return element


def moodle_xml_export(questions, language="en"):
    """Moodle XML: a category entry before each topic's group, then one
    multichoice question per item with its options in A-D order (its language and status
    as tags, other languages than English)."""
    quiz = ET.Element("quiz")
    category = None
    for q in questions:
        item = question_item(q, language)
        if (item.certification, item.topic) != category:
            category = (item.certification, item.topic)
            entry = ET.SubElement(quiz, "question", type="category")
            _sub_text(entry, "category", f"$course$/{item.certification}/{item.topic}")
        question = ET.SubElement(quiz, "question", type="multichoice")
        _sub_text(question, "name", item.external_id)
        _sub_text(question, "questiontext", _html(item.stem), format="html")
        _sub_text(question, "generalfeedback", _html(item.rationale), format="html")
        ET.SubElement(question, "defaultgrade").text = "1"
        ET.SubElement(question, "single").text = "true"
        ET.SubElement(question, "shuffleanswers").text = "true"
        ET.SubElement(question, "answernumbering").text = "ABCD"
        for label in LABELS:
            fraction = "100" if label == item.answer else "0"
            _sub_text(
                question, "answer", _html(item.options.get(label, "")), fraction=fraction, format="html"
            )
        tags = ET.SubElement(question, "tags")
        extra = [f"language:{language}", f"status:{item.status}"] if language != "en" else []
        for tag in (f"reference:{item.reference}", f"difficulty:{item.difficulty}", *extra):
            _sub_text(tags, "tag", tag)
    ET.indent(quiz)
    return ET.tostring(quiz, encoding="unicode", xml_declaration=True) + "\n"


def _fraction(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


class _XmlTooLarge(Exception):
    pass


class _BoundedTreeBuilder(ET.TreeBuilder):
    """Refuses the document as soon as it has too many or too deeply nested elements."""

    def __init__(self):
        super().__init__()
        self.count = self.depth = 0

    def start(self, tag, attrs):
        self.count += 1
        self.depth += 1
        if self.count > BANK_MAX_NODES:
            raise _XmlTooLarge(f"The file has more than {BANK_MAX_NODES} XML elements.")
        if self.depth > BANK_MAX_DEPTH:
            raise _XmlTooLarge(f"The XML nests elements deeper than {BANK_MAX_DEPTH} levels.")
        return super().start(tag, attrs)

    def end(self, tag):
        self.depth -= 1
        return super().end(tag)


DOCTYPE_REFUSED = f"{NOTHING}The file declares a DOCTYPE or ENTITY; these are not allowed."


def _xml_root(text):
    """The root element, read by defusedxml: a DOCTYPE stops the parse where it starts, so no
    entity is ever declared or expanded ("billion laughs") and no external file is read."""
    parser = DefusedXMLParser(
        target=_BoundedTreeBuilder(), forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    try:
        parser.feed(text)
        return parser.close()
    except ET.ParseError as exc:
        line, column = exc.position
        raise errors.BankError(
            f"{NOTHING}Not well-formed XML at line {line}, column {column}: {exc}"
        ) from None
    except DefusedXmlException:
        raise errors.BankError(DOCTYPE_REFUSED) from None
    except _XmlTooLarge as exc:
        raise errors.BankError(f"{NOTHING}{exc}") from None
    except (UnicodeError, LookupError, ValueError):  # text expat cannot take, an unknown encoding
        raise errors.BankError(f"{NOTHING}The file is not XML text that can be read.") from None


def moodle_xml_parse(text, *, certification, purpose):
    """Parse Moodle XML into ItemData; raise BankError naming every bad question
    by its number among the <question> elements."""
    _purpose_check(purpose)
    _size_check(text)
    root = _xml_root(text)
    if root.tag != "quiz":
        raise errors.BankError(f"{NOTHING}The root element is <{root.tag}>, not <quiz>.")
    items, structural, general = [], {}, []
    category = None
    _count_check(sum(1 for element in root.findall("question") if element.get("type") != "category"))
    for number, element in enumerate(root.findall("question"), start=1):
        kind = element.get("type", "")
        name = (element.findtext("name/text") or "").strip()
        if kind == "category":
            path = element.findtext("category/text") or ""
            category = _category_path(path)
            if category is None:
                general.append(f"question {number}: category must be $course$/<CERT>/<TOPIC>, not {path!r}")
            elif category[0] != certification:
                general.append(
                    f"question {number}: category {'/'.join(category)} is not in certification {certification}"
                )
            continue
        if kind != "multichoice":
            general.append(
                f"question {number} ({name or 'no name'}): type {kind!r} is not supported; only multichoice"
            )
            continue
        problems = []
        if not name:
            problems.append("missing <name><text> (the id)")
        if (element.findtext("single") or "true").strip().lower() not in ("true", "1"):
            problems.append("allows several answers (<single>false</single>)")
        answers = []
        for answer in element.findall("answer"):
            fraction = _fraction(answer.get("fraction"))
            if fraction not in (0, 100):
                problems.append(f"answer fraction {answer.get('fraction')!r} is not 100 or 0")
            answers.append((fraction == 100, _text_of(answer).strip()))
        rights = [n for n, (right, _) in enumerate(answers) if right]
        if not rights:
            problems.append('no correct answer (fraction="100")')
        elif len(rights) > 1:
            problems.append(f"{len(rights)} answers have fraction 100; exactly one must be correct")
        if len(answers) != 4:
            problems.append(f"{len(answers)} options; needs exactly four")
        if category is None:
            problems.append("no category question before it")
        tags = {}
        for tag in element.findall("tags/tag"):
            key, _, value = (tag.findtext("text") or "").partition(":")
            tags[key.strip().lower()] = value.strip()
        labels = [*LABELS, *(f"#{n}" for n in range(5, len(answers) + 1))]
        structural[len(items)] = problems
        items.append(
            ItemData(
                external_id=name,
                certification=category[0] if category else "",
                purpose=purpose,
                topic=category[1] if category else "",
                stem=_text_of(element.find("questiontext")).strip(),
                options={labels[n]: text for n, (_, text) in enumerate(answers)},
                answer=labels[rights[0]] if len(rights) == 1 else "",
                rationale=_text_of(element.find("generalfeedback")).strip(),
                reference=tags.get("reference", ""),
                difficulty=_difficulty(tags.get("difficulty", 2)),
                position=f"question {number}",
                language=tags.get("language") or "en",
                status=tags.get("status", ""),
            )
        )
    return _report(items, structural, general)

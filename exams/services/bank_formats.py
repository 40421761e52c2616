"""Question banks in interchange formats: the YAML of content/banks, Moodle GIFT
and Moodle XML (multiple-choice subset).

Export functions take Question objects (with current_version and its options)
and return text; parse functions take text and return ItemData for
`items_import`. A parse never stops at the first problem: it collects every
bad item with its position ("line 12" in GIFT, "question 3" in Moodle XML,
"item 4" in YAML) and raises one BankError naming them all, so nothing is
imported from a malformed file."""

import html
import re
import xml.etree.ElementTree as ET  # noqa: S405 - DTDs and entities are rejected before parsing

import yaml

from .. import errors
from ..models import Purpose, Question
from .bank import LABELS, ItemData, item_validate

FORMATS = ("yaml", "gift", "moodle-xml")
NOTHING = "Nothing was imported. "


# ---------------------------------------------------------------- shared


def questions_for_export(certification, purpose):
    """The non-retired questions of one certification and purpose, grouped by topic."""
    return (
        Question.objects.filter(certification__code=certification, purpose=purpose)
        .exclude(status=Question.Status.RETIRED)
        .exclude(current_version__isnull=True)
        .select_related("certification", "topic", "current_version")
        .prefetch_related("current_version__options")
        .order_by("topic__position", "topic__code", "external_id")
    )


def question_item(question):
    """A Question (its current version) as ItemData."""
    version = question.current_version
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
    )


def _purpose_check(purpose):
    if purpose not in Purpose.values:
        raise errors.BankError(f"{NOTHING}purpose must be exam or practice, not {purpose!r}.")


def _difficulty(value):
    try:
        return int(str(value).strip())
    except ValueError:
        return -1


_SHAPE = ("needs exactly four options", "answer must be", "missing id")


def _report(items, structural, general=()):
    """Raise BankError naming every bad item: its structural problems plus what
    item_validate finds without the database (topics are checked on import)."""
    lines = list(general)
    seen = {}
    for index, item in enumerate(items):
        own = list(structural.get(index, ()))
        found = item_validate(item, topics_by_cert={item.certification: {item.topic: None}})
        if own:  # the structural problems already explain a bad shape
            found = [p for p in found if not p.startswith(_SHAPE)]
        item.problems = own + found
        if item.external_id and item.external_id in seen:
            item.problems.append(f"id {item.external_id} repeats the item at {seen[item.external_id]}")
        seen.setdefault(item.external_id, item.position)
        if item.problems:
            lines.append(f"{item.position} ({item.external_id or 'no id'}): " + "; ".join(item.problems))
    if lines:
        raise errors.BankError(NOTHING + " | ".join(lines))
    if not items:
        raise errors.BankError(NOTHING + "The file holds no questions.")
    return items


def bank_export(questions, fmt, *, certification, purpose):
    if fmt == "yaml":
        return yaml_export(questions, certification=certification, purpose=purpose)
    if fmt == "gift":
        return gift_export(questions)
    if fmt == "moodle-xml":
        return moodle_xml_export(questions)
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


def _yaml_data(items, certification, purpose, styled):
    fold = _Folded if styled else str
    quote = _Quoted if styled else str
    return {
        "certification": certification,
        "purpose": purpose,
        "items": [
            {
                "id": i.external_id,
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


def yaml_export(questions, *, certification, purpose):
    """The bank as a content/banks/<CODE>-<purpose>.yaml file."""
    items = [question_item(q) for q in questions]
    plain = _yaml_data(items, certification, purpose, styled=False)
    dump = dict(Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    text = yaml.dump(_yaml_data(items, certification, purpose, styled=True), **dump)
    if yaml.safe_load(text) != plain:  # folded style cannot carry every string; fall back to quoting
        text = yaml.dump(plain, **dump)
    return text


def yaml_items(data, *, where=""):
    """The items of a parsed YAML bank as ItemData, unvalidated (the bank lint reads them
    this way too); `where` prefixes each position, e.g. the file name."""
    cert, purpose = data.get("certification"), data.get("purpose")
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
            )
        )
    return items


def yaml_parse(text, *, certification=None, purpose=None):
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise errors.BankError(f"{NOTHING}Not valid YAML: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise errors.BankError(f"{NOTHING}Expected 'certification', 'purpose' and a list of 'items'.")
    cert, file_purpose = data.get("certification"), data.get("purpose")
    for name, given, found in (("certification", certification, cert), ("purpose", purpose, file_purpose)):
        if given and given != found:
            raise errors.BankError(f"{NOTHING}The file is for {name} {found!r}, not {given!r}.")
    _purpose_check(file_purpose)
    items = yaml_items(data)
    return _report(items, {})


# ---------------------------------------------------------------- GIFT

GIFT_SPECIAL = "~=#{}:"
_GIFT_META = re.compile(r"^//\s*(reference|difficulty|rationale)\s*:\s?(.*)$", re.IGNORECASE)
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
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append((False, "\n" if nxt == "n" else nxt))
            i += 2
            continue
        out.append((c in GIFT_SPECIAL, c))
        i += 1
    return out


def _text(tokens):
    return "".join(c for _, c in tokens)


def _category_path(value):
    """<CERT>/<TOPIC> from a category path; Moodle may prefix $course$/top/..."""
    parts = [p.strip() for p in value.split("/") if p.strip()]
    parts = [p for p in parts if not p.startswith("$")]
    return tuple(parts[-2:]) if len(parts) >= 2 else None


def gift_export(questions):
    """GIFT: a $CATEGORY line before each topic's group, then per item its
    reference, difficulty and rationale as comments, ::ID:: title, stem and the
    four options in A-D order with = marking the key."""
    out, category = [], None
    for q in questions:
        item = question_item(q)
        if (item.certification, item.topic) != category:
            category = (item.certification, item.topic)
            out.append(f"$CATEGORY: {item.certification}/{item.topic}\n")
        lines = [
            f"// reference: {_gift_comment(item.reference)}",
            f"// difficulty: {item.difficulty}",
            f"// rationale: {_gift_comment(item.rationale)}",
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
    opens = [j for j, t in enumerate(rest) if t == (True, "{")]
    closes = [j for j, t in enumerate(rest) if t == (True, "}")]
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
    for j in range(len(body) - 3):
        if all(t == (True, "#") for t in body[j : j + 4]):
            feedback, body = _text(body[j + 4 :]).strip(), body[:j]
            break
    marks = [j for j, t in enumerate(body) if t in ((True, "="), (True, "~"))]
    lead = _text(body[: marks[0]] if marks else body).strip()
    if lead:
        kind = "true/false" if lead.upper() in ("T", "F", "TRUE", "FALSE") else "not multiple-choice"
        problems.append(f"{kind} answer {lead!r}: only multiple choice is supported")
    answers = []
    for n, j in enumerate(marks):
        segment = body[j + 1 : marks[n + 1] if n + 1 < len(marks) else len(body)]
        cut = next((k for k, t in enumerate(segment) if t == (True, "#")), len(segment))
        answers.append((body[j][1] == "=", _text(segment[:cut]).strip()))
    if any(_GIFT_WEIGHT.match(text) for _, text in answers):
        problems.append("partial-credit %weights% are not supported")
    rights = [n for n, (right, _) in enumerate(answers) if right]
    if not rights:
        problems.append("no = (correct) answer")
    elif len(rights) > 1:
        problems.append(f"{len(rights)} answers marked =; exactly one must be correct")
    if len(answers) != 4:
        problems.append(f"{len(answers)} options; needs exactly four")
    labels = [*LABELS, *(f"#{n}" for n in range(5, len(answers) + 1))]
    options = {labels[n]: text for n, (_, text) in enumerate(answers)}
    answer = labels[rights[0]] if len(rights) == 1 else ""
    return title, {"stem": stem, "options": options, "answer": answer, "feedback": feedback}, problems


def gift_parse(text, *, certification, purpose):
    """Parse GIFT into ItemData; raise BankError naming every bad item by line."""
    _purpose_check(purpose)
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
            )
        )
    return _report(items, structural, general)


# ---------------------------------------------------------------- Moodle XML


def _html(text):
    return html.escape(str(text), quote=False).replace("\r\n", "\n").replace("\n", "<br>")


def _from_html(text):
    text = re.sub(r"<br\s*/?>", "\n", text or "", flags=re.IGNORECASE)
    return html.unescape(re.sub(r"<[^>]*>", "", text))


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


def moodle_xml_export(questions):
    """Moodle XML: a category entry before each topic's group, then one
    multichoice question per item with its options in A-D order."""
    quiz = ET.Element("quiz")
    category = None
    for q in questions:
        item = question_item(q)
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
        for tag in (f"reference:{item.reference}", f"difficulty:{item.difficulty}"):
            _sub_text(tags, "tag", tag)
    ET.indent(quiz)
    return ET.tostring(quiz, encoding="unicode", xml_declaration=True) + "\n"


def _fraction(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def moodle_xml_parse(text, *, certification, purpose):
    """Parse Moodle XML into ItemData; raise BankError naming every bad question
    by its number among the <question> elements."""
    _purpose_check(purpose)
    upper = text.upper()
    if "<!DOCTYPE" in upper or "<!ENTITY" in upper:
        raise errors.BankError(f"{NOTHING}The file declares a DOCTYPE or ENTITY; these are not allowed.")
    try:
        root = ET.fromstring(text)  # noqa: S314 - no DTD, so no entity expansion
    except ET.ParseError as exc:
        line, column = exc.position
        raise errors.BankError(
            f"{NOTHING}Not well-formed XML at line {line}, column {column}: {exc}"
        ) from None
    if root.tag != "quiz":
        raise errors.BankError(f"{NOTHING}The root element is <{root.tag}>, not <quiz>.")
    items, structural, general = [], {}, []
    category = None
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
            )
        )
    return _report(items, structural, general)

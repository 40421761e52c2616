"""Text in the site's templates that people read but that is not marked for translation.

`python scripts/untranslated.py [template ...]` lists, per template, each piece of text outside
`{% translate %}` / `{% blocktranslate %}` that contains a letter, and each `alt`, `title`,
`aria-label`, `placeholder` or `value` of a button written as plain text. Not counted: tags and
variables (`{{ … }}` is data, marked where it is made), comments, `<script>` and `<style>`,
HTML entities and punctuation, and words that are the same in every language (`LEXICON`).

tests/test_translation_marking.py runs it over templates/ and the apps' templates: a template
not listed in tests/i18n_pending.txt must have none, and a listed one must still have some (the
list only shrinks)."""

import re
import sys
from pathlib import Path

from django.template.base import Lexer, TokenType

ROOT = Path(__file__).resolve().parent.parent
# Written the same in English, German and French, or names: no translation needed.
LEXICON = {"FitSM", "FitSM Academy", "OK", "PDF", "CSV", "QR", "SVG", "PNG", "JWT", "VC-JWT", "ID", "API"}
LEXICON |= {"LinkedIn", "JSON", "JSON-LD", "Open Badges"}
_DROP = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I)
_TAG = re.compile(r"<[^>]*>", re.S)
_ATTR = re.compile(r'\b(alt|title|aria-label|placeholder)\s*=\s*"([^"]*)"', re.I)
_ENTITY = re.compile(r"&[a-zA-Z]+;|&#\d+;")
HOLE = "\x01"  # where a tag or a variable of the template language stood


def _needs_words(text):
    text = _ENTITY.sub(" ", text).replace(HOLE, " ")
    if re.fullmatch(r"\s*(/|https?://)\S*\s*", text):
        return False  # an address shown as it is
    for word in sorted(LEXICON, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", " ", text)
    return any(ch.isalpha() for ch in text)


def _flattened(source):
    """The template as HTML with every template tag, variable, comment and translated block
    replaced by HOLE (newlines kept, so offsets still give lines)."""
    out, depth, in_class_block = [], 0, False
    for token in Lexer(source).tokenize():
        raw = token.contents
        newlines = "\n" * raw.count("\n")
        if token.token_type == TokenType.BLOCK:
            name = raw.split(" ", 1)[0]
            if name in ("blocktranslate", "blocktrans", "comment", "verbatim"):
                depth += 1
            elif name in ("endblocktranslate", "endblocktrans", "endcomment", "endverbatim"):
                depth -= 1
            elif raw.split()[:2] in (["block", "body_class"], ["block", "extra_head"]):
                depth, in_class_block = depth + 1, True  # CSS class names, links to style sheets
            elif name == "endblock" and in_class_block:
                depth, in_class_block = depth - 1, False
            out.append(HOLE + newlines)
        elif token.token_type == TokenType.TEXT and not depth:
            out.append(raw)
        else:
            out.append(HOLE + newlines)
    return "".join(out)


def unmarked(source):
    """[(line, text)] of `source` (a template's text)."""
    html = _DROP.sub(lambda m: "\n" * m.group(0).count("\n"), _flattened(source))
    found = []

    def line_of(offset):
        return html.count("\n", 0, offset) + 1

    for tag in _TAG.finditer(html):
        for attr in _ATTR.finditer(tag.group(0)):
            if _needs_words(attr.group(2)):
                found.append(
                    (line_of(tag.start()), f'{attr.group(1)}="{attr.group(2).replace(HOLE, "…").strip()}"')
                )
    pos = 0
    for piece in _TAG.split(html):
        at = html.find(piece, pos) if piece else pos
        if piece and _needs_words(piece):
            found.append((line_of(at), " ".join(piece.replace(HOLE, "…").split())[:80]))
        pos = max(pos, at + len(piece))
    return sorted(found)


def templates():
    roots = [ROOT / "templates", *sorted(ROOT.glob("*/templates"))]
    return sorted(p for r in roots for p in r.rglob("*") if p.suffix in (".html", ".txt") and p.is_file())


def name_of(path):
    return str(path.relative_to(ROOT))


def main(argv):
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure()
        django.setup()
    paths = [Path(a).resolve() for a in argv[1:]] or templates()
    total = 0
    for path in paths:
        found = unmarked(path.read_text(encoding="utf-8"))
        total += len(found)
        for line, text in found:
            print(f"{name_of(path)}:{line}: {text}")
    print(f"{total} unmarked texts in {len(paths)} templates", file=sys.stderr)
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

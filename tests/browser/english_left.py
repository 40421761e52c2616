"""Which English interface texts a page still shows to someone reading it in another language:
every msgid of the language's catalogues (site and scripts) of at least two words, whose
translation differs, found in the page's visible text."""

import re
from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parents[2] / "locale"
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|<[^>]+>")
# FitSM's own role names, which the German and French material quotes in English beside its own
# word ("SMS-Verantwortlicher (SMS Owner)"): not interface text left untranslated.
FITSM_NAMES = {"SMS owner", "SMS manager", "process owner", "process manager", "case owner"}


@lru_cache(maxsize=4)
def english_texts(language):
    texts = set()
    for po in sorted((LOCALE / language / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as f:
            catalog = read_po(f, locale=language)
        for message in catalog:
            if not message.id or isinstance(message.id, tuple):
                continue
            translated = message.string if isinstance(message.string, str) else ""
            if translated.strip() == message.id.strip():
                continue
            for piece in _PLACEHOLDER.split(message.id):
                piece = " ".join(piece.split()).strip(" .,:;–—()")
                if len(piece.split()) >= 2 and piece not in translated:
                    texts.add(piece)
    return texts


def english_left(text, language):
    """The English pieces of the catalogue found in `text` (a page's visible text)."""
    flat = " ".join(text.split())
    return sorted(piece for piece in english_texts(language) - FITSM_NAMES if piece in flat)

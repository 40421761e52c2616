"""Names as they are printed on certificates: one Unicode form, no invisible characters.

A name is normalised to NFC (so "é" typed as e + combining accent and as one character are the
same name) and its runs of white space become one space. Control characters (BEL, ESC, …),
format characters (bidirectional overrides and isolates, zero-width spaces and joiners, the
byte-order mark), line and paragraph separators, private-use and unassigned code points are
refused: they can hide or reorder what a verifier reads. Letters of every script stay allowed,
right-to-left ones included."""

import unicodedata

from django.core.exceptions import ValidationError

REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def name_problems(value):
    """The reasons a name is refused (empty when it is acceptable)."""
    text = unicodedata.normalize("NFC", str(value or ""))
    bad = sorted({f"U+{ord(c):04X}" for c in text if unicodedata.category(c) in REFUSED_CATEGORIES})
    problems = []
    if bad:
        problems.append(
            "contains invisible or control characters (" + ", ".join(bad[:5]) + "); type the name as it "
            "should be printed"
        )
    if not any(unicodedata.category(c).startswith("L") for c in text):
        problems.append("needs at least one letter")
    return problems


def name_normalise(value):
    """NFC, trimmed, inner white space collapsed to single spaces."""
    return " ".join(unicodedata.normalize("NFC", str(value or "")).split())


def name_validate(value):
    """Django validator: raise ValidationError with the reasons a name is refused."""
    problems = name_problems(value)
    if problems:
        raise ValidationError("This name " + " and ".join(problems) + ".", code="invalid_name")

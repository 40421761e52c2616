"""How an attempt's questions are shown: the letters options get on screen, and the rule that
no text shown to a person names a bank letter (options are re-lettered per attempt).

Pure functions with no database writes, used by the selectors, the API, the bank import and
the bank lint alike."""

import re

KEYS = "ABCDEFGH"

# A reference to an option by its letter: "(B)", "option C", "answer D", a lone B, C or D, or
# "A" where it cannot be the article ("A is right", "A, C and D", "A describes ...").
LETTER_REFERENCE = re.compile(
    r"\((?:[A-H])\)|\b(?:options?|answers?|choices?|letters?)\s+[A-H]\b|\b[B-H]\b(?!['’.-]\w)|"
    r"\bA\b(?=\s*[),.;:]|\s+(?:is|and|or|would|describes|confuses|mixes|ignores|names|gives|states|lists|"
    r"reverses|swaps|wrongly|treats|assigns|puts|misses|refers|suggests|adds|holds|fails|overstates|"
    r"understates)\b)"
)


# The same in German and French: "Option B", "Antwort C", "l'option D", "la réponse A", "(B)", a lone
# letter. German has no article "A", so a lone A is a letter; French writes "A" for "à" in
# capitals, so there it counts only where a letter can stand ("A est juste", "A, C et D").
_LONE_LETTER = r"\((?:[A-H])\)|\b[B-H]\b(?!['’.-]\w)"
LETTER_REFERENCES = {
    "en": LETTER_REFERENCE,
    "de": re.compile(
        _LONE_LETTER + r"|\b(?i:optionen|option|antworten|antwort|auswahl|alternativen|alternative|"
        r"buchstaben|buchstabe|möglichkeit)\s+[A-H]\b|\bA\b(?!['’.-]\w)"
    ),
    "fr": re.compile(
        _LONE_LETTER + r"|\b(?i:options?|réponses?|propositions?|choix|lettres?)\s+[A-H]\b|"
        r"\bA\b(?=\s*[),.;:]|\s+(?:est|et|ou|serait|décrit|confond|mélange|ignore|nomme|donne|affirme|"
        r"inverse|attribue|suppose|oublie|prétend|traite|omet|surestime|sous-estime)\b)"
    ),
}


def displayed_key(item):
    """The letter under which the candidate saw the option they chose (None when unanswered)."""
    if item.chosen_option_id is None:
        return None
    return KEYS[item.option_order.index(item.chosen_option_id)]


def letter_references(text, language="en"):
    """The option-letter references in a text shown to people (empty when there are none), by the
    patterns of the text's language (English for a language without its own)."""
    pattern = LETTER_REFERENCES.get(language, LETTER_REFERENCE)
    return [m.group(0) for m in pattern.finditer(str(text or ""))]

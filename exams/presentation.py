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


def displayed_key(item):
    """The letter under which the candidate saw the option they chose (None when unanswered)."""
    if item.chosen_option_id is None:
        return None
    return KEYS[item.option_order.index(item.chosen_option_id)]


def letter_references(text):
    """The option-letter references in a text shown to people (empty when there are none)."""
    return [m.group(0) for m in LETTER_REFERENCE.finditer(str(text or ""))]

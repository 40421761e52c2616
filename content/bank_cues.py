"""Answer cues: how far a test-wise reader gets by looking at the options alone.

Each strategy below picks an option without knowing FitSM, using only the shape of the
options (and, for one strategy, the words of the stem). For every bank we count the share
of items on which a strategy lands on the key. Ties are shared: when a strategy cannot
choose between k options, it earns 1/k if the key is among them, as a candidate picking at
random among them would. Chance is 1/(number of options): 25 % with four options.

`lint_bank` prints the table and fails a bank when any strategy beats the ceiling for its
purpose, or when one key letter holds more than KEY_LETTER_MAX of the bank's keys.
"""

import re
from collections import Counter
from dataclasses import dataclass

CEILING = {"exam": 0.35, "practice": 0.40}
KEY_LETTER_MAX = 0.35
# Knowledge checks have two to four options: their ceiling is chance plus this margin.
CHECK_MARGIN = 0.15

WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
ABSOLUTE = re.compile(
    r"\b(only|always|never|all|every|none|no one|nobody|nothing|must|entirely|completely|solely|"
    r"exclusively|immediately|at once|automatically|whatever|whenever|without exception|"
    r"in every case|under no circumstances|guaranteed?|totally)\b"
)
JUSTIFY = re.compile(
    r"\b(because|since|so that|so as to|in order to|as this|as it|to ensure|thereby|therefore|hence)\b"
)
HEDGE = re.compile(
    r"\b(may|might|can|could|usually|typically|generally|often|where|when|if|unless|appropriate|relevant)\b"
)
STOP = {
    "the", "a", "an", "of", "to", "and", "or", "in", "is", "are", "for", "by", "on", "with",
    "be", "it", "its", "as", "that", "this", "at", "from", "their", "they", "which",
}  # fmt: skip


def _words(text):
    return WORD.findall(str(text).lower())


def _content_words(text):
    return {w for w in _words(text) if w not in STOP}


def _count(pattern, text):
    return len(pattern.findall(str(text).lower()))


def _argmin(scores):
    low = min(scores.values())
    return {k for k, v in scores.items() if v == low}


def _argmax(scores):
    high = max(scores.values())
    return {k for k, v in scores.items() if v == high}


def _shared(options):
    words = {k: _content_words(v) for k, v in options.items()}
    return {k: sum(len(w & words[o]) for o in words if o != k) for k, w in words.items()}


def _closest_to_mean_length(options):
    lengths = {k: len(str(v)) for k, v in options.items()}
    mean = sum(lengths.values()) / len(lengths)
    return _argmin({k: abs(n - mean) for k, n in lengths.items()})


def _first_word_odd_one_out(options):
    first = {k: (_words(v) or [""])[0] for k, v in options.items()}
    counts = Counter(first.values())
    odd = {k for k, w in first.items() if counts[w] == 1}
    # Only a cue when the others agree with each other and one stands apart.
    return odd if len(odd) == 1 else set(options)


def _stem_overlap(stem, options):
    stem_words = _content_words(stem)
    return _argmax({k: len(_content_words(v) & stem_words) for k, v in options.items()})


STRATEGIES = {
    "shortest": lambda stem, o: _argmin({k: len(str(v)) for k, v in o.items()}),
    "longest": lambda stem, o: _argmax({k: len(str(v)) for k, v in o.items()}),
    "fewest absolutes": lambda stem, o: _argmin(
        {k: _count(ABSOLUTE, v) + _count(JUSTIFY, v) for k, v in o.items()}
    ),
    "most absolutes": lambda stem, o: _argmax(
        {k: _count(ABSOLUTE, v) + _count(JUSTIFY, v) for k, v in o.items()}
    ),
    "most hedged": lambda stem, o: _argmax({k: _count(HEDGE, v) for k, v in o.items()}),
    "fewest clauses": lambda stem, o: _argmin(
        {k: len(re.findall(r"[,;:()]| and | or ", str(v))) for k, v in o.items()}
    ),
    "most shared words": lambda stem, o: _argmax(_shared(o)),
    "fewest shared words": lambda stem, o: _argmin(_shared(o)),
    "middle length": lambda stem, o: _closest_to_mean_length(o),
    "odd first word": lambda stem, o: _first_word_odd_one_out(o),
    "echoes the stem": _stem_overlap,
}


@dataclass
class CueRow:
    """One bank (or group of knowledge checks): items counted and each strategy's hit rate."""

    name: str
    purpose: str
    items: int
    chance: float
    rates: dict
    key_letters: dict

    @property
    def ceiling(self):
        if self.purpose in CEILING:
            return CEILING[self.purpose]
        return self.chance + CHECK_MARGIN

    def findings(self):
        out = []
        for strategy, rate in self.rates.items():
            if rate > self.ceiling:
                out.append(
                    f"{self.name}: the '{strategy}' strategy finds the key in {rate:.0%} of items "
                    f"(ceiling {self.ceiling:.0%}, chance {self.chance:.0%})"
                )
        for letter, share in self.key_letters.items():
            if share > KEY_LETTER_MAX:
                out.append(
                    f"{self.name}: key letter {letter} holds {share:.0%} of keys (max {KEY_LETTER_MAX:.0%})"
                )
        return out


def strategy_hit(strategy, stem, options, key):
    """Expected score of one strategy on one item (ties shared)."""
    picks = STRATEGIES[strategy](stem, options)
    return (1 / len(picks)) if key in picks else 0.0


def cue_row(name, purpose, questions):
    """questions: (stem, {label: text}, key) triples. Labels are letters for banks."""
    n = len(questions)
    rates = {s: 0.0 for s in STRATEGIES}
    chance = 0.0
    letters = Counter()
    for stem, options, key in questions:
        chance += 1 / len(options)
        letters[key] += 1
        for s in STRATEGIES:
            rates[s] += strategy_hit(s, stem, options, key)
    if not n:
        return CueRow(name, purpose, 0, 0.0, rates, {})
    rates = {s: r / n for s, r in rates.items()}
    # A reader who always answers the bank's most frequent key letter scores its share.
    key_letters = {k: v / n for k, v in sorted(letters.items())} if purpose in CEILING else {}
    if key_letters:
        rates["most frequent key letter"] = max(key_letters.values())
    return CueRow(name, purpose, n, chance / n, rates, key_letters)


def bank_rows(items):
    """One CueRow per bank (certification + purpose) of ItemData with four options."""
    groups = {}
    for it in items:
        if isinstance(it.options, dict) and it.answer in it.options:
            groups.setdefault((it.certification, it.purpose), []).append((it.stem, it.options, it.answer))
    return [cue_row(f"{cert}-{purpose}", purpose, qs) for (cert, purpose), qs in sorted(groups.items())]


def check_rows(checks):
    """One CueRow per course of knowledge-check questions: checks is (course, prompt, options)."""
    groups = {}
    for course, prompt, options in checks:
        labelled = {str(i): str(o.get("text", "")) for i, o in enumerate(options)}
        keys = [str(i) for i, o in enumerate(options) if o.get("correct")]
        if len(keys) == 1 and len(labelled) >= 2:
            groups.setdefault(course, []).append((prompt, labelled, keys[0]))
    return [cue_row(f"{course} knowledge checks", "check", qs) for course, qs in sorted(groups.items())]


def cue_table(rows):
    """The rows as a plain-text table: strategies down, banks across."""
    if not rows:
        return "No items."
    strategies = list(rows[0].rates)
    names = [r.name.replace(" knowledge checks", " checks") for r in rows]
    width = max(len(s) for s in [*strategies, "items", "chance", "ceiling"]) + 2
    col = max(9, *(len(n) + 2 for n in names))
    lines = ["".ljust(width) + "".join(n.rjust(col) for n in names)]
    lines.append("items".ljust(width) + "".join(str(r.items).rjust(col) for r in rows))
    for s in strategies:
        cells = []
        for r in rows:
            rate = r.rates.get(s)
            mark = "!" if rate is not None and rate > r.ceiling else " "
            cells.append(("-" if rate is None else f"{rate:.0%}{mark}").rjust(col))
        lines.append(s.ljust(width) + "".join(cells))
    lines.append("chance".ljust(width) + "".join(f"{r.chance:.0%} ".rjust(col) for r in rows))
    lines.append("ceiling".ljust(width) + "".join(f"{r.ceiling:.0%} ".rjust(col) for r in rows))
    return "\n".join(lines)

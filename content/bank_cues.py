"""Answer cues: how far a test-wise reader gets by looking at the options alone.

Each strategy below picks an option without knowing FitSM, using only the shape of the
options (and, for one strategy, the words of the stem). For every bank we count the share
of items on which a strategy lands on the key. Ties are shared: when a strategy cannot
choose between k options, it earns 1/k if the key is among them, as a candidate picking at
random among them would. Chance is 1/(number of options): 25 % with four options.

`lint_bank` prints the table and fails a bank when any strategy beats the ceiling for its
purpose, or when one key letter holds more than KEY_LETTER_MAX of the bank's keys.

Translated banks (content/banks/<lang>/) are read the same way with the word lists of their
language (LANGUAGES: absolute, justifying and hedging words, stop words, clause joints), under
the same ceilings; their key letters are the English ones.
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
CLAUSE = re.compile(r"[,;:()]| and | or ")


@dataclass(frozen=True)
class CueWords:
    """What the strategies count in one language: words, absolute and justifying words, hedges,
    the words too common to share, and what joins clauses."""

    word: re.Pattern
    absolute: re.Pattern
    justify: re.Pattern
    hedge: re.Pattern
    stop: frozenset
    clause: re.Pattern


# German and French: letters with accents and umlauts are letters; an apostrophe (l'incident,
# qu'un) separates words, so the elided article is a stop word of its own.
_LETTERS = r"[^\W\d_]"
_WORD_ACCENTED = re.compile(rf"(?:{_LETTERS}|\d)+(?:-(?:{_LETTERS}|\d)+)*")

STOP_DE = {
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einer", "einen", "einem", "eines",
    "und", "oder", "in", "im", "ist", "sind", "für", "von", "vom", "mit", "zu", "zum", "zur",
    "auf", "an", "am", "bei", "als", "dass", "es", "sie", "er", "ihr", "ihre", "ihren", "ihrem",
    "ihres", "sein", "seine", "seinen", "seinem", "welche", "welcher", "welches", "wird", "werden",
    "durch", "aus", "nach", "über",
}  # fmt: skip
STOP_FR = {
    "le", "la", "les", "l", "un", "une", "des", "de", "du", "d", "et", "ou", "en", "dans", "est",
    "sont", "pour", "par", "sur", "avec", "à", "au", "aux", "ce", "cet", "cette", "ces", "qui",
    "que", "qu", "son", "sa", "ses", "leur", "leurs", "il", "elle", "ils", "elles", "se", "s", "n",
    "ne", "y",
}  # fmt: skip

LANGUAGES = {
    "en": CueWords(WORD, ABSOLUTE, JUSTIFY, HEDGE, frozenset(STOP), CLAUSE),
    "de": CueWords(
        word=_WORD_ACCENTED,
        absolute=re.compile(
            r"\b(immer|stets|nie|niemals|nur|lediglich|ausschließlich|einzig|allein|alle|allen|aller|"
            r"alles|jede|jeder|jedes|jedem|jeden|kein|keine|keiner|keinen|keinem|keinerlei|niemand|"
            r"nichts|muss|müssen|vollständig|völlig|komplett|gänzlich|sofort|unverzüglich|umgehend|"
            r"automatisch|ausnahmslos|ohne ausnahme|in jedem fall|unter keinen umständen|"
            r"garantiert|zwingend)\b"
        ),
        justify=re.compile(
            r"\b(weil|da|damit|sodass|so dass|um sicherzustellen|deshalb|daher|deswegen|folglich|"
            r"somit|dadurch|denn|wodurch)\b"
        ),
        hedge=re.compile(
            r"\b(kann|können|könnte|könnten|darf|dürfen|meist|meistens|in der regel|gewöhnlich|"
            r"üblicherweise|normalerweise|typischerweise|im allgemeinen|oft|häufig|wo|wenn|falls|"
            r"sofern|soweit|es sei denn|gegebenenfalls|ggf|angemessen\w*|relevant\w*|geeignet\w*)\b"
        ),
        stop=frozenset(STOP_DE),
        clause=re.compile(r"[,;:()]| und | oder "),
    ),
    "fr": CueWords(
        word=_WORD_ACCENTED,
        absolute=re.compile(
            r"\b(toujours|jamais|seulement|uniquement|exclusivement|tout|tous|toute|toutes|chaque|"
            r"aucun|aucune|rien|seul|seule|seuls|seules|doit|doivent|entièrement|complètement|"
            r"totalement|immédiatement|sur-le-champ|automatiquement|sans exception|en aucun cas|"
            r"en tout cas|garanti|garantie|garantis|garanties|obligatoirement)\b"
        ),
        justify=re.compile(
            r"\b(parce que|parce qu|car|puisque|puisqu|afin de|afin d|afin que|pour que|de sorte que|"
            r"ainsi|donc|par conséquent|pour garantir|pour assurer|pour s'assurer|pour s’assurer)\b"
        ),
        hedge=re.compile(
            r"\b(peut|peuvent|pourrait|pourraient|généralement|habituellement|en principe|en général|"
            r"souvent|typiquement|normalement|le cas échéant|si|s'il|s’il|lorsque|lorsqu|quand|où|"
            r"à moins que|à moins qu|approprié\w*|pertinent\w*)\b"
        ),
        stop=frozenset(STOP_FR),
        clause=re.compile(r"[,;:()]| et | ou "),
    ),
}


def cue_words(language):
    """The word lists of a language; English for a language without its own."""
    return LANGUAGES.get(language or "en", LANGUAGES["en"])


def _words(text, w=LANGUAGES["en"]):
    text = str(text).lower()
    if w.word is not WORD:
        text = text.replace("'", " ").replace("’", " ")
    return w.word.findall(text)


def _content_words(text, w=LANGUAGES["en"]):
    return {x for x in _words(text, w) if x not in w.stop}


def _count(pattern, text):
    return len(pattern.findall(str(text).lower()))


def _argmin(scores):
    low = min(scores.values())
    return {k for k, v in scores.items() if v == low}


def _argmax(scores):
    high = max(scores.values())
    return {k for k, v in scores.items() if v == high}


def _shared(options, w):
    words = {k: _content_words(v, w) for k, v in options.items()}
    return {k: sum(len(x & words[o]) for o in words if o != k) for k, x in words.items()}


def _closest_to_mean_length(options):
    lengths = {k: len(str(v)) for k, v in options.items()}
    mean = sum(lengths.values()) / len(lengths)
    return _argmin({k: abs(n - mean) for k, n in lengths.items()})


def _first_word_odd_one_out(options, w):
    first = {k: (_words(v, w) or [""])[0] for k, v in options.items()}
    counts = Counter(first.values())
    odd = {k for k, x in first.items() if counts[x] == 1}
    # Only a cue when the others agree with each other and one stands apart.
    return odd if len(odd) == 1 else set(options)


def _stem_overlap(stem, options, w):
    stem_words = _content_words(stem, w)
    return _argmax({k: len(_content_words(v, w) & stem_words) for k, v in options.items()})


def _marked(options, w):
    return {k: _count(w.absolute, v) + _count(w.justify, v) for k, v in options.items()}


# Each strategy: (stem, options, the language's CueWords) -> the options it picks.
STRATEGIES = {
    "shortest": lambda stem, o, w: _argmin({k: len(str(v)) for k, v in o.items()}),
    "longest": lambda stem, o, w: _argmax({k: len(str(v)) for k, v in o.items()}),
    "fewest absolutes": lambda stem, o, w: _argmin(_marked(o, w)),
    "most absolutes": lambda stem, o, w: _argmax(_marked(o, w)),
    "most hedged": lambda stem, o, w: _argmax({k: _count(w.hedge, v) for k, v in o.items()}),
    "fewest clauses": lambda stem, o, w: _argmin({k: len(w.clause.findall(str(v))) for k, v in o.items()}),
    "most shared words": lambda stem, o, w: _argmax(_shared(o, w)),
    "fewest shared words": lambda stem, o, w: _argmin(_shared(o, w)),
    "middle length": lambda stem, o, w: _closest_to_mean_length(o),
    "odd first word": lambda stem, o, w: _first_word_odd_one_out(o, w),
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
    language: str = "en"

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


def strategy_hit(strategy, stem, options, key, language="en"):
    """Expected score of one strategy on one item (ties shared), with the language's word lists."""
    picks = STRATEGIES[strategy](stem, options, cue_words(language))
    return (1 / len(picks)) if key in picks else 0.0


def cue_row(name, purpose, questions, language="en"):
    """questions: (stem, {label: text}, key) triples. Labels are letters for banks."""
    n = len(questions)
    rates = {s: 0.0 for s in STRATEGIES}
    chance = 0.0
    letters = Counter()
    for stem, options, key in questions:
        chance += 1 / len(options)
        letters[key] += 1
        for s in STRATEGIES:
            rates[s] += strategy_hit(s, stem, options, key, language)
    if not n:
        return CueRow(name, purpose, 0, 0.0, rates, {}, language)
    rates = {s: r / n for s, r in rates.items()}
    # A reader who always answers the bank's most frequent key letter scores its share.
    key_letters = {k: v / n for k, v in sorted(letters.items())} if purpose in CEILING else {}
    if key_letters:
        rates["most frequent key letter"] = max(key_letters.values())
    return CueRow(name, purpose, n, chance / n, rates, key_letters, language)


def bank_name(certification, purpose, language="en"):
    """A bank's name in findings and tables: "SOC-exam", and "SOC-exam de" for its German version."""
    name = f"{certification}-{purpose}"
    return name if (language or "en") == "en" else f"{name} {language}"


def bank_rows(items):
    """One CueRow per bank (certification + purpose) and language of ItemData with four options."""
    groups = {}
    for it in items:
        if isinstance(it.options, dict) and it.answer in it.options:
            lang = getattr(it, "language", "en") or "en"
            groups.setdefault((it.certification, it.purpose, lang), []).append(
                (it.stem, it.options, it.answer)
            )
    return [
        cue_row(bank_name(cert, purpose, lang), purpose, qs, lang)
        for (cert, purpose, lang), qs in sorted(groups.items(), key=lambda g: (g[0][2] != "en", g[0]))
    ]


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

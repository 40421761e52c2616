"""Every template text people read is marked for translation; the templates not done yet are
listed in tests/i18n_pending.txt, and that list only shrinks (a listed template that has become
clean must leave the list)."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("untranslated", ROOT / "scripts" / "untranslated.py")
untranslated = importlib.util.module_from_spec(spec)
spec.loader.exec_module(untranslated)
PENDING = ROOT / "tests" / "i18n_pending.txt"


def _pending():
    lines = PENDING.read_text(encoding="utf-8").splitlines() if PENDING.exists() else []
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def test_every_template_not_listed_as_pending_is_marked():
    pending = _pending()
    problems = []
    for path in untranslated.templates():
        name = untranslated.name_of(path)
        if name in pending:
            continue
        for line, text in untranslated.unmarked(path.read_text(encoding="utf-8")):
            problems.append(f"{name}:{line}: {text}")
    assert problems == [], "text not marked for translation:\n" + "\n".join(problems[:40])


def test_the_pending_list_names_only_templates_that_still_need_marking():
    done = [
        name
        for name in sorted(_pending())
        if not (ROOT / name).exists() or not untranslated.unmarked((ROOT / name).read_text(encoding="utf-8"))
    ]
    assert done == [], f"remove from {PENDING.name}: {done}"


def test_the_scanner_finds_unmarked_text_and_attributes_and_ignores_marked_ones():
    source = (
        '{% load i18n %}<h1>{% translate "Hello" %}</h1><p>Plain words</p>'
        '<img alt="A diagram" src="x.svg"><p>{% blocktranslate %}Hi {{ name }}{% endblocktranslate %}</p>'
        "<p>{{ value }} · FitSM</p>{% comment %}Notes{% endcomment %}<script>var a = 'x';</script>"
    )
    assert sorted(text for _, text in untranslated.unmarked(source)) == ["Plain words", 'alt="A diagram"']

"""The translation catalogues compile without gettext tools, and the check names every entry that
is not translated or is fuzzy."""

import gettext
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("catalogues", ROOT / "scripts" / "catalogues.py")
catalogues = importlib.util.module_from_spec(spec)
spec.loader.exec_module(catalogues)

PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Change language"
msgstr "Sprache wechseln"

msgid "Time left"
msgstr ""

#, fuzzy
msgid "Saved"
msgstr "Gesichert"
"""


def _locale(tmp_path, text=PO):
    folder = tmp_path / "locale" / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "django.po").write_text(text, encoding="utf-8")
    return tmp_path / "locale"


def test_the_check_names_untranslated_and_fuzzy_entries(tmp_path):
    found = catalogues.problems(_locale(tmp_path))
    assert len(found) == 2
    assert any("'Time left' is not translated" in line for line in found)
    assert any("'Saved' is fuzzy" in line for line in found)


def test_a_complete_catalogue_passes_the_check(tmp_path):
    complete = PO.replace('msgstr ""\n\n#, fuzzy\n', 'msgstr "Verbleibende Zeit"\n\n').replace(
        "Gesichert", "Gespeichert"
    )
    assert catalogues.problems(_locale(tmp_path, complete)) == []


def test_compiled_catalogues_are_read_by_gettext_without_fuzzy_entries(tmp_path):
    root = _locale(tmp_path)
    written = catalogues.compile_all(root)
    assert [p.name for p in written] == ["django.mo"]
    with written[0].open("rb") as f:
        translations = gettext.GNUTranslations(f)
    assert translations.gettext("Change language") == "Sprache wechseln"
    assert translations.gettext("Saved") == "Saved"  # fuzzy: left out
    assert catalogues.compile_all(root) == []  # up to date: not rewritten


def test_the_repositorys_catalogues_have_no_problem():
    assert catalogues.problems() == []

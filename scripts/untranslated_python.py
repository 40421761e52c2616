"""Python strings people read that are not marked for translation.

`python scripts/untranslated_python.py [file.py ...]` lists each plain string literal (or
f-string) with words in it that the apps hand to people without `gettext`/`gettext_lazy`:
- labels and help texts: `label=`, `help_text=`, `verbose_name=`, `verbose_name_plural=`,
  `empty_label=`, `heading=` (Wagtail panels), and a model field's verbose name given first;
- messages: the text of `messages.success/info/warning/error/debug(request, …)`;
- errors shown at a form: `ValidationError(…)`, `form.add_error(field, …)`;
- the labels of `TextChoices` / `IntegerChoices` members (`DRAFT = "draft", "Draft"`).
Not counted: migrations, management commands (they talk to operators), tests, and strings
without a word.

tests/test_translation_marking_python.py runs it over the apps and fails on any finding."""

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("accounts", "exams", "certificates", "courses", "trainers", "assessments", "config", "content")
LABELS = {"label", "help_text", "verbose_name", "verbose_name_plural", "empty_label", "heading"}
MARKERS = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "ngettext", "ngettext_lazy"}
MESSAGES = {"success", "info", "warning", "error", "debug"}
RELATIONS = {"ForeignKey", "OneToOneField", "ManyToManyField", "ParentalKey", "ParentalManyToManyField"}
_WORD = re.compile(r"[A-Za-z]{2,}")


def _name(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _has_words(node):
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.Constant) and _has_words(v) for v in node.values)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(_WORD.search(node.value))
    return False


def _shown(call):
    """The arguments of `call` that people read."""
    fn = _name(call.func)
    if fn in MARKERS:
        return []
    shown = [k.value for k in call.keywords if k.arg in LABELS]
    if fn in MESSAGES and _name(getattr(call.func, "value", None)) == "messages" and len(call.args) >= 2:
        shown.append(call.args[1])
    if fn == "ValidationError" and call.args:
        shown.append(call.args[0])
    if fn == "add_error" and len(call.args) >= 2:
        shown.append(call.args[1])
    model_field = fn.endswith("Field") and fn not in RELATIONS and isinstance(call.func, ast.Attribute)
    if model_field and call.args and _name(call.func.value) == "models":
        shown.append(call.args[0])  # a model field's verbose name
    return shown


def unmarked(source):
    """[(line, text)] of `source` (a Python module's text)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            candidates = _shown(node)
        elif isinstance(node, ast.ClassDef) and any(
            _name(b) in ("TextChoices", "IntegerChoices") for b in node.bases
        ):
            candidates = [
                st.value.elts[-1]
                for st in node.body
                if isinstance(st, ast.Assign) and isinstance(st.value, ast.Tuple) and len(st.value.elts) >= 2
            ]
        else:
            continue
        for arg in candidates:
            if _has_words(arg):
                text = arg.value if isinstance(arg, ast.Constant) else "f-string"
                found.append((arg.lineno, " ".join(text.split())[:80]))
    return sorted(found)


def python_files():
    files = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            parts = set(path.relative_to(ROOT).parts)
            if not parts & {"migrations", "management", "tests"}:
                files.append(path)
    return sorted(files)


def name_of(path):
    return str(path.relative_to(ROOT))


def main(argv):
    paths = [Path(a).resolve() for a in argv[1:]] or python_files()
    total = 0
    for path in paths:
        for line, text in unmarked(path.read_text(encoding="utf-8")):
            total += 1
            print(f"{name_of(path)}:{line}: {text}")
    print(f"{total} unmarked strings in {len(paths)} modules", file=sys.stderr)
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

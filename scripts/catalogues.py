"""The interface's translation catalogues, locale/<language>/LC_MESSAGES/<domain>.po.

`compile`: each catalogue to its .mo with Babel (pure Python: no gettext tools needed on a fresh
machine), when the .po is newer. `check`: every entry of every catalogue translated and none
fuzzy; exits non-zero and names each problem otherwise (CI runs it)."""

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent / "locale"


def catalogues(root=ROOT):
    return sorted(root.glob("*/LC_MESSAGES/*.po"))


def _read(path):
    with path.open("rb") as f:
        return read_po(f, locale=path.parts[-3])


def compile_all(root=ROOT):
    written = []
    for po in catalogues(root):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        catalog = _read(po)
        with mo.open("wb") as f:
            write_mo(f, catalog, use_fuzzy=False)
        written.append(mo)
    return written


def problems(root=ROOT):
    found = []
    for po in catalogues(root):
        for message in _read(po):
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            where = f"{po.relative_to(root.parent)}: {message.id if isinstance(message.id, str) else message.id[0]!r}"
            if message.fuzzy:
                found.append(f"{where} is fuzzy")
            elif not all(strings):
                found.append(f"{where} is not translated")
    return found


def main(argv):
    command = argv[1] if len(argv) > 1 else "compile"
    if command == "compile":
        for mo in compile_all():
            print(f"compiled {mo.relative_to(ROOT.parent)}")
        return 0
    if command == "check":
        found = problems()
        for line in found:
            print(line, file=sys.stderr)
        print(f"{len(catalogues())} catalogues, {len(found)} problems")
        return 1 if found else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env bash
# The committed catalogues hold every string of the code: extract the strings again (gettext's
# xgettext through makemessages, in this checkout) and check that nothing is new, fuzzy or
# untranslated in any language. Run by CI on its own clone (it rewrites locale/*.po in place).
set -euo pipefail
cd "$(dirname "$0")/.."
IGNORE=(-i ".venv/*" -i "bench/*" -i "tests/*" -i "node_modules/*" -i "scripts/*")
export DJANGO_SETTINGS_MODULE=config.settings.dev
.venv/bin/python manage.py makemessages -l de -l fr --no-obsolete "${IGNORE[@]}" >/dev/null
.venv/bin/python manage.py makemessages -d djangojs -l de -l fr --no-obsolete "${IGNORE[@]}" >/dev/null
if ! .venv/bin/python scripts/catalogues.py check; then
  echo "The catalogues are behind the code: run the makemessages commands of $0 and translate what check lists." >&2
  exit 1
fi

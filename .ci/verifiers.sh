#!/usr/bin/env bash
# Our Open Badges 3.0 credentials checked by verifiers we did not write, against a real server:
# openbadgeslib (Python; VC-JWT and Data Integrity) and the Digital Credentials Consortium's
# verifier-core with the eddsa-rdfc-2022 cryptosuite (Node; Data Integrity). One fresh certificate
# goes valid -> revoked -> (reinstated) suspended -> valid again after unsuspension, and each tool
# must see each state. Starts its own server on a free port with a throw-away SQLite database and
# signing keys under a temporary directory, and stops it. Any failure exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
PY="$ROOT/.venv/bin/python"
export PIP_DISABLE_PIP_VERSION_CHECK=1

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    echo "== verifiers: installing Node.js and npm (Debian packages)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  else
    echo "ERROR: .ci/verifiers.sh needs node and npm" >&2
    exit 1
  fi
fi

echo "== verifiers: install openbadgeslib (pip) and verifier-core (npm ci, pinned by package-lock.json)"
"$PY" -m pip install --quiet "openbadgeslib[ldp]==4.6.3" "pyld==3.3.0"
(cd ci/verifiers && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

PORT="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
BASE="http://127.0.0.1:$PORT"
export DJANGO_SETTINGS_MODULE=config.settings.dev
export DATABASE_URL="sqlite:///$WORK/verifiers.sqlite3"
export CERTIFICATE_KEYS_DIR="$WORK/keys" CERTIFICATE_SIGNING_KEYS=""
export MEDIA_ROOT="$WORK/media" CERTIFICATE_PDF_ROOT="$WORK/private"
export SITE_URL="$BASE" ALLOWED_HOSTS="127.0.0.1,localhost"
unset CELERY_BROKER_URL CELERY_RESULT_BACKEND
export EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend

echo "== verifiers: throw-away database and keys in $WORK, server at $BASE"
"$PY" manage.py migrate --noinput -v 0
"$PY" manage.py certificate_keys create --if-missing
"$PY" manage.py runserver "127.0.0.1:$PORT" --noreload --skip-checks >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 60); do
  if "$PY" -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=2)" "$BASE/ob/v3/issuer" 2>/dev/null; then
    break
  fi
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log"; echo "ERROR: the test server did not start" >&2; exit 1; }
  sleep 1
done

CREATED="$("$PY" ci/verifiers/certificate.py create | grep '^CERTIFICATE ')"
read -r _ UUID EMAIL DID <<<"$CREATED"
echo "== verifiers: certificate $UUID (holder DID $DID)"

check() { # expected state
  echo "-- $1"
  "$PY" ci/verifiers/check_openbadgeslib.py "$BASE" "$UUID" "$EMAIL" "$DID" "$1"
  (cd ci/verifiers && node verify.mjs "$BASE" "$UUID" "$1")
}

check valid
"$PY" ci/verifiers/certificate.py revoke "$UUID" >/dev/null
check revoked
"$PY" ci/verifiers/certificate.py reinstate "$UUID" >/dev/null
"$PY" ci/verifiers/certificate.py suspend "$UUID" >/dev/null
check suspended
"$PY" ci/verifiers/certificate.py unsuspend "$UUID" >/dev/null
check valid
echo "== verifiers: every state seen as expected by both tools"

#!/usr/bin/env bash
# Benchmark smoke (called from .ci/run): three exam days of 20 candidates with a 1-minute exam,
# each with a fault drill: PostgreSQL restarted mid-exam, Redis stopped for 30 s mid-exam, the
# Celery worker stopped before the deadlines and started again after them. Against gunicorn with
# the production settings, a PostgreSQL cluster and a Redis of the run's own (so the drills touch
# nothing else on the machine), one Celery worker and beat.
# Fails (non-zero) on any integrity error: an acknowledged answer not stored, a score that does not
# match the answer rows, an attempt not graded exactly once, a pass without exactly one certificate
# and its PDF, a fail with one. Takes up to about 18 minutes (a drill that keeps a task from being queued waits for the 5-minute certificate sweep); cleans up its database, its Redis
# databases and its processes whatever happens (bench.run's finally blocks, and the trap below).
set -euo pipefail
cd "$(dirname "$0")/.."
DB="fitsm_bench_ci_$$"
OUT="$(mktemp -d -t fitsm-bench-smoke-XXXXXX)"
cleanup() {
  psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS \"${DB}\" WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "${OUT}"
}
trap cleanup EXIT
timeout 1500 .venv/bin/python -m bench.run faults --database "${DB}" --candidates 20 \
  --drills restart-postgres,stop-redis,stop-celery \
  --think 1 --minutes 1 --login-window 5 --spike 5 --grace 10 --celery-back-after 20 \
  --max-wall 1440 --out-dir "${OUT}"

#!/usr/bin/env bash
# Mutation testing of the business rules (services and selectors), run before a release:
#   bash scripts/mutation.sh                                  # every services/selectors module (hours)
#   bash scripts/mutation.sh exams/services/vouchers.py -- tests/exams/test_vouchers.py
# mutmut changes the code one rule at a time (a comparison, a constant, a condition) and runs
# the tests; a mutant that no test kills is a rule nobody defends. It works on a copy of the
# project under mutants/ (removed at the end) and prints the score and the surviving mutants.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/pip install --quiet "mutmut==3.8.1"
targets=() tests=()
while [ $# -gt 0 ]; do
  if [ "$1" = "--" ]; then shift; tests=("$@"); break; fi
  targets+=("$1"); shift
done
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(ls exams/services/*.py certificates/services.py trainers/services/*.py courses/services.py \
    accounts/services.py exams/selectors.py certificates/selectors.py courses/selectors.py | grep -v __init__)
fi
[ ${#tests[@]} -eq 0 ] && tests=(tests/)
lines() { printf '    %s\n' "$@"; }
cleanup() { rm -rf setup.cfg mutants; }
trap cleanup EXIT
{
  echo "[mutmut]"
  echo "source_paths="; lines accounts exams certificates courses trainers content config
  echo "only_mutate="; lines "${targets[@]}"
  echo "also_copy="; lines templates static tests manage.py pyproject.toml
  echo "pytest_add_cli_args="; lines -p no:cacheprovider -m "not browser and not broker and not postgres"
  echo "pytest_add_cli_args_test_selection="; lines "${tests[@]}"
} > setup.cfg
DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/mutmut run || true
.venv/bin/mutmut results || true

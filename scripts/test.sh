#!/usr/bin/env bash
# All of Nachtlicht's tests, in phases, with the time of each. Runs every phase even if
# one fails, then exits non-zero if any failed. Called by `make test` (after setup + train);
# `--fast` (make test-fast) runs only the phases that need no model and no servers.
set -uo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH=$(pwd) TF_CPP_MIN_LOG_LEVEL=3
PY=.venv/bin/python
# The blind bars not met yet (one list, also used by make evaluate).
source scripts/not_yet_met.sh
failed=()
summary=()

phase() {
  local name=$1; shift
  printf '\n\033[1m==> test phase: %s\033[0m\n' "$name"
  local t=$(date +%s)
  if "$@"; then status=ok; else status=FAILED; failed+=("$name"); fi
  summary+=("$(printf '%-28s %-7s %4ss' "$name" "$status" "$(( $(date +%s) - t ))")")
}

# Fast phases first: code style, trainer files, and (with --fast, the whole lane) the tests that
# need no trained model and no servers.
phase "ruff (lint + format)" bash -c "$PY -m ruff check . && $PY -m ruff format --check ."
phase "trainer files (make check)" $PY scripts/check.py --files-only
if [ "${1:-}" = "--fast" ]; then
  phase "pytest (fast lane)" $PY -m pytest -q -n 2 -m "not e2e and not browser and not prod"
  printf '\n\033[1mTest summary\033[0m\n'
  printf '  %s\n' "${summary[@]}"
  [ ${#failed[@]} -gt 0 ] && { printf '\nFAILED phases: %s\n' "${failed[*]}"; exit 1; }
  echo "Fast lane passed (the full suite: make test)."
  exit 0
fi
phase "rasa data validate" $PY -m rasa data validate --fail-on-warnings --domain domain.yml --data data --config config.yml
phase "pytest" $PY -m pytest
phase "rasa test stories" $PY -m rasa test core --model models/nachtlicht.tar.gz --stories tests/stories \
  --fail-on-prediction-errors --out results/stories
# Safety: 113 on every suicidal message of the independent suite, false alarms <= 2 % (docs/safety.md).
phase "safety suite" $PY scripts/evaluate_safety.py
# Every quality bar of docs/nlu.md fails the build when it is not met.
phase "nlu evaluation" $PY scripts/evaluate_nlu.py
# The blind set (issue 13): aggregates only. The bars are checked; the ones listed after
# --not-yet-met are not met yet and are reported as NOT MET (docs/nlu.md), never lowered.
phase "nlu blind set" $PY scripts/evaluate_blind.py --not-yet-met "$BLIND_NOT_YET_MET"
phase "first-reply outcomes" $PY scripts/evaluate_outcomes.py --set blind --not-yet-met "$OUTCOMES_NOT_YET_MET"

printf '\n\033[1mTest summary\033[0m\n'
printf '  %s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  printf '\nFAILED phases: %s\n' "${failed[*]}"
  exit 1
fi
echo "All test phases passed."

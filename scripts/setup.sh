#!/usr/bin/env bash
# Set up Nachtlicht on this machine: a Python 3.10 virtualenv in .venv with pinned
# dependencies, then the Dutch spaCy pipeline. Safe to run again: each step is skipped
# when its inputs did not change.   Usage: scripts/setup.sh [--test]
#   --test   also installs what the test suite needs (Debian's Chromium for browser tests)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV="$ROOT/.venv"
WITH_TEST=0
[ "${1:-}" = "--test" ] && WITH_TEST=1

# Each step prints its duration when the next one starts (CI reads these phase times).
step_t=0
step() {
  [ "$step_t" -gt 0 ] && printf '    (took %ss)\n' "$(( $(date +%s) - step_t ))"
  step_t=$(date +%s)
  printf '\n\033[1m==> %s\033[0m\n' "$*"
}
die() { printf '\n\033[31mERROR:\033[0m %s\n' "$*" >&2; exit 1; }
t0=$(date +%s)

is_py310() { "$@" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' >/dev/null 2>&1; }

find_python() {
  # 1. $PYTHON  2. python3.10 on PATH (pyenv shims answer thanks to .python-version)
  # 3. pyenv's 3.10.x explicitly  4. any pyenv 3.10 install on disk
  if [ -n "${PYTHON:-}" ]; then
    is_py310 "$PYTHON" && { echo "$PYTHON"; return; }
    die "PYTHON=$PYTHON is not a working Python 3.10 (Rasa 3.6 needs 3.10)."
  fi
  if command -v python3.10 >/dev/null 2>&1 && is_py310 python3.10; then command -v python3.10; return; fi
  if command -v pyenv >/dev/null 2>&1; then
    for v in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.10\.[0-9]+$' | sort -V -r); do
      p="$(pyenv root)/versions/$v/bin/python3.10"
      is_py310 "$p" && { echo "$p"; return; }
    done
  fi
  for p in "$HOME"/.pyenv/versions/3.10.*/bin/python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10; do
    [ -x "$p" ] && is_py310 "$p" && { echo "$p"; return; }
  done
  die "No Python 3.10 found. Install it (e.g. 'pyenv install 3.10.13') or set PYTHON=/path/to/python3.10."
}

step "Python 3.10"
if [ -x "$VENV/bin/python" ] && is_py310 "$VENV/bin/python"; then
  echo "Using existing $VENV ($("$VENV/bin/python" --version))"
else
  PY=$(find_python)
  echo "Creating $VENV with $PY ($("$PY" --version))"
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
fi
PIP="$VENV/bin/python -m pip"

step "Python packages (pinned: requirements.txt + constraints.txt)"
stamp="$VENV/.requirements.sha256"
want=$(cat requirements.txt constraints.txt | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "Up to date; skipping pip."
else
  t=$(date +%s)
  $PIP install --disable-pip-version-check -q 'pip==24.0' 'setuptools==69.5.1' 'wheel==0.43.0' \
    || die "Could not upgrade pip in $VENV. Check your network access to PyPI, then run 'make setup' again."
  echo "Installing about 180 packages (TensorFlow is the big one; 2-5 minutes with a warm pip cache) ..."
  $PIP install --disable-pip-version-check --progress-bar off -r requirements.txt -c constraints.txt \
    2>&1 | grep -E --line-buffered '^(Collecting|Installing|Successfully|ERROR|error)' | sed -u 's/^/    /' \
    || true
  "$VENV/bin/python" -c 'import rasa, spacy, sqlalchemy, aiohttp' 2>/dev/null \
    || die "pip install failed (see the lines above). Fix the cause, then run 'make setup' again."
  echo "$want" > "$stamp"
  echo "Packages installed in $(( $(date +%s) - t ))s."
fi

step "Dutch spaCy pipeline nl_core_news_sm"
TF_CPP_MIN_LOG_LEVEL=3 "$VENV/bin/python" spacy_nl/build.py

if [ "$WITH_TEST" = 1 ]; then
  step "Test tools (pinned: requirements-dev.txt + constraints.txt)"
  dev_stamp="$VENV/.requirements-dev.sha256"
  dev_want=$(cat requirements-dev.txt constraints.txt | sha256sum | cut -d' ' -f1)
  if [ -f "$dev_stamp" ] && [ "$(cat "$dev_stamp")" = "$dev_want" ]; then
    echo "Up to date; skipping pip."
  else
    $PIP install --disable-pip-version-check --progress-bar off -r requirements-dev.txt -c constraints.txt \
      2>&1 | grep -E --line-buffered '^(Collecting|Installing|Successfully|ERROR|error)' | sed -u 's/^/    /' \
      || true
    "$VENV/bin/python" -c 'import pytest, playwright' 2>/dev/null && [ -x "$VENV/bin/ruff" ] \
      || die "pip install of the test tools failed (see above). Fix the cause, then run 'make setup-test' again."
    echo "$dev_want" > "$dev_stamp"
  fi

  step "Test tools: Chromium for browser tests"
  if command -v chromium >/dev/null 2>&1; then
    echo "Chromium present: $(chromium --version 2>/dev/null | head -1)"
  elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium (about a minute) ..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null) \
      || die "Could not install chromium with apt-get. Install it by hand ('apt-get install chromium') and retry."
  else
    die "Chromium is missing and I cannot apt-get install it (not root). Install the 'chromium' package, then retry."
  fi
fi

mkdir -p var
[ "$step_t" -gt 0 ] && printf '    (took %ss)\n' "$(( $(date +%s) - step_t ))"
echo
echo "Setup done in $(( $(date +%s) - t0 ))s."

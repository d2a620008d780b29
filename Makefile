# Nachtlicht — run `make help` for the list. The README's two commands are `make run` and `make test`.
SHELL := /bin/bash
PY := .venv/bin/python
RASA := PYTHONPATH=$(CURDIR) TF_CPP_MIN_LOG_LEVEL=3 $(PY) -m rasa
export PYTHONPATH := $(CURDIR)

.PHONY: help setup setup-test train run run-prod test test-fast lint check validate evaluate shell test-stories test-nlu pytest clean

help:
	@echo "make run       set up, train if needed, start everything (web 8080, Rasa 5005, actions 5055)"
	@echo "make run-prod  like run, production profile: 2 Rasa replicas, PostgreSQL, Redis (README)"
	@echo "make test      set up (incl. test tools), train if needed, run all tests"
	@echo "make setup     create .venv, install pinned packages, obtain the Dutch spaCy pipeline"
	@echo "make train     train the Rasa model (only when data, config or domain changed)"
	@echo "make test-fast lint, file checks and the tests that need no model or servers (under 2 minutes)"
	@echo "make lint      ruff check + ruff format --check (settings in pyproject.toml)"
	@echo "make check     fast check of every file trainers edit (no training); ends with OK or FOUT"
	@echo "make validate  the file checks of make check, then rasa data validate (stories, rules, domain)"
	@echo "make evaluate  NLU reports in reports/: development set, blind set and first-reply outcomes (aggregates only for the blind set)"
	@echo "make shell     talk to the bot in the terminal"
	@echo 'make try "zin" what the current model understands in one sentence and what the bot answers (also: make try ZIN="...")'

setup:
	@bash scripts/setup.sh

setup-test:
	@bash scripts/setup.sh --test

train: setup
	@$(PY) scripts/train.py

run: train
	@$(PY) -m bot run

run-prod: train
	@$(PY) -m bot run --profile prod

lint: setup-test
	@$(PY) -m ruff check . && $(PY) -m ruff format --check .

test-fast: setup-test
	@bash scripts/test.sh --fast

check: setup
	@$(PY) scripts/check.py

validate: setup
	@$(PY) scripts/check.py --files-only
	@$(RASA) data validate --fail-on-warnings --domain domain.yml --data data --config config.yml

test-stories: train
	@$(RASA) test core --model models/nachtlicht.tar.gz --stories tests/stories \
	  --fail-on-prediction-errors --out results/stories

# Each script keeps the report it replaces in reports/previous/ and prints what changed; the last
# step repeats the headline changes of all three (blind set: aggregates only).
evaluate: train
	@source scripts/not_yet_met.sh; rc=0; $(PY) scripts/evaluate_nlu.py || rc=1; \
	$(PY) scripts/evaluate_blind.py --not-yet-met "$$BLIND_NOT_YET_MET" || rc=1; \
	$(PY) scripts/evaluate_outcomes.py --set blind --not-yet-met "$$OUTCOMES_NOT_YET_MET" || rc=1; \
	$(PY) scripts/report_diff.py; exit $$rc

# make try "zin" / make try ZIN="zin": one sentence through the current model (scripts/try.py; no
# training, no servers to start). The words after "try" are the sentence, not targets: with try
# first, any other goal does nothing; a goal that is a target name is refused (use ZIN=).
.PHONY: try
ifeq (try,$(firstword $(MAKECMDGOALS)))
TRY_WORDS := $(wordlist 2,$(words $(MAKECMDGOALS)),$(MAKECMDGOALS))
TRY_TARGETS := $(filter-out try help,$(shell sed -n 's/^\.PHONY://p' $(firstword $(MAKEFILE_LIST))))
ifneq ($(filter $(TRY_TARGETS),$(TRY_WORDS)),)
$(error "$(filter $(TRY_TARGETS),$(TRY_WORDS))" is ook een make-doel; geef de zin zo: make try ZIN="$(TRY_WORDS)")
endif
export TRY_ZIN := $(if $(value ZIN),$(value ZIN),$(TRY_WORDS))
%:
	@:
endif
try:
	@test -x $(PY) || { echo "Nog niet geïnstalleerd: draai eerst make setup"; exit 1; }
	@$(PY) scripts/try.py "$$TRY_ZIN"

pytest: setup-test
	@$(PY) -m pytest

test: setup-test train
	@bash scripts/test.sh

# endpoints.yml reads ACTION_ENDPOINT_URL, ACTION_ENDPOINT_TOKEN and TRACKER_STORE_URL: set from
# the settings (bot/settings.py --export; a bad setting stops here with its name). The action
# server listens on 127.0.0.1 only, whatever ACTION_HOST says.
shell: train
	@echo "Starting the action server in the background; type /stop to quit."
	@mkdir -p -m 700 var; \
	  export SECRET_KEY=$$($(PY) -c "import secrets; print(secrets.token_urlsafe(32))") ACTION_HOST=127.0.0.1; \
	  exports=$$($(PY) -m bot.settings --export) || exit 1; eval "$$exports"; \
	  $(PY) -m bot.rasa.action_server >var/actions-shell.log 2>&1 & pid=$$!; \
	  trap "kill $$pid" EXIT; $(RASA) shell --model models/nachtlicht.tar.gz --endpoints endpoints.yml

clean:
	rm -rf models results reports var

# Nachtlicht — run `make help` for the list. The README's two commands are `make run` and `make test`.
SHELL := /bin/bash
PY := .venv/bin/python
RASA := PYTHONPATH=$(CURDIR) TF_CPP_MIN_LOG_LEVEL=3 $(PY) -m rasa
export PYTHONPATH := $(CURDIR)

.PHONY: help setup setup-test train run run-prod test validate evaluate shell test-stories test-nlu pytest clean

help:
	@echo "make run       set up, train if needed, start everything (web 8080, Rasa 5005, actions 5055)"
	@echo "make run-prod  like run, production profile: 2 Rasa replicas, PostgreSQL, Redis (README)"
	@echo "make test      set up (incl. test tools), train if needed, run all tests"
	@echo "make setup     create .venv, install pinned packages, obtain the Dutch spaCy pipeline"
	@echo "make train     train the Rasa model (only when data, config or domain changed)"
	@echo "make validate  check training data and domain (rasa data validate)"
	@echo "make evaluate  NLU reports in reports/: development set, blind set and first-reply outcomes (aggregates only for the blind set)"
	@echo "make shell     talk to the bot in the terminal"

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

validate: setup
	@$(RASA) data validate --fail-on-warnings --domain domain.yml --data data --config config.yml

test-stories: train
	@$(RASA) test core --model models/nachtlicht.tar.gz --stories tests/stories \
	  --fail-on-prediction-errors --out results/stories

evaluate: train
	@rc=0; $(PY) scripts/evaluate_nlu.py || rc=1; \
	$(PY) scripts/evaluate_blind.py || rc=1; \
	$(PY) scripts/evaluate_outcomes.py --set blind || rc=1; exit $$rc

pytest: setup-test
	@$(PY) -m pytest

test: setup-test train
	@bash scripts/test.sh

shell: train
	@echo "Starting the action server in the background; type /stop to quit."
	@export SECRET_KEY=$$($(PY) -c "import secrets; print(secrets.token_urlsafe(32))"); \
	  export ACTION_ENDPOINT_TOKEN=$$($(PY) -m bot.action_server --token); \
	  SANIC_HOST=127.0.0.1 $(PY) -m bot.action_server --port 5055 >var/actions-shell.log 2>&1 & pid=$$!; \
	  trap "kill $$pid" EXIT; $(RASA) shell --model models/nachtlicht.tar.gz --endpoints endpoints.yml

clean:
	rm -rf models results reports var

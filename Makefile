# The two commands: `make run` (the product on embedded defaults) and `make test` (the suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# `make run` serves on 127.0.0.1:$(PORT); SITE_URL follows unless it is set.
PORT ?= 8000

.PHONY: run test lint format install clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

# The demo: embedded database and broker (under var/, or FACTCHECK_VAR_DIR), seed article,
# demo logins, then the web server and the worker (with beat) under honcho. Ctrl-C stops both.
run: export DEBUG := $(or $(DEBUG),true)
run: export SITE_URL := $(or $(SITE_URL),http://127.0.0.1:$(PORT))
run: export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_seeds
	$(PY) manage.py seed_demo
	@echo
	@echo "factcheck: $(SITE_URL)/  (web + worker starting; Ctrl-C stops both)"
	@echo
	exec honcho -f Procfile --env /dev/null start -p $(PORT)

test: $(STAMP)
	CELERY_TASK_DEFAULT_QUEUE=$${CELERY_TASK_DEFAULT_QUEUE:-factcheck-test} $(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf var staticfiles .pytest_cache .ruff_cache

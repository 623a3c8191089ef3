# Two commands for a newcomer: `make run` and `make test`. Everything they need is installed here.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
AXE_VERSION := 4.14.1
AXE := var/node/node_modules/axe-core/axe.min.js
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PROD_ENV := DEBUG=false SECRET_KEY=check-deploy-only-$$(date +%s)-a8f3e1c9d2b7f6a5e4c3b2a1f0e9d8c7 ALLOWED_HOSTS=cyberaide.example

.PHONY: run test test-only quality bench install install-test browser demo-code clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.base-installed: requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/base.txt
	touch $@

$(VENV)/.test-installed: requirements/base.txt requirements/test.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/test.txt
	touch $@ $(VENV)/.base-installed

install: $(VENV)/.base-installed
install-test: $(VENV)/.test-installed browser

# Debian's Chromium drives the browser tests (Playwright cannot download its own browser here),
# and axe-core, from the npm registry, checks accessibility.
browser: $(AXE)
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium >/dev/null; }

$(AXE):
	npm install --silent --no-save --no-package-lock --no-audit --no-fund --prefix var/node axe-core@$(AXE_VERSION)

run: install
	$(BIN)/python manage.py migrate --noinput
	PORT=$(PORT) $(BIN)/python manage.py load_demo
	$(BIN)/python manage.py train_triage --warm
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

demo-code: install
	@$(BIN)/python manage.py demo_code

quality: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(PROD_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING

test: quality test-only

test-only: install-test
	$(BIN)/pytest -n 2

bench: install-test
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var

# CineScent — `make run` brings the whole site up; `make test` runs the suite.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-all test-browser install lint clean-var bench help

help:
	@echo "make run     start the site (embedded Postgres+pgvector, Redis, web, workers, demo data)"
	@echo "make test    lint and format check (ruff), then the test suite (excludes @slow)"
	@echo "make test-all  include slow training tests"

$(STAMP): requirements.txt requirements-nodeps.txt constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@# torch first and exactly pinned: a looser request pulls GBs of CUDA packages.
	$(PY) -m pip install --disable-pip-version-check -q "torch==2.13.0"
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.txt -c constraints.txt
	$(PY) -m pip install --disable-pip-version-check -q --no-deps -r requirements-nodeps.txt -c constraints.txt
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) manage.py runstack

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: lint
	$(PY) -m pytest

test-all: $(STAMP)
	$(PY) -m pytest -m ""

clean-var:
	rm -rf var/

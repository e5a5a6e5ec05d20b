# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test faults setup migrate demo lint clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(PY) requirements.txt requirements-dev.txt
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

setup: $(STAMP)

migrate: setup
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo
	$(PY) manage.py seed_support

## Set everything up and serve the product on http://127.0.0.1:8000/
run: demo
	$(PY) -m daphne -b 127.0.0.1 -p 8000 chatgateway.asgi:application

## Set everything up and run the whole test suite
test: setup
	$(PY) -m ruff check .
	$(PY) -m pytest -q $(PYTEST_ARGS)

## Only the fault and abuse tests (they are part of `make test` too)
faults: setup
	$(PY) -m pytest -q tests/faults tests/abuse

lint: setup
	$(PY) -m ruff check .

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache .ruff_cache .hypothesis

# The two commands a newcomer needs: `make run` and `make test`. See README.md.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST_PORT ?= 127.0.0.1:8000
# Links in e-mails, calendar files, canonical URLs and structured data name the address
# `make run` serves, unless DJANGO_SITE_URL says otherwise.
DJANGO_SITE_URL ?= http://$(HOST_PORT)
RUN_ENV := DJANGO_DEBUG=1 DJANGO_SITE_URL=$(DJANGO_SITE_URL)

.PHONY: run test bench install install-dev frontend static content lint format check clean

# Serve the site on http://127.0.0.1:8000 (or HOST_PORT) with SQLite and the starting content,
# and beside it the task worker that sends the e-mails (printed here, as debug mail is). Ctrl+C
# stops both: the worker finishes the e-mail in hand first. If the server stops by itself, the
# worker is stopped too.
run: install frontend
	$(RUN_ENV) $(PY) manage.py migrate --no-input
	$(RUN_ENV) $(PY) manage.py load_clinic_content
	$(RUN_ENV) $(PY) manage.py ensure_staff_login
	$(RUN_ENV) $(PY) manage.py db_worker & worker=$$!; \
	trap 'wait $$worker; exit 130' INT; \
	trap 'kill $$worker 2>/dev/null; wait $$worker; exit 143' TERM; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	$(RUN_ENV) $(PY) manage.py runserver $(HOST_PORT)

# Install what the tests need and run the whole suite.
test: install-dev static
	$(BIN)/pytest $(PYTEST_ARGS)

# Measure the site under load beside a static file's ceiling; writes docs/benchmarks.md.
bench: install static
	$(PY) bench/run.py

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(PY)
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

# Build the site's CSS (Bootstrap's parts the site uses, themed) into build/static/.
frontend: node_modules/.package-lock.json
	npm run --silent build

# Collect and compress static files the way production serves them (tests use the real manifest).
static: frontend install
	DJANGO_SECRET_KEY=collectstatic-only $(PY) manage.py collectstatic --no-input --verbosity 0

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Everything CI runs: the suite on SQLite and PostgreSQL, and the checks.
check:
	bash .ci/run

clean:
	rm -rf $(VENV) node_modules build staticfiles .pytest_cache .ruff_cache

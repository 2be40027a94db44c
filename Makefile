# Sunshine (阳光监督). `make demo` and `make test` are the two commands a newcomer needs (see README.md).
SHELL := /bin/bash
# A failing command in a pipe fails the recipe (pip's output is filtered through grep below).
.SHELLFLAGS := -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
STAMP := $(VENV)/.installed
# The demo's public address follows its port: SMS links and the QR codes of printed notices point at this server
# (an address set in the environment wins).
SUNSHINE_PUBLIC_BASE_URL ?= http://127.0.0.1:$(PORT)
DEMO_ENV := DJANGO_SETTINGS_MODULE=sunshine.settings.local SUNSHINE_PUBLIC_BASE_URL=$(SUNSHINE_PUBLIC_BASE_URL) PORT=$(PORT)
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help install sysdeps demo serve test test-sqlite test-pg bench lint lock vendor messages clean

help:
	@echo "make demo   - install, migrate the embedded SQLite database, seed the demo city, serve on http://127.0.0.1:$(PORT)"
	@echo "make test   - install and run the whole suite (SQLite, then PostgreSQL when one answers)"
	@echo "make bench  - benchmarks, printed as 'name = value' lines with their reference runs"

# Python packages: exact versions and hashes from the lock files; the project itself in editable mode.
$(STAMP): requirements.lock requirements-dev.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade "pip==25.3" 2>&1 | { grep -v '^WARNING: Location' || true; }
	$(BIN)/python -m pip install -q --require-hashes -r requirements.lock -r requirements-dev.lock 2>&1 | { grep -v '^WARNING: Location' || true; }
	# The project itself, editable, built with the locked setuptools (no download at build time).
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e . 2>&1 | { grep -v '^WARNING: Location' || true; }
	test -x $(BIN)/sunshine
	$(BIN)/python -c "import django, celery, weasyprint, jieba, python_calamine, playwright, schemathesis"
	touch $(STAMP)

install: $(STAMP) sysdeps

# Debian packages: Chromium for page tests and screenshots, a CJK font and Pango for printable PDF notices.
SYS_PACKAGES := chromium fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils
sysdeps:
	@missing=$$(for p in $(SYS_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages: $$missing"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

demo: install
	@mkdir -p var
	$(DEMO_ENV) $(BIN)/sunshine migrate --noinput -v0
	$(DEMO_ENV) $(BIN)/sunshine collectstatic --noinput -v0
	$(DEMO_ENV) $(BIN)/sunshine seed_demo --if-empty
	$(DEMO_ENV) $(BIN)/sunshine demo_accounts
	@echo "Serving on http://127.0.0.1:$(PORT)/  (staff desk: http://127.0.0.1:$(PORT)/desk/)"
	SUNSHINE_EMBEDDED_BEAT=1 DEBUG=0 $(DEMO_ENV) $(BIN)/sunshine runserver 127.0.0.1:$(PORT) --noreload

# The embedded server alone (no reinstall, no seeding); its in-process beat retries SMS and checks deadlines.
serve: install
	SUNSHINE_EMBEDDED_BEAT=1 DEBUG=0 $(DEMO_ENV) $(BIN)/sunshine runserver 127.0.0.1:$(PORT) --noreload

test: install
	$(BIN)/ruff check sunshine benchmarks
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$DATABASE_URL" ] || pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then \
	  $(MAKE) --no-print-directory test-pg; \
	else echo "PostgreSQL not reachable on 127.0.0.1:5432 and DATABASE_URL unset: PostgreSQL run skipped"; fi

test-sqlite:
	@echo "== tests on SQLite =="
	env -u DATABASE_URL $(BIN)/python -m pytest $(PYTEST_ARGS)

test-pg:
	@echo "== tests on PostgreSQL =="
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install
	$(BIN)/python -m benchmarks $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check sunshine benchmarks

# Regenerate the lock files from requirements*.in (needs `uv`, pinned here for repeatable locks).
lock:
	$(PYTHON) -m pip install -q "uv==0.13.8"
	uv pip compile --python-version 3.11 --generate-hashes -q requirements.in -o requirements.lock
	uv pip compile --python-version 3.11 --generate-hashes -q requirements-dev.in -o requirements-dev.lock

# Refresh the vendored front-end files from the npm registry (committed, so the demo needs no npm).
vendor:
	cd frontend && npm ci --ignore-scripts
	cp frontend/node_modules/htmx.org/dist/htmx.min.js sunshine/static/vendor/htmx-2.0.11.min.js
	cp frontend/node_modules/echarts/dist/echarts.min.js sunshine/static/vendor/echarts-5.6.0.min.js

messages: install
	cd sunshine && ../$(BIN)/sunshine makemessages -l en --no-obsolete && ../$(BIN)/sunshine compilemessages -l en

clean:
	rm -rf $(VENV) var/static var/test-media

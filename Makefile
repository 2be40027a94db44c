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

.PHONY: help install runtime sysdeps sysdeps-runtime demo accounts seed serve test test-sqlite test-pg bench chaos lint lock vendor messages clean

help:
	@echo "make demo   - install the runtime, migrate the embedded SQLite database, seed the demo city, serve on http://127.0.0.1:$(PORT)"
	@echo "make accounts / make seed SEED_ARGS='...'  - sunshine demo_accounts / seed_demo without activating .venv"
	@echo "make test   - install and run the whole suite (SQLite, then PostgreSQL when one answers)"
	@echo "make bench  - benchmarks, printed as 'name = value' lines with their reference runs"

# Python packages: exact versions and hashes from the lock files; the project itself in editable mode. Two levels:
# the runtime (requirements.lock: what `make demo` and a server need) and everything (+ requirements-dev.lock:
# tests, browser tests, fuzzing; `make install` and `make test`).
RUNTIME_STAMP := $(VENV)/.runtime-installed
PIP_INSTALL = $(BIN)/python -m pip install -q --disable-pip-version-check
PIP_QUIET = 2>&1 | { grep -v '^WARNING: Location' || true; }

$(RUNTIME_STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) --upgrade "pip==25.3" $(PIP_QUIET)
	$(PIP_INSTALL) --require-hashes -r requirements.lock $(PIP_QUIET)
	# The project itself, editable, built with the locked setuptools (no download at build time).
	$(PIP_INSTALL) --no-deps --no-build-isolation -e . $(PIP_QUIET)
	test -x $(BIN)/sunshine
	$(BIN)/python -c "import django, celery, weasyprint, jieba, python_calamine, faker"
	touch $(RUNTIME_STAMP)

$(STAMP): $(RUNTIME_STAMP) requirements-dev.lock
	$(PIP_INSTALL) --require-hashes -r requirements.lock -r requirements-dev.lock $(PIP_QUIET)
	$(BIN)/python -c "import django, celery, weasyprint, jieba, python_calamine, playwright, schemathesis"
	touch $(STAMP)

install: $(STAMP) sysdeps
runtime: $(RUNTIME_STAMP) sysdeps-runtime

# Debian packages. The runtime needs a CJK font and Pango for printable PDF notices; tests add Chromium (page tests
# and screenshots) and poppler-utils (reading PDFs back).
# Java 17 (openjdk-17-jre-headless) runs the data comparison's Spark parity test; the demo server does not need it.
SYS_RUNTIME_PACKAGES := fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
SYS_PACKAGES := $(SYS_RUNTIME_PACKAGES) chromium poppler-utils openjdk-17-jre-headless
define apt_install_missing
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages: $$missing"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
endef
sysdeps:
	$(call apt_install_missing,$(SYS_PACKAGES))
sysdeps-runtime:
	$(call apt_install_missing,$(SYS_RUNTIME_PACKAGES))

# Short steps, the seeding quiet; it ends with the accounts table and the address. Only the runtime packages.
demo:
	@echo "[1/4] 安装运行所需的软件包 Installing the runtime packages (first time: a few minutes)…"
	@$(MAKE) --no-print-directory -s runtime
	@echo "[2/4] 准备数据库 Migrating the embedded database (var/sunshine.sqlite3)…"
	@mkdir -p var
	@$(DEMO_ENV) $(BIN)/sunshine migrate --noinput -v0
	@$(DEMO_ENV) $(BIN)/sunshine collectstatic --noinput -v0
	@echo "[3/4] 生成演示城市 Seeding the demo city (first time: about a minute)…"
	@$(DEMO_ENV) LOG_LEVEL=WARNING $(BIN)/sunshine seed_demo --if-empty -v0
	@echo "[4/4] 启动 Serving"
	@echo
	@$(DEMO_ENV) $(BIN)/sunshine demo_accounts
	@SUNSHINE_EMBEDDED_BEAT=1 DEBUG=0 LOG_LEVEL=WARNING $(DEMO_ENV) $(BIN)/sunshine runserver 127.0.0.1:$(PORT) --noreload

# The README's commands as typed, without activating .venv: `make accounts`, `make seed SEED_ARGS="--households 300"`.
accounts: runtime
	@$(DEMO_ENV) $(BIN)/sunshine demo_accounts --port $(PORT)
seed: runtime
	@mkdir -p var
	@$(DEMO_ENV) $(BIN)/sunshine migrate --noinput -v0
	$(DEMO_ENV) $(BIN)/sunshine seed_demo $(SEED_ARGS)

# The embedded server alone (no reinstall, no seeding); its in-process beat retries SMS and checks deadlines.
serve: runtime
	SUNSHINE_EMBEDDED_BEAT=1 DEBUG=0 $(DEMO_ENV) $(BIN)/sunshine runserver 127.0.0.1:$(PORT) --noreload

test: install
	$(BIN)/ruff check sunshine benchmarks chaos
	$(BIN)/lint-imports
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$DATABASE_URL" ] || pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then \
	  $(MAKE) --no-print-directory test-pg; \
	else echo "PostgreSQL not reachable on 127.0.0.1:5432 and DATABASE_URL unset: PostgreSQL run skipped"; fi

# Two pytest-xdist workers (one per core on the CI machines), each running whole modules (`loadscope`: a module's
# fixtures, such as the API fuzz's seeded city, are built once). TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= 2
PYTEST_PARALLEL := $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadscope)

test-sqlite:
	@echo "== tests on SQLite =="
	env -u DATABASE_URL $(BIN)/python -m pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS)

# The browser tests run once, in the SQLite run: a page renders the same from either database, and the page tests
# without a browser run on both.
test-pg:
	@echo "== tests on PostgreSQL =="
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(BIN)/python -m pytest $(PYTEST_PARALLEL) -m "not browser" $(PYTEST_ARGS)

bench: install
	$(BIN)/python -m benchmarks $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check sunshine benchmarks chaos
	$(BIN)/lint-imports

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
	# axe-core: the accessibility checker the browser tests run on the public pages (never served to visitors).
	cp frontend/node_modules/axe-core/axe.min.js sunshine/static/vendor/axe-4.11.0.min.js

messages: install
	cd sunshine && ../$(BIN)/sunshine makemessages -l en --no-obsolete && ../$(BIN)/sunshine compilemessages -l en

clean:
	rm -rf $(VENV) var/static var/test-media

# Fault tests against a PostgreSQL database, a Redis (port 6390) and Celery workers of its own: workers killed during
# SMS delivery and imports, the broker flushed, Redis taken away during reports. Prints chaos_* = 0 lines.
chaos: install
	$(BIN)/python -m chaos

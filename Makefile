# Spilka: `make run` serves the demo network, `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
export SPILKA_DEBUG ?= true

.PHONY: install run worker test static lint typecheck check-migrations pytest test-fast browser messages clean deploy-check

install: $(VENV)/.installed

# Python keeps the bytecode it compiles (some machines set PYTHONDONTWRITEBYTECODE): each
# process after the first then starts from it, and pytest from its rewritten test modules
# (a test process spent 9 of its 16 CPU-seconds of start-up rewriting and compiling them).
unexport PYTHONDONTWRITEBYTECODE

# Reinstall whenever the pinned dependencies change. uv, from PyPI, installs the pinned
# packages from PyPI as pip would, in a seventh of the time (7 s against 46 s with a warm
# cache): it does not compile every installed module ahead, only those imported are.
UV_VERSION := 0.13.10
$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet uv==$(UV_VERSION)
	$(VENV)/bin/uv pip install --quiet --python $(PY) -e '.[dev]'
	@touch $@

run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable
	$(MANAGE) load_demo
	@echo ""
	@echo "  Spilka is starting on http://$(HOST):$(PORT)/"
	@echo "  Sign in at http://$(HOST):$(PORT)/en/accounts/login/"
	@echo "  as organiser@usc.example with the password spilka-demo-2026"
	@echo "  (other demo logins are listed above; mail lands in the outbox at /en/outbox/ for staff)."
	@echo "  Every demo login administers an organisation, so right after its first sign-in it"
	@echo "  enrols an authenticator app (TOTP: scan the QR code or type the key shown) and is"
	@echo "  shown ten recovery codes; admin@spilka.example is also a superuser."
	@echo ""
	@set -m; $(MANAGE) spilka_worker --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

# Every queue, plus a lane for mail alone; outlives database outages (spilka/lib/worker.py).
worker: install
	$(MANAGE) spilka_worker

# The static checks (lint, types, migrations) need no database: they run beside the tests,
# on the share of the two cores the tests leave idle while they wait for the browser.
test: install browser
	@$(MAKE) --no-print-directory -j2 pytest static

static: lint typecheck check-migrations

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy

check-migrations: install
	$(MANAGE) makemigrations --check --dry-run

# The suite runs in PYTEST_WORKERS processes (pytest-xdist; CI has two cores; 0: one
# process, no xdist). Each worker has its own test database and its own Redis database.
# `--dist load` hands tests out in pytest-django's order, so on each worker the tests that
# empty the tables (transactional, live_server) still come after those that read the demo
# network loaded once per worker; `loadfile` would interleave them.
PYTEST_WORKERS ?= 2
PYTEST_PARALLEL := $(if $(filter 0,$(PYTEST_WORKERS)),,-n $(PYTEST_WORKERS) --dist load)
PYTEST := $(VENV)/bin/pytest -p no:cacheprovider $(PYTEST_PARALLEL)

# Fresh test databases every time, and the 25 slowest tests at the end.
pytest: install
	$(PYTEST) --create-db --durations=25 $(PYTEST_ARGS)

# The developer's loop: keeps the test databases between runs (migrated and with the demo
# network loaded); `make pytest` starts afresh. Narrow it with PYTEST_ARGS, e.g.
# `make test-fast PYTEST_ARGS='spilka/funds -x' PYTEST_WORKERS=0`.
test-fast: install
	$(PYTEST) --reuse-db $(PYTEST_ARGS)

# Browser tests use Debian's chromium: its headless shell when installed (a third of the
# desktop browser's CPU, see tests/browser/conftest.py), else the desktop browser. Install
# both when we can; in CI one must be there.
BROWSERS := chromium-headless-shell chromium
browser:
	@if command -v chromium-headless-shell >/dev/null 2>&1 && command -v chromium >/dev/null 2>&1; then exit 0; fi; \
	if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		(apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(BROWSERS)) >/tmp/spilka-apt.log 2>&1 \
			|| command -v chromium-headless-shell >/dev/null 2>&1 || command -v chromium >/dev/null 2>&1 \
			|| { echo "Could not install chromium (see /tmp/spilka-apt.log)."; [ -z "$$CI" ] || exit 1; }; \
	elif command -v chromium-headless-shell >/dev/null 2>&1 || command -v chromium >/dev/null 2>&1; then \
		exit 0; \
	elif [ -n "$$CI" ]; then \
		echo "CI needs Debian's chromium for the browser tests, and it cannot be installed here."; exit 1; \
	else \
		echo "chromium is not installed and cannot be installed without root: browser tests will be skipped."; \
	fi

# Extract and compile the translation catalogues (needs GNU gettext).
messages: install
	@command -v msgfmt >/dev/null 2>&1 || { [ "$$(id -u)" = "0" ] && apt-get install -y -q gettext >/dev/null; }
	cd spilka && ../$(PY) ../manage.py makemessages -l uk -l pl -l ru --no-obsolete --add-location file
	$(MANAGE) compilemessages --ignore '.venv/*'

deploy-check: install
	SPILKA_DEBUG=false SPILKA_SECRET_KEY=$$($(PY) -c "import secrets; print(secrets.token_urlsafe(64))") \
	SPILKA_ALLOWED_HOSTS=spilka.example.org $(MANAGE) check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .mypy_cache
	find spilka tests bench -name __pycache__ -prune -exec rm -rf {} +

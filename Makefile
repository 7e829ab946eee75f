# POEMS Criteria. `make run` serves the site; `make test` runs every check.
# Both set up what they need (virtual environment, translations, database) on first use.

SHELL := /bin/bash
.DEFAULT_GOAL := help
PORT ?= 8000
# `make cluster` serves on 8080 unless PORT is given (make cluster PORT=9000).
CLUSTER_PORT := $(if $(filter command line environment%,$(origin PORT)),$(PORT),8080)
CLUSTER_PACKAGES := nginx redis-server postgresql
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: lock help run test test-fast test-postgres lint check messages translations \
	admin-password deploy-check bench screenshots clean cluster test-cluster \
	prerequisites-run prerequisites-test

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

# The environment is rebuilt only when the lock file changes. requirements*.txt name
# what we depend on; the lock files pin the whole tree, with hashes (`make lock`).
$(VENV)/.installed: requirements-test.lock
	@test -x $(PY) || { interpreter=$$(bin/find-python) && "$$interpreter" -m venv $(VENV) \
		|| { rm -rf $(VENV); echo "error: could not create $(VENV)"; exit 1; }; }
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-test.lock
	@touch $@

venv: $(VENV)/.installed

UV := uv==0.13.9
lock: ## Pin the whole dependency tree, with hashes, for Python 3.12 and newer
	@test -x $(PY) || $(MAKE) venv
	$(PY) -m pip install --quiet --disable-pip-version-check $(UV)
	$(VENV)/bin/uv pip compile requirements.txt --universal --generate-hashes \
		--python-version 3.12 --no-header --quiet -o requirements.lock
	$(VENV)/bin/uv pip compile requirements-test.txt --universal --generate-hashes \
		--python-version 3.12 --no-header --quiet -o requirements-test.lock

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po
	msgfmt --check -o $@ $<

translations: $(MO_FILES) ## Compile the gettext catalogues (needs gettext's msgfmt)

# System parts (Python, gettext, Pango with HarfBuzz subsetting, Noto CJK fonts; for the
# tests also Chromium and poppler): one line for each one missing, with its package.
prerequisites-run:
	@bin/check-prerequisites --for run

prerequisites-test:
	@bin/check-prerequisites --for test

run: prerequisites-run venv translations ## Set up and serve the site on http://127.0.0.1:$(PORT)/ (SQLite)
	$(MANAGE) migrate --noinput
	$(MANAGE) load_initial_content
	PORT=$(PORT) $(MANAGE) ensure_local_admin
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: prerequisites-test venv translations ## Run the whole test suite and the checks (what CI runs)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	DJANGO_SETTINGS_MODULE=poems_site.settings.test $(MANAGE) makemigrations --check --dry-run
	$(PY) -m pytest --cov --cov-report=term --cov-fail-under=90 $(PYTEST_ARGS)

test-fast: venv translations ## The suite without browser tests and PDFs (quick feedback)
	$(PY) -m pytest -m "not browser and not pdf" -x -q $(PYTEST_ARGS)

test-postgres: venv translations ## The database-facing tests again, on DATABASE_URL (PostgreSQL)
	@test -n "$$DATABASE_URL" || { echo "error: set DATABASE_URL=postgres://..."; exit 2; }
	$(PY) -m pytest -m "not browser" --ignore=tests/rules -q -p no:cacheprovider $(PYTEST_ARGS)

lint: venv ## ruff check and format check
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

messages: venv ## Extract new gettext strings into locale/*/django.po
	$(MANAGE) makemessages --locale=zh_Hans --locale=ja --no-obsolete --no-location \
		--ignore=.venv --ignore=staticfiles --ignore=static/vendor

admin-password: venv ## Give the local admin user a new password (debug sites only)
	$(MANAGE) ensure_local_admin --reset

deploy-check: venv ## `check --deploy` with production settings; any warning fails
	DJANGO_SETTINGS_MODULE=poems_site.settings.production \
	DJANGO_SECRET_KEY=deploy-check-$$(printf 'x%.0s' {1..60}) \
	DJANGO_ALLOWED_HOSTS=poems.example.org \
	SITE_BASE_URL=https://poems.example.org \
	$(MANAGE) check --deploy --fail-level WARNING

bench: venv translations ## Load-test the production server on 127.0.0.1 with wrk
	$(PY) bench/run.py

screenshots: venv translations ## Refresh the README's screenshots (needs Chromium)
	$(PY) -m pytest tests/browser/test_screenshots.py -q -p no:cacheprovider --screenshots

cluster: prerequisites-run venv translations ## Production topology on 127.0.0.1:8080: nginx, 2 gunicorn, PostgreSQL, Redis
	@bin/apt-install-missing $(CLUSTER_PACKAGES)
	$(PY) bin/cluster run --port $(CLUSTER_PORT)

test-cluster: prerequisites-run venv translations ## Tests of that topology, through nginx (tests/cluster/)
	@bin/apt-install-missing $(CLUSTER_PACKAGES)
	POEMS_CLUSTER_TESTS=1 $(PY) -m pytest tests/cluster -q -p no:cacheprovider $(PYTEST_ARGS)

clean: ## Remove the environment, the database and build output
	@! bin/cluster status >/dev/null 2>&1 || { echo "error: a cluster is running: bin/cluster stop"; exit 1; }
	rm -rf $(VENV) db.sqlite3 staticfiles htmlcov .coverage .pytest_cache .ruff_cache .cluster
	find locale -name '*.mo' -delete

# The two commands a newcomer needs: `make run` and `make test`.
VENV ?= .venv
PYTHON := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: run test install assets messages vendor-messages migrate demo lint format perf lock scale-check

run: install assets messages migrate demo  ## set everything up and serve the demo on http://127.0.0.1:8000
	# The task worker sends the e-mails (printed here) and runs the jobs the scheduler
	# queues (scheduled publishing, retention, pruning); both stop when runserver does.
	$(PYTHON) manage.py db_worker & worker=$$!; \
	$(PYTHON) manage.py run_scheduler & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(PYTHON) manage.py runserver $(HOST)

test: install assets messages  ## lint, check the import layers and migrations, run the whole test suite
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PYTHON) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest -n auto

PERF_DB ?= opstart_perf

perf: install assets messages  ## seed 5 000 families in PostgreSQL (once), open-loop load on gunicorn
	psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$(PERF_DB)'" | grep -q 1 \
	  || createdb -h 127.0.0.1 -U postgres $(PERF_DB)
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(PERF_DB) $(PYTHON) -m tests.perf.load

SCALE_DB ?= opstart_scale

scale-check: install assets messages  ## two web hosts behind HAProxy, two workers, Redis, S3: the checks of a site on several hosts
	command -v haproxy >/dev/null || { apt-get update -qq && apt-get install -y -qq haproxy; }
	command -v redis-server >/dev/null || { apt-get update -qq && apt-get install -y -qq redis-server; }
	psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$(SCALE_DB)'" | grep -q 1 \
	  || createdb -h 127.0.0.1 -U postgres $(SCALE_DB)
	SCALE_DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(SCALE_DB) $(PYTHON) -m tests.ops.scale_check

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements-dev.lock
	# WeasyPrint (PDF reports) needs Pango from Debian.
	ldconfig -p | grep -q libpangoft2-1.0 || { apt-get update -qq && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0; }
	test -x $(PYTHON) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	# Exactly the locked versions, checked by their hashes; then the project itself.
	$(PYTHON) -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(PYTHON) -m pip install --quiet --no-deps -e .
	touch $@

LOCK := $(VENV)/bin/pip-compile --quiet --strip-extras --generate-hashes --allow-unsafe \
	--no-emit-index-url --no-emit-find-links

lock: install  ## pin every dependency of pyproject.toml (requirements.lock for servers, -dev for tests)
	$(LOCK) --upgrade -o requirements.lock pyproject.toml
	$(LOCK) --upgrade --extra dev -c requirements.lock -o requirements-dev.lock pyproject.toml

assets: assets/build/.built

assets/build/.built: package.json package-lock.json
	npm ci --no-audit --no-fund
	rm -rf assets/build
	mkdir -p assets/build/dkfds assets/build/htmx
	cp -r node_modules/dkfds/dist/css node_modules/dkfds/dist/js node_modules/dkfds/dist/fonts node_modules/dkfds/dist/img assets/build/dkfds/
	cp node_modules/htmx.org/dist/htmx.min.js assets/build/htmx/
	touch $@

messages: install
	$(PYTHON) manage.py compilemessages --ignore ".venv/*" --ignore "node_modules/*" -v 0

vendor-messages: install  ## after upgrading Wagtail or Django: add their new strings to locale/vendor (then translate)
	$(PYTHON) -m tests.i18n.vendor_catalogue

migrate: install
	$(PYTHON) manage.py migrate --noinput

demo: migrate
	$(PYTHON) manage.py seed_demo

lint:
	$(VENV)/bin/ruff check .

format:
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

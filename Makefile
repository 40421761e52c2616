# FitSM Academy: `make run` serves the site with demo data; `make test` runs lint and the tests.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= config.settings.dev
# Links in QR codes, badges, calendar feeds and e-mails follow the port unless SITE_URL is set.
export SITE_URL ?= http://127.0.0.1:$(PORT)

.PHONY: run test install lint format system-check migrate content demo clean messages

$(VENV)/.installed: requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed.")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	@touch $@

install: $(VENV)/.installed

system-check: install
	@$(PY) -m config.system_check

migrate: install
	$(PY) manage.py migrate --noinput

content: migrate
	$(PY) manage.py load_fitsm

demo: content
	$(PY) manage.py seed_demo

# The interface's translations: locale/*/LC_MESSAGES/*.po compiled with Babel (no gettext tools needed).
messages: install
	$(PY) scripts/catalogues.py compile

run: system-check messages demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: lint messages
	$(PY) scripts/catalogues.py check
	DJANGO_SETTINGS_MODULE=config.settings.test $(VENV)/bin/pytest

clean:
	rm -rf $(VENV) var/test-media

# Benchmarks: needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth); creates and drops its
# own database (fitsm_bench). `make bench BENCH_ARGS=--quick` for a short run.
.PHONY: bench
bench: install
	$(PY) -m bench.run $(BENCH_ARGS)

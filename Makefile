# Commissioning Tracker. `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
# Local runs are development runs; deployments set DEBUG and SECRET_KEY themselves.
DEV_ENV := DEBUG=$${DEBUG:-true}

.PHONY: run test install pdf-packages system-packages lint vendor benchmark benchmark-pages \
	benchmark-pdfs benchmark-public benchmark-quick clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

install: $(VENV)/.installed

run: install pdf-packages
	$(DEV_ENV) $(BIN)/python manage.py migrate --no-input
	$(DEV_ENV) $(BIN)/python manage.py load_demo
	@echo "Serving on http://$(HOST)/ (Ctrl+C to stop)"
	$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST)

# Debian packages the suite needs: Chromium for the browser tests, Pango and DejaVu
# fonts for WeasyPrint's PDFs, poppler-utils to render PDF pages. Installed if missing.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
TEST_PACKAGES := $(PDF_PACKAGES) chromium poppler-utils
define apt_install
if ! dpkg -s $(1) >/dev/null 2>&1; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $(1) >/dev/null; \
	fi
endef

pdf-packages:
	@$(call apt_install,$(PDF_PACKAGES))

system-packages:
	@$(call apt_install,$(TEST_PACKAGES))

# Two workers (pytest-xdist): the suite's machines have two cores. Each worker has its
# own test database (test_<name>_gw0, _gw1). PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= 2
test: install system-packages
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --durations=20 $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Timings that are not tests: the figures go in the issue notes. benchmark-pages needs
# PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres);
# it keeps its databases (bench_10k, bench_100k) so a rerun skips seeding. The first run
# seeds 100k contracts and 1M history rows, which takes a while. BENCHMARK_ARGS passes
# options (see scripts/benchmark.py --help), e.g. BENCHMARK_ARGS=--drop.
benchmark: benchmark-pages benchmark-pdfs benchmark-public

benchmark-pages: install
	$(BIN)/python scripts/benchmark.py $(BENCHMARK_ARGS)

# 2k contracts: checks the harness runs, in a few minutes.
benchmark-quick: install
	$(BIN)/python scripts/benchmark.py --quick $(BENCHMARK_ARGS)

# Each PDF through its view, then 20 in-process drafts of the 24/00056 report against the
# issue 12 target (p50 <= 1 s), and LibreOffice converting its HTML if soffice is installed.
benchmark-pdfs: install pdf-packages
	$(BIN)/python scripts/benchmark_pdfs.py --draft-runs 20

# The public forward plan under load: wrk against gunicorn (2 workers, DEBUG off) on
# PostgreSQL with the demo data (scripts/bench_public.sh; issue 13 aims for >= 200 req/s).
benchmark-public: install
	@$(call apt_install,wrk)
	bash scripts/bench_public.sh

vendor:
	bash scripts/vendor_frontend.sh

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

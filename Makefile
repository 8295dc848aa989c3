# Two commands on a fresh machine (Python 3.11+, pip, git, make):
#   make demo   set up .venv, install gapcli, run it on a demo profile in .demo/
#   make test   set up .venv with the test extras, run ruff, mypy and pytest
# Both install the versions pinned, with their hashes, in requirements/test.lock.
#   make lock         regenerate that lock after editing pyproject.toml's dependencies
#                     (LOCK_ARGS=--upgrade moves every pin to the newest allowed version)
#   make test-slow    more hypothesis examples, fresh seeds: several simulated years and
#                     a longer fuzz (minutes to an hour; not part of make test)
#   make test-latest  the same checks on the newest versions pyproject.toml allows, in
#                     .venv-latest: finds drift before a new lock or a new machine does
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
LOCK := requirements/test.lock
LATEST_VENV := .venv-latest
LOCK_VENV := .venv-lock
DEMO_DB := .demo/gapcli-demo.db
GAPCLI := $(BIN)/gapcli --db $(DEMO_DB)
export PIP_DISABLE_PIP_VERSION_CHECK = 1

.PHONY: demo test test-slow lint bench lock test-latest clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Every package from the lock, hash-checked (pip refuses anything unpinned or altered);
# then gapcli itself, editable, without dependencies and built by the locked hatchling
# (no build isolation), so nothing outside the lock is installed.
$(VENV)/.installed-test: $(LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

demo: $(VENV)/.installed-test
	@mkdir -p .demo && rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm .demo/plan.md .demo/report.html
	@echo '$$ gapcli init --demo' && $(GAPCLI) init --demo
	@echo '$$ gapcli gaps' && $(GAPCLI) gaps
	@echo '$$ gapcli plan --weeks 3' && $(GAPCLI) plan --weeks 3
	@echo '$$ gapcli log-progress ps-distributions --hours 1.5 --done' && $(GAPCLI) log-progress ps-distributions --hours 1.5 --done
	@echo '$$ gapcli log-progress la-visual --minutes 90' && $(GAPCLI) log-progress la-visual --minutes 90 --note "chapters 1-4"
	@echo '$$ gapcli history' && $(GAPCLI) history
	@echo '$$ gapcli db check' && $(GAPCLI) db check
	@echo '$$ gapcli export -o .demo/plan.md' && $(GAPCLI) export -o .demo/plan.md
	@echo '$$ gapcli export -o .demo/report.html' && $(GAPCLI) export -o .demo/report.html
	@echo "Demo database: $(DEMO_DB) (your real data is untouched)"
	@echo "Demo plan as Markdown: .demo/plan.md"
	@echo "Demo report with charts: .demo/report.html (open it in a browser, or print it to PDF)"

define checks
	$(1)/ruff check gapcli tests bench
	$(1)/ruff format --check gapcli tests bench
	$(1)/mypy
endef

lint: $(VENV)/.installed-test
	$(call checks,$(BIN))

# One pytest worker per core (pytest-xdist): on a 2-core machine the suite takes about
# half the time. Tests keep their own files and cache folders, and each worker starts its
# own PostgreSQL on its own socket; PYTEST_ARGS='-n 0' runs all in one process (for pdb).
XDIST := -n auto

test: lint
	$(BIN)/python -m pytest $(XDIST) $(PYTEST_ARGS)

test-slow: $(VENV)/.installed-test
	HYPOTHESIS_PROFILE=slow $(BIN)/python -m pytest tests/test_simulated_year.py tests/test_fuzz.py $(XDIST) $(PYTEST_ARGS)

# pip-tools lives in its own venv: the test venv holds exactly what the lock pins. The
# lock also pins what building gapcli editable needs (hatchling, editables), so the
# install above builds it without fetching anything unpinned.
lock:
	test -x $(LOCK_VENV)/bin/python || $(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet --upgrade 'pip-tools>=7.4'
	CUSTOM_COMPILE_COMMAND='make lock' $(LOCK_VENV)/bin/pip-compile --quiet \
	  --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
	  --no-emit-find-links --extra test --build-deps-for editable \
	  --output-file $(LOCK) $(LOCK_ARGS) pyproject.toml

# Not part of `make test`: the newest versions move under it, which is the point.
test-latest:
	test -x $(LATEST_VENV)/bin/python || $(PYTHON) -m venv $(LATEST_VENV)
	$(LATEST_VENV)/bin/python -m pip install --quiet --upgrade --upgrade-strategy eager -e '.[test]'
	$(LATEST_VENV)/bin/python -m pip list --format=freeze --exclude-editable > $(LATEST_VENV)/versions.txt
	@echo "versions under test: $(LATEST_VENV)/versions.txt (the lock: $(LOCK))"
	$(call checks,$(LATEST_VENV)/bin)
	$(LATEST_VENV)/bin/python -m pytest $(XDIST) $(PYTEST_ARGS)

# A table of issue 16's targets, PASS or FAIL (bench/README.md). Watson and jrnl are timed
# beside gapcli when found: make bench BENCH_ARGS="--peers-venv /tmp/peers"
bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py --venv $(VENV) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(LATEST_VENV) $(LOCK_VENV) .demo .pytest_cache .mypy_cache .ruff_cache .hypothesis

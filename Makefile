# Two commands on a fresh machine (Python 3.11+, pip, git, make):
#   make demo   set up .venv, install gapcli, run it on a demo profile in .demo/
#   make test   set up .venv with the test extras, run ruff, mypy and pytest
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_DB := .demo/gapcli-demo.db
GAPCLI := $(BIN)/gapcli --db $(DEMO_DB)
export PIP_DISABLE_PIP_VERSION_CHECK = 1

.PHONY: demo test lint bench catalog-json clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: $(VENV)/.installed-test
	@mkdir -p .demo && rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm .demo/plan.md
	@echo '$$ gapcli init --demo' && $(GAPCLI) init --demo
	@echo '$$ gapcli gaps' && $(GAPCLI) gaps
	@echo '$$ gapcli plan --weeks 3' && $(GAPCLI) plan --weeks 3
	@echo '$$ gapcli log-progress ps-distributions --hours 1.5 --done' && $(GAPCLI) log-progress ps-distributions --hours 1.5 --done
	@echo '$$ gapcli log-progress la-visual --minutes 90' && $(GAPCLI) log-progress la-visual --minutes 90 --note "chapters 1-4"
	@echo '$$ gapcli history' && $(GAPCLI) history
	@echo '$$ gapcli db check' && $(GAPCLI) db check
	@echo '$$ gapcli export -o .demo/plan.md' && $(GAPCLI) export -o .demo/plan.md
	@echo "Demo database: $(DEMO_DB) (your real data is untouched)"
	@echo "Demo plan as Markdown: .demo/plan.md"

lint: $(VENV)/.installed-test
	$(BIN)/ruff check gapcli tests bench
	$(BIN)/ruff format --check gapcli tests bench
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py --venv $(VENV) $(BENCH_ARGS)

# Regenerate the compiled copy gapcli reads instead of catalog/ai.yaml (after editing it).
catalog-json: $(VENV)/.installed-test
	$(BIN)/python -m gapcli.services.catalogs --compile catalog/ai.yaml

clean:
	rm -rf $(VENV) .demo .pytest_cache .mypy_cache .ruff_cache .hypothesis

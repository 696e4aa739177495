# The two commands of the quick start: `make demo` and `make test`. Both create .venv when it is
# missing and install the project with its test extras; nothing else needs installing by hand.
# `make lint BIN=/path/to/venv/bin` (any target) uses that environment as it is: nothing installed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.tongbao-installed
LINT_PATHS := parsers pipeline schemas tongbao tests bench
ifeq ($(origin BIN),command line)
SETUP :=
else
SETUP := $(STAMP)
endif

.PHONY: demo test test-fast bench fuzz samples lint clean

$(STAMP): pyproject.toml setup.py parsers/readers/pdf/_pdfchars.c
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "tongbao needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	# An editable install compiles none of the project's own modules; every run would compile them
	# again where PYTHONDONTWRITEBYTECODE is set (~0.25 s per process, the forkserver's included).
	$(BIN)/python -m compileall -q parsers pipeline schemas tongbao
	touch $(STAMP)

demo: $(SETUP)
	$(BIN)/tongbao ingest samples --out output; status=$$?; [ $$status -le 1 ] || exit $$status
	$(BIN)/tongbao report output

test: $(SETUP)
	$(BIN)/python -m pytest

# The suite without the tests marked slow (OCR engine runs, crash and kill injection, the fuzz
# slice, dask, LibreOffice): for the edit-test loop.
test-fast: $(SETUP)
	$(BIN)/python -m pytest -m "not slow"

bench: $(SETUP)
	$(BIN)/python bench/bench_pdf.py
	$(BIN)/python bench/bench_ocr.py
	$(BIN)/python bench/bench_ingest.py

# 10,000 hostile inputs mutated from the corpus and the fixtures (bench/fuzz.py): one documents row
# each, no batch aborted, no traceback, peak RSS of the whole run <= 2 GiB. `make test` runs a
# seeded slice of 300 (tests/test_hostile_fuzz.py). FUZZ_COUNT=N for another size.
FUZZ_COUNT ?= 10000
fuzz: $(SETUP)
	$(BIN)/python bench/fuzz.py --count $(FUZZ_COUNT)

samples: $(SETUP)
	$(BIN)/tongbao samples --out samples

# ruff (with C901: no function over complexity 20, see pyproject.toml), the formatter, mypy.
lint: $(SETUP)
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/mypy schemas parsers pipeline tongbao

clean:
	rm -rf output/*/ .pytest_cache

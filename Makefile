# The two commands of the quick start: `make demo` and `make test`. Both create .venv when it is
# missing and install the project with its test extras; nothing else needs installing by hand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.tongbao-installed

.PHONY: demo test bench samples lint clean

$(STAMP): pyproject.toml setup.py parsers/readers/pdf/_pdfchars.c
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "tongbao needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/tongbao ingest samples --out output; status=$$?; [ $$status -le 1 ] || exit $$status
	$(BIN)/tongbao report output

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/bench_pdf.py
	$(BIN)/python bench/bench_ocr.py
	$(BIN)/python bench/bench_ingest.py

samples: $(STAMP)
	$(BIN)/tongbao samples --out samples

lint: $(STAMP)
	$(BIN)/ruff check parsers pipeline schemas tests
	$(BIN)/mypy schemas parsers pipeline

clean:
	rm -rf output/*/ .pytest_cache

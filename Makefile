# timenorm: two commands.
#   make run    set up .venv, then generate -> train -> infer on embedded defaults
#   make test   set up .venv, then run the test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
OUT ?= out
export TF_CPP_MIN_LOG_LEVEL ?= 2

.PHONY: setup run test bench clean

$(VENV)/.installed: setup.py constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

setup: $(VENV)/.installed

run: setup
	$(PY) -m pipeline.generate --output_dir $(OUT)/data --num_examples 20000

test: setup
	$(PY) -m pytest -q tests

clean:
	rm -rf $(VENV) $(OUT) build *.egg-info

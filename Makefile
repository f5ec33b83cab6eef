# timenorm: the README's two commands.
#   make run    set up .venv, then generate -> train (demo-sized) -> infer the sample Parquet
#   make test   set up .venv, then run the test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
TIMENORM := $(VENV)/bin/timenorm
OUT ?= out/demo
# The in-process Beam runner; the DirectRunner's default first tries (and,
# offline, fails) to download the Prism runner.
RUNNER ?= --runner=FnApiRunner
export TF_CPP_MIN_LOG_LEVEL ?= 2

.PHONY: setup run test default-model default-model-digests bench clean

$(VENV)/.installed: setup.py constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

setup: $(VENV)/.installed

run: setup
	rm -rf $(OUT)
	$(TIMENORM) generate --output_dir $(OUT)/data --num_examples 120000 --seed 42 $(RUNNER)
	$(TIMENORM) train --data_dir $(OUT)/data --model_dir $(OUT)/model --seed 42 \
		--epochs 100 --max_minutes 6 --anneal
	$(TIMENORM) infer --input tests/data/sample_times.parquet --output $(OUT)/normalized \
		--model_dir $(OUT)/model/saved_model $(RUNNER)
	$(PY) -m bench.show_rows $(OUT)/normalized

test: setup
	$(PY) -m pytest -q tests

# The shipped production model (model/default_model), exactly as it was made:
# the pair shipped at BASE_MODEL_COMMIT fine-tuned on data of the current
# generator. That pair was made by this recipe from the one before it, on the
# generator of then (`git show $(BASE_MODEL_COMMIT):Makefile` names it), and so
# back to 5cefedf's, trained from random weights. Each network starts from its weights
# (model/warm_start.py) and trains 10 minutes from a third of the rate, side
# by side, one core each; then one SavedModel in which the second re-reads all
# but what the first is surest of (model/export.py, "Two networks"), calibrated
# and evaluated. Needs the git history (the base comes out of it).
BASE_MODEL_COMMIT := 73ee79c
BASE_MODEL := out/prod/base/model/default_model
PROD_TRAIN := --data_dir out/prod/data --epochs 100 --max_minutes 10 --anneal \
	--learning_rate 0.001 --rows_per_epoch 250000 --cpu_threads 1 --skip_evaluation
default-model: setup
	rm -rf out/prod model/default_model
	mkdir -p out/prod/base
	git archive $(BASE_MODEL_COMMIT) model/default_model | tar -x -C out/prod/base
	$(TIMENORM) generate --output_dir out/prod/data --num_examples 1200000 --seed 42 $(RUNNER)
	$(TIMENORM) train $(PROD_TRAIN) --model_dir out/prod/model --seed 42 \
		--warm_start_from $(BASE_MODEL) & first=$$!; \
	$(TIMENORM) train $(PROD_TRAIN) --model_dir out/prod/recheck --seed 43 --encoder_units 48 \
		--warm_start_from $(BASE_MODEL) --warm_start_network recheck_network & \
	second=$$!; wait $$first; a=$$?; wait $$second; test $$a = 0 -a $$? = 0
	$(TIMENORM) export --model_dir out/prod/model --recheck_model_dir out/prod/recheck \
		--data_dir out/prod/data
	cp -r out/prod/model/saved_model model/default_model
	cp out/prod/model/train_summary.json model/default_model/assets.extra/
	cp out/prod/recheck/train_summary.json \
		model/default_model/assets.extra/train_summary_recheck.json
	$(MAKE) default-model-digests

# Record the shipped model's file digests (model/default_model.sha256), checked
# whenever it is loaded; rerun after replacing model/default_model by hand.
default-model-digests: setup
	$(PY) -m model.integrity --write

bench: setup
	$(PY) -m bench.bench_generate
	$(PY) -m bench.bench_infer

clean:
	rm -rf $(VENV) out build *.egg-info

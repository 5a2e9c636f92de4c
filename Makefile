# stars-mmaction: `make demo` runs the project on the embedded demo data,
# `make test` runs the test suite. Both create the environment when needed.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO_DIR ?= data/demo
DEMO_WORK ?= work_dirs/demo
PYTEST_ARGS ?=

.PHONY: install test demo bench clean

# constraints.txt pins torch==2.13.0 (the CPU wheel), so pip never resolves a
# CUDA build of torch, and the rest of the tested stack. setup.cfg requires no
# mmcv (a GPU user brings a compiled one): the [lite] extra adds mmcv-lite.
$(STAMP): setup.py setup.cfg pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -c constraints.txt torch==2.13.0
	$(PY) -m pip install -q -c constraints.txt -e '.[lite,tests]'
	touch $(STAMP)

install: $(STAMP)

# The benchmark smoke tests fork measurement processes; a fork taken after
# many other tests have started torch's thread pool can deadlock, so they run
# in a fresh pytest process of their own.
test: install
	$(PY) -m pytest $(PYTEST_ARGS) --ignore=tests/benchmarks
	$(PY) -m pytest $(PYTEST_ARGS) tests/benchmarks

# Regenerated when the generator changes.
$(DEMO_DIR)/demo_3d.pkl: tools/data/make_demo_dataset.py $(wildcard stars_mmaction/demo/*.py) | install
	$(PY) tools/data/make_demo_dataset.py --out-dir $(DEMO_DIR) --name demo_3d

# The project's story on the demo data, for 3 seeds: a randomly initialised
# encoder, stage 1 (MAMP) and stage 2 (STARS), their KNN accuracy as
# mean +- std and the stage-1 loss against its floor (tools/demo.py; writes
# $(DEMO_WORK)/summary.{json,md,png}). Seeds run concurrently, one torch
# thread each.
DEMO_SEEDS ?= 0 1 2
demo: install $(DEMO_DIR)/demo_3d.pkl
	$(PY) tools/demo.py --work-dir $(DEMO_WORK) --seeds $(DEMO_SEEDS)
	$(PY) tools/analysis/plot_curves.py $(DEMO_WORK)/seed$(firstword $(DEMO_SEEDS))/mamp \
		$(DEMO_WORK)/seed$(firstword $(DEMO_SEEDS))/stars --names stage-1 stage-2 \
		--out-dir $(DEMO_WORK)/curves

# Speed and memory figures (JSON lines, appended to benchmarks/results.jsonl);
# `make bench BENCH_ARGS=--quick` for a smoke run.
BENCH_ARGS ?=
bench: install
	$(PY) benchmarks/run_all.py $(BENCH_ARGS)

clean:
	rm -rf $(DEMO_WORK)

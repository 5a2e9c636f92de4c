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

$(DEMO_DIR)/demo_3d.pkl: | install
	$(PY) tools/data/make_demo_dataset.py --out-dir $(DEMO_DIR) --name demo_3d

# The project's main job on the demo data: MAMP pre-training (stage 1), STARS
# tuning (stage 2), then the KNN accuracy of both encoders.
demo: install $(DEMO_DIR)/demo_3d.pkl
	$(PY) tools/train.py configs/stars/mamp_1xb32-40e_demo-xsub-keypoint-3d.py \
		--work-dir $(DEMO_WORK)/mamp --seed 0
	$(PY) tools/train.py configs/stars/stars_1xb32-10e_demo-xsub-keypoint-3d.py \
		--work-dir $(DEMO_WORK)/stars --seed 0 \
		--cfg-options model.backbone.init_cfg.checkpoint=$(DEMO_WORK)/mamp/epoch_40.pth
	$(PY) tools/analysis/knn_table.py configs/stars/eval/knn_demo-xsub-keypoint-3d.py \
		--checkpoints $(DEMO_WORK)/mamp/epoch_40.pth $(DEMO_WORK)/stars/epoch_10.pth \
		--names stage-1 stage-2 --ks 1 10 --work-dir $(DEMO_WORK)/knn

# Speed and memory figures (JSON lines, appended to benchmarks/results.jsonl);
# `make bench BENCH_ARGS=--quick` for a smoke run.
BENCH_ARGS ?=
bench: install
	$(PY) benchmarks/run_all.py $(BENCH_ARGS)

clean:
	rm -rf $(DEMO_WORK)

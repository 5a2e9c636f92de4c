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
# CUDA build of torch.
$(STAMP): setup.cfg pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -c constraints.txt torch==2.13.0
	$(PY) -m pip install -q -c constraints.txt -e '.[tests]'
	touch $(STAMP)

install: $(STAMP)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

$(DEMO_DIR)/demo_3d.pkl: | install
	$(PY) tools/data/make_demo_dataset.py --out-dir $(DEMO_DIR) --name demo_3d

demo: install $(DEMO_DIR)/demo_3d.pkl
	$(PY) tools/train.py configs/stars/mamp_1xb32-40e_demo-xsub-keypoint-3d.py \
		--work-dir $(DEMO_WORK)/mamp --seed 0

clean:
	rm -rf $(DEMO_WORK)

"""Make the benchmark scripts (``benchmarks/*.py``) importable."""
import os.path as osp
import sys

BENCHMARKS = osp.join(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))), 'benchmarks')
if BENCHMARKS not in sys.path:
    sys.path.insert(0, BENCHMARKS)

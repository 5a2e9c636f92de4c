#!/usr/bin/env bash
# GPU check (benchmarks/README.md, "GPU check"): training rates and memory in
# fp32 and bf16, SDPA's backend, one-process NCCL DDP with SyncBN,
# torch.compile, and loader rate against model rate, about 8 minutes on one
# GPU. --quick runs the same code on CPU at tiny sizes.
# Usage: bash benchmarks/gpu_check.sh [--quick] [--results [PATH]] [...]
#   (python benchmarks/gpu_check.py --help lists every option)
set -e
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
REPO_ROOT=$(dirname "$BENCH_DIR")
# shellcheck source=../tools/dist_env.sh
source "$REPO_ROOT/tools/dist_env.sh"
PYTHON=$(find_python "$REPO_ROOT")
# The GPU does the model's work; one CPU thread for this process (and each
# loader worker) unless the caller says otherwise.
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
export MKL_NUM_THREADS=${MKL_NUM_THREADS:-1}
PYTHONPATH="$REPO_ROOT:$BENCH_DIR:$PYTHONPATH" \
    exec "$PYTHON" "$BENCH_DIR/gpu_check.py" --threads "$OMP_NUM_THREADS" "$@"

#!/usr/bin/env bash
# Launch tools/train.py on N processes with torch.distributed (torchrun).
# NCCL is used on GPUs and gloo on CPU. Multi-node: set NNODES, NODE_RANK,
# MASTER_ADDR and PORT on every node.
# Usage: bash tools/dist_train.sh CONFIG NUM_PROCS [train.py args...]
CONFIG=$1
GPUS=$2
NNODES=${NNODES:-1}
NODE_RANK=${NODE_RANK:-0}
MASTER_ADDR=${MASTER_ADDR:-"127.0.0.1"}
# PYTHON: the interpreter (default: the active venv's, else .venv/bin/python,
# else python: the first that has stars_mmaction). PORT: the rendezvous port
# (default: a free one on a single node).
source "$(dirname "$0")/dist_env.sh"
PYTHON=$(find_python "$(cd "$(dirname "$0")/.." && pwd)") || exit 1
PORT=$(find_port "$PYTHON" "$NNODES") || exit 1
set -x

# Arguments from the third one on are passed to train.py.
PYTHONPATH="$(dirname "$0")/..":$PYTHONPATH \
"$PYTHON" -m torch.distributed.run --nnodes="$NNODES" --node_rank="$NODE_RANK" \
    --master_addr="$MASTER_ADDR" --nproc_per_node="$GPUS" --master_port="$PORT" \
    "$(dirname "$0")"/train.py "$CONFIG" --launcher pytorch "${@:3}"

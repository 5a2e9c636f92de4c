#!/usr/bin/env bash
# Launch tools/test.py on N processes with torch.distributed (torchrun).
# Usage: bash tools/dist_test.sh CONFIG CHECKPOINT NUM_PROCS [test.py args...]
# (mmaction2's script drops PYTHONPATH: a comment after its line continuation
# ends the command early. Here the assignment prefixes the command itself.)
CONFIG=$1
CHECKPOINT=$2
GPUS=$3
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

# Arguments from the fourth one on are passed to test.py.
PYTHONPATH="$(dirname "$0")/..":$PYTHONPATH \
"$PYTHON" -m torch.distributed.run --nnodes="$NNODES" --node_rank="$NODE_RANK" \
    --master_addr="$MASTER_ADDR" --nproc_per_node="$GPUS" --master_port="$PORT" \
    "$(dirname "$0")"/test.py "$CONFIG" "$CHECKPOINT" --launcher pytorch "${@:4}"

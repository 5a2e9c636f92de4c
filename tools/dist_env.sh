#!/usr/bin/env bash
# Shared by dist_train.sh and dist_test.sh (sourced): the interpreter and the
# rendezvous port of a torchrun launch.

# The interpreter that has the project: $PYTHON when set, else the first of
# the active virtual environment's python ($VIRTUAL_ENV), the checkout's
# .venv/bin/python, python, python3 that finds torch, mmaction and
# stars_mmaction (REPO_ROOT is on PYTHONPATH, as in the launch).
# Usage: find_python REPO_ROOT
FIND_SPECS="import importlib.util as u, sys
sys.exit(not all(u.find_spec(m) for m in ('torch', 'mmaction', 'stars_mmaction')))"
find_python() {
    if [ -n "$PYTHON" ]; then
        echo "$PYTHON"
        return 0
    fi
    local candidate tried=""
    for candidate in ${VIRTUAL_ENV:+"$VIRTUAL_ENV/bin/python"} \
            "$1/.venv/bin/python" python python3; do
        tried="$tried $candidate"
        if command -v "$candidate" >/dev/null 2>&1 && PYTHONPATH="$1:$PYTHONPATH" \
                "$candidate" -c "$FIND_SPECS" 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    echo "error: no python with torch, mmaction and stars_mmaction found (tried:$tried);" \
        "activate the project's environment or set PYTHON=/path/to/python" >&2
    return 1
}

# $PORT when set, else (single node) a port the OS reports free; several
# nodes must agree on node 0's port, so they need PORT.
# Usage: find_port PYTHON NNODES
find_port() {
    if [ -n "$PORT" ]; then
        echo "$PORT"
    elif [ "$2" -gt 1 ]; then
        echo "error: NNODES=$2: set PORT to the same free port of node 0" \
            "on every node" >&2
        return 1
    else
        "$1" -c "import socket; s = socket.socket(); s.bind(('', 0)); print(s.getsockname()[1])"
    fi
}

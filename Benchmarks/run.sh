#!/usr/bin/env bash
# `make bench`: runs melcnn's benchmarks and the Python peers side by side and prints ratios.
# Areas: audio dsp features nn prepare train (BENCH_AREAS="dsp nn" to pick some; BENCH_AREAS=map
# runs the t-SNE/k-means area, not in the default list).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv-bench
if [ ! -x "$VENV/bin/python" ]; then
    echo "creating $VENV with the pinned peers (first run only)..." >&2
    python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install -q -r Benchmarks/requirements.txt >&2
export MELCNN_BIN="$PWD/.build/release/melcnn"
export PEER_PYTHON="$PWD/$VENV/bin/python"
mkdir -p bench-output
for area in ${BENCH_AREAS:-audio dsp features nn prepare train}; do
    if [ -f "Benchmarks/$area/run.sh" ]; then
        echo
        echo "=== $area ==="
        bash "Benchmarks/$area/run.sh"
    fi
done

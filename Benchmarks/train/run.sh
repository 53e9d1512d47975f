#!/usr/bin/env bash
# `train` benchmark area: the demo config trained by melcnn and by PyTorch (same architecture,
# optimiser, LR schedule, patch sampling) on the same dataset.h5; test-split track accuracy
# and training time, one thread each.
# Env: MELCNN_BIN (release melcnn), MELCNN_BENCH (release melcnn-bench), PEER_PYTHON (python with torch + h5py).
# Output: bench-output/train-*.jsonl and the report table.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${MELCNN_BIN:=.build/release/melcnn}"
: "${MELCNN_BENCH:=.build/release/melcnn-bench}"
: "${PEER_PYTHON:=python3}"
OUT=bench-output/train
CONFIG=${TRAIN_BENCH_CONFIG:-Configs/demo.yaml}
mkdir -p "$OUT"
if [ ! -f "$OUT/data.h5" ]; then
    echo "train: synthesising 10 genres x 100 clips of 4 s and preparing them" >&2
    "$MELCNN_BIN" synth "$OUT/audio" --genres 10 --per-genre 100 --seconds 4 >&2
    "$MELCNN_BIN" prepare "$OUT/audio" --out "$OUT/data.h5" --config "$CONFIG" >&2
fi
ours=bench-output/train-melcnn.jsonl
peer=bench-output/train-torch.jsonl
echo "train: melcnn ($CONFIG, 1 thread)" >&2
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 \
    "$MELCNN_BENCH" train --config "$CONFIG" --data "$OUT/data.h5" --run-dir "$OUT/run" --threads 1 > "$ours"
echo "train: PyTorch (same config, 1 thread)" >&2
OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 \
    "$PEER_PYTHON" Benchmarks/train/peer.py --data "$OUT/data.h5" --config "$OUT/run/config.yaml" --threads 1 > "$peer"
"$PEER_PYTHON" Benchmarks/report.py "$ours" "$peer" --peer-name torch

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
# Tagging (TRAIN_TAGS=1; issue 14's target: test macro ROC-AUC >= 0.95 and within 0.01 of the
# peer): the demo network as a tag model on `synth --tags` (1000 clips of 10 s), melcnn and
# Benchmarks/train/tag_peer.py (BCE with logits, same sampling; PEER_PYTHON also needs
# scikit-learn). TAG_EPOCHS overrides the config's epochs.
if [ -n "${TRAIN_TAGS:-}" ]; then
    if [ ! -f "$OUT/tags.h5" ]; then
        "$MELCNN_BIN" synth "$OUT/tagged" --tags --clips 1000 --seconds 10 >&2
        "$MELCNN_BIN" prepare "$OUT/tagged" --manifest "$OUT/tagged/tags.csv" --out "$OUT/tags.h5" --config "$CONFIG" \
            --split 0.7,0.15,0.15 >&2
    fi
    epochs=()
    if [ -n "${TAG_EPOCHS:-}" ]; then epochs=(--epochs "$TAG_EPOCHS"); fi
    start=$(date +%s.%N)
    "$MELCNN_BIN" train --config "$CONFIG" --data "$OUT/tags.h5" --run-dir "$OUT/tags-run" --overwrite --threads 1 "${epochs[@]}" >&2
    seconds=$(echo "$(date +%s.%N) - $start" | bc)
    auc=$("$MELCNN_BIN" eval --checkpoint "$OUT/tags-run/best.h5" --data "$OUT/tags.h5" --json 2>/dev/null \
          | "$PEER_PYTHON" -c 'import json, sys; print(json.load(sys.stdin)["macro_roc_auc"])')
    echo "{\"name\": \"train_tags_fit\", \"ms\": $(echo "$seconds * 1000" | bc), \"test_macro_roc_auc\": $auc}" | tee bench-output/train-tags-melcnn.jsonl
    OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 "$PEER_PYTHON" Benchmarks/train/tag_peer.py --data "$OUT/tags.h5" \
        --config "$OUT/tags-run/config.yaml" --threads 1 | tee bench-output/train-tags-torch.jsonl
fi

#!/usr/bin/env bash
# Tagging check (not in the default `make bench` areas): the demo network trained as a tag
# model by melcnn and by PyTorch (Benchmarks/train/tag_peer.py: same architecture, optimiser,
# schedule, patch sampling, BCE with logits) on the same synthetic multi-label set
# (`melcnn synth --tags`, 1000 clips of 10 s, split 0.7/0.15/0.15); prints both test macro
# ROC-AUCs and training times. Target (issue 14): >= 0.95, and within 0.01 of the peer.
# Env: MELCNN_BIN (release melcnn), PEER_PYTHON (python with torch, h5py, scikit-learn),
#      TAG_EPOCHS (default: the config's), THREADS (default 2).
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${MELCNN_BIN:=.build/release/melcnn}"
: "${PEER_PYTHON:=python3}"
: "${THREADS:=2}"
OUT=bench-output/tags
CONFIG=${TRAIN_BENCH_CONFIG:-Configs/demo.yaml}
mkdir -p "$OUT"
if [ ! -f "$OUT/tags.h5" ]; then
    "$MELCNN_BIN" synth "$OUT/audio" --tags --clips 1000 --seconds 10 >&2
    "$MELCNN_BIN" prepare "$OUT/audio" --manifest "$OUT/audio/tags.csv" --out "$OUT/tags.h5" --config "$CONFIG" \
        --split 0.7,0.15,0.15 >&2
fi
epochs=()
if [ -n "${TAG_EPOCHS:-}" ]; then epochs=(--epochs "$TAG_EPOCHS"); fi
start=$(date +%s.%N)
"$MELCNN_BIN" train --config "$CONFIG" --data "$OUT/tags.h5" --run-dir "$OUT/run" --overwrite --threads "$THREADS" "${epochs[@]}" >&2
end=$(date +%s.%N)
auc=$("$MELCNN_BIN" eval --checkpoint "$OUT/run/best.h5" --data "$OUT/tags.h5" --json 2>/dev/null \
      | "$PEER_PYTHON" -c 'import json, sys; print(json.load(sys.stdin)["macro_roc_auc"])')
echo "{\"name\": \"train_tags_fit\", \"tool\": \"melcnn\", \"s\": $(echo "$end - $start" | bc), \"test_macro_roc_auc\": $auc}"
(cd Benchmarks/train && "$PEER_PYTHON" tag_peer.py --data "../../$OUT/tags.h5" --config "../../$OUT/run/config.yaml" --threads "$THREADS")

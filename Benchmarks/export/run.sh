#!/usr/bin/env bash
# Benchmark area `export`: not a timing but a check that `melcnn export` files load elsewhere.
# Synthesises a small set (3 genres x 12 clips of 4 s), prepares it with Configs/demo.yaml,
# trains a few epochs and runs Benchmarks/export/check_export.py: safetensors bit for bit and into
# PyTorch with strict=True, ONNX checked and run by onnxruntime against `melcnn predict` (1e-5).
# Then the same for a factor model (cold start: synthetic listeners -> factors -> prepare --targets).
# Needs MELCNN_BIN and PEER_PYTHON (set by Benchmarks/run.sh); installs the checkers'
# pins (Benchmarks/export/requirements.txt) into PEER_PYTHON's environment. Outputs in bench-output/export/.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${MELCNN_BIN:=.build/release/melcnn}"
: "${PEER_PYTHON:=.venv-bench/bin/python}"
OUT=bench-output/export
CONFIG=${EXPORT_BENCH_CONFIG:-Configs/demo.yaml}
mkdir -p "$OUT"
"$PEER_PYTHON" -m pip install -q -r Benchmarks/export/requirements.txt >&2
if [ ! -f "$OUT/data.h5" ]; then
    rm -rf "$OUT/audio"
    "$MELCNN_BIN" synth "$OUT/audio" --genres 3 --per-genre 12 --seconds 4 >&2
    "$MELCNN_BIN" prepare "$OUT/audio" --out "$OUT/data.h5" --config "$CONFIG" >&2
fi
rm -rf "$OUT/run"
"$MELCNN_BIN" train --config "$CONFIG" --data "$OUT/data.h5" --run-dir "$OUT/run" --epochs 3 >&2
"$PEER_PYTHON" Benchmarks/export/check_export.py --melcnn "$MELCNN_BIN" --checkpoint "$OUT/run/best.h5" \
    --data "$OUT/data.h5" --audio-root "$OUT/audio" --work "$OUT/check"

if [ ! -f "$OUT/factor-data.h5" ]; then
    rm -rf "$OUT/factor-audio"
    "$MELCNN_BIN" synth "$OUT/factor-audio" --genres 3 --per-genre 12 --seconds 4 --listeners 200 --plays-out "$OUT/plays.csv" >&2
    "$MELCNN_BIN" factors --plays "$OUT/plays.csv" --out "$OUT/factors.h5" --factors 8 >&2
    "$MELCNN_BIN" prepare "$OUT/factor-audio" --targets "$OUT/factors.h5" --out "$OUT/factor-data.h5" --config "$CONFIG" >&2
fi
rm -rf "$OUT/factor-run"
"$MELCNN_BIN" train --config "$CONFIG" --data "$OUT/factor-data.h5" --run-dir "$OUT/factor-run" --epochs 3 >&2
"$PEER_PYTHON" Benchmarks/export/check_export.py --melcnn "$MELCNN_BIN" --checkpoint "$OUT/factor-run/best.h5" \
    --data "$OUT/factor-data.h5" --audio-root "$OUT/factor-audio" --work "$OUT/factor-check"

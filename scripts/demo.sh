#!/usr/bin/env bash
# `make demo`: the pipeline end to end on a synthetic data set (grows as the issues land).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.build/release/melcnn
OUT=demo-output
rm -rf "$OUT"; mkdir -p "$OUT"
echo "demo: melcnn $($BIN --version)"

# Audio input + info (foundation issue): write a short test WAV and describe it.
$BIN bench audio --write-sample "$OUT/sample.wav"
$BIN info "$OUT/sample.wav"
echo "demo: decoding and describing audio works; synthetic data, features, training and evaluation land with later issues."

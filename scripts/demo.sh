#!/usr/bin/env bash
# `make demo`: the pipeline end to end on a synthetic data set (grows as the issues land).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.build/release/melcnn
OUT=demo-output
rm -rf "$OUT"; mkdir -p "$OUT"
echo "demo: melcnn $($BIN --version)"

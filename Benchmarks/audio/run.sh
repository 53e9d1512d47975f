#!/usr/bin/env bash
# Benchmark area `audio`: melcnn's AudioFile.load vs librosa.load (decode 30 s files, downmix,
# soxr_hq resampling 44100 -> 22050), one thread each. Needs MELCNN_BIN, MELCNN_BENCH and PEER_PYTHON
# (set by Benchmarks/run.sh). Outputs in bench-output/audio/.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=bench-output/audio
RUNS=${BENCH_RUNS:-9}
mkdir -p "$OUT"
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
"$MELCNN_BENCH" audio --dir "$OUT" --runs "$RUNS" > "$OUT/melcnn.jsonl"
"$PEER_PYTHON" Benchmarks/audio/peer.py --dir "$OUT" --runs "$RUNS" > "$OUT/librosa.jsonl"
"$PEER_PYTHON" Benchmarks/report.py "$OUT/melcnn.jsonl" "$OUT/librosa.jsonl" --peer-name librosa

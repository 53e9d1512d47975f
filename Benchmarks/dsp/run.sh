#!/usr/bin/env bash
# dsp area: melcnn vs librosa on the same 30 s 22050 Hz clip, one thread each, median of 21 runs.
# Needs MELCNN_BENCH (release melcnn-bench) and PEER_PYTHON (python with librosa 0.11), as Benchmarks/run.sh sets.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=bench-output/dsp
mkdir -p "$out"
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 NUMBA_NUM_THREADS=1
# Same glibc allocator settings for both processes: keep freed large blocks for reuse
# instead of fresh mmap pages per call (otherwise a 10 MB STFT result costs ~6 ms of page
# faults in either language, depending on glibc's dynamic threshold: bimodal timings).
export MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=2147483647
[ -f "$out/clip.wav" ] || "$PEER_PYTHON" Benchmarks/dsp/peer.py --write-clip "$out/clip.wav"
"$MELCNN_BENCH" dsp --clip "$out/clip.wav" > "$out/melcnn.jsonl"
"$PEER_PYTHON" Benchmarks/dsp/peer.py --clip "$out/clip.wav" > "$out/librosa.jsonl"
"$PEER_PYTHON" Benchmarks/report.py "$out/melcnn.jsonl" "$out/librosa.jsonl" --peer-name librosa

#!/usr/bin/env bash
# Benchmark area `features`: melcnn's feature catalogue vs librosa 0.11 on a 30 s clip (the
# synthetic song of Tests/Fixtures/features_gtzan30.h5, written as a 16-bit WAV), one thread each.
# Needs MELCNN_BIN and PEER_PYTHON (set by Benchmarks/run.sh). Outputs in bench-output/features/.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=bench-output/features
RUNS=${BENCH_RUNS:-5}
mkdir -p "$OUT"
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 NUMBA_NUM_THREADS=1
CLIP="$OUT/clip30.wav"
if [ ! -f "$CLIP" ]; then
    "$PEER_PYTHON" -c "import h5py, soundfile; soundfile.write('$CLIP', h5py.File('Tests/Fixtures/features_gtzan30.h5')['audio'][:], 22050, subtype='PCM_16')"
fi
"$MELCNN_BIN" bench features --clip "$CLIP" --runs "$RUNS" > "$OUT/melcnn.jsonl"
"$PEER_PYTHON" Benchmarks/features/peer.py --clip "$CLIP" --runs "$RUNS" > "$OUT/librosa.jsonl"
"$PEER_PYTHON" Benchmarks/report.py "$OUT/melcnn.jsonl" "$OUT/librosa.jsonl" --peer-name librosa

#!/usr/bin/env bash
# Benchmark area `features`: melcnn's feature catalogue vs librosa 0.11 on a 30 s clip (the
# synthetic song of Tests/Fixtures/features_gtzan30.h5, written as a 16-bit WAV), one thread each.
# Needs MELCNN_BIN, MELCNN_BENCH and PEER_PYTHON (set by Benchmarks/run.sh). Outputs in bench-output/features/.
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
"$MELCNN_BENCH" features --clip "$CLIP" --runs "$RUNS" > "$OUT/melcnn.jsonl"
"$PEER_PYTHON" Benchmarks/features/peer.py --clip "$CLIP" --runs "$RUNS" > "$OUT/librosa.jsonl"
"$PEER_PYTHON" Benchmarks/report.py "$OUT/melcnn.jsonl" "$OUT/librosa.jsonl" --peer-name librosa
# The same table on each side's median thread CPU time (robust when other work shares the cores).
"$PEER_PYTHON" - "$OUT/melcnn.jsonl" "$OUT/librosa.jsonl" <<'PY'
import json, sys
load = lambda p: {r["name"]: r for r in map(json.loads, filter(str.strip, open(p)))}
ours, peer = load(sys.argv[1]), load(sys.argv[2])
print(f"\n{'benchmark (thread CPU time)':<34} {'melcnn ms':>11} {'librosa ms':>12} {'ratio':>7}")
for name, row in ours.items():
    if name in peer and row.get("cpu_ms"):
        print(f"{name:<34} {row['cpu_ms']:>11.2f} {peer[name]['cpu_ms']:>12.2f} {peer[name]['cpu_ms'] / row['cpu_ms']:>6.2f}x")
PY

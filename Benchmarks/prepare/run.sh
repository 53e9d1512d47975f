#!/usr/bin/env bash
# Benchmark area `prepare`: `melcnn prepare` on 200 synthetic 30 s clips with 2 jobs vs the
# same work in librosa (load + melspectrogram + power_to_db per file, 2 processes).
# A 50-clip run beside the 200-clip run shows that peak memory does not grow with the
# number of clips; `_gzip0` is the same run with /mels stored uncompressed (--compression 0).
# Three rounds alternate the two sides over the same clips and each side's fastest run is
# reported, so that a busy moment on a shared machine does not decide the ratio.
# Needs MELCNN_BIN, MELCNN_BENCH and PEER_PYTHON (set by Benchmarks/run.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=bench-output/prepare
mkdir -p "$OUT"
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
for n in 5 20; do   # clips per genre (10 genres)
    if [ ! -d "$OUT/audio$((n * 10))" ]; then
        "$MELCNN_BIN" synth "$OUT/audio$((n * 10))" --per-genre "$n" --seconds 30 --seed 1 --jobs 2 >&2
    fi
done
: > "$OUT/melcnn-runs.jsonl"
: > "$OUT/librosa-runs.jsonl"
for round in 1 2 3; do  # alternate the two sides so that both meet the same machine load
    for clips in 50 200; do
        name="prepare_${clips}x30s_2jobs"
        "$MELCNN_BENCH" prepare --dir "$OUT/audio$clips" --jobs 2 --repeat 1 --name "$name" \
            --out "$OUT/bench.h5" >> "$OUT/melcnn-runs.jsonl"
        names="$name"
        if [ "$clips" = 200 ]; then
            "$MELCNN_BENCH" prepare --dir "$OUT/audio$clips" --jobs 2 --repeat 1 --compression 0 \
                --name "${name}_gzip0" --out "$OUT/bench.h5" >> "$OUT/melcnn-runs.jsonl"
            names="$name,${name}_gzip0"
        fi
        "$PEER_PYTHON" Benchmarks/prepare/peer.py --dir "$OUT/audio$clips" --jobs 2 --repeat 1 --names "$names" \
            >> "$OUT/librosa-runs.jsonl"
    done
done
# The fastest run of each benchmark on each side.
for side in melcnn librosa; do
    "$PEER_PYTHON" -c '
import json, sys
best = {}
for line in open(sys.argv[1]):
    if line.startswith("{"):
        row = json.loads(line)
        if row["name"] not in best or row["ms"] < best[row["name"]]["ms"]:
            best[row["name"]] = row
for row in best.values():
    print(json.dumps(row))
' "$OUT/$side-runs.jsonl" > "$OUT/$side.jsonl"
done
"$PEER_PYTHON" Benchmarks/report.py "$OUT/melcnn.jsonl" "$OUT/librosa.jsonl" --peer-name librosa

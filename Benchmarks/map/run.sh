#!/usr/bin/env bash
# Benchmark area `map`: `melcnn map` (Barnes-Hut t-SNE) and `melcnn cluster` vs scikit-learn's TSNE
# (Barnes-Hut, its default) and KMeans on the same 1000 embeddings (BENCH_MAP_POINTS to change),
# one thread each. Needs MELCNN_BIN and PEER_PYTHON (set by Benchmarks/run.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=bench-output/map
N=${BENCH_MAP_POINTS:-1000}
mkdir -p "$OUT"
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
"$PEER_PYTHON" Benchmarks/map/peer.py --dir "$OUT" --points "$N" > "$OUT/sklearn.jsonl"
ms() { local s e; s=$(date +%s%N); "$@" > "$OUT/last.txt"; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
T=$(ms "$MELCNN_BIN" map --embeddings "$OUT/embeddings-$N.h5" --out "$OUT/map-$N.html")
TRUST=$(grep -o 'trustworthiness(k=10) [0-9.]*' "$OUT/last.txt" | awk '{print $2}')
KL=$(grep -o 'KL divergence [0-9.]*' "$OUT/last.txt" | awk '{print $3}')
echo "{\"name\": \"tsne_$N\", \"ms\": $T, \"trustworthiness\": $TRUST, \"kl\": $KL}" > "$OUT/melcnn.jsonl"
T=$(ms "$MELCNN_BIN" cluster --embeddings "$OUT/embeddings-$N.h5" --k 10 --out "$OUT/clusters-$N.csv")
INERTIA=$(grep -o 'inertia [0-9.e+]*' "$OUT/last.txt" | awk '{print $2}')
echo "{\"name\": \"kmeans_$N\", \"ms\": $T, \"inertia\": $INERTIA}" >> "$OUT/melcnn.jsonl"
echo "melcnn:";  cat "$OUT/melcnn.jsonl"
echo "sklearn:"; cat "$OUT/sklearn.jsonl"
"$PEER_PYTHON" Benchmarks/report.py "$OUT/melcnn.jsonl" "$OUT/sklearn.jsonl" --peer-name scikit-learn

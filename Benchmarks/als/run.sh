#!/usr/bin/env bash
# Benchmark area `als`: `melcnn factors` vs the Python `implicit` package (CPU ALS, conjugate
# gradient, 3 steps) on the same synthetic plays (`melcnn synth --listeners`, about 1 million
# user,track,count rows with BENCH_ALS_LISTENERS=40000), the same 80/20 split and the same
# hyper-parameters (64 factors, 15 iterations, lambda 0.01, alpha 40), 2 threads each
# (BENCH_ALS_THREADS). Prints the fit time (wall and CPU) of each, the ratio implicit / melcnn
# (>1: melcnn faster), and mAP@500 / AUC on the held-out plays of both factor sets, scored by the
# same code (`melcnn recommend --eval`). Needs MELCNN_BIN and PEER_PYTHON (Benchmarks/run.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=bench-output/als
LISTENERS=${BENCH_ALS_LISTENERS:-40000}
THREADS=${BENCH_ALS_THREADS:-2}
mkdir -p "$OUT"
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=$THREADS MKL_NUM_THREADS=1
"$MELCNN_BIN" synth "$OUT/synth" --genres 10 --per-genre 1000 --listeners "$LISTENERS" \
    --tracks-per-listener 5-45 --seed 1 --no-audio > /dev/null
S=$(date +%s%N)
"$MELCNN_BIN" factors --plays "$OUT/synth/plays.csv" --out "$OUT/melcnn.h5" --holdout 0.2 --k 500 \
    --threads "$THREADS" --json > "$OUT/melcnn.json"
E=$(date +%s%N)
echo "{\"command_ms\": $(( (E - S) / 1000000 ))}" > "$OUT/melcnn-command.json"
"$PEER_PYTHON" Benchmarks/als/peer.py --factors-file "$OUT/melcnn.h5" --out "$OUT/implicit.h5" \
    --threads "$THREADS" > "$OUT/implicit.json"
"$MELCNN_BIN" recommend --eval --factors "$OUT/implicit.h5" --k 500 --threads "$THREADS" --json > "$OUT/implicit-eval.json"
"$PEER_PYTHON" - "$OUT" <<'PY'
import json, sys
out = sys.argv[1]
m = json.load(open(f"{out}/melcnn.json"))
cmd = json.load(open(f"{out}/melcnn-command.json"))
p = json.loads(open(f"{out}/implicit.json").read().strip().splitlines()[-1])
pe = json.load(open(f"{out}/implicit-eval.json"))
ours = {r["model"]: r for r in m["evaluation"]}
theirs = {r["model"]: r for r in pe["evaluation"]}
print(f"plays: {m['rows']} rows, {m['users']} users x {m['tracks']} tracks; trained on {m['train_plays']}, "
      f"held out {m['heldout_plays']}; {m['threads']} threads")
print(f"{'fit (15 iterations, 64 factors)':<34} {'melcnn':>9} {'implicit':>9} {'ratio':>7}")
print(f"{'  wall s':<34} {m['fit_seconds']:>9.2f} {p['ms'] / 1000:>9.2f} {p['ms'] / 1000 / m['fit_seconds']:>6.2f}x")
print(f"{'  CPU s (all threads)':<34} {m['fit_cpu_seconds']:>9.2f} {p['cpu_ms'] / 1000:>9.2f} "
      f"{p['cpu_ms'] / 1000 / m['fit_cpu_seconds']:>6.2f}x")
print(f"melcnn factors command, read + fit + write + evaluation: {cmd['command_ms'] / 1000:.1f} s "
      f"(read {m['read_seconds']:.2f} s, fit {m['fit_seconds']:.2f} s)")
print(f"{'held-out metric':<34} {'melcnn':>9} {'implicit':>9} {'diff %':>7}")
for key, label in (("map", "mAP@500"), ("auc", "AUC")):
    a, b = ours["als"][key], theirs["als"][key]
    print(f"{'  ' + label:<34} {a:>9.4f} {b:>9.4f} {100 * (a - b) / b:>+6.2f}%")
for name in ("popularity", "random"):
    print(f"{'  ' + name + ' mAP@500 / AUC':<34} {ours[name]['map']:>9.4f} {ours[name]['auc']:>9.4f}")
PY

#!/usr/bin/env bash
# Long run of the damaged-file fuzz test (not CI): `scripts/fuzz-hdf5.sh N [SEED]` writes a
# tiny data set and checkpoint with melcnn, makes N bit-flipped copies (half data set, half
# checkpoint; 1-4 bits, half of them in the first 8 KiB), runs the readers on each copy
# (info + train on a data set; info + predict + eval on a checkpoint) with a 30 s timeout,
# and prints counts: files, runs, exit 0, exit 1 (one last line naming the file, earlier lines
# only the command's own "train: ..." progress), other failures, crashes
# (killed by a signal), hangs. Failing cases are kept in $OUT/keep for inspection.
set -uo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
SEED=${2:-1}
BIN=${MELCNN:-.build/release/melcnn}
# The melcnn that writes the undamaged files (another build, e.g. an older version's format).
MAKER=${MAKER:-$BIN}
OUT=${OUT:-$(mktemp -d /tmp/melcnn-fuzz.XXXXXX)}
mkdir -p "$OUT/keep"
CONFIG="$OUT/tiny.yaml"
cat > "$CONFIG" <<'YAML'
data: {sample_rate: 22050, n_fft: 512, hop_length: 512, n_mels: 16, patch_frames: 16, prefetch: 1}
model: {conv: [{channels: 4, kernel: 3, pool: 2}], dense: [8]}
train: {epochs: 1, batch_size: 4, steps_per_epoch: 1, seed: 1, threads: 1}
eval: {patch_hop: 16, batch_size: 8}
YAML
"$MAKER" synth "$OUT/audio" --genres 2 --per-genre 4 --seconds 1 --jobs 1 >/dev/null 2>&1 || { echo "synth failed"; exit 2; }
"$MAKER" prepare "$OUT/audio" --out "$OUT/data.h5" --config "$CONFIG" --split 0.5,0.25,0.25 >/dev/null 2>&1 || { echo "prepare failed"; exit 2; }
"$MAKER" train --config "$CONFIG" --data "$OUT/data.h5" --run-dir "$OUT/run" --threads 1 >/dev/null 2>&1 || { echo "train failed"; exit 2; }
WAV=$(find "$OUT/audio" -name '*.wav' | sort | head -1)

runs=0; ok=0; user=0; other=0; crashes=0; hangs=0
# One reader on one damaged file: classifies the exit and keeps the file when it is bad.
check() {
    local file=$1; shift
    local err="$OUT/stderr"
    timeout -s KILL 30 "$BIN" "$@" >/dev/null 2>"$err"
    local rc=$?
    runs=$((runs + 1))
    if [ $rc -eq 0 ]; then ok=$((ok + 1))
    elif [ $rc -eq 1 ] && tail -1 "$err" | grep -qF "$file" && ! grep -q HDF5-DIAG "$err" \
         && [ "$(head -n -1 "$err" | grep -cv "^$1: ")" -eq 0 ]; then
        user=$((user + 1))
    elif [ $rc -eq 137 ]; then hangs=$((hangs + 1)); cp "$file" "$OUT/keep/hang-$runs.h5"; echo "hang: $* (kept hang-$runs.h5)"
    elif [ $rc -gt 128 ]; then crashes=$((crashes + 1)); cp "$file" "$OUT/keep/crash-$runs.h5"; echo "crash rc $rc: $* (kept crash-$runs.h5)"
    else other=$((other + 1)); cp "$file" "$OUT/keep/other-$runs.h5"; echo "rc $rc: $*: $(head -c 300 "$err")"
    fi
}

for i in $(seq 1 "$N"); do
    if [ $((i % 2)) -eq 1 ]; then src="$OUT/data.h5"; else src="$OUT/run/last.h5"; fi
    python3 - "$src" "$OUT/damaged.h5" $((SEED * 1000003 + i)) <<'PY'
import random, sys
src, dst, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
rng = random.Random(seed)
data = bytearray(open(src, "rb").read())
span = min(len(data), 8192) if rng.random() < 0.5 else len(data)
for _ in range(rng.randint(1, 4)):
    data[rng.randrange(span)] ^= 1 << rng.randrange(8)
open(dst, "wb").write(data)
PY
    f="$OUT/damaged.h5"
    check "$f" info "$f"
    if [ "$src" = "$OUT/data.h5" ]; then
        rm -rf "$OUT/r"; check "$f" train --config "$CONFIG" --data "$f" --run-dir "$OUT/r" --threads 1
    else
        check "$f" predict --checkpoint "$f" --threads 1 "$WAV"
        check "$f" eval --checkpoint "$f" --data "$OUT/data.h5" --threads 1
    fi
done
echo "files $N  runs $runs  exit0 $ok  exit1 $user  other $other  crashes $crashes  hangs $hangs  (kept in $OUT/keep)"
[ $((other + crashes + hangs)) -eq 0 ]

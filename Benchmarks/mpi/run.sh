#!/usr/bin/env bash
# Benchmark area `mpi`: training throughput of the Spotify network (Configs/spotify.yaml, 8.3 M
# parameters, global batch 32) as 1 process x 2 threads against `mpirun -np 2` x 1 thread, with
# the gradient sums overlapping the backward pass (default) and after it (--no-mpi-overlap), and
# the time the sums take after the pass (docs/distributed.md). Target: 2 ranks >= 90% of 1 x 2.
# Three rounds alternate the two sides; each side's best epoch throughput is reported, so that
# a busy moment on a shared machine does not decide the ratio.
# Needs MELCNN_BIN (set by Benchmarks/run.sh) and Open MPI's mpirun (scripts/install-deps.sh).
# Env: MPI_BENCH_STEPS (training steps per run, default 12), MPI_BENCH_ROUNDS (default 3),
# MPIRUN_OPTIONS (extra mpirun options; in a container that forbids ptrace, Open MPI's shared-memory
# single copy fails: MPIRUN_OPTIONS="--mca btl_vader_single_copy_mechanism none").
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${MELCNN_BIN:=.build/release/melcnn}"
if ! command -v mpirun >/dev/null; then
    echo "mpi: mpirun not found (install openmpi-bin: bash scripts/install-deps.sh); skipped" >&2
    exit 0
fi
OUT=bench-output/mpi
CONFIG=Configs/spotify.yaml
STEPS=${MPI_BENCH_STEPS:-12}
MPIRUN_OPTIONS=${MPIRUN_OPTIONS:-}
ROUNDS=${MPI_BENCH_ROUNDS:-3}
mkdir -p "$OUT"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
if [ ! -f "$OUT/data.h5" ]; then
    echo "mpi: synthesising 4 genres x 6 clips of 20 s and preparing them with $CONFIG" >&2
    "$MELCNN_BIN" synth "$OUT/audio" --genres 4 --per-genre 6 --seconds 20 --jobs 2 >&2
    "$MELCNN_BIN" prepare "$OUT/audio" --out "$OUT/data.h5" --config "$CONFIG" --split 1,0,0 >&2
fi
# samples/s of the epoch line (training time only) and the allreduce line of one run's stderr.
samples() { sed -n 's/.* \([0-9.]*\) samples\/s .*/\1/p' "$1" | tail -1; }
allreduce() { sed -n 's/.*MPI allreduce of the gradients: \([0-9.]*\) ms per step.*/\1/p' "$1" | tail -1; }
waiting() { sed -n 's/.* \([0-9.]*\) ms per step waiting for the slowest rank.*/\1/p' "$1" | tail -1; }
best1=0 best2=0 best3=0 reduce="" after="" wait=""
for round in $(seq "$ROUNDS"); do
    rm -rf "$OUT/run1" "$OUT/run2" "$OUT/run3"
    "$MELCNN_BIN" train --config "$CONFIG" --data "$OUT/data.h5" --run-dir "$OUT/run1" --epochs 1 \
        --steps-per-epoch "$STEPS" --threads 2 > /dev/null 2> "$OUT/one-process.txt"
    # Two ranks, gradient sums started during the backward pass (the default) ...
    mpirun -np 2 --oversubscribe $MPIRUN_OPTIONS "$MELCNN_BIN" train --config "$CONFIG" \
        --data "$OUT/data.h5" --run-dir "$OUT/run2" --epochs 1 --steps-per-epoch "$STEPS" --threads 1 \
        > /dev/null 2> "$OUT/two-ranks.txt"
    # ... and after it (--no-mpi-overlap: a barrier, then blocking allreduces).
    mpirun -np 2 --oversubscribe $MPIRUN_OPTIONS "$MELCNN_BIN" train --config "$CONFIG" \
        --data "$OUT/data.h5" --run-dir "$OUT/run3" --epochs 1 --steps-per-epoch "$STEPS" --threads 1 \
        --no-mpi-overlap > /dev/null 2> "$OUT/two-ranks-no-overlap.txt"
    s1=$(samples "$OUT/one-process.txt") s2=$(samples "$OUT/two-ranks.txt") s3=$(samples "$OUT/two-ranks-no-overlap.txt")
    a=$(allreduce "$OUT/two-ranks.txt") r=$(allreduce "$OUT/two-ranks-no-overlap.txt") w=$(waiting "$OUT/two-ranks-no-overlap.txt")
    echo "mpi: round $round: 1 process x 2 threads $s1 samples/s; 2 ranks x 1 thread $s2 samples/s" \
        "(sums after the backward pass $a ms/step); without overlap $s3 samples/s (allreduce $r ms/step," \
        "waiting for the slowest rank $w ms/step)" >&2
    best1=$(python3 -c "print(max($best1, $s1))")
    if python3 -c "import sys; sys.exit(0 if $s2 > $best2 else 1)"; then best2=$s2 after=$a; fi
    if python3 -c "import sys; sys.exit(0 if $s3 > $best3 else 1)"; then best3=$s3 reduce=$r wait=$w; fi
    ratios="${ratios:-}$(python3 -c "print(f'{$s2 / $s1:.3f}')") "
    ratios3="${ratios3:-}$(python3 -c "print(f'{$s3 / $s1:.3f}')") "
done
python3 - "$best1" "$best2" "$best3" "$after" "$reduce" "$wait" "$STEPS" "$ratios" "$ratios3" <<'PY'
import sys
one, two, three, after, reduce, wait, steps = map(float, sys.argv[1:8])
ratios, ratios3 = sys.argv[8].split(), sys.argv[9].split()
steps = int(steps)
step2, step3 = 32 / two * 1000, 32 / three * 1000
print(f"{'Spotify network, global batch 32, ' + str(steps) + ' steps':<56} {'samples/s':>10}")
print(f"{'1 process x 2 threads':<56} {one:>10.1f}")
print(f"{'2 MPI ranks x 1 thread (mpirun -np 2), overlap':<56} {two:>10.1f}")
print(f"{'ratio 2 ranks / 1 process (target >= 0.90)':<56} {two / one:>10.3f}  (per round: {' '.join(ratios)})")
print(f"{'gradient sums left after the backward pass, ms':<56} {after:>10.1f}  ({100 * after / step2:.1f}% of a {step2:.0f} ms step)")
print(f"{'2 MPI ranks x 1 thread, --no-mpi-overlap':<56} {three:>10.1f}  (ratio {three / one:.3f}; per round: {' '.join(ratios3)})")
print(f"{'  gradient allreduce per step (33.1 MB), ms':<56} {reduce:>10.1f}  ({100 * reduce / step3:.1f}% of a {step3:.0f} ms step)")
print(f"{'  waiting for the slowest rank per step, ms':<56} {wait:>10.1f}  ({100 * wait / step3:.1f}%)")
PY

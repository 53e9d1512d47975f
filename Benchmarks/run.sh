#!/usr/bin/env bash
# `make bench`: runs melcnn's benchmarks (.build/release/melcnn-bench AREA ...) and the Python
# peers side by side and prints ratios.
# Areas: audio dsp features nn prepare train export mpi als (BENCH_AREAS="dsp nn" to pick some;
# BENCH_AREAS=map runs the t-SNE/k-means area, not in the default list; als: ALS vs implicit).
#
# BENCH_CPU=avx2 emulates an AVX2 + FMA CPU without AVX-512 on an AVX-512 machine, for melcnn
# and the peers in the same run: MELCNN_CPU=avx2 (melcnn's kernels), ATEN_CPU_CAPABILITY=avx2
# (PyTorch's ATen kernels), ONEDNN_MAX_CPU_ISA=AVX2 (oneDNN's JIT kernels, PyTorch's convolutions),
# NPY_DISABLE_CPU_FEATURES = the AVX-512 features numpy dispatches to on this CPU (numpy, and so
# librosa), OPENBLAS_CORETYPE=Haswell (OpenBLAS, for melcnn and scipy/numpy). Clocks and caches
# stay those of this CPU: a real AVX2-only CPU can be faster or slower.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv-bench
if [ ! -x "$VENV/bin/python" ]; then
    echo "creating $VENV with the pinned peers (first run only)..." >&2
    python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install -q -r Benchmarks/requirements.txt >&2
export MELCNN_BIN="$PWD/.build/release/melcnn"
export MELCNN_BENCH="$PWD/.build/release/melcnn-bench"
export PEER_PYTHON="$PWD/$VENV/bin/python"
case "${BENCH_CPU:-native}" in
    native) ;;
    avx2)
        export MELCNN_CPU=avx2 ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2 OPENBLAS_CORETYPE=Haswell
        # numpy accepts only the targets it dispatches to (numpy 2.4 here: X86_V4, AVX512_ICL, ...).
        NPY_DISABLE_CPU_FEATURES="$("$PEER_PYTHON" -c '
from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__
print(" ".join(f for f in __cpu_dispatch__ if __cpu_features__.get(f) and (f.startswith("AVX512") or f == "X86_V4")))')"
        export NPY_DISABLE_CPU_FEATURES
        ;;
    *) echo "BENCH_CPU=$BENCH_CPU: expected native or avx2" >&2; exit 1 ;;
esac
echo "=== kernels (BENCH_CPU=${BENCH_CPU:-native}) ==="
"$MELCNN_BIN" info --cpu
# Which column of the README's speed table these figures belong to (the CPU's flags decide).
flags="$(grep -o -w 'avx512f\|avx2' /proc/cpuinfo 2>/dev/null | sort -u | paste -sd' ' -)"
case "${BENCH_CPU:-native}:$flags" in
    avx2:*avx512f*) column="AVX2 route on the AVX-512 CPU" ;;
    native:*avx512f*) column="AVX-512 CPU" ;;
    *:avx2) column="AVX2-only CPU" ;;
    *) column="none (this CPU has neither AVX2 nor AVX-512: the portable routes)" ;;
esac
echo "README column: $column (/proc/cpuinfo: ${flags:-no avx2/avx512f})"
for var in MELCNN_CPU ATEN_CPU_CAPABILITY ONEDNN_MAX_CPU_ISA NPY_DISABLE_CPU_FEATURES OPENBLAS_CORETYPE; do
    echo "$var=${!var-(unset)}"
done
"$PEER_PYTHON" - <<'PY'
import numpy as np
from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__
on = [f for f in __cpu_dispatch__ if __cpu_features__.get(f)]
print("numpy", np.__version__, "dispatch targets in use:", " ".join(on) or "baseline only")
try:
    import torch
    print("torch", torch.__version__, "ATen CPU capability:", torch.backends.cpu.get_cpu_capability())
except ImportError:
    print("torch: not installed")
PY
mkdir -p bench-output
for area in ${BENCH_AREAS:-audio dsp features nn prepare train export mpi als}; do
    if [ -f "Benchmarks/$area/run.sh" ]; then
        echo
        echo "=== $area ==="
        bash "Benchmarks/$area/run.sh"
    fi
done

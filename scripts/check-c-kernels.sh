#!/usr/bin/env bash
# Builds and runs the C kernel checks, Tests/CKernels/*_check.c, each with Sources/CCPU/*.c and
# its target's sources (the target from the file name: sgemm -> CSGEMM, stft -> CSTFT,
# deflate -> CPlaneDeflate, winograd -> CWinograd, median -> CMedian).
#   scripts/check-c-kernels.sh native    gcc -O2, run here (every CPU route this machine has)
#   scripts/check-c-kernels.sh aarch64   aarch64-linux-gnu-gcc -static, run under qemu-aarch64
#                                        (installs gcc-aarch64-linux-gnu and qemu-user if missing)
#   scripts/check-c-kernels.sh avx2      gcc -O2, run under `qemu-x86_64 -cpu Haswell-noTSX`: a CPU whose
#                                        CPUID has AVX2 + FMA and no AVX-512, so the run-time
#                                        dispatch itself picks the AVX2 and portable routes
#                                        (installs qemu-user if missing)
set -euo pipefail
mode="${1:-native}"
cd "$(dirname "$0")/.."

target_of() {
    case "$1" in
        sgemm) echo CSGEMM ;;
        stft) echo CSTFT ;;
        deflate) echo CPlaneDeflate ;;
        winograd) echo CWinograd ;;
        median) echo CMedian ;;
        *) echo "error: no target known for Tests/CKernels/$1_check.c" >&2; return 1 ;;
    esac
}

source scripts/qemu-no-avx512-cpu.sh

case "$mode" in
    native) cc=(gcc -O2); run=() ;;
    aarch64)
        bash scripts/install-deps.sh gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user
        cc=(aarch64-linux-gnu-gcc -O2 -static); run=(qemu-aarch64) ;;
    avx2)
        if [ "$(uname -m)" != x86_64 ]; then
            echo "error: the avx2 mode emulates an x86-64 CPU for x86-64 builds; this machine is $(uname -m)" >&2; exit 1
        fi
        bash scripts/install-deps.sh qemu-user
        cc=(gcc -O2); run=(qemu-x86_64 -cpu "$HASWELL") ;;
    *) echo "usage: $0 [native|aarch64|avx2]" >&2; exit 2 ;;
esac

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
failed=()
shopt -s nullglob
checks=(Tests/CKernels/*_check.c)
[ ${#checks[@]} -gt 0 ] || { echo "no checks in Tests/CKernels" >&2; exit 1; }
for check in "${checks[@]}"; do
    name="$(basename "$check" _check.c)"
    target="$(target_of "$name")"
    echo "== $name ($target, $mode)"
    if ! "${cc[@]}" -Wall -ITests/CKernels -ISources/CCPU/include -I"Sources/$target/include" \
            "$check" Sources/CCPU/*.c Sources/"$target"/*.c -lm -o "$out/$name"; then
        failed+=("$name (build)"); continue
    fi
    "${run[@]}" "$out/$name" || failed+=("$name")
done
if [ ${#failed[@]} -gt 0 ]; then echo "failed: ${failed[*]}" >&2; exit 1; fi
echo "all ${#checks[@]} C kernel checks passed ($mode)"

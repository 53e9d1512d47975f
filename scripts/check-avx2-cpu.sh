#!/usr/bin/env bash
# The suite and the C kernel checks on an emulated CPU without AVX-512, for machines that have it:
# `qemu-x86_64 -cpu Haswell-noTSX` reports AVX2 + FMA and no AVX-512 in CPUID, so melcnn's own
# run-time detection (not MELCNN_CPU) picks the AVX2 routes, and OpenBLAS its Haswell kernels.
# Runs every test class in process except CLITests, whose subprocesses qemu-user does not follow
# (they would run on the real CPU). Not part of CI: it takes about 10 minutes under emulation.
# Installs qemu-user if missing; builds the tests as `make test` does.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/check-c-kernels.sh avx2
source scripts/qemu-no-avx512-cpu.sh
swift build -c release -Xswiftc -enable-testing --build-tests
xctest=.build/release/melcnnPackageTests.xctest
echo "== melcnn info --cpu under qemu-x86_64 -cpu $HASWELL"
info="$(qemu-x86_64 -cpu "$HASWELL" .build/release/melcnn info --cpu)"
echo "$info"
level="$(echo "$info" | sed -n 's/^level: //p')"
case "$level" in
    "avx2 in use, avx2 detected") ;;
    *) echo "error: the emulated CPU was detected as '$level', expected avx2" >&2; exit 1 ;;
esac
classes="$("$xctest" --list-tests 2>/dev/null | sed -n 's|^\([A-Za-z0-9]*\.[A-Za-z0-9]*\)/.*|\1|p' \
    | grep -v '^CLITests\.' | sort -u | paste -sd, -)"
[ -n "$classes" ] || { echo "error: no test classes listed by $xctest" >&2; exit 1; }
echo "== the suite without CLITests ($(echo "$classes" | tr ',' '\n' | wc -l) classes) under qemu"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
qemu-x86_64 -cpu "$HASWELL" "$xctest" "$classes" >"$log" 2>&1 || status=$?
grep -E "error:|failed \(" "$log" || true
tail -n 2 "$log"
if [ "$status" -ne 0 ] || ! grep -q "^Test Suite 'Selected tests' passed" "$log"; then
    echo "error: the suite failed on the emulated AVX2 CPU (exit $status)" >&2; exit 1
fi
echo "the suite and the C kernel checks passed on an emulated AVX2-only CPU"

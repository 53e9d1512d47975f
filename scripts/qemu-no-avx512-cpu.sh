# Sourced by check-c-kernels.sh and check-avx2-cpu.sh: the qemu-x86_64 CPU model of an x86-64
# CPU without AVX-512, a Haswell (AVX2 + FMA) without the features qemu's TCG cannot emulate.
HASWELL="Haswell-noTSX,-pcid,-x2apic,-tsc-deadline,-invpcid"

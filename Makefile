# melcnn — the two commands: `make demo` and `make test`.
SWIFT ?= swift
.PHONY: deps build release test demo bench check-c check-aarch64 check-avx2 clean

deps:
	@bash scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# Tests run on an optimised build: the DSP and training checks are numeric and
# would be slow unoptimised. -enable-testing keeps @testable imports working.
TEST_FLAGS = -c release -Xswiftc -enable-testing

# The suite runs twice: on the best routes this CPU has, then with every portable route
# forced (MELCNN_CPU=generic: OpenBLAS, FFTW, plain loops), so that a fast CPU cannot hide a
# broken fallback. The C kernel checks run on this CPU, then (x86-64) on a qemu-emulated CPU
# without AVX-512, so that an AVX-512 machine cannot hide a broken AVX2 detection either.
test: deps
	$(SWIFT) build $(TEST_FLAGS) --build-tests
	$(SWIFT) test $(TEST_FLAGS) --skip-build
	MELCNN_CPU=generic $(SWIFT) test $(TEST_FLAGS) --skip-build
	$(SWIFT) build --package-path Examples
	Examples/.build/debug/LogMelAndTinyNet
	bash scripts/check-c-kernels.sh native
	if [ "$$(uname -m)" = x86_64 ]; then bash scripts/check-c-kernels.sh avx2; fi

# Only the `melcnn` executable: the demo needs nothing else, and the build is most of its time.
demo: deps
	$(SWIFT) build -c release --product melcnn
	@bash scripts/demo.sh

# melcnn's side (.build/release/melcnn-bench AREA ...) beside the Python peers in .venv-bench.
# BENCH_AREAS="dsp nn" picks areas; BENCH_CPU=avx2 emulates an AVX2-only CPU for both sides.
bench: release
	@bash Benchmarks/run.sh

# The C kernels (Tests/CKernels/*_check.c) on every CPU route this machine has, built with gcc;
# and cross-built for aarch64, run under qemu (installs the cross compiler and qemu if missing).
check-c:
	@bash scripts/check-c-kernels.sh native

check-aarch64:
	@bash scripts/check-c-kernels.sh aarch64

# On an AVX-512 machine: the C kernel checks and the suite (but CLITests) under qemu-x86_64
# emulating a Haswell, a CPU without AVX-512, so that the run-time detection itself is tested.
check-avx2: deps
	@bash scripts/check-avx2-cpu.sh

clean:
	rm -rf .build demo-output bench-output

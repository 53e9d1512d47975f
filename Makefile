# melcnn — the two commands: `make demo` and `make test`.
SWIFT ?= swift
.PHONY: deps build release test demo bench clean

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
# broken fallback.
test: deps
	$(SWIFT) build $(TEST_FLAGS) --build-tests
	$(SWIFT) test $(TEST_FLAGS) --skip-build
	MELCNN_CPU=generic $(SWIFT) test $(TEST_FLAGS) --skip-build

demo: release
	@bash scripts/demo.sh

bench: release
	@bash Benchmarks/run.sh

clean:
	rm -rf .build demo-output bench-output

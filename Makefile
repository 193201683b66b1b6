# The two set-up commands: `make demo` and `make test`. Both install what is missing.
.PHONY: deps build test unit interop demo bench clean

deps:
	@scripts/install-deps.sh

build: deps
	swift build

# One debug build serves every test target; see scripts/test.sh.
test: deps
	@scripts/test.sh

# The fast suite: rules on the fakes and the pure parts; no podman, chain or Python.
unit: deps
	swift build --build-tests
	swift test --skip-build --filter 'SluiceApplicationTests|SluiceCoreTests|SluiceCryptoTests|SluiceLedgerTests|SluiceStoreTests'

interop: deps
	@scripts/interop.sh

demo: deps
	@scripts/demo.sh

# Benchmarks print figures (release build); never part of `make test`.
bench: deps
	@scripts/bench.sh

clean:
	rm -rf .build

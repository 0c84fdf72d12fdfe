# BrainDump: `make run` builds and opens the app; `make test` checks everything.

CARGO ?= cargo
# Deterministic headless snapshots (iced_test).
export ICED_TEST_BACKEND := tiny-skia

.PHONY: run build test lint fmt bench clean

run:
	$(CARGO) run --release --locked

build:
	$(CARGO) build --release --locked

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets --locked -- -D warnings

# Every test, including those that need a real X window (Xvfb, started by
# the smoke test itself) and a real keychain (GNOME Keyring on a private
# D-Bus session, started by scripts/test-session).
test: lint
	$(CARGO) build --locked --bin braindump --examples
	# The benchmark harness, once, on small inputs, so that it keeps working.
	mkdir -p target/bench-runtime && chmod 700 target/bench-runtime
	XDG_RUNTIME_DIR=$(CURDIR)/target/bench-runtime target/debug/examples/bench --quick > target/bench-quick.md
	@echo "bench harness (quick): ok"
	scripts/test-session $(CARGO) test --lib --tests --locked

fmt:
	$(CARGO) fmt --all

clean:
	$(CARGO) clean

# Speed and weight against a bare iced window, in release; see BENCHMARKS.md.
bench:
	$(CARGO) build --release --locked --bin braindump --example bare_window --example bench
	mkdir -p target/bench-runtime && chmod 700 target/bench-runtime
	XDG_RUNTIME_DIR=$(CURDIR)/target/bench-runtime target/release/examples/bench | tee target/bench.md

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
	scripts/test-session $(CARGO) test --all-targets --locked

fmt:
	$(CARGO) fmt --all

clean:
	$(CARGO) clean

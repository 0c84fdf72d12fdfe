# BrainDump: `make run` builds and opens the app; `make test` checks everything.

CARGO ?= cargo
# Deterministic headless snapshots (iced_test).
export ICED_TEST_BACKEND := tiny-skia

.PHONY: run build test lint fmt bench clean install uninstall deb app

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

# Installs the app as the desktop expects it: the binary, the launcher
# entry, the AppStream metainfo and the icons. `PREFIX=~/.local` installs
# for one user without root; `DESTDIR` stages a package. `BIN` is the
# binary to install (built in release when it is missing).
APP_ID := io.github.braindump.BrainDump
PREFIX ?= /usr/local
BIN ?= target/release/braindump
ICON_SIZES := 16 24 32 48 64 128 256 512
INSTALLED := $(DESTDIR)$(PREFIX)/bin/braindump \
	$(DESTDIR)$(PREFIX)/share/applications/$(APP_ID).desktop \
	$(DESTDIR)$(PREFIX)/share/metainfo/$(APP_ID).metainfo.xml \
	$(DESTDIR)$(PREFIX)/share/icons/hicolor/scalable/apps/$(APP_ID).svg \
	$(foreach size,$(ICON_SIZES),$(DESTDIR)$(PREFIX)/share/icons/hicolor/$(size)x$(size)/apps/$(APP_ID).png)

install:
	test -x $(BIN) || $(CARGO) build --release --locked --bin braindump
	install -Dm755 $(BIN) $(DESTDIR)$(PREFIX)/bin/braindump
	install -Dm644 resources/linux/$(APP_ID).desktop $(DESTDIR)$(PREFIX)/share/applications/$(APP_ID).desktop
	install -Dm644 resources/linux/$(APP_ID).metainfo.xml $(DESTDIR)$(PREFIX)/share/metainfo/$(APP_ID).metainfo.xml
	install -Dm644 resources/icons/hicolor/scalable/apps/$(APP_ID).svg $(DESTDIR)$(PREFIX)/share/icons/hicolor/scalable/apps/$(APP_ID).svg
	$(foreach size,$(ICON_SIZES),install -Dm644 resources/icons/hicolor/$(size)x$(size)/apps/$(APP_ID).png $(DESTDIR)$(PREFIX)/share/icons/hicolor/$(size)x$(size)/apps/$(APP_ID).png;)
	# Refresh the desktop's caches when installing for real (not staged).
	if [ -z "$(DESTDIR)" ]; then \
	  command -v update-desktop-database >/dev/null && update-desktop-database -q $(PREFIX)/share/applications || true; \
	  command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t $(PREFIX)/share/icons/hicolor || true; \
	fi

uninstall:
	rm -f $(INSTALLED)

# A Debian package of the same files, from `[package.metadata.deb]` in
# Cargo.toml (needs `cargo install cargo-deb`): target/debian/*.deb.
deb:
	$(CARGO) deb --locked

# The macOS bundle, on macOS: target/BrainDump.app, with the same id and
# icon (iconutil turns the hicolor PNGs into BrainDump.icns).
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
APP_BUNDLE := target/BrainDump.app
app:
	@if [ "$$(uname -s)" != Darwin ]; then \
	  echo "make app builds the macOS bundle, and only on macOS (iconutil); on Linux use make install or make deb"; exit 1; \
	fi
	$(CARGO) build --release --locked --bin braindump
	rm -rf $(APP_BUNDLE) target/BrainDump.iconset
	mkdir -p $(APP_BUNDLE)/Contents/MacOS $(APP_BUNDLE)/Contents/Resources target/BrainDump.iconset
	sed 's/@VERSION@/$(VERSION)/g' resources/macos/Info.plist > $(APP_BUNDLE)/Contents/Info.plist
	install -m755 target/release/braindump $(APP_BUNDLE)/Contents/MacOS/braindump
	for size in 16 32 128 256 512; do \
	  cp resources/icons/hicolor/$${size}x$${size}/apps/$(APP_ID).png target/BrainDump.iconset/icon_$${size}x$${size}.png; \
	done
	for size in 16 128 256; do \
	  double=$$((size * 2)); \
	  cp resources/icons/hicolor/$${double}x$${double}/apps/$(APP_ID).png target/BrainDump.iconset/icon_$${size}x$${size}@2x.png; \
	done
	cp resources/icons/hicolor/64x64/apps/$(APP_ID).png target/BrainDump.iconset/icon_32x32@2x.png
	iconutil -c icns target/BrainDump.iconset -o $(APP_BUNDLE)/Contents/Resources/BrainDump.icns
	@echo "$(APP_BUNDLE)"

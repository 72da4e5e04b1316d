# Quick start on a fresh Debian machine:
#   make build   installs cmark-gfm if missing, builds release, builds the bundled site into public/
#   make test    runs every test
SHELL := /bin/bash
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEBS := libcmark-gfm-dev libcmark-gfm-extensions-dev

.PHONY: build test deps release clean

deps:
	@dpkg -s $(DEBS) >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $(DEBS); }

release: deps
	swift build -c release

build: release
	.build/release/guidegen build --source .

test: deps
	swift build --build-tests
	swift test --skip-build --disable-xctest

clean:
	rm -rf .build public

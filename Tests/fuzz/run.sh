#!/usr/bin/env bash
# Fuzzes with libFuzzer and AddressSanitizer (LeakSanitizer included), each target for SECONDS
# seconds (default 60), one after the other:
#
#   Tests/fuzz/run.sh [SECONDS] [TARGET]      TARGET: fuzz-page, fuzz-template, fuzz-table or all (default)
#
# fuzz-page (Sources/fuzz-page/FuzzPage.swift): page parsing (YAML front matter + Markdown body, then
# hole filling). The first byte of an input picks the page's path and options (ASCII '0'-'4': roles/,
# salaries/, faqs/, guides/, top level; '5'-'9': the same with unsafe HTML); the rest is the file's text.
# Seeds: Tests/fuzz/seeds.
# fuzz-template (Sources/fuzz-template/FuzzTemplate.swift): theme templates (load, check, render).
# An input is up to three templates separated by NUL bytes: page, a, b. Seeds: Tests/fuzz/template-seeds.
# Seeds are only read: a run works on a temporary copy.
# Exit status: 0 when nothing was found; 1 on a crash, sanitizer or leak report, timeout or OOM,
# after printing the input (path, base64, escaped) and the report. Failing inputs are kept in
# .build-fuzz/artifacts/. Replay one in a normal debug build:
#   swift build --product TARGET && .build/debug/TARGET FILE
set -euo pipefail

seconds=${1:-60}
target=${2:-all}
case "$target" in
    all) targets=(fuzz-page fuzz-template fuzz-table) ;;
    fuzz-page|fuzz-template|fuzz-table) targets=("$target") ;;
    *) echo "usage: Tests/fuzz/run.sh [SECONDS] [fuzz-page|fuzz-template|fuzz-table|all]"; exit 2 ;;
esac
cd "$(dirname "$0")/../.."
fuzz_dir=Tests/fuzz
scratch=.build-fuzz

# cmark-gfm's and zlib's headers and libraries (what `make deps` installs), when run on its own.
debs=(libcmark-gfm-dev libcmark-gfm-extensions-dev zlib1g-dev)
if ! dpkg -s "${debs[@]}" >/dev/null 2>&1; then
    sudo=$([ "$(id -u)" = 0 ] || echo sudo)
    $sudo apt-get update -qq && $sudo apt-get install -y -qq "${debs[@]}"
fi

# One target: build, run, report. Returns 1 when something was found.
fuzz() {
local product=$1 seeds_dir=$2 dict=$3
local build_flags=(--product "$product" -c debug --scratch-path "$scratch"
                   -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING)

# Build. libFuzzer and ASan (with LeakSanitizer) are the toolchain's own compiler-rt, linked statically.
# The build log is shown only on failure: gold warns once per ASan helper that it cannot export it,
# and SwiftPM also builds the EmbedTheme plugin's tool (theme-embedder) with these flags, which cannot
# link with -sanitize=fuzzer (it has no LLVMFuzzerTestOneInput). Neither target uses that tool or its
# output (the built-in theme belongs to Render; fuzz-template depends on Templates only).
local build_log="$scratch/fuzz-build.log"
mkdir -p "$scratch"
echo "fuzz: building $product with -sanitize=fuzzer,address (log: $build_log)..."
start=$SECONDS
if ! swift build "${build_flags[@]}" >"$build_log" 2>&1; then
    grep -v "warning: Cannot export local symbol" "$build_log" | tail -n 60
    echo "fuzz: build failed"
    return 1
fi
local binary="$scratch/debug/$product"
echo "fuzz: built in $((SECONDS - start)) s"

# Work on a copy of the seeds; keep failing inputs where the next build does not remove them.
work=$(mktemp -d "${TMPDIR:-/tmp}/guidegen-fuzz.XXXXXX")
cp -R "$seeds_dir" "$work/corpus"
local artifacts="$scratch/artifacts"
mkdir -p "$artifacts"
log="$work/fuzz.log"
local seeds
seeds=$(find "$seeds_dir" -type f | wc -l)

# Let libFuzzer, not Swift's backtracer, handle a trap, and give ASan the toolchain's symbolizer.
# LeakSanitizer leaves out the toolchain's own leaks listed in lsan.supp.
export SWIFT_BACKTRACE=enable=no
export LSAN_OPTIONS="suppressions=$PWD/$fuzz_dir/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
symbolizer="$(dirname "$(command -v swift)")/llvm-symbolizer"
[ -x "$symbolizer" ] && export ASAN_SYMBOLIZER_PATH="$symbolizer"

echo "fuzz: running $product for $seconds s on $seeds seeds..."
local status=0
"$binary" "$work/corpus" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -detect_leaks=1 \
    -dict="$dict" -artifact_prefix="$artifacts/" -print_final_stats=1 \
    >"$log" 2>&1 || status=$?

local found
found=$(sed -n 's/.*Test unit written to \([^ ]*\).*/\1/p' "$log")
# The part of a libFuzzer log that tells what went wrong, with Swift names demangled
# (without the Swift runtime's own unsymbolicated trace and libFuzzer's byte dumps).
report() {
    awk '/Fatal error|Precondition failed|Assertion failed|ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer)|ALARM:/ { on = 1 } on' \
        | grep -vE '^[0-9]+ +[^ ]+ +0x[0-9a-f]+ |^Current stack trace:|rudimentary signal handlers|Combine libFuzzer with|^MS: |^0x[0-9a-f]+,|^Base64: |^artifact_prefix=' \
        | swift demangle --simplified | head -n 60 || true
}

# libFuzzer writes crash-*, leak-*, timeout-* or oom-* for the failure it stops on.
if [ "$status" -ne 0 ] || [ -n "$found" ] || grep -qE "ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)" "$log"; then
    cp "$log" "$artifacts/last-run.log"
    echo "fuzz: FAILED (libFuzzer exit status $status; full log: $artifacts/last-run.log)"
    [ -n "$found" ] || report <"$log"
    for file in $found; do
        echo "fuzz: failing input: $file ($(wc -c <"$file") bytes; first 4 KiB shown)"
        echo "  base64: $(head -c 4096 "$file" | base64 -w0)"
        echo "  escaped: $(python3 -c 'import sys; print(repr(open(sys.argv[1], "rb").read(4096))[2:-1])' "$file")"
        # Replayed once with the slow unwinder, so stacks go through cmark-gfm (built without frame pointers).
        echo "fuzz: its report (replayed):"
        ASAN_OPTIONS=fast_unwind_on_malloc=0 "$binary" "$file" -timeout=10 -rss_limit_mb=2048 -detect_leaks=1 \
            -artifact_prefix="$work/replay-" 2>&1 | report || true  # the replay fails, as it should
    done
    echo "fuzz: replay in a normal debug build with: swift build --product $product && .build/debug/$product FILE"
    rm -rf "$work"
    return 1
fi

# Success: one line from libFuzzer's final stats and its last status line (#N DONE cov: ... corp: N/size).
stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -n 1; }
last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
features=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
corpus=$(sed -n 's/.* corp: \([0-9]*\/[0-9a-zA-Z]*\).*/\1/p' <<<"$last")
echo "fuzz: OK: $product: $(stat number_of_executed_units) executions in $seconds s ($(stat average_exec_per_sec)/s)," \
     "coverage $cov edges, $features features, corpus $corpus (from $seeds seeds, $(stat new_units_added) new)," \
     "peak RSS $(stat peak_rss_mb) MB"
rm -rf "$work"
}

# The failing target's own report is enough: later targets still run, and the status is 1 if any failed.
work=
trap '[ -z "$work" ] || rm -rf "$work"' EXIT
failed=0
for product in "${targets[@]}"; do
    case "$product" in
        fuzz-page) fuzz fuzz-page "$fuzz_dir/seeds" "$fuzz_dir/markdown.dict" || failed=1 ;;
        fuzz-template) fuzz fuzz-template "$fuzz_dir/template-seeds" "$fuzz_dir/mustache.dict" || failed=1 ;;
        fuzz-table) fuzz fuzz-table "$fuzz_dir/table-seeds" "$fuzz_dir/table.dict" || failed=1 ;;
    esac
done
exit "$failed"

#!/usr/bin/env python3
"""A/B timing of guidegen binaries on one site: runs them in turn (A B A B ...), each into its own
output folder (a warm-up build first, so every timed build rebuilds into an existing output, as
compare.py's do), and prints medians of wall time, CPU time and peak memory, and for two binaries
the median of their pair-by-pair time ratio, so the machine's noise cancels out.

    python3 Benchmarks/ab.py SITE RUNS OLD_BINARY NEW_BINARY

SITE is a site folder, for example one made by ../shared/bench/gen_corpus.py SITE --roles 2500.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    site, runs, binaries = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    work = tempfile.mkdtemp(prefix="guidegen-ab-")
    outputs = [os.path.join(work, f"out-{index}") for index in range(len(binaries))]
    for binary, output in zip(binaries, outputs):
        subprocess.run([binary, "build", "--source", site, "--output", output], stdout=subprocess.DEVNULL, check=True)
    results = {binary: [] for binary in binaries}
    for _ in range(runs):
        for binary, output in zip(binaries, outputs):
            start = time.perf_counter()
            process = subprocess.Popen([binary, "build", "--source", site, "--output", output], stdout=subprocess.DEVNULL)
            _, status, usage = os.wait4(process.pid, 0)
            if status != 0:
                sys.exit(f"{binary} failed")
            results[binary].append((time.perf_counter() - start, usage.ru_utime, usage.ru_stime, usage.ru_maxrss / 1024))
    for binary in binaries:
        rows = results[binary]
        median = lambda column: statistics.median(row[column] for row in rows)
        walls = [row[0] for row in rows]
        print(f"{binary}: wall {median(0):.3f} s (min {min(walls):.3f}, max {max(walls):.3f}), "
              f"user {median(1):.2f} s, system {median(2):.2f} s, peak {median(3):.1f} MiB")
    if len(binaries) == 2:
        ratios = [new[0] / old[0] for old, new in zip(results[binaries[0]], results[binaries[1]])]
        print(f"time ratio {binaries[1]} / {binaries[0]} (median of pairs): {statistics.median(ratios):.3f}")
    subprocess.run(["rm", "-rf", work])


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Time and peak memory of guidegen at each of its input limits (and on inputs past them), on a copy of the
test fixture site with one hostile file added: the numbers the README's limits quote.

    python3 Benchmarks/limits.py GUIDEGEN [RUNS] [WORD]

For each case it runs `guidegen check` and `guidegen build` RUNS times (default 3) under /usr/bin/time and prints
the exit status, the median wall time, the median peak RSS, the size of what the case added and peak / added
(only the cases whose name holds WORD, if given).
Run it with the release binary (.build/release/guidegen) on a quiet machine; times are noisy, peaks are not.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
FIXTURE = os.path.join(REPO, "Tests", "SiteTests", "Fixtures", "basic")
MIB = 1 << 20


def page(body, front="title: Limit\n"):
    return "---\n" + front + "---\n" + body


def prose(size):
    sentence = "A backend developer builds the services that a product's pages call, and keeps them running. "
    paragraph = (sentence * 8).strip() + "\n\n"
    return (paragraph * (size // len(paragraph) + 1))[:size]


def alias_copies(levels, width):
    """Anchors of `width` aliases of the anchor before, `levels` deep: width**levels copies of a scalar."""
    lines = ["a0: &a0 x"]
    for level in range(1, levels + 1):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def cases():
    """(name, {path: bytes}) for each case; the bytes are what it adds to the fixture site."""
    limit = 2 * MIB - 64
    yield "page of prose at the 2 MiB limit", {"content/limit.md": page(prose(limit)).encode()}
    yield "page of emphasis at the limit", {"content/limit.md": page(("*a* " * (limit // 4))).encode()}
    yield "page of list items at the limit", {"content/limit.md": page(("- a\n" * (limit // 4))).encode()}
    yield "page of links at the limit", {"content/limit.md": page(("[a](index.md) " * (limit // 14))).encode()}
    yield "page past the limit (1 GiB, sparse)", {"content/huge.md": None}
    yield "aliases copying 8,860 values (unknown keys: exit 1)", {"content/aliases.md": page("Text.\n", "title: Aliases\n" + alias_copies(3, 20)).encode()}
    yield "alias bomb (9 levels of 9)", {"content/bomb.md": page("Text.\n", "title: Bomb\n" + alias_copies(9, 9)).encode()}
    yield "100,000 unknown keys", {"content/keys.md": page("Text.\n", "title: Keys\n" + "".join(f"key{n}: {n}\n" for n in range(100_000))).encode()}
    yield "theme: sections 100 deep (the limit)", {"themes/default/templates/page.mustache": ("{{#page}}" * 99 + "x" + "{{/page}}" * 99).encode()}
    yield "theme: a million nested sections", {"themes/default/templates/page.mustache": ("{{#a}}" * 1_000_000 + "{{/a}}" * 1_000_000).encode()}
    doubles = {f"themes/default/templates/a{n}.mustache": f"{{{{>a{n + 1}}}}}{{{{>a{n + 1}}}}}".encode() for n in range(1, 200)}
    doubles["themes/default/templates/a200.mustache"] = b"0123456789abcdef"
    doubles["themes/default/templates/page.mustache"] = b"{{>a1}}"
    yield "theme: 200 levels of double partials", doubles
    inner = "x" * 1024
    yield "theme: lists nested 12 deep (render bound 64 MiB)", {
        "themes/default/templates/home.mustache": ("{{#page.groups}}" * 12 + inner + "{{/page.groups}}" * 12).encode()}
    yield "static file of 2.5 GB (sparse)", {"static/big.bin": None}


def run(guidegen, command, site):
    with tempfile.NamedTemporaryFile() as times:
        args = ["/usr/bin/time", "-o", times.name, "-f", "%e %M", guidegen, command, "--source", site]
        status = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        seconds, kib = open(times.name).read().split()[-2:]
    return status, float(seconds), int(kib) / 1024


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    guidegen, runs = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3
    word = sys.argv[3] if len(sys.argv) > 3 else ""
    print(f"{'case':55} {'cmd':5} {'exit':>4} {'time s':>7} {'peak MiB':>9} {'added MiB':>9} {'peak/added':>10}")
    for name, files in cases():
        if word not in name:
            continue
        work = tempfile.mkdtemp(prefix="guidegen-limits-")
        site = os.path.join(work, "site")
        shutil.copytree(FIXTURE, site)
        added = 0
        for path, data in files.items():
            full = os.path.join(site, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            if data is None:  # a sparse file: its size without the disk
                size = 2500 * MIB if path.endswith(".bin") else 1024 * MIB
                with open(full, "wb") as f:
                    f.truncate(size)
                added += size
            else:
                with open(full, "wb") as f:
                    f.write(data)
                added += len(data)
        for command in ("check", "build"):
            results = [run(guidegen, command, site) for _ in range(runs)]
            status = results[-1][0]
            seconds = statistics.median(r[1] for r in results)
            peak = statistics.median(r[2] for r in results)
            print(f"{name:55} {command:5} {status:>4} {seconds:>7.2f} {peak:>9.0f} {added / MIB:>9.2f} {peak / max(added / MIB, 0.001):>10.1f}",
                  flush=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

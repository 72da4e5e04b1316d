#!/usr/bin/env python3
"""The Atom feed of the bundled site, read by feedparser (PyPI), a parser no one here wrote.

    python3 Tests/publish/feed_test.py --guidegen .build/release/guidegen

Builds the site under a sub-path and checks: the feed parses without errors (bozo 0), has its
title, self link and updated date; entries are the pages with `updated`, newest first, at most 50,
each linking to a page the build wrote; every HTML page links the feed from its head.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(REPO, "Tests", "e2e"))
from harness import check, finish  # noqa: E402

try:
    import feedparser
except ImportError:
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "feedparser"], check=True)
    import feedparser

BASE = "https://example.org/guides/"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--guidegen", required=True)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        out = os.path.join(work, "site")
        subprocess.run([os.path.abspath(args.guidegen), "build", "--source", REPO, "--output", out, "--base-url", BASE],
                       check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(out, "feed.xml"), "rb") as f:
            feed = feedparser.parse(f.read())
        check(feed.bozo == 0, f"feed.xml parses cleanly (bozo {feed.bozo}: {feed.get('bozo_exception')})")
        check(feed.version == "atom10", f"it is Atom 1.0 (got {feed.version})")
        check(bool(feed.feed.get("title")), f"the feed has a title ({feed.feed.get('title')!r})")
        check(feed.feed.get("updated_parsed") is not None, "the feed has an updated date")
        selfs = [link.href for link in feed.feed.get("links", []) if link.rel == "self"]
        check(selfs == [BASE + "feed.xml"], f"its self link is {BASE}feed.xml (got {selfs})")

        # Pages with `updated`, from the content.
        dated = 0
        for root, _, files in os.walk(os.path.join(REPO, "content")):
            for name in files:
                if name.endswith(".md"):
                    with open(os.path.join(root, name), encoding="utf-8") as f:
                        head = f.read().split("\n---", 1)[0]
                    dated += bool(re.search(r"^updated:", head, re.M))
        entries = feed.entries
        check(len(entries) == min(50, dated), f"{min(50, dated)} entries: the pages with `updated`, at most 50 (got {len(entries)})")
        times = [entry.updated_parsed for entry in entries]
        check(times == sorted(times, reverse=True), "entries are newest first")
        missing = []
        untitled = [entry.get("link") for entry in entries if not entry.get("title") or not entry.get("id")]
        check(not untitled, f"every entry has a title and an id (not: {untitled[:5]})")
        for entry in entries:
            path = entry.link[len(BASE):] if entry.link.startswith(BASE) else None
            if path is None or not os.path.exists(os.path.join(out, path, "index.html")):
                missing.append(entry.link)
        check(not missing, f"every entry links to a page the build wrote (missing: {missing[:5]})")

        unlinked = []
        pages = 0
        for root, _, files in os.walk(out):
            for name in files:
                if name.endswith(".html"):
                    with open(os.path.join(root, name), encoding="utf-8") as f:
                        head = f.read().split("</head>", 1)[0]
                    # The redirect page at an old address (aliases:) is not a page of the site: it sends readers on.
                    if 'http-equiv="refresh"' in head:
                        continue
                    pages += 1
                    if '<link rel="alternate" type="application/atom+xml"' not in head or 'href="/guides/feed.xml"' not in head:
                        unlinked.append(os.path.relpath(os.path.join(root, name), out))
        check(pages > 50 and not unlinked, f"all {pages} pages link the feed from their head (not: {unlinked[:5]})")
    finish("feed")


if __name__ == "__main__":
    main()

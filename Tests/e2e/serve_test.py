#!/usr/bin/env python3
"""End-to-end test of `guidegen serve` (the live preview) in real headless Chromium.

Copies the bundled site (guidegen.yml, content/, static/ and themes/ when present) into a
temporary folder, with base_url moved under a sub-path (/guides/ by default, so the base
path is exercised), starts `guidegen serve --source TMP --host 127.0.0.1 --port P`, waits
for its `Serving URL` line, opens roles/backend-developer/ and checks, in order:

  1. the page carries the live script (once, right before </body>) and no overlay;
     `/` redirects to the base path;
  2. an edit saved the way many editors save (temp file in the same folder renamed over
     the role's Markdown file) shows up without a refresh, scroll position kept, and
     stdout says `Rebuilt ...`;
  3. a broken link (written in place) shows the overlay, which names
     content/roles/backend-developer.md with the link's line and column, the message
     and a hint; stderr has the same diagnostic; the page and the server keep the last
     good version; a page loaded while the problem exists shows the overlay on connect;
  4. fixing the file reloads the page and the overlay is gone;
  5. the search box finds the word the edit added;
  6. CSS, the search manifest and live.js itself carry no injected script;
     `guidegen serve` wrote nothing into the site folder; `guidegen build` of the same
     folder has no file that mentions __guidegen;
  7. SIGINT (with the browser still connected) stops the server with exit code 0 within 5 s.

    python3 Tests/e2e/serve_test.py [--guidegen .build/release/guidegen] [--base-path /guides/]

Needs chromium and chromium-driver (Debian) and selenium (PyPI); `make e2e-deps` installs them.
Every wait has a timeout (~10 s); exits non-zero when any check failed.
"""
import argparse
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

import harness
from harness import check, failures, finish, free_port, write_in_place

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ROLE = "content/roles/backend-developer.md"
WORD = "zebracorn"
BROKEN = "[x](/roles/does-not-exist/)"
STEP_TIMEOUT = 10


class Fatal(Exception):
    pass


def browser():
    driver = harness.browser()
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(STEP_TIMEOUT)
    return driver


def wait_until(fn, timeout=STEP_TIMEOUT, interval=0.05):
    """Polls fn until it returns something truthy; returns that, or the last value at the timeout.
    WebDriver errors (a reload in progress) count as 'not yet'."""
    deadline = time.time() + timeout
    value = None
    while True:
        try:
            value = fn()
        except WebDriverException:
            value = None
        if value or time.time() >= deadline:
            return value
        time.sleep(interval)


def js(driver, script, *args):
    try:
        return driver.execute_script(script, *args)
    except WebDriverException:
        return None


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url, follow=True):
    """(status, headers, body bytes) of a GET; errors give their status, no exception."""
    opener = urllib.request.build_opener() if follow else urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=STEP_TIMEOUT) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()
    except OSError as e:
        return None, {}, str(e).encode()


class Server(harness.CollectedProcess):
    """guidegen serve, with its stdout and stderr lines collected as they come."""

    def __init__(self, cmd):
        super().__init__(cmd, start_new_session=True)


def write_atomically(path, text):
    """What many editors do: write a temp file next to the original, then rename it over."""
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def copy_site(dst, base_path):
    harness.copy_site(REPO, dst)
    config = os.path.join(dst, "guidegen.yml")
    with open(config, encoding="utf-8") as f:
        text = f.read()
    text, n = re.subn(r"(?m)^base_url:.*$", f'base_url: "https://guides.example.org{base_path}"', text)
    if n != 1:
        raise Fatal("guidegen.yml has no base_url line to move under the sub-path")
    with open(config, "w", encoding="utf-8") as f:
        f.write(text)


def listing(root):
    return {os.path.relpath(os.path.join(r, f), root) for r, _, fs in os.walk(root) for f in fs}


OVERLAY_JS = """
const o = document.getElementById('guidegen-overlay');
if (!o) return null;
const s = getComputedStyle(o);
const shown = s.display !== 'none' && s.visibility !== 'hidden' && o.getClientRects().length > 0;
return {shown: shown, role: o.getAttribute('role'), text: o.innerText};
"""
# The page's text without the overlay's.
PAGE_TEXT_JS = """
const o = document.getElementById('guidegen-overlay');
const main = document.querySelector('main') || document.body;
let t = main.innerText;
if (o && main.contains(o)) t = t.replace(o.innerText, '');
return t;
"""


def overlay(driver):
    r = js(driver, OVERLAY_JS)
    return r if r and r["shown"] else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--guidegen", default=os.path.join(REPO, ".build", "release", "guidegen"))
    ap.add_argument("--base-path", default="/guides/", help="base_url's path for the test site (default /guides/)")
    a = ap.parse_args()
    guidegen = os.path.abspath(a.guidegen)
    base_path = "/" + a.base_path.strip("/") + "/" if a.base_path.strip("/") else "/"

    work = tempfile.mkdtemp(prefix="guidegen-serve-e2e-")
    site = os.path.join(work, "site")
    role_path = os.path.join(site, ROLE)
    server = driver = None
    try:
        copy_site(site, base_path)
        before = listing(site)
        with open(role_path, encoding="utf-8") as f:
            original = f.read()
        port = free_port()
        server = Server([guidegen, "serve", "--source", site, "--host", "127.0.0.1", "--port", str(port)])

        # The Serving line.
        serving = wait_until(lambda: next((l for l in server.since(0, "out") if l.startswith("Serving ")), None)
                             or server.p.poll() is not None, timeout=120)
        if not isinstance(serving, str):
            raise Fatal(f"no 'Serving ' line on stdout within 120 s (exit code {server.p.poll()})")
        base = f"http://127.0.0.1:{port}{base_path}"
        m = re.search(r"https?://\S+", serving)
        check(m is not None and m.group(0).rstrip("/") + "/" == base,
              f"'Serving' line names {base} ({serving!r})")

        # 1. Live script, no overlay, / redirects to the base path.
        if base_path != "/":
            status, headers, _ = fetch(f"http://127.0.0.1:{port}/", follow=False)
            location = urllib.parse.urljoin(f"http://127.0.0.1:{port}/", headers.get("Location") or "")
            check(status in (301, 302, 303, 307, 308) and location == base,
                  f"/ redirects to {base_path} (got {status}, Location {headers.get('Location')!r})")
        page = base + "roles/backend-developer/"
        live_src = base_path + "__guidegen/live.js"
        status, headers, body = fetch(page)
        html = body.decode("utf-8", "replace")
        check(status == 200, f"GET {page} answers 200 (got {status})")
        tag = f'<script src="{live_src}"></script>'
        check(html.count("__guidegen") == 1 and re.search(re.escape(tag) + r"\s*</body>", html) is not None,
              f"the served HTML has {tag} once, right before </body>")

        driver = browser()
        driver.get(page)
        scripts = js(driver, "return Array.from(document.scripts).map(s => s.getAttribute('src')).filter(Boolean);") or []
        check(live_src in scripts, f"the page loads {live_src} (scripts: {scripts})")
        check(overlay(driver) is None, "no problems overlay on a good page")
        time.sleep(1)  # the EventSource connects
        target = js(driver, "window.scrollTo(0, 700); return window.scrollY;")
        check(bool(target) and target > 100, f"the page scrolls down (scrollY {target})")

        # 2. An edit, saved as a rename over the file, appears without a refresh; scroll kept.
        good = original.rstrip("\n") + f"\n\nThe {WORD} paragraph was added by the live preview test.\n"
        js(driver, "window.__e2eOld = 1;")
        mark = server.mark()
        write_atomically(role_path, good)
        shown = wait_until(lambda: WORD in (js(driver, "return document.body.innerText;") or ""))
        check(bool(shown), f"the edit ({WORD!r} appended, temp file renamed over {ROLE}) shows up without a refresh "
                           f"within {STEP_TIMEOUT} s")
        if shown:
            reloaded = js(driver, "return !window.__e2eOld;")
            check(bool(reloaded), "the page was reloaded (the contract's `reload` event)")
            y = wait_until(lambda: (lambda v: v if v is not None and abs(v - target) <= 50 else None)(
                js(driver, "return window.scrollY;")), timeout=5)
            got = js(driver, "return window.scrollY;")
            check(y is not None, f"scroll position kept across the reload (was {target}, now {got})")
        rebuilt = wait_until(lambda: [l for l in server.since(mark, "out") if l.startswith("Rebuilt ")])
        check(bool(rebuilt), f"stdout has a 'Rebuilt ' line after the edit ({rebuilt[0] if rebuilt else server.since(mark, 'out')})")
        check(overlay(driver) is None, "no overlay after a good edit")
        time.sleep(0.5)

        # 3. A broken link: the overlay names the file and line; the last good site stays.
        broken = good.rstrip("\n") + f"\n\n{BROKEN}\n"
        line = broken.split("\n").index(BROKEN) + 1
        location = f"{ROLE}:{line}:"
        mark = server.mark()
        js(driver, "window.__e2eOld = 1;")
        write_in_place(role_path, broken)
        o = wait_until(lambda: overlay(driver))
        if check(o is not None, f"a broken link shows the problems overlay within {STEP_TIMEOUT} s"):
            text = o["text"]
            check(o["role"] == "alert", f"the overlay has role=alert (got {o['role']!r})")
            check(re.search(re.escape(location) + r"\d+", text) is not None,
                  f"the overlay names {location}COLUMN (overlay text: {text[:300]!r})")
            check("does-not-exist" in text, "the overlay shows the message (names the missing link target)")

        def diagnostic():
            lines = server.since(mark, "err")
            return next((i for i, l in enumerate(lines) if re.match(re.escape(location) + r"\d+: error: ", l)
                         and i + 1 < len(lines) and lines[i + 1].startswith("  hint: ")), None)
        diag = wait_until(lambda: (diagnostic(),) if diagnostic() is not None else None)
        if check(diag is not None, f"stderr has '{location}COLUMN: error: ...' followed by '  hint: ...' "
                                   f"(stderr: {server.since(mark, 'err')[:4]})"):
            hint = server.since(mark, "err")[diag[0] + 1][len("  hint: "):].strip()
            if o is not None:
                check(hint[:40] in o["text"], f"the overlay shows the hint ({hint[:60]!r})")
        page_text = js(driver, PAGE_TEXT_JS) or ""
        check(WORD in page_text and BROKEN not in page_text and "does-not-exist" not in (js(
            driver, "return Array.from(document.links).map(a => a.href).join(' ');") or ""),
              "the open page still shows the last good version")
        status, _, body = fetch(page)
        check(status == 200 and WORD.encode() in body and b"does-not-exist" not in body,
              f"the server keeps serving the last good page (status {status})")

        # 3b. A page loaded while the problem exists shows the overlay on connect.
        driver.refresh()
        o = wait_until(lambda: overlay(driver))
        check(o is not None and location in o["text"],
              "a page loaded while the problem exists shows the overlay on connect")
        check(WORD in (js(driver, PAGE_TEXT_JS) or ""), "... over the last good page")
        time.sleep(0.5)

        # 4. The fix: reload, no overlay.
        mark = server.mark()
        js(driver, "window.__e2eOld = 1;")
        write_in_place(role_path, good)
        gone = wait_until(lambda: js(driver, "return !window.__e2eOld && document.readyState === 'complete';"))
        check(bool(gone), f"fixing the link reloads the page within {STEP_TIMEOUT} s")
        time.sleep(0.5)  # a late problems event would show the overlay again
        check(overlay(driver) is None, "after the fix there is no overlay")
        check(WORD in (js(driver, "return document.body.innerText;") or ""), "the fixed page shows the edit")
        rebuilt = wait_until(lambda: [l for l in server.since(mark, "out") if l.startswith("Rebuilt ")])
        check(bool(rebuilt), "stdout has a 'Rebuilt ' line after the fix")

        # 5. The search box finds the new word (the index is served from memory).
        box = driver.find_element(By.ID, "search-input")
        box.clear()
        box.send_keys(WORD)
        try:
            WebDriverWait(driver, STEP_TIMEOUT).until(
                lambda d: d.find_element(By.ID, "search-results").get_attribute("data-query") == WORD)
            options = driver.find_elements(By.CSS_SELECTOR, "#search-results [role=option]")
        except WebDriverException:
            options = []
        hrefs = [a.get_attribute("href") for o_ in options for a in o_.find_elements(By.TAG_NAME, "a")]
        check(page in hrefs, f"the search box finds {WORD!r} on the edited role (results: {hrefs})")

        # 6. Only HTML gets the script; serve writes nothing; a build has no trace of it.
        for path, kind in (("style.css", "text/css"), ("search/manifest.json", "json"),
                           ("__guidegen/live.js", "javascript")):
            status, headers, body = fetch(base + path)
            ctype = headers.get("Content-Type", "") if headers else ""
            check(status == 200 and kind in ctype, f"{base_path}{path} answers 200 {kind} (got {status} {ctype!r})")
            if path != "__guidegen/live.js":
                check(b"__guidegen" not in body and b"<script" not in body, f"{path} carries no injected script")
        after = listing(site)
        check(after == before, f"serve wrote nothing into the site folder (new: {sorted(after - before)[:5]}, "
                               f"gone: {sorted(before - after)[:5]})")
        out = os.path.join(work, "out", "site")
        built = subprocess.run([guidegen, "build", "--source", site, "--output", out],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if check(built.returncode == 0, f"guidegen build of the same folder succeeds ({built.stdout.strip()[-300:]})"):
            traces = []
            for r, _, fs in os.walk(out):
                for name in fs:
                    with open(os.path.join(r, name), "rb") as f:
                        if b"__guidegen" in f.read():
                            traces.append(os.path.relpath(os.path.join(r, name), out))
            check(not traces, f"no built file mentions __guidegen ({traces[:5]})")

        # 7. Ctrl-C, with the browser still connected.
        code = server.interrupt()
        check(code == 0, f"SIGINT stops the server with exit code 0 within 5 s (got {code})")
    except Fatal as e:
        check(False, str(e))
    finally:
        if failures and server:
            print("server output (last lines):\n" + server.tail(), flush=True)
        if driver:
            driver.quit()
        if server and server.p.poll() is None:
            server.p.kill()
            server.p.wait()
        if server:
            for t in server.readers:
                t.join(2)
        shutil.rmtree(work, ignore_errors=True)
    finish("serve e2e")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Accessibility check of the built site with axe-core 4.x in real headless Chromium.

Builds the bundled site with guidegen under a sub-path (base_url .../guides/), serves it
with a plain static server (python3 -m http.server) and runs axe-core on:

  home, the A-Z roles page, a role, a salary guide, an FAQ, a guide, a category hub and
  a skill hub and an "X vs Y" comparison, each with a 1280 px and a 390 px wide viewport; then once more on the home
  page with the search results open (a query typed into the search box, an option active).

Every violation is printed (rule id, impact, help, the target of each node). The run fails
when any violation is `serious` or `critical`; `moderate` and `minor` ones are printed only.
With the results open it also checks what axe cannot see: Chromium's accessibility tree has
one named option per result and no link inside any, and a mouse click on a result opens it.

axe-core comes from the axe-playwright-python wheel on PyPI (it ships axe.min.js): the
wheel is fetched once with `pip download --no-deps` and the script is cached under
~/.cache/guidegen-e2e/ (or pass --axe-js PATH to use another copy).

    python3 Tests/e2e/axe_test.py [--guidegen .build/release/guidegen] [--source .] [--axe-js axe.min.js]

Needs chromium and chromium-driver (Debian) and selenium (PyPI); `make e2e-deps` installs them.
Takes about 10 s (Chromium and axe on 19 page views; the first run also downloads the wheel).
"""
import argparse
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

import harness
from harness import build, check, finish, free_port, wait_for_port

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# The wheel that ships axe.min.js, pinned so that a new axe-core (new rules) is a deliberate change.
# 0.1.8 ships axe-core 4.12.1.
AXE_WHEEL = "axe-playwright-python==0.1.8"
CACHE = os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "guidegen-e2e")

PAGES = [
    ("home", ""),
    ("roles A-Z", "roles/"),
    ("role", "roles/backend-developer/"),
    ("salary guide", "salaries/backend-developer/"),
    ("FAQ", "faqs/backend-developer/"),
    ("guide", "guides/how-to-become-backend-developer/"),
    ("category hub", "categories/web-development/"),
    ("skill hub", "skills/caching/"),
    ("comparison", "compare/backend-developer-vs-frontend-developer/"),
]
WIDTHS = (1280, 390)
HEIGHT = 900
BLOCKING = ("serious", "critical")


def axe_source(path=None):
    """The text of axe.min.js: from `path`, the cache, or the axe-playwright-python wheel."""
    if path:
        with open(path, encoding="utf-8") as f:
            return f.read()
    cached = os.path.join(CACHE, AXE_WHEEL.replace("==", "-"), "axe.min.js")
    if not os.path.exists(cached):
        download = tempfile.mkdtemp(prefix="guidegen-axe-")
        try:
            subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", download, AXE_WHEEL],
                           check=True)
            wheel = glob.glob(os.path.join(download, "*.whl"))[0]
            with zipfile.ZipFile(wheel) as z:
                name = next(n for n in z.namelist() if n.endswith("/axe.min.js"))
                data = z.read(name)
            os.makedirs(os.path.dirname(cached), exist_ok=True)
            with open(cached + ".part", "wb") as f:
                f.write(data)
            os.replace(cached + ".part", cached)
        finally:
            shutil.rmtree(download, ignore_errors=True)
    with open(cached, encoding="utf-8") as f:
        return f.read()


def set_viewport(driver, width):
    """The layout viewport is exactly `width` CSS px wide (a phone-sized one below 600 px)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": width < 600})


def run_axe(driver, source):
    """Injects axe (when the page has none yet) and returns its violations for the whole document."""
    if not driver.execute_script("return !!window.axe"):
        driver.execute_script(source)
    result = driver.execute_async_script("""
        var done = arguments[arguments.length - 1];
        axe.run(document, {resultTypes: ["violations"]})
           .then(function (r) { done({version: axe.version, violations: r.violations}); })
           .catch(function (e) { done({error: String(e)}); });""")
    if "error" in result:
        raise RuntimeError("axe failed: " + result["error"])
    return result


def report(label, result):
    """Prints every violation; returns how many are serious or critical."""
    violations = result["violations"]
    blocking = 0
    for v in violations:
        impact = v.get("impact") or "none"
        if impact in BLOCKING:
            blocking += 1
        print(f"     [{impact}] {v['id']}: {v['help']} ({len(v['nodes'])} node(s))")
        for node in v["nodes"]:
            target = " ".join(" > ".join(t) if isinstance(t, list) else t for t in node["target"])
            print(f"         {target}  {' '.join(node.get('html', '').split())[:90]}")
            summary = (node.get("failureSummary") or "").strip().splitlines()
            for line in summary[1:3]:
                print(f"           {line.strip()}")
    check(blocking == 0, f"{label}: {len(violations)} violation(s), {blocking} serious or critical")
    return blocking


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--guidegen", default=os.path.join(REPO, ".build", "release", "guidegen"))
    ap.add_argument("--source", default=REPO, help="the site to build (default: the bundled site, the repo root)")
    ap.add_argument("--axe-js", help="an axe.min.js to use instead of the one from " + AXE_WHEEL)
    a = ap.parse_args()

    started = time.time()
    source = axe_source(a.axe_js)
    work = tempfile.mkdtemp(prefix="guidegen-axe-")
    port = free_port()
    out = os.path.join(work, "guides")
    base = f"http://127.0.0.1:{port}/guides/"
    build(a.guidegen, ["--source", a.source, "--output", out, "--base-url", base])
    server = subprocess.Popen([sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port),
                               "--directory", work], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    driver = None
    totals = {}
    try:
        wait_for_port(port)
        driver = harness.browser(width=1280, height=HEIGHT)
        driver.set_script_timeout(60)
        version = None
        for width in WIDTHS:
            set_viewport(driver, width)
            for name, path in PAGES:
                driver.get(base + path)
                inner = driver.execute_script("return window.innerWidth")
                check(inner == width, f"{name} at {width} px: the viewport is {inner} px wide")
                result = run_axe(driver, source)
                version = result["version"]
                totals[(name, width)] = len(result["violations"])
                report(f"axe {version} on {name} (/guides/{path}) at {width} px", result)

        # The search results open, with an option active (aria-activedescendant set).
        set_viewport(driver, 1280)
        driver.get(base)
        box = driver.find_element(By.ID, "search-input")
        box.send_keys("backend")
        WebDriverWait(driver, 10).until(
            lambda d: d.find_element(By.ID, "search-results").get_attribute("data-query") == "backend")
        box.send_keys(Keys.ARROW_DOWN)
        options = driver.find_elements(By.CSS_SELECTOR, "#search-results [role=option]")
        shown = driver.find_element(By.CSS_SELECTOR, ".search-panel").is_displayed()
        check(len(options) > 0 and shown, f"search for 'backend' shows {len(options)} results")
        result = run_axe(driver, source)
        report(f"axe {result['version']} on home with search results for 'backend' open", result)
        # What assistive technology gets: options with a name and no link inside (Chromium's tree).
        tree = driver.execute_cdp_cmd("Accessibility.getFullAXTree", {})["nodes"]
        by_id = {n["nodeId"]: n for n in tree}
        role = lambda n: (n.get("role") or {}).get("value")
        listed = [n for n in tree if role(n) == "option" and not n.get("ignored")]

        def links_under(n):
            kids = [by_id[c] for c in n.get("childIds", []) if c in by_id]
            return sum((role(k) == "link" and not k.get("ignored")) + links_under(k) for k in kids)
        check(len(listed) == len(options) and all((n.get("name") or {}).get("value") for n in listed)
              and not any(links_under(n) for n in listed),
              f"accessibility tree: {len(listed)} named options, no link inside any of them")
        # A mouse still follows the result: a click on its title opens it.
        target = options[0].find_element(By.CSS_SELECTOR, "a").get_attribute("href")
        options[0].find_element(By.CSS_SELECTOR, ".search-title").click()
        WebDriverWait(driver, 10).until(lambda d: d.current_url == target)
        check(driver.current_url == target, f"a click on the first result opens it ({target})")
    finally:
        if driver:
            driver.quit()
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)
    print(f"axe: {len(totals) + 1} page views in {time.time() - started:.1f} s")
    finish("axe")


if __name__ == "__main__":
    main()

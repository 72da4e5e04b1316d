#!/usr/bin/env python3
"""End-to-end test of the search box in real headless Chromium.

Builds the bundled site with guidegen under a sub-path (base_url .../guides/), serves
it with a plain static server (python3 -m http.server), and drives the page with
Selenium: typing, first results, the keyboard path, the no-result message, the ?q=
fallback target, and that the browser's tokenizer and stemmer agree with the Swift
ones (the shared fixtures in Tests/SearchTests/Fixtures).

    python3 Tests/e2e/search_test.py [--guidegen .build/release/guidegen]

Needs chromium and chromium-driver (Debian) and selenium (PyPI); `make e2e` installs them.
Exits non-zero on the first failed check.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from harness import browser, check, finish, free_port, wait_for_port

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURES = os.path.join(REPO, "Tests", "SearchTests", "Fixtures")

def results_for(driver, query, timeout=10):
    """Waits until the list shows results (or the no-result message) for exactly `query`."""
    WebDriverWait(driver, timeout).until(
        lambda d: d.find_element(By.ID, "search-results").get_attribute("data-query") == query)
    return driver.find_elements(By.CSS_SELECTOR, "#search-results [role=option]")


def type_query(driver, text):
    box = driver.find_element(By.ID, "search-input")
    box.clear()
    box.send_keys(text)
    return box


def check_reading(driver, base, guidegen, port):
    """How the browser reads queries agrees with the Swift reference (QueryPlan, Typos, SearchQuery): the shared
    fixtures, then every judged query of Tests/search/judged-bundled.json ranked by both. Then what a reader sees:
    a typo corrected with the typed word one click away, and results that show their median pay."""
    with open(os.path.join(FIXTURES, "query-plans.json"), encoding="utf-8") as f:
        plans = json.load(f)
    got = driver.execute_script(
        "return arguments[0].map(c => { const p = window.guidegenSearch.queryPlan(window.guidegenSearch.queryTerms(c.query));"
        " return [p.required.map(w => w.raw), p.optional.map(w => w.raw), p.sides]; });", plans)
    wrong = [(c["query"], g) for c, g in zip(plans, got) if [c["required"], c["optional"], c["sides"]] != g]
    check(not wrong, f"JS reads {len(plans)} queries as QueryPlan does {wrong[:3]}")
    with open(os.path.join(FIXTURES, "typo-cases.json"), encoding="utf-8") as f:
        typos = json.load(f)
    got = driver.execute_script("return arguments[0].map(c => window.guidegenSearch.nearest(c.word, c.vocabulary));", typos)
    wrong = [(c["word"], c["nearest"], g) for c, g in zip(typos, got) if c["nearest"] != g]
    check(not wrong, f"JS typo matching agrees on {len(typos)} cases {wrong[:3]}")

    # Every judged query, ranked by search.js in this browser and by `guidegen explain search`: the same pages in the same order.
    with open(os.path.join(REPO, "Tests", "search", "judged-bundled.json"), encoding="utf-8") as f:
        queries = [q["query"] for q in json.load(f)["queries"]]
    out = subprocess.run([guidegen, "explain", "search", "--source", REPO, "--base-url", f"http://127.0.0.1:{port}/guides/",
                          "--json", "--limit", "10"] + queries, check=True, capture_output=True, text=True).stdout
    swift = {(r := json.loads(line))["query"]: [[x["page"] for x in r["results"]], r["uncovered"],
                                                 [c["used"] for c in r["corrections"]]]
             for line in out.splitlines() if line.strip()}
    js = driver.execute_async_script(
        "const done = arguments[arguments.length - 1]; const qs = arguments[0];"
        "Promise.all(qs.map(q => window.guidegenSearch.run(q).then(r => [r.hits.slice(0, 10).map(h => h.page), r.uncovered,"
        " r.corrections.map(c => c.used)])))"
        ".then(all => done(all)).catch(e => done(String(e)));", queries)
    check(isinstance(js, list), f"search.js ran the judged queries ({js if not isinstance(js, list) else 'ok'})")
    if isinstance(js, list):
        differ = [(q, swift.get(q), pages) for q, pages in zip(queries, js) if swift.get(q) != pages]
        check(not differ, f"search.js ranks all {len(queries)} judged queries as the Swift reference does, with the same corrections"
                          f" and the same 'no guide' notes {differ[:2]}")

    # A typo: the results are for the nearest word, and the typed word is one click away.
    options = results_for(driver, "salery") if type_query(driver, "salery") else []
    note = driver.find_element(By.CSS_SELECTOR, ".search-correction")
    check(note.is_displayed() and "Showing results for salary" in note.text and options,
          f"'salery' shows results for salary and says so ({note.text!r})")
    note.find_element(By.TAG_NAME, "button").click()
    WebDriverWait(driver, 10).until(lambda d: not d.find_element(By.CSS_SELECTOR, ".search-correction").is_displayed())
    check(not driver.find_element(By.CSS_SELECTOR, ".search-correction").is_displayed(), "one click searches for the word as typed")
    # A role the site does not cover: said, with the nearest pages.
    options = results_for(driver, "data scientist") if type_query(driver, "data scientist") else []
    note = driver.find_element(By.CSS_SELECTOR, ".search-correction")
    check(note.is_displayed() and "No guide here is titled \u201cdata scientist\u201d" in note.text and options,
          f"'data scientist' says the site has no guide for it and shows the nearest pages ({note.text!r})")
    # A role result shows its median pay.
    options = results_for(driver, "backend developer") if type_query(driver, "backend developer") else []
    figure = options[0].find_elements(By.CSS_SELECTOR, ".search-figure") if options else []
    check(figure and figure[0].text.startswith("Median $"), f"a role result shows its median pay ({figure[0].text if figure else None!r})")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--guidegen", default=os.path.join(REPO, ".build", "release", "guidegen"))
    a = ap.parse_args()

    work = tempfile.mkdtemp(prefix="guidegen-e2e-")
    port = free_port()
    out = os.path.join(work, "guides")
    subprocess.run([a.guidegen, "build", "--source", REPO, "--output", out,
                    "--base-url", f"http://127.0.0.1:{port}/guides/"], check=True, stdout=subprocess.DEVNULL)
    # A hostile index: fragments whose URL is a script or another site. The script must not link them.
    tampered = {"Database Administrator": "javascript:document.title='pwned'//", "Mobile Developer": "//evil.example/x"}
    with open(os.path.join(out, "search", "manifest.json"), encoding="utf-8") as f:
        version = json.load(f)["version"]
    # Every file of the index but the manifest is in the folder its version names.
    check(sorted(os.listdir(os.path.join(out, "search"))) == sorted(["manifest.json", version]),
          f"search/ holds the manifest and the folder {version}/ only")
    fragments = os.path.join(out, "search", version, "f")
    for name in os.listdir(fragments):
        path = os.path.join(fragments, name)
        with open(path, encoding="utf-8") as f:
            fragment = json.load(f)
        if fragment.get("t") in tampered:
            fragment["u"] = tampered[fragment["t"]]
            with open(path, "w", encoding="utf-8") as f:
                json.dump(fragment, f)
    server = subprocess.Popen([sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port),
                               "--directory", work], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    driver = None
    try:
        wait_for_port(port)
        driver = browser()
        base = f"http://127.0.0.1:{port}/guides/"
        driver.get(base + "faqs/")

        # The form works without JavaScript: a GET to the A-Z list of roles.
        form = driver.find_element(By.CSS_SELECTOR, "form.search[role=search]")
        check(form.get_attribute("action") == base + "roles/", "no-JS fallback: form action is the A-Z roles page")

        # First result, title and snippet with marks, kind and category, result count.
        options = results_for(driver, type_query(driver, "backend developer").get_attribute("value"))
        check(len(options) > 0, "'backend developer' shows results")
        first = options[0]
        title = first.find_element(By.CSS_SELECTOR, ".search-title").text
        check(title == "Backend Developer", f"first result is Backend Developer (got {title!r})")
        href = first.find_element(By.TAG_NAME, "a").get_attribute("href")
        check(href == base + "roles/backend-developer/", f"first result links under the sub-path ({href})")
        check(first.find_element(By.CSS_SELECTOR, ".search-kind").text.lower() == "role", "kind shown")
        check(first.find_element(By.CSS_SELECTOR, ".search-category").text == "Web Development", "category shown")
        marks = first.find_elements(By.CSS_SELECTOR, ".search-snippet mark")
        check(len(marks) > 0, "snippet marks the matched words")
        status = driver.find_element(By.ID, "search-status")
        check(status.get_attribute("aria-live") == "polite" and status.text.endswith("results"),
              f"result count is announced ({status.text!r})")

        # back-end finds Backend Developer through its alternate titles.
        options = results_for(driver, type_query(driver, "back-end").get_attribute("value"))
        check(options and options[0].find_element(By.CSS_SELECTOR, ".search-title").text == "Backend Developer",
              "'back-end' finds Backend Developer first")

        # Prefix while typing, diacritics and case.
        options = results_for(driver, type_query(driver, "KUBERN").get_attribute("value"))
        check(len(options) > 0, "a prefix ('KUBERN') finds pages while typing")
        options = results_for(driver, type_query(driver, "résumé").get_attribute("value"))
        check(any("Resume" in o.text for o in options), "'résumé' finds the resume guide")

        # Keyboard: arrows move the active option, Enter opens it, Escape closes then clears.
        box = type_query(driver, "engineer")
        options = results_for(driver, "engineer")
        check(len(options) >= 3, "'engineer' has several results")
        box.send_keys(Keys.ARROW_DOWN)
        box.send_keys(Keys.ARROW_DOWN)
        selected = driver.find_elements(By.CSS_SELECTOR, "#search-results [aria-selected=true]")
        check(len(selected) == 1 and selected[0].get_attribute("id") == options[1].get_attribute("id"),
              "ArrowDown twice selects the second result")
        check(box.get_attribute("aria-activedescendant") == options[1].get_attribute("id"),
              "aria-activedescendant follows the selection")
        box.send_keys(Keys.ARROW_UP)
        target = options[0].find_element(By.TAG_NAME, "a").get_attribute("href")
        check(box.get_attribute("aria-activedescendant") == options[0].get_attribute("id"), "ArrowUp goes back")
        box.send_keys(Keys.ESCAPE)
        check("open" not in driver.find_element(By.CSS_SELECTOR, "form.search").get_attribute("class").split()
              and box.get_attribute("aria-expanded") == "false" and box.get_attribute("value") == "engineer",
              "Escape closes the list and keeps the text")
        box.send_keys(Keys.ESCAPE)
        check(box.get_attribute("value") == "", "a second Escape clears the box")
        options = results_for(driver, type_query(driver, "engineer").get_attribute("value"))
        box = driver.find_element(By.ID, "search-input")
        box.send_keys(Keys.ARROW_DOWN)
        box.send_keys(Keys.ENTER)
        WebDriverWait(driver, 10).until(lambda d: d.current_url == target)
        check(driver.current_url == target, "Enter opens the selected result")

        # No result.
        options = results_for(driver, type_query(driver, "zzqxv").get_attribute("value"))
        status = driver.find_element(By.ID, "search-status").text
        check(len(options) == 0 and status == "No results for \u201czzqxv\u201d", f"no-result message ({status!r})")

        # The no-JS target page runs the query it was sent.
        driver.get(base + "roles/?q=data+engineer")
        options = results_for(driver, "data engineer")
        check(options and options[0].find_element(By.CSS_SELECTOR, ".search-title").text == "Data Engineer",
              "roles/?q=data+engineer shows Data Engineer first")

        # Only the site's own relative links are followed, whatever the index says.
        for title, url in tampered.items():
            driver.get(base + "faqs/")
            options = results_for(driver, type_query(driver, title.lower()).get_attribute("value"))
            first = options[0] if options else None
            check(first is not None and first.find_element(By.CSS_SELECTOR, ".search-title").text == title,
                  f"{title} is still listed")
            links = first.find_elements(By.CSS_SELECTOR, "a") if first else []
            check(first is not None and not links, f"a result whose URL is {url!r} has no link")
            driver.find_element(By.ID, "search-input").send_keys(Keys.ENTER)
            time.sleep(0.3)
            check(driver.current_url.startswith(base) and driver.title != "pwned", "Enter on it goes nowhere")

        # The browser's stemmer and tokenizer agree with the Swift ones.
        vectors = []
        with open(os.path.join(FIXTURES, "stem-vectors.txt"), encoding="utf-8") as f:
            for line in f:
                if line.strip() and not line.startswith("#"):
                    word, stem = line.rstrip("\n").split("\t")
                    vectors.append((word, stem))
        got = driver.execute_script("return arguments[0].map(w => window.guidegenSearch.stem(w));",
                                    [w for w, _ in vectors])
        wrong = [(w, s, g) for (w, s), g in zip(vectors, got) if s != g]
        check(not wrong, f"JS stemmer matches {len(vectors)} reference stems {wrong[:5]}")
        with open(os.path.join(FIXTURES, "tokenizer-cases.json"), encoding="utf-8") as f:
            cases = json.load(f)
        got = driver.execute_script(
            "return arguments[0].map(c => window.guidegenSearch.queryTerms(c.text).map(t => t.term));", cases)
        wrong = [(c["text"], c["query"], g) for c, g in zip(cases, got) if c["query"] != g]
        check(not wrong, f"JS query terms match the Swift tokenizer on {len(cases)} cases {wrong[:3]}")
        check_reading(driver, base, a.guidegen, port)
    finally:
        if driver:
            driver.quit()
        server.terminate()
        server.wait()
    finish("search e2e")


if __name__ == "__main__":
    main()

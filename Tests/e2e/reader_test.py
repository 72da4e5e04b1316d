#!/usr/bin/env python3
"""The reader's guide in real headless Chromium, at 1280 px and 390 px.

Builds the bundled site, serves it with a plain static server and checks what a reader sees:
every role page opens with its quick facts (and its pay chart where the role has percentiles)
before the body; the pay chart's labels are at least 12 px on a phone; the backend page is under
half the height it had before the second edition; career diagrams draw and their role links
work; `/roles/` compares every role in a table that is readable without JavaScript, sorts by
column with it (aria-sort says the order) and scrolls inside its own focusable region on a phone
without making the page wider; "Show more" lists open without script; the "X vs Y" page shows both roles'
median pay without sideways scrolling and links to both roles; printed to A4, the backend page
takes at most 6 pages without navigation, contents or related lists, and its sources print their addresses.

    python3 Tests/e2e/reader_test.py [--guidegen .build/release/guidegen] [--screenshots DIR]

--screenshots keeps a full-page PNG of each role page, /roles/, a salary guide and a category
page at both widths (the pictures the issue's note names).
"""
import argparse
import base64
import functools
import http.server
import os
import re
import subprocess
import sys
import tempfile
import threading
import urllib.request

from selenium.webdriver.common.by import By

from harness import browser, check, finish, free_port

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# Heights of /roles/backend-developer/ built by 4796b28 (before this edition), measured in this
# Chromium on 2026-12-01 (390 px as an emulated phone viewport): the page must come in under half of them.
BACKEND_BEFORE = {1280: 18216, 390: 30467}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(root):
    port = free_port()
    handler = functools.partial(QuietHandler, directory=root)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{port}"


def full_height(driver):
    return driver.execute_script("return document.documentElement.scrollHeight")


def screenshot(driver, width, path):
    """The whole page: the viewport made as tall as the page (emulated on a phone width), then back."""
    height = min(full_height(driver), 16000)
    if width < 500:
        metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True}
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
        driver.save_screenshot(path)
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", dict(metrics, height=900))
    else:
        driver.set_window_size(width, height)
        driver.save_screenshot(path)
        driver.set_window_size(width, 900)


def check_print(driver, base):
    """The backend page printed to A4 by Chromium: at most 6 pages; what only a screen needs is left out, headings
    stay with what follows, and outside links print their address after their text."""
    driver.get(base + "/roles/backend-developer/")
    pdf = base64.b64decode(driver.execute_cdp_cmd("Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69})["data"])
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    check(0 < pages <= 6, f"print: the backend page is {pages} A4 pages (at most 6)")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        hidden = driver.execute_script(
            "return ['.site-header', 'nav.toc', 'section.related', 'section.resources', '.site-footer']"
            ".map(s => document.querySelector(s)).filter(e => e).map(e => getComputedStyle(e).display)")
        check(hidden and all(d == "none" for d in hidden), f"print: navigation, contents and related lists are left out ({hidden})")
        after = driver.execute_script(
            "const a = document.querySelector('.gg-sources a[href^=\"http\"]'); return [a.href, getComputedStyle(a, '::after').content]")
        check(after[0] in after[1], f"print: a source prints its address after its text ({after[1][:60]}...)")
        keep = driver.execute_script("return getComputedStyle(document.querySelector('.content h2')).breakAfter")
        check(keep == "avoid", f"print: headings stay with what follows (break-after: {keep})")
        figures = driver.execute_script("return getComputedStyle(document.querySelector('svg.pay-chart')).breakInside")
        check(figures == "avoid", f"print: charts are not split across pages (break-inside: {figures})")
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


COMPARISON = "/compare/backend-developer-vs-frontend-developer/"


def check_comparison(driver, base, width):
    """The "X vs Y" page: both roles' median pay on screen, no page-wide sideways scroll, the two roles side by
    side on a wide screen and one after the other on a phone, and links to both roles that open them; a
    sentence that the figures are one occupation's where both roles show Software Developers'; the role page links back."""
    driver.get(base + COMPARISON)
    check(driver.find_element(By.TAG_NAME, "h1").text == "Backend Developer vs Frontend Developer", f"{width}px comparison: its title")
    columns = driver.find_elements(By.CSS_SELECTOR, ".versus-role")
    check(len(columns) == 2, f"{width}px comparison: two role columns ({len(columns)})")
    medians = [c.find_element(By.CSS_SELECTOR, ".versus-facts dd strong") for c in columns]
    check(all(m.is_displayed() and m.text.startswith("$") for m in medians),
          f"{width}px comparison: both medians visible ({[m.text for m in medians]})")
    check(all(m.rect["x"] >= 0 and m.rect["x"] + m.rect["width"] <= width for m in medians), f"{width}px comparison: both medians within the screen")
    page_width = driver.execute_script("return document.documentElement.scrollWidth")
    check(page_width <= width, f"{width}px comparison: the page is not wider than the screen ({page_width})")
    side = abs(columns[0].rect["y"] - columns[1].rect["y"]) < 2 and columns[0].rect["x"] < columns[1].rect["x"]
    stacked = columns[1].rect["y"] >= columns[0].rect["y"] + columns[0].rect["height"]
    check(side if width >= 1000 else stacked, f"{width}px comparison: the roles {'side by side' if width >= 1000 else 'one after the other'}")
    # Backend (Software Developers) and frontend (Web Developers) show two occupations' figures: not called the same.
    check(not driver.find_elements(By.CSS_SELECTOR, ".same-figures"), f"{width}px comparison: two occupations' figures are not called the same")
    quote = driver.find_elements(By.CSS_SELECTOR, ".versus-notes blockquote")
    check(len(quote) == 2 and "browser" in quote[0].text, f"{width}px comparison: quotes the backend page's row on the frontend role")
    for index, slug in enumerate(["backend-developer", "frontend-developer"]):
        driver.get(base + COMPARISON)
        link = driver.find_elements(By.CSS_SELECTOR, ".versus-role h2 a")[index]
        title = link.text
        link.click()
        check(driver.current_url == f"{base}/roles/{slug}/" and driver.find_element(By.TAG_NAME, "h1").text == title,
              f"{width}px comparison: the link to {title} opens it")
    # Backend and full-stack developers both show Software Developers' figures: the page says they cannot separate them.
    driver.get(base + "/compare/backend-developer-vs-full-stack-developer/")
    same = driver.find_elements(By.CSS_SELECTOR, ".same-figures")
    check(bool(same) and same[0].is_displayed() and "Software Developers" in same[0].text and "cannot tell these roles apart" in same[0].text,
          f"{width}px comparison: backend vs full-stack says both show one occupation's figures")
    driver.get(base + "/roles/backend-developer/")
    back = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, ".compare-links a")]
    check(base + COMPARISON in back, f"{width}px the backend page's 'Compare with' links to the comparison ({len(back)} links)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--guidegen", default=os.path.join(REPO, ".build", "release", "guidegen"))
    ap.add_argument("--screenshots")
    a = ap.parse_args()

    work = tempfile.mkdtemp(prefix="guidegen-reader-")
    out = os.path.join(work, "site")
    subprocess.run([a.guidegen, "build", "--source", REPO, "--output", out], check=True, stdout=subprocess.DEVNULL)
    base = serve(out)
    roles = sorted(name for name in os.listdir(os.path.join(out, "roles")) if os.path.isdir(os.path.join(out, "roles", name)))
    check(len(roles) >= 16, f"{len(roles)} role pages built")

    # Without JavaScript: the comparison table is in the HTML, one row per role, sorted by title.
    html = urllib.request.urlopen(base + "/roles/").read().decode()
    rows = re.findall(r'<tr><th scope="row" data-sort="([^"]*)"><a href="/roles/([a-z0-9-]+)/">', html)
    check(sorted(slug for _, slug in rows) == roles, f"/roles/ HTML has one table row per role ({len(rows)})")
    check([title for title, _ in rows] == sorted(title for title, _ in rows), "rows start in title order")
    check('aria-sort="ascending"' in html and 'role="region"' in html and 'aria-labelledby="gg-compare-caption"' in html,
          "the table sits in a labelled region and says its order")

    for width in (1280, 390):
        driver = browser(width, 900)
        try:
            for slug in roles:
                driver.get(f"{base}/roles/{slug}/")
                facts = driver.find_elements(By.CSS_SELECTOR, "section.quick-facts .fact-group")
                content = driver.find_element(By.CSS_SELECTOR, ".content")
                first = facts[0].rect["y"] if facts else None
                has_pay = bool(driver.find_elements(By.CSS_SELECTOR, ".quick-facts .fact-group h3"))
                check(len(facts) >= 2, f"{width}px {slug}: quick facts with pay and outlook ({len(facts)} groups)")
                # Whose figures these are, where they are an occupation's that is not the role alone.
                whose = driver.find_elements(By.CSS_SELECTOR, ".quick-facts .whose-figures")
                if whose:
                    check(whose[0].is_displayed() and "BLS figures for" in whose[0].text and whose[0].rect["y"] < content.rect["y"],
                          f"{width}px {slug}: says whose figures they are before the body")
                if facts:
                    # Beside the lead on a wide screen (first screenful), under it on a phone, before the body either way.
                    check(first < 900 if width == 1280 else first < content.rect["y"],
                          f"{width}px {slug}: quick facts open the page (y={first:.0f}, body at {content.rect['y']:.0f})")
                charts = driver.find_elements(By.CSS_SELECTOR, ".quick-facts svg.pay-chart")
                if charts:
                    # The font size on screen: the label's font size in SVG units times the SVG's scale.
                    sizes = driver.execute_script(
                        "return Array.from(arguments[0].querySelectorAll('text')).map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)",
                        charts[0])
                    smallest = min(sizes)
                    check(smallest >= 12 if width == 390 else smallest >= 11, f"{width}px {slug}: chart labels at least {smallest:.1f} px")
                    check(charts[0].rect["y"] < content.rect["y"], f"{width}px {slug}: the chart is above the body")
                diagrams = driver.find_elements(By.CSS_SELECTOR, "svg.career-diagram")
                if diagrams:
                    check(diagrams[0].rect["height"] > 50, f"{width}px {slug}: career diagram drawn ({diagrams[0].rect['height']:.0f} px)")
                if slug == "backend-developer":
                    height = full_height(driver)
                    check(height < BACKEND_BEFORE[width] / 2,
                          f"{width}px backend page {height} px, under half of {BACKEND_BEFORE[width]}")
                    links = driver.find_elements(By.CSS_SELECTOR, "svg.career-diagram a")
                    check(len(links) >= 2, f"{width}px backend diagram links {len(links)} roles")
                    details = driver.find_elements(By.CSS_SELECTOR, "details.more")
                    if details:
                        hidden = details[0].find_elements(By.CSS_SELECTOR, "li")[0]
                        check(not hidden.is_displayed(), "mentions past the first six start hidden")
                        details[0].find_element(By.TAG_NAME, "summary").click()
                        check(hidden.is_displayed(), "Show more opens them, without script")

            check_comparison(driver, base, width)
            if width == 1280:
                check_print(driver, base)
            # The comparison table with JavaScript: sortable, aria-sort, and a phone scrolls the region, not the page.
            driver.get(base + "/roles/")
            shared = [e for e in driver.find_elements(By.CSS_SELECTOR, "table.sortable tbody th .note") if "BLS figures for Software Developers" in e.text]
            check(len(shared) >= 5, f"{width}px /roles/ marks the rows that show Software Developers' figures ({len(shared)})")
            region = driver.find_element(By.CSS_SELECTOR, ".table-scroll.compare")
            check(region.get_attribute("tabindex") == "0", f"{width}px table region is focusable")
            if width == 390:
                # Role, median pay and outlook fit the screen; the other columns are one tap away.
                page_width = driver.execute_script("return document.documentElement.scrollWidth")
                inner = driver.execute_script("return [arguments[0].scrollWidth, arguments[0].clientWidth]", region)
                check(page_width <= 390, f"390px page is not wider than the screen ({page_width})")
                check(inner[0] <= inner[1], f"390px the table needs no sideways scrolling ({inner[0]} <= {inner[1]})")
                shown = [h.text for h in driver.find_elements(By.CSS_SELECTOR, "table.sortable thead th") if h.is_displayed()]
                check(shown == ["Role", "Median pay", "Outlook"], f"390px the columns shown are role, median pay and outlook ({shown})")
                cell = driver.find_element(By.CSS_SELECTOR, "table.sortable tbody tr td:not(.optional)")
                check(cell.is_displayed() and cell.rect["x"] + cell.rect["width"] <= 390, "390px the first median is on screen")
                driver.find_element(By.CSS_SELECTOR, "label.every-column").click()
                shown = [h.text for h in driver.find_elements(By.CSS_SELECTOR, "table.sortable thead th") if h.is_displayed()]
                check(len(shown) == 6, f"390px 'Show every column' shows all six ({len(shown)})")
                inner = driver.execute_script("return [arguments[0].scrollWidth, arguments[0].clientWidth]", region)
                page_width = driver.execute_script("return document.documentElement.scrollWidth")
                check(page_width <= 390 and inner[0] > inner[1], f"390px then the table scrolls inside its region ({inner[0]} > {inner[1]}), not the page")
            else:
                check(not driver.find_element(By.CSS_SELECTOR, "label.every-column").is_displayed(), f"{width}px every column shows, no toggle")
            headers = driver.find_elements(By.CSS_SELECTOR, "table.sortable thead th")
            median = next(h for h in headers if "Median pay" in h.text)
            median.find_element(By.TAG_NAME, "button").click()

            def column(index):
                return driver.execute_script(
                    "return Array.from(document.querySelectorAll('table.sortable tbody tr')).map(r => r.children[arguments[0]].getAttribute('data-sort'))",
                    index)
            index = headers.index(median)
            values = column(index)
            numbers = [float(v) for v in values if v]
            check(median.get_attribute("aria-sort") == "descending" and numbers == sorted(numbers, reverse=True) and all(values[:len(numbers)]),
                  f"{width}px sorted by median pay, highest first, blanks last: {values[:4]}...")
            check(headers[0].get_attribute("aria-sort") is None, f"{width}px the title column no longer claims an order")
            median.find_element(By.TAG_NAME, "button").click()
            numbers = [float(v) for v in column(index) if v]
            check(median.get_attribute("aria-sort") == "ascending" and numbers == sorted(numbers),
                  f"{width}px a second click sorts lowest first")
        finally:
            driver.quit()
    if a.screenshots:
        os.makedirs(a.screenshots, exist_ok=True)
        pages = [(f"/roles/{slug}/", f"role-{slug}") for slug in roles] + [
            ("/roles/", "roles"), ("/salaries/backend-developer/", "salary-backend"),
            ("/categories/web-development/", "category-web"), ("/skills/python/", "skill-python")]
        for width in (1280, 390):
            driver = browser(width, 900)
            try:
                for path, name in pages:
                    driver.get(base + path)
                    screenshot(driver, width, os.path.join(a.screenshots, f"{name}-{width}.png"))
            finally:
                driver.quit()
    finish("reader")


if __name__ == "__main__":
    main()

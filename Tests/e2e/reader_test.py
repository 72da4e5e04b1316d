#!/usr/bin/env python3
"""The reader's guide in real headless Chromium, at 1280 px and 390 px.

Builds the bundled site, serves it with a plain static server and checks what a reader sees:
every role page opens with its quick facts (and its pay chart where the role has percentiles)
before the body, and its first screen (900 px) shows the median pay or why there is none, the outlook and
how to get in; the pay chart's labels are at least 12 px on a phone; the backend page is at most 10,000 px
tall at 390 px and 6,000 px at 1280 px, its career path splits into two tracks drawn side by side and said
the same way in words, and Tab reaches its table of contents before its skill chips; reader pages carry no
backlink lists; career diagrams draw and their role links work; `/roles/` compares every role in a table that
is readable without JavaScript, sorts by
column with it (aria-sort says the order) and scrolls inside its own focusable region on a phone
without making the page wider; its filters (shown only with JavaScript) narrow the rows, say how many
show, keep the choice in a URL that opens the same rows, ignore values they do not know and fit a phone; the
"X vs Y" page shows both roles' median pay without sideways scrolling and links to both roles; printed to A4, the backend page
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
import time
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select

from harness import browser, check, finish, free_port

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# Heights of /roles/backend-developer/ built by 4796b28 (before the second edition), measured in this
# Chromium on 2026-12-01 (390 px as an emulated phone viewport): 18,216 and 30,467 px. After the second edition
# (c8c785e) it was 8,270 and 15,089 px; the decision-first page must fit these.
BACKEND_MOST = {1280: 6000, 390: 10000}


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


def check_first_screen(driver, width, slug):
    """What a reader deciding needs is on the first screen (900 px tall): the pay (or why there is none), the
    outlook and how to get in."""
    tiles = {e.find_element(By.TAG_NAME, "dt").text: e for e in driver.find_elements(By.CSS_SELECTOR, ".quick-facts .glance > div")}
    missing = driver.find_elements(By.CSS_SELECTOR, ".quick-facts .missing-figures")
    pay = tiles.get("Median pay") or (missing[0] if missing else None)
    outlook = tiles.get("Outlook") or (missing[0] if missing else None)
    get_in = tiles.get("How to get in")
    for name, element in (("pay", pay), ("outlook", outlook), ("how to get in", get_in)):
        check(element is not None and element.is_displayed() and element.rect["y"] + element.rect["height"] <= 900,
              f"{width}px {slug}: {name} on the first screen ({element.rect['y'] if element else None})")
    link = get_in.find_element(By.TAG_NAME, "a") if get_in else None
    target = link.get_attribute("href") if link else ""
    check("/guides/how-to-become-" in target or target.endswith("#gg-get-in"), f"{width}px {slug}: 'how to get in' leads to the route ({target})")
    box = driver.find_elements(By.CSS_SELECTOR, "section.get-in")
    check(box and box[0].rect["y"] < driver.find_element(By.CSS_SELECTOR, ".content").rect["y"] + (0 if width < 1000 else 10**6),
          f"{width}px {slug}: the 'How to get in' box sits with the quick facts")


def check_branching_path(driver, width):
    """The backend path splits after Senior into two tracks: drawn side by side, said the same way in words."""
    tracks = driver.find_elements(By.CSS_SELECTOR, "svg.career-diagram text.track")
    names = [t.get_attribute("textContent") for t in tracks]
    check(len(tracks) >= 2, f"{width}px backend diagram draws the tracks ({names})")
    xs = sorted({round(t.rect["x"]) for t in tracks})
    check(len(xs) >= 2, f"{width}px the tracks sit side by side ({xs})")
    sizes = driver.execute_script(
        "return Array.from(document.querySelectorAll('svg.career-diagram text')).map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)")
    check(min(sizes) >= 11.5, f"{width}px diagram text at least {min(sizes):.1f} px")
    words = driver.find_elements(By.CSS_SELECTOR, ".career-words h3")
    check([w.get_attribute("textContent") for w in words] == ["Individual contributor", "Management"],
          f"{width}px the text alternative names the same tracks")


def check_tab_order(driver, width):
    """Pressing Tab from the top reaches the table of contents before the skill chips."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
    driver.execute_script("window.scrollTo(0, 0); document.activeElement && document.activeElement.blur()")
    seen = None
    for _ in range(120):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        where = driver.execute_script(
            "const a = document.activeElement; return a.closest('nav.toc') ? 'toc' : a.closest('.chips') ? 'chips' : null")
        if where:
            seen = where
            break
    check(seen == "toc", f"{width}px Tab reaches the table of contents before the skill chips ({seen})")


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


def visible_rows(driver):
    """The slugs of the table rows shown, in order."""
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('.compare tbody tr')).filter(r => !r.hidden && r.offsetParent)"
        ".map(r => r.querySelector('th a').getAttribute('href'))")


def check_without_script(base, count):
    """Chromium with JavaScript turned off: every row shows and no filter control does."""
    driver = browser(1280, 900, javascript=False)
    try:
        driver.get(base + "/roles/?category=data&pay=100000")
        form = driver.find_element(By.CSS_SELECTOR, "form.filters")
        rows = [r for r in driver.find_elements(By.CSS_SELECTOR, ".compare tbody tr") if r.is_displayed()]
        check(not form.is_displayed() and len(rows) == count,
              f"without JavaScript: no filter controls, all {len(rows)} of {count} rows shown (filters in the URL ignored)")
    finally:
        driver.quit()


def check_filters(driver, base, width):
    """With JavaScript: the filter bar narrows the rows, says how many show, keeps the choice in the URL (a fresh page
    opened at that URL shows the same rows), ignores values it does not know, works with sorting and fits a phone."""
    driver.get(base + "/roles/")
    form = driver.find_element(By.CSS_SELECTOR, "form.filters")
    count = form.find_element(By.CSS_SELECTOR, ".filter-count")
    total = len(visible_rows(driver))
    check(form.is_displayed() and count.text == f"Showing {total} of {total} roles", f"{width}px the filter bar shows: '{count.text}'")
    labels = [l.text for l in form.find_elements(By.TAG_NAME, "label")]
    # Entry education is offered only where the rows differ in it (the bundled roles all need a bachelor's degree).
    educations = set(driver.execute_script("return Array.from(document.querySelectorAll('.compare tbody tr')).map(r => r.dataset.education || '')"))
    expected = ["Category"] + (["Entry education"] if len(educations) > 1 else []) + ["Outlook", "Median pay"]
    check(labels == expected, f"{width}px filters offered: {labels}")
    if width == 390:
        page_width = driver.execute_script("return document.documentElement.scrollWidth")
        right = driver.execute_script("return arguments[0].getBoundingClientRect().right", form)
        check(page_width <= 390 and right <= 390, f"390px the filter bar fits the screen (page {page_width}, bar ends at {right:.0f})")
    Select(driver.find_element(By.ID, "gg-filter-category")).select_by_value("software-engineering")
    shown = visible_rows(driver)
    categories = driver.execute_script(
        "return Array.from(document.querySelectorAll('.compare tbody tr')).filter(r => !r.hidden).map(r => r.dataset.category)")
    check(0 < len(shown) < total and set(categories) == {"software-engineering"} and count.text == f"Showing {len(shown)} of {total} roles",
          f"{width}px category narrows to {len(shown)} rows and says so ('{count.text}')")
    pay = Select(driver.find_element(By.ID, "gg-filter-pay"))
    threshold = pay.options[len(pay.options) // 2].get_attribute("value")
    pay.select_by_value(threshold)
    shown = visible_rows(driver)
    values = driver.execute_script(
        "return Array.from(document.querySelectorAll('.compare tbody tr')).filter(r => !r.hidden).map(r => parseFloat(r.dataset.pay))")
    check(all(v >= float(threshold) for v in values) and count.text == f"Showing {len(shown)} of {total} roles",
          f"{width}px and median pay {threshold} or more: {len(shown)} rows ('{count.text}')")
    url = driver.current_url
    check(url.endswith(f"/roles/?category=software-engineering&pay={threshold}"), f"{width}px the URL keeps the filters ({url})")
    # Sorting keeps the filter: the rows shown are the same, in median order.
    headers = driver.find_elements(By.CSS_SELECTOR, "table.sortable thead th")
    next(h for h in headers if "Median pay" in h.text).find_element(By.TAG_NAME, "button").click()
    resorted = visible_rows(driver)
    check(sorted(resorted) == sorted(shown), f"{width}px sorting keeps the filtered rows ({len(resorted)})")
    driver.get("about:blank")
    driver.get(url)
    check(sorted(visible_rows(driver)) == sorted(shown), f"{width}px the shared URL opens with the same {len(shown)} rows")
    check(Select(driver.find_element(By.ID, "gg-filter-pay")).first_selected_option.get_attribute("value") == threshold
          and Select(driver.find_element(By.ID, "gg-filter-category")).first_selected_option.get_attribute("value") == "software-engineering",
          f"{width}px and with its choices selected")
    driver.find_element(By.CSS_SELECTOR, ".clear-filters").click()
    check(len(visible_rows(driver)) == total and driver.current_url == base + "/roles/",
          f"{width}px Clear filters shows every row and clears the URL ({driver.current_url})")
    # Values that are no option are ignored: never written into the page, dropped from the URL.
    driver.get(base + "/roles/?category=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&pay=abc&outlook=declining&x=1")
    injected = driver.execute_script("return document.querySelectorAll('img[src=\"x\"], [onerror]').length")
    check(injected == 0 and driver.current_url == base + "/roles/?outlook=declining&x=1",
          f"{width}px unknown values are ignored, never put in the page, and left out of the URL ({driver.current_url})")
    outlook = driver.execute_script(
        "return Array.from(document.querySelectorAll('.compare tbody tr')).filter(r => !r.hidden).map(r => r.dataset.outlook)")
    check(outlook and set(outlook) == {"declining"} and count_text(driver) == f"Showing {len(outlook)} of {total} roles",
          f"{width}px while a known one applies ({count_text(driver)})")
    # A category page: the same table and filters, without the category select (every row is in it).
    driver.get(base + "/categories/software-engineering/")
    selects = [s.get_attribute("name") for s in driver.find_elements(By.CSS_SELECTOR, "form.filters select")]
    check("category" not in selects and "pay" in selects and count_text(driver).startswith("Showing"),
          f"{width}px a category page filters by {selects}")


def count_text(driver):
    return driver.find_element(By.CSS_SELECTOR, "form.filters .filter-count").text


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


def check_old_address(base):
    """An old address (the backend guide's `aliases:`) lands on the page's address in a real browser, scripts on or
    off (the redirect page's meta refresh needs none)."""
    for javascript in (True, False):
        driver = browser(1280, 900, javascript=javascript)
        try:
            driver.get(base + "/roles/back-end-developer/")
            deadline = time.time() + 10
            while not driver.current_url.endswith("/roles/backend-developer/") and time.time() < deadline:
                time.sleep(0.1)
            landed = driver.current_url.endswith("/roles/backend-developer/")
            title = driver.find_element(By.TAG_NAME, "h1").text if landed else ""
            check(landed and "Backend Developer" in title,
                  f"scripts {'on' if javascript else 'off'}: /roles/back-end-developer/ lands on {driver.current_url} ({title!r})")
        finally:
            driver.quit()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--guidegen", default=os.path.join(REPO, ".build", "release", "guidegen"))
    ap.add_argument("--screenshots")
    a = ap.parse_args()

    work = tempfile.mkdtemp(prefix="guidegen-reader-")
    out = os.path.join(work, "site")
    subprocess.run([a.guidegen, "build", "--source", REPO, "--output", out], check=True, stdout=subprocess.DEVNULL)
    base = serve(out)
    def is_redirect(name):
        with open(os.path.join(out, "roles", name, "index.html"), encoding="utf-8") as f:
            return 'http-equiv="refresh"' in f.read()
    # Role pages: the folders under roles/, but the redirect pages of old addresses (aliases:).
    roles = sorted(name for name in os.listdir(os.path.join(out, "roles"))
                   if os.path.isdir(os.path.join(out, "roles", name)) and not is_redirect(name))
    check(len(roles) >= 16, f"{len(roles)} role pages built")

    # Without JavaScript: the comparison table is in the HTML, one row per role, sorted by title.
    html = urllib.request.urlopen(base + "/roles/").read().decode()
    rows = re.findall(r'<tr[^>]*><th scope="row" data-sort="([^"]*)"><a href="/roles/([a-z0-9-]+)/">', html)
    check(sorted(slug for _, slug in rows) == roles, f"/roles/ HTML has one table row per role ({len(rows)})")
    check([title for title, _ in rows] == sorted(title for title, _ in rows), "rows start in title order")
    check('aria-sort="ascending"' in html and 'role="region"' in html and 'aria-labelledby="gg-compare-caption"' in html,
          "the table sits in a labelled region and says its order")

    # Reader pages carry no backlink lists ("Pages that link here", "Also mentioned in", "Roles on this page").
    for path in ("/faqs/backend-developer/", "/guides/how-to-become-backend-developer/", "/salaries/backend-developer/", "/about/"):
        page = urllib.request.urlopen(base + path).read().decode()
        check(not any(t in page for t in ("Pages that link here", "Also mentioned in", "Roles on this page")), f"{path} has no backlink lists")
    salary = urllib.request.urlopen(base + "/salaries/backend-developer/").read().decode()
    check(salary.count("$135,980") == 2 and "<caption>Pay distribution" not in salary and "aria-label=\"Pay distribution" in salary,
          "the salary guide shows the figures once, in its chart (drawn, and said in its label), not again in text or a table")
    # The filters: in the HTML only as a hidden form; every row carries what they match.
    check(re.search(r'<form class="filters"[^>]* hidden>', html) is not None, "/roles/ HTML has the filter form, hidden until its script runs")
    tags = re.findall(r'<tr( [^>]*)?><th scope="row"', html)
    check(len(tags) == len(rows) and all('data-category="' in t for t in tags), f"every row carries its category ({len(tags)})")
    check_without_script(base, len(rows))

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
                def before_body(element, first_screen=True):
                    """Above the body, or beside it in the right column on a wide screen (on its first screen)."""
                    r, c = element.rect, content.rect
                    return r["y"] < c["y"] or (width >= 1000 and r["x"] >= c["x"] + c["width"] and (r["y"] < 900 or not first_screen))

                whose = driver.find_elements(By.CSS_SELECTOR, ".quick-facts .whose-figures")
                if whose:
                    check(whose[0].is_displayed() and "BLS figures for" in whose[0].text and before_body(whose[0], first_screen=False),
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
                    check(before_body(charts[0]), f"{width}px {slug}: the chart is above the body, or beside it")
                diagrams = driver.find_elements(By.CSS_SELECTOR, "svg.career-diagram")
                if diagrams:
                    check(diagrams[0].rect["height"] > 50, f"{width}px {slug}: career diagram drawn ({diagrams[0].rect['height']:.0f} px)")
                check_first_screen(driver, width, slug)
                if slug == "backend-developer":
                    height = full_height(driver)
                    check(height <= BACKEND_MOST[width], f"{width}px backend page {height} px, at most {BACKEND_MOST[width]}")
                    check_branching_path(driver, width)
                    check_tab_order(driver, width)
                    links = driver.find_elements(By.CSS_SELECTOR, "svg.career-diagram a")
                    check(len(links) >= 2, f"{width}px backend diagram links {len(links)} roles")
                    shown = driver.find_element(By.TAG_NAME, "main").text
                    check("Also mentioned in" not in shown and "Pages that link here" not in shown, f"{width}px no backlink lists on the role page")

            check_comparison(driver, base, width)
            if width == 1280:
                check_print(driver, base)
                # An old address (aliases:) lands on the page, in the browser, by its meta refresh.
                driver.get(base + "/roles/back-end-developer/")
                for _ in range(50):
                    if driver.current_url.endswith("/roles/backend-developer/"):
                        break
                    time.sleep(0.1)
                check(driver.current_url == base + "/roles/backend-developer/" and driver.find_element(By.TAG_NAME, "h1").text == "Backend Developer",
                      f"the old address /roles/back-end-developer/ lands on the Backend Developer page ({driver.current_url})")
            check_filters(driver, base, width)
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
    check_old_address(base)
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

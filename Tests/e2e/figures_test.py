#!/usr/bin/env python3
"""Figures from data files as a reader sees them, in headless Chromium at 1280 px and 390 px.

Copies the fixture site (Tests/SiteTests/Fixtures/basic), declares OEWS national, OEWS state and
Employment Projections files written here in BLS's layouts (CSV), gives two roles the same occupation,
builds it and checks: the pay-by-state tile map draws inside the page at both widths with labels a
phone can read, its table (the map's text alternative) lists every state and sorts, the top-paying
states are in the quick facts, and pages say whose figures the roles show.

    python3 Tests/e2e/figures_test.py [--guidegen .build/release/guidegen]
"""
import argparse
import csv
import os
import re
import shutil
import subprocess
import tempfile

from selenium.webdriver.common.by import By

from harness import browser, check, finish
from reader_test import serve

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OEWS = ("AREA,AREA_TITLE,AREA_TYPE,PRIM_STATE,NAICS,NAICS_TITLE,I_GROUP,OWN_CODE,OCC_CODE,OCC_TITLE,O_GROUP,TOT_EMP,EMP_PRSE,"
        "JOBS_1000,LOC_QUOTIENT,PCT_TOTAL,PCT_RPT,H_MEAN,A_MEAN,MEAN_PRSE,H_PCT10,H_PCT25,H_MEDIAN,H_PCT75,H_PCT90,A_PCT10,"
        "A_PCT25,A_MEDIAN,A_PCT75,A_PCT90,ANNUAL,HOURLY").split(",")
STATES = [("Alabama", "AL"), ("Alaska", "AK"), ("Arizona", "AZ"), ("Arkansas", "AR"), ("California", "CA"), ("Colorado", "CO"),
          ("Connecticut", "CT"), ("Delaware", "DE"), ("District of Columbia", "DC"), ("Florida", "FL"), ("Georgia", "GA"),
          ("Hawaii", "HI"), ("Idaho", "ID"), ("Illinois", "IL"), ("Indiana", "IN"), ("Iowa", "IA"), ("Kansas", "KS"),
          ("Kentucky", "KY"), ("Louisiana", "LA"), ("Maine", "ME"), ("Maryland", "MD"), ("Massachusetts", "MA"),
          ("Michigan", "MI"), ("Minnesota", "MN"), ("Mississippi", "MS"), ("Missouri", "MO"), ("Montana", "MT"),
          ("Nebraska", "NE"), ("Nevada", "NV"), ("New Hampshire", "NH"), ("New Jersey", "NJ"), ("New Mexico", "NM"),
          ("New York", "NY"), ("North Carolina", "NC"), ("North Dakota", "ND"), ("Ohio", "OH"), ("Oklahoma", "OK"),
          ("Oregon", "OR"), ("Pennsylvania", "PA"), ("Rhode Island", "RI"), ("South Carolina", "SC"), ("South Dakota", "SD"),
          ("Tennessee", "TN"), ("Texas", "TX"), ("Utah", "UT"), ("Vermont", "VT"), ("Virginia", "VA"), ("Washington", "WA"),
          ("West Virginia", "WV"), ("Wisconsin", "WI"), ("Wyoming", "WY")]


def oews_row(values):
    row = {"AREA": "99", "AREA_TITLE": "U.S.", "AREA_TYPE": "1", "PRIM_STATE": "US", "NAICS": "000000", "I_GROUP": "cross-industry",
           "OWN_CODE": "1235", "O_GROUP": "detailed"}
    row.update(values)
    return [row.get(name, "") for name in OEWS]


def write_data(site):
    os.makedirs(os.path.join(site, "data"))
    software = {"OCC_CODE": "15-1252", "OCC_TITLE": "Software Developers", "TOT_EMP": "1687890", "A_PCT10": "82460",
                "A_PCT25": "105210", "A_MEDIAN": "135980", "A_PCT75": "171980", "A_PCT90": "214670"}
    with open(os.path.join(site, "data", "national.csv"), "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(OEWS)
        writer.writerow(oews_row(software))
    with open(os.path.join(site, "data", "state.csv"), "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(OEWS)
        for index, (state, code) in enumerate(STATES):
            # One state top-coded, one without a figure: both must read as BLS means them.
            median = "#" if code == "CA" else "*" if code == "WY" else str(90000 + index * 1500)
            writer.writerow(oews_row({"AREA": str(index + 1), "AREA_TITLE": state, "AREA_TYPE": "2", "PRIM_STATE": code,
                                      "OCC_CODE": "15-1252", "OCC_TITLE": "Software Developers", "TOT_EMP": str(1000 + index * 10),
                                      "LOC_QUOTIENT": "%.2f" % (0.5 + index / 50), "A_MEDIAN": median}))
        writer.writerow([""])
    with open(os.path.join(site, "data", "national.csv"), "a", newline="") as f:
        pass
    with open(os.path.join(site, "data", "occupation.csv"), "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["Table 1.2 Occupational projections, 2024–2034 (Employment in thousands)"])
        writer.writerow(["2024 National Employment Matrix title", "2024 National Employment Matrix code", "Occupation type", "Employment, 2024",
                         "Employment, 2034", "Employment change, numeric, 2024–34", "Employment change, percent, 2024–34",
                         "Occupational openings, 2024–34 annual average", "Typical education needed for entry",
                         "Work experience in a related occupation", "Typical on-the-job training needed to attain competency in the occupation"])
        writer.writerow(["Total, all occupations", "00-0000", "Summary", "169956.1", "175167.9", "5211.8", "3.1", "18863.3", "—", "—", "—"])
        writer.writerow(["Software developers", "15-1252", "Line item", "1693.8", "1961.4", "267.7", "15.8", "115.2", "Bachelor's degree", "None", "None"])
    with open(os.path.join(site, "guidegen.yml"), "a") as f:
        f.write("data:\n"
                "  - {kind: oews-national, file: data/national.csv, release: OEWS May 2025, as_of: 2025-05-31, published: 2026-05-15, url: \"https://www.bls.gov/oes/tables.htm\"}\n"
                "  - {kind: oews-state, file: data/state.csv, release: OEWS May 2025, as_of: 2025-05-31, published: 2026-05-15, url: \"https://www.bls.gov/oes/tables.htm\"}\n"
                "  - {kind: ep-occupations, file: data/occupation.csv, release: Employment Projections 2024-34, as_of: 2024-12-31, published: 2025-08-28, url: \"https://www.bls.gov/emp/tables.htm\"}\n")
    # The backend role's typed figures leave; the frontend role shares its occupation.
    path = os.path.join(site, "content", "roles", "backend-developer.md")
    text = open(path).read()
    text = re.sub(r"\nsalary:\n(  .*\n)+", "\n", text)
    text = re.sub(r"\noutlook:\n(  .*\n)+", "\n", text)
    text = text.replace("entry_education: bachelor\n", "").replace("entry_experience: none\n", "")
    open(path, "w").write(text)
    path = os.path.join(site, "content", "roles", "frontend-developer.md")
    text = open(path).read()
    open(path, "w").write(text.replace("\ncategory:", "\noccupation_code: \"15-1252\"\ncategory:", 1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--guidegen", default=os.path.join(REPO, ".build", "release", "guidegen"))
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="guidegen-figures-")
    site = os.path.join(work, "site")
    shutil.copytree(os.path.join(REPO, "Tests", "SiteTests", "Fixtures", "basic"), site)
    write_data(site)
    out = os.path.join(work, "public")
    built = subprocess.run([a.guidegen, "build", "--source", site, "--output", out, "--base-url", "http://127.0.0.1/"],
                           capture_output=True, text=True)
    check(built.returncode == 0, "the fixture site with data files builds" + ("" if built.returncode == 0 else ": " + built.stderr[-2000:]))
    base = serve(out)
    for width in (1280, 390):
        driver = browser(width, 900)
        try:
            driver.get(base + "/roles/backend-developer/")
            page_width = driver.execute_script("return document.documentElement.scrollWidth")
            check(page_width <= width, f"{width}px the role page is not wider than the screen ({page_width})")
            maps = driver.find_elements(By.CSS_SELECTOR, "svg.state-map")
            check(len(maps) == 1 and maps[0].is_displayed(), f"{width}px the state map is drawn")
            if maps:
                rect = maps[0].rect
                check(rect["width"] > 200 and rect["x"] + rect["width"] <= width, f"{width}px the map fits the screen ({rect['width']:.0f} px wide)")
                sizes = driver.execute_script(
                    "return Array.from(arguments[0].querySelectorAll('g text')).map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)", maps[0])
                check(len(sizes) == len(STATES) and min(sizes) >= 7, f"{width}px one labelled tile per state ({len(sizes)}), labels {min(sizes or [0]):.1f} px and up")
                titles = driver.execute_script("return Array.from(arguments[0].querySelectorAll('title')).map(t => t.textContent)", maps[0])
                check("California: at or above BLS's top-coded wage" in titles and "Alabama: $90,000" in titles,
                      f"{width}px tiles name their state and figure, a top-coded one as such")
                check(any(t == "Wyoming: no figure" for t in titles), f"{width}px a state without a figure says so")
            rows = driver.find_elements(By.CSS_SELECTOR, "section.states tbody tr")
            check(len(rows) == len(STATES), f"{width}px the state table lists every state ({len(rows)})")
            facts = driver.find_element(By.CSS_SELECTOR, ".quick-facts").text
            check("Highest-paying states" in facts, f"{width}px the quick facts name the top-paying states")
            whose = driver.find_elements(By.CSS_SELECTOR, ".quick-facts .whose-figures")
            check(bool(whose) and whose[0].is_displayed() and "Software Developers (15-1252)" in whose[0].text and "frontend developers" in whose[0].text,
                  f"{width}px the page says whose figures they are: {whose[0].text if whose else None!r}")
            header = driver.find_elements(By.CSS_SELECTOR, "section.states thead th")
            median = next((h for h in header if "Median pay" in h.text), None)
            if median is not None and median.find_elements(By.TAG_NAME, "button"):
                median.find_element(By.TAG_NAME, "button").click()
                values = driver.execute_script("return Array.from(document.querySelectorAll('section.states tbody tr')).map(r => r.children[1].getAttribute('data-sort'))")
                numbers = [float(v) for v in values if v]
                check(numbers == sorted(numbers), f"{width}px the state table sorts by median")
            else:
                check(False, f"{width}px the state table's median column can be sorted")
            driver.get(base + "/roles/")
            marks = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "table.sortable tbody th .note")]
            check(marks.count("BLS figures for Software Developers") == 2, f"{width}px /roles/ marks both rows that share an occupation ({marks})")
        finally:
            driver.quit()
    finish("figures")


if __name__ == "__main__":
    main()

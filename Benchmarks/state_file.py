#!/usr/bin/env python3
"""What a 40,000-row OEWS state file adds to a build: the "official figures" stage of `guidegen check
--timings`, with the state file as CSV and as XLSX (written by xlsxwriter, shared strings as Excel
writes them), and without one, medians of RUNS runs each.

The site is a copy of the test fixture (Tests/SiteTests/Fixtures/basic) with a national file, a
projections file and a state file of ROWS rows in the OEWS layout (32 columns).

    python3 Benchmarks/state_file.py [--guidegen .build/release/guidegen] [--rows 40000] [--runs 9]

Needs xlsxwriter (pip install xlsxwriter).
"""
import argparse
import csv
import os
import shutil
import statistics
import subprocess
import tempfile

import xlsxwriter

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
OEWS = ("AREA,AREA_TITLE,AREA_TYPE,PRIM_STATE,NAICS,NAICS_TITLE,I_GROUP,OWN_CODE,OCC_CODE,OCC_TITLE,O_GROUP,TOT_EMP,EMP_PRSE,"
        "JOBS_1000,LOC_QUOTIENT,PCT_TOTAL,PCT_RPT,H_MEAN,A_MEAN,MEAN_PRSE,H_PCT10,H_PCT25,H_MEDIAN,H_PCT75,H_PCT90,A_PCT10,"
        "A_PCT25,A_MEDIAN,A_PCT75,A_PCT90,ANNUAL,HOURLY").split(",")


def state_rows(count):
    for index in range(count):
        state = index % 50
        code = "15-1252" if index < 50 else "%02d-%04d" % (11 + (index // 50) % 40, (index // 2000) * 10 + 1000)
        median = 40000 + index % 90000
        values = {"AREA": str(state), "AREA_TITLE": "State %d" % state, "AREA_TYPE": "2", "PRIM_STATE": "S%d" % state, "NAICS": "000000",
                  "NAICS_TITLE": "Cross-industry", "I_GROUP": "cross-industry", "OWN_CODE": "1235", "OCC_CODE": code,
                  "OCC_TITLE": "Occupation %s" % code, "O_GROUP": "detailed", "TOT_EMP": str(1000 + index % 5000), "EMP_PRSE": "3.1",
                  "JOBS_1000": "1.234", "LOC_QUOTIENT": "0.98", "H_MEAN": "50.12", "A_MEAN": str(median + 1000), "MEAN_PRSE": "1.2",
                  "H_PCT10": "20.1", "H_PCT25": "30.2", "H_MEDIAN": "40.3", "H_PCT75": "50.4", "H_PCT90": "60.5",
                  "A_PCT10": str(median - 20000), "A_PCT25": str(median - 10000), "A_MEDIAN": str(median),
                  "A_PCT75": str(median + 10000), "A_PCT90": str(median + 20000)}
        yield [values.get(name, "") for name in OEWS]


def write_site(site, rows):
    shutil.copytree(os.path.join(REPO, "Tests", "SiteTests", "Fixtures", "basic"), site)
    data = os.path.join(site, "data")
    os.makedirs(data)
    with open(os.path.join(data, "state.csv"), "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(OEWS)
        writer.writerows(state_rows(rows))
    book = xlsxwriter.Workbook(os.path.join(data, "state.xlsx"))
    sheet = book.add_worksheet("state_M2025_dl")
    sheet.write_row(0, 0, OEWS)
    for number, row in enumerate(state_rows(rows), start=1):
        for column, value in enumerate(row):
            if value == "":
                continue
            if column >= 11:
                sheet.write_number(number, column, float(value))
            else:
                sheet.write_string(number, column, value)
    book.add_worksheet("Field Descriptions").write_string(0, 0, "#  = indicates a wage equal to or greater than $115.00 per hour or $239,200 per year")
    book.close()


def stage_seconds(guidegen, site, runs):
    times = []
    for _ in range(runs):
        out = subprocess.run([guidegen, "check", "--source", site, "--timings"], capture_output=True, text=True).stderr
        line = next(line for line in out.splitlines() if "official figures" in line)
        times.append(float(line.split()[2].rstrip("s")))
    return statistics.median(times), min(times), max(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--guidegen", default=os.path.join(REPO, ".build", "release", "guidegen"))
    ap.add_argument("--rows", type=int, default=40000)
    ap.add_argument("--runs", type=int, default=9)
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="guidegen-state-")
    site = os.path.join(work, "site")
    write_site(site, a.rows)
    config = os.path.join(site, "guidegen.yml")
    base = open(config).read()
    for kind in ("none", "csv", "xlsx"):
        text = base
        if kind != "none":
            text += ("data:\n  - {kind: oews-state, file: data/state.%s, release: OEWS May 2025, as_of: 2025-05-31, published: 2026-05-15, "
                     "url: \"https://www.bls.gov/oes/tables.htm\"}\n" % kind)
        open(config, "w").write(text)
        median, low, high = stage_seconds(a.guidegen, site, a.runs)
        print("%-5s %d rows: official figures median %.3f s (%.3f-%.3f, %d runs)" % (kind, a.rows, median, low, high, a.runs))
    shutil.rmtree(work)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Differential test of XLSXReader (Sources/Tables) against openpyxl, a real reader of .xlsx workbooks.

Writes COUNT random workbooks to a temporary folder, half with openpyxl and half with xlsxwriter (the
two write differently: openpyxl 3.1 writes every string inline, `t="inlineStr"`, with no shared string
table, and formulas with an empty cached value; xlsxwriter writes a shared string table, `t="s"`, and
formulas with the cached value it is given), each beside openpyxl's reading of it
(`load_workbook(data_only=True)`: a formula's cached value, never evaluated). Then runs the Swift test
XLSXDifferentialTests, which reads each workbook with XLSXReader and compares cell by cell, failing
with the first difference.

openpyxl's values become expected cells by this normalisation (in NNN.json, a list of sheets):
  None and ""        no cell (XLSXReader leaves empty cells out)
  str                {"s": text}       the same text
  bool               {"s": "TRUE"} or {"s": "FALSE"}
  int, float         {"n": repr(value)} XLSXReader keeps a number's text as written; the Swift test
                     compares it as openpyxl reads it: an integer's digits, or a float's value
Random text draws from ASCII, XML's special characters, Latin, CJK, astral-plane characters (emoji,
musical symbols), spaces at either end, tabs and line breaks (CR LF reads as LF, as in any XML
parser). It leaves out the control characters openpyxl refuses and the `_xHHHH_` escapes that
xlsxwriter and openpyxl treat differently.

The official BLS workbooks the bundled site ships (data/*.xlsx) are compared the same way.

    python3 Tests/tables/xlsx_diff.py [--count N] [--seed S] [--keep DIR] [--skip-build]

--skip-build runs the Swift test from the existing release build (`make test` builds it first).
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

import openpyxl
import xlsxwriter

ALPHABETS = [
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,.-",
    "&<>\"';=#*%",
    "éüßñøÅçÉ€£",
    "中文字表日本語한국어",
    "😀🎉𝄞𝔘𐍈",
    " \t\n",
]
ERRORS = ["#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!"]


def text(rng):
    length = rng.choice([1, 1, 2, 5, 12, 40])
    out = "".join(rng.choice(rng.choice(ALPHABETS)) for _ in range(length))
    if rng.random() < 0.1:
        out = "  " + out + " "
    if rng.random() < 0.05:
        out = out + "\r\nline"
    return out


def number(rng):
    kind = rng.randrange(6)
    if kind == 0:
        return rng.randint(-1000, 1000000)
    if kind == 1:
        return rng.randint(-(10 ** 15), 10 ** 15)
    if kind == 2:
        return round(rng.uniform(-1e6, 1e6), rng.randrange(0, 6))
    if kind == 3:
        return rng.uniform(-1, 1) * 10 ** rng.randint(-300, 300)
    if kind == 4:
        return rng.choice([0, 0.5, -0.0, 1e-7, 123456789.125, 2 ** 53])
    return rng.random()


def cells(rng):
    """A sheet's cells as (row, column, kind, value), rows and columns 1-based, sparse."""
    out = []
    rows = rng.choice([0, 1, 3, 10, 40])
    row = 0
    columns = rng.choice([1, 3, 8, 30])
    for _ in range(rows):
        row += rng.choice([1, 1, 1, 2, 5])
        for column in sorted(rng.sample(range(1, columns + 1), rng.randint(0, columns))):
            if rng.random() < 0.05:
                column += rng.choice([26, 300, 700])
            kind = rng.choice(["text", "text", "number", "number", "bool", "error", "formula", "formula_text", "empty"])
            out.append((row, column, kind, value(rng, kind)))
    return out


def value(rng, kind):
    if kind == "text":
        return text(rng)
    if kind == "number":
        return number(rng)
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "error":
        return rng.choice(ERRORS)
    if kind == "formula":
        return ("=SUM(A1:B2)", number(rng))
    if kind == "formula_text":
        return ('=CONCATENATE("a","b")', text(rng))
    return ""


def sheet_name(rng, used):
    while True:
        name = "".join(rng.choice("abcXYZ 0129é中😀&'") for _ in range(rng.randint(1, 12))).strip() or "S"
        name = name.strip("'")
        if name and name.lower() not in used:
            used.add(name.lower())
            return name


def write_openpyxl(path, sheets):
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, content in sheets:
        sheet = workbook.create_sheet(name)
        for row, column, kind, v in content:
            if kind in ("formula", "formula_text"):
                v = v[0]  # openpyxl writes no cached value
            sheet.cell(row=row, column=column, value=v)
    workbook.save(path)


def write_xlsxwriter(path, sheets):
    workbook = xlsxwriter.Workbook(path, {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False})
    for name, content in sheets:
        sheet = workbook.add_worksheet(name)
        for row, column, kind, v in content:
            r, c = row - 1, column - 1
            if kind == "text" or kind == "empty":
                sheet.write_string(r, c, v)
            elif kind == "number":
                sheet.write_number(r, c, v)
            elif kind == "bool":
                sheet.write_boolean(r, c, v)
            elif kind == "error":
                sheet.write_formula(r, c, "=NA()", None, v)
            else:
                sheet.write_formula(r, c, v[0], None, v[1])
    workbook.close()


def expected(path):
    workbook = openpyxl.load_workbook(path, data_only=True)
    out = []
    for sheet in workbook.worksheets:
        found = []
        for row in sheet.iter_rows():
            for cell in row:
                v = cell.value
                if v is None or v == "":
                    continue
                if isinstance(v, bool):
                    found.append([cell.row, cell.column - 1, {"s": "TRUE" if v else "FALSE"}])
                elif isinstance(v, (int, float)):
                    found.append([cell.row, cell.column - 1, {"n": repr(v)}])
                else:
                    found.append([cell.row, cell.column - 1, {"s": str(v)}])
        out.append({"name": sheet.title, "cells": found})
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20250)
    parser.add_argument("--keep", help="write the workbooks here and keep them")
    parser.add_argument("--skip-build", action="store_true")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    folder = args.keep or tempfile.mkdtemp(prefix="guidegen-xlsx-diff.")
    os.makedirs(folder, exist_ok=True)
    names = []
    for index in range(args.count):
        used = set()
        sheets = [(sheet_name(rng, used), cells(rng)) for _ in range(rng.randint(1, 4))]
        name = "%03d-%s.xlsx" % (index, "openpyxl" if index % 2 == 0 else "xlsxwriter")
        path = os.path.join(folder, name)
        (write_openpyxl if index % 2 == 0 else write_xlsxwriter)(path, sheets)
        with open(path[:-5] + ".json", "w", encoding="utf-8") as file:
            json.dump(expected(path), file, ensure_ascii=False)
        names.append(name)
    # The official files the bundled site ships (data/*.xlsx): read as openpyxl reads them too.
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    data = os.path.join(root, "data")
    for official in sorted(os.listdir(data)) if os.path.isdir(data) else []:
        if not official.endswith(".xlsx"):
            continue
        name = "official-" + official
        shutil.copyfile(os.path.join(data, official), os.path.join(folder, name))
        with open(os.path.join(folder, name[:-5] + ".json"), "w", encoding="utf-8") as file:
            json.dump(expected(os.path.join(folder, name)), file, ensure_ascii=False)
        names.append(name)
    with open(os.path.join(folder, "index.json"), "w") as file:
        json.dump(names, file)
    print("xlsx_diff: %d random workbooks (seed %d) and %d official ones in %s" % (args.count, args.seed, len(names) - args.count, folder))
    command = ["swift", "test", "-c", "release", "--disable-xctest", "--filter", "XLSXDifferentialTests"]
    command += ["--skip-build"] if args.skip_build else ["-Xswiftc", "-enable-testing"]
    status = subprocess.call(command, cwd=root, env=dict(os.environ, GUIDEGEN_XLSX_DIFF=folder))
    if not args.keep and status == 0:
        for name in os.listdir(folder):
            os.remove(os.path.join(folder, name))
        os.rmdir(folder)
    elif status != 0:
        print("xlsx_diff: FAILED; the workbooks are kept in %s" % folder)
    sys.exit(status)


if __name__ == "__main__":
    main()

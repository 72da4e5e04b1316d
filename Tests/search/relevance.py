#!/usr/bin/env python3
"""Judge guidegen's search ranking against fixed, hand-judged query sets.

    python3 Tests/search/relevance.py [--guidegen .build/release/guidegen] [--site bundled|corpus|both]
        [--floor-ndcg X] [--floor-first Y] [--report] [--self-test]

Query sets (judged before any ranking was tuned; do not edit them to fit results):
  Tests/search/judged-bundled.json  the bundled site (source = the repository root)
  Tests/search/judged-corpus.json   Tests/corpus/gen_corpus.py --roles 2500 (seed 7), generated into a temp folder

Each set's queries go to `guidegen explain search --source DIR --json Q1 Q2 ...`, which prints one JSON
object per query: {"query": ..., "results": [{"url", "title", "kind", "score"}, ...]} (best first, up to 10).

Metrics per query
  nDCG@5      gain 2^grade - 1 (grades 3/2/1, unlisted 0), discount 1/log2(rank + 1), normalised by the
              ideal ordering of the query's own judgements. A page counts once (later repeats of a URL,
              e.g. with another #fragment, gain nothing).
  best first  1 when result 1 is the query's grade-3 page, else 0.
Means are printed for all queries, the tuning part (held_out false) and the held-out part. Tune against
the tuning part; read the held-out numbers only to check that a change generalises.

Floors: --floor-ndcg / --floor-first (best-first as a share 0..1, or a percentage above 1) apply to every
site run; without them each site's floors come from Tests/search/floors.json (null = no floor). The
script exits 1 when a site's mean nDCG@5 or best-first share over ALL its queries is below a floor,
2 when it cannot run (no binary, no `explain search`, bad query file), else 0.

Python 3 standard library only; deterministic (the corpus generator is seeded, nothing here is random).
"""
import argparse
import json
import math
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
GEN_CORPUS = os.path.join(ROOT, "Tests", "corpus", "gen_corpus.py")
CORPUS_ROLES = 2500
K = 5
SITES = {
    "bundled": os.path.join(HERE, "judged-bundled.json"),
    "corpus": os.path.join(HERE, "judged-corpus.json"),
}
FLOORS = os.path.join(HERE, "floors.json")


class Failure(Exception):
    """Cannot evaluate (exit 2)."""


# ---------------------------------------------------------------- metrics

def normalize_url(url):
    """A result URL as the judgements write it: path only, leading and trailing slash, no
    fragment, query string or index.html. `https://host/roles/x/index.html#pay` -> `/roles/x/`."""
    url = re.sub(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^/]*", "", url.strip())
    url = url.split("#", 1)[0].split("?", 1)[0]
    if url.endswith("index.html"):
        url = url[: -len("index.html")]
    if not url.startswith("/"):
        url = "/" + url
    if not url.endswith("/"):
        url += "/"
    return url


def dedupe(urls):
    seen, out = set(), []
    for u in urls:
        if u not in seen:
            seen.add(u)
            out.append(u)
    return out


def dcg(grades, k=K):
    return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(grades[:k]))


def ndcg_at_k(ranked_urls, judgements, k=K):
    """ranked_urls: normalised URLs best first; judgements: {url: grade}."""
    ranked = dedupe(ranked_urls)
    ideal = dcg(sorted(judgements.values(), reverse=True), k)
    if ideal == 0:
        return 0.0
    return dcg([judgements.get(u, 0) for u in ranked], k) / ideal


def best_url(judgements):
    best = [u for u, g in judgements.items() if g == 3]
    if len(best) != 1:
        raise Failure(f"judgements need exactly one grade-3 page, got {best}")
    return best[0]


def best_first(ranked_urls, judgements):
    return 1 if ranked_urls and ranked_urls[0] == best_url(judgements) else 0


def mean(values):
    return sum(values) / len(values) if values else float("nan")


# ---------------------------------------------------------------- query sets

def load_set(path):
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        raise Failure(f"{path}: {e}")
    queries = data.get("queries")
    if not isinstance(queries, list) or not queries:
        raise Failure(f"{path}: no queries")
    ids = set()
    for q in queries:
        where = f"{os.path.basename(path)} {q.get('id', '?')}"
        for field in ("id", "query", "held_out", "kind", "judgements"):
            if field not in q:
                raise Failure(f"{where}: no `{field}`")
        if q["id"] in ids:
            raise Failure(f"{where}: duplicate id")
        ids.add(q["id"])
        grades = q["judgements"]
        if any(g not in (1, 2, 3) for g in grades.values()):
            raise Failure(f"{where}: grades must be 1, 2 or 3 (unlisted = 0)")
        if any(normalize_url(u) != u for u in grades):
            raise Failure(f"{where}: judged URLs must be paths like /roles/x/")
        try:
            best_url(grades)
        except Failure as e:
            raise Failure(f"{where}: {e}")
    return data


# ---------------------------------------------------------------- running guidegen

def run_search(guidegen, source, queries, chunk, trailing_space):
    """{query: [result dicts]} from `guidegen explain search --json`."""
    if not os.path.isfile(guidegen) or not os.access(guidegen, os.X_OK):
        raise Failure(f"no guidegen binary at {guidegen} (build it, e.g. `swift build -c release`, or pass --guidegen)")
    typed = [q + " " if trailing_space else q for q in queries]
    out = {}
    step = chunk if chunk > 0 else len(typed)
    for start in range(0, len(typed), step):
        part = typed[start:start + step]
        argv = [guidegen, "explain", "search", "--source", source, "--json"]
        if any(q.startswith("-") for q in part):
            argv.append("--")
        argv += part
        try:
            proc = subprocess.run(argv, capture_output=True, text=True, timeout=1800)
        except subprocess.TimeoutExpired:
            raise Failure(f"`guidegen explain search` on {source} took over 30 minutes")
        if proc.returncode != 0:
            err = (proc.stderr or proc.stdout).strip()
            if re.search(r"unknown|unexpected argument|not a valid|Error: .*search", err, re.I) and "search" in err:
                raise Failure("this guidegen has no `explain search --json` command yet (the lead is adding it); "
                              f"build a binary that has it. guidegen said:\n{err[:800]}")
            raise Failure(f"`guidegen explain search` exited {proc.returncode} on {source}:\n{err[:2000]}")
        for line in proc.stdout.splitlines():
            line = line.strip()
            if not line:
                continue
            try:
                obj = json.loads(line)
            except ValueError:
                raise Failure(f"`guidegen explain search --json` printed a line that is not JSON: {line[:200]!r}")
            if not isinstance(obj, dict) or "query" not in obj or not isinstance(obj.get("results"), list):
                raise Failure(f"unexpected JSON from `guidegen explain search`: {line[:200]!r}")
            out[obj["query"]] = obj
    missing = [q for q in typed if q not in out]
    if missing:
        raise Failure(f"`guidegen explain search` printed no line for {len(missing)} queries, e.g. {missing[:3]}")
    return {q: out[t] for q, t in zip(queries, typed)}


def corpus_source(keep):
    folder = keep or tempfile.mkdtemp(prefix="guidegen-relevance-corpus-")
    if keep and os.path.isfile(os.path.join(folder, "guidegen.yml")):
        return folder, None
    proc = subprocess.run([sys.executable, GEN_CORPUS, folder, "--roles", str(CORPUS_ROLES)], capture_output=True, text=True)
    if proc.returncode != 0:
        raise Failure(f"gen_corpus.py failed:\n{proc.stderr[:2000]}")
    return folder, (None if keep else folder)


# ---------------------------------------------------------------- evaluation

def evaluate(data, answers):
    """Per-query rows from the set and {query: guidegen JSON object}."""
    rows = []
    for q in data["queries"]:
        obj = answers[q["query"]]
        ranked = dedupe([normalize_url(r.get("url", "")) for r in obj["results"]])
        j = q["judgements"]
        best = best_url(j)
        rows.append({
            "id": q["id"], "query": q["query"], "kind": q["kind"], "held_out": bool(q["held_out"]),
            "uncovered": bool(q.get("uncovered")),
            "ndcg": ndcg_at_k(ranked, j), "first": best_first(ranked, j),
            "best": best, "best_rank": ranked.index(best) + 1 if best in ranked else None,
            "top": ranked[0] if ranked else None, "top_grade": j.get(ranked[0], 0) if ranked else None,
            "corrections": obj.get("corrections") or [], "partial": obj.get("partial"),
        })
    return rows


def summarize(rows):
    parts = {"all": rows, "tuning": [r for r in rows if not r["held_out"]], "held_out": [r for r in rows if r["held_out"]]}
    return {name: {"n": len(rs), "ndcg": mean([r["ndcg"] for r in rs]), "first": mean([r["first"] for r in rs])}
            for name, rs in parts.items()}


def summary_line(site, s):
    def pct(x):
        return "n/a" if math.isnan(x) else f"{round(100 * x)}%"

    def num(x):
        return "n/a" if math.isnan(x) else f"{x:.2f}"

    return (f"{site}: nDCG@5 {num(s['all']['ndcg'])} (tuning {num(s['tuning']['ndcg'])}, held-out {num(s['held_out']['ndcg'])}), "
            f"best first {pct(s['all']['first'])} (tuning {pct(s['tuning']['first'])}, held-out {pct(s['held_out']['first'])}), "
            f"{s['all']['n']} queries")


def print_report(site, rows):
    print(f"\n== {site}: per query (H = held out, U = uncovered role; rank = where the grade-3 page came, - = not in results)")
    print(f"{'id':<6}{'':3}{'kind':<16}{'nDCG':>6}{'1st':>4}{'rank':>5}  query  ->  result 1 [grade]   (best page)")
    for r in rows:
        flags = ("H" if r["held_out"] else " ") + ("U" if r["uncovered"] else " ")
        rank = "-" if r["best_rank"] is None else str(r["best_rank"])
        top = "(no results)" if r["top"] is None else f"{r['top']} [{r['top_grade']}]"
        note = ""
        if r["corrections"]:
            note = "  corrected " + ", ".join(f"{c.get('typed')}->{c.get('used')}" for c in r["corrections"])
        best = "" if r["first"] else f"   ({r['best']})"
        print(f"{r['id']:<6}{flags:<3}{r['kind']:<16}{r['ndcg']:>6.2f}{r['first']:>4}{rank:>5}  {r['query']!r}  ->  {top}{best}{note}")
    print(f"\n== {site}: by kind")
    kinds = []
    for r in rows:
        if r["kind"] not in kinds:
            kinds.append(r["kind"])
    for kind in kinds:
        rs = [r for r in rows if r["kind"] == kind]
        print(f"  {kind:<16} nDCG@5 {mean([r['ndcg'] for r in rs]):.2f}  best first {round(100 * mean([r['first'] for r in rs])):>3}%  ({len(rs)} queries)")


def read_floors():
    try:
        with open(FLOORS, encoding="utf-8") as f:
            data = json.load(f)
    except FileNotFoundError:
        return {}
    except ValueError as e:
        raise Failure(f"{FLOORS}: {e}")
    return data


def share(x):
    return None if x is None else (x / 100 if x > 1 else x)


# ---------------------------------------------------------------- self-test

def self_test():
    """Metric checks on hand-made rankings whose values are worked out by hand below."""
    failures = []

    def check(name, got, want, tol=1e-4):
        if abs(got - want) > tol:
            failures.append(f"{name}: got {got!r}, want {want!r}")

    j = {"/a/": 3, "/b/": 2, "/c/": 1}
    # Ideal DCG = 7/log2(2) + 3/log2(3) + 1/log2(4) = 7 + 1.892789 + 0.5 = 9.392789
    check("perfect ranking", ndcg_at_k(["/a/", "/b/", "/c/"], j), 1.0)
    check("perfect, junk after", ndcg_at_k(["/a/", "/b/", "/c/", "/x/", "/y/"], j), 1.0)
    # Best page at rank 2: DCG = 3/1 + 7/log2(3) + 1/2 = 3 + 4.416508 + 0.5 = 7.916508; / 9.392789 = 0.842828
    check("best page at rank 2", ndcg_at_k(["/b/", "/a/", "/c/"], j), 0.842828)
    # Only the best page, at rank 3: 7/log2(4) = 3.5; / 9.392789 = 0.372621
    check("best page alone at rank 3", ndcg_at_k(["/x/", "/y/", "/a/"], j), 0.372621)
    # Best page at rank 6 is past the cut-off: 0
    check("best page at rank 6", ndcg_at_k(["/x/", "/y/", "/z/", "/v/", "/w/", "/a/"], j), 0.0)
    check("nothing relevant", ndcg_at_k(["/x/", "/y/"], j), 0.0)
    check("no results", ndcg_at_k([], j), 0.0)
    # One judged page: rank 1 = 1.0, rank 2 = 1/log2(3) = 0.630930
    check("single judgement at 1", ndcg_at_k(["/a/", "/x/"], {"/a/": 3}), 1.0)
    check("single judgement at 2", ndcg_at_k(["/x/", "/a/"], {"/a/": 3}), 0.630930)
    # A repeated URL gains once: [/a/, /a/, /b/] is [/a/, /b/] -> (7 + 3/log2(3)) / 9.392789 = 0.946772
    check("repeat gains once", ndcg_at_k(["/a/", "/a/", "/b/"], j), 0.946772)
    # Grade-1 pages only, ideal has the best page: (1 + 1/log2(3)) / 9.392789 = 0.173634
    check("only grade-1 pages", ndcg_at_k(["/c/", "/d/"], {"/a/": 3, "/b/": 2, "/c/": 1, "/d/": 1}),
          (1 + 1 / math.log2(3)) / (7 + 3 / math.log2(3) + 1 / 2 + 1 / math.log2(5)))
    check("best first yes", best_first(["/a/", "/b/"], j), 1)
    check("best first no", best_first(["/b/", "/a/"], j), 0)
    check("best first empty", best_first([], j), 0)
    for raw, want in [("https://guides.example.org/roles/x/", "/roles/x/"), ("roles/x/index.html", "/roles/x/"),
                      ("/faqs/x/#pay", "/faqs/x/"), ("/", "/"), ("/roles/x", "/roles/x/"), ("/roles/?q=1", "/roles/")]:
        if normalize_url(raw) != want:
            failures.append(f"normalize_url({raw!r}) = {normalize_url(raw)!r}, want {want!r}")
    # Whole pipeline on a fake answer: two tuning queries (1.0 and 0.842828), one held out (0.0).
    data = {"queries": [
        {"id": "t1", "query": "q1", "held_out": False, "kind": "k", "judgements": j},
        {"id": "t2", "query": "q2", "held_out": False, "kind": "k", "judgements": j},
        {"id": "t3", "query": "q3", "held_out": True, "kind": "k", "judgements": j},
    ]}
    answers = {"q1": {"query": "q1", "results": [{"url": "/a/"}, {"url": "/b/"}, {"url": "/c/"}]},
               "q2": {"query": "q2", "results": [{"url": "https://h/b/"}, {"url": "/a/#top"}, {"url": "c/index.html"}]},
               "q3": {"query": "q3", "results": []}}
    s = summarize(evaluate(data, answers))
    check("mean all", s["all"]["ndcg"], (1 + 0.842828) / 3)
    check("mean tuning", s["tuning"]["ndcg"], (1 + 0.842828) / 2)
    check("mean held out", s["held_out"]["ndcg"], 0.0)
    check("best first all", s["all"]["first"], 1 / 3)
    check("best first tuning", s["tuning"]["first"], 0.5)
    line = summary_line("fake", s)
    want = "fake: nDCG@5 0.61 (tuning 0.92, held-out 0.00), best first 33% (tuning 50%, held-out 0%), 3 queries"
    if line != want:
        failures.append(f"summary line {line!r}, want {want!r}")
    check("percent floor", share(62), 0.62)
    check("fraction floor", share(0.62), 0.62)
    # The judged sets themselves must load (one grade-3 page each, unique ids, path URLs).
    for site, path in SITES.items():
        try:
            n = len(load_set(path)["queries"])
            if n < 80:
                failures.append(f"{site}: only {n} queries")
        except Failure as e:
            failures.append(str(e))
    if failures:
        print("self-test FAILED:\n  " + "\n  ".join(failures))
        return 1
    print("self-test passed (nDCG@5, best first, means, URL normalisation, summary line, judged sets load)")
    return 0


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--guidegen", default=os.path.join(ROOT, ".build", "release", "guidegen"),
                    help="the guidegen binary (default: .build/release/guidegen in the repository)")
    ap.add_argument("--site", choices=["bundled", "corpus", "both"], default="both")
    ap.add_argument("--floor-ndcg", type=float, help="fail (exit 1) below this mean nDCG@5 (default: floors.json)")
    ap.add_argument("--floor-first", type=float, help="fail below this best-first share, 0..1 or a percentage (default: floors.json)")
    ap.add_argument("--report", action="store_true", help="print a per-query table and means by kind")
    ap.add_argument("--self-test", action="store_true", help="check the metric code on hand-made rankings and exit")
    ap.add_argument("--bundled-dir", default=ROOT, help="the bundled site's folder (default: the repository root)")
    ap.add_argument("--corpus-dir", help="generate the corpus here (kept; reused when it already holds guidegen.yml)")
    ap.add_argument("--chunk", type=int, default=0, help="queries per guidegen call (default 0: all in one call)")
    ap.add_argument("--trailing-space", action="store_true",
                    help="send each query with a trailing space (a finished query: no prefix match on the last word)")
    ap.add_argument("--json-out", help="write per-query rows and means to this file")
    a = ap.parse_args()
    if a.self_test:
        return self_test()
    try:
        floors = read_floors()
        sites = ["bundled", "corpus"] if a.site == "both" else [a.site]
        below, lines, dump = [], [], {}
        for site in sites:
            data = load_set(SITES[site])
            cleanup = None
            if site == "bundled":
                source = a.bundled_dir
            else:
                source, cleanup = corpus_source(a.corpus_dir)
            try:
                answers = run_search(a.guidegen, source, [q["query"] for q in data["queries"]], a.chunk, a.trailing_space)
            finally:
                if cleanup:
                    import shutil
                    shutil.rmtree(cleanup, ignore_errors=True)
            rows = evaluate(data, answers)
            s = summarize(rows)
            if a.report:
                print_report(site, rows)
            lines.append(summary_line(site, s))
            dump[site] = {"summary": s, "queries": rows}
            site_floors = floors.get(site) or {}
            floor_ndcg = a.floor_ndcg if a.floor_ndcg is not None else site_floors.get("ndcg5")
            floor_first = share(a.floor_first if a.floor_first is not None else site_floors.get("best_first"))
            if floor_ndcg is not None and s["all"]["ndcg"] < floor_ndcg:
                below.append(f"{site}: mean nDCG@5 {s['all']['ndcg']:.3f} is below the floor {floor_ndcg}")
            if floor_first is not None and s["all"]["first"] < floor_first:
                below.append(f"{site}: best-first share {s['all']['first']:.3f} is below the floor {floor_first}")
        if a.report:
            print()
        for line in lines:
            print(line)
        if a.json_out:
            with open(a.json_out, "w", encoding="utf-8") as f:
                json.dump(dump, f, indent=1, sort_keys=True)
        for b in below:
            print("BELOW FLOOR: " + b, file=sys.stderr)
        return 1 if below else 0
    except Failure as e:
        print(f"relevance.py: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

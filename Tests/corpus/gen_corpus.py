#!/usr/bin/env python3
# A copy of ../shared/bench/gen_corpus.py (the benchmark's generator), kept here so the tests
# (CorpusTests, the differential test) need nothing outside the repository; keep the two in step.
"""Generate a synthetic career-guide site in the guidegen content format.

Deterministic for a given --roles and --seed. For every role it writes a role
page, a salary guide, an FAQ page and a how-to-become guide, all cross-linked
with ordinary relative Markdown links, so a site of R roles has 4*R pages.

    gen_corpus.py OUT_DIR --roles 2500 [--seed 7] [--broken-links 0]

The same content folder also builds with Hugo through shared/bench/hugo-site
(see compare.sh), which is what makes side-by-side timings fair.
"""
import argparse
import os
import random

CATEGORIES = [
    "Web Development", "Data", "Infrastructure", "Security", "Design",
    "Product", "Management", "Quality", "Mobile", "Machine Learning",
    "Embedded", "Support", "Finance", "Healthcare IT", "Games",
]
LEVELS = [("Entry", 0.55), ("Mid", 0.75), ("Senior", 1.0), ("Lead", 1.3)]
DOMAIN = (
    "api database server cache queue latency throughput schema index query "
    "migration deployment pipeline container cluster kubernetes docker terraform "
    "monitoring logging tracing incident postgres mysql mongodb redis kafka "
    "rabbitmq graphql rest grpc authentication authorization encryption secrets "
    "compliance privacy accessibility testing integration load unit review "
    "refactor mentor architecture microservices serverless cloud aws azure gcp "
    "python java go rust swift kotlin ruby php javascript typescript node "
    "django flask spring rails express react vue design product roadmap "
    "stakeholder budget analytics dashboard warehouse etl spark airflow model "
    "training inference feature experiment statistics regression forecasting "
    "firmware driver sensor protocol network firewall vulnerability patch audit "
    "ticket customer onboarding documentation runbook oncall capacity scaling"
).split()
COMMON = (
    "the of and to in a is that for it as with was on be by this are or from "
    "at which an have not they but all can more their will one about other "
    "when also new work team teams role roles people often most time build "
    "builds system systems data code user users company companies skill skills "
    "experience years level senior junior lead career path growth learn learning "
    "practice practices project projects business tools technical daily "
    "responsible ensure improve maintain develop design support help manage"
).split()


def synthetic_words(rng, n):
    syll = ["ka", "ro", "mi", "te", "lu", "sa", "no", "vi", "pe", "da", "zu",
            "ban", "tor", "lex", "qui", "mar", "sen", "dal", "fin", "gor"]
    out = set()
    while len(out) < n:
        out.add("".join(rng.choice(syll) for _ in range(rng.randint(2, 4))))
    return sorted(out)


class Text:
    """Zipf-distributed words, so search-index sizes behave like real prose."""

    def __init__(self, rng):
        self.rng = rng
        vocab = COMMON + DOMAIN + synthetic_words(rng, 6000)
        weights = [1.0 / (i + 1) ** 1.05 for i in range(len(vocab))]
        self.vocab, self.weights = vocab, weights

    def words(self, n):
        return self.rng.choices(self.vocab, self.weights, k=n)

    def sentence(self, lo=8, hi=22):
        w = self.words(self.rng.randint(lo, hi))
        w[0] = w[0].capitalize()
        return " ".join(w) + "."

    def paragraph(self, lo=3, hi=6):
        return " ".join(self.sentence() for _ in range(self.rng.randint(lo, hi)))


def role_name(i, rng):
    first = ["Backend", "Frontend", "Platform", "Data", "Cloud", "Security",
             "Site Reliability", "Mobile", "Embedded", "Machine Learning",
             "QA", "DevOps", "Database", "Game", "Product", "UX", "Network",
             "Systems", "Solutions", "Analytics"]
    second = ["Developer", "Engineer", "Architect", "Analyst", "Designer",
              "Manager", "Specialist", "Administrator", "Scientist", "Consultant"]
    base = f"{first[i % len(first)]} {second[(i // len(first)) % len(second)]}"
    tier = i // (len(first) * len(second))
    return base if tier == 0 else f"{base} {tier + 1}"


def slugify(name):
    return "-".join(name.lower().replace("/", " ").split())


def yaml_list(items):
    return "[" + ", ".join(f'"{x}"' for x in items) + "]"


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--roles", type=int, default=250)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--broken-links", type=int, default=0,
                    help="plant this many links to pages that do not exist")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    text = Text(rng)
    names = [role_name(i, rng) for i in range(a.roles)]
    slugs = [slugify(n) for n in names]
    skills_pool = sorted(set(DOMAIN))
    content = os.path.join(a.out, "content")
    for sub in ("roles", "salaries", "faqs", "guides"):
        os.makedirs(os.path.join(content, sub), exist_ok=True)

    with open(os.path.join(a.out, "guidegen.yml"), "w") as f:
        f.write(f'title: "Career Guides ({a.roles} roles)"\n'
                'base_url: "https://guides.example.org/"\nlanguage: en\n')

    broken = set(rng.sample(range(a.roles), min(a.broken_links, a.roles)))
    for i, (name, slug) in enumerate(zip(names, slugs)):
        category = CATEGORIES[rng.randrange(len(CATEGORIES))]
        skills = rng.sample(skills_pool, rng.randint(4, 9))
        related = [slugs[j] for j in rng.sample(range(a.roles), min(4, a.roles)) if j != i][:3]
        base = rng.randint(60, 140) * 1000
        year = 2025 + rng.randint(0, 1)
        updated = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        levels = "\n".join(
            f"    - {{level: {lv}, min: {int(base * f * 0.85)}, max: {int(base * f * 1.15)}}}"
            for lv, f in LEVELS)
        links = " ".join(f"[{names[slugs.index(r)]}]({r}.md)" for r in related)
        if i in broken:
            links += " [a retired role](no-such-role.md)"
        resp = "\n".join(f"- {text.sentence(6, 14)}" for _ in range(rng.randint(5, 9)))
        body = (
            f"## What a {name} does\n\n{text.paragraph()}\n\n{text.paragraph()}\n\n"
            f"## Responsibilities\n\n{resp}\n\n"
            f"## Skills\n\n{text.paragraph(2, 4)}\n\n"
            "| Level | Typical years | Focus |\n|---|---|---|\n"
            + "".join(f"| {lv} | {k * 2}-{k * 2 + 3} | {' '.join(text.words(4))} |\n"
                      for k, (lv, _) in enumerate(LEVELS))
            + f"\n## Related roles\n\n{text.sentence()} See {links}.\n\n"
            f"Pay is covered in the [{name} salary guide](../salaries/{slug}.md), "
            f"and common questions in the [{name} FAQ](../faqs/{slug}.md#pay).\n"
        )
        with open(os.path.join(content, "roles", f"{slug}.md"), "w") as f:
            f.write(
                "---\n"
                f'title: "{name}"\n'
                f'summary: "{text.sentence(10, 18)}"\n'
                f'category: "{category}"\n'
                f"alternate_titles: {yaml_list([name.replace('Developer', 'Programmer')] if 'Developer' in name else [])}\n"
                f"skills: {yaml_list(skills)}\n"
                f"related: {yaml_list(related)}\n"
                "salary:\n"
                "  currency: USD\n  period: year\n"
                f"  median: {base}\n"
                "  levels:\n" + levels + "\n"
                '  source: "Synthetic figures for benchmarking"\n'
                f"  as_of: {year}-01-01\n"
                f"updated: {updated}\n"
                "---\n\n" + body)

        rows = "".join(f"| {lv} | ${int(base * fct * 0.85):,} | ${int(base * fct * 1.15):,} |\n"
                       for lv, fct in LEVELS)
        with open(os.path.join(content, "salaries", f"{slug}.md"), "w") as f:
            f.write(
                "---\n"
                f'title: "{name} Salary Guide"\n'
                f"roles: [{slug}]\n"
                f'summary: "{text.sentence(8, 14)}"\n'
                f"updated: {updated}\n"
                "---\n\n"
                f"## Pay by level\n\n| Level | From | To |\n|---|---|---|\n{rows}\n"
                f"## What moves pay\n\n{text.paragraph()}\n\n{text.paragraph()}\n\n"
                f"Back to the [{name}](../roles/{slug}.md) guide.\n")

        qa = "".join(f"## {text.sentence(5, 9)[:-1]}?\n\n{text.paragraph(2, 4)}\n\n"
                     for _ in range(rng.randint(3, 6)))
        with open(os.path.join(content, "faqs", f"{slug}.md"), "w") as f:
            f.write(
                "---\n"
                f'title: "{name} FAQ"\n'
                f"roles: [{slug}]\n"
                f"updated: {updated}\n"
                "---\n\n" + qa +
                f"## Pay\n\nSee the [salary guide](../salaries/{slug}.md).\n")

        steps = "\n".join(f"{k + 1}. **{' '.join(text.words(3)).capitalize()}.** "
                          f"{text.sentence()}" for k in range(rng.randint(4, 7)))
        with open(os.path.join(content, "guides", f"how-to-become-{slug}.md"), "w") as f:
            f.write(
                "---\n"
                f'title: "How to Become a {name}"\n'
                f"roles: {yaml_list([slug] + related[:1])}\n"
                f'summary: "{text.sentence(8, 14)}"\n'
                f"updated: {updated}\n"
                "---\n\n"
                f"{text.paragraph()}\n\n## Steps\n\n{steps}\n\n"
                f"```text\n{' '.join(text.words(12))}\n```\n\n"
                f"Read the [{name}](../roles/{slug}.md) guide first.\n")


if __name__ == "__main__":
    main()

import Diagnostics
import Foundation
import Site
import Testing

/// `guidegen check` for CI: content warnings with codes and places, the output formats, `--strict`.
@Suite struct ContentWarningTests {
    static let config = "title: \"Checks\"\nbase_url: \"https://example.org/\"\n"

    static func role(_ slug: String, summary: String? = "A role.", skills: String = "[\"Go\"]", extra: String = "", body: String = "Text.") -> String {
        "---\ntitle: \"\(slug)\"\n" + (summary.map { "summary: \"\($0)\"\n" } ?? "") + "category: \"Web\"\nskills: \(skills)\n\(extra)---\n\(body)\n"
    }

    /// Two roles linking to each other, so nothing but what a test adds is worth a warning.
    static func site(_ extra: [String: String] = [:]) throws -> TempSite {
        var files = [
            "guidegen.yml": config,
            "content/roles/a.md": role("a", body: "See [b](b.md)."),
            "content/roles/b.md": role("b", body: "See [a](a.md)."),
        ]
        files.merge(extra) { _, new in new }
        return try TempSite(files: files)
    }

    func warnings(_ site: TempSite, today: String = "2026-12-01") -> [Diagnostic] {
        let report = SiteBuilder.build(BuildOptions(source: site.directory, output: nil, today: today))
        #expect(!report.diagnostics.hasErrors, "\(report.diagnostics)")
        return report.diagnostics.sorted.filter { $0.severity == .warning }
    }

    @Test func aCleanSiteHasNoWarnings() throws {
        #expect(warnings(try Self.site()).isEmpty)
    }

    @Test func staleFiguresAtTheirAsOf() throws {
        let salary = "salary:\n  currency: USD\n  median: 100000\n  source: \"Test\"\n  as_of: 2025-05-31\n"
        let site = try Self.site(["content/roles/a.md": Self.role("a", extra: salary, body: "See [b](b.md).")])
        // 18 months after as_of is not yet stale; 19 is.
        #expect(warnings(site, today: "2026-11-30").isEmpty)
        let stale = warnings(site, today: "2027-01-01")
        #expect(stale.map(\.code) == [.staleFigures])
        #expect(stale.first?.location.description == "content/roles/a.md:10:10")
        #expect(stale.first?.message.contains("19 months before 2027-01-01") == true)
    }

    /// Old figures a writer looked for newer ones of recently (`checked`) are the newest there are: not stale.
    @Test func checkedFiguresAreNotStale() throws {
        func site(checked: String) throws -> TempSite {
            let salary = "salary:\n  currency: USD\n  median: 100000\n  source: \"Test\"\n  as_of: 2024-05-31\n  checked: \(checked)\n"
            return try Self.site(["content/roles/a.md": Self.role("a", extra: salary, body: "See [b](b.md).")])
        }
        #expect(warnings(try site(checked: "2026-11-20")).isEmpty)
        // Looked for more than six months ago: stale again, at `checked`.
        let old = warnings(try site(checked: "2026-05-01"))
        #expect(old.map(\.code) == [.staleFigures])
        #expect(old.first?.location.description == "content/roles/a.md:11:12")
        #expect(old.first?.message.contains("newer ones were last looked for on 2026-05-01") == true)
        // Looked for after today: a mistake.
        let future = warnings(try site(checked: "2027-02-01"))
        #expect(future.count == 1 && future.first?.message.contains("is after today") == true, "\(future)")
    }

    /// A role body heading on a topic the page makes from its front matter: the reader would see it twice.
    @Test func repeatedSectionsAtTheirHeading() throws {
        let extra = "education: \"A degree.\"\ncareer_path:\n  levels:\n    - {title: Junior}\n"
        let body = "See [b](b.md).\n\n## Career path and progression\n\nText.\n\n## Education\n\nText.\n\n### Industries\n\nNo industries field, so no repeat.\n\n## Sources\n\nNo sources field either.\n"
        let found = warnings(try Self.site(["content/roles/a.md": Self.role("a", extra: extra, body: body)]))
        #expect(found.map(\.code) == [.repeatedSection, .repeatedSection], "\(found)")
        #expect(found.map(\.location.description) == ["content/roles/a.md:13:1", "content/roles/a.md:17:1"])
        #expect(found.first?.message == "the heading \"Career path and progression\" repeats the \"Career path\" section the page makes from its front matter")
        #expect(found.first?.hint?.contains("career_path") == true)
        // The same headings on a guide page are the guide's own.
        let guide = "---\ntitle: G\nsummary: \"A guide.\"\n---\nAbout [a](../roles/a.md).\n\n## Career path\n\nText.\n"
        #expect(warnings(try Self.site(["content/guides/g.md": guide])).filter { $0.code == .repeatedSection }.isEmpty)
    }

    @Test func updatedBeforeItsOwnFigures() throws {
        let salary = "updated: 2025-01-01\nsalary:\n  currency: USD\n  median: 100000\n  source: \"Test\"\n  as_of: 2025-05-31\n"
        let found = warnings(try Self.site(["content/roles/a.md": Self.role("a", extra: salary, body: "See [b](b.md).")]))
        #expect(found.map(\.code) == [.updatedBeforeFigures])
        #expect(found.first?.location.description == "content/roles/a.md:6:10")
    }

    @Test func missingAndLongSummaries() throws {
        let long = String(repeating: "word ", count: 40)
        let found = warnings(try Self.site([
            "content/roles/a.md": Self.role("a", summary: nil, body: "See [b](b.md)."),
            "content/roles/b.md": Self.role("b", summary: long, body: "See [a](a.md)."),
        ]))
        #expect(found.map(\.code) == [.noSummary, .longSummary])
        #expect(found.map(\.location.description) == ["content/roles/a.md:1:1", "content/roles/b.md:3:10"])
    }

    @Test func aRoleWithoutRelatedRoles() throws {
        let found = warnings(try Self.site([
            "content/roles/c.md": Self.role("c", skills: "[\"Cobol\"]", body: "See [a](a.md)."),
        ]).self)
        // c shares the category with a and b, so it has related roles; a role in a category of its own does not.
        #expect(!found.contains { $0.code == .noRelatedRoles })
        let alone = warnings(try Self.site([
            "content/roles/c.md": "---\ntitle: \"c\"\nsummary: \"C.\"\ncategory: \"Other\"\nskills: [\"Cobol\"]\n---\nSee [a](a.md).\n",
            "content/roles/a.md": Self.role("a", body: "See [b](b.md) and [c](c.md)."),
        ]))
        #expect(alone.map(\.code) == [.noRelatedRoles])
        #expect(alone.first?.location.description == "content/roles/c.md:5:9")
    }

    @Test func aPageNoOtherPageLinksTo() throws {
        let found = warnings(try Self.site(["content/guides/lonely.md": "---\ntitle: \"Lonely\"\nsummary: \"Alone.\"\n---\nText.\n"]))
        #expect(found.map(\.code) == [.orphanPage])
        #expect(found.first?.location.file == "content/guides/lonely.md")
        #expect(found.first?.hint?.contains("[Lonely](/guides/lonely.md)") == true)
    }

    @Test func aRoleNamedButNotLinked() throws {
        func role(_ slug: String, _ title: String, alternate: String = "[]", body: String) -> String {
            "---\ntitle: \"\(title)\"\nsummary: \"S.\"\ncategory: \"Web\"\nskills: [\"Go\"]\nalternate_titles: \(alternate)\n---\n\(body)\n"
        }
        func site(_ guide: String) throws -> TempSite {
            try TempSite(files: [
                "guidegen.yml": Self.config,
                "content/roles/data-engineer.md": role("data-engineer", "Data Engineer", alternate: "[\"Big Data Engineer\"]", body: "See [the other](site-reliability-engineer.md)."),
                "content/roles/site-reliability-engineer.md": role("site-reliability-engineer", "Site Reliability Engineer", body: "See [the other](data-engineer.md) and [the guide](../guides/g.md)."),
                "content/guides/g.md": "---\ntitle: \"G\"\nsummary: \"S.\"\n---\n\(guide)\n",
            ])
        }
        func check(_ site: TempSite) -> [Diagnostic] {
            let report = SiteBuilder.build(BuildOptions(source: site.directory, output: nil, today: "2026-12-01"))
            return report.diagnostics.sorted.filter { $0.code == .unlinkedRoleMention }
        }
        let named = check(try site("Intro.\n\nMany a big-data engineer, or BIG DATA ENGINEER, becomes a\nsite reliability engineer later."))
        #expect(named.map(\.message) == [
            "the page names Data Engineer (as \u{201C}Big Data Engineer\u{201D}) without linking to it",
            "the page names Site Reliability Engineer without linking to it",
        ])
        #expect(named.map(\.location.description) == ["content/guides/g.md:7:30", "content/guides/g.md:8:1"])
        #expect(named.last?.hint == "link the first mention: [Site Reliability Engineer](/roles/site-reliability-engineer.md)")
        // Linked anywhere on the page (by file or by URL), or named only as part of other words: no warning.
        #expect(check(try site("A [data engineer](../roles/data-engineer.md) and a big data engineer; see /roles/.\n\n[SRE](/roles/site-reliability-engineer/) and site reliability engineer.")).isEmpty)
        #expect(check(try site("Database engineering and data engineers, site reliability engineering.")).isEmpty)
        // The build does not look (only check does).
        let built = SiteBuilder.build(BuildOptions(source: try site("A site reliability engineer.").directory, output: NSTemporaryDirectory() + "guidegen-mention-" + UUID().uuidString, today: "2026-12-01"))
        #expect(!built.diagnostics.all.contains { $0.code == .unlinkedRoleMention })
    }

    @Test func warningsNeverChangeTheBuiltFiles() throws {
        let salary = "salary:\n  currency: USD\n  median: 100000\n  source: \"Test\"\n  as_of: 2020-05-31\n"
        let site = try Self.site(["content/roles/a.md": Self.role("a", summary: nil, extra: salary, body: "See [b](b.md).")])
        let quiet = SiteBuilder.build(BuildOptions(source: site.directory, output: nil, today: "2020-06-01"))
        let noisy = SiteBuilder.build(BuildOptions(source: site.directory, output: nil, today: "2030-06-01"))
        #expect(quiet.diagnostics.warnings.count < noisy.diagnostics.warnings.count)
        let one = SiteBuilder.build(BuildOptions(source: site.directory, output: site.directory + "/one", today: "2020-06-01"))
        let two = SiteBuilder.build(BuildOptions(source: site.directory, output: site.directory + "/two", today: "2030-06-01"))
        // The build reports none of them, and writes the same files whatever the date.
        #expect(one.diagnostics.warnings.isEmpty && two.diagnostics.warnings.isEmpty)
        #expect(snapshot(site.directory + "/one") == snapshot(site.directory + "/two"))
    }

    @Test func datesAreCheckedAsDates() {
        #expect(ContentChecks.isDate("2024-02-29"))
        #expect(!ContentChecks.isDate("2023-02-29"))
        #expect(!ContentChecks.isDate("2025-13-01"))
        #expect(!ContentChecks.isDate("2025-1-01"))
        #expect(ContentChecks.monthsBetween("2024-05-31", "2025-11-30") == 17)
        #expect(ContentChecks.monthsBetween("2024-05-31", "2025-12-01") == 18)
    }
}

@Suite struct DiagnosticFormatTests {
    static let sample = Diagnostics([
        .warning(.staleFigures, at: SourceLocation(file: "content/roles/a,b.md", line: 3, column: 10), "100% stale: as of 2020",
                 hint: "update it\nsoon"),
        .error(.brokenLink, at: SourceLocation(file: "content/x.md"), "link to `y`", hint: "fix it"),
    ])

    @Test func githubAnnotationsAreEscaped() {
        let lines = DiagnosticFormat.github.render(Self.sample).split(separator: "\n").map(String.init)
        #expect(lines == [
            "::warning file=content/roles/a%2Cb.md,line=3,col=10,title=stale-figures::100%25 stale: as of 2020%0Ahint: update it%0Asoon",
            "::error file=content/x.md,title=broken-link::link to `y`%0Ahint: fix it",
        ])
    }

    @Test func jsonIsOneArrayWithEveryField() throws {
        let text = DiagnosticFormat.json.render(Self.sample)
        let array = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        #expect(array.count == 2)
        #expect(Set(array[0].keys) == ["file", "line", "column", "severity", "code", "message", "hint"])
        #expect(array[0]["code"] as? String == "stale-figures")
        #expect(array[0]["line"] as? Int == 3)
        #expect(array[1]["line"] is NSNull)
        #expect(array[1]["severity"] as? String == "error")
    }

    @Test func textShowsTheCode() {
        #expect(DiagnosticFormat.text.render(Self.sample).contains("content/x.md: error: link to `y` [broken-link]\n  hint: fix it"))
    }

    @Test func strictPromotesWarnings() {
        let strict = Self.sample.promotingWarnings()
        #expect(strict.errors.count == 2)
        #expect(strict.errors.map(\.code).sorted() == [.brokenLink, .staleFigures])
        #expect(Self.sample.counts == "1 error, 1 warning")
    }
}

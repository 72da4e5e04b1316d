import Diagnostics
import Foundation
import Testing
import TestSupport
@testable import Site

@Suite struct BuildTests {
    @Test func buildsTheFixtureSite() throws {
        let site = try TempSite(copying: "basic")
        let report = site.build()
        #expect(report.succeeded, "\(report.diagnostics)")
        let files = snapshot(site.output)
        for path in ["index.html", "roles/backend-developer/index.html", "roles/index.html", "categories/web-development/index.html",
                     "skills/sql/index.html", "skills/index.html", "categories/index.html", "faqs/backend-developer/index.html",
                     "sitemap.xml", "robots.txt", "404.html", "style.css", "img/pay.svg"] {
            #expect(files[path] != nil, "missing \(path)")
        }
        // Drafts are left out; index.md is the home page's text, not a page of its own.
        #expect(files["guides/draft-guide/index.html"] == nil)
        #expect(files["index/index.html"] == nil)
    }

    /// Golden files: the whole rendered fixture site. After a deliberate change, set GUIDEGEN_UPDATE_GOLDEN=1:
    /// the test prints what changed (a unified diff per file), rewrites the golden files and fails,
    /// so an update is always looked at; the next run compares against the new files.
    @Test func matchesGoldenOutput() throws {
        let site = try TempSite(copying: "basic")
        #expect(site.build().succeeded)
        let actual = snapshot(site.output).filter { !$0.key.hasSuffix(".css") && !$0.key.hasSuffix(".js") && !$0.key.hasSuffix(".svg") && $0.key != ".guidegen-output" }
        let goldenDirectory = Fixtures.sourceDirectory + "/basic-golden"
        let golden = snapshot(goldenDirectory)
        let changed = Set(actual.keys).union(golden.keys).sorted().filter { actual[$0] != golden[$0] }
        if ProcessInfo.processInfo.environment["GUIDEGEN_UPDATE_GOLDEN"] == "1" {
            guard !changed.isEmpty else { return }
            for path in changed { print(try goldenDiff(path, old: golden[path], new: actual[path])) }
            try? FileManager.default.removeItem(atPath: goldenDirectory)
            for (path, data) in actual {
                let full = goldenDirectory + "/" + path
                try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try data.write(to: URL(fileURLWithPath: full))
            }
            Issue.record("updated \(changed.count) golden files (diff above): \(changed.joined(separator: ", "))")
            return
        }
        #expect(Set(actual.keys) == Set(golden.keys))
        for path in changed where actual[path] != nil && golden[path] != nil {
            Issue.record("\(path) differs from Tests/SiteTests/Fixtures/basic-golden/\(path):\n\(try goldenDiff(path, old: golden[path], new: actual[path]))")
        }
    }

    /// `diff -u` of a golden file and the new output.
    func goldenDiff(_ path: String, old: Data?, new: Data?) throws -> String {
        try unifiedDiff(old: old ?? Data(), new: new ?? Data(), oldLabel: "basic-golden/\(path)", newLabel: "output/\(path)")
    }

    @Test func sameInputSameBytes() throws {
        let site = try TempSite(copying: "basic")
        #expect(site.build(output: site.directory + "/one").succeeded)
        #expect(site.build(output: site.directory + "/two").succeeded)
        let one = snapshot(site.directory + "/one"), two = snapshot(site.directory + "/two")
        #expect(one.count > 20)
        #expect(one == two)
    }

    @Test func failedBuildLeavesOutputAsItWas() throws {
        let site = try TempSite(copying: "basic")
        #expect(site.build().succeeded)
        try "keep me".write(toFile: site.output + "/extra.txt", atomically: true, encoding: .utf8)
        let before = snapshot(site.output)
        try site.write("content/roles/broken.md", "---\ntitle: Broken\ncategory: X\n---\nSee [nothing](nowhere.md).\n")
        let report = site.build()
        #expect(!report.succeeded)
        #expect(snapshot(site.output) == before)
        // The lock, and the records of what the first build wrote (no spare, no half-written records).
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: site.directory).filter { $0.contains("guidegen-") }
        #expect(leftovers.sorted() == [".public.guidegen-files", ".public.guidegen-lock"])
    }

    /// Pages guidegen wrote and the site no longer has are removed; files the writer put there stay.
    @Test func successfulBuildReplacesItsOwnFilesOnly() throws {
        let site = try TempSite(copying: "basic")
        #expect(site.build().succeeded)
        try "guides.example.org".write(toFile: site.output + "/CNAME", atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: site.directory + "/content/roles/data-engineer.md")
        #expect(site.build().succeeded)
        #expect(!FileManager.default.fileExists(atPath: site.output + "/roles/data-engineer/index.html"))
        #expect(try String(contentsOfFile: site.output + "/CNAME", encoding: .utf8) == "guides.example.org")
    }

    @Test func aRemovedPageDoesNotComeBack() throws {
        let site = try TempSite(copying: "basic")
        #expect(site.build().succeeded)
        #expect(site.build().succeeded)
        try FileManager.default.removeItem(atPath: site.directory + "/content/roles/data-engineer.md")
        #expect(site.build().succeeded)
        #expect(site.build().succeeded)
        #expect(!FileManager.default.fileExists(atPath: site.output + "/roles/data-engineer/index.html"))
        #expect(snapshot(site.output).keys.sorted() == snapshot(site.directory + "/.public.guidegen-spare").keys.sorted())
    }

    /// Served under the base_url path, every internal href and src of every page resolves to a written file.
    @Test func everyInternalLinkResolvesUnderTheBasePath() throws {
        let site = try TempSite(copying: "basic")
        #expect(site.build().succeeded)
        let files = snapshot(site.output)
        let pattern = try NSRegularExpression(pattern: ##"(?:href|src|action)="([^"#]*)(#[^"]*)?""##)
        var checked = 0
        for (path, data) in files where path.hasSuffix(".html") {
            let html = String(decoding: data, as: UTF8.self)
            for match in pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)) {
                let url = String(html[Range(match.range(at: 1), in: html)!])
                if url.isEmpty || url.hasPrefix("http") || url.hasPrefix("mailto:") { continue }
                #expect(url.hasPrefix("/guides/"), "\(path): \(url) is outside the base path")
                var file = String(url.dropFirst("/guides/".count))
                if file.isEmpty || file.hasSuffix("/") { file += "index.html" }
                #expect(files[file] != nil, "\(path) links to \(url), which was not written")
                checked += 1
            }
        }
        #expect(checked > 100)
    }

    @Test func untrustedTextIsEscaped() throws {
        let site = try TempSite(copying: "basic")
        try site.write("content/roles/evil.md", """
        ---
        title: "<script>alert(1)</script> Dev"
        summary: "a \\"quoted\\" </script> summary"
        category: "Web Development"
        ---
        <img src=x onerror=alert(1)> text
        """)
        #expect(site.build().succeeded)
        let html = String(decoding: snapshot(site.output)["roles/evil/index.html"]!, as: UTF8.self)
        #expect(!html.contains("<script>alert(1)"))
        #expect(!html.contains("<img src=x"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; Dev"))
        // Inside JSON-LD, no `</script>` can end the element early.
        #expect(html.components(separatedBy: "</script>").count == html.components(separatedBy: "<script").count)
    }

    @Test func structuredData() throws {
        let site = try TempSite(copying: "basic")
        #expect(site.build().succeeded)
        let files = snapshot(site.output)
        let role = String(decoding: files["roles/backend-developer/index.html"]!, as: UTF8.self)
        #expect(role.contains(#""@type":"Occupation""#))
        #expect(role.contains(#""estimatedSalary":[{"@type":"MonetaryAmountDistribution","currency":"USD","duration":"P1Y","median":133080,"name":"base","percentile10":79850"#))
        #expect(role.contains(#""occupationalCategory":"15-1252.00""#))
        #expect(role.contains(#""@type":"BreadcrumbList""#))
        let faq = String(decoding: files["faqs/backend-developer/index.html"]!, as: UTF8.self)
        #expect(faq.contains(#"{"@type":"Question","acceptedAnswer":{"@type":"Answer","text":"Not always."},"name":"Do you need a degree?"}"#))
        let sitemap = String(decoding: files["sitemap.xml"]!, as: UTF8.self)
        #expect(sitemap.contains("<url><loc>https://example.org/guides/roles/backend-developer/</loc><lastmod>2026-01-15</lastmod></url>"))
        #expect(!sitemap.contains("draft-guide"))
        #expect(String(decoding: files["robots.txt"]!, as: UTF8.self).contains("Sitemap: https://example.org/guides/sitemap.xml"))
    }

    /// A card for a page without a median or summary must not show another page's (Mustache looks missing
    /// names up in enclosing contexts, so every view sets every key).
    @Test func listsShowEachPagesOwnValues() throws {
        let site = try TempSite(copying: "basic")
        #expect(site.build().succeeded)
        let files = snapshot(site.output)
        for path in ["index.html", "skills/sql/index.html", "roles/backend-developer/index.html"] {
            let html = String(decoding: files[path]!, as: UTF8.self)
            let lines = html.split(separator: "\n").filter {
                ($0.contains("class=\"card\"") || $0.hasPrefix("<li><a href=")) && $0.contains("/roles/data-engineer/")
            }
            #expect(!lines.isEmpty, "\(path)")
            for line in lines {
                #expect(!line.contains("median"), "\(path): \(line)")
                #expect(!line.contains("<p>"), "\(path): \(line)")
            }
        }
    }

    @Test func siteOverridesAThemeFile() throws {
        let site = try TempSite(copying: "basic")
        try site.write("themes/default/templates/footer.mustache", "<footer>Our own footer for {{site.title}}</footer>\n")
        try site.write("themes/default/static/style.css", "body { color: black; }\n")
        #expect(site.build().succeeded)
        let files = snapshot(site.output)
        #expect(String(decoding: files["roles/backend-developer/index.html"]!, as: UTF8.self).contains("<footer>Our own footer for Fixture Guides</footer>"))
        #expect(String(decoding: files["style.css"]!, as: UTF8.self) == "body { color: black; }\n")
    }

    /// Pages refer to the theme's assets by fingerprinted names that change exactly when an asset's bytes do; the
    /// plain names are written too, for links written by hand.
    @Test func fingerprintedAssetsChangeWithTheirBytes() throws {
        let site = try TempSite(copying: "basic")
        #expect(site.build().succeeded)
        func names(_ files: [String: Data]) -> [String: String] {
            var found: [String: String] = [:]
            for path in files.keys where !path.contains("/") {
                if let match = path.wholeMatch(of: #/(.+)\.[0-9a-f]{16}(\.[a-z]+)/#) { found[String(match.1) + String(match.2)] = path }
            }
            return found
        }
        let before = snapshot(site.output)
        let first = names(before)
        #expect(Set(first.keys).isSuperset(of: ["style.css", "search.js", "sort-table.js", "filter-table.js", "share.png", "favicon.svg"]), "\(first)")
        #expect(before["style.css"] == before[first["style.css"]!])
        let page = String(decoding: before["roles/backend-developer/index.html"]!, as: UTF8.self)
        #expect(page.contains("<link rel=\"stylesheet\" href=\"/guides/\(first["style.css"]!)\">"))
        // The same bytes: the same names (a second build).
        #expect(site.build().succeeded)
        #expect(names(snapshot(site.output)) == first)
        // One asset changed: its name changes, the others' do not, and pages follow.
        try site.write("themes/default/static/style.css", "body { color: black; }\n")
        #expect(site.build().succeeded)
        let after = snapshot(site.output)
        let second = names(after)
        #expect(second["style.css"] != first["style.css"] && second["search.js"] == first["search.js"] && second["share.png"] == first["share.png"])
        #expect(after[first["style.css"]!] == nil, "the old name is gone with the old bytes")
        #expect(String(decoding: after["roles/backend-developer/index.html"]!, as: UTF8.self).contains("href=\"/guides/\(second["style.css"]!)\""))
    }

    @Test func draftsWithFlag() throws {
        let site = try TempSite(copying: "basic")
        let report = SiteBuilder.build(BuildOptions(source: site.directory, output: site.output, includeDrafts: true))
        #expect(report.succeeded)
        #expect(FileManager.default.fileExists(atPath: site.output + "/guides/draft-guide/index.html"))
    }
}

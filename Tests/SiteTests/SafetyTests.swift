import Diagnostics
import Foundation
import Testing
@testable import Site

/// The cases of the safety issue: each hostile or careless input is a located error with a
/// hint (or renders correctly), and the output of the last good build stays as it was.
@Suite struct SafetyTests {
    /// Builds the fixture site once, applies `change`, builds again: the second build must fail with
    /// `message` at `location`, with a hint, and leave the first build's output byte for byte.
    func expectRefused(_ message: String, at location: String, sourceLocation: Testing.SourceLocation = #_sourceLocation,
                       _ change: (TempSite) throws -> Void) throws {
        let site = try TempSite(copying: "basic")
        #expect(site.build().succeeded, sourceLocation: sourceLocation)
        let before = snapshot(site.output)
        try change(site)
        let clock = ContinuousClock()
        var report = BuildReport()
        let elapsed = clock.measure { report = site.build() }
        #expect(elapsed < .seconds(10), "took \(elapsed)", sourceLocation: sourceLocation)
        let match = report.diagnostics.errors.first { $0.message.contains(message) }
        #expect(match != nil, "expected “\(message)” in:\n\(report.diagnostics)", sourceLocation: sourceLocation)
        #expect(match?.location.description == location, "at \(String(describing: match?.location))", sourceLocation: sourceLocation)
        #expect(match?.hint != nil, "an error says what would fix it", sourceLocation: sourceLocation)
        #expect(snapshot(site.output) == before, "the old output changed", sourceLocation: sourceLocation)
        // check reports the same.
        #expect(site.check().diagnostics.errors.map(\.description) == report.diagnostics.errors.map(\.description), sourceLocation: sourceLocation)
    }

    static let role = "---\ntitle: A\ncategory: X\n"

    // MARK: Nothing outside the site is read

    @Test func aStaticLinkOutOfTheSite() throws {
        try expectRefused("static/etc is a symbolic link to /etc, outside the site folder", at: "static/etc") { site in
            try FileManager.default.createSymbolicLink(atPath: site.directory + "/static/etc", withDestinationPath: "/etc")
        }
    }

    @Test func aContentLinkOutOfTheSite() throws {
        try expectRefused("content/roles/passwd.md is a symbolic link to /etc/passwd", at: "content/roles/passwd.md") { site in
            try FileManager.default.createSymbolicLink(atPath: site.directory + "/content/roles/passwd.md", withDestinationPath: "/etc/passwd")
        }
    }

    @Test func aThemeLinkOutOfTheSite() throws {
        try expectRefused("themes/default/static/os is a symbolic link to /etc", at: "themes/default/static/os") { site in
            try FileManager.default.createDirectory(atPath: site.directory + "/themes/default/static", withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: site.directory + "/themes/default/static/os", withDestinationPath: "/etc")
        }
    }

    @Test func aConfigLinkOutOfTheSite() throws {
        let outside = try TempSite(files: ["guidegen.yml": "title: T\nbase_url: https://example.org/\n"])
        try expectRefused("guidegen.yml is a symbolic link to", at: "guidegen.yml") { site in
            try FileManager.default.removeItem(atPath: site.directory + "/guidegen.yml")
            try FileManager.default.createSymbolicLink(atPath: site.directory + "/guidegen.yml", withDestinationPath: outside.directory + "/guidegen.yml")
        }
    }

    /// A named pipe would block a read forever: it is left out with a warning.
    @Test func aPipeInContentDoesNotHang() throws {
        let site = try TempSite(copying: "basic")
        #expect(mkfifo(site.directory + "/content/roles/pipe.md", 0o644) == 0)
        let report = site.check()
        #expect(report.succeeded, "\(report.diagnostics)")
        #expect(report.diagnostics.warnings.contains { $0.location.file == "content/roles/pipe.md" && $0.message.contains("not a regular file") })
    }

    @Test func aLinkInsideTheSiteIsFine() throws {
        let site = try TempSite(copying: "basic")
        try FileManager.default.createSymbolicLink(atPath: site.directory + "/static/pictures", withDestinationPath: site.directory + "/static/img")
        #expect(site.build().succeeded)
        #expect(FileManager.default.fileExists(atPath: site.output + "/pictures/pay.svg"))
    }

    @Test func aFolderLoopIsReportedOnce() throws {
        try expectRefused("content/roles/again is a symbolic link back to a folder that contains it", at: "content/roles/again") { site in
            try FileManager.default.createSymbolicLink(atPath: site.directory + "/content/roles/again", withDestinationPath: "..")
        }
        let site = try TempSite(copying: "basic")
        try FileManager.default.createSymbolicLink(atPath: site.directory + "/content/roles/again", withDestinationPath: "..")
        #expect(site.check().diagnostics.errors.filter { $0.message.contains("loop") }.count == 1)
    }

    @Test func twoLinksPointingAtEachOther() throws {
        try expectRefused("content/x is a symbolic link in a loop of links", at: "content/x") { site in
            try FileManager.default.createSymbolicLink(atPath: site.directory + "/content/x", withDestinationPath: "y")
            try FileManager.default.createSymbolicLink(atPath: site.directory + "/content/y", withDestinationPath: "x")
        }
    }

    // MARK: Every URL is safe by construction

    @Test(arguments: [
        ("javascript:alert(1)%2F%2F.md", "`:` at character 11"),
        ("%2e%2e.md", "`%` at character 1"),
        ("a\u{1}b.md", "a control character (U+1) at character 2"),
        ("Backend Dev.md", "`B` (upper case) at character 1"),
        (String(repeating: "a", count: 120) + ".md", "it is 120 characters long (at most 100)"),
    ])
    func fileNamesFollowTheSlugRule(_ name: String, _ problem: String) throws {
        try expectRefused("the file name `\(name)` has \(problem)", at: "content/roles/\(name)") { site in
            try site.write("content/roles/\(name)", Self.role + "---\nText.\n")
        }
    }

    @Test func folderNamesFollowTheSlugRule() throws {
        try expectRefused("the folder name `my guides` has a space at character 3", at: "content/my guides/") { site in
            try site.write("content/my guides/a.md", "---\ntitle: A\n---\nText.\n")
        }
    }

    @Test func aSlugReplacesTheFileName() throws {
        let site = try TempSite(copying: "basic")
        try site.write("content/guides/Notes Page.md", "---\ntitle: Notes\nslug: notes\n---\nText.\n")
        #expect(site.build().succeeded)
        #expect(FileManager.default.fileExists(atPath: site.output + "/guides/notes/index.html"))
    }

    @Test func skillURLsArePercentEncodedInTheSitemap() throws {
        let site = try TempSite(copying: "basic")
        try site.write("content/roles/a.md", Self.role + "skills: [Développement]\n---\nText.\n")
        #expect(site.build().succeeded)
        let sitemap = String(decoding: snapshot(site.output)["sitemap.xml"]!, as: UTF8.self)
        #expect(sitemap.contains("<loc>https://example.org/guides/skills/d%C3%A9veloppement/</loc>"))
        #expect(FileManager.default.fileExists(atPath: site.output + "/skills/développement/index.html"))
    }

    // MARK: Nothing a writer wrote is dropped

    @Test func aLinkInATableCell() throws {
        let site = try TempSite(copying: "basic")
        try site.write("content/roles/a.md", Self.role + "---\n| Role | Why |\n|---|---|\n| [Backend](backend-developer.md) | *see [FAQ](../faqs/backend-developer.md)* |\n")
        #expect(site.build().succeeded)
        let html = String(decoding: snapshot(site.output)["roles/a/index.html"]!, as: UTF8.self)
        #expect(html.contains("<td><a href=\"/guides/roles/backend-developer/\">Backend</a></td>"))
        #expect(html.contains("<td><em>see <a href=\"/guides/faqs/backend-developer/\">FAQ</a></em></td>"))
        // A broken link in a cell is checked like any other.
        try site.write("content/roles/b.md", Self.role + "---\n| Role |\n|---|\n| [Gone](gone.md) |\n")
        #expect(site.check().diagnostics.errors.map(\.location.description) == ["content/roles/b.md:7:3"])
    }

    /// A theme template that includes itself ran the build out of stack (a crash, exit 139).
    @Test func aTemplateThatIncludesItself() throws {
        try expectRefused("`toc` includes itself (toc -> toc)", at: "themes/default/templates/toc.mustache:1:1") { site in
            try site.write("themes/default/templates/toc.mustache", "{{>toc}}\n")
        }
    }

    @Test func aNULByte() throws {
        try expectRefused("a NUL byte in the text", at: "content/roles/a.md:6:7") { site in
            try site.write("content/roles/a.md", Self.role + "---\nIntro.\nBefore\u{0}after [x](gone.md).\n")
        }
        // The text after it is still read: its broken link is reported too.
        let site = try TempSite(copying: "basic")
        try site.write("content/roles/a.md", Self.role + "---\nIntro.\nBefore\u{0}after [x](gone.md).\n")
        #expect(site.check().diagnostics.errors.contains { $0.location.description == "content/roles/a.md:6:14" })
    }

    @Test func entitiesOfControlCharactersAreText() throws {
        let site = try TempSite(copying: "basic")
        try site.write("content/roles/a.md", Self.role + "---\n&#1;7&#1; [Backend](backend-developer.md)\n\n## Pay &#2; here\n\nText.\n")
        #expect(site.build().succeeded)
        let html = String(decoding: snapshot(site.output)["roles/a/index.html"]!, as: UTF8.self)
        #expect(html.contains("<p>\u{1}7\u{1} <a href=\"/guides/roles/backend-developer/\">Backend</a></p>"))
        #expect(html.contains("<h2 id=\"pay--here\">Pay \u{2} here</h2>\n<p>Text.</p>"))
    }

    @Test func aMissingPartial() throws {
        try expectRefused("template error: the partial `missing-partial` does not exist", at: "themes/default/templates/footer.mustache:2:3") { site in
            try site.write("themes/default/templates/footer.mustache", "<footer>\n  {{> missing-partial}}\n</footer>\n")
        }
    }

    // MARK: No input crashes or hangs the tool

    @Test(arguments: [
        ("salary: {currency: USD, source: BLS, as_of: 2024-05-31, median: 1e19}\n", "`median` is too large: 1e19", "content/roles/a.md:4:65"),
        ("salary: {currency: USD, source: BLS, as_of: 2024-05-31, median: 5, percentiles: {p10: 1e20}}\n", "`p10` is too large: 1e20", "content/roles/a.md:4:87"),
        ("salary: {currency: USD, source: BLS, as_of: 2024-05-31, hourly: 1e17}\n", "`hourly` is too large: 1e17", "content/roles/a.md:4:65"),
    ])
    func hugeNumbers(_ yaml: String, _ message: String, _ location: String) throws {
        try expectRefused(message, at: location) { site in
            try site.write("content/roles/a.md", Self.role + yaml + "---\nText.\n")
        }
    }

    @Test func aHugeRelatedLimit() throws {
        try expectRefused("`related_limit` must be a whole number from 0 to 100, not `1e300`", at: "guidegen.yml:3:16") { site in
            try site.write("guidegen.yml", "title: T\nbase_url: https://example.org/guides/\nrelated_limit: 1e300\n")
        }
    }

    @Test func aHundredThousandSkills() throws {
        let skills = (0..<100_000).map { "s\($0)" }.joined(separator: ", ")
        try expectRefused("this role lists 100000 skills; at most 1000 are allowed", at: "content/roles/a.md:4:9") { site in
            try site.write("content/roles/a.md", Self.role + "skills: [\(skills)]\n---\nText.\n")
        }
        // A thousand is allowed, and quick.
        let site = try TempSite(copying: "basic")
        try site.write("content/roles/a.md", Self.role + "skills: [\((0..<1000).map { "s\($0)" }.joined(separator: ", "))]\n---\nText.\n")
        let elapsed = ContinuousClock().measure { #expect(site.build().succeeded) }
        #expect(elapsed < .seconds(20))
    }

    @Test func aThreeThousandColumnTable() throws {
        let table = String(repeating: "|a", count: 3000) + "|\n" + String(repeating: "|-", count: 3000) + "|\n" + String(repeating: "x\n", count: 3000)
        try expectRefused("this table has 3000 columns; at most 64 are allowed", at: "content/roles/a.md:6:1") { site in
            try site.write("content/roles/a.md", Self.role + "---\nIntro.\n" + table)
        }
    }

    // MARK: Every diagnostic has a place and a hint

    @Test func aDuplicateKeyPointsAtTheSecond() throws {
        try expectRefused("`title` appears twice in the same mapping", at: "content/roles/a.md:4:1") { site in
            try site.write("content/roles/a.md", Self.role + "title: B\n---\nText.\n")
        }
    }

    @Test func aBrokenFrontMatterDoesNotCascade() throws {
        let site = try TempSite(copying: "basic")
        try site.write("content/roles/b.md", "---\ntitle: [B\ncategory: X\n---\n## Pay\n\nText.\n")
        try site.write("content/roles/a.md", Self.role + "related: [b]\n---\nSee [B](b.md#pay).\n")
        let errors = site.check().diagnostics.errors
        #expect(errors.map(\.location.description) == ["content/roles/b.md:3:9"], "\(errors)")
    }

    // MARK: check is build without the write

    @Test func aStaticFileOverAPage() throws {
        try expectRefused("static/roles/index.html would overwrite a page the build writes", at: "static/roles/index.html") { site in
            try site.write("static/roles/index.html", "<p>mine</p>")
        }
    }
}

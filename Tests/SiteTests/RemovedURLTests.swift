import Diagnostics
import Foundation
import Output
@testable import Site
import TestSupport
import Testing

/// `url-removed`: a page address the last build into an output published, gone from the next build with no alias
/// to keep it, is a warning with the line to add, once, at the page most likely to have taken its place.
@Suite struct RemovedURLTests {
    /// Moves the FAQ to a new file name (its address changes) and mends the one link to it.
    func renameFAQ(_ site: TempSite, aliases: String? = nil) throws {
        let moved = site.directory + "/content/faqs/backend-developer-faq.md"
        let old = FileManager.default.fileExists(atPath: moved) ? moved : site.directory + "/content/faqs/backend-developer.md"
        var text = try String(contentsOfFile: old, encoding: .utf8)
        text = text.replacing(#/\naliases: .*/#, with: "")
        if let aliases { text = text.replacingOccurrences(of: "roles: [backend-developer]", with: "roles: [backend-developer]\naliases: " + aliases) }
        try FileManager.default.removeItem(atPath: old)
        try site.write("content/faqs/backend-developer-faq.md", text)
        let role = site.directory + "/content/roles/backend-developer.md"
        try site.write("content/roles/backend-developer.md", try String(contentsOfFile: role, encoding: .utf8)
            .replacingOccurrences(of: "/faqs/backend-developer.md", with: "/faqs/backend-developer-faq.md"))
    }

    func removed(_ report: BuildReport) -> [Diagnostic] {
        report.diagnostics.all.filter { $0.code == .urlRemoved }
    }

    @Test func aRenamedPageWithoutAnAliasIsWarnedOnceAtItsNewFile() throws {
        let site = try TempSite(copying: "basic")
        #expect(site.build().succeeded)
        try renameFAQ(site)
        let second = site.build()
        #expect(second.succeeded, "a warning, not an error: the site is published")
        let warnings = removed(second)
        try #require(warnings.count == 1, "\(second.diagnostics.all)")
        #expect(warnings[0].location.file == "content/faqs/backend-developer-faq.md")
        #expect(warnings[0].location.line == 2, "at the title: the page has no aliases yet")
        #expect(warnings[0].message.hasPrefix("/faqs/backend-developer/ was published by the last build into \(site.output)"))
        let hint = warnings[0].hint ?? ""
        #expect(hint.contains("add `aliases: [/faqs/backend-developer/]` to its front matter"), "\(hint)")
        // The build published the new address; the old one is no longer listed, so the next build says nothing.
        #expect(removed(site.build()).isEmpty)
    }

    @Test func anAliasKeepsTheOldAddress() throws {
        let site = try TempSite(copying: "basic")
        #expect(site.build().succeeded)
        try renameFAQ(site, aliases: "[/faqs/backend-developer/]")
        let second = site.build()
        #expect(second.succeeded)
        #expect(removed(second).isEmpty, "\(removed(second))")
        #expect(FileManager.default.fileExists(atPath: site.output + "/faqs/backend-developer/index.html"), "the redirect page")
        // And the alias itself is an address now: removing it again is warned, at the page's aliases.
        try renameFAQ(site, aliases: "[/faqs/old-questions/]")
        let third = site.build()
        let warnings = removed(third)
        try #require(warnings.count == 1, "\(third.diagnostics.all)")
        #expect(warnings[0].location.file == "content/faqs/backend-developer-faq.md")
        #expect(warnings[0].location.line == 4, "at the aliases list")
        let hint = warnings[0].hint ?? ""
        #expect(hint.contains("add /faqs/backend-developer/ to its `aliases` list"), "\(hint)")
    }

    /// A role renamed (its file, so its address and slug), across two builds into one output: without an alias the
    /// old address is warned at the renamed role; with one, it is a redirect page and nothing is said.
    @Test(arguments: [false, true]) func aRenamedRole(withAlias: Bool) throws {
        let site = try TempSite(copying: "basic")
        #expect(site.build().succeeded)
        let old = site.directory + "/content/roles/data-engineer.md"
        var text = try String(contentsOfFile: old, encoding: .utf8)
        if withAlias { text = text.replacingOccurrences(of: "title: \"Data Engineer\"", with: "title: \"Data Engineer\"\naliases: [/roles/data-engineer/]") }
        try FileManager.default.removeItem(atPath: old)
        try site.write("content/roles/data-platform-engineer.md", text)
        let second = site.build()
        #expect(second.succeeded, "\(second.diagnostics.all)")
        let warnings = removed(second)
        if withAlias {
            #expect(warnings.isEmpty, "\(warnings)")
            let redirect = try String(contentsOfFile: site.output + "/roles/data-engineer/index.html", encoding: .utf8)
            #expect(redirect.contains("url=/guides/roles/data-platform-engineer/"), "\(redirect)")
        } else {
            #expect(warnings.map { "\($0.location): \($0.message)" }
                    == ["content/roles/data-platform-engineer.md:2:8: /roles/data-engineer/ was published by the last build into \(site.output) "
                        + "and this site no longer has it; links to it from other sites, search results and bookmarks will break"])
            #expect(!FileManager.default.fileExists(atPath: site.output + "/roles/data-engineer/index.html"))
        }
    }

    @Test func checkComparesWithTheOutputItIsGivenAndWritesNothing() throws {
        let site = try TempSite(copying: "basic")
        #expect(site.build().succeeded)
        let marker = try Data(contentsOf: URL(fileURLWithPath: site.output + "/.guidegen-output"))
        try renameFAQ(site)
        var options = BuildOptions(source: site.directory)
        #expect(removed(SiteBuilder.build(options)).isEmpty, "without --output there is nothing to compare with")
        options.publishedOutput = site.output
        let checked = SiteBuilder.build(options)
        #expect(removed(checked).count == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: site.output + "/.guidegen-output")) == marker, "check writes nothing")
        #expect(!FileManager.default.fileExists(atPath: site.output + "/faqs/backend-developer-faq/index.html"))
        // A folder that is no output (a typo): said, not silently compared with nothing.
        options.publishedOutput = site.directory + "/pubilc"
        let typo = removed(SiteBuilder.build(options))
        #expect(typo.map(\.message) == ["\(site.directory)/pubilc holds no output of an earlier build (no valid .guidegen-output); no address was compared"])
    }

    @Test func aPageGoneWithNoSuccessorIsWarnedAtTheMarkerLine() throws {
        let site = try TempSite(copying: "basic")
        #expect(site.build().succeeded)
        let markerPath = site.output + "/.guidegen-output"
        let lines = try String(contentsOfFile: markerPath, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let line = try #require(lines.firstIndex(of: "faqs/backend-developer/index.html")) + 1
        let section = try #require(lines.firstIndex(of: "faqs/index.html")) + 1
        try FileManager.default.removeItem(atPath: site.directory + "/content/faqs/backend-developer.md")
        let role = site.directory + "/content/roles/backend-developer.md"
        try site.write("content/roles/backend-developer.md", try String(contentsOfFile: role, encoding: .utf8)
            .replacingOccurrences(of: "and the [FAQ](/faqs/backend-developer.md#do-you-need-a-degree).", with: "and the FAQ."))
        let report = site.build()
        let warnings = removed(report)
        // The FAQ, and the FAQ section's generated page, which has no page left to list.
        #expect(warnings.map(\.location) == [line, section].map { SourceLocation(file: markerPath, line: $0, column: 1) }, "\(report.diagnostics.all)")
        let hint = warnings.first?.hint ?? ""
        #expect(hint.contains("if the page is gone for good, there is nothing to do"), "\(hint)")
    }

    /// A `--drafts` build published the drafts; the next build leaves them out, but their addresses are not gone.
    @Test func draftsLeftOutAreNotGone() throws {
        let site = try TempSite(copying: "basic")
        var options = BuildOptions(source: site.directory, output: site.output, includeDrafts: true)
        #expect(SiteBuilder.build(options).succeeded)
        #expect(FileManager.default.fileExists(atPath: site.output + "/guides/draft-guide/index.html"))
        options.includeDrafts = false
        let report = SiteBuilder.build(options)
        #expect(report.succeeded && removed(report).isEmpty, "\(removed(report))")
        #expect(!FileManager.default.fileExists(atPath: site.output + "/guides/draft-guide/index.html"))
    }

    /// Another site built into the output: hundreds of addresses gone are twenty warnings and a line counting the
    /// rest, found in a moment.
    @Test func manyGoneAddressesAreCounted() throws {
        let big = try TempSite()
        try FileManager.default.removeItem(atPath: big.directory)
        #expect(try CorpusGenerator.run(into: big.directory, roles: 100) == 0)
        #expect(big.build().succeeded)
        let published = try #require(PublishedPages.listed(in: big.output))
        let small = try TempSite(copying: "basic")
        let start = Date()
        let report = small.build(output: big.output)
        #expect(Date().timeIntervalSince(start) < 5)
        #expect(report.succeeded)
        let warnings = removed(report)
        #expect(warnings.count == RemovedURLs.shown + 1, "\(warnings.count)")
        let gone = published.filter { !FileManager.default.fileExists(atPath: big.output + $0.url + "index.html") }.count
        #expect(gone > 300)
        #expect(warnings.last?.message.contains("... and \(gone - RemovedURLs.shown) more addresses") == true, "\(warnings.last?.message ?? "")")
    }

    @Test func firstBuildsAndUnchangedSitesSayNothing() throws {
        let site = try TempSite(copying: "basic")
        #expect(removed(site.build()).isEmpty)
        #expect(removed(site.build()).isEmpty)
    }
}

import Content
import Diagnostics
import Foundation
import Testing
@testable import Site

/// The load stage's limits and the files it lists: a page too large to parse, a file name that is not
/// UTF-8, files under static/ whose names start with a dot. Each case is the same in check and build.
@Suite struct LoadLimitTests {
    static let role = SafetyTests.role

    /// Writes a file whose name is `name` (raw bytes, not necessarily UTF-8) in `folder`.
    func writeFile(named name: [UInt8], in folder: String, text: String) throws {
        let path = Array(folder.utf8) + [UInt8(ascii: "/")] + name + [0]
        let descriptor = path.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
        }
        #expect(descriptor >= 0)
        let data = Array(text.utf8)
        #expect(write(descriptor, data, data.count) == data.count)
        close(descriptor)
    }

    /// Makes a folder whose name is `name` (raw bytes) in `folder`.
    func makeFolder(named name: [UInt8], in folder: String) {
        let path = Array(folder.utf8) + [UInt8(ascii: "/")] + name + [0]
        let made = path.withUnsafeBufferPointer { bytes in bytes.withMemoryRebound(to: CChar.self) { mkdir($0.baseAddress!, 0o755) } }
        #expect(made == 0)
    }

    // MARK: Sizes

    @Test func aPageOverTheLimitIsRefusedBeforeItIsRead() throws {
        let limit = Int(SiteLoader.maximumPageBytes)
        #expect(limit == 2 * 1024 * 1024)
        let line = String(repeating: "word ", count: 19) + "\n"
        let body = String(repeating: line, count: limit / line.utf8.count + 1)
        try SafetyTests().expectRefused("this file is 2.0 MiB (\(Self.role.utf8.count + 4 + body.utf8.count) bytes); a page may be at most 2.0 MiB (2097152 bytes)",
                                        at: "content/roles/big.md:1:1") { site in
            try site.write("content/roles/big.md", Self.role + "---\n" + body)
        }
    }

    /// A file of a gigabyte (sparse: no disk used) is refused at once: cmark-gfm would abort on it.
    @Test func aGigabytePageIsRefusedQuickly() throws {
        let site = try TempSite(copying: "basic")
        try site.write("content/roles/huge.md", Self.role + "---\nText.\n")
        #expect(truncate(site.directory + "/content/roles/huge.md", 1 << 30) == 0)
        let clock = ContinuousClock()
        var report = BuildReport()
        let elapsed = clock.measure { report = site.check() }
        #expect(elapsed < .seconds(5), "took \(elapsed)")
        let error = report.diagnostics.errors.first { $0.code == .fileTooLarge }
        #expect(error?.location.description == "content/roles/huge.md:1:1", "\(report.diagnostics)")
        #expect(error?.hint != nil)
    }

    @Test func aGuidegenYmlOverTheLimit() throws {
        try SafetyTests().expectRefused("guidegen.yml may be at most 1.0 MiB", at: "guidegen.yml:1:1") { site in
            try site.write("guidegen.yml", "title: T\nbase_url: https://example.org/guides/\n" + String(repeating: "# a comment\n", count: 100_000))
        }
    }

    // MARK: Repeated errors

    /// A page's broken links of one kind are ten lines and a sum, as its front matter's errors are.
    @Test func fiftyBrokenLinksAreTenAndASum() throws {
        let site = try TempSite(copying: "basic")
        let links = (0..<50).map { "[x](gone-\($0).md)" }.joined(separator: "\n\n")
        try site.write("content/roles/a.md", Self.role + "---\n" + links + "\n")
        let errors = site.check().diagnostics.errors.filter { $0.code == .brokenLink }
        #expect(errors.count == 11, "\(errors)")
        #expect(errors.last?.message == "... and 40 more `broken-link` problems in this file")
        #expect(errors.last?.location.description == "content/roles/a.md:25:1")
    }

    // MARK: Names that are not UTF-8

    @Test func aContentFileNameThatIsNotUTF8() throws {
        try SafetyTests().expectRefused("the name `caf\\xe9.md` is not UTF-8 text", at: "content/roles/caf\\xe9.md") { site in
            try writeFile(named: Array("caf".utf8) + [0xE9] + Array(".md".utf8), in: site.directory + "/content/roles", text: Self.role + "---\nText.\n")
        }
    }

    @Test func aContentFolderNameThatIsNotUTF8() throws {
        try SafetyTests().expectRefused("the name `\\xff\\xfe` is not UTF-8 text", at: "content/\\xff\\xfe") { site in
            makeFolder(named: [0xFF, 0xFE], in: site.directory + "/content")
            try site.write("content/x.md", "---\ntitle: X\n---\nText.\n")
        }
    }

    @Test func aStaticFileNameThatIsNotUTF8() throws {
        // check fails as build does (a build used to fail only when it copied the file).
        try SafetyTests().expectRefused("the name `a\\xc3(.png` is not UTF-8 text", at: "static/img/a\\xc3(.png") { site in
            try writeFile(named: [UInt8(ascii: "a"), 0xC3, UInt8(ascii: "(")] + Array(".png".utf8), in: site.directory + "/static/img", text: "png")
        }
    }

    // MARK: Names that start with a dot under static/

    @Test func filesHostsReadArePublished() throws {
        let site = try TempSite(copying: "basic")
        try site.write("static/.well-known/security.txt", "Contact: mailto:security@example.org\n")
        try site.write("static/.well-known/pki-validation/a.txt", "token\n")
        try site.write("static/.nojekyll", "")
        try site.write("static/.htaccess", "ErrorDocument 404 /guides/404.html\n")
        try site.write("static/_headers", "/*\n  X-Frame-Options: DENY\n")
        try site.write("static/_redirects", "/old /guides/ 301\n")
        try site.write("content/roles/a.md", Self.role + "---\nSee [security.txt](/.well-known/security.txt).\n")
        let report = site.build()
        #expect(report.succeeded, "\(report.diagnostics)")
        let output = snapshot(site.output)
        for path in [".well-known/security.txt", ".well-known/pki-validation/a.txt", ".nojekyll", ".htaccess", "_headers", "_redirects"] {
            #expect(output[path] != nil, "\(path) is published")
        }
        // A rebuild into the same output knows them as its own, and one without them removes them.
        #expect(site.build().succeeded)
        try FileManager.default.removeItem(atPath: site.directory + "/static/.htaccess")
        #expect(site.build().succeeded)
        #expect(snapshot(site.output)[".htaccess"] == nil)
        #expect(snapshot(site.output)[".nojekyll"] != nil)
        #expect(site.check().diagnostics.warnings.filter { $0.code == .hiddenFile }.isEmpty)
    }

    @Test func otherDotfilesAreLeftOutWithAWarningInCheckOnly() throws {
        let site = try TempSite(copying: "basic")
        try site.write("static/.env", "SECRET=1\n")
        try site.write("static/.DS_Store", "x")
        try site.write("static/.git/config", "[core]\n")
        try site.write("static/img/.hidden.png", "x")
        let check = site.check()
        #expect(check.succeeded, "\(check.diagnostics)")
        let warnings = check.diagnostics.warnings.filter { $0.code == .hiddenFile }
        #expect(warnings.map(\.location.description) == ["static/.DS_Store", "static/.env", "static/.git/", "static/img/.hidden.png"])
        #expect(warnings.allSatisfy { $0.message.contains("not published") && $0.hint != nil })
        let build = site.build()
        #expect(build.succeeded)
        #expect(build.diagnostics.warnings.filter { $0.code == .hiddenFile }.isEmpty, "build stays quiet about warnings")
        let output = snapshot(site.output)
        #expect(output[".env"] == nil && output[".DS_Store"] == nil && output[".git/config"] == nil && output["img/.hidden.png"] == nil)
    }

    @Test(arguments: [("/.env", "static/.env"), ("/.git/config", "static/.git/"), ("/img/.hidden.png", "static/img/.hidden.png")])
    func aLinkToALeftOutFileSaysWhy(_ link: String, _ file: String) throws {
        try SafetyTests().expectRefused("link to `\(link)`, but \(file) is not published: names starting with a dot are left out", at: "content/roles/a.md:5:3") { site in
            try site.write("static/.env", "SECRET=1\n")
            try site.write("static/.git/config", "[core]\n")
            try site.write("static/img/.hidden.png", "x")
            try site.write("content/roles/a.md", Self.role + "---\nA [x](\(link)).\n")
        }
    }
}

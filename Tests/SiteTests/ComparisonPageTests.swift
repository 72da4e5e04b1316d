import Diagnostics
import Foundation
import Site
import Testing

/// The "X vs Y" page as built: the fixture's backend developer names `compare: [frontend-developer]`
/// and has a "How it differs" table with a row on the frontend role.
@Suite struct ComparisonPageTests {
    static let path = "compare/backend-developer-vs-frontend-developer/index.html"

    func built(_ site: TempSite) throws -> (compare: String, files: [String: Data]) {
        let report = site.build()
        #expect(report.succeeded, "\(report.diagnostics)")
        let files = snapshot(site.output)
        return (String(decoding: try #require(files[Self.path]), as: UTF8.self), files)
    }

    @Test func showsBothRolesSideBySideWithTheWritersRow() throws {
        let site = try TempSite(copying: "basic")
        let (html, files) = try built(site)
        #expect(html.contains("<title>Backend Developer vs Frontend Developer · Fixture Guides</title>"))
        #expect(html.contains("<h1>Backend Developer vs Frontend Developer</h1>"))
        // Both roles, linked, in the URL's order; the backend's figures, the frontend's "No figure".
        let backend = try #require(html.range(of: "<h2 id=\"gg-role-1\"><a href=\"/guides/roles/backend-developer/\">Backend Developer</a></h2>"))
        let frontend = try #require(html.range(of: "<h2 id=\"gg-role-2\"><a href=\"/guides/roles/frontend-developer/\">Frontend Developer</a></h2>"))
        #expect(backend.upperBound < frontend.lowerBound)
        #expect(html.contains("<strong>$133,080</strong> a year") && html.contains("$79,850–$211,450") && html.contains("+15% (2024–34)"))
        #expect(html.contains("<dt>Median pay</dt><dd>No figure</dd>"))
        // Skills both list, and each one's own, as chips to the skill pages.
        #expect(html.contains("<h3>Both list</h3>\n<ul class=\"chips\"><li><a href=\"/guides/skills/rest-apis/\">REST APIs</a></li></ul>"))
        #expect(html.contains("<h3>Only Frontend Developer</h3>\n<ul class=\"chips\"><li><a href=\"/guides/skills/javascript/\">JavaScript</a></li></ul>"))
        // Routes in: the backend's how-to guide.
        #expect(html.contains("<a href=\"/guides/guides/how-to-become-backend-developer/\">How to Become a Backend Developer</a>"))
        // The writer's row, escaped as the body renders it, with a link to its heading; the frontend's summary.
        #expect(html.contains("<blockquote>Builds the <!-- raw HTML omitted -->browser<!-- raw HTML omitted --> side &amp; calls the APIs backend developers build.</blockquote>"))
        #expect(html.contains("From <a href=\"/guides/roles/backend-developer/#how-it-differs\">How it differs</a>"))
        #expect(!html.contains("Leads the team."))
        #expect(html.contains("<blockquote><p>Builds what users see.</p></blockquote>"))
        // Figures that differ are not called the same; breadcrumbs as JSON-LD.
        #expect(!html.contains("cannot tell these roles apart"))
        #expect(html.contains("\"@type\":\"BreadcrumbList\"") && html.contains("\"name\":\"Roles A-Z\""))
        // Both role pages link to it; the sitemap and the search index list it.
        for role in ["backend-developer", "frontend-developer"] {
            let page = String(decoding: try #require(files["roles/\(role)/index.html"]), as: UTF8.self)
            #expect(page.contains("<p class=\"compare-links\" id=\"gg-compare-with\"><span class=\"facts-label\">Side by side</span> <a href=\"/guides/compare/backend-developer-vs-frontend-developer/\">"))
        }
        let sitemap = String(decoding: try #require(files["sitemap.xml"]), as: UTF8.self)
        #expect(sitemap.contains("<loc>https://example.org/guides/compare/backend-developer-vs-frontend-developer/</loc>"))
        let search = files.filter { $0.key.hasPrefix("search/") && $0.key.contains("/f/") }.values.map { String(decoding: $0, as: UTF8.self) }
        #expect(search.contains { $0.contains("\"k\":\"Comparison\"") && $0.contains("\"u\":\"compare/backend-developer-vs-frontend-developer/\"") })
    }

    /// Both roles counted in one occupation show its figures: the page says the figures cannot separate them.
    @Test func oneOccupationsFiguresAreSaidToBeTheSame() throws {
        let site = try TempSite(copying: "basic")
        try DataFiles.declare(in: site)
        try FieldEditTests.set(site, "content/roles/frontend-developer.md", "occupation_code", "\"15-1252.00\"")
        let (html, _) = try built(site)
        #expect(html.contains("Both roles show BLS figures for Software Developers (15-1252), one occupation that counts both"))
        #expect(html.contains("cannot tell these roles apart"))
        #expect(html.components(separatedBy: "<strong>$133,080</strong>").count == 3)
    }

    /// Named from both sides: one page. Naming a role that is not there fails the build at its place.
    @Test func bothSidesOnePageAndAnUnknownRoleFails() throws {
        let site = try TempSite(copying: "basic")
        try FieldEditTests.set(site, "content/roles/frontend-developer.md", "compare", "[backend-developer]")
        let (_, files) = try built(site)
        #expect(files.keys.filter { $0.hasPrefix("compare/") } == [Self.path])
        try FieldEditTests.set(site, "content/roles/frontend-developer.md", "compare", "[backend-developr]")
        let report = site.build()
        #expect(!report.succeeded)
        let error = report.diagnostics.errors.first
        #expect(error?.description.hasPrefix("content/roles/frontend-developer.md:3:11: error: `compare` names the role `backend-developr`") == true)
        #expect(error?.hint?.contains("did you mean `backend-developer`?") == true)
    }

    /// The preview brought up to date after edits a comparison shows (the quoted row, the other role's
    /// summary and skills, `compare:` itself) writes what a build from nothing writes.
    @Test func previewEditsUpdateLikeAFullBuild() throws {
        let site = try TempSite(copying: "basic")
        let options = BuildOptions(source: site.directory)
        var session = SiteSession(options: options)
        #expect(session.update().succeeded)
        let backend = "content/roles/backend-developer.md", frontend = "content/roles/frontend-developer.md"
        let edits: [(String, () throws -> Void)] = [
            ("the quoted row", {
                let text = try String(contentsOfFile: site.directory + "/" + backend, encoding: .utf8)
                try site.write(backend, text.replacingOccurrences(of: "calls the APIs", with: "calls the services"))
            }),
            ("the other role's summary", { try FieldEditTests.set(site, frontend, "summary", "\"Builds screens.\"") }),
            ("the other role's skills", { try FieldEditTests.set(site, frontend, "skills", "[Go, CSS]") }),
            ("the other role's figures", { try FieldEditTests.set(site, frontend, "entry_experience", "under-5-years") }),
            ("compare: from the other side", { try FieldEditTests.set(site, frontend, "compare", "[data-engineer]") }),
            ("compare: removed", { try FieldEditTests.set(site, backend, "compare", "[]") }),
        ]
        for (name, edit) in edits {
            try edit()
            let update = session.update()
            var fresh = SiteSession(options: options)
            #expect(fresh.update().succeeded && update.succeeded, "\(name)")
            let (built, expected) = (try #require(session.site), try #require(fresh.site))
            let differing = Set(built.files.keys).union(expected.files.keys).filter { built.files[$0] != expected.files[$0] }
            #expect(differing.isEmpty, "after \(name): \(differing.sorted())")
            #expect(built.searchFiles() == expected.searchFiles(), "after \(name)")
        }
        let files = try #require(session.site).files
        #expect(files.keys.filter { $0.hasPrefix("compare/") }.sorted() == ["compare/data-engineer-vs-frontend-developer/index.html"])
    }
}

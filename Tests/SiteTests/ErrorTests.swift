import Diagnostics
import Foundation
import Testing
@testable import Site

/// One test per kind of site error: the message, and the `file:line:column` it names.
@Suite struct SiteErrorTests {
    struct Case: Sendable, CustomStringConvertible {
        var file: String
        var text: String
        var message: String
        var location: String
        var description: String { message }
    }

    static let cases: [Case] = [
        Case(file: "content/roles/a.md", text: "---\ntitle: A\ncategory: X\n---\nIntro.\n\nSee [gone](missing-role.md).\n",
             message: "link to `missing-role.md`, but content/roles/missing-role.md does not exist", location: "content/roles/a.md:7:5"),
        Case(file: "content/roles/a.md", text: "---\ntitle: A\ncategory: X\n---\nSee [pay](../faqs/backend-developer.md#pay).\n",
             message: "has no heading with id `pay`", location: "content/roles/a.md:5:5"),
        Case(file: "content/roles/a.md", text: "---\ntitle: A\ncategory: X\n---\n[here](#nowhere)\n",
             message: "link to `#nowhere`, but this page has no heading with that id", location: "content/roles/a.md:5:1"),
        Case(file: "content/roles/a.md", text: "---\ntitle: A\ncategory: X\n---\nSee [draft](../guides/draft-guide.md).\n",
             message: "a draft left out of this build", location: "content/roles/a.md:5:5"),
        Case(file: "content/roles/a.md", text: "---\ntitle: A\ncategory: X\n---\n![x](/img/none.png)\n",
             message: "link to `/img/none.png`, but there is no page or static file", location: "content/roles/a.md:5:1"),
        Case(file: "content/roles/a.md", text: "---\ntitle: A\ncategory: X\n---\n![x](chart.png)\n",
             message: "relative link to `chart.png`, which is not a .md page", location: "content/roles/a.md:5:1"),
        Case(file: "content/roles/a.md", text: "---\ntitle: A\ncategory: X\nrelated: [backend-developr]\n---\n",
             message: "`related` names the role `backend-developr`, which does not exist", location: "content/roles/a.md:4:11"),
        Case(file: "content/roles/a.md", text: "---\ntitle: A\ncategory: X\ncareer_path: {to: [nobody]}\n---\n",
             message: "`career_path.to` names the role `nobody`", location: "content/roles/a.md:4:20"),
        Case(file: "content/faqs/a.md", text: "---\ntitle: A\nroles: [ghost]\n---\n",
             message: "`roles` names the role `ghost`, which does not exist", location: "content/faqs/a.md:3:9"),
        Case(file: "content/roles/a.md", text: "---\ntitle: A\ncategory: X\nslug: backend-developer\n---\n",
             message: "would both be written to /roles/backend-developer/", location: "content/roles/"),
        Case(file: "content/categories.md", text: "---\ntitle: All the categories\n---\n",
             message: "where the build writes the Categories page", location: "content/categories.md"),
        Case(file: "content/skills/sqll.md", text: "---\ntitle: SQL notes\n---\n",
             message: "no role has the skill `sqll`", location: "content/skills/sqll.md"),
        Case(file: "guidegen.yml", text: "title: T\nbase_url: https://example.org/\nunsafe_htm: true\n",
             message: "unknown key `unsafe_htm` in guidegen.yml", location: "guidegen.yml:3:1"),
        Case(file: "themes/default/templates/role.mustache", text: "{{<base}}{{$main}}{{#page}}{{/main}}{{/base}}",
             message: "template error", location: "themes/default/templates/role.mustache:1:"),
        Case(file: "content/notes.txt", text: "x", message: "not a Markdown page", location: "content/notes.txt"),
    ]

    @Test(arguments: cases)
    func reported(_ item: Case) throws {
        let site = try TempSite(copying: "basic")
        try site.write(item.file, item.text)
        let report = site.check()
        let match = report.diagnostics.all.first { $0.message.contains(item.message) }
        #expect(match != nil, "expected “\(item.message)” in:\n\(report.diagnostics)")
        #expect(match?.location.description.hasPrefix(item.location) == true, "at \(String(describing: match?.location))")
        if match?.severity == .error {
            #expect(!report.succeeded)
            #expect(match?.hint != nil, "an error says what would fix it")
        }
    }

    @Test func everyErrorOfARunIsReported() throws {
        let site = try TempSite(copying: "basic")
        try site.write("content/roles/a.md", "---\ntitle: A\ncategory: X\n---\n[x](x.md) [y](y.md)\n")
        try site.write("content/roles/b.md", "---\ntitle: B\ncategory: X\nupdated: soon\n---\nSee [c](c.md).\n")
        let report = site.check()
        // b.md's front matter is wrong, and its link is still checked.
        #expect(report.diagnostics.errors.count == 4)
        #expect(report.diagnostics.sorted.map(\.location.description) == ["content/roles/a.md:5:1", "content/roles/a.md:5:11", "content/roles/b.md:4:10", "content/roles/b.md:6:5"])
    }

    @Test func noSiteFolder() {
        let report = SiteBuilder.build(BuildOptions(source: "/nonexistent-guidegen-site"))
        #expect(!report.succeeded)
        #expect(report.diagnostics.errors.first?.message == "the site folder /nonexistent-guidegen-site does not exist")
    }
}

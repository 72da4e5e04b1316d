import Foundation
import Site
import Testing
import TestSupport

/// `aliases:`: a page's old addresses get a redirect page each and a line in `_redirects`; an alias that is
/// taken (by a page, a generated page, a static file or another alias) or not an address is an error at its place.
@Suite struct AliasTests {
    @Test func oldAddressesSendReadersOn() throws {
        let site = try TempSite(copying: "basic")
        let path = "content/roles/frontend-developer.md"
        let text = try String(contentsOfFile: site.directory + "/" + path, encoding: .utf8)
        try site.write(path, text.replacingOccurrences(of: "title: \"Frontend Developer\"",
                                                       with: "title: \"Frontend Developer\"\naliases: [\"/roles/front-end/\", \"/old/frontend\"]"))
        #expect(site.build().succeeded)
        let files = snapshot(site.output)
        let redirect = String(decoding: try #require(files["roles/front-end/index.html"]), as: UTF8.self)
        #expect(redirect.contains("<meta http-equiv=\"refresh\" content=\"0; url=/guides/roles/frontend-developer/\">"))
        #expect(redirect.contains("<link rel=\"canonical\" href=\"https://example.org/guides/roles/frontend-developer/\">"))
        #expect(redirect.contains("<meta name=\"robots\" content=\"noindex\">"))
        #expect(redirect.contains("<a href=\"/guides/roles/frontend-developer/\">Frontend Developer</a>"))
        #expect(files["old/frontend/index.html"] != nil, "the final / is added")
        #expect(String(decoding: try #require(files["_redirects"]), as: UTF8.self)
                == "/guides/old/frontend/ /guides/roles/frontend-developer/ 301\n/guides/roles/front-end/ /guides/roles/frontend-developer/ 301\n")
        // Not in the sitemap: an old address is not a page.
        #expect(!String(decoding: files["sitemap.xml"]!, as: UTF8.self).contains("front-end"))
        // A site without aliases has no _redirects.
        let plain = try TempSite(copying: "basic")
        #expect(plain.build().succeeded)
        #expect(snapshot(plain.output)["_redirects"] == nil)
    }

    func messages(_ aliases: String, dataAliases: String? = nil) throws -> [String] {
        let site = try TempSite(copying: "basic")
        let front = "content/roles/frontend-developer.md"
        let text = try String(contentsOfFile: site.directory + "/" + front, encoding: .utf8)
        try site.write(front, text.replacingOccurrences(of: "title: \"Frontend Developer\"", with: "title: \"Frontend Developer\"\naliases: " + aliases))
        if let dataAliases {
            let data = "content/roles/data-engineer.md"
            let dataText = try String(contentsOfFile: site.directory + "/" + data, encoding: .utf8)
            try site.write(data, dataText.replacingOccurrences(of: "title: \"Data Engineer\"", with: "title: \"Data Engineer\"\naliases: " + dataAliases))
        }
        try site.write("static/files/index.html", "<p>mine</p>\n")
        let report = site.build()
        #expect(!report.succeeded)
        return report.diagnostics.all.map { "\($0.location): \($0.message)" }
    }

    @Test func takenAliasesAreErrorsAtTheirPlace() throws {
        let found = try messages("[\"/roles/backend-developer/\", \"/old/\", \"/categories/data/\", \"/files/\"]", dataAliases: "[\"/old\"]")
        for expected in [
            "content/roles/frontend-developer.md:3:11: the alias /roles/backend-developer/ is the address of content/roles/backend-developer.md",
            "content/roles/frontend-developer.md:3:49: the alias /categories/data/ is the address of the generated Data page",
            "content/roles/frontend-developer.md:3:70: the alias /files/ is where a static file is published",
        ] {
            #expect(found.contains(expected), "\(expected)\n\(found)")
        }
        #expect(found.contains { $0.contains("the alias /old/ is also an alias of") }, "\(found)")
    }

    @Test func oddAliasesAreErrorsAtTheirPlace() throws {
        let found = try messages("[\"roles/x\", \"/a/../b/\", \"/pay.svg\", \"/\"]")
        for expected in [
            "content/roles/frontend-developer.md:3:11: the alias `roles/x` is not an old address of a page",
            "content/roles/frontend-developer.md:3:22: the alias `/a/../b/` is not an old address of a page",
            "content/roles/frontend-developer.md:3:34: the alias `/pay.svg` is not an old address of a page",
            "content/roles/frontend-developer.md:3:46: the alias `/` is not an old address of a page",
        ] {
            #expect(found.contains(expected), "\(expected)\n\(found)")
        }
    }
}

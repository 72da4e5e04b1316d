import Foundation
import Site
import Testing

/// What a published page carries for search engines and link previews: every JSON-LD block is valid
/// JSON with the properties Google's rich-result documentation requires; sharing tags, the feed link,
/// the favicon; the 404 page is not indexed.
@Suite struct PublishTests {
    static func built() throws -> (TempSite, [String: Data]) {
        let site = try TempSite(copying: "basic")
        let report = site.build()
        #expect(report.succeeded, "\(report.diagnostics)")
        return (site, snapshot(site.output))
    }

    static func text(_ files: [String: Data], _ path: String) -> String {
        files[path].map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// Every `<script type="application/ld+json">` block of a page, parsed.
    static func blocks(_ html: String) throws -> [[String: Any]] {
        try html.components(separatedBy: "<script type=\"application/ld+json\">").dropFirst().map { part in
            let json = String(part[..<part.range(of: "</script>")!.lowerBound])
            return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        }
    }

    static func block(_ html: String, type: String) throws -> [String: Any] {
        try #require(try blocks(html).first { $0["@type"] as? String == type }, "no \(type) block")
    }

    @Test func everyBlockIsValidJSONWithAContextAndType() throws {
        let (_, files) = try Self.built()
        let pages = files.keys.filter { $0.hasSuffix(".html") }
        #expect(pages.count > 10)
        for path in pages {
            for block in try Self.blocks(Self.text(files, path)) {
                #expect(block["@context"] as? String == "https://schema.org", "\(path)")
                #expect(block["@type"] is String, "\(path)")
            }
        }
    }

    @Test func occupationHasWhatGoogleRequires() throws {
        let (_, files) = try Self.built()
        let occupation = try Self.block(Self.text(files, "roles/backend-developer/index.html"), type: "Occupation")
        #expect(occupation["name"] as? String == "Backend Developer")
        let location = try #require(occupation["occupationLocation"] as? [[String: Any]])
        #expect(location.first?["@type"] as? String == "Country")
        #expect(location.first?["name"] as? String == "US")
        let salary = try #require((occupation["estimatedSalary"] as? [[String: Any]])?.first)
        #expect(salary["@type"] as? String == "MonetaryAmountDistribution")
        #expect(salary["currency"] as? String == "USD")
        #expect(salary["duration"] as? String == "P1Y")
        #expect(salary["median"] as? Double == 133080)
    }

    @Test func faqAndBreadcrumbsHaveWhatGoogleRequires() throws {
        let (_, files) = try Self.built()
        let faq = try Self.block(Self.text(files, "faqs/backend-developer/index.html"), type: "FAQPage")
        let questions = try #require(faq["mainEntity"] as? [[String: Any]])
        #expect(!questions.isEmpty)
        for question in questions {
            #expect(question["@type"] as? String == "Question")
            #expect((question["name"] as? String)?.isEmpty == false)
            let answer = try #require(question["acceptedAnswer"] as? [String: Any])
            #expect(answer["@type"] as? String == "Answer")
            #expect((answer["text"] as? String)?.isEmpty == false)
        }
        let crumbs = try Self.block(Self.text(files, "roles/backend-developer/index.html"), type: "BreadcrumbList")
        let items = try #require(crumbs["itemListElement"] as? [[String: Any]])
        #expect(items.map { $0["position"] as? Int } == [1, 2, 3])
        for item in items {
            #expect(item["@type"] as? String == "ListItem")
            #expect((item["name"] as? String)?.isEmpty == false)
            #expect((item["item"] as? String)?.hasPrefix("https://example.org/guides/") == true)
        }
    }

    @Test func homeDescribesTheSiteAndItsSearch() throws {
        let (_, files) = try Self.built()
        let site = try Self.block(Self.text(files, "index.html"), type: "WebSite")
        #expect(site["url"] as? String == "https://example.org/guides/")
        let action = try #require(site["potentialAction"] as? [String: Any])
        #expect(action["@type"] as? String == "SearchAction")
        #expect(action["query-input"] as? String == "required name=search_term_string")
        let target = try #require(action["target"] as? [String: Any])
        #expect(target["urlTemplate"] as? String == "https://example.org/guides/roles/?q={search_term_string}")
    }

    @Test func guidesAreArticlesWithTheirReviewDate() throws {
        let (site, _) = try Self.built()
        try site.write("content/guides/how-to-become-backend-developer.md",
                       try String(contentsOfFile: site.directory + "/content/guides/how-to-become-backend-developer.md", encoding: .utf8)
                           .replacingOccurrences(of: "title:", with: "updated: 2026-02-01\ntitle:"))
        #expect(site.build().succeeded)
        let article = try Self.block(Self.text(snapshot(site.output), "guides/how-to-become-backend-developer/index.html"), type: "Article")
        #expect(article["headline"] as? String == "How to Become a Backend Developer")
        #expect(article["dateModified"] as? String == "2026-02-01")
        #expect((article["image"] as? String)?.wholeMatch(of: #/https://example\.org/guides/share\.[0-9a-f]{16}\.png/#) != nil)
    }

    @Test func sharingTagsFeedLinkAndFavicon() throws {
        let (_, files) = try Self.built()
        let role = Self.text(files, "roles/backend-developer/index.html")
        for tag in [
            "<link rel=\"canonical\" href=\"https://example.org/guides/roles/backend-developer/\">",
            "<meta property=\"og:type\" content=\"article\">",
            "<meta property=\"og:url\" content=\"https://example.org/guides/roles/backend-developer/\">",
            "<meta property=\"og:title\" content=\"Backend Developer\">",
            "<meta property=\"og:description\" content=\"Builds the server side of applications.\">",
            "<meta property=\"og:site_name\" content=\"Fixture Guides\">",
            "<meta name=\"twitter:card\" content=\"summary_large_image\">",
            "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Fixture Guides\" href=\"/guides/feed.xml\">",
        ] {
            #expect(role.contains(tag), "\(tag)")
        }
        // The share picture and the icon by their fingerprinted names (Theme.fingerprint).
        #expect(role.contains(#/<meta property="og:image" content="https://example\.org/guides/share\.[0-9a-f]{16}\.png">/#))
        #expect(role.contains(#/<link rel="icon" href="/guides/favicon\.[0-9a-f]{16}\.svg" type="image/svg\+xml">/#))
        #expect(Self.text(files, "index.html").contains("<meta property=\"og:type\" content=\"website\">"))
        #expect(files["share.png"]?.starts(with: [0x89, 0x50, 0x4E, 0x47]) == true)
        #expect(files["favicon.svg"] != nil)
        let notFound = Self.text(files, "404.html")
        #expect(notFound.contains("<meta name=\"robots\" content=\"noindex\">"))
        #expect(!notFound.contains("rel=\"canonical\""))
        #expect(!notFound.contains("og:url"))
    }

    @Test func robotsAndSitemapUnderASubPath() throws {
        let (_, files) = try Self.built()
        #expect(Self.text(files, "robots.txt").contains("Sitemap: https://example.org/guides/sitemap.xml"))
        let sitemap = Self.text(files, "sitemap.xml")
        #expect(sitemap.contains("<loc>https://example.org/guides/roles/backend-developer/</loc>"))
        #expect(!sitemap.contains("<loc>https://example.org/roles/"))
    }
}

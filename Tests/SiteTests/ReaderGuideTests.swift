import Content
import Foundation
import Site
import Testing

/// What a reader sees of the typed career data, built from a small site: the comparison table,
/// category and skill pages with writer text, salary guides drawing their roles' figures, reasons
/// on related-role cards, and long lists behind "Show more".
@Suite struct ReaderGuideTests {
    static let config = "title: \"Guides\"\nbase_url: \"https://example.org/\"\n"

    static func role(_ slug: String, category: String = "Web", skills: String, extra: String = "", body: String = "Text.") -> String {
        "---\ntitle: \"\(slug.capitalized)\"\nsummary: \"About \(slug).\"\ncategory: \"\(category)\"\nskills: \(skills)\n\(extra)---\n\(body)\n"
    }

    static func salary(_ median: Int, p10: Int? = nil, p90: Int? = nil) -> String {
        let percentiles = p10.map { "  percentiles: {p10: \($0), p90: \(p90!)}\n" } ?? ""
        return "salary:\n  currency: USD\n  median: \(median)\n\(percentiles)  source: \"Survey\"\n  as_of: 2025-05-31\n"
    }

    func build(_ files: [String: String]) throws -> (TempSite, (String) -> String) {
        let site = try TempSite(files: files.merging(["guidegen.yml": Self.config]) { old, _ in old })
        let report = site.build()
        #expect(report.succeeded, "\(report.diagnostics)")
        return (site, { path in (try? String(contentsOfFile: site.output + "/" + path, encoding: .utf8)) ?? "" })
    }

    @Test func rolesAreComparedInOneTable() throws {
        let (_, read) = try build([
            "content/roles/alpha.md": Self.role("alpha", skills: "[Go]", extra: Self.salary(90000, p10: 50000, p90: 150000)
                + "outlook: {growth: -2.5, period: \"2024-2034\", source: \"Projections\", as_of: 2025-08-28}\nentry_education: master\n"),
            "content/roles/beta.md": Self.role("beta", category: "Data", skills: "[Go]"),
        ])
        let html = read("roles/index.html")
        #expect(html.contains("<table class=\"sortable\">"))
        #expect(html.contains("<div class=\"table-scroll compare\" role=\"region\" aria-labelledby=\"gg-compare-caption\" tabindex=\"0\">"))
        #expect(html.contains("<th scope=\"col\" aria-sort=\"ascending\" data-type=\"text\">Role</th>"))
        // A row's cells carry what they sort by; missing figures are a dash sorting as empty.
        // The columns a phone leaves out until asked are marked `optional`.
        #expect(html.contains("<td data-sort=\"90000\">$90,000</td><td data-sort=\"50000\" class=\"optional\">$50,000–$150,000</td><td data-sort=\"-2.5\">−2.5% (2024–34)</td><td data-sort=\"6\" class=\"optional\">Master&#39;s degree</td>"))
        #expect(html.contains("<a href=\"/roles/beta/\">Beta</a></th><td data-sort=\"Data\" class=\"optional\">Data</td><td data-sort=\"\">–</td>"))
        #expect(html.contains("<li>Projections, as of 28 August 2025</li>") && html.contains("<li>Survey, as of 31 May 2025</li>"))
        #expect(html.contains(#/<script src="/sort-table\.[0-9a-f]{16}\.js" defer></script>/#))
        // Rows in title order; the script is only on pages with a table.
        #expect(html.range(of: "/roles/alpha/")!.lowerBound < html.range(of: "/roles/beta/")!.lowerBound)
        #expect(!read("roles/alpha/index.html").contains("sort-table."))
    }

    /// The filters: each row carries what they match; the form (hidden until its script shows it) offers
    /// only the values the rows have, escaped, and only filters that would leave some row out.
    @Test func comparisonTableCarriesFilters() throws {
        let outlook = { (growth: String) in "outlook: {growth: \(growth), period: \"2024-2034\", source: \"P\", as_of: 2025-08-28}\n" }
        let (_, read) = try build([
            "content/roles/alpha.md": Self.role("alpha", skills: "[Go]", extra: Self.salary(90000) + outlook("-2.5") + "entry_education: master\n"),
            "content/roles/beta.md": Self.role("beta", category: "R&D \\\"<b>\\\"", skills: "[Go]", extra: Self.salary(150000) + outlook("12")),
            "content/roles/gamma.md": Self.role("gamma", skills: "[Go]", extra: Self.salary(60000) + outlook("4.96") + "entry_education: bachelor\n"),
        ])
        let html = read("roles/index.html")
        #expect(html.contains("<tr data-category=\"web\" data-education=\"master\" data-outlook=\"declining\" data-pay=\"90000\"><th scope=\"row\""))
        #expect(html.contains("<tr data-category=\"r-d-b\" data-outlook=\"10-plus\" data-pay=\"150000\"><th"))
        #expect(html.contains("<tr data-category=\"web\" data-education=\"bachelor\" data-outlook=\"5-to-9.9\" data-pay=\"60000\"><th"))
        #expect(html.contains("<form class=\"filters\" aria-label=\"Filter the roles\" hidden>"))
        #expect(html.contains("<label for=\"gg-filter-category\">Category</label>\n<select id=\"gg-filter-category\" name=\"category\"><option value=\"\">Any</option><option value=\"r-d-b\">R&amp;D &quot;&lt;b&gt;&quot;</option><option value=\"web\">Web</option></select>"))
        // Educations by rank, with "Any" for the role without one; growth bands highest first; pay in round steps.
        #expect(html.contains("<option value=\"\">Any</option><option value=\"bachelor\">Bachelor&#39;s degree</option><option value=\"master\">Master&#39;s degree</option></select>"))
        #expect(html.contains("<option value=\"10-plus\">Growth 10% or more</option><option value=\"5-to-9.9\">Growth 5% to 9.9%</option><option value=\"declining\">Declining (below 0%)</option>"))
        #expect(html.contains("<select id=\"gg-filter-pay\" name=\"pay\" data-minimum><option value=\"\">Any</option><option value=\"80000\">$80,000 or more</option>"))
        #expect(html.contains("<option value=\"140000\">$140,000 or more</option></select>"))
        #expect(html.contains("<p class=\"filter-count\" aria-live=\"polite\">Showing 3 of 3 roles</p>"))
        #expect(html.contains(#/<script src="/filter-table\.[0-9a-f]{16}\.js" defer></script>/#))
        // A category page has no category filter (every row is in it), and no page without a table loads the script.
        let web = read("categories/web/index.html")
        #expect(web.contains("<form class=\"filters\"") && !web.contains("gg-filter-category") && web.contains("gg-filter-education"))
        #expect(!read("roles/alpha/index.html").contains("filter-table."))
    }

    /// Rows with nothing to tell apart get no filter form and no script.
    @Test func noFiltersWhereNoneWouldNarrow() throws {
        let (_, read) = try build([
            "content/roles/alpha.md": Self.role("alpha", skills: "[Go]", extra: Self.salary(90000)),
            "content/roles/beta.md": Self.role("beta", skills: "[Go]", extra: Self.salary(90000)),
        ])
        let html = read("roles/index.html")
        #expect(html.contains("<table class=\"sortable\">") && !html.contains("<form class=\"filters\"") && !html.contains("filter-table."))
    }

    @Test func categoryAndSkillPagesCarryWriterTextAndNeighbours() throws {
        let (_, read) = try build([
            "content/roles/alpha.md": Self.role("alpha", skills: "[Go, SQL, Linux]", extra: Self.salary(90000)),
            "content/roles/beta.md": Self.role("beta", skills: "[Go, SQL]", extra: Self.salary(120000), body: "See [alpha](alpha.md)."),
            "content/roles/gamma.md": Self.role("gamma", skills: "[Go, Linux, SQL]"),
            "content/categories/web.md": "---\ntitle: \"Web\"\nsummary: \"Roles that build for the web.\"\n---\nThe web family, with [alpha](../roles/alpha.md).\n",
            "content/skills/go.md": "---\ntitle: \"Go\"\nsummary: \"A language for servers.\"\n---\nGo is **small**.\n",
        ])
        let category = read("categories/web/index.html")
        #expect(category.contains("<p class=\"lead\">Roles that build for the web.</p>"))
        #expect(category.contains("The web family, with <a href=\"/roles/alpha/\">alpha</a>."))
        #expect(category.contains("runs from <strong>$90,000</strong> (<a href=\"/roles/alpha/\">Alpha</a>) to <strong>$120,000</strong> (<a href=\"/roles/beta/\">Beta</a>) across the 2 roles"))
        #expect(category.contains("Roles in Web compared") && category.contains("<a href=\"/roles/gamma/\">Gamma</a></th>"))
        let skill = read("skills/go/index.html")
        #expect(skill.contains("<p class=\"lead\">A language for servers.</p>") && skill.contains("Go is <strong>small</strong>."))
        // Listed with Go: SQL by all three roles, Linux by two; most shared first.
        let sql = try #require(skill.range(of: "<a href=\"/skills/sql/\">SQL <span class=\"count\">3 roles</span></a>"))
        let linux = try #require(skill.range(of: "<a href=\"/skills/linux/\">Linux <span class=\"count\">2 roles</span></a>"))
        #expect(sql.lowerBound < linux.lowerBound)
        // The text files are the hubs' text, not pages of their own.
        #expect(!FileManager.default.fileExists(atPath: "categories/web/index.html.page"))
        #expect(!read("sitemap.xml").contains("categories/web/</loc><lastmod>"))
    }

    /// Entry requirements without an outlook (whose source they would share) point at the page's sources.
    @Test func entryRequirementsWithoutOutlookPointAtTheSources() throws {
        let (_, read) = try build([
            "content/roles/alpha.md": Self.role("alpha", skills: "[Go]", extra: "entry_education: associate\nsources: [{name: \"Handbook\", url: \"https://example.org/h\"}]\n"),
        ])
        let html = read("roles/alpha/index.html")
        #expect(html.contains("<dt>Typical entry education</dt><dd><strong>Associate&#39;s degree</strong>"))
        #expect(html.contains("<h2 id=\"gg-get-in\">How to get in</h2>"))
        #expect(html.contains("Source: <a href=\"#gg-sources\">the sources at the end of this page</a>."))
        #expect(html.contains("id=\"gg-sources\""))
    }

    @Test func salaryGuidesDrawTheirRolesFigures() throws {
        let (_, read) = try build([
            "content/roles/alpha.md": Self.role("alpha", skills: "[Go]", extra: Self.salary(90000, p10: 50000, p90: 150000)),
            "content/salaries/alpha.md": "---\ntitle: \"Alpha pay\"\nsummary: \"Pay.\"\nroles: [alpha]\n---\nWhat moves [alpha](../roles/alpha.md) pay.\n",
        ])
        let html = read("salaries/alpha/index.html")
        #expect(html.contains("<h2 id=\"gg-pay-alpha\">Alpha: pay figures</h2>"))
        #expect(html.contains("<svg class=\"pay-chart\""))
        // The chart gives the figures once (its label says them); no table repeats them.
        #expect(html.contains("aria-label=\"Pay distribution, a year. 10th: $50,000, Median: $90,000, 90th: $150,000\""))
        #expect(!html.contains("<th scope=\"row\">10th percentile</th>"))
        #expect(html.contains("Source: Survey, as of <time datetime=\"2025-05-31\">31 May 2025</time>."))
        // The figures come before the writer's text.
        #expect(html.range(of: "gg-pay-alpha")!.lowerBound < html.range(of: "What moves")!.lowerBound)
    }

    @Test func relatedRolesSayWhyInReadersWords() throws {
        let (_, read) = try build([
            "content/roles/alpha.md": Self.role("alpha", skills: "[Go, SQL, Linux, Kafka]",
                                                extra: "related: [delta]\ncareer_path:\n  from: [gamma]\n  to: [beta]\n",
                                                body: "See [beta](beta.md), [gamma](gamma.md), [delta](delta.md)."),
            "content/roles/beta.md": Self.role("beta", skills: "[Rust]"),
            "content/roles/gamma.md": Self.role("gamma", category: "Data", skills: "[Python, Kafka]"),
            "content/roles/delta.md": Self.role("delta", category: "Ops", skills: "[Perl]"),
            "content/roles/epsilon.md": Self.role("epsilon", category: "Ops", skills: "[Go, SQL, Linux, Kafka]"),
        ])
        let html = read("roles/alpha/index.html")
        func why(_ slug: String) -> String? {
            guard let section = html.range(of: "id=\"gg-related-roles\""),
                  let card = html.range(of: "<a href=\"/roles/\(slug)/\">", range: section.upperBound..<html.endIndex), let open = html.range(of: "<span class=\"why\">", range: card.upperBound..<html.endIndex),
                  let close = html.range(of: "</span>", range: open.upperBound..<html.endIndex) else { return nil }
            return String(html[open.upperBound..<close.lowerBound])
        }
        #expect(why("beta") == "Often the next step")
        #expect(why("gamma") == "A common way into this role")
        #expect(why("delta") == "Works closely with this role")
        #expect(why("epsilon") == "Shares Go, Kafka and Linux")
        #expect(!html.contains("Chosen by the editors"))
    }

    /// The home page as a front door: every role with its median pay, outlook and entry education, and the newest
    /// guides, newest first; a source's licence attribution is printed with the source.
    @Test func homeShowsRolesFiguresAndTheNewestGuides() throws {
        let (_, read) = try build([
            "content/roles/alpha.md": Self.role("alpha", skills: "[Go]", extra: Self.salary(90000, p10: 50000, p90: 150000)
                + "sources: [{name: \"O*NET\", url: \"https://example.org/o\", license: \"CC BY 4.0\", attribution: \"Used under <CC BY 4.0>.\"}]\n"),
            "content/guides/old.md": "---\ntitle: \"Old guide\"\nsummary: \"O.\"\nupdated: 2026-01-02\n---\nText.\n",
            "content/faqs/new.md": "---\ntitle: \"New FAQ\"\nsummary: \"N.\"\nroles: [alpha]\nupdated: 2026-11-30\n---\n## Why?\n\nBecause.\n",
        ])
        let home = read("index.html")
        #expect(home.contains("<dt>Median pay</dt><dd>$90,000</dd>"))
        let new = try #require(home.range(of: "<a href=\"/faqs/new/\">New FAQ</a>"))
        let old = try #require(home.range(of: "<a href=\"/guides/old/\">Old guide</a>"))
        #expect(new.lowerBound < old.lowerBound, "newest first")
        let role = read("roles/alpha/index.html")
        #expect(role.contains("<p class=\"attribution\">Used under &lt;CC BY 4.0&gt;.</p>"))
    }

    /// `edit_url` gives every page "Edit this page", pointing at its source file; a hub without a file has none.
    @Test func editLinksPointAtTheSourceFile() throws {
        let site = try TempSite(files: [
            "guidegen.yml": Self.config + "edit_url: \"https://github.com/o/r/edit/main/site\"\n",
            "content/roles/alpha.md": Self.role("alpha", skills: "[Go]"),
            "content/guides/g.md": "---\ntitle: \"Guide\"\nsummary: \"S.\"\nslug: moved\n---\nSee [alpha](../roles/alpha.md).\n",
        ])
        #expect(site.build().succeeded)
        func read(_ path: String) -> String { (try? String(contentsOfFile: site.output + "/" + path, encoding: .utf8)) ?? "" }
        #expect(read("roles/alpha/index.html").contains("<p class=\"edit-page\"><a href=\"https://github.com/o/r/edit/main/site/content/roles/alpha.md\" rel=\"nofollow\">Edit this page</a></p>"))
        // The file, not the URL: a page with its own slug is edited where it is written.
        #expect(read("guides/moved/index.html").contains("https://github.com/o/r/edit/main/site/content/guides/g.md"))
        #expect(!read("skills/go/index.html").contains("Edit this page"))
        // Without it, no link.
        let (_, plain) = try build(["content/roles/alpha.md": Self.role("alpha", skills: "[Go]")])
        #expect(!plain("roles/alpha/index.html").contains("Edit this page"))
        // A relative or odd address is an error at its line.
        let (config, diagnostics) = SiteConfig.load(text: "title: T\nbase_url: https://example.org/\nedit_url: edit/main\n", file: "guidegen.yml", baseURLOverride: nil)
        #expect(config == nil && diagnostics.contains { $0.message.contains("`edit_url` must be an absolute http(s) URL") && $0.location.line == 3 })
    }

    /// Reader pages list what is about a page (a role's guides, FAQs and salary guides), not every page that
    /// links to it: backlinks are for writers, in `guidegen explain links` (CommandLineTests).
    @Test func readerPagesCarryNoBacklinkLists() throws {
        var files = ["content/roles/alpha.md": Self.role("alpha", skills: "[Go]")]
        for index in 1...3 {
            files["content/guides/g\(index).md"] = "---\ntitle: \"Guide \(index)\"\nsummary: \"G.\"\n---\nMentions [alpha](../roles/alpha.md).\n"
        }
        files["content/guides/about-alpha.md"] = "---\ntitle: \"About alpha\"\nsummary: \"A.\"\nroles: [alpha]\n---\nText.\n"
        files["content/guides/target.md"] = "---\ntitle: \"Target\"\nsummary: \"T.\"\n---\nText.\n"
        files["content/guides/linker.md"] = "---\ntitle: \"Linker\"\nsummary: \"L.\"\n---\nSee [target](target.md).\n"
        let (_, read) = try build(files)
        let role = read("roles/alpha/index.html")
        #expect(role.contains("<li><a href=\"/guides/about-alpha/\">About alpha</a></li>"), "the guide about the role is listed")
        #expect(!role.contains("/guides/g1/"), "a page that only mentions the role is not")
        #expect(!role.contains("Also mentioned in") && !role.contains("gg-backlinks"))
        let target = read("guides/target/index.html")
        #expect(!target.contains("Pages that link here") && !target.contains("/guides/linker/"))
        // A page about a role names it once, in its header line.
        let about = read("guides/about-alpha/index.html")
        #expect(about.contains("<p class=\"kind\">Guide · about <a href=\"/roles/alpha/\">Alpha</a></p>"))
        #expect(!about.contains("Roles on this page"))
    }
}

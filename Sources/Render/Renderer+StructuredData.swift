import Content
import Diagnostics
import Foundation
import Graph
import Markdown

/// schema.org JSON-LD, the sitemap and robots.txt.
extension Renderer {
    func occupation(_ id: PageID) -> JSON {
        let page = graph[id]
        var object: [String: JSON] = [
            "@context": .string("https://schema.org"),
            "@type": .string("Occupation"),
            "name": .string(page.title),
            "url": .string(graph.config.permalink(page.url)),
        ]
        if let summary = page.summary { object["description"] = .string(summary) }
        guard let role = page.role else { return .object(object) }
        if !role.alternateTitles.isEmpty { object["alternateName"] = .array(role.alternateTitles.map(JSON.string)) }
        if let code = role.occupationCode { object["occupationalCategory"] = .string(code) }
        if !role.skills.isEmpty { object["skills"] = .string(role.skills.joined(separator: ", ")) }
        if let education = role.education { object["educationRequirements"] = .string(education) }
        if !role.certifications.isEmpty { object["qualifications"] = .string(role.certifications.joined(separator: ", ")) }
        if let country = role.salary.flatMap(Self.country) {
            object["occupationLocation"] = .array([.object(["@type": .string("Country"), "name": .string(country)])])
        }
        if let salary = role.salary, salary.median != nil || salary.percentiles != nil {
            var distribution: [String: JSON] = [
                "@type": .string("MonetaryAmountDistribution"),
                "name": .string("base"),
                "currency": .string(salary.currency),
                "duration": .string(salary.period == .year ? "P1Y" : "PT1H"),
            ]
            if let median = salary.median { distribution["median"] = .number(median) }
            if let p = salary.percentiles {
                if let v = p.p10 { distribution["percentile10"] = .number(v) }
                if let v = p.p25 { distribution["percentile25"] = .number(v) }
                if let v = p.p75 { distribution["percentile75"] = .number(v) }
                if let v = p.p90 { distribution["percentile90"] = .number(v) }
            }
            object["estimatedSalary"] = .array([.object(distribution)])
        }
        if let updated = page.updated {
            object["mainEntityOfPage"] = .object(["@type": .string("WebPage"), "lastReviewed": .string(updated)])
        }
        return .object(object)
    }

    func faqPage(_ id: PageID) -> JSON {
        let body = graph[id].body
        let questions = body.headings.filter { $0.level == 2 }.map { heading -> JSON in
            .object([
                "@type": .string("Question"),
                "name": .string(heading.text),
                "acceptedAnswer": .object(["@type": .string("Answer"), "text": .string(body.sectionText(of: heading))]),
            ])
        }
        return .object(["@context": .string("https://schema.org"), "@type": .string("FAQPage"), "mainEntity": .array(questions)])
    }

    /// Where a salary's figures hold: its `country`, else the one country that uses its currency.
    static func country(of salary: Salary) -> String? {
        salary.country ?? ["USD": "US", "GBP": "GB", "CAD": "CA", "AUD": "AU", "INR": "IN", "JPY": "JP", "NZD": "NZ",
                           "CHF": "CH", "SEK": "SE", "NOK": "NO", "DKK": "DK", "PLN": "PL", "BRL": "BR", "MXN": "MX",
                           "SGD": "SG", "ZAR": "ZA"][salary.currency]
    }

    /// A guide or salary guide: an article, with the date a writer last reviewed it.
    func article(_ id: PageID) -> JSON {
        let page = graph[id]
        var object: [String: JSON] = [
            "@context": .string("https://schema.org"),
            "@type": .string("Article"),
            "headline": .string(page.title),
            "url": .string(graph.config.permalink(page.url)),
            "mainEntityOfPage": .string(graph.config.permalink(page.url)),
            "image": .string(graph.config.permalink("/share.png")),
            "publisher": .object(["@type": .string("Organization"), "name": .string(graph.config.title)]),
        ]
        if let summary = page.summary { object["description"] = .string(summary) }
        if let updated = page.updated { object["dateModified"] = .string(updated) }
        return .object(object)
    }

    /// The home page: the site, and how to search it (the roles list runs `?q=` without script).
    func webSite() -> JSON {
        var object: [String: JSON] = [
            "@context": .string("https://schema.org"),
            "@type": .string("WebSite"),
            "name": .string(graph.config.title),
            "url": .string(graph.config.permalink("/")),
        ]
        if graph.config.search {
            object["potentialAction"] = .object([
                "@type": .string("SearchAction"),
                "target": .object(["@type": .string("EntryPoint"), "urlTemplate": .string(graph.config.permalink("/roles/") + "?q={search_term_string}")]),
                "query-input": .string("required name=search_term_string"),
            ])
        }
        return .object(object)
    }

    /// Atom: the 50 pages most recently `updated`, newest first (what changed in the guides).
    func feed() -> String {
        // Sorted by reference to the boxed pages: no copy of every page.
        let dated = graph.ids.compactMap { graph.pages[$0] }.filter { $0.page.updated != nil }
            .sorted { ($0.page.updated!, $0.page.url) > ($1.page.updated!, $1.page.url) }.prefix(50).map(\.page)
        let config = graph.config
        func text(_ value: String) -> String { HTMLEscaping.text(value) }
        var lines = [
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>",
            "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"\(text(config.language))\">",
            "  <title>\(text(config.title))</title>",
            "  <id>\(text(config.permalink("/")))</id>",
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"\(text(config.permalink("/feed.xml")))\"/>",
            "  <link rel=\"alternate\" type=\"text/html\" href=\"\(text(config.permalink("/")))\"/>",
            "  <updated>\(dated.first?.updated ?? "1970-01-01")T00:00:00Z</updated>",
            "  <author><name>\(text(config.title))</name></author>",
        ]
        for page in dated {
            let url = text(config.permalink(page.url))
            lines.append("  <entry>")
            lines.append("    <title>\(text(page.title))</title>")
            lines.append("    <id>\(url)</id>")
            lines.append("    <link rel=\"alternate\" type=\"text/html\" href=\"\(url)\"/>")
            lines.append("    <updated>\(page.updated!)T00:00:00Z</updated>")
            if let summary = page.summary { lines.append("    <summary>\(text(summary))</summary>") }
            lines.append("  </entry>")
        }
        lines.append("</feed>\n")
        return lines.joined(separator: "\n")
    }

    func breadcrumbList(_ crumbs: [Crumb]) -> JSON {
        .object([
            "@context": .string("https://schema.org"),
            "@type": .string("BreadcrumbList"),
            "itemListElement": .array(crumbs.enumerated().map { position, crumb -> JSON in
                .object([
                    "@type": .string("ListItem"), "position": .int(position + 1), "name": .string(crumb.title),
                    "item": .string(graph.config.permalink(crumb.url)),
                ])
            }),
        ])
    }

    func sitemap() -> String {
        var entries: [(String, String?)] = []
        let absorbed = Set(graph.hubs.compactMap(\.page))
        for id in graph.ids where !absorbed.contains(id) {
            let box = graph.pages[id]!
            entries.append((box.page.url, box.page.updated))
        }
        for hub in graph.hubs {
            entries.append((hub.url, hub.page.flatMap { graph.pages[$0]!.page.updated }))
        }
        entries.sort { $0.0 < $1.0 }
        var lines = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"]
        lines.reserveCapacity(entries.count + 3)
        for (url, updated) in entries {
            let lastmod = updated.map { "<lastmod>\($0)</lastmod>" } ?? ""
            lines.append("  <url><loc>\(HTMLEscaping.text(graph.config.permalink(url)))</loc>\(lastmod)</url>")
        }
        lines.append("</urlset>\n")
        return lines.joined(separator: "\n")
    }

    func robots() -> String {
        "User-agent: *\nAllow: /\n\nSitemap: \(graph.config.permalink("/sitemap.xml"))\n"
    }

}

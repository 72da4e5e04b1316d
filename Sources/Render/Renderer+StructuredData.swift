import Content
import Foundation
import Graph

/// schema.org JSON-LD, the sitemap and robots.txt.
extension Renderer {
    func occupation(_ index: Int) -> [String: Any] {
        let page = graph.pages[index]
        var object: [String: Any] = [
            "@context": "https://schema.org",
            "@type": "Occupation",
            "name": page.title,
            "url": graph.config.permalink(page.url),
        ]
        if let summary = page.summary { object["description"] = summary }
        guard let role = page.role else { return object }
        if !role.alternateTitles.isEmpty { object["alternateName"] = role.alternateTitles }
        if let code = role.occupationCode { object["occupationalCategory"] = code }
        if !role.skills.isEmpty { object["skills"] = role.skills.joined(separator: ", ") }
        if let education = role.education { object["educationRequirements"] = education }
        if !role.certifications.isEmpty { object["qualifications"] = role.certifications.joined(separator: ", ") }
        if let salary = role.salary, salary.median != nil || salary.percentiles != nil {
            var distribution: [String: Any] = [
                "@type": "MonetaryAmountDistribution",
                "name": "base",
                "currency": salary.currency,
                "duration": salary.period == .year ? "P1Y" : "PT1H",
            ]
            if let median = salary.median { distribution["median"] = jsonNumber(median) }
            if let p = salary.percentiles {
                if let v = p.p10 { distribution["percentile10"] = jsonNumber(v) }
                if let v = p.p25 { distribution["percentile25"] = jsonNumber(v) }
                if let v = p.p75 { distribution["percentile75"] = jsonNumber(v) }
                if let v = p.p90 { distribution["percentile90"] = jsonNumber(v) }
            }
            object["estimatedSalary"] = [distribution]
            object["mainEntityOfPage"] = ["@type": "WebPage", "lastReviewed": page.updated ?? salary.asOf]
        }
        return object
    }

    func faqPage(_ index: Int) -> [String: Any] {
        let questions = graph.pages[index].body.headings.filter { $0.level == 2 }.map { heading -> [String: Any] in
            [
                "@type": "Question",
                "name": heading.text,
                "acceptedAnswer": ["@type": "Answer", "text": heading.sectionText],
            ]
        }
        return ["@context": "https://schema.org", "@type": "FAQPage", "mainEntity": questions]
    }

    func breadcrumbList(_ crumbs: [Crumb]) -> [String: Any] {
        [
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": crumbs.enumerated().map { position, crumb -> [String: Any] in
                ["@type": "ListItem", "position": position + 1, "name": crumb.title, "item": graph.config.permalink(crumb.url)]
            },
        ]
    }

    /// JSON for a `<script type="application/ld+json">`: sorted keys (byte-identical output), and `<` escaped
    /// so no text can close the script element.
    func jsonScript(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return "{}"
        }
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "<", with: "\\u003c")
    }

    func jsonNumber(_ value: Double) -> Any {
        value == value.rounded() && abs(value) < 1e15 ? Int(value) as Any : value as Any
    }

    func sitemap() -> String {
        var entries: [(String, String?)] = []
        let absorbed = Set(graph.hubs.compactMap(\.page))
        for (index, page) in graph.pages.enumerated() where !absorbed.contains(index) {
            entries.append((page.url, page.updated))
        }
        for hub in graph.hubs {
            entries.append((hub.url, hub.page.flatMap { graph.pages[$0].updated }))
        }
        entries.sort { $0.0 < $1.0 }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for (url, updated) in entries {
            xml += "  <url><loc>\(xmlEscape(graph.config.permalink(url)))</loc>"
            if let updated { xml += "<lastmod>\(updated)</lastmod>" }
            xml += "</url>\n"
        }
        return xml + "</urlset>\n"
    }

    func robots() -> String {
        "User-agent: *\nAllow: /\n\nSitemap: \(graph.config.permalink("/sitemap.xml"))\n"
    }

    func xmlEscape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}

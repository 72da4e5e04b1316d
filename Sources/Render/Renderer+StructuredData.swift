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
        let questions = graph[id].body.headings.filter { $0.level == 2 }.map { heading -> JSON in
            .object([
                "@type": .string("Question"),
                "name": .string(heading.text),
                "acceptedAnswer": .object(["@type": .string("Answer"), "text": .string(heading.sectionText)]),
            ])
        }
        return .object(["@context": .string("https://schema.org"), "@type": .string("FAQPage"), "mainEntity": .array(questions)])
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

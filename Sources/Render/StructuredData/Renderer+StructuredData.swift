import Content
import Diagnostics
import Foundation
import Graph
import JSONText
import Markdown

/// schema.org JSON-LD: what a page is, for search engines (`<script type="application/ld+json">`).
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
            "image": .string(graph.config.permalink("/" + (theme.fingerprinted["share.png"] ?? "share.png"))),
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
}

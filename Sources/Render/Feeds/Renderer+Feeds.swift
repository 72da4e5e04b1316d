import Content
import Foundation
import Graph
import Markdown

/// The files for feed readers and crawlers: the Atom feed, the sitemap and robots.txt.
extension Renderer {
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

    /// Every page and hub, with the date a page was last `updated` (a comparison: the later of its roles').
    func sitemap() -> String {
        var entries: [(String, String?)] = []
        let absorbed = Set(graph.hubs.compactMap(\.page))
        for id in graph.ids where !absorbed.contains(id) {
            let box = graph.pages[id]!
            entries.append((box.page.url, box.page.updated))
        }
        for hub in graph.hubs {
            // An "X vs Y" page changes with either role: the later of their dates.
            let updated = hub.kind == .comparison ? hub.members.compactMap { graph[$0].updated }.max() : hub.page.flatMap { graph.pages[$0]!.page.updated }
            entries.append((hub.url, updated))
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

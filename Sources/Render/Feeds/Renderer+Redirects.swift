import Content
import Foundation
import Graph
import Markdown

/// A page's old addresses (`aliases:`): a small page at each that sends the reader on (a meta refresh, a plain
/// link, the new address as canonical, `noindex`), and `_redirects`, the file static hosts such as Netlify and
/// Cloudflare Pages read to answer with a 301 instead.
extension Renderer {
    /// Every alias (a site-relative folder URL) and the page it is an old address of. Two pages never share one:
    /// `SiteSession` reports that before anything renders.
    static func redirectTable(_ graph: SiteGraph) -> [String: PageID] {
        var table: [String: PageID] = [:]
        for id in graph.ids {
            for alias in graph[id].aliases where table[alias.value] == nil { table[alias.value] = id }
        }
        return table
    }

    /// What the redirects show: alias -> the page's URL. Outputs change all at once when it does.
    var redirectTargets: [String: String] {
        redirects.mapValues { graph[$0].url }
    }

    func redirectPage(from alias: String) -> String {
        guard let id = redirects[alias] else { return "" }
        let page = graph[id]
        let e = HTMLEscaping.text
        let target = graph.config.link(page.url)
        return """
        <!doctype html>
        <html lang="\(e(graph.config.language))">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(e(page.title)) · \(e(graph.config.title))</title>
        <meta name="robots" content="noindex">
        <link rel="canonical" href="\(e(graph.config.permalink(page.url)))">
        <meta http-equiv="refresh" content="0; url=\(e(target))">
        </head>
        <body>
        <p>This page has moved to <a href="\(e(target))">\(e(page.title))</a>.</p>
        </body>
        </html>

        """
    }

    /// `/old/ /new/ 301`, one line an alias, in order, with the base path.
    func redirectsFile() -> String {
        redirectTargets.sorted { $0.key < $1.key }
            .map { "\(graph.config.link($0.key)) \(graph.config.link($0.value)) 301\n" }.joined()
    }
}

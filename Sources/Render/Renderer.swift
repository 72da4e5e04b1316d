import Content
import Diagnostics
import Foundation
import Graph
import Markdown

/// A file of the finished site, in memory.
public struct OutputFile: Sendable, Hashable {
    /// Path inside the output folder: `roles/backend-developer/index.html`.
    public var path: String
    public var data: Data

    public init(path: String, data: Data) {
        self.path = path
        self.data = data
    }
}

/// Stage 4: the graph through the theme into files, every page on all cores.
public struct Renderer: Sendable {
    let graph: SiteGraph
    let theme: Theme
    let siteView: ViewBox
    /// The header and footer partials, rendered once per site: the header once per navigation
    /// entry (marked current on its own page) and once for every other page.
    let headers: [String: String]
    let header: String
    let footer: String
    /// Every page as a card (the `card` template), rendered once and reused by every list.
    private(set) var cards: [String] = []

    public init(graph: SiteGraph, theme: Theme) {
        self.graph = graph
        self.theme = theme
        let site = Renderer.siteView(graph)
        siteView = ViewBox(site)
        header = theme.render(["site": site], template: "header")
        footer = theme.render(["site": site], template: "footer")
        var headers: [String: String] = [:]
        let nav = (site["nav"] as? [[String: Any]] ?? []).map { item in item.merging(["current": false]) { old, _ in old } }
        for (index, item) in nav.enumerated() {
            guard let path = item["path"] as? String else { continue }
            var marked = nav
            marked[index]["current"] = true
            var view = site
            view["nav"] = marked
            headers[path] = theme.render(["site": view], template: "header")
        }
        self.headers = headers
        let renderer = self
        cards = graph.pages.indices.map { $0 }.parallelMap { renderer.theme.render(renderer.card($0), template: "card") }
    }

    /// The cards of these pages, one after another.
    func cards(_ pages: [Int]) -> String {
        var html = ""
        for page in pages { html += cards[page] }
        return html
    }

    enum Job: Sendable {
        case page(Int)
        case hub(Int)
        case notFound
    }

    /// Every file of the site except the site's own `static/` folder (the writer copies it).
    public func render() -> [OutputFile] {
        let absorbed = Set(graph.hubs.compactMap(\.page))
        var jobs: [Job] = graph.pages.indices.filter { !absorbed.contains($0) }.map { .page($0) }
        jobs += graph.hubs.indices.map { .hub($0) }
        jobs.append(.notFound)
        var files = jobs.parallelMap { job -> OutputFile in
            switch job {
            case let .page(index):
                return OutputFile(path: Self.outputPath(graph.pages[index].url), data: Data(renderPage(index).utf8))
            case let .hub(index):
                return OutputFile(path: Self.outputPath(graph.hubs[index].url), data: Data(renderHub(index).utf8))
            case .notFound:
                return OutputFile(path: "404.html", data: Data(renderNotFound().utf8))
            }
        }
        files.append(OutputFile(path: "sitemap.xml", data: Data(sitemap().utf8)))
        files.append(OutputFile(path: "robots.txt", data: Data(robots().utf8)))
        for (path, data) in theme.assets.sorted(by: { $0.key < $1.key }) {
            files.append(OutputFile(path: path, data: data))
        }
        return files
    }

    /// `/roles/x/` -> `roles/x/index.html`; `/` -> `index.html`.
    public static func outputPath(_ url: String) -> String {
        let trimmed = url.split(separator: "/").joined(separator: "/")
        return trimmed.isEmpty ? "index.html" : trimmed + "/index.html"
    }

    func renderPage(_ index: Int) -> String {
        let page = graph.pages[index]
        var context = baseContext(title: page.title, url: page.url, description: page.summary ?? excerpt(page.body.plainText),
                                  crumbs: graph.breadcrumbs[index])
        context["page"] = pageView(index)
        var structured = [breadcrumbList(graph.breadcrumbs[index])]
        switch page.kind {
        case .role:
            context["role"] = roleView(index)
            structured.insert(occupation(index), at: 0)
        case .faq:
            structured.insert(faqPage(index), at: 0)
            context["about"] = roleLinks(graph.roles[index])
        case .salary, .guide:
            context["about"] = roleLinks(graph.roles[index])
        case .page:
            break
        }
        context["jsonld"] = structured.map(\.text)
        return theme.render(context, template: page.kind.rawValue)
    }

    func renderHub(_ index: Int) -> String {
        let hub = graph.hubs[index]
        let text = hub.page.map { graph.pages[$0] }
        var context = baseContext(title: hub.title, url: hub.url,
                                  description: hub.summary ?? text.map { excerpt($0.body.plainText) } ?? "\(hub.title) on \(graph.config.title).",
                                  crumbs: hub.breadcrumbs)
        var view: [String: Any] = ["title": hub.title]
        if let summary = hub.summary { view["summary"] = summary }
        if let page = hub.page { view["content"] = bodyHTML(page) }
        if !hub.members.isEmpty {
            view["count"] = hub.members.count
        }
        if !hub.groups.isEmpty {
            view["groups"] = hub.groups.map { ["title": $0.title, "url": graph.config.link($0.url), "count": $0.count] as [String: Any] }
        }
        switch hub.kind {
        case .home:
            context["home"] = true
            view["sections"] = graph.hubs.compactMap { other -> [String: Any]? in
                guard case .section = other.kind else { return nil }
                return ["title": other.title, "url": graph.config.link(other.url), "count": other.members.count]
            }
            if !hub.members.isEmpty { view["roleCards"] = cards(hub.members) }
        case .section("roles"):
            view["letters"] = letterGroups(hub.members)
        default:
            if !hub.members.isEmpty { view["cards"] = cards(hub.members) }
        }
        context["page"] = view
        context["jsonld"] = [breadcrumbList(hub.breadcrumbs).text]
        return theme.render(context, template: hub.kind == .home ? "home" : "list")
    }

    func renderNotFound() -> String {
        var context = baseContext(title: "Page not found", url: "/404.html", description: "This page does not exist.", crumbs: [])
        context["page"] = ["title": "Page not found"]
        return theme.render(context, template: "404")
    }
}

/// An immutable view model shared by the threads that render pages.
final class ViewBox: @unchecked Sendable {
    let value: [String: Any]

    init(_ value: [String: Any]) {
        self.value = value
    }
}

import Concurrency
import Content
import Diagnostics
import Foundation
import Graph
import Markdown
import Templates

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

/// One file the renderer makes.
public enum OutputKey: Sendable, Hashable {
    case page(PageID)
    /// A hub, by its URL.
    case hub(String)
    case notFound
    case sitemap
    /// The Atom feed of what changed in the guides.
    case feed
    case robots
    /// A theme file, by its path in the output.
    case asset(String)
    /// The redirect page at an alias (a page's old address).
    case redirect(String)
    /// `_redirects`, the aliases as a static host reads them.
    case redirects
}

/// Stage 4: the graph through the theme into files. Renders one output on demand or all of them on
/// all cores, and says which outputs a new graph changes compared with an earlier renderer's.
public struct Renderer: Sendable {
    public let graph: SiteGraph
    public let theme: Theme
    let siteView: View
    /// What the site view is made of: when it changes, every page changes.
    let navigation: [HubLink]
    /// Every alias (a page's old address) and the page it sends readers to, made once.
    let redirects: [String: PageID]
    /// The header and footer partials, rendered once per site: the header once per navigation
    /// entry (marked current on its own page) and once for every other page.
    let headers: [String: String]
    let header: String
    let footer: String
    /// Every page as a card (the `card` template), rendered once and reused by every list.
    private(set) var cards: [PageID: String] = [:]
    /// Every role as a row of the comparison table (the `compare-row` template).
    private(set) var rows: [PageID: String] = [:]
    /// What other pages show of each page, made once per page (views ask for it many times a page).
    private(set) var pageCards: [PageID: PageCard] = [:]

    /// - Parameter previous: a renderer of an earlier graph with the same theme and config; its cards
    ///   are reused for pages whose card data did not change.
    public init(graph: SiteGraph, theme: Theme, reusing previous: Renderer? = nil) {
        self.init(graph: graph, theme: theme, makingCards: false)
        makeCards(reusing: previous)
    }

    /// - Parameter makingCards: false for a renderer that can say what it makes and where (`outputs`,
    ///   `path(of:)`) but renders nothing until `makeCards(reusing:)`: a build makes its cards once the
    ///   search index is written and let go, so the two never take memory at the same time.
    public init(graph: SiteGraph, theme: Theme, makingCards: Bool) {
        self.graph = graph
        self.theme = theme
        let site = Renderer.siteView(graph, theme: theme)
        siteView = site
        redirects = Renderer.redirectTable(graph)
        navigation = (site["nav"] as? [View] ?? []).map {
            HubLink(title: $0["title"] as? String ?? "", url: $0["path"] as? String ?? "", count: 0)
        }
        header = theme.render(["site": site], template: "header")
        footer = theme.render(["site": site], template: "footer")
        var headers: [String: String] = [:]
        let nav = (site["nav"] as? [View] ?? []).map { item in
            var item = item
            if item["current"] == nil { item["current"] = false }
            return item
        }
        for (index, item) in nav.enumerated() {
            guard let path = item["path"] as? String else { continue }
            var marked = nav
            marked[index]["current"] = true
            var view = site
            view["nav"] = marked
            headers[path] = theme.render(["site": view], template: "header")
        }
        self.headers = headers
        if makingCards { makeCards() }
    }

    /// Makes every page's card data, card and (for roles) comparison row, reusing `previous`'s where
    /// the page did not change; every render needs them.
    public mutating func makeCards(reusing previous: Renderer? = nil) {
        let theme = theme
        let graph = graph
        let reusable = previous.flatMap {
            $0.navigation == navigation && $0.graph.config == graph.config && $0.theme.files == theme.files ? $0 : nil
        }
        // Card data: the previous renderer's (shared, not copied) with changed and new pages made again.
        var pageCards = previous?.pageCards ?? [:]
        var newCards: [PageID] = []
        let oldPages = previous?.graph.pages ?? [:]
        // (index(forKey:), not a subscript: reading a card copies it, strings and all.)
        for (id, box) in graph.pages where oldPages[id] !== box || pageCards.index(forKey: id) == nil { newCards.append(id) }
        for (id, card) in zip(newCards, newCards.parallelMap { PageCard(graph.pages[$0]!.page) }) { pageCards[id] = card }
        // Pages gone since the previous renderer.
        if pageCards.count != graph.pages.count { pageCards = pageCards.filter { graph.pages[$0.key] != nil } }
        self.pageCards = pageCards
        let renderer = self
        let stale: [PageID]
        if let previous = reusable, previous.cards.count == previous.graph.pages.count {
            // Only pages with a new box can have a new card: a new page, or one whose card data changed.
            stale = newCards.filter { id in previous.pageCards[id].map { $0 != pageCards[id] } ?? true }
        } else {
            stale = graph.ids
        }
        // A role's row of the comparison table, like its card, is rendered once for every table it is in.
        let fresh = stale.parallelMap { id -> (card: String, row: String?) in
            (renderer.theme.render(renderer.card(id), template: "card"),
             graph.pages[id]!.page.kind == .role ? renderer.theme.render(renderer.compareRow(id), template: "compare-row") : nil)
        }
        var cards = reusable?.cards ?? [:]
        var rows = reusable?.rows ?? [:]
        if cards.count != graph.pages.count {
            cards = cards.filter { graph.pages[$0.key] != nil }
            rows = rows.filter { graph.pages[$0.key] != nil }
        }
        for (id, made) in zip(stale, fresh) {
            cards[id] = made.card
            rows[id] = made.row
        }
        self.cards = cards
        self.rows = rows
    }

    /// The comparison-table rows of these roles, one after another.
    func rows(_ roles: [PageID]) -> String {
        var html = ""
        for role in roles { html += rows[role] ?? "" }
        return html
    }

    /// The cards of these pages, one after another.
    func cards(_ pages: [PageID]) -> String {
        var html = ""
        for page in pages { html += cards[page]! }
        return html
    }

    /// Every output of the site except the site's own `static/` folder (the writer copies it), in order.
    public var outputs: [OutputKey] {
        let absorbed = Set(graph.hubs.compactMap(\.page))
        var keys: [OutputKey] = graph.ids.filter { !absorbed.contains($0) }.map { .page($0) }
        keys += graph.hubs.map { .hub($0.url) }
        keys += [.notFound, .sitemap, .feed, .robots]
        keys += theme.assets.keys.sorted().map { .asset($0) }
        let aliases = redirects.keys.sorted()
        keys += aliases.map { .redirect($0) }
        if !aliases.isEmpty { keys.append(.redirects) }
        return keys
    }

    /// Where an output is written: `roles/x/index.html`, `404.html`...
    public func path(of key: OutputKey) -> String {
        switch key {
        case let .page(id): Self.outputPath(graph.pages[id]!.page.url)
        case let .hub(url): Self.outputPath(url)
        case .notFound: "404.html"
        case .sitemap: "sitemap.xml"
        case .feed: "feed.xml"
        case .robots: "robots.txt"
        case let .asset(path): path
        case let .redirect(alias): Self.outputPath(alias)
        case .redirects: "_redirects"
        }
    }

    /// One output, rendered now.
    public func render(_ key: OutputKey) -> OutputFile {
        OutputFile(path: path(of: key), data: data(of: key))
    }

    /// The bytes of one output, rendered now (a build knows the path already).
    public func data(of key: OutputKey) -> Data {
        switch key {
        case let .page(id): Data(renderPage(id).utf8)
        case let .hub(url): Data(renderHub(graph.hubs.first { $0.url == url }!).utf8)
        case .notFound: Data(renderNotFound().utf8)
        case .sitemap: Data(sitemap().utf8)
        case .feed: Data(feed().utf8)
        case .robots: Data(robots().utf8)
        case let .asset(path): theme.assets[path]!
        case let .redirect(alias): Data(redirectPage(from: alias).utf8)
        case .redirects: Data(redirectsFile().utf8)
        }
    }

    /// These outputs on all cores, in the order given.
    public func render(_ keys: [OutputKey]) -> [OutputFile] {
        let hubs = Dictionary(graph.hubs.map { ($0.url, $0) }) { first, _ in first }
        return keys.parallelMap { key in
            if case let .hub(url) = key { return OutputFile(path: path(of: key), data: Data(renderHub(hubs[url]!).utf8)) }
            return render(key)
        }
    }

    /// Every file of the site except the site's own `static/` folder.
    public func render() -> [OutputFile] {
        render(outputs)
    }

    /// `/roles/x/` -> `roles/x/index.html`; `/` -> `index.html`.
    public static func outputPath(_ url: String) -> String {
        var trimmed = Substring(url)
        while trimmed.hasPrefix("/") { trimmed = trimmed.dropFirst() }
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        // Empty parts (`a//b`) are dropped; page URLs have none, so most paths skip the split.
        var previous: UInt8 = 0
        for byte in trimmed.utf8 {
            if byte == UInt8(ascii: "/"), previous == byte { return outputPath(trimmed.split(separator: "/").joined(separator: "/")) }
            previous = byte
        }
        return trimmed.isEmpty ? "index.html" : trimmed + "/index.html"
    }

    func renderPage(_ id: PageID) -> String {
        // Read through the box: binding the page itself would copy every field of it.
        let box = graph.pages[id]!
        let relations = graph.relations(of: id)
        var context = baseContext(title: box.page.title, url: box.page.url, description: box.page.summary ?? excerpt(box.page.body.plainText),
                                  crumbs: relations.breadcrumbs)
        context["page"] = pageView(id)
        var structured = [breadcrumbList(relations.breadcrumbs)]
        switch box.page.kind {
        case .role:
            context["role"] = roleView(id)
            if box.page.role?.stateWages != nil { context["sortable"] = true }
            structured.insert(occupation(id), at: 0)
        case .faq:
            structured.insert(faqPage(id), at: 0)
            context["about"] = roleLinks(relations.roles)
        case .salary:
            structured.insert(article(id), at: 0)
            context["about"] = roleLinks(relations.roles)
            context["pay"] = coveredPay(relations.roles)
        case .guide:
            structured.insert(article(id), at: 0)
            context["about"] = roleLinks(relations.roles)
        case .page:
            break
        }
        context["jsonld"] = TemplateText.list(structured.map(\.text))
        return theme.render(context, template: box.page.kind.rawValue)
    }

    func renderHub(_ hub: Hub) -> String {
        if hub.kind == .comparison { return renderComparison(hub) }
        let text = hub.page.map { graph[$0] }
        var context = baseContext(title: hub.title, url: hub.url,
                                  description: hub.summary ?? text.map { excerpt($0.body.plainText) } ?? "\(hub.title) on \(graph.config.title).",
                                  crumbs: hub.breadcrumbs, kind: "website")
        var view: View = ["title": hub.title]
        if let summary = hub.summary { view["summary"] = summary }
        if let page = hub.page { view["content"] = bodyHTML(page) }
        if !hub.members.isEmpty {
            view["count"] = hub.members.count
        }
        if !hub.groups.isEmpty {
            view["groups"] = hub.groups.map { ["title": $0.title, "url": graph.config.link($0.url), "count": $0.count] as View }
        }
        switch hub.kind {
        case .home:
            context["home"] = true
            view["sections"] = graph.hubs.compactMap { other -> View? in
                guard case .section = other.kind else { return nil }
                return ["title": other.title, "url": graph.config.link(other.url), "count": other.members.count]
            }
            if !hub.members.isEmpty { view["roleTiles"] = hub.members.map(roleTile) }
            view["newest"] = newestGuides()
        case .section("roles"):
            if !hub.members.isEmpty {
                let table = compareTable(hub.members, caption: "Every role compared")
                view["compare"] = table
                context["sortable"] = true
                context["filterable"] = table["filters"] is View
            }
        case .category:
            if !hub.members.isEmpty {
                let table = compareTable(hub.members, caption: "Roles in \(hub.title) compared")
                view["compare"] = table
                view["payRange"] = payRange(hub.members)
                context["sortable"] = true
                context["filterable"] = table["filters"] is View
            }
        case .skill:
            if !hub.members.isEmpty {
                view["cards"] = cards(hub.members)
                view["cardsTitle"] = "Roles that list \(hub.title), with their pay"
            }
            if !hub.neighbours.isEmpty {
                view["neighbours"] = hub.neighbours.map { ["title": $0.title, "url": graph.config.link($0.url), "count": $0.count, "plural": $0.count != 1] as View }
            }
        default:
            if !hub.members.isEmpty { view["cards"] = cards(hub.members) }
        }
        context["page"] = view
        context["jsonld"] = TemplateText.list((hub.kind == .home ? [webSite().text] : []) + [breadcrumbList(hub.breadcrumbs).text])
        return theme.render(context, template: hub.kind == .home ? "home" : "list")
    }

    func renderNotFound() -> String {
        var context = baseContext(title: "Page not found", url: "/404.html", description: "This page does not exist.", crumbs: [], kind: "website")
        // Served at any missing address: it must not be indexed, nor claim an address of its own.
        context["noindex"] = true
        context["page"] = ["title": "Page not found"] as View
        return theme.render(context, template: "404")
    }
}

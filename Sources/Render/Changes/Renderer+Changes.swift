import Content
import Graph

/// Which outputs a new graph changes, compared with an earlier renderer's: what each output shows
/// of other pages is declared (OutputInputs.swift), and only outputs showing a changed input render again.
extension Renderer {
    /// The outputs whose bytes may differ from `previous`'s, found from what each output shows:
    /// its own page (text and place in the graph), the cards of the pages it lists, and for the home
    /// page the section lists and every page's listing (its newest guides). Nil when everything may differ (another
    /// theme, config, navigation or set of redirects).
    /// Outputs `previous` had and this renderer has not are not listed (they are gone).
    public func changedOutputs(since previous: Renderer) -> Set<OutputKey>? {
        guard previous.theme.name == theme.name, previous.theme.files == theme.files,
              previous.graph.config == graph.config, previous.navigation == navigation,
              previous.redirectTargets == redirectTargets else { return nil }
        let old = previous.graph
        let (changedPages, changedCards, listed) = changedPages(since: old)
        // The same structure token: the same relations and hubs, so only the changed pages and the
        // outputs showing their cards can differ.
        let sameStructure = old.structure === graph.structure
        // Made from `old` by redoing hubs and related roles only: these pages' relations may differ.
        let moved = graph.delta.flatMap { $0.from === old.structure ? $0.relations : nil }
        func pageChanged(_ id: PageID) -> Bool {
            changedPages.contains(id) || (!sameStructure && !sameShown(old.relations[id], graph.relations[id]))
        }
        // The sitemap and the feed list every page.
        var changed: Set<OutputKey> = listed ? [.sitemap, .feed] : []
        if sameStructure || moved != nil {
            for id in changedPages { changed.insert(.page(id)) }
            for id in moved ?? [] where !sameShown(old.relations[id], graph.relations[id]) { changed.insert(.page(id)) }
            if !changedCards.isEmpty {
                for (id, relations) in graph.relations where relations.shows(anyOf: changedCards) { changed.insert(.page(id)) }
            }
        } else {
            for (id, relations) in graph.relations where pageChanged(id) || (!changedCards.isEmpty && relations.shows(anyOf: changedCards)) {
                changed.insert(.page(id))
            }
        }
        // The home page lists the newest guides: it reads every page's listing.
        if listed, let home = graph.hubs.first(where: { $0.kind == .home }) { changed.insert(.hub(home.url)) }
        if sameStructure, changedCards.isEmpty {
            for hub in graph.hubs where hub.page.map(changedPages.contains) == true || Self.comparesAny(hub, changedPages) {
                changed.insert(.hub(hub.url))
            }
            return changed
        }
        let oldHubs = Dictionary(old.hubs.map { ($0.url, $0) }) { first, _ in first }
        let sections = { (hubs: [Hub]) in hubs.filter { if case .section = $0.kind { true } else { false } }.map { HubLink(title: $0.title, url: $0.url, count: $0.members.count) } }
        let sectionsChanged = sections(old.hubs) != sections(graph.hubs)
        for hub in graph.hubs {
            if oldHubs[hub.url] != hub || !changedCards.isDisjoint(with: hub.members) || hub.page.map(pageChanged) == true
                || (hub.kind == .home && sectionsChanged)
                // A comparison shows both roles' pages whole, and the cards their relations show (guides, roles).
                || (hub.kind == .comparison && hub.members.contains { pageChanged($0) || graph.relations[$0]?.shows(anyOf: changedCards) == true }) {
                changed.insert(.hub(hub.url))
            }
        }
        return changed
    }

    /// Whether `hub` is an "X vs Y" page of one of these roles: it reads the two roles' pages whole.
    static func comparesAny(_ hub: Hub, _ pages: Set<PageID>) -> Bool {
        hub.kind == .comparison && hub.members.contains(where: pages.contains)
    }

    /// Whether every output of `previous` is where it was: its graph is this one's, or this one was
    /// made from it without a phase that reads URLs (`LinkInputs` carries them).
    public func keepsPaths(of previous: Renderer) -> Bool {
        graph.structure === previous.graph.structure || graph.delta?.from === previous.graph.structure
    }

    /// Since `old`: the pages whose own output may differ (added or changed), those whose card
    /// (`CardInputs`) differs or that are gone, and whether the sitemap and feed (`ListingInputs`) differ.
    func changedPages(since old: SiteGraph) -> (pages: Set<PageID>, cards: Set<PageID>, listed: Bool) {
        var changedPages = Set<PageID>()
        var changedCards = Set<PageID>()
        var added = 0
        var listed = old.hubs.map(\.url) != graph.hubs.map(\.url)
        for (id, box) in graph.pages {
            guard let before = old.pages[id] else {
                changedPages.insert(id)
                changedCards.insert(id)
                added += 1
                continue
            }
            if before !== box, before.page != box.page {
                changedPages.insert(id)
                if CardInputs(before.page) != CardInputs(box.page) { changedCards.insert(id) }
                if ListingInputs(before.page) != ListingInputs(box.page) { listed = true }
            }
        }
        if old.pages.count > graph.pages.count - added {
            for id in old.ids where graph.pages[id] == nil { changedCards.insert(id) }
        }
        if added > 0 || old.pages.count != graph.pages.count { listed = true }
        return (changedPages, changedCards, listed)
    }
}

import Content
import Diagnostics
import Foundation
import Graph
import LinkCheck

/// `check --external`: every web address the writer gave (a page's `sources`, a data file's `url` in guidegen.yml,
/// links and images in Markdown) fetched once, with what failed as `external-link` warnings at each place it is
/// written. Answers are kept for a day in the site's cache folder (`LinkCache`); no answer is asked again next time.
public enum ExternalLinkCheck {
    public struct Options: Sendable {
        public var checker = LinkChecker()
        /// How long an answer is trusted, in seconds.
        public var maximumAge: TimeInterval = 24 * 60 * 60
        /// The clock (tests set it).
        public var now = Date()

        public init() {}
    }

    /// One address and every place it is written.
    struct Target: Equatable {
        var url: String
        var places: [SourceLocation]
    }

    /// The warnings for every address of `graph`, asking the hosts only about those the cache does not know.
    static func warnings(_ graph: SiteGraph, siteDirectory: String, options: Options,
                         progress: (String) -> Void = { _ in }) -> (diagnostics: [Diagnostic], asked: Int) {
        let targets = targets(graph)
        let cachePath = LinkCache.path(siteDirectory: siteDirectory)
        var cache = LinkCache(contentsOf: cachePath)
        var results: [String: LinkResult] = [:]
        for target in targets { results[target.url] = cache.result(for: target.url, now: options.now, maximumAge: options.maximumAge) }
        let unknown = targets.map(\.url).filter { results[$0] == nil }
        if !unknown.isEmpty {
            progress("asking \(unknown.count) web address\(unknown.count == 1 ? "" : "es") (\(targets.count - unknown.count) known from the last day)")
            for (url, result) in options.checker.checkWaiting(unknown) {
                results[url] = result
                // What says something about the address is kept; what says the host is busy or down at the moment
                // (no answer, 429, 5xx) is asked again next time.
                if result.isLasting { cache.record(result, for: url, at: options.now) }
            }
            cache.forget(olderThan: options.maximumAge, now: options.now)
            cache.write(to: cachePath)
        }
        var diagnostics: [Diagnostic] = []
        for target in targets {
            guard let result = results[target.url] else { continue }
            diagnostics.append(contentsOf: target.places.compactMap { warning(target.url, result, at: $0) })
        }
        return (diagnostics, unknown.count)
    }

    /// What the writer is told of an address's answer at one of its places; nothing when it answered well.
    static func warning(_ url: String, _ result: LinkResult, at place: SourceLocation) -> Diagnostic? {
        switch result.verdict {
        case .ok:
            return nil
        case .moved:
            return .warning(.externalLink, at: place, "\(url) has moved permanently to \(result.location ?? "another address")",
                            hint: "write the new address, so readers skip the detour and the link survives the old one's end")
        case .broken:
            let gone = result.status == 404 || result.status == 410
            let answered = result.reason.first?.isNumber == true ? "\(url) answered \(result.reason)" : "\(url): \(result.reason)"
            return .warning(.externalLink, at: place, answered,
                            hint: gone ? "find where the page went (the site's search, or a web archive) and link there, or remove the link"
                                       : "open it in a browser; if it works there, the host may refuse robots, and the warning can be ignored")
        case .unreachable:
            return .warning(.externalLink, at: place, "\(url): \(result.reason)",
                            hint: "check the address; if the host was down, the next check asks again (answers are kept for a day)")
        }
    }

    /// Every web address of the site, without its `#fragment`, in the order first met (pages in content order), but
    /// those `link_checker.skip_prefixes` in guidegen.yml leave out. Each is http(s) already: the parser refuses
    /// other `url`s of sources and data files, and Markdown keeps only web links as external (`isWeb`).
    static func targets(_ graph: SiteGraph) -> [Target] {
        var order: [String] = []
        var places: [String: [SourceLocation]] = [:]
        func add(_ written: String, _ place: SourceLocation) {
            let url = written.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? written
            let lowered = url.lowercased()
            guard !graph.config.linkCheckerSkip.contains(where: { lowered.hasPrefix($0.lowercased()) }) else { return }
            if places[url] == nil { order.append(url) }
            if places[url]?.contains(place) != true { places[url, default: []].append(place) }
        }
        for data in graph.config.data { add(data.url, data.urlLocation ?? data.location) }
        for id in graph.ids {
            let page = graph[id]
            let sources = page.location(ofField: "sources") ?? SourceLocation(file: page.source, line: 1, column: 1)
            for source in page.sources { add(source.url, source.urlLocation ?? sources) }
            for link in page.body.externalLinks { add(link.destination, page.location(bodyLine: link.line, column: link.column)) }
        }
        return order.map { Target(url: $0, places: places[$0]!) }
    }
}

import Content
import Diagnostics
import Graph
import Output

/// `url-removed`: a page address that the previous build into the same output published, that this site no
/// longer has (as a page, a generated page, a static file or an alias's redirect page). Links to it from
/// elsewhere (search engines, other sites, bookmarks) would break without a word, so the build says so once,
/// with the `aliases:` line that keeps it, at the page most likely to have taken its place.
enum RemovedURLs {
    /// The warnings for `site` against the pages the marker of `output` lists (none without a marker).
    static func warnings(_ site: BuiltSite, output: String) -> [Diagnostic] {
        guard let previous = PublishedPages.listed(in: output) else { return [] }
        var current = Set<String>()
        for path in site.outputFiles.paths { if let url = PublishedPages.url(ofFile: path) { current.insert(url) } }
        for path in site.staticFiles.keys { if let url = PublishedPages.url(ofFile: path) { current.insert(url) } }
        let removed = previous.filter { !current.contains($0.url) }
        guard !removed.isEmpty else { return [] }
        let before = Set(previous.map(\.url))
        // The pages at a new address: where a moved page went.
        let pages = site.graph.ids.map { site.graph[$0] }
        let arrivals = pages.filter { !before.contains($0.url) }
        return removed.map { warning($0, successor: successor(of: $0.url, arrivals: arrivals, pages: pages), output: output) }
    }

    /// The page most likely to be `url`'s new home: a page at a new address in the same folder (the nearest last
    /// segment), else one at a new address elsewhere, or any page in the same folder (an alias dropped from a page
    /// that stayed), whose last segment is near enough to be the same name.
    static func successor(of url: String, arrivals: [Page], pages: [Page]) -> Page? {
        let (folder, slug) = split(url)
        if let nearest = nearest(slug, arrivals.filter { split($0.url).folder == folder }) { return nearest }
        for candidates in [arrivals, pages.filter { split($0.url).folder == folder }] {
            if let other = nearest(slug, candidates), Suggestion.nearest(to: slug, among: [split(other.url).slug]) != nil { return other }
        }
        return nil
    }

    private static func nearest(_ slug: String, _ pages: [Page]) -> Page? {
        pages.min { (Suggestion.editDistance(slug, split($0.url).slug), $0.url) < (Suggestion.editDistance(slug, split($1.url).slug), $1.url) }
    }

    /// A folder URL's parent folder and last segment (`/roles/x/` -> `/roles/`, `x`).
    static func split(_ url: String) -> (folder: String, slug: String) {
        let parts = url.split(separator: "/")
        guard let last = parts.last else { return ("/", "") }
        return ("/" + parts.dropLast().map { $0 + "/" }.joined(), String(last))
    }

    private static func warning(_ removed: PublishedPages.Entry, successor: Page?, output: String) -> Diagnostic {
        let message = "\(removed.url) was published by the last build into \(output) and this site no longer has it; "
            + "links to it from other sites, search results and bookmarks will break"
        let line = "aliases: [\(removed.url)]"
        guard let successor else {
            return .warning(.urlRemoved, at: SourceLocation(file: output + "/" + OutputFolder.markerName, line: removed.line, column: 1), message,
                            hint: "add `\(line)` to the front matter of the page that takes its place (to a page's list if it has one); "
                            + "if the page is gone for good, there is nothing to do: the next build does not repeat this")
        }
        let place = successor.aliases.first?.location ?? successor.location(ofField: "title") ?? SourceLocation(file: successor.source, line: 1, column: 1)
        let add = successor.aliases.isEmpty ? "add `\(line)` to its front matter" : "add \(removed.url) to its `aliases` list"
        return .warning(.urlRemoved, at: place, message,
                        hint: "if this page (\(successor.url)) is its new home, \(add); otherwise add it to the page that is")
    }
}

import Content
import Diagnostics
import Graph
import Output

/// `url-removed`: a page address that the previous build into the same output published, that this site no
/// longer has (as a page, a generated page, a static file or an alias's redirect page). Links to it from
/// elsewhere (search engines, other sites, bookmarks) would break without a word, so the build says so once,
/// with the `aliases:` line that keeps it, at the page most likely to have taken its place.
enum RemovedURLs {
    /// The warnings for `site`, whose outputs are at `outputPaths`, against the pages the marker of `output` lists.
    /// Without a marker there are none, or (`sayWhenNoOutput`) one saying nothing was compared. The addresses of
    /// drafts left out of this build are not gone (a `--drafts` build published them; they come back).
    static func warnings(_ site: BuiltSite, outputPaths: [String], output: String, sayWhenNoOutput: Bool) -> [Diagnostic] {
        guard let previous = PublishedPages.listed(in: output) else {
            guard sayWhenNoOutput else { return [] }
            return [.warning(.urlRemoved, at: SourceLocation(file: output),
                             "\(output) holds no output of an earlier build (no valid \(OutputFolder.markerName)); no address was compared",
                             hint: "give --output the folder guidegen build writes to (public/ in the site folder unless you chose another)")]
        }
        var current = site.leftOutDraftURLs
        for path in outputPaths { if let url = PublishedPages.url(ofFile: path) { current.insert(url) } }
        for path in site.staticFiles.keys { if let url = PublishedPages.url(ofFile: path) { current.insert(url) } }
        let removed = previous.filter { !current.contains($0.url) }
        guard !removed.isEmpty else { return [] }
        let before = Set(previous.map(\.url))
        let pages = site.graph.ids.map { Candidate(site.graph[$0]) }
        let successors = Successors(arrivals: pages.filter { !before.contains($0.page.url) }, pages: pages)
        // A whole section moved (or another site's output) is many addresses: the first ones are each looked into
        // and said, the rest counted in one line, so the work and the report stay small.
        var warnings = removed.prefix(shown).map { warning($0, successor: successors.of($0.url), output: output) }
        if removed.count > shown {
            let next = removed[shown]
            warnings.append(.warning(.urlRemoved, at: SourceLocation(file: output + "/" + OutputFolder.markerName, line: next.line, column: 1),
                                     "... and \(removed.count - shown) more addresses the last build into \(output) published are gone, from \(next.url) on",
                                     hint: "add each to `aliases:` of the page that took its place; the marker lists them all until the next build"))
        }
        return warnings
    }

    /// Addresses said one by one.
    static let shown = 20

    /// A page with its address split once.
    struct Candidate {
        let page: Page
        let folder: String
        let slug: String

        init(_ page: Page) {
            self.page = page
            (folder, slug) = RemovedURLs.split(page.url)
        }
    }

    /// The page most likely to be a gone address's new home: a page at a new address in the same folder (the
    /// nearest last segment), else one at a new address elsewhere, or any page in the same folder (an alias dropped
    /// from a page that stayed), whose last segment is near enough to be the same name.
    struct Successors {
        let arrivalsByFolder: [String: [Candidate]]
        let arrivals: [Candidate]
        let pagesByFolder: [String: [Candidate]]

        init(arrivals: [Candidate], pages: [Candidate]) {
            self.arrivals = arrivals
            arrivalsByFolder = Dictionary(grouping: arrivals, by: \.folder)
            pagesByFolder = Dictionary(grouping: pages, by: \.folder)
        }

        func of(_ url: String) -> Page? {
            let (folder, slug) = RemovedURLs.split(url)
            if let nearest = Self.nearest(slug, arrivalsByFolder[folder] ?? [])?.candidate { return nearest.page }
            for candidates in [arrivals, pagesByFolder[folder] ?? []] {
                if let nearest = Self.nearest(slug, candidates), nearest.distance <= max(3, slug.utf8.count / 4) { return nearest.candidate.page }
            }
            return nil
        }

        private static func nearest(_ slug: String, _ candidates: [Candidate]) -> (candidate: Candidate, distance: Int)? {
            var best: (candidate: Candidate, distance: Int)?
            for candidate in candidates {
                let distance = Suggestion.editDistance(slug, candidate.slug)
                if best == nil || (distance, candidate.page.url) < (best!.distance, best!.candidate.page.url) { best = (candidate, distance) }
            }
            return best
        }
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

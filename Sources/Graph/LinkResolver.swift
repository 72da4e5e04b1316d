import Content
import Diagnostics
import Foundation
import Markdown

/// Resolves the local links of page bodies to URLs, reporting each link that
/// points nowhere at the link's `file:line:column`.
struct LinkResolver {
    let config: SiteConfig
    let pages: [PageBox]
    let pageByPath: [String: Int]
    /// Site-relative URLs of every page the build writes (content and hubs), without the trailing slash.
    let outputURLs: Set<String>
    /// Paths of static files (site and theme), with a leading `/`.
    let staticFiles: Set<String>
    let leftOutDrafts: Set<String>
    /// Files and folders (a trailing `/`) under static/ left out for their names, with a leading `/`.
    let leftOutStaticFiles: Set<String>

    init(config: SiteConfig, pages: [PageBox], outputURLs: Set<String>, staticFiles: [String], leftOutDrafts: Set<String>,
         leftOutStaticFiles: [String] = []) {
        self.config = config
        self.pages = pages
        var byPath: [String: Int] = [:]
        for (index, box) in pages.enumerated() { byPath[box.page.path] = index }
        pageByPath = byPath
        self.outputURLs = outputURLs
        self.staticFiles = Set(staticFiles.map { "/" + $0 })
        self.leftOutDrafts = leftOutDrafts
        self.leftOutStaticFiles = Set(leftOutStaticFiles.map { "/" + $0 })
    }

    /// The left-out static file or folder (`/.env`, `/.git/`) a site path is, or is inside; nil if none.
    func leftOutStaticFile(_ path: String) -> String? {
        guard !leftOutStaticFiles.isEmpty else { return nil }
        var prefix = ""
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if leftOutStaticFiles.contains(prefix) { return prefix }
            if leftOutStaticFiles.contains(prefix + "/") { return prefix + "/" }
        }
        return nil
    }

    /// Whether the page has a heading with this id (a short list, read only for links with a fragment).
    func hasAnchor(_ page: Int, _ id: String) -> Bool {
        pages[page].page.body.headings.contains { $0.id == id }
    }

    enum Resolution {
        case page(Int, href: String)
        case other(href: String)
        case broken(Diagnostic)
    }

    func resolve(_ link: LocalLink, in pageIndex: Int) -> Resolution {
        // The page is read through its box (binding `.page` would copy every field of it).
        let box = pages[pageIndex]
        let location = box.page.location(bodyLine: link.line, column: link.column)
        let written = link.destination
        var path = written
        var fragment: String?
        // `#`, `?` and `%` are ASCII: found among the bytes, not the characters.
        if let hash = written.utf8.firstIndex(of: UInt8(ascii: "#")) {
            path = String(written[..<hash])
            fragment = String(written[written.utf8.index(after: hash)...])
        }
        if let question = path.utf8.firstIndex(of: UInt8(ascii: "?")) { path = String(path[..<question]) }
        let decoded = path.utf8.contains(UInt8(ascii: "%")) ? path.removingPercentEncoding ?? path : path

        // `#anchor` on this page.
        if decoded.isEmpty {
            guard let fragment, !fragment.isEmpty else { return .other(href: written) }
            if !hasAnchor(pageIndex, fragment) {
                return .broken(.error(.brokenAnchor, at: location, "link to `#\(fragment)`, but this page has no heading with that id",
                                      hint: hint(anchorsOf: pageIndex)))
            }
            return .other(href: "#" + fragment)
        }

        if decoded.hasSuffix(".md") {
            let base = decoded.hasPrefix("/") ? "" : directory(of: box.page.path)
            guard let target = normalize(base: base, relative: decoded) else {
                return .broken(.error(.brokenLink, at: location, "link to `\(written)` goes above content/",
                                      hint: "links to pages are relative to the file, or start with / for the content folder"))
            }
            guard let targetIndex = pageByPath[target] else {
                if leftOutDrafts.contains(target) {
                    return .broken(.error(.draftLink, at: location, "link to `\(written)`, a draft left out of this build",
                                          hint: "publish it (remove `draft: true`), build with --drafts, or remove the link"))
                }
                return .broken(.error(.brokenLink, at: location, "link to `\(written)`, but content/\(target) does not exist",
                                      hint: suggestion(for: target)))
            }
            if let fragment, !fragment.isEmpty, !hasAnchor(targetIndex, fragment) {
                return .broken(.error(.brokenAnchor, at: location, "link to `\(written)`, but \(pages[targetIndex].page.source) has no heading with id `\(fragment)`",
                                      hint: hint(anchorsOf: targetIndex)))
            }
            let href = config.link(pages[targetIndex].page.url) + (fragment.map { $0.isEmpty ? "" : "#" + $0 } ?? "")
            return .page(targetIndex, href: href)
        }

        if decoded.hasPrefix("/") {
            var trimmed = decoded
            if trimmed.hasSuffix("/index.html") { trimmed = String(trimmed.dropLast("index.html".count)) }
            while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
            if staticFiles.contains(decoded) || outputURLs.contains(trimmed) {
                return .other(href: config.link(String(written.dropFirst())))
            }
            if let hidden = leftOutStaticFile(decoded) {
                return .broken(.error(.brokenLink, at: location,
                                      "link to `\(written)`, but static\(hidden) is not published: names starting with a dot are left out, "
                                          + "except \(SiteFiles.publishedHiddenNames.sorted().joined(separator: ", "))",
                                      hint: "rename it without the leading dot to publish it, or remove the link"))
            }
            return .broken(.error(.brokenLink, at: location, "link to `\(written)`, but there is no page or static file at that path",
                                  hint: "files under static/ are served from the site root (static/img/a.svg is /img/a.svg); link pages by their .md file"))
        }

        return .broken(.error(.brokenLink, at: location, "relative link to `\(written)`, which is not a .md page",
                              hint: "link pages by their .md file (relative or from /); put other files in static/ and link them from the root, like /img/chart.svg"))
    }

    private func directory(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        return String(path[..<slash])
    }

    /// Joins and normalizes `base/relative` (`.` and `..`); nil if it leaves the content folder.
    private func normalize(base: String, relative: String) -> String? {
        var parts = base.split(separator: "/").map(String.init)
        for part in relative.split(separator: "/") {
            switch part {
            case ".": continue
            case "..":
                if parts.isEmpty { return nil }
                parts.removeLast()
            default: parts.append(String(part))
            }
        }
        return parts.joined(separator: "/")
    }

    private func suggestion(for target: String) -> String {
        let folder = directory(of: target)
        let candidates = pageByPath.keys.filter { directory(of: $0) == folder }
        if let best = Suggestion.nearest(to: target, among: candidates) {
            return "did you mean \(best)? Fix the path, or create content/\(target)"
        }
        return "fix the path, or create content/\(target)"
    }

    private func hint(anchorsOf page: Int) -> String {
        let ids = pages[page].page.body.headings.map(\.id)
        if ids.isEmpty { return "that page has no headings; link the page without #..." }
        return "its heading ids are: " + ids.prefix(12).joined(separator: ", ") + (ids.count > 12 ? ", ..." : "")
    }
}

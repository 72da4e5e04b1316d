import Concurrency
import Content
import Diagnostics
import Foundation
import Graph

/// Finds pages that name a role (its title or an alternate title, as words in the text) without
/// linking to it anywhere on the page. One pass over each page's words through a trie of every
/// role name, so the cost grows with the text, not with the number of roles times pages.
struct RoleMentions: Sendable {
    /// A trie of role names by lowercased words, as arrays: per node its children by word, and
    /// the role (with its name as written) of a node that ends a name. Node 0 is the root.
    var children: [[Substring: Int]] = [[:]]
    var ends: [(role: PageID, name: String)?] = [nil]

    init(graph: SiteGraph) {
        for id in graph.ids where graph[id].kind == .role {
            let page = graph[id]
            for name in [page.title] + (page.role?.alternateTitles ?? []) {
                let words = Self.words(Self.folded(name))
                // One-word names ("Developer") would match everywhere: a name is at least two words.
                guard words.count >= 2 else { continue }
                var node = 0
                for word in words {
                    if let next = children[node][word] { node = next } else {
                        children.append([:])
                        ends.append(nil)
                        children[node][word] = children.count - 1
                        node = children.count - 1
                    }
                }
                if ends[node] == nil { ends[node] = (id, name) }
            }
        }
    }

    /// `text` with A-Z lowered (other characters as they are): names and text are compared this way.
    static func folded(_ text: String) -> String {
        var bytes = Array(text.utf8)
        for index in bytes.indices where bytes[index] >= 0x41 && bytes[index] <= 0x5A { bytes[index] |= 0x20 }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Words of `text` (already folded): runs of ASCII letters and digits and of non-ASCII characters;
    /// a hyphen or apostrophe between two word characters keeps the word whole ("back-end").
    /// Read byte by byte: this runs over every page's text.
    static func words(_ text: String) -> [Substring] {
        let utf8 = text.utf8
        func isWord(_ byte: UInt8) -> Bool {
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || byte >= 0x80
        }
        var words: [Substring] = []
        var start: String.Index?
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let byte = utf8[index]
            let next = utf8.index(after: index)
            let inWord = isWord(byte) || ((byte == 0x2D || byte == 0x27) && start != nil && next < utf8.endIndex && isWord(utf8[next]))
            if inWord {
                if start == nil { start = index }
            } else if let begin = start {
                words.append(text[begin..<index])
                start = nil
            }
            index = next
        }
        if let begin = start { words.append(text[begin...]) }
        return words
    }

    /// The roles named in `text`, each once with the name as written in its front matter, in order of first mention.
    func mentions(in text: String) -> [(role: PageID, name: String)] {
        let words = Self.words(Self.folded(text))
        var found: [(PageID, String)] = []
        var seen = Set<PageID>()
        var position = 0
        while position < words.count {
            var node = 0
            var match: (role: PageID, name: String, end: Int)?
            var index = position
            while index < words.count, let next = children[node][words[index]] {
                node = next
                index += 1
                if let end = ends[node] { match = (end.role, end.name, index) }
            }
            if let match {
                if seen.insert(match.role).inserted { found.append((match.role, match.name)) }
                position = match.end
            } else {
                position += 1
            }
        }
        return found
    }

    /// The warnings: per page, each role it names but does not link to (in its text, or in what the
    /// page shows of the graph: related roles, career paths, the roles it is about, its resources).
    static func warnings(_ graph: SiteGraph, siteDirectory: String) -> [Diagnostic] {
        let trie = RoleMentions(graph: graph)
        guard !trie.children[0].isEmpty else { return [] }
        let lists = graph.ids.parallelMap { id -> [Diagnostic] in
            let page = graph[id]
            let relations = graph.relations(of: id)
            let mentioned = trie.mentions(in: page.body.plainText).filter { $0.role != id }
            guard !mentioned.isEmpty else { return [] }
            var linked = Set(relations.linkedPages)
            let hrefs = Set(relations.linkURLs.map { $0.split(separator: "#").first.map(String.init) ?? $0 })
            for mention in mentioned where hrefs.contains(graph.config.link(graph[mention.role].url)) { linked.insert(mention.role) }
            // Links to .md files resolve to their page: those are the backlinks of the target.
            for mention in mentioned where graph.relations(of: mention.role).backlinks.contains(id) { linked.insert(mention.role) }
            return mentioned.filter { !linked.contains($0.role) }.map { mention in
                let role = graph[mention.role]
                return .warning(.unlinkedRoleMention, at: place(of: mention.name, in: page, siteDirectory: siteDirectory),
                                "the page names \(role.title)\(mention.name == role.title ? "" : " (as \u{201C}\(mention.name)\u{201D})") without linking to it",
                                hint: "link the first mention: [\(mention.name)](/\(role.path))")
            }
        }
        return lists.flatMap { $0 }
    }

    /// Where the name is first written in the page's body (read again only for a page with a warning).
    static func place(of name: String, in page: Page, siteDirectory: String) -> SourceLocation {
        let file = SourceLocation(file: page.source, line: page.bodyStartLine, column: 1)
        guard let text = try? String(contentsOfFile: (siteDirectory as NSString).appendingPathComponent(page.source), encoding: .utf8) else { return file }
        let lines = text.components(separatedBy: "\n")
        for number in max(0, page.bodyStartLine - 1)..<lines.count {
            if let range = lines[number].range(of: name, options: .caseInsensitive) {
                return SourceLocation(file: page.source, line: number + 1, column: lines[number].distance(from: lines[number].startIndex, to: range.lowerBound) + 1)
            }
        }
        return file
    }
}

import CCmarkGFM
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses GitHub Flavored Markdown with cmark-gfm.
///
/// The only place that holds cmark pointers: each call creates the parser,
/// walks and edits the tree, renders it, and frees everything before it returns.
///
/// Local links keep their place in cmark's tree: only their URL is replaced by a token, so
/// cmark renders them in any inline context (table cells, emphasis, headings, footnotes).
/// Headings get a token as their first child, where their id goes. Tokens are plain text
/// (`guidegen-N-…`), chosen so that they occur nowhere in the writer's text; the rendered
/// HTML is then checked to hold each token exactly where expected, so no writer's text can
/// forge or hide one, and a link that did not make it into the HTML is reported, not dropped.
public enum Markdown {
    public static func parse(_ text: String, options: MarkdownOptions = MarkdownOptions()) -> MarkdownDocument {
        let source = SourceLines(Array(text.utf8))
        if let problem = Limits.check(source) {
            return MarkdownDocument(parts: [""], holes: [], links: [], headings: [], plainText: "", problems: [problem])
        }
        // Tokens must not occur in the text; the rendered HTML is checked again (entities can spell them).
        var nonce = 0
        while true {
            let marker = "guidegen-\(nonce)-"
            // One search for the marker, in the text here and in the rendered HTML in `assemble`.
            let search = ByteSearch(Array(marker.utf8))
            if !search.occurs(in: source.bytes) {
                if let document = render(source, marker: marker, search: search, options: options) { return document }
            }
            nonce += 1
        }
    }

    /// One parse and render with this token marker; nil if the marker turned up in the
    /// rendered HTML where guidegen did not put it (the caller then tries another one).
    private static func render(_ source: SourceLines, marker: String, search: ByteSearch, options: MarkdownOptions) -> MarkdownDocument? {
        var cmarkOptions = CMARK_OPT_DEFAULT | CMARK_OPT_FOOTNOTES
        if options.unsafeHTML { cmarkOptions |= CMARK_OPT_UNSAFE }

        _ = extensionsRegistered
        guard let parser = cmark_parser_new(cmarkOptions) else { fatalError("cmark-gfm: out of memory") }
        defer { cmark_parser_free(parser) }
        for name in ["table", "strikethrough", "autolink", "tasklist", "tagfilter"] {
            if let ext = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, ext)
            }
        }
        // With its length: a NUL byte does not end the text (cmark reads it as U+FFFD).
        source.bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { cmark_parser_feed(parser, $0, buffer.count) }
            }
        }
        // cmark-gfm 0.29 adds its extensions' special characters (`~`, `:`, `w`...) to a table shared by
        // the whole process when it parses inlines, and takes them out again when done: two pages
        // finishing at once would lose strikethrough and autolinks at random. Inline parsing is therefore
        // one page at a time; block parsing (feed) and everything after stays parallel.
        var finished: OpaquePointer?
        finishLock.withLock { _ in finished = cmark_parser_finish(parser) }
        guard let document = finished else { fatalError("cmark-gfm: out of memory") }
        defer { cmark_node_free(document) }

        var walker = TreeWalker()
        walker.walk(document)
        walker.correctColumns(in: source)
        var problems = walker.problems
        problems += walker.unreferencedFootnotes(in: source)
        let headings = walker.finishedHeadings()
        problems += walker.placeTokens(marker: marker)

        guard let rendered = cmark_render_html(document, cmarkOptions, cmark_parser_get_syntax_extensions(parser)) else {
            fatalError("cmark-gfm: out of memory")
        }
        defer { free(rendered) }
        let html = UnsafeBufferPointer(start: UnsafeRawPointer(rendered).assumingMemoryBound(to: UInt8.self), count: strlen(rendered))
        guard var document = assemble(html, search: search, headings: headings, links: walker.links) else { return nil }
        document.plainText = walker.plainText
        document.externalLinks = walker.externalLinks
        document.problems = problems + document.problems
        return document
    }

    /// Splits the HTML at the link tokens (holes) and puts heading ids in place of heading tokens.
    /// Nil when a token is found that guidegen did not place (writer's text spelling a token).
    private static func assemble(_ html: UnsafeBufferPointer<UInt8>, search: ByteSearch, headings: [Heading], links: [LocalLink]) -> MarkdownDocument? {
        let marker = search.needle
        var parts: [String] = []
        var holes: [Int] = []
        var current: [UInt8] = []
        current.reserveCapacity(html.count + headings.count * 24)
        var seenLinks = Array(repeating: false, count: links.count)
        var nextHeading = 0
        var start = 0
        var index = 0
        while let found = search.firstIndex(in: html, from: index) {
            index = found
            var end = index + marker.count
            if end < html.count, html[end] == UInt8(ascii: "h") {
                // A heading token, written right after `<hN>`: keep all but the `>`, add the id.
                guard nextHeading < headings.count, index >= 4, html[index - 1] == UInt8(ascii: ">"),
                      html[index - 4] == UInt8(ascii: "<"), html[index - 3] == UInt8(ascii: "h") else { return nil }
                current.append(contentsOf: UnsafeBufferPointer(rebasing: html[start..<(index - 1)]))
                current.append(contentsOf: " id=\"\(HTMLEscaping.attribute(headings[nextHeading].id))\">".utf8)
                nextHeading += 1
                start = end + 1
                index = start
                continue
            }
            // A link token: digits, then the attribute's closing quote.
            var number = 0
            var digits = 0
            while end < html.count, html[end] >= 0x30, html[end] <= 0x39, digits < 9 {
                number = number * 10 + Int(html[end] - 0x30)
                end += 1
                digits += 1
            }
            guard digits > 0, end < html.count, html[end] == UInt8(ascii: "\""), index > 0, html[index - 1] == UInt8(ascii: "\""),
                  number < links.count, !seenLinks[number] else { return nil }
            seenLinks[number] = true
            current.append(contentsOf: UnsafeBufferPointer(rebasing: html[start..<index]))
            parts.append(String(decoding: current, as: UTF8.self))
            current.removeAll(keepingCapacity: true)
            holes.append(number)
            start = end
            index = end
        }
        guard nextHeading == headings.count else { return nil }
        current.append(contentsOf: UnsafeBufferPointer(rebasing: html[start...]))
        parts.append(String(decoding: current, as: UTF8.self))
        var document = MarkdownDocument(parts: parts, holes: holes, links: links, headings: headings, plainText: "")
        for (number, seen) in seenLinks.enumerated() where !seen {
            let link = links[number]
            document.problems.append(MarkdownProblem(
                line: link.line, column: link.column,
                message: "the \(link.isImage ? "image" : "link") to `\(link.destination)` does not appear in the page's HTML",
                hint: "a link inside an image's description (`![...](...)`) cannot be shown, and a footnote that is never "
                    + "referenced is left out: move the link out of the image, or reference the footnote with [^name]"
            ))
        }
        return document
    }

    private static let finishLock = Mutex<Void>(())

    private static let extensionsRegistered: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        return true
    }()
}

/// Finds one byte string in others by Horspool's rule: after a mismatch it moves on by as much as the
/// last byte compared allows, so it looks at about one byte in the needle's length (testing every byte
/// of every page for the token was 1% of a build).
struct ByteSearch {
    let needle: [UInt8]
    /// For each byte: how far the window moves when it is the window's last byte.
    private var skip = [Int](repeating: 0, count: 256)

    init(_ needle: [UInt8]) {
        self.needle = needle
        for byte in 0..<256 { skip[byte] = needle.count }
        for index in 0..<max(0, needle.count - 1) { skip[Int(needle[index])] = needle.count - 1 - index }
    }

    /// Whether the needle occurs anywhere in `bytes`.
    func occurs(in bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { firstIndex(in: $0, from: 0) != nil }
    }

    /// Where the needle first starts at or after `start`; an empty needle is found at `start`.
    func firstIndex(in haystack: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        let length = needle.count
        guard length > 0 else { return start <= haystack.count ? start : nil }
        return needle.withUnsafeBufferPointer { needle in
            skip.withUnsafeBufferPointer { skip in
                var position = start
                while position <= haystack.count - length {
                    let last = haystack[position + length - 1]
                    if last == needle[length - 1] {
                        var offset = 0
                        while offset < length - 1, haystack[position + offset] == needle[offset] { offset += 1 }
                        if offset == length - 1 { return position }
                    }
                    position += skip[Int(last)]
                }
                return nil
            }
        }
    }
}

/// Walks a cmark tree once, collecting headings, local links and plain text,
/// then places the tokens the HTML is split at.
private struct TreeWalker {
    struct PendingHeading {
        var node: OpaquePointer
        var level: Int
        var text: [UInt8] = []
        var line: Int
        var textEnd = 0
    }

    /// Nesting deeper than this (block quotes in lists in block quotes..., emphasis in emphasis) is an error.
    static let maximumDepth = 64

    var links: [LocalLink] = []
    /// Links and images to another site (`http:` and `https:`), for `check --external`.
    var externalLinks: [LocalLink] = []
    var problems: [MarkdownProblem] = []
    private var linkNodes: [OpaquePointer] = []
    private var headings: [PendingHeading] = []
    /// Lines where a footnote definition starts (cmark drops definitions never referenced).
    private var footnoteLines = Set<Int>()
    /// Lines of code and HTML blocks, where `[^x]:` is text.
    private var literalBlocks: [ClosedRange<Int>] = []
    private var text: [UInt8] = []
    private var openHeading: Int?

    var plainText: String { String(decoding: text, as: UTF8.self) }

    mutating func walk(_ document: OpaquePointer) {
        guard let iterator = cmark_iter_new(document) else { return }
        defer { cmark_iter_free(iterator) }
        // The nodes entered and not yet left. Leaf nodes have no exit event, so on entering a
        // node, whatever is open above its parent is closed first.
        var open: [OpaquePointer] = []
        var reportedDepth = false
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard let node = cmark_iter_get_node(iterator) else { continue }
            let type = cmark_node_get_type(node)
            let entering = event == CMARK_EVENT_ENTER
            if entering {
                let parent = cmark_node_parent(node)
                while let last = open.last, last != parent { open.removeLast() }
                open.append(node)
                if open.count > Self.maximumDepth + 1, !reportedDepth {
                    reportedDepth = true
                    problems.append(MarkdownProblem(
                        line: Int(cmark_node_get_start_line(node)), column: Int(cmark_node_get_start_column(node)),
                        message: "Markdown nested more than \(Self.maximumDepth) levels deep",
                        hint: "flatten the nested lists, block quotes or emphasis"
                    ))
                }
            } else {
                while let last = open.popLast(), last != node {}
            }

            switch type {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE:
                appendLiteral(of: node)
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                appendText([0x20])
            case CMARK_NODE_FOOTNOTE_DEFINITION:
                if entering { footnoteLines.insert(Int(cmark_node_get_start_line(node))) }
            case CMARK_NODE_CODE_BLOCK, CMARK_NODE_HTML_BLOCK:
                literalBlocks.append(Int(cmark_node_get_start_line(node))...max(Int(cmark_node_get_start_line(node)), Int(cmark_node_get_end_line(node))))
            case CMARK_NODE_HEADING:
                if entering {
                    separate()
                    headings.append(PendingHeading(
                        node: node,
                        level: Int(cmark_node_get_heading_level(node)),
                        line: Int(cmark_node_get_start_line(node))
                    ))
                    openHeading = headings.count - 1
                } else {
                    openHeading = nil
                    separate()
                    if let last = headings.indices.last { headings[last].textEnd = text.count }
                }
            case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
                if entering {
                    let isImage = type == CMARK_NODE_IMAGE
                    let destination = string(cmark_node_get_url(node))
                    if isLocal(destination) {
                        links.append(LocalLink(
                            destination: destination,
                            line: Int(cmark_node_get_start_line(node)),
                            column: Int(cmark_node_get_start_column(node)),
                            isImage: isImage
                        ))
                        linkNodes.append(node)
                    } else if isWeb(destination) {
                        externalLinks.append(LocalLink(destination: destination, line: Int(cmark_node_get_start_line(node)),
                                                       column: Int(cmark_node_get_start_column(node)), isImage: isImage))
                    }
                }
            default:
                // Block boundaries separate words in the plain text.
                if !entering, isBlock(type) { separate() }
            }
        }
    }

    private func isBlock(_ type: cmark_node_type) -> Bool {
        type.rawValue & UInt32(CMARK_NODE_TYPE_MASK) == UInt32(CMARK_NODE_TYPE_BLOCK)
    }

    private mutating func appendLiteral(of node: OpaquePointer) {
        guard let literal = cmark_node_get_literal(node) else { return }
        let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(literal).assumingMemoryBound(to: UInt8.self), count: strlen(literal))
        appendText(bytes)
    }

    private mutating func appendText(_ bytes: some Collection<UInt8>) {
        text.append(contentsOf: bytes)
        if let openHeading { headings[openHeading].text.append(contentsOf: bytes) }
    }

    private mutating func separate() {
        if let last = text.last, last != 0x20, last != 0x0A { text.append(0x0A) }
    }

    func finishedHeadings() -> [Heading] {
        var uniquer = HeadingID.Uniquer()
        var result: [Heading] = []
        for (index, heading) in headings.enumerated() {
            let title = String(decoding: heading.text, as: UTF8.self).trimmingSpaces()
            var end = text.count
            for next in headings[(index + 1)...] where next.level <= heading.level {
                end = next.textEnd - next.text.count - 1
                break
            }
            let start = Swift.min(heading.textEnd, text.count)
            result.append(Heading(
                level: heading.level,
                text: title,
                id: uniquer.unique(HeadingID.slug(title)),
                line: heading.line,
                section: start < end ? start..<end : start..<start
            ))
        }
        return result
    }

    /// Footnote definitions (`[^label]: text` at the start of a line) that cmark left out of the
    /// tree because nothing references them: their text would vanish without a word.
    func unreferencedFootnotes(in text: SourceLines) -> [MarkdownProblem] {
        let source = text.bytes
        var problems: [MarkdownProblem] = []
        var literal = literalBlocks.makeIterator()
        var block = literal.next()
        for (offset, range) in text.ranges.enumerated() {
            let line = offset + 1
            let (start, end) = (range.lowerBound, range.upperBound)
            while let current = block, current.upperBound < line { block = literal.next() }
            if block?.contains(line) == true || footnoteLines.contains(line) { continue }
            var index = start
            while index < end, index - start < 3, source[index] == 0x20 { index += 1 }
            if index + 2 < end, source[index] == UInt8(ascii: "["), source[index + 1] == UInt8(ascii: "^"),
               let close = source[index..<end].firstIndex(of: UInt8(ascii: "]")), close + 1 < end,
               source[close + 1] == UInt8(ascii: ":"), close > index + 2 {
                let label = String(decoding: source[(index + 2)..<close], as: UTF8.self)
                problems.append(MarkdownProblem(
                    line: line, column: index - start + 1,
                    message: "the footnote `[^\(label)]` is never referenced, so its text would be left out",
                    hint: "reference it in the text with [^\(label)], or remove the definition"
                ))
            }
        }
        return problems
    }

    /// Each local link's URL becomes `MARKER<n>`; each heading gets `MARKERh` as its first child,
    /// which the renderer writes right after `<hN>`. Returns a problem for each edit cmark refused.
    mutating func placeTokens(marker: String) -> [MarkdownProblem] {
        var problems: [MarkdownProblem] = []
        for (index, node) in linkNodes.enumerated() where cmark_node_set_url(node, "\(marker)\(index)") != 1 {
            problems.append(MarkdownProblem(line: links[index].line, column: links[index].column,
                                            message: "internal error: cannot rewrite the link to `\(links[index].destination)`",
                                            hint: "please report this with the page"))
        }
        for heading in headings {
            guard let token = cmark_node_new(CMARK_NODE_CUSTOM_INLINE) else { fatalError("cmark-gfm: out of memory") }
            var placed = cmark_node_set_on_enter(token, "\(marker)h") == 1 && cmark_node_set_on_exit(token, "") == 1
            if placed {
                placed = if let first = cmark_node_first_child(heading.node) {
                    cmark_node_insert_before(first, token) == 1
                } else {
                    cmark_node_append_child(heading.node, token) == 1
                }
            }
            if !placed {
                cmark_node_free(token)
                problems.append(MarkdownProblem(line: heading.line, column: 1,
                                                message: "internal error: cannot give this heading an id",
                                                hint: "please report this with the page"))
            }
        }
        return problems
    }

    /// cmark counts columns of inlines on a paragraph's later lines without their indentation;
    /// move such a column forward to the link's opening bracket in the source line.
    mutating func correctColumns(in text: SourceLines) {
        let source = text.bytes
        for index in links.indices {
            let link = links[index]
            guard link.line >= 1, link.line <= text.ranges.count else { continue }
            let (start, end) = (text.ranges[link.line - 1].lowerBound, text.ranges[link.line - 1].upperBound)
            let opener: UInt8 = link.isImage ? UInt8(ascii: "!") : UInt8(ascii: "[")
            let reported = min(start + max(link.column - 1, 0), end)
            if reported < end, source[reported] == opener { continue }
            // Forward first (indentation cmark did not count); then back (a NUL byte cmark read as three bytes).
            var position = reported
            while position < end, source[position] != opener { position += 1 }
            if position == end {
                position = reported
                while position > start, source[position - 1] != opener { position -= 1 }
                position = position > start ? position - 1 : end
            }
            if position < end { links[index].column = position - start + 1 }
        }
    }

    private func string(_ pointer: UnsafePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }
}

/// A destination on the web: an `http:` or `https:` URL (the scheme in any case).
func isWeb(_ destination: String) -> Bool {
    let scheme = destination.utf8.prefix(8).map { $0 | 0x20 }
    return scheme.starts(with: "http://".utf8) || scheme.starts(with: "https://".utf8)
}

/// A destination on this site: no URL scheme and not protocol-relative.
func isLocal(_ destination: String) -> Bool {
    guard let first = destination.utf8.first else { return false }
    if destination.hasPrefix("//") { return false }
    if first == UInt8(ascii: "#") || first == UInt8(ascii: "/") || first == UInt8(ascii: ".") { return true }
    // A scheme is letters, digits, + - . before the first ':' (RFC 3986), starting with a letter.
    for byte in destination.utf8 {
        switch byte {
        case UInt8(ascii: ":"): return false
        case UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"): return true
        default: continue
        }
    }
    return true
}

extension String {
    func trimmingSpaces() -> String {
        let bytes = Array(utf8)
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x0A { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x0A { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}

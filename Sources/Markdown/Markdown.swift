import CCmarkGFM
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses GitHub Flavored Markdown with cmark-gfm.
///
/// The only place that holds cmark pointers: each call creates the parser,
/// walks and edits the tree, renders it, and frees everything before it returns.
public enum Markdown {
    /// Marks a hole in rendered HTML. Removed from the input, so it cannot come from the writer.
    static let holeMarker: UInt8 = 0x01
    /// Marks where a heading's id goes, right after its `<hN>` tag. Removed from the input too.
    static let headingMarker: UInt8 = 0x02

    public static func parse(_ text: String, options: MarkdownOptions = MarkdownOptions()) -> MarkdownDocument {
        var source = text
        if source.utf8.contains(where: { $0 == holeMarker || $0 == headingMarker }) {
            source = String(decoding: source.utf8.map { $0 == holeMarker || $0 == headingMarker ? 0x3F : $0 }, as: UTF8.self)
        }

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
        source.withCString { pointer in
            cmark_parser_feed(parser, pointer, strlen(pointer))
        }
        guard let document = cmark_parser_finish(parser) else { fatalError("cmark-gfm: out of memory") }
        defer { cmark_node_free(document) }

        var walker = TreeWalker()
        walker.walk(document)
        walker.correctColumns(in: source)
        let headings = walker.finishedHeadings()
        walker.markHeadings()
        walker.rewriteLocalLinks()

        guard let rendered = cmark_render_html(document, cmarkOptions, cmark_parser_get_syntax_extensions(parser)) else {
            fatalError("cmark-gfm: out of memory")
        }
        let html = insertHeadingIDs(UnsafeBufferPointer(start: UnsafeRawPointer(rendered).assumingMemoryBound(to: UInt8.self), count: strlen(rendered)), ids: headings.map(\.id))
        free(rendered)

        var parts: [String] = []
        var holes: [Int] = []
        for (index, piece) in html.split(separator: holeMarker, omittingEmptySubsequences: false).enumerated() {
            if index % 2 == 0 {
                parts.append(String(decoding: piece, as: UTF8.self))
            } else {
                holes.append(Int(String(decoding: piece, as: UTF8.self)) ?? 0)
            }
        }
        return MarkdownDocument(
            parts: parts,
            holes: holes,
            links: walker.links,
            headings: headings,
            plainText: walker.plainText
        )
    }

    /// Turns each `<hN>` followed by the heading marker into `<hN id="...">`.
    private static func insertHeadingIDs(_ html: UnsafeBufferPointer<UInt8>, ids: [String]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(html.count + ids.count * 24)
        var start = 0
        var next = 0
        while let marker = html[start...].firstIndex(of: headingMarker) {
            // The renderer wrote `<hN>` right before the marker: keep all but its `>`.
            let tagEnd = marker > start && html[marker - 1] == UInt8(ascii: ">") && next < ids.count ? marker - 1 : marker
            result.append(contentsOf: UnsafeBufferPointer(rebasing: html[start..<tagEnd]))
            if tagEnd != marker {
                result.append(contentsOf: " id=\"\(HTMLEscaping.attribute(ids[next]))\">".utf8)
                next += 1
            }
            start = marker + 1
        }
        result.append(contentsOf: UnsafeBufferPointer(rebasing: html[start...]))
        return result
    }

    private static let extensionsRegistered: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        return true
    }()
}

/// Walks a cmark tree once, collecting headings, local links and plain text,
/// then edits the tree so the HTML renderer writes heading ids and link holes.
private struct TreeWalker {
    struct PendingHeading {
        var node: OpaquePointer
        var level: Int
        var text: [UInt8] = []
        var line: Int
        var textEnd = 0
    }

    struct PendingLink {
        var node: OpaquePointer
        var isImage: Bool
        var title: String
        var alt: [UInt8] = []
    }

    var links: [LocalLink] = []
    private var pendingLinks: [PendingLink] = []
    private var headings: [PendingHeading] = []
    private var text: [UInt8] = []
    private var openHeading: Int?
    private var openImage: Int?

    var plainText: String { String(decoding: text, as: UTF8.self) }

    mutating func walk(_ document: OpaquePointer) {
        guard let iterator = cmark_iter_new(document) else { return }
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard let node = cmark_iter_get_node(iterator) else { continue }
            let type = cmark_node_get_type(node)
            let entering = event == CMARK_EVENT_ENTER

            switch type {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE:
                appendLiteral(of: node)
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                appendText([0x20])
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
                let isImage = type == CMARK_NODE_IMAGE
                if entering {
                    let destination = string(cmark_node_get_url(node))
                    if isLocal(destination) {
                        links.append(LocalLink(
                            destination: destination,
                            line: Int(cmark_node_get_start_line(node)),
                            column: Int(cmark_node_get_start_column(node)),
                            isImage: isImage
                        ))
                        pendingLinks.append(PendingLink(node: node, isImage: isImage, title: string(cmark_node_get_title(node))))
                        if isImage { openImage = pendingLinks.count - 1 }
                    }
                } else if isImage {
                    openImage = nil
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
        if let openImage { pendingLinks[openImage].alt.append(contentsOf: bytes) }
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
            let section = start < end ? String(decoding: text[start..<end], as: UTF8.self).trimmingSpaces() : ""
            result.append(Heading(
                level: heading.level,
                text: title,
                id: uniquer.unique(HeadingID.slug(title)),
                line: heading.line,
                sectionText: section
            ))
        }
        return result
    }

    /// Puts the heading marker first in each heading, where the renderer writes it right after `<hN>`.
    mutating func markHeadings() {
        for heading in headings {
            guard let marker = cmark_node_new(CMARK_NODE_CUSTOM_INLINE) else { continue }
            cmark_node_set_on_enter(marker, "\u{2}")
            cmark_node_set_on_exit(marker, "")
            if let first = cmark_node_first_child(heading.node) {
                cmark_node_insert_before(first, marker)
            } else {
                cmark_node_append_child(heading.node, marker)
            }
        }
    }

    /// cmark counts columns of inlines on a paragraph's later lines without their indentation;
    /// move such a column forward to the link's opening bracket in the source line.
    mutating func correctColumns(in source: String) {
        guard !links.isEmpty else { return }
        let lines = source.utf8.split(separator: 0x0A, omittingEmptySubsequences: false)
        for index in links.indices {
            let link = links[index]
            guard link.line >= 1, link.line <= lines.count else { continue }
            let line = Array(lines[link.line - 1])
            let opener: UInt8 = link.isImage ? UInt8(ascii: "!") : UInt8(ascii: "[")
            var column = max(link.column - 1, 0)
            if column < line.count, line[column] == opener { continue }
            while column < line.count, line[column] != opener { column += 1 }
            if column < line.count { links[index].column = column + 1 }
        }
    }

    /// Replaces each local link or image by a custom inline whose URL is a hole.
    mutating func rewriteLocalLinks() {
        for (index, link) in pendingLinks.enumerated() {
            guard let inline = cmark_node_new(CMARK_NODE_CUSTOM_INLINE) else { continue }
            let hole = "\u{1}\(index)\u{1}"
            let title = link.title.isEmpty ? "" : " title=\"\(HTMLEscaping.attribute(link.title))\""
            if link.isImage {
                let alt = HTMLEscaping.attribute(String(decoding: link.alt, as: UTF8.self))
                cmark_node_set_on_enter(inline, "<img src=\"\(hole)\" alt=\"\(alt)\"\(title) />")
                cmark_node_set_on_exit(inline, "")
            } else {
                cmark_node_set_on_enter(inline, "<a href=\"\(hole)\"\(title)>")
                cmark_node_set_on_exit(inline, "</a>")
                moveChildren(from: link.node, to: inline)
            }
            cmark_node_insert_before(link.node, inline)
            cmark_node_free(link.node)
        }
    }

    private func moveChildren(from source: OpaquePointer, to target: OpaquePointer) {
        while let child = cmark_node_first_child(source) {
            cmark_node_append_child(target, child)
        }
    }

    private func string(_ pointer: UnsafePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }
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

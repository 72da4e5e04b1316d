/// A Markdown body turned into HTML, with holes where local links go.
///
/// The holes are filled once the whole site is known (a link's target URL
/// depends on the target page), so every body is parsed exactly once.
public struct MarkdownDocument: Sendable, Hashable {
    /// HTML around the holes: `parts.count == holes.count + 1`.
    public var parts: [String]
    /// For each hole, the index in `links` whose URL fills it.
    public var holes: [Int]
    /// Links and images whose destination is on this site (no scheme, not `//`).
    public var links: [LocalLink]
    /// Links and images to other sites (`http:`, `https:`), as written, where they are (`check --external`).
    public var externalLinks: [LocalLink] = []
    /// Every heading, in document order, with its unique id.
    public var headings: [Heading]
    /// The text a reader sees, without markup or code blocks (for search and summaries).
    public var plainText: String
    /// What the writer wrote that cannot be rendered as written (too large, too deep, a link
    /// the HTML cannot hold). The page parser reports each as an error at its place.
    public var problems: [MarkdownProblem]

    public init(parts: [String], holes: [Int], links: [LocalLink], headings: [Heading], plainText: String, problems: [MarkdownProblem] = []) {
        self.parts = parts
        self.holes = holes
        self.links = links
        self.headings = headings
        self.plainText = plainText
        self.problems = problems
    }

    /// The text under a heading of this document, without the spaces around it.
    public func sectionText(of heading: Heading) -> String {
        let bytes = plainText.utf8
        guard heading.section.lowerBound >= 0, heading.section.upperBound <= bytes.count, !heading.section.isEmpty else { return "" }
        let start = bytes.index(bytes.startIndex, offsetBy: heading.section.lowerBound)
        let end = bytes.index(bytes.startIndex, offsetBy: heading.section.upperBound)
        return String(decoding: bytes[start..<end], as: UTF8.self).trimmingSpaces()
    }

    /// The HTML with each hole filled by `url(linkIndex)`, attribute-escaped.
    public func html(linkURL url: (Int) -> String) -> String {
        var html = parts[0]
        for (hole, link) in holes.enumerated() {
            html += HTMLEscaping.attribute(url(link))
            html += parts[hole + 1]
        }
        return html
    }
}

/// A link or image written in Markdown whose destination is on this site.
public struct LocalLink: Sendable, Hashable {
    /// The destination as written (entities and backslash escapes already decoded).
    public var destination: String
    /// Position in the Markdown text, 1-based; columns count UTF-8 bytes.
    public var line: Int
    public var column: Int
    public var isImage: Bool

    public init(destination: String, line: Int, column: Int, isImage: Bool) {
        self.destination = destination
        self.line = line
        self.column = column
        self.isImage = isImage
    }
}

public struct Heading: Sendable, Hashable {
    public var level: Int
    public var text: String
    /// GitHub-style id, unique in its document.
    public var id: String
    public var line: Int
    /// Where the text under this heading (up to the next heading of the same or a higher level) is
    /// in the document's `plainText`, in UTF-8 bytes: `MarkdownDocument.sectionText(of:)` reads it.
    /// An offset, not a copy: most pages never need it (FAQ answers do), and a copy per heading
    /// would hold the site's text twice.
    public var section: Range<Int>

    public init(level: Int, text: String, id: String, line: Int, section: Range<Int> = 0..<0) {
        self.level = level
        self.text = text
        self.id = id
        self.line = line
        self.section = section
    }
}

/// Something in a Markdown body that cannot be rendered as written, at its place in the body.
public struct MarkdownProblem: Sendable, Hashable {
    /// Position in the Markdown text, 1-based; columns count UTF-8 bytes.
    public var line: Int
    public var column: Int
    public var message: String
    public var hint: String

    public init(line: Int, column: Int, message: String, hint: String) {
        self.line = line
        self.column = column
        self.message = message
        self.hint = hint
    }
}

public struct MarkdownOptions: Sendable, Hashable {
    /// Pass raw HTML through (GitHub's tag filter still applies). Off by default.
    public var unsafeHTML: Bool

    public init(unsafeHTML: Bool = false) {
        self.unsafeHTML = unsafeHTML
    }
}

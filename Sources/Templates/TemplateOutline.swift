/// What one pass over a template's text finds before swift-mustache parses it: how deep its
/// sections, blocks and inheritance tags nest, the partials it includes and where, and how much text
/// the bodies of its `{{<parent}}` tags hold.
///
/// Why: the library's parser, `TemplateProgram.compile` and the runs are recursive, one level a
/// section, and a transform chain `a(b(c(...)))` one level a transform; a theme that nests thousands
/// deep runs the build out of stack. This pass is a loop: it reads tags as the library's parser does
/// (its delimiters, `{{=<% %>=}}` changes, comments, the characters a name may have) and stops at
/// the first tag that goes past the limit. Where the parser would stop with an error, the pass stops
/// too and leaves the error to the parser, which gets no deeper than the pass has seen.
struct TemplateOutline {
    /// A `{{>name}}` or `{{<name}}` tag (dynamic `{{>*name}}` left out).
    struct Include {
        let name: String
        let line: Int
        let column: Int
        /// Sections, blocks and inheritance tags open around the tag.
        let depth: Int
        /// The `{{<parent}}` tags the include is in, outermost first: their blocks may repeat it.
        let parents: [String]
    }

    /// The text of a `{{<parent}}...{{/parent}}` tag: each block of the parents may repeat it.
    struct Body {
        let parents: [String]
        let bytes: Int
    }

    /// Where the pass stopped because the template goes past `limit`.
    struct Excess {
        let line: Int
        let column: Int
        /// The deepest nesting, or (`transforms`) the longest transform chain, the tag makes.
        let depth: Int
        let transforms: Bool
    }

    /// The template's size in UTF-8 bytes.
    let bytes: Int
    private(set) var includes: [Include] = []
    private(set) var bodies: [Body] = []
    /// `{{$name}}` tags: the places an override may be rendered.
    private(set) var blocks = 0
    /// The deepest nesting of sections, blocks and inheritance tags.
    private(set) var depth = 0
    private(set) var excess: Excess?

    private enum Frame {
        case section
        case inheritance(String, start: String.Index)
    }

    init(_ text: String, limit: Int) {
        bytes = text.utf8.count
        var cursor = Cursor(text)
        var start = "{{"
        var end = "}}"
        var frames: [Frame] = []
        var parents: [String] = []
        while !cursor.atEnd {
            let (line, column, tagStart) = (cursor.line, cursor.column, cursor.index)
            guard cursor.current == start.first, cursor.read(start) else {
                cursor.advance()
                continue
            }
            guard !cursor.atEnd else { return }
            let sigil = cursor.current
            if "#^$/!{&<>=%".contains(sigil) { cursor.advance() }
            switch sigil {
            case "#", "^", "$", "/", "{", "&":
                guard let name = cursor.name(end: end) else { return }
                guard transforms(of: name, line: line, column: column, limit: limit) else { return }
                if sigil == "{" { guard cursor.read("}") else { return } }
                if sigil == "$" { blocks += 1 }
                if sigil == "/" {
                    guard let frame = frames.popLast() else { return }
                    if case let .inheritance(_, bodyStart) = frame {
                        bodies.append(Body(parents: parents, bytes: text.utf8.distance(from: bodyStart, to: tagStart)))
                        parents.removeLast()
                    }
                } else if "#^$".contains(sigil) {
                    frames.append(.section)
                }
            case "<", ">":
                cursor.skip(while: \.isWhitespace)
                let dynamic = sigil == ">" && cursor.read("*")
                guard var name = cursor.partialName(end: end) else { return }
                if sigil == "<" {
                    if name.first == "*" { name.removeFirst() } else { includes.append(Include(name: name, line: line, column: column, depth: frames.count, parents: parents)) }
                    frames.append(.inheritance(name, start: cursor.index))
                    parents.append(name)
                } else if !dynamic {
                    includes.append(Include(name: name, line: line, column: column, depth: frames.count, parents: parents))
                }
            case "!":
                guard cursor.skipComment(end: end) else { return }
            case "=":
                guard let delimiters = cursor.delimiters(end: end) else { return }
                (start, end) = delimiters
            case "%":
                guard cursor.configuration(end: end) else { return }
            default:
                guard let name = cursor.name(end: end), transforms(of: name, line: line, column: column, limit: limit) else { return }
            }
            depth = max(depth, frames.count)
            if frames.count > limit {
                excess = Excess(line: line, column: column, depth: frames.count, transforms: false)
                return
            }
        }
    }

    /// Whether the transforms of a name (`a(b(c))`: one `(` each) are within `limit`; records the excess when not.
    private mutating func transforms(of name: String, line: Int, column: Int, limit: Int) -> Bool {
        let count = name.utf8.count { $0 == UInt8(ascii: "(") }
        guard count > limit else { return true }
        excess = Excess(line: line, column: column, depth: count, transforms: true)
        return false
    }

    /// The parser's reading of the text, Character by Character as it reads, counting lines and
    /// UTF-8 columns.
    private struct Cursor {
        let text: String
        private(set) var index: String.Index
        private(set) var line = 1
        private(set) var column = 1

        init(_ text: String) {
            self.text = text
            index = text.startIndex
        }

        var atEnd: Bool { index == text.endIndex }
        var current: Character { text[index] }

        mutating func advance() {
            let character = text[index]
            index = text.index(after: index)
            if character == "\n" || character == "\r\n" {
                line += 1
                column = 1
            } else {
                column += character.utf8.count
            }
        }

        mutating func skip(while predicate: (Character) -> Bool) {
            while !atEnd, predicate(current) { advance() }
        }

        /// Reads `string` if the text goes on with it.
        mutating func read(_ string: String) -> Bool {
            var probe = index
            for character in string {
                guard probe < text.endIndex, text[probe] == character else { return false }
                probe = text.index(after: probe)
            }
            for _ in string { advance() }
            return true
        }

        /// Reads characters up to one that `stop` accepts; nil at the end of the text.
        mutating func read(until stop: (Character) -> Bool) -> String? {
            var result = ""
            while !atEnd {
                if stop(current) { return result }
                result.append(current)
                advance()
            }
            return nil
        }

        /// `parseName`: a name (with its transforms) between white space, then the end delimiter.
        mutating func name(end: String) -> String? {
            word(Self.nameCharacters, end: end)
        }

        /// `parsePartialName`.
        mutating func partialName(end: String) -> String? {
            word(Self.partialNameCharacters, end: end)
        }

        private mutating func word(_ characters: Set<Character>, end: String) -> String? {
            skip(while: \.isWhitespace)
            var name = ""
            while !atEnd, characters.contains(current) {
                name.append(current)
                advance()
            }
            skip(while: \.isWhitespace)
            return read(end) ? name : nil
        }

        /// `parseComment`: past the end delimiter, matched as the parser matches it (a character
        /// that breaks a partial match is not tried as the start of a new one).
        mutating func skipComment(end: String) -> Bool {
            var matched = end.startIndex
            while !atEnd {
                if current == end[matched] {
                    matched = end.index(after: matched)
                    if matched == end.endIndex {
                        advance()
                        return true
                    }
                } else {
                    matched = end.startIndex
                }
                advance()
            }
            return false
        }

        /// `parserSetDelimiter`: `{{=<% %>=}}`.
        mutating func delimiters(end: String) -> (String, String)? {
            skip(while: \.isWhitespace)
            guard let start = read(until: \.isWhitespace) else { return nil }
            skip(while: \.isWhitespace)
            guard let newEnd = read(until: { $0 == "=" || $0.isWhitespace }) else { return nil }
            skip(while: \.isWhitespace)
            guard read("="), read(end), !start.isEmpty, !newEnd.isEmpty else { return nil }
            return (start, newEnd)
        }

        /// `readConfigVariable`: `{{% NAME: value}}`.
        mutating func configuration(end: String) -> Bool {
            skip(while: \.isWhitespace)
            skip(while: Self.nameCharactersWithoutBrackets.contains)
            skip(while: \.isWhitespace)
            guard read(":") else { return false }
            skip(while: \.isWhitespace)
            skip(while: Self.nameCharactersWithoutBrackets.contains)
            skip(while: \.isWhitespace)
            return read(end)
        }

        static let nameCharactersWithoutBrackets = Set<Character>("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-_?*")
        static let nameCharacters = nameCharactersWithoutBrackets.union("()")
        static let partialNameCharacters = nameCharacters.union("/")
    }
}

import Foundation

/// A worksheet's `<sheetData>` read straight from its UTF-8 bytes into a `SheetBuilder`: a scanner
/// restricted to what that element holds. `row`, `c`, `v`, `is` and its `t` (in runs `r` too, not in
/// phonetic `rPh`) are read, with the attributes `r` and `t`; every other element inside (`f`, `extLst`...)
/// is skipped whole with its text. Text knows XML's five predefined entities, numeric character
/// references, CDATA sections and comments, and line ends read as LF, as an XML parser gives them;
/// anything else (another entity, a declaration, a control character, a tag left open) is an error.
/// What comes before `<sheetData>` is skipped tag by tag; what comes after it is not read.
///
/// XMLParser reads the same XML far slower (its callbacks make a String and a dictionary per element),
/// and a worksheet is the one part of a workbook that is large.
struct SheetScanner {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var at = 0
    private var value: [UInt8] = []
    private var inline: [UInt8] = []
    private var attribute: [UInt8] = []

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// The rows of `bytes` (a worksheet part, checked by `XMLCheck`) into `builder`.
    static func read(_ bytes: UnsafeBufferPointer<UInt8>, into builder: inout SheetBuilder) throws(TableError) {
        var scanner = SheetScanner(bytes)
        try scanner.run(&builder)
    }

    private enum Tag {
        /// A start tag, with its `r` and `t` attributes' values (entities not yet decoded).
        case start(name: Range<Int>, empty: Bool, r: Range<Int>?, t: Range<Int>?)
        case end(name: Range<Int>)
        /// A comment, processing instruction or CDATA section outside text.
        case other
    }

    private static let lt = UInt8(ascii: "<"), gt = UInt8(ascii: ">"), slash = UInt8(ascii: "/"), amp = UInt8(ascii: "&")

    private func error(_ builder: SheetBuilder, _ what: String) -> TableError {
        error(row: builder.row, what)
    }

    private func error(row: Int, _ what: String) -> TableError {
        TableError(row: row == 0 ? nil : row, "the sheet's XML is not well-formed: \(what) (at byte \(at))",
                   hint: ZipParts.damagedHint)
    }

    private func named(_ name: Range<Int>, _ expected: StaticString) -> Bool {
        var start = name.lowerBound
        for index in name where bytes[index] == UInt8(ascii: ":") { start = index + 1 }
        return name.upperBound - start == expected.utf8CodeUnitCount
            && memcmp(bytes.baseAddress! + start, expected.utf8Start, expected.utf8CodeUnitCount) == 0
    }

    /// The index of the next `byte` at or after `from` and before `end` (the end of the part when nil), or that end.
    private func find(_ byte: UInt8, from: Int, before end: Int? = nil) -> Int {
        let end = end ?? bytes.count
        guard from < end, let hit = memchr(bytes.baseAddress! + from, Int32(byte), end - from) else {
            return end
        }
        return bytes.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    /// The index just past the next `terminator` at or after `from`, nil when there is none.
    private func past(_ terminator: StaticString, from: Int) -> Int? {
        var index = from
        let first = terminator.utf8Start.pointee, length = terminator.utf8CodeUnitCount
        while true {
            index = find(first, from: index)
            guard index + length <= bytes.count else { return nil }
            if memcmp(bytes.baseAddress! + index, terminator.utf8Start, length) == 0 { return index + length }
            index += 1
        }
    }

    private func starts(_ prefix: StaticString, at index: Int) -> Bool {
        index + prefix.utf8CodeUnitCount <= bytes.count
            && memcmp(bytes.baseAddress! + index, prefix.utf8Start, prefix.utf8CodeUnitCount) == 0
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
    }

    /// The tag at `at` (a `<`), leaving `at` past it.
    private mutating func tag(_ builder: SheetBuilder) throws(TableError) -> Tag {
        let open = at
        if starts("<!--", at: open) || starts("<?", at: open) || starts("<![CDATA[", at: open) {
            let terminator: StaticString = bytes[open + 1] == UInt8(ascii: "?") ? "?>" : bytes[open + 2] == UInt8(ascii: "-") ? "-->" : "]]>"
            guard let end = past(terminator, from: open + 2) else { throw error(builder, "a comment or section is never closed") }
            at = end
            return .other
        }
        let closing = open + 1 < bytes.count && bytes[open + 1] == Self.slash
        var index = closing ? open + 2 : open + 1
        let nameStart = index
        while index < bytes.count, !Self.isSpace(bytes[index]), bytes[index] != Self.gt, bytes[index] != Self.slash, bytes[index] != Self.lt {
            index += 1
        }
        let name = nameStart ..< index
        guard !name.isEmpty, bytes[nameStart] != UInt8(ascii: "!") else { throw error(builder, "a tag has no name") }
        var r: Range<Int>?, t: Range<Int>?
        while true {
            while index < bytes.count, Self.isSpace(bytes[index]) { index += 1 }
            guard index < bytes.count else { throw error(builder, "a tag is never closed") }
            if bytes[index] == Self.gt {
                at = index + 1
                return closing ? .end(name: name) : .start(name: name, empty: false, r: r, t: t)
            }
            if bytes[index] == Self.slash, !closing, index + 1 < bytes.count, bytes[index + 1] == Self.gt {
                at = index + 2
                return .start(name: name, empty: true, r: r, t: t)
            }
            guard !closing else { throw error(builder, "an end tag has attributes") }
            let attributeStart = index
            while index < bytes.count, !Self.isSpace(bytes[index]), bytes[index] != UInt8(ascii: "="), bytes[index] != Self.gt { index += 1 }
            let attributeName = attributeStart ..< index
            while index < bytes.count, Self.isSpace(bytes[index]) { index += 1 }
            guard !attributeName.isEmpty, index < bytes.count, bytes[index] == UInt8(ascii: "=") else { throw error(builder, "an attribute has no value") }
            index += 1
            while index < bytes.count, Self.isSpace(bytes[index]) { index += 1 }
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else {
                throw error(builder, "an attribute's value is not in quotes")
            }
            let close = find(bytes[index], from: index + 1)
            guard close < bytes.count else { throw error(builder, "an attribute's value is never closed") }
            let value = index + 1 ..< close
            guard find(Self.lt, from: value.lowerBound, before: close) == close else { throw error(builder, "an attribute's value holds <") }
            if attributeName.count == 1 {
                if bytes[attributeStart] == UInt8(ascii: "r") { r = value }
                if bytes[attributeStart] == UInt8(ascii: "t") { t = value }
            }
            index = close + 1
        }
    }
}

extension SheetScanner {
    /// Up to `<sheetData>`, then its rows; `</sheetData>` ends the read.
    private mutating func run(_ builder: inout SheetBuilder) throws(TableError) {
        while true {
            at = find(Self.lt, from: at)
            guard at < bytes.count else { return }
            if case .start(let name, let empty, _, _) = try tag(builder), named(name, "sheetData") {
                if empty { return }
                break
            }
        }
        while true {
            try text(builder, into: nil)
            switch try tag(builder) {
            case .start(let name, let empty, let r, _) where named(name, "row"):
                try withAttribute(r, row: builder.row) { (reference) throws(TableError) in try builder.startRow(reference: reference) }
                if !empty { try readRow(&builder) }
                try builder.endRow()
            case .start(_, let empty, _, _):
                if !empty { try skipElement(builder) }
            case .end(let name):
                guard named(name, "sheetData") else { throw error(builder, "an end tag does not match") }
                return
            case .other:
                continue
            }
        }
    }

    private mutating func readRow(_ builder: inout SheetBuilder) throws(TableError) {
        while true {
            try text(builder, into: nil)
            switch try tag(builder) {
            case .start(let name, let empty, let r, let t) where named(name, "c"):
                try withAttribute(r, row: builder.row) { (reference) throws(TableError) in try builder.startCell(reference: reference) }
                var type = SheetBuilder.CellType.number
                if t != nil { try withAttribute(t, row: builder.row) { (t) throws(TableError) in type = try SheetBuilder.CellType(t!) } }
                value.removeAll(keepingCapacity: true)
                inline.removeAll(keepingCapacity: true)
                if !empty { try readCell(builder) }
                let (value, inline) = (value, inline)
                try value.withUnsafeBufferPointer { (value) throws(TableError) in
                    try inline.withUnsafeBufferPointer { (inline) throws(TableError) in
                        try builder.endCell(type: type, value: value, inline: inline)
                    }
                }
            case .start(_, let empty, _, _):
                if !empty { try skipElement(builder) }
            case .end(let name):
                guard named(name, "row") else { throw error(builder, "an end tag does not match") }
                return
            case .other:
                continue
            }
        }
    }

    /// A `<c>`'s children: `<v>` into `value`, `<is>` into `inline`, the rest skipped.
    private mutating func readCell(_ builder: SheetBuilder) throws(TableError) {
        while true {
            try text(builder, into: nil)
            switch try tag(builder) {
            case .start(let name, let empty, _, _) where named(name, "v"):
                if !empty { try readText(builder, into: .value) }
            case .start(let name, let empty, _, _) where named(name, "is"):
                if !empty { try readInline(builder, depth: 0) }
            case .start(_, let empty, _, _):
                if !empty { try skipElement(builder) }
            case .end(let name):
                guard named(name, "c") else { throw error(builder, "an end tag does not match") }
                return
            case .other:
                continue
            }
        }
    }

    /// An `<is>` (or a run `<r>` in it, at depth 1): its `<t>` into `inline`, runs read, the rest skipped.
    private mutating func readInline(_ builder: SheetBuilder, depth: Int) throws(TableError) {
        while true {
            try text(builder, into: nil)
            switch try tag(builder) {
            case .start(let name, let empty, _, _) where named(name, "t"):
                if !empty { try readText(builder, into: .inline) }
            case .start(let name, let empty, _, _) where depth == 0 && named(name, "r"):
                if !empty { try readInline(builder, depth: 1) }
            case .start(_, let empty, _, _):
                if !empty { try skipElement(builder) }
            case .end:
                return
            case .other:
                continue
            }
        }
    }

    /// The text of an element that holds only text (`<v>`, `<t>`) up to its end tag, into a buffer.
    private mutating func readText(_ builder: SheetBuilder, into buffer: Target) throws(TableError) {
        while true {
            try text(builder, into: buffer)
            switch try tag(builder) {
            case .start(_, let empty, _, _):
                if !empty { try skipElement(builder) }
            case .end:
                return
            case .other:
                continue
            }
        }
    }

    /// An element whose start tag was just read, up to its end tag, with everything in it.
    private mutating func skipElement(_ builder: SheetBuilder) throws(TableError) {
        var depth = 1
        while depth > 0 {
            at = find(Self.lt, from: at)
            guard at < bytes.count else { throw error(builder, "an element is never closed") }
            switch try tag(builder) {
            case .start(_, let empty, _, _): if !empty { depth += 1 }
            case .end: depth -= 1
            case .other: break
            }
        }
    }

    /// An attribute's value with its entities decoded, to `body` (nil when the tag has none).
    private mutating func withAttribute(_ range: Range<Int>?, row: Int, _ body: (UnsafeBufferPointer<UInt8>?) throws(TableError) -> Void) throws(TableError) {
        guard let range else { return try body(nil) }
        guard find(Self.amp, from: range.lowerBound, before: range.upperBound) < range.upperBound else {
            return try body(UnsafeBufferPointer(rebasing: bytes[range]))
        }
        attribute.removeAll(keepingCapacity: true)
        var index = range.lowerBound
        while index < range.upperBound {
            if bytes[index] == Self.amp {
                do throws(Malformed) {
                    index = try Self.entity(bytes, at: index, end: range.upperBound, into: &attribute)
                } catch {
                    throw self.error(row: row, error.what)
                }
            } else {
                attribute.append(Self.isSpace(bytes[index]) ? 0x20 : bytes[index])
                index += 1
            }
        }
        let decoded = attribute
        try decoded.withUnsafeBufferPointer { (buffer) throws(TableError) in try body(buffer) }
    }
}

extension SheetScanner {
    private enum Target { case value, inline }

    private struct Malformed: Error {
        var what: String
    }

    /// Text up to the next tag, decoded into `target` or skipped; comments, processing instructions and
    /// CDATA sections in it are read as an XML parser reads them.
    private mutating func text(_ builder: SheetBuilder, into target: Target?) throws(TableError) {
        let bytes = self.bytes
        do throws(Malformed) {
            while true {
                let end = find(Self.lt, from: at)
                switch target {
                case .value?: try Self.decode(bytes, at ..< end, into: &value, entities: true)
                case .inline?: try Self.decode(bytes, at ..< end, into: &inline, entities: true)
                case nil: break
                }
                at = end
                guard at < bytes.count else { return }
                let terminator: StaticString
                if starts("<!--", at: at) { terminator = "-->" } else if starts("<?", at: at) { terminator = "?>" } else if starts("<![CDATA[", at: at) {
                    terminator = "]]>"
                } else {
                    return
                }
                guard let close = past(terminator, from: at + 2) else { throw Malformed(what: "a comment or section is never closed") }
                if terminator.utf8CodeUnitCount == 3 && bytes[at + 2] == UInt8(ascii: "[") {
                    switch target {
                    case .value?: try Self.decode(bytes, at + 9 ..< close - 3, into: &value, entities: false)
                    case .inline?: try Self.decode(bytes, at + 9 ..< close - 3, into: &inline, entities: false)
                    case nil: break
                    }
                }
                at = close
            }
        } catch {
            throw self.error(builder, error.what)
        }
    }

    /// `range` of `bytes` appended to `buffer` as an XML parser reads text: entities decoded (when
    /// `entities`), CR LF and CR as LF, control characters refused.
    private static func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into buffer: inout [UInt8],
                               entities: Bool) throws(Malformed) {
        var plain = true
        for index in range where bytes[index] < 0x20 || bytes[index] == amp {
            plain = false
            break
        }
        if plain {
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[range]))
            return
        }
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = bytes[index]
            switch byte {
            case amp where entities:
                index = try entity(bytes, at: index, end: range.upperBound, into: &buffer)
                continue
            case 0x0D:
                buffer.append(0x0A)
                if index + 1 < range.upperBound, bytes[index + 1] == 0x0A { index += 1 }
            case 0x09, 0x0A:
                buffer.append(byte)
            case ..<0x20:
                throw Malformed(what: "a control character (\(byte)) is in the text")
            default:
                buffer.append(byte)
            }
            index += 1
        }
    }

    /// The entity at `index` (an `&`) decoded into `buffer`: one of XML's five, or a character reference
    /// to a character XML allows. Returns the index past its `;`.
    private static func entity(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, end: Int, into buffer: inout [UInt8]) throws(Malformed) -> Int {
        var semicolon = index + 1
        while semicolon < end, semicolon - index <= 12, bytes[semicolon] != UInt8(ascii: ";") { semicolon += 1 }
        guard semicolon < end, bytes[semicolon] == UInt8(ascii: ";") else { throw Malformed(what: "an & does not start an entity") }
        let name = Array(bytes[index + 1 ..< semicolon])
        switch name {
        case Array("lt".utf8): buffer.append(UInt8(ascii: "<"))
        case Array("gt".utf8): buffer.append(UInt8(ascii: ">"))
        case Array("amp".utf8): buffer.append(UInt8(ascii: "&"))
        case Array("quot".utf8): buffer.append(UInt8(ascii: "\""))
        case Array("apos".utf8): buffer.append(UInt8(ascii: "'"))
        default:
            guard name.first == UInt8(ascii: "#") else {
                throw Malformed(what: "the entity &\(String(decoding: name, as: UTF8.self)); is not one of XML's (a workbook declares none)")
            }
            let hex = name.count > 1 && name[1] == UInt8(ascii: "x")
            let digits = String(decoding: name.dropFirst(hex ? 2 : 1), as: UTF8.self)
            guard !digits.isEmpty, digits.utf8.count <= 8, digits.utf8.allSatisfy({ $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-") }),
                  let code = UInt32(digits, radix: hex ? 16 : 10),
                  code == 0x09 || code == 0x0A || code == 0x0D || (0x20...0xD7FF).contains(code) || (0xE000...0xFFFD).contains(code)
                    || (0x10000...0x10FFFF).contains(code), let scalar = Unicode.Scalar(code) else {
                throw Malformed(what: "the character reference &\(String(decoding: name, as: UTF8.self)); is not a character XML allows")
            }
            buffer.append(contentsOf: String(Character(scalar)).utf8)
        }
        return semicolon + 1
    }
}

import Concurrency
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

    /// Where a read stops early: at this offset, when it falls between two rows.
    private var stop: Int?
    /// Whether the first row read had an `r` number.
    private var firstRowNumbered: Bool?

    /// The rows of `bytes` (a worksheet part, checked by `XMLCheck`) into `builder`.
    ///
    /// A part larger than `splitAbove` bytes is read by two threads: this one from the start, another
    /// from a `<row` near the middle into a builder of its own. The second half is taken only when it
    /// holds: the first read reaches that very offset between two rows, and the second read started at
    /// a numbered row after the first half's last, read to the end without an error, and stays within
    /// the row limit together with the first half. Otherwise this thread reads on past the middle
    /// itself; so the tables and the errors are always those of one read from the start.
    static func read(_ bytes: UnsafeBufferPointer<UInt8>, into builder: inout SheetBuilder,
                     splitAbove: Int = 4 << 20) throws(TableError) {
        var scanner = SheetScanner(bytes)
        guard bytes.count > splitAbove, let split = scanner.rowStart(after: bytes.count / 2) else {
            return try scanner.run(&builder)
        }
        let shared = SharedBytes(bytes: bytes)
        // Its own copy of the shared strings: two cores retaining the same strings take turns at their counts.
        let (limits, strings) = (builder.limits, builder.sharedStrings.map { String(decoding: Array($0.utf8), as: UTF8.self) })
        let second = Concurrent<SheetBuilder?> {
            var scanner = SheetScanner(shared.bytes)
            scanner.at = split
            var half = SheetBuilder(limits: limits, sharedStrings: strings)
            do throws(TableError) {
                try scanner.rows(&half)
            } catch {
                return nil
            }
            return scanner.firstRowNumbered == true ? half : nil
        }
        scanner.stop = split
        do throws(TableError) {
            try scanner.run(&builder)
        } catch {
            // The second thread reads the part until it is done: the part must outlive it.
            _ = second.value
            throw error
        }
        if scanner.at == split, let half = second.value, let first = half.rows.first?.number ?? half.firstRow,
           first > builder.row, builder.rows.count + half.rows.count <= builder.limits.rows {
            builder.append(half)
            return
        }
        _ = second.value
        scanner.stop = nil
        if scanner.at == split { try scanner.rows(&builder) }
    }

    /// The offset of the first `<row` tag at or after `from` within 1 MiB, nil when there is none.
    private func rowStart(after from: Int) -> Int? {
        var index = from
        while index < min(bytes.count, from + (1 << 20)) {
            index = find(Self.lt, from: index)
            guard index + 5 < bytes.count else { return nil }
            if starts("<row", at: index), Self.isSpace(bytes[index + 4]) || bytes[index + 4] == Self.gt || bytes[index + 4] == Self.slash {
                return index
            }
            index += 1
        }
        return nil
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
        guard name.upperBound - start == expected.utf8CodeUnitCount else { return false }
        for offset in 0 ..< expected.utf8CodeUnitCount where bytes[start + offset] != expected.utf8Start[offset] { return false }
        return true
    }

    /// The index of the next `byte` at or after `from` and before `end` (the end of the part when nil), or that end.
    private func find(_ byte: UInt8, from: Int, before end: Int? = nil) -> Int {
        let end = end ?? bytes.count
        // Most searches end within a few bytes, sooner than a call to memchr returns.
        var index = from
        while index < min(end, from + 16) {
            if bytes[index] == byte { return index }
            index += 1
        }
        let from = index
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
        let second = open + 1 < bytes.count ? bytes[open + 1] : 0
        if (second == UInt8(ascii: "!") || second == UInt8(ascii: "?"))
            && (starts("<!--", at: open) || starts("<?", at: open) || starts("<![CDATA[", at: open)) {
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
            let quote = bytes[index]
            var close = index + 1
            while close < bytes.count, bytes[close] != quote {
                guard bytes[close] != Self.lt else { throw error(builder, "an attribute's value holds <") }
                close += 1
            }
            guard close < bytes.count else { throw error(builder, "an attribute's value is never closed") }
            let value = index + 1 ..< close
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
        try rows(&builder)
    }

    /// The rows of `<sheetData>` from `at` (between two rows) to its end, or to `stop`.
    private mutating func rows(_ builder: inout SheetBuilder) throws(TableError) {
        while true {
            try text(builder, into: nil)
            if at == stop { return }
            switch try tag(builder) {
            case .start(let name, let empty, let r, _) where named(name, "row"):
                if firstRowNumbered == nil { firstRowNumbered = r != nil }
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
                if !empty, let plain = plainValueCell() {
                    try builder.endCell(type: type, value: UnsafeBufferPointer(rebasing: bytes[plain]), inline: UnsafeBufferPointer(start: nil, count: 0))
                    continue
                }
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

    /// The cell most sheets are made of, `<v>TEXT</v></c>` with plain text (no entity, no control character,
    /// no line end): where its text is, read without the tag loop; nil, having read nothing, for any other shape.
    private mutating func plainValueCell() -> Range<Int>? {
        guard starts("<v>", at: at) else { return nil }
        let textStart = at + 3
        var index = textStart
        while index < bytes.count, bytes[index] != Self.lt {
            if bytes[index] < 0x20 || bytes[index] == Self.amp { return nil }
            index += 1
        }
        guard starts("</v></c>", at: index) else { return nil }
        at = index + 8
        return textStart ..< index
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
                let second = at + 1 < bytes.count ? bytes[at + 1] : 0
                guard second == UInt8(ascii: "!") || second == UInt8(ascii: "?") else { return }
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

/// A worksheet's bytes, read by the second thread of `SheetScanner.read`. `@unchecked`: a buffer pointer
/// is not `Sendable`, but the part's array outlives the read (it waits for the second thread) and
/// neither thread writes to it.
private struct SharedBytes: @unchecked Sendable {
    let bytes: UnsafeBufferPointer<UInt8>
}

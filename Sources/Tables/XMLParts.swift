import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// What every XML part of a workbook must be before anything parses it: UTF-8 (as Excel and every
/// library write it), with no document type declaration anywhere, so no entity is ever declared, let
/// alone expanded (a billion-laughs part stops here).
enum XMLCheck {
    static func check(_ bytes: [UInt8], part: String) throws(TableError) {
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes[3...] : bytes[...]
        if let first = body.first, first == 0 || first == 0xFE || first == 0xFF || body.dropFirst().first == 0 {
            throw TableError("part \(part) of the workbook is not UTF-8 XML", hint: ZipParts.damagedHint)
        }
        if body.starts(with: Array("<?xml".utf8)), let close = body.firstIndex(of: UInt8(ascii: ">")) {
            let declaration = String(decoding: body[..<close], as: UTF8.self).lowercased()
            if let range = declaration.range(of: "encoding") {
                let value = declaration[range.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "'" }
                guard value.hasPrefix("utf-8") || value.hasPrefix("utf8") else {
                    throw TableError("part \(part) of the workbook is not UTF-8 XML", hint: ZipParts.damagedHint)
                }
            }
        }
        let found: Bool = bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return false }
            var at = 0
            // Every "<!" that is not a comment or CDATA: a declaration.
            while at < buffer.count, let hit = memchr(base + at, Int32(UInt8(ascii: "!")), buffer.count - at) {
                let index = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if index > 0, buffer[index - 1] == UInt8(ascii: "<") {
                    let rest = UnsafeBufferPointer(rebasing: buffer[(index + 1)...])
                    if !rest.starts(with: "--".utf8) && !rest.starts(with: "[CDATA[".utf8) { return true }
                }
                at = index + 1
            }
            return false
        }
        if found {
            throw TableError("part \(part) of the workbook declares a document type or entities, which a workbook never does",
                             hint: "the file may be crafted to harm the reader: download it again from its source")
        }
    }
}

/// A part's elements as XMLParser reads them, by local name (a prefix such as `x:` dropped), to a
/// subclass's `start`, `text` and `end`; the first error they throw stops the parse.
class PartReader: NSObject, XMLParserDelegate {
    let part: String
    private(set) var error: TableError?

    init(part: String) {
        self.part = part
    }

    func start(_ name: Substring, _ attributes: [String: String]) throws(TableError) {}
    func end(_ name: Substring) throws(TableError) {}
    func text(_ string: String) throws(TableError) {}

    /// Parses `bytes` (checked by `XMLCheck` first) with this reader.
    func parse(_ bytes: [UInt8]) throws(TableError) {
        try XMLCheck.check(bytes, part: part)
        // libxml2, under XMLParser on Linux, stops at about 10 MB without saying why.
        guard bytes.count <= 10_000_000 else {
            throw TableError("part \(part) of the workbook has \(bytes.count) bytes, more than the 10,000,000 its XML reader takes",
                             hint: "keep only the sheets, rows and columns the site uses, or split the file")
        }
        // FoundationXML on Linux traps on a name that is not UTF-8, before libxml2 says it is not.
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw TableError("part \(part) of the workbook is not UTF-8 XML", hint: ZipParts.damagedHint)
        }
        let parser = XMLParser(data: Data(bytes))
        parser.shouldResolveExternalEntities = false
        parser.delegate = self
        let parsed = parser.parse()
        if let error { throw error }
        guard parsed else {
            throw TableError("part \(part) of the workbook is not well-formed XML (line \(parser.lineNumber), column \(parser.columnNumber))", hint: ZipParts.damagedHint)
        }
    }

    private func run(_ parser: XMLParser, _ body: () throws(TableError) -> Void) {
        guard error == nil else { return }
        do throws(TableError) {
            try body()
        } catch {
            self.error = error
            parser.abortParsing()
        }
    }

    private static func local(_ name: String) -> Substring {
        name.lastIndex(of: ":").map { name[name.index(after: $0)...] } ?? name[...]
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        run(parser) { () throws(TableError) in try start(Self.local(elementName), attributeDict) }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        run(parser) { () throws(TableError) in try end(Self.local(elementName)) }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        run(parser) { () throws(TableError) in try text(string) }
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        run(parser) { () throws(TableError) in try text(String(decoding: CDATABlock, as: UTF8.self)) }
    }
}

/// xl/workbook.xml: the sheets in workbook order, each with its name and relationship id.
final class WorkbookReader: PartReader {
    private(set) var sheets: [(name: String, id: String)] = []

    override func start(_ name: Substring, _ attributes: [String: String]) throws(TableError) {
        guard name == "sheet" else { return }
        // The id is r:id, whatever the prefix of the relationships namespace is.
        guard let sheetName = attributes["name"], let id = attributes.first(where: { $0.key.hasSuffix(":id") })?.value else {
            throw TableError("a sheet in xl/workbook.xml has no name or no part", hint: ZipParts.damagedHint)
        }
        sheets.append((sheetName, id))
    }
}

/// A .rels part: each relationship's type and target by id.
final class RelationshipsReader: PartReader {
    private(set) var relationships: [String: (type: String, target: String)] = [:]

    override func start(_ name: Substring, _ attributes: [String: String]) throws(TableError) {
        guard name == "Relationship", attributes["TargetMode"] != "External",
              let id = attributes["Id"], let type = attributes["Type"], let target = attributes["Target"] else { return }
        relationships[id] = (type, target)
    }
}

/// xl/sharedStrings.xml: each `<si>`'s text (its `<t>`, and its runs' `<r><t>` joined; phonetic
/// `<rPh>` runs left out, as Excel shows them), within `limits.unpackedBytes` counting 16 bytes an entry.
final class SharedStringsReader: PartReader {
    private(set) var strings: [String] = []
    private let budget: Int
    private var used = 0
    private var current = ""
    private var inText = false
    private var phonetic = 0

    init(part: String, limits: TableLimits) {
        budget = limits.unpackedBytes
        super.init(part: part)
    }

    override func start(_ name: Substring, _ attributes: [String: String]) throws(TableError) {
        switch name {
        case "si": current = ""
        case "t": inText = phonetic == 0
        case "rPh": phonetic += 1
        default: break
        }
    }

    override func text(_ string: String) throws(TableError) {
        if inText { current += string }
    }

    override func end(_ name: Substring) throws(TableError) {
        switch name {
        case "t": inText = false
        case "rPh": phonetic -= 1
        case "si":
            used += current.utf8.count + 16
            guard used <= budget else {
                throw TableError("the workbook's shared strings take more than \(budget) bytes",
                                 hint: "keep only the sheets, rows and columns the site uses, or split the file")
            }
            strings.append(current)
        default: break
        }
    }
}

import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A worksheet's `<sheetData>` read with XMLParser into a `SheetBuilder`.
final class SheetXMLReader: PartReader {
    private(set) var builder: SheetBuilder
    private var inData = false
    private var inCell = false
    private var type = SheetBuilder.CellType.number
    private var value: [UInt8] = []
    private var inline: [UInt8] = []
    private var target = 0   // 1 in <v>, 2 in an inline <t>
    private var inInline = false
    private var phonetic = 0

    init(part: String, builder: SheetBuilder) {
        self.builder = builder
        super.init(part: part)
    }

    private func withBytes(_ string: String?, _ body: (UnsafeBufferPointer<UInt8>?) throws(TableError) -> Void) throws(TableError) {
        guard var string else { return try body(nil) }
        var failure: TableError?
        string.withUTF8 { buffer in
            do throws(TableError) { try body(buffer) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    override func start(_ name: Substring, _ attributes: [String: String]) throws(TableError) {
        guard inData else {
            inData = name == "sheetData"
            return
        }
        switch name {
        case "row":
            try withBytes(attributes["r"]) { (reference) throws(TableError) in try builder.startRow(reference: reference) }
        case "c":
            try withBytes(attributes["r"]) { (reference) throws(TableError) in try builder.startCell(reference: reference) }
            try withBytes(attributes["t"] ?? "") { (type) throws(TableError) in self.type = try SheetBuilder.CellType(type!) }
            inCell = true
            value.removeAll(keepingCapacity: true)
            inline.removeAll(keepingCapacity: true)
        case "v" where inCell: target = 1
        case "is" where inCell: inInline = true
        case "rPh": phonetic += 1
        case "t" where inInline && phonetic == 0: target = 2
        default: break
        }
    }

    override func text(_ string: String) throws(TableError) {
        switch target {
        case 1: value.append(contentsOf: string.utf8)
        case 2: inline.append(contentsOf: string.utf8)
        default: break
        }
    }

    override func end(_ name: Substring) throws(TableError) {
        guard inData else { return }
        switch name {
        case "sheetData": inData = false
        case "v", "t": target = 0
        case "is": inInline = false
        case "rPh": phonetic -= 1
        case "c":
            inCell = false
            let (type, value, inline) = (type, value, inline)
            try value.withUnsafeBufferPointer { (value) throws(TableError) in
                try inline.withUnsafeBufferPointer { (inline) throws(TableError) in
                    try builder.endCell(type: type, value: value, inline: inline)
                }
            }
        case "row": try builder.endRow()
        default: break
        }
    }
}

/// Excel workbooks (.xlsx: Office Open XML SpreadsheetML, a zip of XML parts) as tables, one a worksheet,
/// in workbook order. The parts are found as the workbook lists them (xl/workbook.xml and its
/// relationships), never by their usual names. Every cell is text (see `SheetBuilder` for each type);
/// dates are not converted (a date cell is the number Excel stores). The file is untrusted: its size,
/// rows, columns, cells and shared strings are bounded by `TableLimits`, and every problem is a
/// `TableError`, located at a row and column of the sheet (named in the message) where it has one.
public enum XLSXReader {
    public static func read(_ bytes: [UInt8], limits: TableLimits = .standard) throws(TableError) -> [Table] {
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            throw TableError("the file is an encrypted workbook or an old Excel 97-2003 .xls file, not an .xlsx workbook",
                             hint: "remove its password, or save it as Excel Workbook (.xlsx) or CSV")
        }
        guard bytes.starts(with: [0x50, 0x4B]) else {
            throw TableError("the file is not an .xlsx workbook (not a zip archive)",
                             hint: "save it as Excel Workbook (.xlsx) or CSV")
        }
        guard bytes.count <= limits.unpackedBytes else { throw ZipParts.tooLarge(budget: limits.unpackedBytes) }
        let zip = try ZipParts(bytes)
        var budget = limits.unpackedBytes
        guard let workbookXML = try zip.contents(of: "xl/workbook.xml", budget: &budget) else {
            throw TableError("the file is not an .xlsx workbook (no xl/workbook.xml)", hint: "save it as Excel Workbook (.xlsx) or CSV")
        }
        let workbook = WorkbookReader(part: "xl/workbook.xml")
        try workbook.parse(workbookXML)
        guard let relsXML = try zip.contents(of: "xl/_rels/workbook.xml.rels", budget: &budget) else {
            throw ZipParts.damaged("xl/_rels/workbook.xml.rels (where its sheets are) is missing")
        }
        let rels = RelationshipsReader(part: "xl/_rels/workbook.xml.rels")
        try rels.parse(relsXML)
        let relationships = rels.relationships
        let strings = try sharedStrings(zip, relationships, limits: limits, budget: &budget)
        var tables: [Table] = []
        for sheet in workbook.sheets {
            guard let relationship = relationships[sheet.id] else {
                throw ZipParts.damaged("sheet \"\(sheet.name)\" has no part")
            }
            // Chart sheets and dialog sheets have no cells.
            guard relationship.type.hasSuffix("/worksheet") else { continue }
            let path = resolve(relationship.target)
            guard let xml = try zip.contents(of: path, budget: &budget) else {
                throw ZipParts.damaged("the part of sheet \"\(sheet.name)\", \(path), is missing")
            }
            do throws(TableError) {
                try XMLCheck.check(xml, part: path)
                var builder = SheetBuilder(limits: limits, sharedStrings: strings)
                try xml.withUnsafeBufferPointer { (buffer) throws(TableError) in try SheetScanner.read(buffer, into: &builder) }
                tables.append(Table(name: sheet.name, rows: builder.rows))
            } catch {
                var located = error
                located.message = "sheet \"\(sheet.name)\": " + error.message
                throw located
            }
        }
        return tables
    }

    private static func sharedStrings(_ zip: ZipParts, _ relationships: [String: (type: String, target: String)],
                                      limits: TableLimits, budget: inout Int) throws(TableError) -> [String] {
        let target = relationships.values.first { $0.type.hasSuffix("/sharedStrings") }?.target
        let path = target.map(resolve) ?? "xl/sharedStrings.xml"
        guard let xml = try zip.contents(of: path, budget: &budget) else { return [] }
        let reader = SharedStringsReader(part: path, limits: limits)
        try reader.parse(xml)
        return reader.strings
    }

    /// A relationship's target from xl/workbook.xml as a part name: relative to xl/, or from the root
    /// when it starts with a slash, with `.` and `..` segments resolved.
    static func resolve(_ target: String) -> String {
        var segments: [Substring] = target.hasPrefix("/") ? [] : ["xl"]
        for segment in target.split(separator: "/") {
            switch segment {
            case ".": continue
            case "..": _ = segments.popLast()
            default: segments.append(segment)
            }
        }
        return segments.joined(separator: "/")
    }
}

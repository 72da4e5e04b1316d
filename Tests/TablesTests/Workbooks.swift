import Foundation
import TestSupport
import ZIPFoundation

/// Workbooks built in the tests, byte by byte: a zip writer whose every field can be set (so that a test
/// can lie in one), and the XML parts of a small workbook.
enum Workbooks {
    struct Part {
        var name: String
        var bytes: [UInt8]
        var method: UInt16 = 8
        var flags: UInt16 = 0
        /// What the headers say the part unpacks to; its true size when nil.
        var declaredSize: UInt32?
        /// The bytes are written as they are, whatever the method says (a stream made by the test).
        var raw = false

        init(_ name: String, _ text: String, method: UInt16 = 8) {
            self.name = name
            self.bytes = Array(text.utf8)
            self.method = method
        }

        init(_ name: String, bytes: [UInt8], method: UInt16 = 8) {
            self.name = name
            self.bytes = bytes
            self.method = method
        }
    }

    static func deflate(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        let input = Data(bytes)
        _ = try? Data.compress(size: Int64(input.count), bufferSize: max(input.count, 1), provider: { _, _ in input }) { chunk in
            output.append(contentsOf: chunk)
        }
        return output
    }

    static func zip(_ parts: [Part]) -> [UInt8] {
        var file: [UInt8] = []
        var directory: [UInt8] = []
        func u16(_ value: UInt16, _ into: inout [UInt8]) { into += [UInt8(value & 0xFF), UInt8(value >> 8)] }
        func u32(_ value: UInt32, _ into: inout [UInt8]) { u16(UInt16(value & 0xFFFF), &into); u16(UInt16(value >> 16), &into) }
        for part in parts {
            let stored = part.method == 8 && !part.raw ? deflate(part.bytes) : part.bytes
            let crc = Data(part.bytes).crc32(checksum: 0)
            let name = Array(part.name.utf8)
            let offset = UInt32(file.count)
            var common: [UInt8] = []
            u16(20, &common); u16(part.flags, &common); u16(part.method, &common); u32(0, &common)
            u32(crc, &common); u32(UInt32(stored.count), &common); u32(part.declaredSize ?? UInt32(part.bytes.count), &common)
            u16(UInt16(name.count), &common); u16(0, &common)
            u32(0x0403_4B50, &file); file += common + name + stored
            u32(0x0201_4B50, &directory); u16(20, &directory); directory += common
            u16(0, &directory); u16(0, &directory); u16(0, &directory); u32(0, &directory); u32(offset, &directory)
            directory += name
        }
        let start = UInt32(file.count)
        file += directory
        u32(0x0605_4B50, &file); u16(0, &file); u16(0, &file)
        u16(UInt16(parts.count), &file); u16(UInt16(parts.count), &file)
        u32(UInt32(directory.count), &file); u32(start, &file); u16(0, &file)
        return file
    }

    static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    /// The parts of a workbook with these sheets (name and the XML inside <sheetData>), their parts named
    /// data1.xml, data2.xml... (not sheet1.xml), and shared strings when given.
    static func parts(sheets: [(name: String, data: String)], shared: [String]? = nil) -> [Part] {
        var workbook = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<workbook xmlns=\"\(main)\" xmlns:r=\"\(relationships)\"><sheets>"
        var rels = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        var parts: [Part] = []
        for (index, sheet) in sheets.enumerated() {
            // Listed in reverse in the relationships, so that their order is the workbook's.
            workbook += "<sheet name=\"\(sheet.name)\" sheetId=\"\(index + 1)\" r:id=\"rId\(sheets.count - index)\"/>"
            parts.append(Part("xl/data/data\(index + 1).xml",
                              "<?xml version=\"1.0\"?><worksheet xmlns=\"\(main)\"><dimension ref=\"A1\"/><sheetData>\(sheet.data)</sheetData></worksheet>"))
        }
        for index in sheets.indices.reversed() {
            rels += "<Relationship Id=\"rId\(sheets.count - index)\" Type=\"\(relationships)/worksheet\" Target=\"data/data\(index + 1).xml\"/>"
        }
        if let shared {
            rels += "<Relationship Id=\"rIdS\" Type=\"\(relationships)/sharedStrings\" Target=\"/xl/strings.xml\"/>"
            let items = shared.map { "<si><t xml:space=\"preserve\">\($0)</t></si>" }.joined()
            parts.append(Part("xl/strings.xml", "<sst xmlns=\"\(main)\" count=\"\(shared.count)\">\(items)</sst>"))
        }
        parts.append(Part("xl/workbook.xml", workbook + "</sheets></workbook>"))
        parts.append(Part("xl/_rels/workbook.xml.rels", rels + "</Relationships>"))
        return parts
    }

    static func workbook(sheets: [(name: String, data: String)], shared: [String]? = nil) -> [UInt8] {
        zip(parts(sheets: sheets, shared: shared))
    }

    /// A sheet shaped like an OEWS state file: `rows` rows of 32 columns after a header, titles as shared
    /// strings, figures as numbers, and some `*`, `**` and `#` (shared strings too), styled as Excel writes them.
    static func oews(rows: Int) -> [UInt8] {
        var shared = ["AREA", "AREA_TITLE", "AREA_TYPE", "PRIM_STATE", "NAICS", "NAICS_TITLE", "I_GROUP", "OWN_CODE", "OCC_CODE",
                      "OCC_TITLE", "O_GROUP", "TOT_EMP", "EMP_PRSE", "JOBS_1000", "LOC_QUOTIENT", "PCT_TOTAL", "PCT_RPT", "H_MEAN",
                      "A_MEAN", "MEAN_PRSE", "H_PCT10", "H_PCT25", "H_MEDIAN", "H_PCT75", "H_PCT90", "A_PCT10", "A_PCT25",
                      "A_MEDIAN", "A_PCT75", "A_PCT90", "ANNUAL", "HOURLY", "*", "**", "#", "Cross-industry", "detailed", "TRUE"]
        let states = (0..<54).map { "State or territory number \($0)" }
        let occupations = (0..<830).map { "Occupation title number \($0), all other" }
        let codes = (0..<830).map { String(format: "%02d-%04d", 11 + $0 % 43, $0 * 7 % 10_000) }
        let firstState = shared.count
        shared += states + occupations + codes
        var xml = "<row r=\"1\" spans=\"1:32\">" + (0..<32).map { "<c r=\"\(columnName($0))1\" s=\"1\" t=\"s\"><v>\($0)</v></c>" }.joined() + "</row>"
        var random = SplitMix64(seed: 7)
        for row in 2...(rows + 1) {
            xml += "<row r=\"\(row)\" spans=\"1:32\">"
            for column in 0..<32 {
                let reference = "\(columnName(column))\(row)"
                let pick = Int(random.next() % 100)
                switch column {
                case 1: xml += "<c r=\"\(reference)\" s=\"2\" t=\"s\"><v>\(firstState + row / 760 % 54)</v></c>"
                case 8: xml += "<c r=\"\(reference)\" s=\"2\" t=\"s\"><v>\(firstState + 54 + 830 + row % 830)</v></c>"
                case 9: xml += "<c r=\"\(reference)\" s=\"2\" t=\"s\"><v>\(firstState + 54 + row % 830)</v></c>"
                case 5, 6, 10: xml += "<c r=\"\(reference)\" s=\"2\" t=\"s\"><v>\(column == 10 ? 36 : 35)</v></c>"
                case 15, 16, 30, 31: if pick < 10 { xml += "<c r=\"\(reference)\" s=\"2\" t=\"s\"><v>37</v></c>" }
                default:
                    if pick < 3 {
                        xml += "<c r=\"\(reference)\" s=\"2\" t=\"s\"><v>\(32 + pick)</v></c>"
                    } else if column < 11 || column == 11 || column > 24 {
                        xml += "<c r=\"\(reference)\" s=\"3\"><v>\(random.next() % 300_000)</v></c>"
                    } else {
                        xml += "<c r=\"\(reference)\" s=\"4\"><v>\(Double(random.next() % 100_000) / 100)</v></c>"
                    }
                }
            }
            xml += "</row>"
        }
        return workbook(sheets: [("All May 2025 data", xml)], shared: shared)
    }

    static func columnName(_ index: Int) -> String {
        var name = "", rest = index + 1
        while rest > 0 {
            name = String(UnicodeScalar(UInt8(65 + (rest - 1) % 26))) + name
            rest = (rest - 1) / 26
        }
        return name
    }
}

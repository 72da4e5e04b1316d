import Foundation
import Testing
@testable import Tables

/// One test per kind of hostile or broken workbook: each is a `TableError` with a message and a hint,
/// located where it has a place, never a crash or a hang.
@Suite struct XLSXHostileTests {
    let reader = XLSXReaderTests()

    func sheet(_ data: String, shared: [String]? = nil) -> [UInt8] {
        Workbooks.workbook(sheets: [("S", data)], shared: shared)
    }

    @Test func notAZipOrAnOldOrEncryptedWorkbook() {
        #expect(reader.failure(Array("AREA,TITLE\n1,2\n".utf8))?.message.contains("not a zip") == true)
        #expect(reader.failure([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 512))?.hint.contains("password") == true)
        #expect(reader.failure([0x50, 0x4B, 3, 4])?.message.contains("end record") == true)
        #expect(reader.failure([])?.message.contains("not a zip") == true)
    }

    @Test func missingParts() {
        let parts = Workbooks.parts(sheets: [("S", "")])
        let noWorkbook = reader.failure(Workbooks.zip(parts.filter { $0.name != "xl/workbook.xml" }))
        #expect(noWorkbook?.message == "the file is not an .xlsx workbook (no xl/workbook.xml)")
        #expect(reader.failure(Workbooks.zip(parts.filter { !$0.name.hasSuffix(".rels") }))?.message.contains("workbook.xml.rels") == true)
        #expect(reader.failure(Workbooks.zip(parts.filter { !$0.name.contains("data1") }))?.message.contains("xl/data/data1.xml") == true)
    }

    @Test func encryptedOrUnsupportedCompression() {
        var parts = Workbooks.parts(sheets: [("S", "")])
        parts[0].flags = 1
        #expect(reader.failure(Workbooks.zip(parts))?.message.contains("encrypted") == true)
        parts = Workbooks.parts(sheets: [("S", "")])
        parts[0].method = 14
        #expect(reader.failure(Workbooks.zip(parts))?.message.contains("method 14") == true)
    }

    @Test func corruptedOrCutShortDeflateStreams() {
        var file = sheet("<row><c><v>1</v></c></row>")
        // The first part's compressed data starts after its 30-byte header and its name.
        let start = 30 + "xl/data/data1.xml".utf8.count
        for at in start ..< start + 8 { file[at] ^= 0x5A }
        #expect(reader.failure(file)?.message.contains("does not unpack") == true)
        // A stored block that says it holds 65535 bytes, and the file ends: inflate asks for more, and is told there is none.
        var parts = Workbooks.parts(sheets: [("S", "")])
        parts[0].bytes = [0x00, 0xFF, 0xFF, 0x00, 0x00, 0x3C]
        parts[0].raw = true
        #expect(reader.failure(Workbooks.zip(parts))?.message.contains("does not unpack") == true)
    }

    @Test func aZipBombStopsAtTheLimit() {
        // 64 MiB of zeros deflate to about 64 KiB.
        let bomb = Workbooks.Part("xl/data/data1.xml", bytes: [UInt8](repeating: 0x20, count: 64 << 20))
        var parts = Workbooks.parts(sheets: [("S", "")])
        parts[0] = bomb
        parts[0].declaredSize = 100
        var limits = TableLimits.standard
        limits.unpackedBytes = 8 << 20
        #expect(reader.failure(Workbooks.zip(parts), limits: limits)?.message.contains("unpacks to more bytes") == true)
    }

    @Test func documentTypesAndEntitiesAreRefused() {
        let laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]>"
        var parts = Workbooks.parts(sheets: [("S", "<row><c t=\"inlineStr\"><is><t>&lol2;</t></is></c></row>")])
        parts[0].bytes = Array((laughs + String(decoding: parts[0].bytes, as: UTF8.self).dropFirst(21)).utf8)
        #expect(reader.failure(Workbooks.zip(parts))?.message.contains("document type") == true)
        for index in parts.indices.dropFirst() {
            var others = Workbooks.parts(sheets: [("S", "")], shared: ["a"])
            others[index].bytes = Array("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>".utf8) + others[index].bytes
            #expect(reader.failure(Workbooks.zip(others))?.message.contains("document type") == true)
        }
        // An entity no DTD declares.
        #expect(reader.failure(sheet("<row><c t=\"inlineStr\"><is><t>&nbsp;</t></is></c></row>")) != nil)
    }

    @Test func sharedStringTricks() {
        for value in ["2", "-1", "x", "1e0", "99999999999999999999", " "] {
            let error = reader.failure(sheet("<row r=\"7\"><c r=\"C7\" t=\"s\"><v>\(value)</v></c></row>", shared: ["a", "b"]))
            #expect(error?.row == 7 && error?.column == 2, "\(value)")
        }
        var limits = TableLimits.standard
        limits.unpackedBytes = 1 << 20
        // 100,000 empty strings in 500 KB of XML: 1.6 MB as strings.
        var parts = Workbooks.parts(sheets: [("S", "")], shared: [])
        parts[1].bytes = Array(("<sst>" + String(repeating: "<si/>", count: 100_000) + "</sst>").utf8)
        #expect(reader.failure(Workbooks.zip(parts), limits: limits)?.message.contains("shared strings") == true)
    }

    @Test func rowsAndCellsOutOfOrderOrRepeated() {
        #expect(reader.failure(sheet("<row r=\"3\"/><row r=\"2\"/>"))?.row == 2)
        #expect(reader.failure(sheet("<row r=\"3\"/><row r=\"3\"/>"))?.row == 3)
        let repeated = reader.failure(sheet("<row r=\"2\"><c r=\"B2\"><v>1</v></c><c r=\"B2\"><v>2</v></c></row>"))
        #expect(repeated?.row == 2 && repeated?.column == 1)
        #expect(reader.failure(sheet("<row r=\"2\"><c r=\"C2\"/><c r=\"A2\"/></row>"))?.column == 0)
        #expect(reader.failure(sheet("<row r=\"2\"><c r=\"A3\"/></row>"))?.row == 2)
        #expect(reader.failure(sheet("<row r=\"0\"/>")) != nil)
        #expect(reader.failure(sheet("<row r=\"1048577\"/>"))?.row == 1_048_577)
    }

    @Test func limitsOfRowsColumnsAndCells() {
        var limits = TableLimits.standard
        limits.rows = 2
        #expect(reader.failure(sheet(String(repeating: "<row><c><v>1</v></c></row>", count: 3)), limits: limits)?.row == 3)
        let beyond = reader.failure(sheet("<row><c r=\"XFE1\"><v>1</v></c></row>"))
        #expect(beyond?.row == 1)
        limits = .standard
        limits.columns = 4
        #expect(reader.failure(sheet("<row><c r=\"E1\"><v>1</v></c></row>"), limits: limits)?.column == 4)
        limits = .standard
        limits.cellBytes = 8
        #expect(reader.failure(sheet("<row><c r=\"B1\"><v>123456789</v></c></row>"), limits: limits)?.column == 1)
        #expect(reader.failure(sheet("<row><c r=\"B1\" t=\"s\"><v>0</v></c></row>", shared: ["123456789"]), limits: limits)?.column == 1)
    }

    @Test func brokenXMLIsNamedByItsPart() {
        let error = reader.failure(sheet("<row><c><v>1</c></row>"))
        #expect(error?.message.contains("sheet \"S\"") == true)
        var parts = Workbooks.parts(sheets: [("S", "")])
        parts[0].bytes = Array("\u{FEFF}".utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }) + [0, 0x3C]
        #expect(reader.failure(Workbooks.zip(parts))?.message.contains("UTF-8") == true)
    }
}

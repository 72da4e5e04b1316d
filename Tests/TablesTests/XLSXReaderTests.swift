import Foundation
import Testing
@testable import Tables

@Suite struct XLSXReaderTests {
    func read(_ bytes: [UInt8], limits: TableLimits = .standard) throws(TableError) -> [Table] {
        try XLSXReader.read(bytes, limits: limits)
    }

    /// The error reading `bytes` throws; records an issue when it reads.
    func failure(_ bytes: [UInt8], limits: TableLimits = .standard, sourceLocation: SourceLocation = #_sourceLocation) -> TableError? {
        do {
            let tables = try read(bytes, limits: limits)
            Issue.record("read \(tables.map(\.rows.count)) rows", sourceLocation: sourceLocation)
            return nil
        } catch {
            #expect(!error.message.isEmpty && !error.hint.isEmpty, sourceLocation: sourceLocation)
            return error
        }
    }

    func sheet(_ data: String, shared: [String]? = nil) -> [UInt8] {
        Workbooks.workbook(sheets: [("S", data)], shared: shared)
    }

    @Test func everyCellTypeAsText() throws {
        let data = """
            <row r="1"><c r="A1" t="s"><v>1</v></c><c r="B1" t="inlineStr"><is><t xml:space="preserve"> in &amp; line </t></is></c>\
            <c r="C1"><v>135980</v></c><c r="D1" t="n" s="3"><v>-1.5E-2</v></c><c r="E1" t="b"><v>1</v></c><c r="F1" t="b"><v>0</v></c>\
            <c r="G1" t="e"><v>#N/A</v></c><c r="H1" t="str"><f>A1&amp;"x"</f><v>ax</v></c><c r="I1"><f>1+2</f></c>\
            <c r="J1" t="inlineStr"><is><r><t>rich </t></r><r><rPr><b/></rPr><t>text</t></r><rPh sb="0" eb="1"><t>ignored</t></rPh></is></c></row>
            """
        let tables = try read(sheet(data, shared: ["zero", "one &lt;1&gt;"]))
        #expect(tables.count == 1 && tables[0].name == "S")
        #expect(tables[0].rows == [Table.Row(number: 1, cells: ["one <1>", " in & line ", "135980", "-1.5E-2", "TRUE", "FALSE", "#N/A", "ax", "", "rich text"])])
    }

    @Test func sheetsInWorkbookOrderFoundThroughRelationships() throws {
        let tables = try read(Workbooks.workbook(sheets: [("First", "<row><c><v>1</v></c></row>"), ("Second", ""), ("Third", "<row r=\"3\"><c r=\"B3\"><v>3</v></c></row>")]))
        #expect(tables.map(\.name) == ["First", "Second", "Third"])
        #expect(tables[0].rows == [Table.Row(number: 1, cells: ["1"])])
        #expect(tables[1].rows.isEmpty)
        #expect(tables[2].rows == [Table.Row(number: 3, cells: ["", "3"])])
    }

    @Test func positionsWithoutReferencesFollowThePreviousOnes() throws {
        let data = "<row><c><v>a</v></c><c r=\"C1\"><v>c</v></c><c><v>d</v></c></row><row r=\"4\"><c><v>x</v></c></row><row><c/><c><v>y</v></c><c t=\"s\"/></row>"
        let rows = try read(sheet(data))[0].rows
        #expect(rows == [Table.Row(number: 1, cells: ["a", "", "c", "d"]), Table.Row(number: 4, cells: ["x"]), Table.Row(number: 5, cells: ["", "y"])])
    }

    @Test func emptyRowsAndTrailingEmptyCellsAreLeftOut() throws {
        let data = "<row r=\"1\"/><row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t></t></is></c></row><row r=\"3\"><c r=\"A3\"><v>1</v></c><c r=\"B3\" t=\"str\"><v></v></c></row>"
        #expect(try read(sheet(data))[0].rows == [Table.Row(number: 3, cells: ["1"])])
    }

    @Test func textKeepsUnicodeEntitiesAndLineBreaks() throws {
        let data = "<row><c t=\"inlineStr\"><is><t>&#x1F600; &#233;&lt;&gt;&quot;&apos; 𝄞\r\nz</t></is></c></row>"
        #expect(try read(sheet(data))[0].rows[0].cells == ["😀 é<>\"' 𝄞\nz"])
    }
}

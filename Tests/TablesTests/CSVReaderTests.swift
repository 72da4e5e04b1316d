import Testing
import Tables

@Suite struct CSVReaderTests {
    func read(_ text: String, limits: TableLimits = .standard) throws(TableError) -> Table {
        try CSVReader.read(Array(text.utf8), limits: limits)
    }

    @Test func quotedCellsHoldCommasQuotesAndLineBreaks() throws {
        let table = try read("OCC_CODE,OCC_TITLE,A_MEDIAN\r\n15-1252,\"Software Developers, \"\"all\"\"\",\"135,980\"\n15-1254,\"Web\nDevelopers\",#\n")
        #expect(table.rows.map(\.number) == [1, 2, 3])
        #expect(table.rows[1].cells == ["15-1252", "Software Developers, \"all\"", "135,980"])
        #expect(table.rows[2].cells == ["15-1254", "Web\nDevelopers", "#"])
    }

    @Test func rowsAreNumberedAsASpreadsheetShowsThem() throws {
        // An empty line is a row of its own; a line break inside quotes is not.
        let table = try read("\u{FEFF}a,b\n\n\"x\ny\",z\nlast,,\n")
        #expect(table.rows.map(\.number) == [1, 3, 4])
        #expect(table.rows[0].cells == ["a", "b"])
        #expect(table.rows[2].cells == ["last"], "empty trailing cells are left off")
        #expect(table.rows[2][5] == "")
    }

    @Test func anUnclosedQuoteIsLocatedWhereItOpened() {
        #expect(throws: TableError.self) { try read("a,b\nc,\"open\nmore\n") }
        do {
            _ = try read("a,b\nc,\"open\nmore\n")
        } catch {
            #expect(error.row == 2 && error.column == 1)
            #expect(error.message.contains("never closed"))
        }
    }

    @Test func textAfterAClosingQuoteIsAnError() {
        do {
            _ = try read("\"a\"b,c\n")
            Issue.record("read a malformed cell")
        } catch {
            #expect(error.row == 1 && error.column == 0)
        }
    }

    @Test func notUTF8IsAnErrorWithAHint() {
        do {
            _ = try CSVReader.read([0x61, 0x2C, 0xE9, 0x0A])
            Issue.record("read Latin-1 text")
        } catch {
            #expect(error.hint.contains("UTF-8"))
        }
    }

    @Test func limitsStopAHugeFileAtAnError() {
        var limits = TableLimits.standard
        limits.rows = 3
        #expect(throws: TableError.self) { try read("1\n2\n3\n4\n", limits: limits) }
        limits = .standard
        limits.columns = 4
        #expect(throws: TableError.self) { try read("1,2,3,4,5\n", limits: limits) }
        limits = .standard
        limits.cellBytes = 8
        #expect(throws: TableError.self) { try read("\"123456789\"\n", limits: limits) }
        limits = .standard
        limits.unpackedBytes = 4
        #expect(throws: TableError.self) { try read("12345\n", limits: limits) }
        #expect((try? read("1\n2\n3\n", limits: TableLimits(rows: 3)))?.rows.count == 3)
    }

    @Test func columnNamesRoundTrip() {
        #expect(Table.columnName(0) == "A")
        #expect(Table.columnName(25) == "Z")
        #expect(Table.columnName(26) == "AA")
        #expect(Table.columnName(16_383) == "XFD")
        for index in [0, 1, 25, 26, 51, 52, 701, 702, 16_383] {
            #expect(Table.columnIndex(Table.columnName(index)) == index)
        }
        #expect(Table.columnIndex("a1") == nil)
        #expect(Table.columnIndex("") == nil)
    }
}

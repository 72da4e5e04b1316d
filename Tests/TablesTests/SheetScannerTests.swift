import Testing
import TestSupport
@testable import Tables

/// A worksheet read by two threads (split at a row near the middle) must read as one read from the
/// start: the same rows, or the same error, on random sheets with and without row numbers and errors.
@Suite struct SheetScannerTests {
    func read(_ xml: String, splitAbove: Int, limits: TableLimits = .standard) -> Result<[Table.Row], TableError> {
        var builder = SheetBuilder(limits: limits, sharedStrings: ["a", "b"])
        let bytes = Array("<worksheet><sheetData>\(xml)</sheetData></worksheet>".utf8)
        do throws(TableError) {
            try bytes.withUnsafeBufferPointer { (buffer) throws(TableError) in
                try SheetScanner.read(buffer, into: &builder, splitAbove: splitAbove)
            }
            return .success(builder.rows)
        } catch {
            return .failure(error)
        }
    }

    func randomSheet(_ random: inout SplitMix64) -> String {
        var xml = ""
        var row = 0
        for _ in 0 ..< random.below(40) {
            row += random.chance(2) ? -1 : 1 + random.below(3)
            let numbered = !random.chance(20)
            xml += numbered ? "<row r=\"\(row)\">" : "<row>"
            for column in 0 ..< random.below(6) {
                let reference = random.chance(80) ? " r=\"\(Table.columnName(column))\(row)\"" : ""
                xml += random.pick([
                    "<c\(reference)><v>\(random.below(1000))</v></c>",
                    "<c\(reference) t=\"s\"><v>\(random.below(random.chance(5) ? 3 : 2))</v></c>",
                    "<c\(reference) t=\"inlineStr\"><is><t>x &amp; y</t></is></c>",
                    "<!-- <row r=\"1\"> -->",
                ])
            }
            xml += random.chance(1) ? "<row" : "</row>"
        }
        return xml
    }

    @Test func aSplitReadReadsAsOneRead() {
        var random = SplitMix64(seed: 11)
        var taken = 0
        for _ in 0 ..< 2_000 {
            let xml = randomSheet(&random)
            let limits = random.chance(10) ? TableLimits(rows: 5) : .standard
            let whole = read(xml, splitAbove: .max, limits: limits)
            #expect(read(xml, splitAbove: 0, limits: limits) == whole, "\(xml)")
            if case .success(let rows) = whole, rows.count > 4 { taken += 1 }
        }
        #expect(taken > 100)
    }
}

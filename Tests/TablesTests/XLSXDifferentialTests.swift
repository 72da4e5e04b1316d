import Foundation
import Testing
import Tables

/// XLSXReader against openpyxl on the random workbooks Tests/tables/xlsx_diff.py writes (it runs this
/// test with GUIDEGEN_XLSX_DIFF set to their folder; without it there is nothing to compare).
@Suite struct XLSXDifferentialTests {
    static let folder = ProcessInfo.processInfo.environment["GUIDEGEN_XLSX_DIFF"]

    @Test(.enabled(if: folder != nil)) func readsAsOpenpyxlDoes() throws {
        let folder = URL(fileURLWithPath: Self.folder!)
        let names = try JSONDecoder().decode([String].self, from: Data(contentsOf: folder.appendingPathComponent("index.json")))
        #expect(!names.isEmpty)
        for name in names {
            let file = folder.appendingPathComponent(name)
            let expected = try JSONDecoder().decode([ExpectedSheet].self,
                                                    from: Data(contentsOf: file.deletingPathExtension().appendingPathExtension("json")))
            let tables = try XLSXReader.read([UInt8](Data(contentsOf: file)))
            if let difference = Self.firstDifference(tables, expected) {
                Issue.record("\(name): \(difference)")
                return
            }
        }
        print("xlsx_diff: \(names.count) workbooks read as openpyxl reads them")
    }

    struct ExpectedSheet: Decodable {
        var name: String
        var cells: [ExpectedCell]
    }

    /// [row, column (0 for A), {"s": text} or {"n": Python's repr of openpyxl's number}]
    struct ExpectedCell: Decodable {
        var row: Int
        var column: Int
        var value: [String: String]

        init(from decoder: any Decoder) throws {
            var container = try decoder.unkeyedContainer()
            row = try container.decode(Int.self)
            column = try container.decode(Int.self)
            value = try container.decode([String: String].self)
        }
    }

    static func firstDifference(_ tables: [Table], _ expected: [ExpectedSheet]) -> String? {
        guard tables.map(\.name) == expected.map(\.name) else {
            return "sheets \(tables.map(\.name)), openpyxl: \(expected.map(\.name))"
        }
        for (table, sheet) in zip(tables, expected) {
            var ours: [[Int]: String] = [:]
            for row in table.rows {
                for (column, cell) in row.cells.enumerated() where !cell.isEmpty { ours[[row.number, column]] = cell }
            }
            for cell in sheet.cells {
                let place = "sheet \"\(sheet.name)\" cell \(Table.columnName(cell.column))\(cell.row)"
                guard let got = ours.removeValue(forKey: [cell.row, cell.column]) else {
                    return "\(place): no cell, openpyxl: \(cell.value)"
                }
                if let text = cell.value["s"], got != text {
                    return "\(place): \(got.debugDescription), openpyxl: \(text.debugDescription)"
                }
                if let number = cell.value["n"], !sameNumber(got, number) {
                    return "\(place): \(got.debugDescription), openpyxl: the number \(number)"
                }
            }
            if let extra = ours.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }).first {
                return "sheet \"\(sheet.name)\" cell \(Table.columnName(extra[1]))\(extra[0]): \(ours[extra]!.debugDescription), openpyxl: no cell"
            }
        }
        return nil
    }

    /// Our text as openpyxl reads a number's text: an integer when it has no point or exponent, else a float.
    static func sameNumber(_ text: String, _ python: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if !trimmed.contains(where: { ".eE".contains($0) }) {
            return Int(trimmed).map(String.init) == python
        }
        guard let ours = Double(trimmed), let theirs = Double(python) else { return false }
        return ours == theirs
    }
}

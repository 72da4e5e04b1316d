import Foundation
import Content
import Diagnostics
import Tables

/// A figure read from a data file, and the cell it came from.
public struct CellFigure: Sendable, Hashable {
    public enum Value: Sendable, Hashable {
        /// A number as the file has it (employment in thousands stays in thousands here).
        case number(Double)
        /// A wage at or above the survey's top-coded amount (OEWS `#`, EP `>=$239,200`).
        case atLeast
        /// Not available (OEWS `*` and `**`, EP `—`).
        case notAvailable
    }

    public var value: Value
    /// The cell: row as the sheet numbers it, column from 0 (A).
    public var row: Int
    public var column: Int

    public var number: Double? {
        if case let .number(number) = value { return number }
        return nil
    }
}

/// A row's figures by column name, kept as a short array in the order of the kind's columns (a state file has
/// 40,000 rows: a dictionary each would cost more than reading the file).
public struct RowFigures: Sendable, Hashable {
    let names: [String]
    var cells: [CellFigure?]

    init(names: [String]) {
        self.names = names
        cells = Array(repeating: nil, count: names.count)
    }

    public subscript(name: String) -> CellFigure? {
        get { names.firstIndex(of: name).flatMap { cells[$0] } }
        set { if let index = names.firstIndex(of: name) { cells[index] = newValue } }
    }

    subscript(position position: Int) -> CellFigure? {
        get { cells[position] }
        set { cells[position] = newValue }
    }
}

/// One column a data file's kind reads, by the header names BLS gives it.
struct Column: Sendable {
    var name: String
    var required: Bool
    /// Whether a header cell names this column (headers are compared trimmed and case-folded).
    var matches: @Sendable (String) -> Bool

    init(_ name: String, required: Bool = true, matches: (@Sendable (String) -> Bool)? = nil) {
        self.name = name
        self.required = required
        let folded = name.lowercased()
        self.matches = matches ?? { $0 == folded }
    }
}

/// A sheet's header row and where each column is, or why the sheet has none.
struct Header {
    var row: Int
    var indexes: [String: Int]

    /// The first row within the first few of `table` that holds every required column.
    static func find(_ columns: [Column], in table: Table, searchingRows limit: Int = 30) -> Header? {
        for row in table.rows.prefix(limit) {
            let cells = row.cells.map { normalized($0) }
            var indexes: [String: Int] = [:]
            for column in columns {
                if let index = cells.firstIndex(where: column.matches) { indexes[column.name] = index }
            }
            if columns.allSatisfy({ !$0.required || indexes[$0.name] != nil }) { return Header(row: row.number, indexes: indexes) }
        }
        return nil
    }

    /// A header cell as compared: spaces (line breaks in a wrapped header too) made one, trimmed, case-folded.
    static func normalized(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }).joined(separator: " ").lowercased()
    }
}

/// How the cells of BLS files are read.
enum CellReading {
    /// A SOC code as BLS writes it: `15-1252`.
    static func isCode(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 7, bytes[2] == UInt8(ascii: "-") else { return false }
        return bytes.enumerated().allSatisfy { $0.offset == 2 || (0x30...0x39).contains($0.element) }
    }

    /// A number (thousands separators allowed), a BLS mark, or nil for anything else.
    static func value(_ cell: String) -> CellFigure.Value? {
        // Most cells are whole numbers as a workbook stores them (wages, employment): read digit by digit.
        if !cell.isEmpty, cell.utf8.count <= 15 {
            var whole = 0
            var digits = true
            for byte in cell.utf8 {
                guard (0x30...0x39).contains(byte) else {
                    digits = false
                    break
                }
                whole = whole * 10 + Int(byte - 0x30)
            }
            if digits { return .number(Double(whole)) }
        }
        if !cell.isEmpty, cell.utf8.count < 32, cell.utf8.allSatisfy({ (0x30...0x39).contains($0) || $0 == 0x2E || $0 == 0x2D }),
           let number = Double(cell), number.isFinite {
            return .number(number)
        }
        let text = cell.trimmingSpaces
        switch text {
        case "*", "**", "~", "-", "—", "–", "": return .notAvailable
        case "#": return .atLeast
        default: break
        }
        if text.hasPrefix(">=") || text.hasPrefix("≥") { return .atLeast }
        var digits = text.replacingOccurrences(of: ",", with: "")
        if digits.hasPrefix("$") { digits.removeFirst() }
        guard digits.utf8.count <= 40, digits.utf8.allSatisfy({ (0x30...0x39).contains($0) || $0 == 0x2E || $0 == 0x2D || $0 == 0x45 || $0 == 0x65 || $0 == 0x2B }),
              let number = Double(digits), number.isFinite, abs(number) < 1e15 else { return nil }
        return .number(number)
    }
}

extension String {
    var trimmingSpaces: String {
        // Most cells have no space at either end.
        if let first = utf8.first, let last = utf8.last, first > 0x20, first < 0x80, last > 0x20, last < 0x80 { return self }
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}

extension DataDeclaration {
    /// Where a cell of this file is, for messages: its row and column (1 for A).
    func location(row: Int?, column: Int? = nil) -> SourceLocation {
        SourceLocation(file: file, line: row, column: column.map { $0 + 1 })
    }

    /// `column H_MEDIAN (W)`: how messages name a column.
    static func columnName(_ header: String, _ index: Int) -> String {
        "column \(header) (\(Table.columnName(index)))"
    }
}

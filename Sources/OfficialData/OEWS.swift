import Foundation
import Content
import Diagnostics
import Tables

/// An OEWS file (national or state, as BLS publishes them): employment and wages by occupation,
/// with the columns named as in the survey's field descriptions.
public struct OEWSTable: Sendable, Hashable {
    public struct Row: Sendable, Hashable {
        public var code: String
        public var title: String
        /// `detailed`, `broad`, `minor`, `major`, `total`; empty where the file has no O_GROUP.
        public var group: String
        /// The state's name and postal code (state files).
        public var area: String
        public var state: String
        public var row: Int
        /// Figures by column name: TOT_EMP, A_MEDIAN, A_PCT10, ..., H_MEDIAN, LOC_QUOTIENT.
        public var figures: RowFigures
    }

    public var rows: [Row]
    /// The header row's cells, trimmed.
    public var headers: [String] = []
    /// The annual wage a `#` stands for ("$239,200 or more"), when the workbook's notes say it.
    public var topCodedAnnual: Double?

    /// The wage and employment columns read, all optional but A_MEDIAN.
    static let figureColumns = ["TOT_EMP", "H_MEDIAN", "A_PCT10", "A_PCT25", "A_MEDIAN", "A_PCT75", "A_PCT90", "LOC_QUOTIENT"]

    static func columns(state: Bool) -> [Column] {
        var columns = [Column("OCC_CODE"), Column("OCC_TITLE"), Column("O_GROUP", required: false), Column("I_GROUP", required: false),
                       Column("AREA_TITLE", required: state), Column("PRIM_STATE", required: state)]
        for name in figureColumns {
            columns.append(Column(name, required: name == "A_MEDIAN" || name == "TOT_EMP" || (state && name == "LOC_QUOTIENT")))
        }
        return columns
    }

    /// The rows of the sheet that has the OEWS columns; located errors for a sheet without them, a code that is not
    /// NN-NNNN, or a figure that is neither a number nor one of BLS's marks (`*`, `**`, `#`).
    static func read(_ sheets: [Table], declaration: DataDeclaration, into diagnostics: inout [Diagnostic]) -> OEWSTable? {
        let state = declaration.kind == .oewsState
        let columns = columns(state: state)
        guard let (sheet, header) = sheets.lazy.compactMap({ sheet in Header.find(columns, in: sheet).map { (sheet, $0) } }).first else {
            let wanted = columns.filter(\.required).map(\.name).joined(separator: ", ")
            diagnostics.append(.error(.dataColumn, at: declaration.location(row: 1),
                                      "no sheet of this file has the columns an \(declaration.kind.rawValue) file needs: \(wanted)",
                                      hint: "use the file as BLS publishes it (\(state ? "state_M2025_dl.xlsx" : "national_M2025_dl.xlsx")), or check `kind:` in guidegen.yml"))
            return nil
        }
        // The notes are on the other sheets (Field Descriptions); a CSV file has none.
        var table = OEWSTable(rows: [], topCodedAnnual: topCodedAnnual(in: sheets.filter { $0 != sheet }))
        table.headers = sheet.rows.first { $0.number == header.row }?.cells.map(\.trimmingSpaces) ?? []
        let index = header.indexes
        let codeColumn = index["OCC_CODE"]!, titleColumn = index["OCC_TITLE"]!
        let (groupColumn, industryColumn, areaColumn, stateColumn) = (index["O_GROUP"], index["I_GROUP"], index["AREA_TITLE"], index["PRIM_STATE"])
        let figureColumns = Self.figureColumns.map { index[$0] }
        var errors = 0
        table.rows.reserveCapacity(sheet.rows.count)
        for row in sheet.rows where row.number > header.row {
            let code = row[codeColumn].trimmingSpaces
            if code.isEmpty, row.cells.allSatisfy({ $0.trimmingSpaces.isEmpty || CellReading.value($0) == nil }) { continue }
            if let industryColumn, !row[industryColumn].isEmpty, row[industryColumn] != "cross-industry", row[industryColumn].lowercased() != "cross-industry" { continue }
            guard CellReading.isCode(code) else {
                errors += 1
                if errors <= Diagnostic.shownOfOneKind {
                    diagnostics.append(.error(.dataValue, at: declaration.location(row: row.number, column: codeColumn),
                                              "\(DataDeclaration.columnName("OCC_CODE", codeColumn)) holds `\(code.prefix(40))`, not an occupation code like 15-1252",
                                              hint: "occupation codes are two digits, a hyphen and four digits; check that the row was not edited"))
                }
                continue
            }
            var figures = RowFigures(names: Self.figureColumns)
            for (position, column) in figureColumns.enumerated() {
                guard let column else { continue }
                guard let value = CellReading.value(row[column]) else {
                    errors += 1
                    if errors <= Diagnostic.shownOfOneKind {
                        let name = Self.figureColumns[position]
                        diagnostics.append(.error(.dataValue, at: declaration.location(row: row.number, column: column),
                                                  "\(DataDeclaration.columnName(name, column)) of \(code) holds `\(row[column].prefix(40))`, not a number or one of BLS's marks (*, **, #)",
                                                  hint: "use the file as BLS publishes it; a figure is a number, `*` or `**` where none is published, or `#` for a wage above the top code"))
                    }
                    continue
                }
                figures[position: position] = CellFigure(value: value, row: row.number, column: column)
            }
            let group = groupColumn.map { row[$0] } ?? ""
            table.rows.append(Row(code: code, title: row[titleColumn].trimmingSpaces, group: group == group.lowercased() ? group : group.lowercased(),
                                  area: areaColumn.map { row[$0].trimmingSpaces } ?? "", state: stateColumn.map { row[$0].trimmingSpaces } ?? "",
                                  row: row.number, figures: figures))
        }
        if errors > Diagnostic.shownOfOneKind {
            diagnostics.append(.error(.dataValue, at: declaration.location(row: nil), "\(errors - Diagnostic.shownOfOneKind) more cells of this file cannot be read",
                                      hint: "fix the ones above first; the file may not be in the layout BLS publishes"))
        }
        return table
    }

    /// The top-coded annual wage from a workbook's notes: the amount in "$239,200 per year" in a cell that also
    /// explains `#`.
    static func topCodedAnnual(in sheets: [Table]) -> Double? {
        for sheet in sheets {
            for row in sheet.rows {
                for cell in row.cells where cell.utf8.contains(UInt8(ascii: "#")) && cell.contains("per year") {
                    guard let end = cell.range(of: "per year") else { continue }
                    let before = cell[..<end.lowerBound]
                    guard let dollar = before.lastIndex(of: "$") else { continue }
                    let amount = before[before.index(after: dollar)...].filter { $0 != "," && !$0.isWhitespace }
                    if let value = Double(amount), value > 0, value < 1e9 { return value }
                }
            }
        }
        return nil
    }
}

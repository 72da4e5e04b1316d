import Content
import Diagnostics
import Foundation
import Tables

/// Employment Projections table 1.2, "Employment by detailed occupation", as BLS publishes it: a title row
/// (numbers in thousands), a header naming the years (`Employment, 2024`), one row per occupation
/// (line items and summaries, `00-0000` for all occupations), and footnotes.
public struct ProjectionTable: Sendable, Hashable {
    public struct Row: Sendable, Hashable {
        public var code: String
        public var title: String
        public var row: Int
        /// Figures by column name (`employment`, `projected`, `change`, `percent`, `openings`, `wage`), employment and
        /// openings as the file has them (in thousands when `scale` is 1000).
        public var figures: RowFigures
        /// Words by column name (`education`, `experience`, `training`) with their cells.
        public var words: [String: Word]
    }

    public struct Word: Sendable, Hashable {
        public var text: String
        public var column: Int
    }

    public var rows: [Row]
    /// The header row's cells, trimmed.
    public var headers: [String] = []
    /// The projection period: 2024...2034.
    public var period: ClosedRange<Int>
    /// What employment and openings are multiplied by (1000 when the title says "in thousands").
    public var scale: Double

    static let numberColumns = ["employment", "projected", "change", "percent", "openings", "wage"]
    static let wordColumns = ["education", "experience", "training"]

    static let columns: [Column] = [
        Column("title", matches: { $0.contains("title") && !$0.contains("type") }),
        Column("code", matches: { $0.hasSuffix("code") || $0.contains("matrix code") }),
        Column("employment", matches: { $0.hasPrefix("employment,") && !$0.contains("change") && !$0.contains("distribution") }),
        Column("percent", matches: { $0.contains("change") && $0.contains("percent") }),
        Column("change", required: false, matches: { $0.contains("change") && $0.contains("numeric") }),
        Column("openings", required: false, matches: { $0.contains("openings") }),
        Column("wage", required: false, matches: { $0.contains("median annual wage") }),
        Column("education", required: false, matches: { $0.contains("education needed for entry") }),
        Column("experience", required: false, matches: { $0.contains("work experience") }),
        Column("training", required: false, matches: { $0.contains("on-the-job training") }),
    ]

    static func read(_ sheets: [Table], declaration: DataDeclaration, into diagnostics: inout [Diagnostic]) -> ProjectionTable? {
        // occupation.xlsx holds tables 1.1 to 1.12, several with these columns: table 1.2 by its name, else the largest.
        let candidates = sheets.compactMap { sheet in Header.find(columns, in: sheet).map { (sheet, $0) } }
        let named = candidates.first { $0.0.name.lowercased().replacingOccurrences(of: " ", with: "") == "table1.2" }
        guard let (sheet, found) = named ?? candidates.max(by: { $0.0.rows.count < $1.0.rows.count }),
              let headerRow = sheet.rows.first(where: { $0.number == found.row }) else {
            diagnostics.append(.error(.dataColumn, at: declaration.location(row: 1),
                                      "no sheet of this file has the columns of Employment Projections table 1.2 (matrix title and code, employment in two years, percent change)",
                                      hint: "use occupation.xlsx as BLS publishes it (table 1.2, employment by detailed occupation), or check `kind:` in guidegen.yml"))
            return nil
        }
        var header = found
        // The two employment columns: the base year and the projected year, named by their years.
        let employment = headerRow.cells.indices.filter { columns[2].matches(Header.normalized(headerRow.cells[$0])) }
        let years = employment.compactMap { year(in: headerRow.cells[$0]) }
        guard employment.count >= 2, years.count == employment.count, years[0] < years[1] else {
            diagnostics.append(.error(.dataColumn, at: declaration.location(row: found.row),
                                      "the header does not name two employment columns with their years, like \"Employment, 2025\" and \"Employment, 2035\"",
                                      hint: "use occupation.xlsx as BLS publishes it"))
            return nil
        }
        header.indexes["employment"] = employment[0]
        header.indexes["projected"] = employment[1]
        let scale = sheet.rows.prefix(while: { $0.number < found.row }).contains { $0.cells.contains { $0.lowercased().contains("in thousands") } } ? 1000.0 : 1
        var table = ProjectionTable(rows: [], period: years[0]...years[1], scale: scale)
        table.headers = headerRow.cells.map(\.trimmingSpaces)
        var errors = 0
        func report(_ diagnostic: Diagnostic) {
            errors += 1
            if errors <= Diagnostic.shownOfOneKind { diagnostics.append(diagnostic) }
        }
        let index = header.indexes
        for row in sheet.rows where row.number > found.row {
            let code = row[index["code"]!].trimmingSpaces
            // Footnotes and notes under the table: text in one column and no code.
            if code.isEmpty { continue }
            guard CellReading.isCode(code) else {
                report(.error(.dataValue, at: declaration.location(row: row.number, column: index["code"]),
                              "\(DataDeclaration.columnName("code", index["code"]!)) holds `\(code.prefix(40))`, not an occupation code like 15-1252",
                              hint: "occupation codes are two digits, a hyphen and four digits; check that the row was not edited"))
                continue
            }
            var figures = RowFigures(names: numberColumns)
            for name in numberColumns {
                guard let column = index[name] else { continue }
                guard let value = CellReading.value(row[column]) else {
                    report(.error(.dataValue, at: declaration.location(row: row.number, column: column),
                                  "the \(name) cell of \(code) holds `\(row[column].prefix(40))`, not a number",
                                  hint: "use the file as BLS publishes it; figures are numbers, `—` where none is published"))
                    continue
                }
                figures[name] = CellFigure(value: value, row: row.number, column: column)
            }
            var words: [String: Word] = [:]
            for name in wordColumns {
                if let column = index[name], !row[column].trimmingSpaces.isEmpty { words[name] = Word(text: row[column].trimmingSpaces, column: column) }
            }
            table.rows.append(Row(code: code, title: row[index["title"]!].trimmingSpaces, row: row.number, figures: figures, words: words))
        }
        if errors > Diagnostic.shownOfOneKind {
            diagnostics.append(.error(.dataValue, at: declaration.location(row: nil), "\(errors - Diagnostic.shownOfOneKind) more cells of this file cannot be read",
                                      hint: "fix the ones above first; the file may not be in the layout BLS publishes"))
        }
        return table
    }

    /// The four-digit year in a header cell (`Employment, 2024`).
    static func year(in text: String) -> Int? {
        let digits = text.split(whereSeparator: { !$0.isNumber })
        return digits.compactMap { $0.count == 4 ? Int($0) : nil }.first
    }
}

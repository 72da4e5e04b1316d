/// Data files in the layouts BLS publishes (OEWS national and state files, Employment Projections
/// table 1.2), written as CSV from a few rows, for tests of the data stage and of sites that declare them.
public enum BLSFixtures {
    /// The OEWS columns, in the order of the May 2025 files.
    public static let oewsHeader = [
        "AREA", "AREA_TITLE", "AREA_TYPE", "PRIM_STATE", "NAICS", "NAICS_TITLE", "I_GROUP", "OWN_CODE", "OCC_CODE", "OCC_TITLE", "O_GROUP",
        "TOT_EMP", "EMP_PRSE", "JOBS_1000", "LOC_QUOTIENT", "PCT_TOTAL", "PCT_RPT", "H_MEAN", "A_MEAN", "MEAN_PRSE", "H_PCT10", "H_PCT25",
        "H_MEDIAN", "H_PCT75", "H_PCT90", "A_PCT10", "A_PCT25", "A_MEDIAN", "A_PCT75", "A_PCT90", "ANNUAL", "HOURLY",
    ]

    /// An OEWS file: one line per row, each a dictionary of the columns it sets (the rest empty); national rows
    /// get AREA 99, U.S., cross-industry unless they say otherwise.
    public static func oews(_ rows: [[String: String]], header: [String] = oewsHeader) -> String {
        let defaults = ["AREA": "99", "AREA_TITLE": "U.S.", "AREA_TYPE": "1", "PRIM_STATE": "US", "NAICS": "000000",
                        "NAICS_TITLE": "Cross-industry", "I_GROUP": "cross-industry", "OWN_CODE": "1235", "O_GROUP": "detailed"]
        var lines = [header.joined(separator: ",")]
        for row in rows {
            lines.append(header.map { csvField(row[$0] ?? defaults[$0] ?? "") }.joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// A state row of an OEWS state file.
    public static func stateRow(_ state: String, _ abbreviation: String, code: String, title: String, median: String,
                                employment: String = "1000", quotient: String = "1.00") -> [String: String] {
        ["AREA": "01", "AREA_TITLE": state, "AREA_TYPE": "2", "PRIM_STATE": abbreviation, "OCC_CODE": code, "OCC_TITLE": title,
         "TOT_EMP": employment, "LOC_QUOTIENT": quotient, "A_MEDIAN": median]
    }

    /// Employment Projections table 1.2 for `period` (2024...2034): the title row (in thousands), the header
    /// naming the years, the rows, and the footnotes under them.
    public static func projections(_ rows: [[String: String]], period: ClosedRange<Int> = 2024...2034) -> String {
        let (start, end) = (period.lowerBound, period.upperBound)
        let span = "\(start)–\(String(end).suffix(2))"
        let columns: [(String, String)] = [
            ("title", "\(start) National Employment Matrix title"), ("code", "\(start) National Employment Matrix code"), ("type", "Occupation type"),
            ("employment", "Employment, \(start)"), ("projected", "Employment, \(end)"),
            ("share", "Employment distribution, percent, \(start)"), ("share2", "Employment distribution, percent, \(end)"),
            ("change", "Employment change, numeric, \(span)"), ("percent", "Employment change, percent, \(span)"),
            ("self", "Percent self employed, \(start)"), ("openings", "Occupational openings, \(span) annual average"),
            ("wage", "Median annual wage, dollars, \(start)[1]"), ("education", "Typical education needed for entry"),
            ("experience", "Work experience in a related occupation"),
            ("training", "Typical on-the-job training needed to attain competency in the occupation"), ("ooh", "Related OOH content"),
        ]
        var lines = [csvField("Table 1.2 Occupational projections, \(start)–\(end), and worker characteristics, \(start) (Employment in thousands)")]
        lines.append(columns.map { csvField($0.1) }.joined(separator: ","))
        for row in rows {
            lines.append(columns.map { csvField(row[$0.0] ?? (["type": "Line item", "ooh": "—"][$0.0] ?? "")) }.joined(separator: ","))
        }
        lines += ["Footnotes:", csvField("[1] Data are from the Occupational Employment and Wage Statistics program."),
                  csvField("Note: Data is unavailable for values denoted with a \"—\"."), "Source: Employment Projections program"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// guidegen.yml's `data:` block declaring the three files at data/national.csv, data/state.csv, data/occupation.csv
    /// (those given).
    public static func declarations(national: Bool = true, state: Bool = true, projections: Bool = true) -> String {
        var text = "data:\n"
        if national {
            text += "  - {kind: oews-national, file: data/national.csv, release: OEWS May 2025, as_of: 2025-05-31, published: 2026-05-15, url: \"https://www.bls.gov/oes/tables.htm\"}\n"
        }
        if state {
            text += "  - {kind: oews-state, file: data/state.csv, release: OEWS May 2025, as_of: 2025-05-31, published: 2026-05-15, url: \"https://www.bls.gov/oes/tables.htm\"}\n"
        }
        if projections {
            text += "  - {kind: ep-occupations, file: data/occupation.csv, release: Employment Projections 2024-34, as_of: 2024-12-31, published: 2025-08-28, url: \"https://www.bls.gov/emp/tables.htm\"}\n"
        }
        return text
    }

    public static func csvField(_ text: String) -> String {
        text.contains(",") || text.contains("\"") || text.contains("\n") ? "\"" + text.replacingAll("\"", with: "\"\"") + "\"" : text
    }
}

extension String {
    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self { if character == target { result += replacement } else { result.append(character) } }
        return result
    }
}

import Content
import Diagnostics
import Foundation

/// One role's figures filled from the data: its salary, outlook and entry requirements, each checked
/// against what the writer typed, with the cell every figure came from.
struct RoleFilling {
    var page: Page
    let data: DataSet
    var occupation: Occupation?
    var diagnostics: [Diagnostic] = []
    var origins: [FigureOrigin] = []

    init(page: Page, data: DataSet) {
        self.page = page
        self.data = data
    }

    mutating func fill() {
        guard var role = page.role, let occupation else { return }
        role.occupation = occupation
        if let national = data.national, let row = data.nationalRow(occupation.code)?.row {
            role.salary = salary(from: row, national.declaration, typed: role.salary)
        }
        if let states = data.states {
            let rows = data.stateRows(occupation.code).compactMap { stateRow($0, states.declaration) }
            if !rows.isEmpty {
                let source = "U.S. Bureau of Labor Statistics, \(states.declaration.release), \(occupation.code) \(occupation.title) (by state, all industries)"
                role.stateWages = StateWages(rows: rows.sorted { $0.state < $1.state }, source: source, asOf: states.declaration.asOf)
            }
        }
        if let projections = data.projections, let row = data.projectionRow(occupation.code) {
            role.outlook = outlook(from: row, projections, typed: role.outlook)
            entryRequirements(from: row, projections.declaration, into: &role)
        }
        page.role = role
    }

    // MARK: Salary

    static let salaryColumns: [(Salary.Figure, String)] = [(.p10, "A_PCT10"), (.p25, "A_PCT25"), (.median, "A_MEDIAN"), (.p75, "A_PCT75"), (.p90, "A_PCT90")]

    mutating func salary(from row: OEWSTable.Row, _ declaration: DataDeclaration, typed: Salary?) -> Salary? {
        let topCode = data.national?.table.topCodedAnnual
        var values: [Salary.Figure: Double] = [:]
        var atLeast = Set<Salary.Figure>()
        for (figure, column) in Self.salaryColumns {
            guard let cell = row.figures[column] else { continue }
            switch cell.value {
            case let .number(number):
                values[figure] = number
                record(Self.field(figure), Self.money(number), declaration, cell)
            case .atLeast:
                guard let topCode else {
                    diagnostics.append(.error(.dataValue, at: declaration.location(row: cell.row, column: cell.column),
                                              "\(column) of \(row.code) is `#` (at or above the top-coded wage), and the file does not say what that wage is",
                                              hint: "use the .xlsx file as BLS publishes it: its notes give the top-coded amount"))
                    continue
                }
                values[figure] = topCode
                atLeast.insert(figure)
                record(Self.field(figure), Self.money(topCode) + " or more", declaration, cell)
            case .notAvailable:
                continue
            }
        }
        guard !values.isEmpty else { return typed }
        var salary = Salary(currency: "USD", source: "U.S. Bureau of Labor Statistics, \(declaration.release), \(row.code) \(row.title) (national, all industries)",
                            asOf: declaration.asOf)
        salary.country = "US"
        salary.median = values[.median]
        if values[.p10] != nil || values[.p25] != nil || values[.p75] != nil || values[.p90] != nil {
            salary.percentiles = Percentiles(p10: values[.p10], p25: values[.p25], p75: values[.p75], p90: values[.p90])
        }
        salary.atLeast = atLeast
        if let typed {
            compareSalary(typed, with: salary, declaration)
            salary.levels = typed.levels
            salary.hourly = typed.hourly
            if !typed.levels.isEmpty || typed.hourly != nil { salary.source += "; pay by level and hourly figures: \(typed.source)" }
        }
        return salary
    }

    mutating func compareSalary(_ typed: Salary, with filled: Salary, _ declaration: DataDeclaration) {
        if typed.currency != "USD" {
            mismatch("salary.currency", typed: typed.currency, file: "USD", declaration, origin: nil)
        }
        let pairs: [(Salary.Figure, Double?, Double?)] = [
            (.p10, typed.percentiles?.p10, filled.percentiles?.p10), (.p25, typed.percentiles?.p25, filled.percentiles?.p25),
            (.median, typed.median, filled.median), (.p75, typed.percentiles?.p75, filled.percentiles?.p75), (.p90, typed.percentiles?.p90, filled.percentiles?.p90),
        ]
        for (figure, typedValue, fileValue) in pairs {
            guard let typedValue, let fileValue, typedValue.rounded() != fileValue.rounded() else { continue }
            let field = Self.field(figure)
            mismatch(field, typed: Self.money(typedValue), file: Self.money(fileValue), declaration, origin: origins.last { $0.field == field })
        }
    }

    /// How the front matter names a pay figure: `salary.median`, `salary.percentiles.p10`.
    static func field(_ figure: Salary.Figure) -> String {
        "salary." + (figure == .median ? "median" : "percentiles.\(figure.rawValue)")
    }

    // MARK: Pay by state

    func stateRow(_ row: OEWSTable.Row, _ declaration: DataDeclaration) -> StateWages.Row? {
        guard !row.area.isEmpty else { return nil }
        let median = row.figures["A_MEDIAN"]
        var amount = median?.number
        var atLeast = false
        if median?.value == .atLeast {
            // At or above the top-coded wage: its amount when the workbook's notes give it, else only that it is.
            amount = data.states?.table.topCodedAnnual ?? data.national?.table.topCodedAnnual
            atLeast = true
        }
        return StateWages.Row(state: row.area, abbreviation: row.state, median: amount, medianAtLeast: atLeast,
                              employment: row.figures["TOT_EMP"]?.number, locationQuotient: row.figures["LOC_QUOTIENT"]?.number)
    }

    // MARK: Outlook

    mutating func outlook(from row: ProjectionTable.Row, _ projections: DataSet.Projections, typed: Outlook?) -> Outlook? {
        let table = projections.table, declaration = projections.declaration
        let period = "\(table.period.lowerBound)-\(String(table.period.upperBound).suffix(2))"
        // The occupation's title as the OEWS file writes it where there is one (table 1.2 writes "Software developers").
        let title = occupation?.code == row.code ? occupation?.title ?? row.title : row.title
        var outlook = Outlook(source: "U.S. Bureau of Labor Statistics, Employment Projections \(period), \(row.code) \(title)", asOf: declaration.asOf)
        outlook.period = table.period
        func take(_ column: String, field: String, scale: Double = 1, format: (Double) -> String) -> Double? {
            guard let cell = row.figures[column], let number = cell.number else { return nil }
            record(field, format(number * scale), declaration, cell)
            return number * scale
        }
        outlook.employment = take("employment", field: "outlook.employment", scale: table.scale, format: Self.count)
        outlook.projectedEmployment = take("projected", field: "outlook.projected_employment", scale: table.scale, format: Self.count)
        outlook.growth = take("percent", field: "outlook.growth", format: { Self.decimal($0) + "%" })
        outlook.openings = take("openings", field: "outlook.openings", scale: table.scale, format: Self.count)
        if outlook.growth == nil && outlook.employment == nil { return typed }
        if let all = data.projectionRow("00-0000")?.figures["percent"]?.number { outlook.allOccupationsGrowth = all }
        if let growth = outlook.growth { outlook.band = OutlookBands.band(growth: growth, period: table.period) }
        if let typed {
            let pairs: [(String, Double?, Double?, (Double) -> String, Double)] = [
                ("outlook.growth", typed.growth, outlook.growth, { Self.decimal($0) + "%" }, 0.05),
                ("outlook.employment", typed.employment, outlook.employment, Self.count, 0.5),
                ("outlook.projected_employment", typed.projectedEmployment, outlook.projectedEmployment, Self.count, 0.5),
                ("outlook.openings", typed.openings, outlook.openings, Self.count, 0.5),
            ]
            for (field, typedValue, fileValue, format, tolerance) in pairs {
                guard let typedValue, let fileValue, abs(typedValue - fileValue) > tolerance else { continue }
                mismatch(field, typed: format(typedValue), file: format(fileValue), declaration, origin: origins.last { $0.field == field })
            }
        }
        return outlook
    }

    // MARK: Entry requirements

    mutating func entryRequirements(from row: ProjectionTable.Row, _ declaration: DataDeclaration, into role: inout RoleData) {
        if let word = row.words["education"], let education = EntryEducation(blsWording: word.text) {
            record("entry_education", word.text, declaration, row: row.row, column: word.column)
            if let typed = role.entryEducation, typed != education {
                mismatch("entry_education", typed: typed.rawValue, file: education.rawValue, declaration, origin: origins.last)
            }
            role.entryEducation = education
        }
        if let word = row.words["experience"], let experience = EntryExperience(blsWording: word.text) {
            record("entry_experience", word.text, declaration, row: row.row, column: word.column)
            if let typed = role.entryExperience, typed != experience {
                mismatch("entry_experience", typed: typed.rawValue, file: experience.rawValue, declaration, origin: origins.last)
            }
            role.entryExperience = experience
        }
        if let word = row.words["training"] {
            record("training", word.text, declaration, row: row.row, column: word.column)
            role.training = word.text
        }
    }

    // MARK: Records and messages

    mutating func record(_ field: String, _ value: String, _ declaration: DataDeclaration, _ cell: CellFigure) {
        record(field, value, declaration, row: cell.row, column: cell.column)
    }

    mutating func record(_ field: String, _ value: String, _ declaration: DataDeclaration, row: Int, column: Int) {
        let header = data.header(of: declaration.kind, column: column)
        origins.append(FigureOrigin(field: field, value: value, file: declaration.file, row: row, column: column, header: header))
    }

    mutating func mismatch(_ field: String, typed: String, file: String, _ declaration: DataDeclaration, origin: FigureOrigin?) {
        let top = String(field.split(separator: ".").first ?? "")
        let place = origin.map { "\($0.file):\($0.row):\($0.column + 1)" } ?? declaration.file
        diagnostics.append(.error(.figureMismatch, at: page.location(ofField: top) ?? SourceLocation(file: page.source, line: 1, column: 1),
                                  "`\(field)` is \(typed) here, but \(file) in \(declaration.release) (\(place))",
                                  hint: "remove `\(field)`: the role's occupation_code fills it from \(declaration.file); or, if the file is the wrong release, declare the right one"))
    }

    static func money(_ value: Double) -> String {
        "$" + count(value)
    }

    static func count(_ value: Double) -> String {
        let whole = Int(value.rounded())
        let digits = String(abs(whole))
        var grouped = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return (whole < 0 ? "-" : "") + grouped
    }

    static func decimal(_ value: Double) -> String {
        String(format: "%.1f", value)
    }
}

extension EntryEducation {
    /// BLS's wording in Employment Projections (`Bachelor's degree`, `High school diploma or equivalent`).
    init?(blsWording text: String) {
        let words = text.lowercased().replacingOccurrences(of: "’", with: "'")
        let table: [(String, EntryEducation)] = [
            ("no formal", .none), ("high school", .highSchool), ("postsecondary nondegree", .postsecondaryNondegree),
            ("some college", .someCollege), ("associate", .associate), ("bachelor", .bachelor), ("master", .master), ("doctoral", .doctoral),
        ]
        guard let match = table.first(where: { words.hasPrefix($0.0) }) else { return nil }
        self = match.1
    }
}

extension EntryExperience {
    /// BLS's wording in Employment Projections (`None`, `Less than 5 years`, `5 years or more`).
    init?(blsWording text: String) {
        switch text.lowercased() {
        case "none": self = .none
        case "less than 5 years": self = .underFiveYears
        case "5 years or more": self = .fiveYearsOrMore
        default: return nil
        }
    }
}

import Content
import Diagnostics
import Markdown
@testable import OfficialData
import Testing
import TestSupport

@Suite struct FigureFillTests {
    static let national = BLSFixtures.oews([
        ["OCC_CODE": "00-0000", "OCC_TITLE": "All Occupations", "O_GROUP": "total", "TOT_EMP": "155495730", "A_MEDIAN": "50980"],
        ["OCC_CODE": "15-1200", "OCC_TITLE": "Computer Occupations", "O_GROUP": "minor", "TOT_EMP": "5000000", "A_MEDIAN": "110000"],
        softwareDevelopers,
        ["OCC_CODE": "11-3021", "OCC_TITLE": "Computer and Information Systems Managers", "TOT_EMP": "670570",
         "A_PCT10": "107550", "A_MEDIAN": "175140", "A_PCT90": "#"],
    ])
    static let projections = BLSFixtures.projections([
        ["title": "Total, all occupations", "code": "00-0000", "type": "Summary", "employment": "169,956.1", "projected": "175,167.9", "percent": "3.1"],
        ["title": "Software developers", "code": "15-1252", "employment": "1,693.8", "projected": "1,961.4", "percent": "15.8", "openings": "115.2",
         "education": "Bachelor's degree", "experience": "None", "training": "None"],
    ])
    static let states = BLSFixtures.oews([
        BLSFixtures.stateRow("California", "CA", code: "15-1252", title: "Software Developers", median: "173780", employment: "150000", quotient: "1.40"),
        BLSFixtures.stateRow("Alabama", "AL", code: "15-1252", title: "Software Developers", median: "#"),
        BLSFixtures.stateRow("Alabama", "AL", code: "15-1254", title: "Web Developers", median: "70000"),
    ])

    static func role(_ slug: String, _ frontMatter: String) -> PageBox {
        let text = "---\ntitle: \"\(slug)\"\ncategory: \"Software\"\n\(frontMatter)\n---\nText.\n"
        let (page, problems) = PageParser.parse(text: text, source: "content/roles/\(slug).md", path: "roles/\(slug).md", options: MarkdownOptions())
        precondition(problems.isEmpty, "\(problems)")
        return PageBox(page!)
    }

    func fill(_ boxes: [PageBox], files: [String: String] = ["data/n.csv": national, "data/o.csv": projections, "data/s.csv": states],
              memo: inout FillMemo) throws -> FigureFill.Result {
        let folder = try DataFolder(files)
        var declarations = [declaration(.oewsNational, "data/n.csv"), declaration(.epOccupations, "data/o.csv"), declaration(.oewsState, "data/s.csv")]
        declarations.removeAll { files[$0.file] == nil }
        let (data, problems, _) = DataSet.read(declarations, siteDirectory: folder.directory)
        #expect(problems.isEmpty, "\(problems)")
        return FigureFill.apply(data, to: boxes, memo: &memo)
    }

    @Test func aRoleNamingItsOccupationGetsEveryFigureWithItsCell() throws {
        var memo = FillMemo()
        let result = try fill([Self.role("backend", "occupation_code: \"15-1252.00\"")], memo: &memo)
        #expect(result.diagnostics.isEmpty)
        let role = try #require(result.boxes[0].page.role)
        let salary = try #require(role.salary)
        #expect(salary.median == 135980 && salary.percentiles == Percentiles(p10: 82460, p25: 105210, p75: 171980, p90: 214670))
        #expect(salary.currency == "USD" && salary.asOf == "2025-05-31")
        #expect(salary.source.contains("OEWS May 2025") && salary.source.contains("15-1252 Software Developers"))
        let outlook = try #require(role.outlook)
        #expect(outlook.growth == 15.8 && outlook.employment == 1_693_800 && outlook.openings == 115_200 && outlook.period == 2024...2034)
        #expect(outlook.allOccupationsGrowth == 3.1)
        #expect(role.entryEducation == .bachelor && role.entryExperience == EntryExperience.none && role.training == "None")
        #expect(role.occupation == Occupation(code: "15-1252", title: "Software Developers"))
        #expect(role.stateWages?.rows.map(\.abbreviation) == ["AL", "CA"])
        #expect(role.stateWages?.rows.last?.locationQuotient == 1.40)
        let origins = try #require(result.origins["content/roles/backend.md"])
        #expect(origins.contains(FigureOrigin(field: "salary.median", value: "$135,980", file: "data/n.csv", row: 4, column: 27, header: "A_MEDIAN")))
        #expect(origins.contains { $0.field == "outlook.growth" && $0.value == "15.8%" && $0.file == "data/o.csv" && $0.row == 4 })
    }

    @Test func aTypedFigureTheFileHoldsMustAgree() throws {
        var memo = FillMemo()
        let typed = """
        occupation_code: "15-1252"
        salary: {currency: USD, median: 133080, levels: [{level: Entry, min: 70000, max: 90000}], source: "Typed levels", as_of: 2024-05-31}
        outlook: {growth: 15.8, period: "2024-2034", source: "Typed", as_of: 2025-08-28}
        """
        let result = try fill([Self.role("backend", typed)], memo: &memo)
        #expect(result.diagnostics.map(\.code) == [.figureMismatch])
        let problem = try #require(result.diagnostics.first)
        #expect(problem.location.description == "content/roles/backend.md:5:9")
        #expect(problem.message.contains("$133,080") && problem.message.contains("$135,980") && problem.message.contains("data/n.csv:4:28"))
        // Figures no file holds stay, with their own source said.
        let salary = try #require(result.boxes[0].page.role?.salary)
        #expect(salary.levels.count == 1 && salary.source.contains("Typed levels"))
    }

    @Test func rolesSharingAnOccupationKnowEachOther() throws {
        var memo = FillMemo()
        let result = try fill([Self.role("api", "occupation_code: \"15-1252\""), Self.role("backend", "occupation_code: \"15-1252\""),
                               Self.role("manager", "occupation_code: \"11-3021\"")], memo: &memo)
        #expect(result.boxes[0].page.role?.occupation?.sharedWith == [Occupation.SharedRole(slug: "backend", title: "backend")])
        #expect(result.boxes[1].page.role?.occupation?.sharedWith.map(\.slug) == ["api"])
        #expect(result.boxes[2].page.role?.occupation?.sharedWith == [])
    }

    @Test func aTopCodedWageNeedsTheAmountFromTheNotes() throws {
        var memo = FillMemo()
        // A CSV has no notes sheet: the `#` cannot be read as an amount, and says so at its cell.
        let result = try fill([Self.role("manager", "occupation_code: \"11-3021\"")], memo: &memo)
        #expect(result.diagnostics.map(\.location.description) == ["data/n.csv:5:30"])
        #expect(result.boxes[0].page.role?.salary?.percentiles?.p90 == nil)
        #expect(result.boxes[0].page.role?.salary?.median == 175140)
    }

    @Test func aCodeNotInTheFilesUsesItsGroupOrIsAnError() throws {
        var memo = FillMemo()
        let result = try fill([Self.role("architect", "occupation_code: \"15-1299.08\""), Self.role("nurse", "occupation_code: \"29-1141\"")], memo: &memo)
        let occupation = try #require(result.boxes[0].page.role?.occupation)
        #expect(occupation.code == "15-1200" && occupation.isBroaderGroup)
        #expect(result.diagnostics.map(\.code) == [.unknownOccupation])
        #expect(result.diagnostics.first?.location.file == "content/roles/nurse.md")
    }

    @Test func anUnchangedRoleKeepsItsBoxUntilTheDataChanges() throws {
        var memo = FillMemo()
        let boxes = [Self.role("backend", "occupation_code: \"15-1252\""), Self.role("plain", "")]
        let first = try fill(boxes, memo: &memo)
        let second = try fill(boxes, memo: &memo)
        #expect(first.boxes[0] === second.boxes[0] && first.boxes[0] !== boxes[0])
        #expect(second.boxes[1] === boxes[1], "a page without an occupation passes through")
        memo.dataChanged()
        let third = try fill(boxes, memo: &memo)
        #expect(third.boxes[0] !== second.boxes[0] && third.boxes[0].page == second.boxes[0].page)
    }
}

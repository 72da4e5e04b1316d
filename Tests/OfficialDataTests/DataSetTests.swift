import Content
import Diagnostics
import Foundation
@testable import OfficialData
import Tables
import Testing
import TestSupport

/// A site folder with data files, removed when the test ends.
final class DataFolder {
    let directory = NSTemporaryDirectory() + "guidegen-data-" + UUID().uuidString

    init(_ files: [String: String]) throws {
        for (path, text) in files {
            let full = directory + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }
}

func declaration(_ kind: DataDeclaration.Kind, _ file: String) -> DataDeclaration {
    DataDeclaration(kind: kind, file: file, release: kind == .epOccupations ? "Employment Projections 2024-34" : "OEWS May 2025",
                    asOf: "2025-05-31", published: "2026-05-15", url: "https://www.bls.gov/", location: SourceLocation(file: "guidegen.yml", line: 3, column: 5))
}

let softwareDevelopers: [String: String] = [
    "OCC_CODE": "15-1252", "OCC_TITLE": "Software Developers", "TOT_EMP": "1687890", "H_MEDIAN": "65.38",
    "A_PCT10": "82460", "A_PCT25": "105210", "A_MEDIAN": "135980", "A_PCT75": "171980", "A_PCT90": "214670",
]

@Suite struct DataSetTests {
    func read(_ files: [String: String], _ declarations: [DataDeclaration]) throws -> (DataSet, [Diagnostic]) {
        let folder = try DataFolder(files)
        let (set, diagnostics, _) = DataSet.read(declarations, siteDirectory: folder.directory)
        return (set, diagnostics)
    }

    @Test func nationalRowsByCodeWithTheirCells() throws {
        let csv = BLSFixtures.oews([
            ["OCC_CODE": "00-0000", "OCC_TITLE": "All Occupations", "O_GROUP": "total", "TOT_EMP": "155495730", "A_MEDIAN": "50980"],
            ["OCC_CODE": "15-1250", "OCC_TITLE": "Software and Web Developers, Programmers, and Testers", "O_GROUP": "broad", "TOT_EMP": "2100000", "A_MEDIAN": "130000"],
            softwareDevelopers,
        ])
        let (set, diagnostics) = try read(["data/national.csv": csv], [declaration(.oewsNational, "data/national.csv")])
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let (row, broader) = try #require(set.nationalRow("15-1252"))
        #expect(!broader && row.title == "Software Developers" && row.row == 4)
        #expect(row.figures["A_MEDIAN"] == CellFigure(value: .number(135980), row: 4, column: 27))
        // A code the file lacks falls back to the smallest group it has.
        let (group, isGroup) = try #require(set.nationalRow("15-1259"))
        #expect(isGroup && group.code == "15-1250")
        #expect(set.nationalRow("29-1141") == nil)
    }

    @Test func anOccupationPublishedOnlyAtItsBroadLevelIsNotADuplicate() throws {
        var broad = softwareDevelopers
        broad["O_GROUP"] = "broad"
        broad["A_MEDIAN"] = "1"
        let (set, diagnostics) = try read(["data/n.csv": BLSFixtures.oews([broad, softwareDevelopers])], [declaration(.oewsNational, "data/n.csv")])
        #expect(diagnostics.isEmpty)
        #expect(set.nationalRow("15-1252")?.row.figures["A_MEDIAN"]?.number == 135980, "the detailed row is the occupation's")
        let (_, twice) = try read(["data/n.csv": BLSFixtures.oews([softwareDevelopers, softwareDevelopers])], [declaration(.oewsNational, "data/n.csv")])
        #expect(twice.map(\.location.description) == ["data/n.csv:3"])
    }

    @Test func badCellsAreErrorsAtTheirRowAndColumn() throws {
        var badCode = softwareDevelopers
        badCode["OCC_CODE"] = "151252"
        var badNumber = softwareDevelopers
        badNumber["OCC_CODE"] = "15-1254"
        badNumber["A_PCT90"] = "about 200k"
        let (_, diagnostics) = try read(["data/n.csv": BLSFixtures.oews([badCode, badNumber])], [declaration(.oewsNational, "data/n.csv")])
        #expect(diagnostics.map(\.location.description) == ["data/n.csv:2:9", "data/n.csv:3:30"])
        #expect(diagnostics.allSatisfy { $0.severity == .error && $0.code == .dataValue })
        #expect(diagnostics[0].message.contains("OCC_CODE (I)") && diagnostics[0].message.contains("151252"))
        #expect(diagnostics[1].message.contains("A_PCT90 (AD)") && diagnostics[1].message.contains("about 200k"))
    }

    @Test func marksAreReadAsBLSDefinesThem() throws {
        var marked = softwareDevelopers
        marked["A_PCT10"] = "*"
        marked["TOT_EMP"] = "**"
        marked["A_PCT90"] = "#"
        let (set, diagnostics) = try read(["data/n.csv": BLSFixtures.oews([marked])], [declaration(.oewsNational, "data/n.csv")])
        #expect(diagnostics.isEmpty)
        let figures = try #require(set.nationalRow("15-1252")).row.figures
        #expect(figures["A_PCT10"]?.value == .notAvailable && figures["TOT_EMP"]?.value == .notAvailable && figures["A_PCT90"]?.value == .atLeast)
    }

    @Test func aFileWithoutItsKindsColumnsIsAnErrorAtItsDeclaration() throws {
        let header = BLSFixtures.oewsHeader.filter { $0 != "A_MEDIAN" }
        let (_, diagnostics) = try read(["data/n.csv": BLSFixtures.oews([softwareDevelopers], header: header)], [declaration(.oewsNational, "data/n.csv")])
        #expect(diagnostics.map(\.code) == [.dataColumn])
        #expect(diagnostics.first?.location.description == "data/n.csv:1")
        #expect(diagnostics.first?.message.contains("A_MEDIAN") == true)
        let (_, wrongKind) = try read(["data/n.csv": BLSFixtures.oews([softwareDevelopers])], [declaration(.epOccupations, "data/n.csv")])
        #expect(wrongKind.map(\.code) == [.dataColumn])
    }

    @Test func missingAndOutsideFilesAreErrors() throws {
        let folder = try DataFolder(["data/.keep": ""])
        let outside = NSTemporaryDirectory() + "guidegen-outside-" + UUID().uuidString + ".csv"
        try BLSFixtures.oews([softwareDevelopers]).write(toFile: outside, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: outside) }
        try FileManager.default.createSymbolicLink(atPath: folder.directory + "/data/link.csv", withDestinationPath: outside)
        let (set, diagnostics, _) = DataSet.read([declaration(.oewsNational, "data/none.csv"), declaration(.oewsState, "data/link.csv")],
                                                 siteDirectory: folder.directory)
        #expect(set.isEmpty)
        #expect(diagnostics.count == 2 && diagnostics.allSatisfy { $0.severity == .error })
        #expect(diagnostics.contains { $0.message.contains("does not exist") })
        #expect(diagnostics.contains { $0.code == .symlinkOutside })
    }

    @Test func projectionsFindTheirHeaderYearsAndThousands() throws {
        let csv = BLSFixtures.projections([
            ["title": "Total, all occupations", "code": "00-0000", "type": "Summary", "employment": "169,956.1", "projected": "175,167.9", "percent": "3.1", "openings": "18,863.3"],
            ["title": "  Software developers", "code": "15-1252", "employment": "1,693.8", "projected": "1,961.4", "change": "267.7", "percent": "15.8",
             "openings": "115.2", "wage": "133080", "education": "Bachelor's degree", "experience": "None", "training": "None"],
            ["title": "  Data scientists", "code": "15-2051", "employment": "—", "projected": "—", "percent": "—", "wage": ">=$239,200"],
        ])
        let (set, diagnostics) = try read(["data/o.csv": csv], [declaration(.epOccupations, "data/o.csv")])
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let table = try #require(set.projections?.table)
        #expect(table.period == 2024...2034 && table.scale == 1000)
        let row = try #require(set.projectionRow("15-1252"))
        #expect(row.title == "Software developers" && row.row == 4)
        #expect(row.figures["employment"]?.number == 1693.8 && row.figures["percent"]?.number == 15.8)
        #expect(row.words["education"]?.text == "Bachelor's degree")
        #expect(set.projectionRow("15-2051")?.figures["wage"]?.value == .atLeast)
        #expect(set.projectionRow("15-2051")?.figures["percent"]?.value == .notAvailable)
    }

    @Test func anUnchangedFileIsNotParsedAgain() throws {
        let folder = try DataFolder(["data/n.csv": BLSFixtures.oews([softwareDevelopers])])
        let declarations = [declaration(.oewsNational, "data/n.csv")]
        let (_, _, first) = DataSet.read(declarations, siteDirectory: folder.directory)
        #expect(first.parsed == 1)
        let (again, _, second) = DataSet.read(declarations, siteDirectory: folder.directory, memo: first)
        #expect(second.parsed == 0 && again.nationalRow("15-1252") != nil)
        var changed = softwareDevelopers
        changed["A_MEDIAN"] = "140000"
        try BLSFixtures.oews([changed]).write(toFile: folder.directory + "/data/n.csv", atomically: true, encoding: .utf8)
        let (third, _, memo) = DataSet.read(declarations, siteDirectory: folder.directory, memo: second)
        #expect(memo.parsed == 1 && third.nationalRow("15-1252")?.row.figures["A_MEDIAN"]?.number == 140000)
    }
}

@Suite struct LargeStateFileTests {
    /// A state file of 40,000 rows (about the size of OEWS May 2025's): every row read, each occupation's states found.
    @Test func aFortyThousandRowStateFile() throws {
        var rows: [[String: String]] = []
        rows.reserveCapacity(40_000)
        for index in 0..<40_000 {
            let state = index % 50
            let code = String(format: "%02d-%04d", 11 + (index / 50) % 40, (index / 2000) * 10 + 1000)
            rows.append(BLSFixtures.stateRow("State \(state)", "S\(state)", code: code, title: "Occupation \(code)",
                                             median: index % 97 == 0 ? "#" : index % 89 == 0 ? "*" : String(40000 + index % 90000)))
        }
        let folder = try DataFolder(["data/state.csv": BLSFixtures.oews(rows)])
        let (set, diagnostics, _) = DataSet.read([declaration(.oewsState, "data/state.csv")], siteDirectory: folder.directory)
        #expect(diagnostics.isEmpty)
        #expect(set.states?.table.rows.count == 40_000)
        let code = String(format: "%02d-%04d", 11, 1000)
        #expect(set.stateRows(code).count == 50)
        #expect(set.stateRows(code).first?.figures["A_MEDIAN"]?.value == .atLeast, "row 0 is top-coded")
    }
}

@Suite struct ProjectionSheetTests {
    /// occupation.xlsx holds tables 1.1 to 1.12, and table 1.1 (major groups) has the same columns as 1.2: the
    /// detailed occupations are read from the sheet named "Table 1.2".
    @Test func tableOneTwoIsTheSheetRead() throws {
        let groups = BLSFixtures.projections([["title": "Computer and mathematical", "code": "15-0000", "employment": "5000", "projected": "5500", "percent": "10"]])
        let detailed = BLSFixtures.projections([["title": "Software developers", "code": "15-1252", "employment": "1693.8", "projected": "1961.4", "percent": "15.8"]])
        var first = try CSVReader.read(Array(groups.utf8) + Array("a,b\n".utf8))
        first.name = "Table 1.1"
        var second = try CSVReader.read(Array(detailed.utf8))
        second.name = "Table 1.2"
        var problems: [Diagnostic] = []
        let table = try #require(ProjectionTable.read([first, second], declaration: declaration(.epOccupations, "data/o.xlsx"), into: &problems))
        #expect(problems.isEmpty)
        #expect(table.rows.map(\.code) == ["15-1252"])
    }
}

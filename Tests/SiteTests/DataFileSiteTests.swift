import Foundation
import Site
import Testing
import TestSupport

/// Sites that declare data files, built whole.
@Suite struct DataFileSiteTests {
    /// The fixture's backend developer with its figures typed (as the fixture has them), and the same role with
    /// the same figures read from data files instead: the pages must be the same but for the lines that say where
    /// the figures come from.
    @Test func aRoleFromADataFileEqualsTheSameFiguresTyped() throws {
        let typed = try TempSite(copying: "basic")
        let filled = try TempSite(copying: "basic")
        try filled.write("data/national.csv", BLSFixtures.oews([
            ["OCC_CODE": "15-1252", "OCC_TITLE": "Software Developers", "TOT_EMP": "1687890", "A_PCT10": "79850", "A_PCT25": "103050",
             "A_MEDIAN": "133080", "A_PCT75": "169000", "A_PCT90": "211450"],
        ]))
        try filled.write("data/occupation.csv", BLSFixtures.projections([
            ["title": "Software developers", "code": "15-1252", "employment": "1", "projected": "1.15", "percent": "15", "openings": "0.09",
             "education": "Bachelor's degree", "experience": "None"],
        ]))
        let config = try String(contentsOfFile: filled.directory + "/guidegen.yml", encoding: .utf8)
        try filled.write("guidegen.yml", config + BLSFixtures.declarations(state: false))
        let path = "content/roles/backend-developer.md"
        var text = try String(contentsOfFile: filled.directory + "/" + path, encoding: .utf8)
        // The figures the files hold leave the front matter; the hourly figure (no file holds it) stays.
        for block in ["salary:", "outlook:"] {
            guard let start = text.range(of: "\n" + block + "\n") else { continue }
            var end = start.upperBound
            while end < text.endIndex, text[end] == " " { end = text[end...].firstIndex(of: "\n").map { text.index(after: $0) } ?? text.endIndex }
            text.replaceSubrange(start.lowerBound..<end, with: block == "salary:" ? "\nsalary:\n  hourly: 63.98\n  currency: USD\n  source: \"Test figures\"\n  as_of: 2024-05-31\n" : "\n")
        }
        text = text.replacingOccurrences(of: "entry_education: bachelor\n", with: "").replacingOccurrences(of: "entry_experience: none\n", with: "")
        try filled.write(path, text)

        let typedReport = typed.build(), filledReport = filled.build()
        #expect(typedReport.succeeded && filledReport.succeeded, "\(filledReport.diagnostics)")
        func page(_ site: TempSite) throws -> [String] {
            try String(contentsOfFile: site.output + "/roles/backend-developer/index.html", encoding: .utf8).components(separatedBy: "\n")
                // The also-called line leaves out the occupation code when the whose-figures line names it.
                .map { $0.contains("class=\"source\"") || $0.contains("whose-figures") || $0.contains("also-called") || $0.contains("application/ld+json") ? "" : $0 }
        }
        let (expected, actual) = (try page(typed), try page(filled))
        let diff = try unifiedDiff(old: Data(expected.joined(separator: "\n").utf8), new: Data(actual.joined(separator: "\n").utf8), oldLabel: "typed", newLabel: "from data files")
        let same = expected == actual
        #expect(same, "\(diff)")
    }
}

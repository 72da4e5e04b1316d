import Content
import Foundation
import Testing
import TestSupport
@testable import Render

/// The pictures drawn from typed career data, compared with files under Tests/RenderTests/Golden/.
/// `GUIDEGEN_UPDATE_GOLDEN=1 swift test --filter DiagramGoldenTests` prints the diff and rewrites them.
@Suite struct DiagramGoldenTests {
    static var directory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden").path
    }

    func compare(_ actual: String, with name: String) throws {
        let path = Self.directory + "/" + name
        let golden = try? String(contentsOfFile: path, encoding: .utf8)
        guard golden != actual else { return }
        let diff = try unifiedDiff(old: golden ?? "", new: actual, name: name)
        if ProcessInfo.processInfo.environment["GUIDEGEN_UPDATE_GOLDEN"] == "1" {
            print(diff)
            try actual.write(toFile: path, atomically: true, encoding: .utf8)
            Issue.record("updated Golden/\(name) (diff above)")
        } else {
            Issue.record("differs from Golden/\(name):\n\(diff)")
        }
    }

    /// One element a line, so the diff shows what moved.
    func unifiedDiff(old: String, new: String, name: String) throws -> String {
        try TestSupport.unifiedDiff(old: Data(old.replacingOccurrences(of: "><", with: ">\n<").utf8),
                                    new: Data(new.replacingOccurrences(of: "><", with: ">\n<").utf8),
                                    oldLabel: "Golden/\(name)", newLabel: "actual")
    }

    /// A full path: roles it comes from (three, so two rows), levels with years and pay, a title long
    /// enough to wrap, markup in a title (escaped), and the roles it leads to.
    @Test func careerPath() throws {
        let svg = try #require(CareerDiagram.svg(
            levels: [
                .init(title: "Junior Backend Developer", detail: "0-2 years · $79,850–$103,050"),
                .init(title: "Backend Developer", detail: "2-5 years"),
                .init(title: "Staff or Principal Backend Engineer, leading several teams across a large organisation", detail: nil),
                .init(title: "Head of <Platform> & \"Infrastructure\"", detail: "8+ years"),
            ],
            from: [.init(title: "Web Developer", url: "/roles/web-developer/"), .init(title: "Frontend Developer", url: "/roles/frontend-developer/"),
                   .init(title: "QA Engineer", url: "/roles/qa-engineer/")],
            to: [.init(title: "Engineering Manager", url: "/roles/engineering-manager/?a=1&b=2")],
            label: "Career path of a Backend Developer"
        ))
        try compare(svg, with: "career-path.svg")
        #expect(!svg.contains("<Platform>") && svg.contains("&lt;Platform&gt; &amp; &quot;Infrastructure&quot;"))
        #expect(svg.contains("href=\"/roles/engineering-manager/?a=1&amp;b=2\""))
    }

    /// Levels only: no link rows, no arrow after the last level.
    @Test func levelsOnly() throws {
        let svg = try #require(CareerDiagram.svg(levels: [.init(title: "Junior", detail: "0-2 years"), .init(title: "Senior", detail: nil)],
                                                 from: [], to: [], label: "Career path"))
        try compare(svg, with: "career-levels-only.svg")
        #expect(!svg.contains("<a "))
        #expect(CareerDiagram.svg(levels: [], from: [], to: [], label: "x") == nil)
    }

    /// A path that splits after its shared levels: a fork, the tracks side by side with their names (escaped),
    /// each its own ladder, and the roles it leads to under the longer track.
    @Test func branchingPath() throws {
        let svg = try #require(CareerDiagram.svg(
            levels: [.init(title: "Junior Backend Developer", detail: "0-2 years"), .init(title: "Senior Backend Developer", detail: "5-8 years")],
            tracks: [
                .init(name: "Individual contributor", levels: [.init(title: "Staff or Principal Backend Engineer", detail: "8+ years · $150,000–$200,000"),
                                                              .init(title: "Distinguished Engineer", detail: nil)]),
                .init(name: "Management & <people>", levels: [.init(title: "Engineering Manager", detail: "8+ years")]),
            ],
            from: [], to: [.init(title: "Solutions Architect", url: "/roles/solutions-architect/")],
            label: "Career path of a Backend Developer"
        ))
        try compare(svg, with: "career-branching.svg")
        // A name longer than its column wraps.
        #expect(svg.contains("class=\"track\" aria-hidden=\"true\">Individual</text>") && svg.contains(">contributor</text>"))
        #expect(svg.contains("Management &amp; &lt;people&gt;") && !svg.contains("<people>"))
        // The two track names sit in two columns, left and right of the middle.
        let xs = svg.components(separatedBy: "class=\"track\"").dropLast().compactMap { part -> Double? in
            guard let range = part.range(of: "<text x=\"", options: .backwards) else { return nil }
            return Double(part[range.upperBound...].prefix { $0 != "\"" })
        }
        let columns = Set(xs).sorted()
        #expect(columns.count == 2 && columns[0] < CareerDiagram.width / 2 && columns[1] > CareerDiagram.width / 2, "\(xs)")
    }

    @Test func payDistribution() throws {
        var salary = Salary(currency: "USD", source: "s", asOf: "2024-05-31")
        salary.median = 133_080
        salary.percentiles = Percentiles(p10: 79_850, p25: 103_050, p75: 169_000, p90: 211_450)
        try compare(try #require(SalaryChart.svg(salary)), with: "pay-distribution.svg")
    }

    @Test func wrapsAtWordsAndCutsLongOnes() {
        #expect(CareerDiagram.wrap("Staff or Principal Backend Engineer", 22) == ["Staff or Principal", "Backend Engineer"])
        #expect(CareerDiagram.wrap("Supercalifragilisticexpialidocious", 10) == ["Supercali…"])
        #expect(CareerDiagram.wrap("a b c d e f g h", 3) == ["a b", "c d", "e …"])
    }
}

import Content
import Diagnostics
import Foundation
import JSONText
import Markdown
import Testing
@testable import Render
@testable import Templates

/// The comparison table's outlook bands and pay steps.
@Suite struct CompareFilterTests {
    /// A growth is in the band of the figure the table shows (one decimal).
    @Test func growthBandsFollowTheShownFigure() {
        #expect(GrowthBand(growth: 15) == .tenOrMore && GrowthBand(growth: 9.96) == .tenOrMore)
        #expect(GrowthBand(growth: 9.94) == .fiveToTen && GrowthBand(growth: 4.96) == .fiveToTen)
        #expect(GrowthBand(growth: 0) == .zeroToFive && GrowthBand(growth: -0.04) == .zeroToFive)
        #expect(GrowthBand(growth: -0.05) == .declining && GrowthBand(growth: -100) == .declining)
    }

    /// Round steps strictly above the lowest median and at most the highest, never more than six.
    @Test func payStepsAreRoundAndFew() {
        #expect(Renderer.payThresholds([60000, 170000, 90000]) == [80000, 100000, 120000, 140000, 160000])
        #expect(Renderer.payThresholds([60000, 90000, 150000]) == [80000, 100000, 120000, 140000])
        #expect(Renderer.payThresholds([45.5, 47]) == [46, 47])
        #expect(Renderer.payThresholds([80000, 80000]).isEmpty && Renderer.payThresholds([]).isEmpty)
        #expect(Renderer.payThresholds([80000.2, 80000.7]).isEmpty)
        #expect(Renderer.payThresholds([1, 1e12]) == [2e11, 4e11, 6e11, 8e11, 1e12])
        for _ in 0..<200 {
            let medians = (0..<Int.random(in: 1...20)).map { _ in Double(Int.random(in: 1...1_000_000_000)) / 100 }
            let steps = Renderer.payThresholds(medians)
            #expect(steps.count <= 6 && steps == steps.sorted())
            #expect(steps.allSatisfy { $0 > medians.min()! && $0 <= medians.max()! })
        }
        #expect(Renderer.plainNumber(80000) == "80000" && Renderer.plainNumber(45.5) == "45.5")
    }
}

@Suite struct FormatTests {
    @Test func money() {
        #expect(Format.money(133080, currency: "USD") == "$133,080")
        #expect(Format.money(47.12, currency: "USD") == "$47.12")
        #expect(Format.money(64.9, currency: "USD", cents: true) == "$64.90")
        #expect(Format.money(1_234_567, currency: "CHF") == "CHF 1,234,567")
        #expect(Format.money(999, currency: "EUR") == "€999")
    }

    @Test func oneDecimal() {
        #expect(Format.oneDecimal(147.06) == "147.1")
        #expect(Format.oneDecimal(8) == "8.0")
        #expect(Format.oneDecimal(-2.5) == "-2.5")
        #expect(Format.oneDecimal(-0.04) == "0.0")
        #expect(Format.oneDecimal(0.05) == "0.1")
        #expect(Format.percentChange(-0.7) == "−0.7%" && Format.percentChange(15) == "+15%")
    }

    @Test func dates() {
        #expect(Format.date("2024-05-31") == "31 May 2024")
        #expect(Format.date("2026-11-03") == "3 November 2026")
    }
}

@Suite struct JSONTests {
    @Test func sortedKeysAndScriptSafeStrings() {
        let json = JSON.object(["b": .int(1), "a": .string("</script><!-- & \"q\"\n"), "c": .array([.number(2.5), .number(3)])])
        #expect(json.text == #"{"a":"\u003c/script\u003e\u003c!-- \u0026 \"q\"\n","b":1,"c":[2.5,3]}"#)
        // Valid JSON that decodes back to the same text.
        let decoded = try? JSONSerialization.jsonObject(with: Data(json.text.utf8)) as? [String: Any]
        #expect(decoded?["a"] as? String == "</script><!-- & \"q\"\n")
        #expect(JSON.string("a\u{2028}b\u{1}é").text == #""a\u2028b\u0001é""#)
    }
}

@Suite struct SalaryChartTests {
    @Test func drawsPercentilesAndDescribesThem() throws {
        var salary = Salary(currency: "USD", source: "s", asOf: "2024-05-31")
        salary.median = 100
        salary.percentiles = Percentiles(p10: 50, p25: 75, p75: 125, p90: 150)
        let svg = try #require(SalaryChart.svg(salary))
        #expect(svg.hasPrefix("<svg class=\"pay-chart\""))
        #expect(svg.contains("aria-label=\"Pay distribution, a year. 10th: $50, 25th: $75, Median: $100, 75th: $125, 90th: $150\""))
        // The median mark halfway between p10 (x 8) and p90 (x 352).
        #expect(svg.contains("<line x1=\"180.0\" x2=\"180.0\""))
        // Quartiles above the bar, the ends and the median below, each as point and figure.
        #expect(svg.contains("<text x=\"94.0\" y=\"14\" text-anchor=\"middle\" class=\"point\">25th</text><text x=\"94.0\" y=\"31\" text-anchor=\"middle\">$75</text>"))
        #expect(svg.contains("<text x=\"8.0\" y=\"101\" text-anchor=\"start\" class=\"point\">10th</text>"))
        #expect(svg.contains("<text x=\"352.0\" y=\"118\" text-anchor=\"end\">$150</text>"))
    }

    /// A median close to p10 would overlap p10's label below the bar: it moves above.
    @Test func crowdedLabelsMoveToTheOtherRow() throws {
        var salary = Salary(currency: "USD", source: "s", asOf: "2024-05-31")
        salary.median = 52
        salary.percentiles = Percentiles(p10: 50, p90: 150)
        let svg = try #require(SalaryChart.svg(salary))
        #expect(svg.contains("y=\"14\" text-anchor=\"middle\" class=\"point\">Median</text>") || svg.contains("y=\"14\" text-anchor=\"start\" class=\"point\">Median</text>"), "\(svg)")
    }

    @Test func noChartWithoutADistribution() {
        var salary = Salary(currency: "USD", source: "s", asOf: "2024-05-31")
        salary.median = 100
        #expect(SalaryChart.svg(salary) == nil)
    }
}

@Suite struct ThemeTests {
    @Test func builtInThemeHasEveryTemplate() {
        let (theme, diagnostics) = Theme.load(name: "default", siteDirectory: "/nonexistent")
        #expect(diagnostics.isEmpty)
        #expect(theme?.assetPaths.contains("style.css") == true)
    }

    @Test func templateErrorsNameTheFileLineAndColumn() {
        var files: [String: (data: Data, source: String)] = [:]
        for (path, data) in EmbeddedTheme.files { files[path] = (data, path) }
        files["templates/page.mustache"] = (Data("ok\n{{#open}}\n".utf8), "themes/default/templates/page.mustache")
        let (theme, diagnostics) = Theme.build(name: "default", files: files)
        #expect(theme == nil)
        #expect(diagnostics.first?.location.file == "themes/default/templates/page.mustache")
        #expect(diagnostics.first?.location.line != nil)
    }

    @Test func unknownThemeIsAnError() {
        let (theme, diagnostics) = Theme.load(name: "fancy", siteDirectory: "/nonexistent")
        #expect(theme == nil)
        #expect(diagnostics.first?.message == "theme `fancy` not found")
    }
}

extension ThemeTests {
    @Test func outputPathsOfURLs() {
        #expect(Renderer.outputPath("/roles/backend-developer/") == "roles/backend-developer/index.html")
        #expect(Renderer.outputPath("/") == "index.html")
        #expect(Renderer.outputPath("") == "index.html")
        #expect(Renderer.outputPath("/a") == "a/index.html")
        #expect(Renderer.outputPath("//a//b///") == "a/b/index.html")
    }
}

extension ThemeTests {
    /// Tables sit in a focusable region named after the heading above them, code blocks are focusable,
    /// and a text whose tables do not balance keeps them as they are.
    @Test func wideContentIsReachableByKeyboard() {
        let html = "<h2>Pay <em>bands</em></h2>\n<table><tr><td>1</td></tr></table>\n<pre><code>x</code></pre><table></table>"
        #expect(Renderer.scrollable(html) == "<h2>Pay <em>bands</em></h2>\n"
            + "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Pay bands\"><table><tr><td>1</td></tr></table></div>\n"
            + "<pre tabindex=\"0\"><code>x</code></pre>"
            + "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Pay bands\"><table></table></div>")
        #expect(Renderer.scrollable("<table><tr></tr></table>") == "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Table 1\"><table><tr></tr></table></div>")
        #expect(Renderer.scrollable("<p>a < b</p><table>") == "<p>a < b</p><table>")
        #expect(Renderer.scrollable("</table><table><pre><code>") == "</table><table><pre tabindex=\"0\"><code>")
        #expect(Renderer.scrollable("plain <p>text</p>") == "plain <p>text</p>")
    }
}

extension ThemeTests {
    /// The preview loads the theme on every save: the same files give back the theme it had.
    @Test func sameFilesReuseTheTheme() throws {
        let (first, _) = Theme.load(name: "default", siteDirectory: "/nonexistent-site")
        let marked = try #require(first).withoutPrograms()
        let (again, diagnostics) = Theme.load(name: "default", siteDirectory: "/nonexistent-site", reusing: marked)
        #expect(diagnostics.isEmpty)
        #expect(try #require(again).templates.programs.isEmpty)
        var files = EmbeddedTheme.files.mapValues { (data: $0, source: "theme") }
        files["templates/card.mustache"]!.data = Data("{{title}}".utf8)
        let (changed, _) = Theme.build(name: "default", files: files, reusing: marked)
        #expect(try #require(changed).templates.programs["card"]! != nil)
    }
}

extension ThemeTests {
    /// A template that includes itself, directly or through another, is an error at its tag,
    /// not a build that runs out of stack; a partial included twice is fine.
    @Test func aTemplateThatIncludesItselfIsAnError() throws {
        var files: [String: (data: Data, source: String)] = [:]
        for (path, data) in EmbeddedTheme.files { files[path] = (data, "themes/default/" + path) }
        files["templates/toc.mustache"] = (Data("{{! a table of contents }}\nx {{#page}}{{>toc}}{{/page}}\n".utf8), "themes/default/templates/toc.mustache")
        var (theme, diagnostics) = Theme.build(name: "default", files: files)
        #expect(theme == nil)
        #expect(diagnostics.map(\.message) == ["template error: `toc` includes itself (toc -> toc), so it would never end"])
        #expect(diagnostics.first?.location == SourceLocation(file: "themes/default/templates/toc.mustache", line: 2, column: 12))

        files["templates/toc.mustache"] = (Data("{{>source-line}}{{>source-line}}".utf8), "themes/default/templates/toc.mustache")
        files["templates/source-line.mustache"] = (Data("{{#asOf}}{{>toc}}{{/asOf}}".utf8), "themes/default/templates/source-line.mustache")
        (theme, diagnostics) = Theme.build(name: "default", files: files)
        #expect(theme == nil)
        #expect(diagnostics.map(\.message) == ["template error: `source-line` includes itself (source-line -> toc -> source-line), so it would never end",
                                               "template error: `toc` includes itself (toc -> source-line -> toc), so it would never end"])
        files["templates/source-line.mustache"] = (Data("plain".utf8), "x")
        #expect(Theme.build(name: "default", files: files).0 != nil)
    }
}

/// The writer's words an "X vs Y" page quotes: the row (or list item) linking to the other role, under
/// the heading starting "How it differs", fit to stand on another page.
@Suite struct DifferenceRowTests {
    static let body = """
    ## Skills

    | Role | Note |
    |---|---|
    | [Frontend](/roles/frontend/) | Not this one. |

    ## How it differs from neighbours

    | Role | Where the line falls |
    |---|---|
    | [Data](/roles/data/) | Moves data.[^1] |
    | [Frontend](/roles/frontend/#work) | Builds the *browser* side. |

    - [Mobile](/roles/mobile/) builds apps.

    ## Later

    | [Ops](/roles/ops/) | Runs it. |
    |---|---|

    [^1]: For analysts.
    """

    static func row(_ href: String) -> String? {
        let document = Markdown.parse(body)
        let heading = document.headings.first { $0.text.hasPrefix("How it differs") }!
        return Renderer.differenceRow(in: document.html { document.links[$0].destination }, heading: heading, linkingTo: href)
    }

    @Test func theRowUnderTheHeadingThatLinksToTheRole() {
        // The row under the heading, not the one under "Skills"; a link with an anchor counts.
        #expect(Self.row("/roles/frontend/") == "Builds the <em>browser</em> side.")
        #expect(Self.row("/roles/mobile/") == "<a href=\"/roles/mobile/\">Mobile</a> builds apps.")
        // Rows of a later section, and roles no row names, are not quoted.
        #expect(Self.row("/roles/ops/") == nil)
        #expect(Self.row("/roles/nobody/") == nil)
    }

    @Test func aQuoteKeepsNoIdsAndItsAnchorsPointHome() throws {
        let row = try #require(Self.row("/roles/data/"))
        #expect(row.contains(" id=\""))
        let quoted = Renderer.quoted(row, from: "/roles/backend/")
        #expect(!quoted.contains(" id=\""))
        #expect(quoted.contains("href=\"/roles/backend/#fn-1\""))
        #expect(quoted.hasPrefix("Moves data."))
    }
}

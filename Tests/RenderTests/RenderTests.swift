import Content
import Diagnostics
import Foundation
import Testing
@testable import Render

@Suite struct FormatTests {
    @Test func money() {
        #expect(Format.money(133080, currency: "USD") == "$133,080")
        #expect(Format.money(47.12, currency: "USD") == "$47.12")
        #expect(Format.money(64.9, currency: "USD", cents: true) == "$64.90")
        #expect(Format.money(1_234_567, currency: "CHF") == "CHF 1,234,567")
        #expect(Format.money(999, currency: "EUR") == "€999")
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
        #expect(svg.contains("aria-label=\"Pay distribution. 10th: $50, 25th: $75, Median: $100, 75th: $125, 90th: $150\""))
        #expect(svg.contains("<line x1=\"300.0\" x2=\"300.0\""))
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

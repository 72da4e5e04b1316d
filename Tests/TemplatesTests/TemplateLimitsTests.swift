import Diagnostics
import Foundation
import Testing
@testable import Templates

/// Templates made to run the build out of stack or time: each is refused quickly, with an error at a
/// line and column, before anything recursive reads it (see `TemplateOutline`, `TemplateLimits`).
@Suite struct TemplateLimitsTests {
    /// `templates` (by name) built as a theme's are; nil with errors.
    static func build(_ templates: [String: String]) -> (TemplateSet?, [Diagnostic], seconds: Double) {
        let files = templates.sorted { $0.key < $1.key }.map { name, text in
            (name: name, data: Data(text.utf8), source: "themes/t/templates/\(name).mustache")
        }
        let clock = ContinuousClock()
        let start = clock.now
        let (set, diagnostics) = TemplateSet.build(files)
        let elapsed = clock.now - start
        return (diagnostics.contains { $0.severity == .error } ? nil : set, diagnostics,
                Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    static func nested(_ depth: Int, open: String = "{{#a}}", close: String = "{{/a}}", inside: String = "x") -> String {
        String(repeating: open, count: depth) + inside + String(repeating: close, count: depth)
    }

    @Test func threeThousandNestedSectionsAreAnErrorAtTheFirstTagPastTheLimit() {
        let (templates, diagnostics, seconds) = Self.build(["page": "<p>\n" + Self.nested(3000)])
        #expect(templates == nil)
        let error = diagnostics.first { $0.code == .templateNesting }
        #expect(error?.location.description == "themes/t/templates/page.mustache:2:\(6 * TemplateLimits.nesting + 1)")
        #expect(error?.message == "template error: sections, blocks and partials nest more than 100 deep at this tag")
        #expect(error?.hint?.contains("{{/name}}") == true)
        #expect(seconds < 2)
    }

    /// A file of 12 MB: the pass stops at the 101st tag.
    @Test func aMillionNestedSectionsAreRefusedAsQuickly() {
        let (templates, diagnostics, seconds) = Self.build(["page": Self.nested(1_000_000)])
        #expect(templates == nil)
        #expect(diagnostics.contains { $0.code == .templateNesting && $0.location.line == 1 })
        #expect(diagnostics.count == 1)
        #expect(seconds < 5)
    }

    /// Every kind of tag that nests counts, and the tags are read with the delimiters the template sets.
    @Test(arguments: [
        Self.nested(200, open: "{{^a}}"),
        Self.nested(200, open: "{{$a}}"),
        Self.nested(200, open: "{{#a}}{{^b}}", close: "{{/b}}{{/a}}"),
        "{{=<% %>=}}" + Self.nested(200, open: "<%#a%>", close: "<%/a%>"),
        "{{! {{/a}} }}" + Self.nested(101),
    ])
    func everyNestingTagCounts(_ text: String) {
        let (templates, diagnostics, _) = Self.build(["page": text])
        #expect(templates == nil)
        #expect(diagnostics.contains { $0.code == .templateNesting }, "\(diagnostics)")
    }

    /// `a(b(c(...)))`: the parser reads each transform one level deeper.
    @Test func aLongChainOfTransformsIsAnError() {
        let chain = String(repeating: "a(", count: 5000) + "title" + String(repeating: ")", count: 5000)
        let (templates, diagnostics, seconds) = Self.build(["page": "ok {{" + chain + "}}"])
        #expect(templates == nil)
        #expect(diagnostics.first { $0.code == .templateNesting }?.message == "template error: this tag applies more than 100 transforms, one inside the other")
        #expect(diagnostics.first { $0.code == .templateNesting }?.location.description == "themes/t/templates/page.mustache:1:4")
        #expect(seconds < 2)
    }

    /// At the limit the templates load, and its programs and the library render it alike.
    @Test func nestingAtTheLimitLoadsAndRenders() throws {
        let (templates, diagnostics, _) = Self.build(["page": Self.nested(TemplateLimits.nesting, open: "{{#item}}", close: "{{/item}}", inside: "{{name}}")])
        #expect(diagnostics.isEmpty)
        let loaded = try #require(templates)
        let view: View = ["item": ["name": "n"] as View]
        #expect(loaded.programRender(view, template: "page") == "n")
        #expect(loaded.libraryRender(view, template: "page") == "n")
    }

    /// Nesting adds up through partials: 60 sections around a partial of 60 sections is 121 deep.
    @Test func nestingCountsThroughPartials() {
        let (templates, diagnostics, _) = Self.build(["page": Self.nested(60, inside: "{{>inner}}"), "inner": Self.nested(60)])
        #expect(templates == nil)
        let error = diagnostics.first { $0.code == .templateNesting }
        #expect(error?.message == "template error: `page` nests sections, blocks and partials more than 100 deep through its partials (page -> inner)")
        #expect(error?.location.description == "themes/t/templates/page.mustache:1:361")
    }

    /// `a1` includes `a2` twice, `a2` includes `a3` twice...: 2^levels copies of the last one.
    static func doublePartials(_ levels: Int) -> [String: String] {
        var templates: [String: String] = [:]
        for level in 1..<levels { templates["a\(level)"] = "{{>a\(level + 1)}}{{>a\(level + 1)}}" }
        templates["a\(levels)"] = "0123456789abcdef"
        templates["page"] = "{{>a1}}"
        return templates
    }

    @Test(arguments: [25, 200])
    func partialsIncludedTwiceAtEachLevelAreRefused(_ levels: Int) {
        let (templates, diagnostics, seconds) = Self.build(Self.doublePartials(levels))
        #expect(templates == nil)
        let errors = diagnostics.filter { $0.code == .templateSize }
        // Only the template at the top of the chain.
        #expect(errors.count == 1, "\(errors)")
        #expect(errors.first?.message == "template error: `page` would expand to more than 8 MiB of text with its partials inlined (page -> a1 -> a2 -> … -> a\(levels - 1) -> a\(levels), \(levels + 1) templates)")
        #expect(errors.first?.location.description == "themes/t/templates/page.mustache:1:1")
        #expect(errors.first?.hint?.contains("include fewer partials") == true)
        #expect(seconds < 2)
    }

    /// Below the limit the same shape is fine: 2^9 copies of 16 bytes.
    @Test func fewLevelsOfDoublePartialsLoad() {
        let (templates, diagnostics, _) = Self.build(Self.doublePartials(10))
        #expect(diagnostics.isEmpty)
        #expect(templates?.libraryRender([:], template: "page").utf8.count == 16 << 9)
    }

    /// An override is rendered at each of the parent's blocks: 1,000 blocks times 10,000 bytes.
    @Test func overridesCountOncePerBlockOfTheParent() {
        let (templates, diagnostics, _) = Self.build([
            "page": "{{<parent}}{{$x}}" + String(repeating: "y", count: 10_000) + "{{/x}}{{/parent}}",
            "parent": String(repeating: "{{$x}}{{/x}}", count: 1000),
        ])
        #expect(templates == nil)
        #expect(diagnostics.contains { $0.code == .templateSize && $0.message.contains("`page`") }, "\(diagnostics)")
    }
}

import Foundation
import Testing
@testable import Site
import Diagnostics

/// Themes made to crash or hang `guidegen build` and `check` (the security review's cases): each is
/// an error at the template's line and column, within seconds, and the last build's output stays.
@Suite struct ThemeLimitSiteTests {
    /// 3,000 nested sections ran the parser out of stack (SIGSEGV, exit 139).
    @Test func threeThousandNestedSections() throws {
        try SafetyTests().expectRefused("sections, blocks and partials nest more than 100 deep", at: "themes/default/templates/page.mustache:1:601") { site in
            try site.write("themes/default/templates/page.mustache", String(repeating: "{{#a}}", count: 3000) + String(repeating: "{{/a}}", count: 3000))
        }
    }

    /// A million nested sections (a 12 MB file) hung.
    @Test func aMillionNestedSections() throws {
        try SafetyTests().expectRefused("sections, blocks and partials nest more than 100 deep", at: "themes/default/templates/page.mustache:1:601") { site in
            try site.write("themes/default/templates/page.mustache", String(repeating: "{{#a}}", count: 1_000_000) + String(repeating: "{{/a}}", count: 1_000_000))
        }
    }

    /// 200 partials, each including the next twice, hung (25 of them took 18 s).
    @Test func partialsThatIncludeTheNextTwice() throws {
        try SafetyTests().expectRefused("`page` would expand to more than 8 MiB of text with its partials inlined (page -> a1 -> a2 -> … -> a199 -> a200, 201 templates)",
                                        at: "themes/default/templates/page.mustache:1:1") { site in
            try site.write("themes/default/templates/page.mustache", "{{>a1}}")
            for level in 1..<200 { try site.write("themes/default/templates/a\(level).mustache", "{{>a\(level + 1)}}{{>a\(level + 1)}}") }
            try site.write("themes/default/templates/a200.mustache", "0123456789abcdef")
        }
    }

    /// Sections over a list nested in each other multiply the page: the home page's three categories, twelve deep,
    /// would be 3^12 copies. The render stops at its bound, and the build fails before the swap.
    @Test func nestedSectionsOverAListStopAtTheBound() throws {
        let site = try TempSite(copying: "basic")
        #expect(site.build().succeeded)
        let before = snapshot(site.output)
        let inner = String(repeating: "x", count: 1024)
        try site.write("themes/default/templates/home.mustache",
                       String(repeating: "{{#page.groups}}", count: 12) + inner + String(repeating: "{{/page.groups}}", count: 12))
        let clock = ContinuousClock()
        var report = BuildReport()
        let elapsed = clock.measure { report = site.build() }
        #expect(elapsed < .seconds(60), "took \(elapsed)")
        let error = report.diagnostics.errors.first { $0.code == .templateSize }
        #expect(error?.location.description == "themes/default/templates/home.mustache", "\(report.diagnostics)")
        #expect(error?.message.contains("produced more than 64 MiB for one page") == true)
        #expect(error?.hint != nil)
        #expect(snapshot(site.output) == before, "the old output changed")
    }

    /// Found by fuzz-template: a page whose parent's block is overridden with text that includes the parent again
    /// repeats without end (a stack overflow). The run stops at its depth bound, and the build fails before the swap.
    @Test func aBlockThatIncludesItsOwnTemplateStopsAtTheDepthBound() throws {
        let site = try TempSite(copying: "basic")
        #expect(site.build().succeeded)
        let before = snapshot(site.output)
        try site.write("themes/default/templates/loop.mustache", "<{{$x}}default{{/x}}>")
        try site.write("themes/default/templates/home.mustache", "{{<loop}}{{$x}}over {{>loop}}{{/x}}{{/loop}}")
        let clock = ContinuousClock()
        var report = BuildReport()
        let elapsed = clock.measure { report = site.build() }
        #expect(elapsed < .seconds(30), "took \(elapsed)")
        let error = report.diagnostics.errors.first { $0.code == .templateSize }
        #expect(error?.location.description == "themes/default/templates/home.mustache", "\(report.diagnostics)")
        #expect(error?.message.contains("nested templates more than 256 deep") == true)
        #expect(snapshot(site.output) == before, "the old output changed")
    }
}

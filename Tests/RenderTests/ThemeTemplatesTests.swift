import Foundation
import Testing
@testable import Render
@testable import Templates

/// The built-in theme's templates as `Templates` reads them.
@Suite struct ThemeTemplatesTests {
    @Test func compilesEveryTemplateOfTheDefaultTheme() throws {
        let (theme, diagnostics) = Theme.load(name: "default", siteDirectory: "/nonexistent-site")
        #expect(diagnostics.isEmpty)
        let programs = try #require(theme?.templates.programs)
        #expect(programs.count >= Theme.requiredTemplates.count)
        for (name, program) in programs { #expect(program != nil, "\(name) has no program") }
    }

    /// The built-in theme is well inside both limits.
    @Test func builtInThemeIsWithinTheLimits() {
        var outlines: [String: TemplateOutline] = [:]
        for (path, data) in EmbeddedTheme.files {
            guard let name = Theme.templateName(of: path) else { continue }
            outlines[name] = TemplateOutline(String(decoding: data, as: UTF8.self), limit: TemplateLimits.nesting)
        }
        #expect(outlines.values.allSatisfy { $0.excess == nil && $0.depth < 10 })
        #expect(TemplateSet.expansionErrors(outlines: outlines, sources: [:]).isEmpty)
    }
}

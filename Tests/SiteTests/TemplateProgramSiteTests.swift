import Foundation
import Testing
import TestSupport
@testable import Render
@testable import Site

/// Whole sites rendered by the templates' programs alone (nothing where a run stops) and by
/// swift-mustache alone are the same bytes: the fixture site, the bundled site and a generated one.
@Suite struct TemplateProgramSiteTests {
    func compare(source: String) throws {
        var session = SiteSession(options: BuildOptions(source: source))
        let update = session.update()
        #expect(update.succeeded, "\(update.diagnostics)")
        let site = try #require(session.site)
        let theme = site.renderer.theme
        let library = Renderer(graph: site.graph, theme: theme.withoutPrograms()).render()
        let programs = Renderer(graph: site.graph, theme: theme.programsOnly()).render()
        #expect(library.count == programs.count)
        #expect(library.count > 20)
        for (expected, actual) in zip(library, programs) where expected != actual {
            Issue.record("\(expected.path): the programs print\n\(String(decoding: actual.data, as: UTF8.self))")
        }
    }

    @Test func fixtureSite() throws {
        try compare(source: Fixtures.path("basic"))
    }

    @Test func bundledSite() throws {
        try compare(source: URL(fileURLWithPath: #filePath).appendingPathComponent("../../..").standardized.path)
    }

    @Test func generatedSite() throws {
        let site = try TempSite()
        try FileManager.default.removeItem(atPath: site.directory)
        #expect(try CorpusGenerator.run(into: site.directory, roles: 40) == 0)
        try compare(source: site.directory)
    }
}

import Foundation
import Testing
import TestSupport
@testable import Site

/// Builds the benchmark's generated corpus (`CorpusGenerator`, the benchmark's gen_corpus.py).
@Suite struct CorpusTests {
    func generate(roles: Int, broken: Int) throws -> TempSite {
        let site = try TempSite()
        try FileManager.default.removeItem(atPath: site.directory)
        let status = try CorpusGenerator.run(into: site.directory, roles: roles, brokenLinks: broken)
        #expect(status == 0, "\(CorpusGenerator.script) failed")
        return site
    }

    @Test func plantedBrokenLinksAreBothReported() throws {
        let site = try generate(roles: 100, broken: 2)
        let report = site.check()
        let broken = report.diagnostics.errors
        #expect(broken.count == 2, "\(report.diagnostics)")
        for error in broken {
            #expect(error.message == "link to `no-such-role.md`, but content/roles/no-such-role.md does not exist")
            #expect(error.location.file.hasPrefix("content/roles/"))
            #expect(error.location.line != nil && error.location.column != nil)
        }
        #expect(Set(broken.map(\.location.file)).count == 2)
    }

    @Test func cleanCorpusBuildsWithNoBrokenLinks() throws {
        let site = try generate(roles: 250, broken: 0)
        let report = site.build()
        #expect(report.succeeded, "\(report.diagnostics)")
        #expect(report.pages == 1000)
        #expect(report.links > 1000)
    }
}

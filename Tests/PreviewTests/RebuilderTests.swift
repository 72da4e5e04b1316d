import Foundation
import Preview
import Site
import Synchronization
import Testing
import TestSupport

/// The preview's rebuild loop: a session's updates one at a time, each told to the state and reported.
@Suite struct RebuilderTests {
    /// Reports collected from the watcher's thread.
    final class Reports: Sendable {
        private let reports = Mutex<[Rebuilder.Report]>([])
        func add(_ report: Rebuilder.Report) { reports.withLock { $0.append(report) } }
        var all: [Rebuilder.Report] { reports.withLock { $0 } }
    }

    /// The generation an event names (`event: hello` or `event: reload`, data `RUN-GENERATION`).
    func generation(_ event: String?) -> Int? {
        guard let event, let data = event.split(separator: "\n").first(where: { $0.hasPrefix("data: ") }) else { return nil }
        return data.split(separator: "-").last.flatMap { Int($0) }
    }

    func page(_ state: PreviewState, _ path: String) async -> String? {
        let answer = await state.respond(method: "GET", path: path)
        guard answer.status == 200, case let .data(data) = answer.body else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// A save on disk: the watcher's burst is one update, the state serves a new generation with the edit.
    @Test func aChangeOnDiskIsOneUpdateAndANewGeneration() async throws {
        let site = try PreviewFixture()
        let state = PreviewState(basePath: "/guides/", siteRoot: URL(fileURLWithPath: site.directory).resolvingSymlinksInPath().path)
        let reports = Reports()
        let rebuilder = Rebuilder(state: state, options: BuildOptions(source: site.directory)) { reports.add($0) }
        let first = rebuilder.rebuild(changed: nil)
        #expect(first.isFirst && first.update.succeeded)
        #expect(first.pages > 2)
        var events = state.listen().makeAsyncIterator()
        let hello = await events.text()
        let before = try #require(generation(hello))

        let watcher = rebuilder.watch(root: site.directory)
        defer { watcher.stop() }
        try await Task.sleep(for: .milliseconds(300))
        let text = try String(contentsOfFile: site.directory + "/content/roles/backend-developer.md", encoding: .utf8)
        try site.write("content/roles/backend-developer.md", text.replacingOccurrences(of: "Writes", with: "Designs"))
        try await eventually { reports.all.count >= 2 }
        try await Task.sleep(for: .milliseconds(300))
        #expect(reports.all.count == 2, "one save, one update")
        let update = try #require(reports.all.last)
        #expect(!update.isFirst && update.update.succeeded && !update.showsDiagnostics)
        #expect(update.update.reread == 1)
        #expect(update.update.changed.contains("roles/backend-developer/index.html"))
        let reload = await events.text()
        #expect(reload?.hasPrefix("event: reload\n") == true)
        #expect(generation(reload) == before + 1)
        #expect(await page(state, "/guides/roles/backend-developer/")?.contains("Designs") == true)
    }

    /// A data file replaced on disk (a new release dropped in): the watcher sees data/, the update reads the file
    /// again, and the page of the role whose occupation it holds is served with the new figure.
    @Test func aReplacedDataFileReloadsTheRolesPage() async throws {
        let site = try PreviewFixture()
        func national(_ median: String) -> String {
            BLSFixtures.oews([["OCC_CODE": "15-1252", "OCC_TITLE": "Software Developers", "TOT_EMP": "1687890", "A_MEDIAN": median]])
        }
        try FileManager.default.createDirectory(atPath: site.directory + "/data", withIntermediateDirectories: true)
        try site.write("data/national.csv", national("135980"))
        try site.write("guidegen.yml", "title: \"Preview\"\nbase_url: \"https://example.org/guides/\"\n" + BLSFixtures.declarations(state: false, projections: false))
        let text = try String(contentsOfFile: site.directory + "/content/roles/backend-developer.md", encoding: .utf8)
        try site.write("content/roles/backend-developer.md", text.replacingOccurrences(of: "category: \"Web\"", with: "category: \"Web\"\noccupation_code: \"15-1252\""))
        let state = PreviewState(basePath: "/guides/", siteRoot: URL(fileURLWithPath: site.directory).resolvingSymlinksInPath().path)
        let reports = Reports()
        let rebuilder = Rebuilder(state: state, options: BuildOptions(source: site.directory)) { reports.add($0) }
        let first = rebuilder.rebuild(changed: nil)
        #expect(first.update.succeeded, "\(first.update.diagnostics)")
        #expect(await page(state, "/guides/roles/backend-developer/")?.contains("$135,980") == true)

        let watcher = rebuilder.watch(root: site.directory)
        defer { watcher.stop() }
        try await Task.sleep(for: .milliseconds(300))
        try site.write("data/national.csv", national("141000"))
        try await eventually { reports.all.count >= 2 }
        let update = try #require(reports.all.last)
        #expect(update.update.succeeded && update.update.reread == 0, "no page file is read again")
        #expect(update.update.changed.contains("roles/backend-developer/index.html"))
        let served = await page(state, "/guides/roles/backend-developer/")
        #expect(served?.contains("$141,000") == true && served?.contains("$135,980") == false)
    }

    /// An update with errors: the last good site stays served (same generation), its problems go to the tabs and
    /// the report; fixed, the next update serves the new site.
    @Test func anUpdateWithErrorsKeepsServingTheLastGoodSite() async throws {
        let site = try PreviewFixture()
        let state = PreviewState(basePath: "/guides/", siteRoot: URL(fileURLWithPath: site.directory).resolvingSymlinksInPath().path)
        let rebuilder = Rebuilder(state: state, options: BuildOptions(source: site.directory))
        let first = rebuilder.rebuild(changed: nil)
        var events = state.listen().makeAsyncIterator()
        let hello = await events.text()
        let before = try #require(generation(hello))

        let path = "content/roles/backend-developer.md"
        let text = try String(contentsOfFile: site.directory + "/" + path, encoding: .utf8)
        try site.write(path, text.replacingOccurrences(of: "Writes", with: "Breaks") + "\n[x](/roles/nope.md)\n")
        let failed = rebuilder.rebuild(changed: [path])
        #expect(!failed.isFirst && !failed.update.succeeded && failed.showsDiagnostics)
        #expect(failed.update.changed.isEmpty)
        #expect(failed.pages == first.pages, "the report counts the site still served")
        #expect(await events.text()?.hasPrefix("event: problems\n") == true)
        #expect(await page(state, "/guides/roles/backend-developer/")?.contains("Writes") == true)
        #expect(await page(state, "/guides/roles/backend-developer/")?.contains("Breaks") == false)
        // The same errors again are still news: the update failed.
        #expect(rebuilder.rebuild(changed: [path]).showsDiagnostics)

        try site.write(path, text.replacingOccurrences(of: "Writes", with: "Designs"))
        let fixed = rebuilder.rebuild(changed: [path])
        #expect(fixed.update.succeeded && !fixed.showsDiagnostics)
        let reload = await events.text()
        #expect(reload?.hasPrefix("event: reload\n") == true)
        #expect(generation(reload) == before + 1)
        #expect(await page(state, "/guides/roles/backend-developer/")?.contains("Designs") == true)
    }

    /// Warnings are shown once, not again on every save that leaves them as they were.
    @Test func theSameWarningsAreShownOnce() throws {
        let site = try PreviewFixture()
        try site.write("content/notes.txt", "not a page")
        let state = PreviewState(basePath: "/guides/", siteRoot: site.directory)
        let rebuilder = Rebuilder(state: state, options: BuildOptions(source: site.directory))
        let first = rebuilder.rebuild(changed: nil)
        #expect(first.update.succeeded && first.showsDiagnostics)
        #expect(!rebuilder.rebuild(changed: ["content/notes.txt"]).showsDiagnostics)
    }
}

import Diagnostics
import Foundation
import Hummingbird
import NIOCore
@testable import Preview
import ServiceLifecycle
import Search
import Site
import Testing

/// A small site in a temporary folder, built by a session and served by a preview state.
final class PreviewFixture: @unchecked Sendable {
    let directory: String
    let outside: String
    let state: PreviewState
    var session: SiteSession

    init(basePath: String = "/guides/") throws {
        let base = NSTemporaryDirectory() + "guidegen-preview-" + UUID().uuidString
        directory = base + "/site"
        outside = base + "/outside"
        let files = [
            "guidegen.yml": "title: \"Preview\"\nbase_url: \"https://example.org\(basePath)\"\n",
            "content/roles/backend-developer.md": """
            ---
            title: "Backend Developer"
            summary: "Builds servers."
            category: "Web"
            skills: ["Go", "SQL"]
            ---
            ## Work

            Writes <b>services</b>. See [frontend](frontend-developer.md).
            """,
            "content/roles/frontend-developer.md": "---\ntitle: \"Frontend Developer\"\ncategory: \"Web\"\nskills: [\"JavaScript\"]\n---\nBuilds pages.\n",
            "static/img/chart.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>",
            "static/notes.txt": "plain text",
        ]
        for (path, text) in files {
            let full = directory + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try "secret".write(toFile: outside + "/secret.txt", atomically: true, encoding: .utf8)
        let root = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
        state = PreviewState(basePath: basePath, siteRoot: root)
        session = SiteSession(options: BuildOptions(source: directory))
        try rebuild()
    }

    /// - Parameter changed: the files that changed, as the watcher names them (nil: not known).
    func rebuild(changed: Set<String>? = nil) throws {
        let update = session.update(changed: changed)
        state.publish(site: update.succeeded ? session.site : nil, changed: !update.changed.isEmpty,
                      problems: update.diagnostics.errors)
    }

    func write(_ path: String, _ text: String) throws {
        try text.write(toFile: directory + "/" + path, atomically: true, encoding: .utf8)
    }

    /// Runs the server as `guidegen serve` does, on a free port of 127.0.0.1, with the given connection limits (its
    /// warnings go to `warnings`), calls `body` with the port, then stops it: gracefully, as Ctrl-C does, once
    /// `body` has closed its connections; at once if `body` throws (it may have left one open).
    func serving(limits: ConnectionLimits = .fromDescriptorLimit(), warnings: Lines = Lines(),
                 _ body: @Sendable (Int) async throws -> Void) async throws {
        let (ports, port) = AsyncStream<Int>.makeStream()
        let app = PreviewServer.application(state: state, host: "127.0.0.1", port: 0, limits: limits,
                                            warn: { warnings.add($0) }) { port.yield($0) }
        let services = ServiceGroup(services: [app], logger: app.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            var next = ports.makeAsyncIterator()
            let bound = try #require(await next.next())
            do {
                try await body(bound)
            } catch {
                group.cancelAll()
                throw error
            }
            await services.triggerGracefulShutdown()
        }
    }

    deinit {
        try? FileManager.default.removeItem(atPath: (directory as NSString).deletingLastPathComponent)
    }
}

extension EventQueue.AsyncIterator {
    /// The next event (or the opening) as text.
    mutating func text() async -> String? {
        await next().map { String(buffer: $0) }
    }
}

@Suite struct PreviewHTTPTests {
    @Test func servesPagesFoldersAndFilesWithTheirTypes() async throws {
        let site = try PreviewFixture()
        try await site.serving { port in
            let page = try await RawConnection.fetch("/guides/roles/backend-developer/", port: port)
            #expect(page.status == 200)
            #expect(page.header("Content-Type") == "text/html; charset=utf-8")
            #expect(page.header("Cache-Control") == "no-store")
            #expect(page.text.contains("Writes"))
            #expect(!page.text.contains("<b>services"), "raw HTML stays off in the preview too")
            #expect(page.text.contains("<script src=\"/guides/__guidegen/live.js\"></script></body>"))
            for (uri, type) in [("/guides/style.css", "text/css; charset=utf-8"), ("/guides/search.js", "text/javascript; charset=utf-8"),
                                ("/guides/img/chart.svg", "image/svg+xml"), ("/guides/sitemap.xml", "application/xml"),
                                ("/guides/search/manifest.json", "application/json"), ("/guides/notes.txt", "text/plain; charset=utf-8"),
                                ("/guides/__guidegen/live.js", "text/javascript; charset=utf-8")] {
                let response = try await RawConnection.fetch(uri, port: port)
                #expect(response.status == 200, "\(uri)")
                #expect(response.header("Content-Type") == type, "\(uri)")
                #expect(!response.text.contains("__guidegen/live.js\"></script>"), "\(uri) must not carry the reload script")
            }
        }
    }

    /// A static file is sent a piece at a time, never read whole: the answer names the file, and the bytes served
    /// over a socket are the file's.
    @Test func staticFilesAreStreamed() async throws {
        let site = try PreviewFixture()
        var generator = SystemRandomNumberGenerator()
        let bytes = Data((0..<(3 << 20) + 17).map { _ in UInt8.random(in: 0...255, using: &generator) })
        try bytes.write(to: URL(fileURLWithPath: site.directory + "/static/data.bin"))
        try site.rebuild()
        let answer = await site.state.respond(method: "GET", path: "/guides/data.bin")
        guard case let .file(_, size) = answer.body else {
            Issue.record("a static file was answered with \(answer.body)")
            return
        }
        #expect(size == bytes.count)
        try await site.serving { port in
            let response = try await RawConnection.fetch("/guides/data.bin", port: port)
            #expect(response.status == 200)
            #expect(response.header("Content-Length") == String(bytes.count))
            #expect(response.body == bytes)
            let head = try await RawConnection.fetch("/guides/data.bin", method: "HEAD", port: port)
            #expect(head.header("Content-Length") == String(bytes.count))
            #expect(head.body.isEmpty)
        }
    }

    @Test func redirectsRootAndFoldersWithoutSlash() async throws {
        let site = try PreviewFixture()
        try await site.serving { port in
            for (uri, location) in [("/", "/guides/"), ("/guides", "/guides/"), ("/guides/roles/backend-developer", "/guides/roles/backend-developer/")] {
                let response = try await RawConnection.fetch(uri, port: port)
                #expect(response.status == 301, "\(uri)")
                #expect(response.header("Location") == location, "\(uri)")
            }
            #expect(try await RawConnection.fetch("/guides/?q=go", port: port).status == 200)
        }
    }

    @Test func missingPagesGetTheSites404() async throws {
        let site = try PreviewFixture()
        try await site.serving { port in
            for uri in ["/guides/nope/", "/guides/nope.css", "/elsewhere/", "/guides/roles/backend-developer/index.htm"] {
                let response = try await RawConnection.fetch(uri, port: port)
                #expect(response.status == 404, "\(uri)")
                #expect(response.text.contains("Page not found"), "\(uri)")
                #expect(response.text.contains("__guidegen/live.js"), "\(uri): the 404 page reloads too")
            }
        }
    }

    @Test func onlyGetAndHead() async throws {
        let site = try PreviewFixture()
        try await site.serving { port in
            for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
                let response = try await RawConnection.fetch("/guides/", method: method, port: port)
                #expect(response.status == 405, "\(method)")
                #expect(response.header("Allow") == "GET, HEAD")
            }
            let get = try await RawConnection.fetch("/guides/roles/backend-developer/", port: port)
            let head = try await RawConnection.fetch("/guides/roles/backend-developer/", method: "HEAD", port: port)
            #expect(head.status == 200)
            #expect(head.body.isEmpty)
            #expect(!get.body.isEmpty)
            #expect(head.header("Content-Length") == String(get.body.count))
            #expect(head.header("Content-Type") == "text/html; charset=utf-8")
        }
    }

    /// Every way a path could climb out of the site, sent over a real socket.
    @Test func noPathLeavesTheSite() async throws {
        let site = try PreviewFixture()
        // A link in static/ to a file outside the site folder, made after the build listed static/.
        try FileManager.default.createSymbolicLink(atPath: site.directory + "/static/linked.txt", withDestinationPath: site.outside + "/secret.txt")
        // And a listed static file replaced by such a link after the build.
        try FileManager.default.removeItem(atPath: site.directory + "/static/notes.txt")
        try FileManager.default.createSymbolicLink(atPath: site.directory + "/static/notes.txt", withDestinationPath: site.outside + "/secret.txt")
        let attempts = [
            "/guides/../outside/secret.txt", "/guides/%2e%2e/outside/secret.txt", "/guides/%2E%2E/%2E%2E/etc/passwd",
            "/guides/..%2foutside%2fsecret.txt", "/guides/img/..%2F..%2F..%2Foutside/secret.txt", "/guides/..%5c..%5coutside%5csecret.txt",
            "/guides//etc/passwd", "/guides/%2fetc/passwd", "/guides/linked.txt",
            "/guides/notes.txt", "/guides/./style.css", "/guides/%00", "/guides/guidegen.yml", "/guides/content/roles/backend-developer.md",
        ]
        // Backslashes, which an HTTP parser may refuse before the preview sees them: straight to the state.
        for uri in ["/guides/img\\..\\..\\outside\\secret.txt", "/guides/\\..\\outside/secret.txt"] {
            #expect(await site.state.respond(method: "GET", path: uri).status == 404, "\(uri)")
        }
        try await site.serving { port in
            for uri in attempts {
                let response = try await RawConnection.fetch(uri, port: port)
                #expect(response.status == 404, "\(uri)")
                #expect(!response.text.contains("secret"), "\(uri)")
                #expect(!response.text.contains("root:"), "\(uri)")
            }
        }
    }

    @Test func eventsTellTabsToReloadOnlyWithACompleteSite() async throws {
        let site = try PreviewFixture()
        var events = site.state.listen().makeAsyncIterator()
        let opening = await events.text()
        #expect(opening?.hasPrefix(": guidegen live reload\nretry: 500\n\nevent: hello\ndata: ") == true)

        // A broken link: problems with file, line and column; the last good page stays served.
        let text = try String(contentsOfFile: site.directory + "/content/roles/backend-developer.md", encoding: .utf8)
        try site.write("content/roles/backend-developer.md", text + "\n[x](/roles/nope.md)\n")
        try site.rebuild()
        let problems = try #require(await events.text())
        #expect(problems.hasPrefix("event: problems\ndata: {\"problems\":["))
        #expect(problems.hasSuffix("],\"total\":1}\n\n"))
        #expect(problems.contains("\"file\":\"content/roles/backend-developer.md\",\"hint\":"))
        #expect(problems.contains("\"line\":10"))
        let answer = await site.state.respond(method: "GET", path: "/guides/roles/backend-developer/")
        guard case let .data(page) = answer.body else { Issue.record("no page"); return }
        #expect(String(decoding: page, as: UTF8.self).contains("Writes"))

        // Fixed, with an edit: one reload, and the new text is served.
        try site.write("content/roles/backend-developer.md", text.replacingOccurrences(of: "Writes", with: "Designs"))
        try site.rebuild()
        #expect(await events.text()?.hasPrefix("event: reload\n") == true)
        guard case let .data(fixed) = await site.state.respond(method: "GET", path: "/guides/roles/backend-developer/").body else { return }
        #expect(String(decoding: fixed, as: UTF8.self).contains("Designs"))

        // Nothing changed: no event at all (the next event is the next edit's).
        try site.rebuild()
        try site.write("content/roles/frontend-developer.md", "---\ntitle: \"Frontend Developer\"\n---\nNo category.\n")
        try site.rebuild()
        #expect(await events.text()?.hasPrefix("event: problems\n") == true)
    }

    /// Ctrl-C: open event streams end (else the graceful shutdown waits for them forever), new ones
    /// end at once, and the state still answers (finishing a stream must not deadlock its lock).
    @Test func stoppingEndsEveryEventStream() async throws {
        let site = try PreviewFixture()
        let first = site.state.listen()
        let second = site.state.listen()
        #expect(site.state.openStreams == 2)
        site.state.finishListeners()
        #expect(site.state.openStreams == 0)
        var events = 0
        for await _ in first { events += 1 }
        for await _ in second { events += 1 }
        #expect(events == 2, "each stream still sends its opening, then ends")
        let late = site.state.listen()
        var lateEvents = 0
        for await _ in late { lateEvents += 1 }
        #expect(lateEvents == 1)
        #expect(site.state.openStreams == 0)
        #expect(await site.state.respond(method: "GET", path: "/guides/").status == 200)
    }

    /// A site whose first build failed: every address answers a page that lists nothing by itself but
    /// carries the reload script (the overlay shows the errors), then the site once it is fixed.
    @Test func beforeTheFirstGoodBuild() async throws {
        let site = try PreviewFixture()
        let text = try String(contentsOfFile: site.directory + "/content/roles/frontend-developer.md", encoding: .utf8)
        let fresh = PreviewState(basePath: "/guides/", siteRoot: site.directory)
        var session = SiteSession(options: BuildOptions(source: site.directory))
        try site.write("content/roles/frontend-developer.md", text + "\n[x](/roles/nope.md)\n")
        let failed = session.update()
        fresh.publish(site: failed.succeeded ? session.site : nil, changed: !failed.changed.isEmpty, problems: failed.diagnostics.errors)
        let answer = await fresh.respond(method: "GET", path: "/guides/roles/backend-developer/")
        #expect(answer.status == 503)
        guard case let .data(page) = answer.body else { Issue.record("no page"); return }
        #expect(String(decoding: page, as: UTF8.self).contains("/guides/__guidegen/live.js"))
        var events = fresh.listen().makeAsyncIterator()
        #expect(await events.text()?.contains("\n\nevent: problems\ndata: ") == true, "the opening carries the problems")
        try site.write("content/roles/frontend-developer.md", text)
        let fixed = session.update()
        fresh.publish(site: fixed.succeeded ? session.site : nil, changed: !fixed.changed.isEmpty, problems: fixed.diagnostics.errors)
        #expect(await events.text()?.hasPrefix("event: reload") == true)
        #expect(await fresh.respond(method: "GET", path: "/guides/roles/backend-developer/").status == 200)
    }

    @Test func searchSeesTheEdit() async throws {
        let site = try PreviewFixture()
        func manifest() async -> String {
            guard case let .data(data) = await site.state.respond(method: "GET", path: "/guides/search/manifest.json").body else { return "" }
            return String(decoding: data, as: UTF8.self)
        }
        let before = await manifest()
        #expect(before.contains("\"pages\""))
        try site.write("content/roles/zebra-wrangler.md", "---\ntitle: \"Zebra Wrangler\"\ncategory: \"Web\"\nskills: [\"Go\"]\n---\nZebracorn.\n")
        try site.rebuild()
        #expect(await manifest() != before)
    }

    /// Many requests at once for the search index of one site: it is made once, and every request gets
    /// the same bytes; the next site gets an index of its own, once.
    @Test func concurrentSearchRequestsMakeTheIndexOnce() async throws {
        let site = try PreviewFixture()
        /// The addresses of the current site's index: the manifest, and files in its version's folder (the version
        /// worked out here, from an index of the test's own, so the preview's first request is one of the 40).
        func indexPaths() -> [String] {
            let manifest = site.session.site?.searchFiles().first { $0.path == "search/manifest.json" }?.data ?? Data()
            let version = SearchIndex.version(ofManifest: manifest) ?? "none"
            return ["/guides/search/manifest.json"] + ["s/0.bin", "f/0.json", "f/1.json"].map { "/guides/search/\(version)/" + $0 }
        }
        var paths = indexPaths()
        func fetchAll() async -> [String: Set<Data>] {
            let paths = paths
            return await withTaskGroup(of: (String, Data?).self) { group in
                for index in 0..<40 {
                    let path = paths[index % paths.count]
                    group.addTask {
                        let answer = await site.state.respond(method: "GET", path: path)
                        guard answer.status == 200, case let .data(data) = answer.body else { return (path, nil) }
                        return (path, data)
                    }
                }
                var answers: [String: Set<Data>] = [:]
                for await (path, data) in group { answers[path, default: []].insert(data ?? Data("no file".utf8)) }
                return answers
            }
        }
        let first = await fetchAll()
        #expect(site.state.search.count == 1)
        #expect(first.values.allSatisfy { $0.count == 1 && !$0.contains(Data("no file".utf8)) }, "\(first.mapValues(\.count))")
        #expect(first["/guides/search/manifest.json"]?.first.map { String(decoding: $0, as: UTF8.self).contains("\"pages\"") } == true)
        try site.write("content/roles/zebra-wrangler.md", "---\ntitle: \"Zebra Wrangler\"\ncategory: \"Web\"\nskills: [\"Go\"]\n---\nZebracorn.\n")
        try site.rebuild()
        paths = indexPaths()
        let second = await fetchAll()
        #expect(site.state.search.count == 2)
        #expect(second.values.allSatisfy { $0.count == 1 && !$0.contains(Data("no file".utf8)) })
        #expect(second["/guides/search/manifest.json"] != first["/guides/search/manifest.json"])
    }
}

@Suite struct LiveReloadTests {
    @Test func injectsBeforeTheLastBodyEndOnly() {
        let html = Data("<html><body><p>&lt;/body&gt; </body></html>".utf8)
        let injected = String(decoding: LiveReload.inject(into: html, basePath: "/"), as: UTF8.self)
        #expect(injected == "<html><body><p>&lt;/body&gt; <script src=\"/__guidegen/live.js\"></script></body></html>")
        let bare = String(decoding: LiveReload.inject(into: Data("<p>x".utf8), basePath: "/g/"), as: UTF8.self)
        #expect(bare == "<p>x<script src=\"/g/__guidegen/live.js\"></script>")
    }
}

@Suite struct WatcherTests {
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func add() { lock.lock(); value += 1; lock.unlock() }
        var count: Int { lock.lock(); defer { lock.unlock() }; return value }
    }

    final class Names: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Set<String>?? = .none
        func add(_ paths: Set<String>?) { lock.lock(); value = .some(paths); lock.unlock() }
        var last: Set<String>?? { lock.lock(); defer { lock.unlock() }; return value }
    }

    func wait(until condition: () -> Bool, seconds: Double = 3) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition(), Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
    }

    /// Whether the watcher names the files that changed here (inotify, Linux); macOS polls and names none.
    static let namesFiles: Bool = {
        #if os(Linux)
        true
        #else
        false
        #endif
    }()

    @Test(.enabled(if: namesFiles, "inotify (Linux) only: polling names no files"))
    func aSaveByRenameIsOneChangeAndNewFoldersAreWatched() async throws {
        let root = NSTemporaryDirectory() + "guidegen-watch-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/content/roles", withIntermediateDirectories: true)
        try "a".write(toFile: root + "/content/roles/a.md", atomically: false, encoding: .utf8)
        let changes = Counter()
        let named = Names()
        let watcher = Watcher(root: root) { paths in
            named.add(paths)
            changes.add()
        }
        watcher.start()
        defer { watcher.stop() }
        try await Task.sleep(for: .milliseconds(300))

        // An editor's save: a temporary file, written, then renamed over the page.
        try "b".write(toFile: root + "/content/roles/.a.md.tmp", atomically: false, encoding: .utf8)
        try FileManager.default.removeItem(atPath: root + "/content/roles/a.md")
        try FileManager.default.moveItem(atPath: root + "/content/roles/.a.md.tmp", toPath: root + "/content/roles/a.md")
        try await wait { changes.count >= 1 }
        try await Task.sleep(for: .milliseconds(200))
        #expect(changes.count == 1)
        // It names the page (and the temporary file), so only they are read again.
        #expect(named.last == .some(.some(Set(["content/roles/a.md", "content/roles/.a.md.tmp"]))))

        // A folder made after the start, then a page in it.
        try FileManager.default.createDirectory(atPath: root + "/content/guides/deep", withIntermediateDirectories: true)
        try await wait { changes.count >= 2 }
        #expect(named.last == .some(nil), "a new folder: not known file by file")
        try await Task.sleep(for: .milliseconds(100))
        let before = changes.count
        try "c".write(toFile: root + "/content/guides/deep/c.md", atomically: false, encoding: .utf8)
        try await wait { changes.count > before }
        #expect(changes.count > before)

        // guidegen.yml, and a file outside the watched folders (not a change of the site).
        let beforeConfig = changes.count
        try "title: x".write(toFile: root + "/guidegen.yml", atomically: false, encoding: .utf8)
        try await wait { changes.count > beforeConfig }
        #expect(changes.count > beforeConfig)
        try await Task.sleep(for: .milliseconds(100))
        let beforeOther = changes.count
        try "x".write(toFile: root + "/notes.txt", atomically: false, encoding: .utf8)
        try await Task.sleep(for: .milliseconds(300))
        #expect(changes.count == beforeOther)
    }

    /// A folder renamed (`mv content/notes content/notes2`): the rename is a change not known file by
    /// file, and later edits inside it are named under the new path; a folder moved out of the site
    /// is no longer watched.
    @Test(.enabled(if: namesFiles, "inotify (Linux) only: polling names no files"))
    func followsFolderRenames() async throws {
        let root = NSTemporaryDirectory() + "guidegen-rename-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/content/notes/deep", withIntermediateDirectories: true)
        try "a".write(toFile: root + "/content/notes/a.md", atomically: false, encoding: .utf8)
        try "b".write(toFile: root + "/content/notes/deep/b.md", atomically: false, encoding: .utf8)
        let changes = Counter()
        let named = Names()
        let watcher = Watcher(root: root) { paths in
            named.add(paths)
            changes.add()
        }
        watcher.start()
        defer { watcher.stop() }
        try await Task.sleep(for: .milliseconds(300))

        try FileManager.default.moveItem(atPath: root + "/content/notes", toPath: root + "/content/notes2")
        try await wait { changes.count >= 1 }
        #expect(named.last == .some(nil), "a folder moved: not known file by file")
        try await Task.sleep(for: .milliseconds(100))

        var before = changes.count
        try "a2".write(toFile: root + "/content/notes2/a.md", atomically: false, encoding: .utf8)
        try await wait { changes.count > before }
        #expect(named.last == .some(.some(["content/notes2/a.md"])))
        try await Task.sleep(for: .milliseconds(100))
        before = changes.count
        try "b2".write(toFile: root + "/content/notes2/deep/b.md", atomically: false, encoding: .utf8)
        try await wait { changes.count > before }
        #expect(named.last == .some(.some(["content/notes2/deep/b.md"])))

        // Renamed twice, and then moved out of the site.
        try FileManager.default.moveItem(atPath: root + "/content/notes2", toPath: root + "/content/notes3")
        try await wait { changes.count > before + 1 }
        try await Task.sleep(for: .milliseconds(100))
        before = changes.count
        try "b3".write(toFile: root + "/content/notes3/deep/b.md", atomically: false, encoding: .utf8)
        try await wait { changes.count > before }
        #expect(named.last == .some(.some(["content/notes3/deep/b.md"])))
        try FileManager.default.moveItem(atPath: root + "/content/notes3", toPath: root + "/outside")
        try await Task.sleep(for: .milliseconds(200))
        before = changes.count
        try "x".write(toFile: root + "/outside/a.md", atomically: false, encoding: .utf8)
        try await Task.sleep(for: .milliseconds(300))
        #expect(changes.count == before, "a folder moved out of the site is not watched")
    }

    /// The watcher and a session together, as `guidegen serve` runs them: after a folder is renamed
    /// its pages move to the new address, and an edit inside it is served.
    @Test func aRenamedFolderIsServedUnderItsNewName() async throws {
        let site = try PreviewFixture()
        try FileManager.default.createDirectory(atPath: site.directory + "/content/guides/notes", withIntermediateDirectories: true)
        try site.write("content/guides/notes/first-steps.md", "---\ntitle: \"First Steps\"\nsummary: \"Start.\"\n---\nOriginal text.\n")
        try site.rebuild()
        func page(_ path: String) async -> String? {
            guard case let .data(data) = await site.state.respond(method: "GET", path: path).body,
                  await site.state.respond(method: "GET", path: path).status == 200 else { return nil }
            return String(decoding: data, as: UTF8.self)
        }
        #expect(await page("/guides/guides/notes/first-steps/")?.contains("Original text.") == true)
        let rebuilds = Counter()
        let watcher = Watcher(root: site.directory) { changed in
            try? site.rebuild(changed: changed)
            rebuilds.add()
        }
        watcher.start()
        defer { watcher.stop() }
        try await Task.sleep(for: .milliseconds(300))
        try FileManager.default.moveItem(atPath: site.directory + "/content/guides/notes", toPath: site.directory + "/content/guides/notes2")
        try await wait { rebuilds.count >= 1 }
        #expect(await page("/guides/guides/notes/first-steps/") == nil)
        #expect(await page("/guides/guides/notes2/first-steps/")?.contains("Original text.") == true)
        try await Task.sleep(for: .milliseconds(100))
        let before = rebuilds.count
        try site.write("content/guides/notes2/first-steps.md", "---\ntitle: \"First Steps\"\nsummary: \"Start.\"\n---\nEdited text.\n")
        try await wait { rebuilds.count > before }
        #expect(await page("/guides/guides/notes2/first-steps/")?.contains("Edited text.") == true)
    }

    /// Where inotify is missing (macOS): polling sees edits, new files and deletions, and names no files.
    @Test func pollingSeesChanges() async throws {
        let root = NSTemporaryDirectory() + "guidegen-poll-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/content/roles", withIntermediateDirectories: true)
        try "a".write(toFile: root + "/content/roles/a.md", atomically: false, encoding: .utf8)
        let changes = Counter()
        let named = Names()
        let watcher = Watcher(root: root, polling: true) { paths in
            named.add(paths)
            changes.add()
        }
        watcher.start()
        defer { watcher.stop() }
        try await Task.sleep(for: .milliseconds(400))
        try "bb".write(toFile: root + "/content/roles/a.md", atomically: false, encoding: .utf8)
        try await wait { changes.count >= 1 }
        #expect(changes.count == 1)
        #expect(named.last == .some(nil))
        try "c".write(toFile: root + "/content/roles/c.md", atomically: false, encoding: .utf8)
        try await wait { changes.count >= 2 }
        try FileManager.default.removeItem(atPath: root + "/content/roles/c.md")
        try await wait { changes.count >= 3 }
        #expect(changes.count == 3)
    }
}

/// Lines collected from any thread.
final class Lines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func add(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}

/// Waits until `condition` holds or `seconds` pass.
func eventually(seconds: Double = 3, _ condition: () -> Bool) async throws {
    let deadline = Date().addingTimeInterval(seconds)
    while !condition(), Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
}

@Suite struct PreviewAccessTests {
    @Test func onlyItsOwnHostNames() {
        let local = PreviewAccess(listening: "127.0.0.1")
        for host in ["localhost", "localhost:4000", "LocalHost:4000", "127.0.0.1", "127.0.0.1:4000", "[::1]", "[::1]:4000"] {
            #expect(local.allows(host: host), "\(host)")
        }
        for host in [nil, "", "evil.example", "evil.example:4000", "127.0.0.1.nip.io:4000", "localhost.", "localhost.evil.example",
                     "localhost:abc", "localhost:4000:1", "192.168.1.5:4000", "[::1", "0.0.0.0:4000"] as [String?] {
            #expect(!local.allows(host: host), "\(host ?? "no Host")")
        }
    }

    @Test func allowedHostsAndTheListeningName() {
        let named = PreviewAccess(listening: "devbox.lan", allowed: ["my-laptop.local", "Other.Example:8080"])
        for host in ["devbox.lan:4000", "my-laptop.local", "MY-LAPTOP.local:4000", "other.example:4000", "localhost:4000"] {
            #expect(named.allows(host: host), "\(host)")
        }
        #expect(!named.allows(host: "evil.example:4000"))
        #expect(!named.allows(host: "10.0.0.2:4000"), "listening on one address: other IPs are not it")
    }

    /// Listening on every interface: the machine's addresses work, names still must be allowed.
    @Test func everyInterfaceAllowsAddressesNotNames() {
        for listening in ["0.0.0.0", "::"] {
            let any = PreviewAccess(listening: listening, allowed: ["devbox.lan"])
            for host in ["192.168.1.5:4000", "10.0.0.2", "[fe80::1]:4000", "[2001:db8::1]", "devbox.lan:4000", "localhost:4000"] {
                #expect(any.allows(host: host), "\(listening): \(host)")
            }
            for host in ["evil.example:4000", "192.168.1.5.nip.io:4000", "999.1.1.1:4000"] {
                #expect(!any.allows(host: host), "\(listening): \(host)")
            }
        }
    }

    @Test func eventStreamOnlyForTheSameOrigin() {
        let access = PreviewAccess(listening: "127.0.0.1")
        #expect(access.allowsEvents(host: "localhost:4000", origin: nil, fetchSite: nil))
        #expect(access.allowsEvents(host: "localhost:4000", origin: nil, fetchSite: "same-origin"))
        #expect(access.allowsEvents(host: "localhost:4000", origin: "http://localhost:4000", fetchSite: "same-origin"))
        #expect(!access.allowsEvents(host: "localhost:4000", origin: "http://evil.example", fetchSite: "cross-site"))
        #expect(!access.allowsEvents(host: "localhost:4000", origin: "http://evil.example", fetchSite: nil))
        #expect(!access.allowsEvents(host: "localhost:4000", origin: "null", fetchSite: nil))
        #expect(!access.allowsEvents(host: "localhost:4000", origin: "http://localhost:3000", fetchSite: nil))
        #expect(!access.allowsEvents(host: "localhost:4000", origin: nil, fetchSite: "cross-site"), "a no-cors fetch sends no Origin")
        #expect(!access.allowsEvents(host: "localhost:4000", origin: nil, fetchSite: "same-site"))
    }

    /// Over a real socket: another Host gets 403 and how to allow it; the event stream refuses
    /// another origin; the preview's own names are answered, with any port.
    @Test func refusesOtherHostsOverHTTP() async throws {
        let site = try PreviewFixture()
        try await site.serving { port in
            func status(_ request: String) async throws -> (String, String) {
                let connection = try RawConnection(port: port)
                defer { connection.close() }
                connection.send(request)
                await connection.read(until: "\r\n\r\n")
                await connection.read(until: "\u{0}", seconds: 0.2)
                let status = connection.received.components(separatedBy: "\r\n").first ?? ""
                return (status, connection.received)
            }
            let (refused, body) = try await status(RawConnection.get("/guides/", host: "evil.example:\(port)"))
            #expect(refused == "HTTP/1.1 403 Forbidden")
            #expect(body.contains("text/plain"))
            #expect(body.contains("--allowed-host evil.example"))
            #expect(!body.contains("Backend Developer"))
            #expect(try await status(RawConnection.get("/guides/roles/backend-developer/", host: "rebind.example")).0 == "HTTP/1.1 403 Forbidden")
            for host in ["localhost:\(port)", "127.0.0.1:\(port)", "[::1]:\(port)", "localhost"] {
                #expect(try await status(RawConnection.get("/guides/", host: host)).0 == "HTTP/1.1 200 OK", "\(host)")
            }
            let events = "/guides/__guidegen/events"
            #expect(try await status(RawConnection.get(events, host: "localhost:\(port)", headers: ["Origin: http://evil.example"])).0
                    == "HTTP/1.1 403 Forbidden")
            #expect(try await status(RawConnection.get(events, host: "localhost:\(port)", headers: ["Sec-Fetch-Site: cross-site"])).0
                    == "HTTP/1.1 403 Forbidden")
            #expect(try await status(RawConnection.get(events, host: "localhost:\(port)", headers: ["Origin: http://localhost:\(port)"])).0
                    == "HTTP/1.1 200 OK")
        }
        #expect(site.state.openStreams == 0)
    }
}

@Suite struct PreviewConnectionTests {
    static let events = "/guides/__guidegen/events"

    /// A client that closes its event stream (a closed tab, an aborted fetch) frees it at once, not
    /// at the next save.
    @Test func closedEventStreamsAreReapedAtOnce() async throws {
        let site = try PreviewFixture()
        try await site.serving { port in
            var connections: [RawConnection] = []
            for _ in 0..<20 {
                let connection = try RawConnection(port: port)
                connection.send(RawConnection.get(Self.events, host: "localhost:\(port)"))
                #expect(await connection.read(until: "event: hello"))
                connections.append(connection)
            }
            #expect(site.state.openStreams == 20)
            for connection in connections.prefix(15) { connection.close() }
            try await eventually { site.state.openStreams == 5 }
            #expect(site.state.openStreams == 5)
            for connection in connections.suffix(5) { connection.close() }
            try await eventually { site.state.openStreams == 0 }
            #expect(site.state.openStreams == 0)
        }
    }

    /// Clients that never read their event stream hold at most the opening and one event each, and
    /// an event is bounded whatever the number of problems.
    @Test func nonReadingClientsHoldBoundedEvents() async throws {
        let site = try PreviewFixture()
        let queues = (0..<20).map { _ in site.state.listen() }
        let problems = (0..<100_000).map { index in
            Diagnostic.error(.unreadableFile, at: SourceLocation(file: "content/roles/page-\(index).md", line: index + 1, column: 1),
                             "problem number \(index) " + String(repeating: "x", count: 200), hint: "fix it")
        }
        for round in 0..<5 {
            site.state.publish(site: nil, changed: false, problems: problems)
            site.state.publish(site: nil, changed: round % 2 == 0, problems: [])
        }
        site.state.publish(site: nil, changed: false, problems: problems)
        let perClient = PreviewState.problemsLimit + 1024
        #expect(site.state.queuedEventBytes <= 20 * 2 * perClient, "\(site.state.queuedEventBytes) bytes queued")
        // A new client's opening carries the problems, bounded too, with how many there are.
        var opening = site.state.listen().makeAsyncIterator()
        let text = try #require(await opening.text())
        #expect(text.utf8.count <= perClient)
        #expect(text.contains("],\"total\":100000}"))
        withExtendedLifetime(queues) {}
    }

    /// A waiting reload is not replaced by later problems (the reloaded page gets them itself);
    /// waiting problems are replaced by newer ones.
    @Test func aWaitingReloadStays() async throws {
        let site = try PreviewFixture()
        var events = site.state.listen().makeAsyncIterator()
        _ = await events.text()
        let problem = Diagnostic.error(.unreadableFile, at: SourceLocation(file: "content/a.md"), "first", hint: "h")
        site.state.publish(site: nil, changed: false, problems: [problem])
        site.state.publish(site: nil, changed: false, problems: [problem, problem])
        #expect(await events.text()?.contains("\"total\":2") == true)
        site.state.publish(site: nil, changed: true, problems: [])
        site.state.publish(site: nil, changed: false, problems: [problem])
        #expect(await events.text()?.hasPrefix("event: reload\n") == true)
    }

    /// A request head not sent whole within the idle timeout (a slow or stalled client) is closed;
    /// so is an idle keep-alive connection. An event stream is not idle.
    @Test func halfSentRequestsTimeOut() async throws {
        let site = try PreviewFixture()
        let limits = ConnectionLimits(total: 50, perAddress: 50, idleTimeout: .milliseconds(300), descriptorLimit: 1024)
        try await site.serving(limits: limits) { port in
            let slow = try RawConnection(port: port)
            defer { slow.close() }
            slow.send("GET /guides/ HTTP/1.1\r\nHo")
            let stream = try RawConnection(port: port)
            defer { stream.close() }
            stream.send(RawConnection.get(Self.events, host: "localhost:\(port)"))
            #expect(await stream.read(until: "event: hello"))
            let idle = try RawConnection(port: port)
            defer { idle.close() }
            idle.send(RawConnection.get("/guides/", host: "localhost:\(port)"))
            #expect(await idle.read(until: "</html>"))
            #expect(await slow.closedByServer(within: 2))
            #expect(await idle.closedByServer(within: 2))
            #expect(await stream.closedByServer(within: 0.5) == false)
            #expect(site.state.openStreams == 1)
        }
    }

    /// Past the per-address limit a new connection is closed at once, and the terminal is told once.
    @Test func perAddressLimit() async throws {
        let site = try PreviewFixture()
        let warnings = Lines()
        let limits = ConnectionLimits(total: 50, perAddress: 3, idleTimeout: .seconds(30), descriptorLimit: 1024)
        try await site.serving(limits: limits, warnings: warnings) { port in
            let held = try (0..<3).map { _ in try RawConnection(port: port) }
            for connection in held { connection.send("GET / HTTP/1.1\r\n") }
            try await Task.sleep(for: .milliseconds(100))
            for _ in 0..<2 {
                let extra = try RawConnection(port: port)
                #expect(await extra.closedByServer(within: 2))
                extra.close()
            }
            #expect(warnings.all.count == 1)
            #expect(warnings.all.first?.contains("3 connections from 127.0.0.1") == true)
            held[0].close()
            try await Task.sleep(for: .milliseconds(100))
            let next = try RawConnection(port: port)
            defer { next.close() }
            next.send(RawConnection.get("/guides/", host: "localhost:\(port)"))
            #expect(await next.read(until: "200 OK"))
            for connection in held.dropFirst() { connection.close() }
        }
    }

    /// Past the total limit new connections wait unaccepted (they hold no descriptor of the
    /// server's) and are answered once others close; the terminal says why, once.
    @Test func totalLimitMakesNewConnectionsWait() async throws {
        let site = try PreviewFixture()
        let warnings = Lines()
        let limits = ConnectionLimits(total: 3, perAddress: 10, idleTimeout: .seconds(30), descriptorLimit: 64)
        try await site.serving(limits: limits, warnings: warnings) { port in
            var held: [RawConnection] = []
            for _ in 0..<3 {
                let connection = try RawConnection(port: port)
                connection.send("GET / HTTP/1.1\r\n")
                held.append(connection)
            }
            try await Task.sleep(for: .milliseconds(100))
            let late = try RawConnection(port: port)
            defer { late.close() }
            late.send(RawConnection.get("/guides/", host: "localhost:\(port)"))
            #expect(await late.read(until: "200 OK", seconds: 0.5) == false, "no answer while the limit is reached")
            #expect(warnings.all.contains { $0.contains("ulimit -n 64") })
            for connection in held { connection.close() }
            #expect(await late.read(until: "200 OK", seconds: 3))
            #expect(warnings.all.filter { $0.contains("ulimit") }.count == 1)
        }
    }

    /// A guidegen.yml that cannot be read says why, not that it is not UTF-8.
    @Test func unreadableConfigSaysWhy() throws {
        let site = try PreviewFixture()
        try FileManager.default.removeItem(atPath: site.directory + "/guidegen.yml")
        try FileManager.default.createDirectory(atPath: site.directory + "/guidegen.yml", withIntermediateDirectories: false)
        let update = site.session.update()
        let message = try #require(update.diagnostics.errors.first?.message)
        #expect(message == "cannot read guidegen.yml: Is a directory")
    }
}

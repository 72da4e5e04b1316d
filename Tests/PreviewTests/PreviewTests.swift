import Diagnostics
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Preview
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

    func rebuild() throws {
        let update = session.update()
        state.publish(site: update.succeeded ? session.site : nil, changed: !update.changed.isEmpty,
                      problems: update.diagnostics.errors)
    }

    func write(_ path: String, _ text: String) throws {
        try text.write(toFile: directory + "/" + path, atomically: true, encoding: .utf8)
    }

    var app: some ApplicationProtocol {
        PreviewServer.application(state: state, host: "127.0.0.1", port: 0) { _ in }
    }

    deinit {
        try? FileManager.default.removeItem(atPath: (directory as NSString).deletingLastPathComponent)
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}

@Suite struct PreviewHTTPTests {
    @Test func servesPagesFoldersAndFilesWithTheirTypes() async throws {
        let site = try PreviewFixture()
        try await site.app.test(.router) { client in
            try await client.execute(uri: "/guides/roles/backend-developer/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(response.headers[.cacheControl] == "no-store")
                #expect(response.text.contains("Writes"))
                #expect(!response.text.contains("<b>services"), "raw HTML stays off in the preview too")
                #expect(response.text.contains("<script src=\"/guides/__guidegen/live.js\"></script></body>"))
            }
            for (uri, type) in [("/guides/style.css", "text/css; charset=utf-8"), ("/guides/search.js", "text/javascript; charset=utf-8"),
                                ("/guides/img/chart.svg", "image/svg+xml"), ("/guides/sitemap.xml", "application/xml"),
                                ("/guides/search/manifest.json", "application/json"), ("/guides/notes.txt", "text/plain; charset=utf-8"),
                                ("/guides/__guidegen/live.js", "text/javascript; charset=utf-8")] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok, "\(uri)")
                    #expect(response.headers[.contentType] == type, "\(uri)")
                    #expect(!response.text.contains("__guidegen/live.js\"></script>"), "\(uri) must not carry the reload script")
                }
            }
        }
    }

    @Test func redirectsRootAndFoldersWithoutSlash() async throws {
        let site = try PreviewFixture()
        try await site.app.test(.router) { client in
            for (uri, location) in [("/", "/guides/"), ("/guides", "/guides/"), ("/guides/roles/backend-developer", "/guides/roles/backend-developer/")] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .movedPermanently, "\(uri)")
                    #expect(response.headers[.location] == location, "\(uri)")
                }
            }
            try await client.execute(uri: "/guides/?q=go", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func missingPagesGetTheSites404() async throws {
        let site = try PreviewFixture()
        try await site.app.test(.router) { client in
            for uri in ["/guides/nope/", "/guides/nope.css", "/elsewhere/", "/guides/roles/backend-developer/index.htm"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .notFound, "\(uri)")
                    #expect(response.text.contains("Page not found"), "\(uri)")
                    #expect(response.text.contains("__guidegen/live.js"), "\(uri): the 404 page reloads too")
                }
            }
        }
    }

    @Test func onlyGetAndHead() async throws {
        let site = try PreviewFixture()
        try await site.app.test(.router) { client in
            for method in [HTTPRequest.Method.post, .put, .delete, .patch, .options] {
                try await client.execute(uri: "/guides/", method: method) { response in
                    #expect(response.status == .methodNotAllowed, "\(method)")
                    #expect(response.headers[.allow] == "GET, HEAD")
                }
            }
            let get = try await client.execute(uri: "/guides/roles/backend-developer/", method: .get)
            try await client.execute(uri: "/guides/roles/backend-developer/", method: .head) { response in
                #expect(response.status == .ok)
                #expect(response.body.readableBytes == 0)
                #expect(response.headers[.contentLength] == String(get.body.readableBytes))
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            }
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
        // Backslashes, which the test client will not send: straight to the state.
        for uri in ["/guides/img\\..\\..\\outside\\secret.txt", "/guides/\\..\\outside/secret.txt"] {
            #expect(site.state.respond(method: "GET", path: uri).status == 404, "\(uri)")
        }
        try await site.app.test(.live) { client in
            for uri in attempts {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .notFound, "\(uri)")
                    #expect(!response.text.contains("secret"), "\(uri)")
                    #expect(!response.text.contains("root:"), "\(uri)")
                }
            }
        }
    }

    @Test func eventsTellTabsToReloadOnlyWithACompleteSite() async throws {
        let site = try PreviewFixture()
        let (_, stream) = site.state.listen()
        var events = stream.makeAsyncIterator()
        #expect(await events.next()?.hasPrefix(": guidegen live reload") == true)
        #expect(await events.next()?.hasPrefix("event: hello\ndata: ") == true)

        // A broken link: problems with file, line and column; the last good page stays served.
        let text = try String(contentsOfFile: site.directory + "/content/roles/backend-developer.md", encoding: .utf8)
        try site.write("content/roles/backend-developer.md", text + "\n[x](/roles/nope.md)\n")
        try site.rebuild()
        let problems = try #require(await events.next())
        #expect(problems.hasPrefix("event: problems\ndata: "))
        #expect(problems.contains("\"file\":\"content/roles/backend-developer.md\",\"hint\":"))
        #expect(problems.contains("\"line\":10"))
        let answer = site.state.respond(method: "GET", path: "/guides/roles/backend-developer/")
        guard case let .data(page) = answer.body else { Issue.record("no page"); return }
        #expect(String(decoding: page, as: UTF8.self).contains("Writes"))

        // Fixed, with an edit: one reload, and the new text is served.
        try site.write("content/roles/backend-developer.md", text.replacingOccurrences(of: "Writes", with: "Designs"))
        try site.rebuild()
        #expect(await events.next()?.hasPrefix("event: reload\n") == true)
        guard case let .data(fixed) = site.state.respond(method: "GET", path: "/guides/roles/backend-developer/").body else { return }
        #expect(String(decoding: fixed, as: UTF8.self).contains("Designs"))

        // Nothing changed: no event at all (the next event is the next edit's).
        try site.rebuild()
        try site.write("content/roles/frontend-developer.md", "---\ntitle: \"Frontend Developer\"\n---\nNo category.\n")
        try site.rebuild()
        #expect(await events.next()?.hasPrefix("event: problems\n") == true)
    }

    /// Ctrl-C: open event streams end (else the graceful shutdown waits for them forever), new ones
    /// end at once, and the state still answers (finishing a stream must not deadlock its lock).
    @Test func stoppingEndsEveryEventStream() async throws {
        let site = try PreviewFixture()
        let (_, first) = site.state.listen()
        let (_, second) = site.state.listen()
        site.state.finishListeners()
        var events = 0
        for await _ in first { events += 1 }
        for await _ in second { events += 1 }
        #expect(events == 4)
        let (_, late) = site.state.listen()
        var lateEvents = 0
        for await _ in late { lateEvents += 1 }
        #expect(lateEvents == 0)
        #expect(site.state.respond(method: "GET", path: "/guides/").status == 200)
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
        let answer = fresh.respond(method: "GET", path: "/guides/roles/backend-developer/")
        #expect(answer.status == 503)
        guard case let .data(page) = answer.body else { Issue.record("no page"); return }
        #expect(String(decoding: page, as: UTF8.self).contains("/guides/__guidegen/live.js"))
        let (_, stream) = fresh.listen()
        var events = stream.makeAsyncIterator()
        _ = await events.next()
        _ = await events.next()
        #expect(await events.next()?.hasPrefix("event: problems") == true)
        try site.write("content/roles/frontend-developer.md", text)
        let fixed = session.update()
        fresh.publish(site: fixed.succeeded ? session.site : nil, changed: !fixed.changed.isEmpty, problems: fixed.diagnostics.errors)
        #expect(await events.next()?.hasPrefix("event: reload") == true)
        #expect(fresh.respond(method: "GET", path: "/guides/roles/backend-developer/").status == 200)
    }

    @Test func searchSeesTheEdit() async throws {
        let site = try PreviewFixture()
        func manifest() -> String {
            guard case let .data(data) = site.state.respond(method: "GET", path: "/guides/search/manifest.json").body else { return "" }
            return String(decoding: data, as: UTF8.self)
        }
        let before = manifest()
        #expect(before.contains("\"pages\""))
        try site.write("content/roles/zebra-wrangler.md", "---\ntitle: \"Zebra Wrangler\"\ncategory: \"Web\"\nskills: [\"Go\"]\n---\nZebracorn.\n")
        try site.rebuild()
        #expect(manifest() != before)
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

    @Test func aSaveByRenameIsOneChangeAndNewFoldersAreWatched() async throws {
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

    /// Where inotify is missing: polling sees edits, new files and deletions, and names no files.
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

import Foundation
import LinkCheck
import Testing

/// `LinkChecker` against a local server: each answer a host can give is told apart as the writer needs it.
@Suite struct LinkCheckerTests {
    let checker = LinkChecker(timeout: 5, concurrency: 4, maximumRedirects: 5)

    @Test func eachAnswerIsToldApart() async throws {
        let server = TestServer()
        try await server.serving { base in
            let paths = ["/ok", "/moved", "/moved-again", "/temporary", "/gone", "/missing", "/broken", "/slow", "/loop", "/no-head", "/nowhere"]
            let results = await checker.check(paths.map { base + $0 } + ["http://127.0.0.1:1/refused"])
            func result(_ path: String) -> LinkResult { results[base + path]! }
            #expect(result("/ok") == LinkResult(verdict: .ok, status: 200, reason: "200 OK"))
            #expect(result("/moved") == LinkResult(verdict: .moved, status: 200, location: base + "/ok", reason: "moved permanently to \(base)/ok"))
            #expect(result("/moved-again").verdict == .moved, "a permanent hop, then a temporary one: the address moved")
            #expect(result("/moved-again").location == base + "/temporary", "to where the permanent redirect led; the temporary hop is the host's")
            #expect(result("/temporary").verdict == .ok, "a temporary redirect is the host's business")
            #expect(result("/gone") == LinkResult(verdict: .broken, status: 410, reason: "410 Gone"))
            #expect(result("/missing") == LinkResult(verdict: .broken, status: 404, reason: "404 Not Found"))
            #expect(result("/broken") == LinkResult(verdict: .broken, status: 500, reason: "500 Internal Server Error"))
            #expect(result("/slow") == LinkResult(verdict: .unreachable, reason: "no answer within 5 s"))
            #expect(result("/loop").verdict == .broken)
            #expect(result("/loop").reason == "redirect loop: \(base)/loop -> \(base)/loop-back -> \(base)/loop")
            #expect(result("/no-head").verdict == .ok, "HEAD refused, GET answered")
            #expect(result("/nowhere").reason == "301 Moved Permanently to no usable address")
            let refused = try #require(results["http://127.0.0.1:1/refused"])
            #expect(refused.verdict == .unreachable)
            #expect(refused.reason.hasPrefix("could not connect"), "\(refused.reason)")
            // HEAD first; GET only where HEAD got an error status; never after a timeout.
            #expect(server.requests["HEAD /gone"] == 1 && server.requests["HEAD /ok"] == 4 && server.requests["GET /ok"] == 0, "/ok: asked once and reached by three redirects")
            #expect(server.requests["HEAD /no-head"] == 1 && server.requests["GET /no-head"] == 1)
            #expect(server.requests["HEAD /missing"] == 1 && server.requests["GET /missing"] == 1)
            #expect(server.requests["GET /slow"] == 0)
        }
    }

    /// GET reads the head of the answer, never the body: a link to a 16 GiB file whose host refuses HEAD is checked
    /// without reading it (the whole body would be read, into memory, before `data(for:)` returned).
    @Test func aLargeFileIsNotDownloaded() async throws {
        let server = TestServer()
        try await server.serving { base in
            let result = await checker.check([base + "/huge"])[base + "/huge"]
            #expect(result?.verdict == .ok, "\(String(describing: result))")
            #expect(server.requests["HEAD /huge"] == 1 && server.requests["GET /huge"] == 1)
            try await Task.sleep(for: .milliseconds(300))
            let sent = server.requests["bytes /huge"]
            #expect(sent < 16 << 30, "the server was stopped after \(sent) bytes, not 16 GiB")
        }
    }

    /// A host that sends the head of its answer a byte at a time is given up at the timeout, counted from the start;
    /// after three such requests in a row its other addresses are not asked.
    @Test func aHostThatNeverFinishesIsGivenUp() async throws {
        let server = try DripServer()
        defer { server.stop() }
        let base = "http://127.0.0.1:\(server.port)"
        let one = LinkChecker(timeout: 1, concurrency: 1)
        let urls = (1...5).map { "\(base)/\($0)" }
        let start = Date()
        let results = await one.check(urls)
        // The drip lasts two minutes; under a loaded test run, resuming may wait for a thread, so only well short of it.
        #expect(Date().timeIntervalSince(start) < 60, "three timeouts, not a wait for the drip to end")
        #expect(urls.prefix(3).allSatisfy { results[$0] == LinkResult(verdict: .unreachable, reason: "no answer within 1 s") }, "\(results)")
        #expect(urls.suffix(2).allSatisfy { results[$0]?.reason == "not asked: 127.0.0.1 did not answer 3 requests in a row" }, "\(results)")
        #expect(server.connections == 3, "HEAD only: no GET after a timeout, and nothing after the third")
    }

    @Test func notAWebAddressIsBrokenWithoutARequest() async {
        let results = await checker.check(["https://", "http://exa mple.org/"])
        #expect(results.values.allSatisfy { $0.verdict == .broken })
    }

    @Test func tooManyRedirectsStop() async throws {
        let server = TestServer()
        try await server.serving { base in
            let short = LinkChecker(timeout: 10, maximumRedirects: 1)
            let result = await short.check([base + "/moved-again"])[base + "/moved-again"]!
            #expect(result.verdict == .broken)
            #expect(result.reason.hasPrefix("more than 1 redirects"), "\(result.reason)")
        }
    }

    @Test func theCacheKeepsAnswersForItsAgeAndNoLonger() throws {
        let folder = NSTemporaryDirectory() + "link-cache-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/.guidegen-cache/external-links.json"
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        var cache = LinkCache()
        cache.record(LinkResult(verdict: .broken, status: 404, reason: "404 Not Found"), for: "https://a.example/", at: now)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        #expect(cache.write(to: path))
        let read = LinkCache(contentsOf: path)
        #expect(read == cache)
        #expect(read.result(for: "https://a.example/", now: now.addingTimeInterval(3600), maximumAge: 86400)?.status == 404)
        #expect(read.result(for: "https://a.example/", now: now.addingTimeInterval(86400), maximumAge: 86400) == nil, "a day old: asked again")
        #expect(read.result(for: "https://a.example/", now: now.addingTimeInterval(-10), maximumAge: 86400) == nil, "from the future: not trusted")
        // Not a cache: ignored, and a link in its place is never written through.
        try Data("not json".utf8).write(to: URL(fileURLWithPath: path))
        #expect(LinkCache(contentsOf: path) == LinkCache())
        try FileManager.default.removeItem(atPath: path)
        let elsewhere = folder + "/elsewhere.txt"
        try Data("mine".utf8).write(to: URL(fileURLWithPath: elsewhere))
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: elsewhere)
        #expect(!cache.write(to: path))
        #expect(try String(contentsOfFile: elsewhere, encoding: .utf8) == "mine")
    }
}

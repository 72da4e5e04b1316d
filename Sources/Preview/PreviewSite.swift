import Diagnostics
import Foundation
import Site
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the preview answers for one request, before it becomes HTTP.
public struct PreviewResponse: Sendable, Equatable {
    public enum Body: Sendable, Equatable {
        case data(Data)
        /// The event stream of live reload.
        case events
    }

    public var status: Int
    public var headers: [(String, String)]
    public var body: Body

    public static func == (lhs: PreviewResponse, rhs: PreviewResponse) -> Bool {
        lhs.status == rhs.status && lhs.body == rhs.body && lhs.headers.map { "\($0.0): \($0.1)" } == rhs.headers.map { "\($0.0): \($0.1)" }
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}

/// The site the preview serves, held in memory and swapped whole after each successful rebuild, with
/// the problems of the last rebuild and the clients waiting for news. Safe to use from any thread.
public final class PreviewState: @unchecked Sendable {
    private let lock = NSLock()
    private var site: BuiltSite?
    private var search: (generation: Int, files: [String: Data])?
    private let searchLock = NSLock()
    private var problems: [Diagnostic] = []
    private var generation = 0
    private var listeners: [UUID: AsyncStream<String>.Continuation] = [:]
    /// Set once the server is stopping: streams end at once, new ones too.
    private var closed = false
    /// Distinguishes this server's generations from an earlier run's (a reconnecting tab reloads).
    private let run = String(Int(Date().timeIntervalSince1970 * 1000), radix: 36)
    public let basePath: String
    /// The site folder, every link resolved: no file outside it is served.
    let siteRoot: String

    public init(basePath: String, siteRoot: String) {
        self.basePath = basePath
        self.siteRoot = siteRoot
    }

    private func locked<T>(_ work: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return work()
    }

    /// After a rebuild: a new site (when it succeeded) and the problems that remain. Tabs reload only
    /// once the new site is in place; with problems they show them over the last good site.
    public func publish(site newSite: BuiltSite?, changed: Bool, problems newProblems: [Diagnostic]) {
        // The replaced site is freed after the lock is released and the tabs are told.
        var replaced: BuiltSite?
        let events: [String] = locked {
            var events: [String] = []
            let hadProblems = !problems.isEmpty
            if let newSite, changed || site == nil {
                replaced = site
                site = newSite
                generation += 1
            }
            problems = newProblems
            if !newProblems.isEmpty {
                events.append(Self.event("problems", Self.json(newProblems)))
            } else if changed || hadProblems {
                events.append(Self.event("reload", "\(run)-\(generation)"))
            }
            for continuation in listeners.values {
                for event in events { continuation.yield(event) }
            }
            return events
        }
        _ = events
        withExtendedLifetime(replaced) {}
    }

    /// A new live-reload listener: its stream starts with `hello` and the current problems.
    public func listen() -> (UUID, AsyncStream<String>) {
        let id = UUID()
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(16))
        let refused: Bool = locked {
            if closed { return true }
            continuation.yield(": guidegen live reload\nretry: 500\n\n")
            continuation.yield(Self.event("hello", "\(run)-\(generation)"))
            if !problems.isEmpty { continuation.yield(Self.event("problems", Self.json(problems))) }
            listeners[id] = continuation
            return false
        }
        if refused {
            continuation.finish()
            return (id, stream)
        }
        continuation.onTermination = { [weak self] _ in
            self?.locked { self?.listeners[id] = nil }
        }
        return (id, stream)
    }

    /// Ends every event stream, and any opened later (the server is stopping: an open stream would
    /// keep its graceful shutdown waiting).
    public func finishListeners() {
        // Finished outside the lock: finishing runs the stream's termination handler, which takes it.
        let open: [AsyncStream<String>.Continuation] = locked {
            closed = true
            defer { listeners = [:] }
            return Array(listeners.values)
        }
        for continuation in open { continuation.finish() }
    }

    static func event(_ name: String, _ data: String) -> String {
        "event: \(name)\n" + data.split(separator: "\n", omittingEmptySubsequences: false).map { "data: \($0)" }.joined(separator: "\n") + "\n\n"
    }

    static func json(_ problems: [Diagnostic]) -> String {
        JSON.array(problems.map(\.json)).text
    }

    // MARK: Answering requests

    /// The answer to `method path` (the path as sent, percent-encoded, with or without a query).
    public func respond(method: String, path rawPath: String) -> PreviewResponse {
        guard method == "GET" || method == "HEAD" else {
            return PreviewResponse(status: 405, headers: [("Allow", "GET, HEAD"), ("Content-Type", "text/plain; charset=utf-8")],
                                   body: .data(Data("Method not allowed: the preview only reads.\n".utf8)))
        }
        var path = rawPath
        if let query = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = String(path[..<query]) }
        if path == "/" || path.isEmpty, basePath != "/" { return redirect(to: basePath) }
        guard path.hasPrefix(basePath) || path + "/" == basePath else { return notFound() }
        if path + "/" == basePath { return redirect(to: basePath) }
        let inside = String(path.dropFirst(basePath.count))
        // Decode once, then refuse anything that could climb or that no output path has.
        guard let decoded = inside.removingPercentEncoding,
              !decoded.contains("\\"), !decoded.contains("\0"), !decoded.hasPrefix("/"),
              !decoded.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0 == ".." || $0 == "." }),
              !decoded.contains("//") else {
            return notFound()
        }
        if decoded == LiveReload.folder + "live.js" {
            return PreviewResponse(status: 200, headers: [("Content-Type", "text/javascript; charset=utf-8"), ("Cache-Control", "no-store")],
                                   body: .data(Data(LiveReload.script.utf8)))
        }
        if decoded == LiveReload.folder + "events" {
            return PreviewResponse(status: 200, headers: [("Content-Type", "text/event-stream"), ("Cache-Control", "no-store"),
                                                          ("X-Accel-Buffering", "no")], body: .events)
        }
        if decoded.isEmpty || decoded.hasSuffix("/") {
            if let data = file(decoded + "index.html") { return ok(data, path: "index.html") }
            return notFound()
        }
        if let data = file(decoded) { return ok(data, path: decoded) }
        if file(decoded + "/index.html") != nil {
            return redirect(to: basePath + inside + "/")
        }
        return notFound()
    }

    /// An output's bytes: a page, a theme file, a search file, or a file of the site's static/.
    func file(_ path: String) -> Data? {
        guard let site = locked({ site }) else { return nil }
        if let source = site.staticFiles[path] { return readStatic(source) }
        if let data = site.files[path] { return data }
        if path.hasPrefix("search/") { return searchFiles(site)[path] }
        return nil
    }

    /// A static file read now, only if it still resolves inside the site folder (a link swapped in
    /// after the listing cannot point the preview elsewhere).
    func readStatic(_ source: String) -> Data? {
        guard let resolved = realpath(source, nil) else { return nil }
        defer { free(resolved) }
        let target = String(cString: resolved)
        guard target.hasPrefix(siteRoot == "/" ? "/" : siteRoot + "/") else { return nil }
        var info = stat()
        guard stat(target, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return FileManager.default.contents(atPath: target)
    }

    /// The search index of the current site, made when first asked for after a change.
    func searchFiles(_ site: BuiltSite) -> [String: Data] {
        let current = locked { generation }
        searchLock.lock()
        defer { searchLock.unlock() }
        if let search, search.generation == current { return search.files }
        let files = Dictionary(site.searchFiles().map { ($0.path, $0.data) }) { first, _ in first }
        search = (current, files)
        return files
    }

    private func ok(_ data: Data, path: String) -> PreviewResponse {
        let type = Self.contentType(of: path)
        if type.hasPrefix("text/html") {
            return PreviewResponse(status: 200, headers: [("Content-Type", type), ("Cache-Control", "no-store")],
                                   body: .data(LiveReload.inject(into: data, basePath: basePath)))
        }
        return PreviewResponse(status: 200, headers: [("Content-Type", type), ("Cache-Control", "no-store")], body: .data(data))
    }

    private func redirect(to location: String) -> PreviewResponse {
        PreviewResponse(status: 301, headers: [("Location", location), ("Cache-Control", "no-store")], body: .data(Data()))
    }

    private func notFound() -> PreviewResponse {
        if let page = file("404.html") {
            return PreviewResponse(status: 404, headers: [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")],
                                   body: .data(LiveReload.inject(into: page, basePath: basePath)))
        }
        // No site built yet (the first build had errors): a page that shows them and reloads once they are fixed.
        let waiting = Data("""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>guidegen: the site has errors</title></head>
            <body><main><h1>The site has errors</h1><p>They are listed below and in the terminal. Fix them and save: this page reloads by itself.</p></main></body></html>
            """.utf8)
        return PreviewResponse(status: 503, headers: [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store"), ("Retry-After", "1")],
                               body: .data(LiveReload.inject(into: waiting, basePath: basePath)))
    }

    static let types: [String: String] = [
        "html": "text/html; charset=utf-8", "css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8",
        "json": "application/json", "xml": "application/xml", "txt": "text/plain; charset=utf-8", "svg": "image/svg+xml",
        "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp", "avif": "image/avif",
        "ico": "image/x-icon", "woff": "font/woff", "woff2": "font/woff2", "pdf": "application/pdf", "bin": "application/octet-stream",
        "webmanifest": "application/manifest+json", "mp4": "video/mp4", "csv": "text/csv; charset=utf-8",
    ]

    static func contentType(of path: String) -> String {
        let ext = (path as NSString).pathExtension.lowercased()
        return types[ext] ?? "application/octet-stream"
    }
}

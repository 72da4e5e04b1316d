import Concurrency
import Diagnostics
import Foundation
import JSONText
import NIOCore
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
        /// A file of the site's static/ folder, sent a piece at a time from `path` (resolved inside the site).
        case file(path: String, size: Int)
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
public final class PreviewState: Sendable {
    /// What changes while the preview runs, behind one lock.
    private struct Current {
        var site: BuiltSite?
        /// The current problems as the `problems` event sends them (empty when there are none).
        var problemsEvent: ByteBuffer?
        var generation = 0
        var listeners: [UUID: EventQueue] = [:]
        /// Set once the server is stopping: streams end at once, new ones too.
        var closed = false
    }

    private let current = Locked(Current())
    /// The search index, by the generation of the site it was made from.
    let search = OncePerGeneration<[String: Data]>()
    /// Distinguishes this server's generations from an earlier run's (a reconnecting tab reloads).
    private let run = String(Int(Date().timeIntervalSince1970 * 1000), radix: 36)
    public let basePath: String
    /// The site folder, every link resolved: no file outside it is served.
    let siteRoot: String
    /// Which Host (and, for the event stream, Origin) headers are answered.
    public let access: PreviewAccess

    /// The most bytes of JSON a `problems` event carries: the first problems that fit, and how many there are.
    public static let problemsLimit = 64 * 1024
    /// The most characters of one problem's message, hint or file name in a `problems` event.
    static let problemTextLimit = 2_000

    public init(basePath: String, siteRoot: String, access: PreviewAccess = PreviewAccess(listening: "127.0.0.1")) {
        self.basePath = basePath
        self.siteRoot = siteRoot
        self.access = access
    }

    /// After a rebuild: a new site (when it succeeded) and the problems that remain. Tabs reload only
    /// once the new site is in place; with problems they show them over the last good site.
    public func publish(site newSite: BuiltSite?, changed: Bool, problems newProblems: [Diagnostic]) {
        // Made once, shared by every client, before the lock is taken.
        let newProblemsEvent = newProblems.isEmpty ? nil : ByteBuffer(string: Self.event("problems", Self.problemsJSON(newProblems)))
        // The replaced site is freed after the lock is released and the tabs are told.
        let replaced: BuiltSite? = current.withLock { current in
            var old: BuiltSite?
            let hadProblems = current.problemsEvent != nil
            if let newSite, changed || current.site == nil {
                old = current.site
                current.site = newSite
                current.generation += 1
            }
            current.problemsEvent = newProblemsEvent
            var event: (ByteBuffer, isReload: Bool)?
            if let newProblemsEvent {
                event = (newProblemsEvent, false)
            } else if changed || hadProblems {
                event = (ByteBuffer(string: Self.event("reload", "\(run)-\(current.generation)")), true)
            }
            if let event {
                for queue in current.listeners.values { queue.send(event.0, isReload: event.isReload) }
            }
            return old
        }
        withExtendedLifetime(replaced) {}
    }

    /// A new live-reload listener: its stream starts with `hello` and the current problems, and
    /// holds at most one event more (see `EventQueue`). It is forgotten when it ends.
    public func listen() -> EventQueue {
        let id = UUID()
        let (queue, refused): (EventQueue, Bool) = current.withLock { current in
            var opening = ByteBuffer(string: ": guidegen live reload\nretry: 500\n\n" + Self.event("hello", "\(run)-\(current.generation)"))
            if var problems = current.problemsEvent { opening.writeBuffer(&problems) }
            let queue = EventQueue(opening: opening)
            if current.closed { return (queue, true) }
            queue.whenEnded { [weak self] in
                self?.current.withLock { _ = $0.listeners.removeValue(forKey: id) }
            }
            current.listeners[id] = queue
            return (queue, false)
        }
        // Finished outside the lock: finishing runs the end handler, which takes it.
        if refused { queue.finish() }
        return queue
    }

    /// How many event streams are open.
    public var openStreams: Int {
        current.withLock { $0.listeners.count }
    }

    /// Bytes waiting in every event stream, not yet handed to a connection.
    public var queuedEventBytes: Int {
        current.withLock { $0.listeners.values.reduce(0) { $0 + $1.queuedBytes } }
    }

    /// Ends every event stream, and any opened later (the server is stopping: an open stream would
    /// keep its graceful shutdown waiting).
    public func finishListeners() {
        // Finished outside the lock: finishing runs the stream's end handler, which takes it.
        let open: [EventQueue] = current.withLock { current in
            current.closed = true
            return Array(current.listeners.values)
        }
        for queue in open { queue.finish() }
    }

    static func event(_ name: String, _ data: String) -> String {
        "event: \(name)\n" + data.split(separator: "\n", omittingEmptySubsequences: false).map { "data: \($0)" }.joined(separator: "\n") + "\n\n"
    }

    /// `{"problems":[...],"total":N}`: the first problems that fit in `problemsLimit` bytes (each
    /// text cut to `problemTextLimit` characters), and how many there are in all.
    static func problemsJSON(_ problems: [Diagnostic]) -> String {
        var items: [UInt8] = []
        var item: [UInt8] = []
        for problem in problems {
            item.removeAll(keepingCapacity: true)
            Self.shortened(problem.json).write(to: &item)
            if items.count + item.count + 1 > problemsLimit { break }
            if !items.isEmpty { items.append(UInt8(ascii: ",")) }
            items += item
        }
        return "{\"problems\":[" + String(decoding: items, as: UTF8.self) + "],\"total\":\(problems.count)}"
    }

    private static func shortened(_ json: JSON) -> JSON {
        guard case var .object(members) = json else { return json }
        for (key, value) in members {
            if case let .string(text) = value, text.count > problemTextLimit {
                members[key] = .string(String(text.prefix(problemTextLimit)) + "…")
            }
        }
        return .object(members)
    }

    // MARK: Answering requests

    /// The answer to a request as it came: refused (403) unless its Host names the preview and, for
    /// the event stream, it comes from the preview's own pages (see `PreviewAccess`).
    public func respond(method: String, path: String, host: String?, origin: String?, fetchSite: String?) async -> PreviewResponse {
        guard let host, access.allows(host: host) else { return PreviewAccess.refusedHost(host) }
        let answer = await respond(method: method, path: path)
        if answer.body == .events, !access.allowsEvents(host: host, origin: origin, fetchSite: fetchSite) {
            return PreviewAccess.refusedOrigin()
        }
        return answer
    }

    /// The answer to `method path` (the path as sent, percent-encoded, with or without a query).
    public func respond(method: String, path rawPath: String) async -> PreviewResponse {
        guard method == "GET" || method == "HEAD" else {
            return PreviewResponse(status: 405, headers: [("Allow", "GET, HEAD"), ("Content-Type", "text/plain; charset=utf-8")],
                                   body: .data(Data("Method not allowed: the preview only reads.\n".utf8)))
        }
        var path = rawPath
        if let query = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = String(path[..<query]) }
        if path == "/" || path.isEmpty, basePath != "/" { return redirect(to: basePath) }
        guard path.hasPrefix(basePath) || path + "/" == basePath else { return await notFound() }
        if path + "/" == basePath { return redirect(to: basePath) }
        let inside = String(path.dropFirst(basePath.count))
        // Decode once, then refuse anything that could climb or that no output path has.
        guard let decoded = inside.removingPercentEncoding,
              !decoded.contains("\\"), !decoded.contains("\0"), !decoded.hasPrefix("/"),
              !decoded.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0 == ".." || $0 == "." }),
              !decoded.contains("//") else {
            return await notFound()
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
            if let streamed = streamedStatic(decoded + "index.html") { return streamed }
            if let data = await file(decoded + "index.html") { return ok(data, path: "index.html") }
            return await notFound()
        }
        if let streamed = streamedStatic(decoded) { return streamed }
        if let data = await file(decoded) { return ok(data, path: decoded) }
        if await file(decoded + "/index.html") != nil {
            return redirect(to: basePath + inside + "/")
        }
        return await notFound()
    }

    /// An output's bytes: a page, a theme file, a search file, or a file of the site's static/.
    func file(_ path: String) async -> Data? {
        guard let (site, generation) = current.withLock({ current in current.site.map { ($0, current.generation) } }) else { return nil }
        if let source = site.staticFiles[path] { return readStatic(source) }
        if let data = site.files[path] { return data }
        if path.hasPrefix("search/") { return await searchFiles(site, generation: generation)[path] }
        return nil
    }

    /// A static file read now, only if it still resolves inside the site folder (a link swapped in
    /// after the listing cannot point the preview elsewhere).
    func readStatic(_ source: String) -> Data? {
        guard let (target, _) = resolvedStatic(source) else { return nil }
        return FileManager.default.contents(atPath: target)
    }

    /// Where a static file is now and its size, if it still resolves to a regular file inside the site folder.
    private func resolvedStatic(_ source: String) -> (path: String, size: Int)? {
        guard let resolved = realpath(source, nil) else { return nil }
        defer { free(resolved) }
        let target = String(cString: resolved)
        guard target.hasPrefix(siteRoot == "/" ? "/" : siteRoot + "/") else { return nil }
        var info = stat()
        guard stat(target, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return (target, Int(info.st_size))
    }

    /// HTML of static/ up to this size gets the reload script (it is read whole to add it); larger files, and
    /// every other static file, are sent a piece at a time, whatever their size.
    static let maximumInjectedStatic = 4 << 20

    /// The answer for a static file that is sent as a stream (nil for one that is not static, or small HTML).
    private func streamedStatic(_ path: String) -> PreviewResponse? {
        guard let site = current.withLock({ $0.site }), let source = site.staticFiles[path], let (target, size) = resolvedStatic(source) else { return nil }
        let type = Self.contentType(of: path)
        if type.hasPrefix("text/html"), size <= Self.maximumInjectedStatic { return nil }
        return PreviewResponse(status: 200, headers: [("Content-Type", type), ("Cache-Control", "no-store")], body: .file(path: target, size: size))
    }

    /// The search index of `site`, the site of `generation`: made when first asked for after a change,
    /// off the cooperative pool, once however many requests ask at the same time (see `OncePerGeneration`).
    func searchFiles(_ site: BuiltSite, generation: Int) async -> [String: Data] {
        await search.value(for: generation) {
            Dictionary(site.searchFiles().map { ($0.path, $0.data) }) { first, _ in first }
        }
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

    private func notFound() async -> PreviewResponse {
        if let page = await file("404.html") {
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

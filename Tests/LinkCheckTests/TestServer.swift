import Foundation
import Hummingbird
import LinkCheck
import Logging
import ServiceLifecycle
import Synchronization

/// A local web server with an address for each case `check --external` must tell apart, counting the requests
/// each address gets by method (`HEAD /ok`).
final class TestServer: Sendable {
    let requests = Counts()

    final class Counts: Sendable {
        private let counts = Mutex<[String: Int]>([:])
        func add(_ key: String, _ amount: Int = 1) { counts.withLock { $0[key, default: 0] += amount } }
        subscript(key: String) -> Int { counts.withLock { $0[key] ?? 0 } }
        /// Requests in all (the bytes of `/huge` are not requests).
        var total: Int { counts.withLock { $0.filter { !$0.key.hasPrefix("bytes ") }.values.reduce(0, +) } }
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        let requests = self.requests
        func answer(_ path: String, _ status: HTTPResponse.Status, location: (@Sendable () -> String)? = nil, headStatus: HTTPResponse.Status? = nil,
                    delay: Duration? = nil) {
            for method in [HTTPRequest.Method.head, .get] {
                router.on(RouterPath(path), method: method) { _, _ -> Response in
                    requests.add("\(method.rawValue) \(path)")
                    if let delay { try await Task.sleep(for: delay) }
                    var headers = HTTPFields()
                    if let location { headers[.location] = location() }
                    let code = method == .head ? (headStatus ?? status) : status
                    return Response(status: code, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: method == .head ? "" : "text")))
                }
            }
        }
        answer("/ok", .ok)
        answer("/moved", .movedPermanently, location: { "/ok" })
        answer("/moved-again", .permanentRedirect, location: { "/temporary" })
        answer("/temporary", .found, location: { [self] in "http://127.0.0.1:\(portText)/ok" })
        answer("/gone", .gone)
        answer("/missing", .notFound)
        answer("/broken", .internalServerError)
        answer("/slow", .ok, delay: .seconds(15))
        answer("/loop", .found, location: { "/loop-back" })
        answer("/loop-back", .found, location: { "/loop" })
        answer("/no-head", .ok, headStatus: .methodNotAllowed)
        answer("/nowhere", .movedPermanently)
        // A large file whose host refuses HEAD: 16 GiB sent a piece at a time, counting what was sent ("bytes /huge").
        router.on("/huge", method: .head) { _, _ in
            requests.add("HEAD /huge")
            return Response(status: .methodNotAllowed)
        }
        router.get("/huge") { _, _ -> Response in
            requests.add("GET /huge")
            let piece = ByteBuffer(repeating: 0x61, count: 1 << 16)
            return Response(status: .ok, headers: [.contentLength: String(1 << 34)], body: ResponseBody { writer in
                for _ in 0..<(1 << 18) {
                    try await writer.write(piece)
                    requests.add("bytes /huge", piece.readableBytes)
                }
                try await writer.finish(nil)
            })
        }
        return router
    }

    /// Filled in once the server runs (the `/temporary` case redirects to an absolute address).
    private let port = Mutex<Int>(0)
    private var portText: String { "\(port.withLock { $0 })" }

    /// Runs the server on a free port of 127.0.0.1, calls `body` with its base address, then stops it.
    func serving(_ body: @Sendable (String) async throws -> Void) async throws {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "link-check-test")
        logger.logLevel = .error
        let app = Application(router: router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: logger)
        let services = ServiceGroup(services: [app], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            var next = ports.makeAsyncIterator()
            guard let bound = await next.next(), bound > 0 else { throw CancellationError() }
            port.withLock { $0 = bound }
            do {
                try await body("http://127.0.0.1:\(bound)")
            } catch {
                await services.triggerGracefulShutdown()
                throw error
            }
            await services.triggerGracefulShutdown()
        }
    }
}

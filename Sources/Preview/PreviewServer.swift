import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Hummingbird's side of the preview: every request goes to `PreviewState.respond`.
public struct PreviewResponder: HTTPResponder {
    public typealias Context = BasicRequestContext
    let state: PreviewState
    static let fetchSite = HTTPField.Name("Sec-Fetch-Site")!

    public init(state: PreviewState) {
        self.state = state
    }

    public func respond(to request: Request, context: Context) async throws -> Response {
        let answer = await state.respond(method: request.method.rawValue, path: request.uri.string, host: request.head.authority,
                                   origin: request.headers[.origin], fetchSite: request.headers[Self.fetchSite])
        var headers = HTTPFields()
        for (name, value) in answer.headers {
            if let field = HTTPField.Name(name) { headers.append(HTTPField(name: field, value: value)) }
        }
        let status = HTTPResponse.Status(code: answer.status)
        switch answer.body {
        case let .data(data):
            headers[.contentLength] = String(data.count)
            if request.method == .head { return Response(status: status, headers: headers, body: ResponseBody()) }
            return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        case let .file(path, size):
            headers[.contentLength] = String(size)
            if request.method == .head || size == 0 { return Response(status: status, headers: headers, body: ResponseBody()) }
            // Read and sent a piece at a time by the library's file reader: a large static file never sits in memory.
            return Response(status: status, headers: headers, body: try await FileIO().loadFile(path: path, context: context))
        case .events:
            if request.method == .head { return Response(status: status, headers: headers, body: ResponseBody()) }
            let queue = state.listen()
            // The stream ends when the client closes the connection (the wait for the next event is
            // cancelled), when a write fails, or when the server stops; the queue is then forgotten.
            // Watching for the close needs a real connection (the router test framework has none:
            // test the stream with `.live`).
            let body = ResponseBody { writer in
                defer { queue.finish() }
                try await request.body.consumeWithCancellationOnInboundClose { _ in
                    for await buffer in queue { try await writer.write(buffer) }
                }
                try await writer.finish(nil)
            }
            return Response(status: status, headers: headers, body: body)
        }
    }
}

/// The preview application: binds `host:port` and calls `ready` with the port it got.
public enum PreviewServer {
    /// - Parameters:
    ///   - limits: how many connections are kept open, and for how long an idle one.
    ///   - warn: says once, on the terminal, that a connection limit was reached.
    public static func application(state: PreviewState, host: String, port: Int,
                                   limits: ConnectionLimits = .fromDescriptorLimit(),
                                   warn: @escaping @Sendable (String) -> Void = ConnectionLimits.printWarning,
                                   ready: @escaping @Sendable (Int) async -> Void) -> some ApplicationProtocol {
        var logger = Logger(label: "guidegen-serve")
        logger.logLevel = .error
        let warnings = OnceWarnings(warn)
        let perAddress = AddressCounts(limit: limits.perAddress)
        return Application(
            responder: PreviewResponder(state: state),
            server: .http1(configuration: .init(
                additionalChannelHandlers: [PerAddressLimitHandler(counts: perAddress, limits: limits, warnings: warnings)],
                idleTimeout: limits.idleTimeout
            )),
            configuration: ApplicationConfiguration(
                address: .hostname(host, port: port), serverName: "guidegen",
                availableConnectionsDelegate: TotalConnections(limits: limits, warnings: warnings)
            ),
            onServerRunning: { channel in await ready(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }
}

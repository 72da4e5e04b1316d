import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Hummingbird's side of the preview: every request goes to `PreviewState.respond`.
public struct PreviewResponder: HTTPResponder {
    public typealias Context = BasicRequestContext
    let state: PreviewState

    public init(state: PreviewState) {
        self.state = state
    }

    public func respond(to request: Request, context: Context) async throws -> Response {
        let answer = state.respond(method: request.method.rawValue, path: request.uri.string)
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
        case .events:
            if request.method == .head { return Response(status: status, headers: headers, body: ResponseBody()) }
            let (_, stream) = state.listen()
            let body = ResponseBody(asyncSequence: stream.map { ByteBuffer(string: $0) })
            return Response(status: status, headers: headers, body: body)
        }
    }
}

/// The preview application: binds `host:port` and calls `ready` with the port it got.
public enum PreviewServer {
    public static func application(state: PreviewState, host: String, port: Int,
                                   ready: @escaping @Sendable (Int) async -> Void) -> some ApplicationProtocol {
        var logger = Logger(label: "guidegen-serve")
        logger.logLevel = .error
        return Application(
            responder: PreviewResponder(state: state),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "guidegen"),
            onServerRunning: { channel in await ready(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }
}

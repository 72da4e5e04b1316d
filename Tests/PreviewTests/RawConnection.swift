import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A plain TCP connection to the test server, to send exactly the bytes a test needs (any method, path
/// or Host header, half a request) and to close it when the test says.
final class RawConnection {
    let fd: Int32
    /// Every byte the server sent so far.
    private(set) var bytes: [UInt8] = []

    /// What the server sent so far, as text.
    var received: String { String(decoding: bytes, as: UTF8.self) }

    init(port: Int) throws {
        #if os(Linux)
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        fd = socket(AF_INET, SOCK_STREAM, 0)
        // macOS has no MSG_NOSIGNAL: a write to a closed connection must not kill the test process.
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &on, socklen_t(MemoryLayout<Int32>.size))
        #endif
        var address = sockaddr_in()
        #if !os(Linux)
        address.sin_len = UInt8(MemoryLayout<sockaddr_in>.size)
        #endif
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard fd >= 0, result == 0 else {
            if fd >= 0 { close() }
            throw POSIXError(.ECONNREFUSED)
        }
    }

    func send(_ text: String) {
        #if os(Linux)
        _ = text.withCString { Glibc.send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        #else
        _ = text.withCString { Darwin.send(fd, $0, strlen($0), 0) }
        #endif
    }

    /// Reads until the text received so far contains `marker`, the server closes (returns false),
    /// or `seconds` pass. It waits by sleeping, so the server's tasks get the threads it would hold.
    @discardableResult
    func read(until marker: String, seconds: Double = 3) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !received.contains(marker), Date() < deadline {
            if await receive(before: deadline) == nil { return false }
        }
        return received.contains(marker)
    }

    /// Reads until the server closes the connection (true) or `seconds` pass (false).
    func readToEnd(seconds: Double) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            guard await receive(before: deadline) != nil else { return true }
        }
        return false
    }

    /// True when the server closed the connection within `seconds` (what it sent before is kept).
    func closedByServer(within seconds: Double) async -> Bool {
        await readToEnd(seconds: seconds)
    }

    /// Waits for bytes until `deadline` and adds them to `bytes`: true if some came, false if none came in time,
    /// nil if the server closed the connection (or it failed).
    private func receive(before deadline: Date) async -> Bool? {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while Date() < deadline {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 0) > 0 else {
                try? await Task.sleep(for: .milliseconds(5))
                continue
            }
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { return nil }
            bytes += buffer[0..<count]
            return true
        }
        return false
    }

    func close() {
        #if os(Linux)
        Glibc.close(fd)
        #else
        Darwin.close(fd)
        #endif
    }

    static func get(_ path: String, host: String, headers: [String] = []) -> String {
        "GET \(path) HTTP/1.1\r\nHost: \(host)\r\n" + headers.map { $0 + "\r\n" }.joined() + "\r\n"
    }

    /// One request on a connection of its own (`Connection: close`) and the whole answer, read until the
    /// server closes. The Host is the preview's own address unless `host` says otherwise.
    static func fetch(_ path: String, method: String = "GET", port: Int, host: String? = nil) async throws -> HTTPAnswer {
        let connection = try RawConnection(port: port)
        defer { connection.close() }
        connection.send("\(method) \(path) HTTP/1.1\r\nHost: \(host ?? "localhost:\(port)")\r\nConnection: close\r\n\r\n")
        try #require(await connection.readToEnd(seconds: 10), "\(method) \(path): the server did not close the connection")
        return try #require(HTTPAnswer(connection.bytes), "\(method) \(path): not an HTTP answer: \(connection.received.prefix(200))")
    }
}

/// An HTTP/1.1 answer as the server sent it: status, headers and body (a chunked body decoded).
struct HTTPAnswer {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: Data

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The first header of this name (any case), nil if there is none.
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Nil if `bytes` do not start with a status line and headers ending in an empty line.
    init?(_ bytes: [UInt8]) {
        let end = Array("\r\n\r\n".utf8)
        guard let headEnd = (0...max(0, bytes.count - end.count)).first(where: { bytes[$0..<min($0 + end.count, bytes.count)].elementsEqual(end) })
        else { return nil }
        let lines = String(decoding: bytes[..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
        let statusLine = lines[0].split(separator: " ")
        guard statusLine.count >= 2, statusLine[0].hasPrefix("HTTP/1."), let status = Int(statusLine[1]) else { return nil }
        self.status = status
        headers = lines.dropFirst().compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        let rest = Array(bytes[(headEnd + end.count)...])
        if headers.contains(where: { $0.name.lowercased() == "transfer-encoding" && $0.value.lowercased() == "chunked" }) {
            guard let decoded = Self.dechunk(rest) else { return nil }
            body = decoded
        } else {
            body = Data(rest)
        }
    }

    /// A chunked body's bytes, nil if it is not whole.
    private static func dechunk(_ bytes: [UInt8]) -> Data? {
        var body = Data()
        var offset = 0
        while true {
            guard let lineEnd = (offset..<max(offset, bytes.count - 1)).first(where: { bytes[$0] == 0x0D && bytes[$0 + 1] == 0x0A }),
                  let sizeText = String(decoding: bytes[offset..<lineEnd], as: UTF8.self).split(separator: ";").first,
                  let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16)
            else { return nil }
            offset = lineEnd + 2
            if size == 0 { return body }
            guard offset + size + 2 <= bytes.count else { return nil }
            body.append(contentsOf: bytes[offset..<(offset + size)])
            offset += size + 2
        }
    }
}

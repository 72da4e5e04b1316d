import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A host that answers every request a byte at a time, forever: the head of its answer never ends. Foundation's
/// timeout on Linux restarts at every byte, so only a deadline of `LinkChecker`'s own ends such a request.
final class DripServer: Sendable {
    let port: Int
    private let listener: Int32
    private let accepted = Mutex<Int>(0)
    private let stopped = Atomic<Bool>(false)

    /// Connections accepted so far.
    var connections: Int { accepted.withLock { $0 } }

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        guard bound == 0, named == 0, listen(listener, 16) == 0 else { throw CocoaError(.fileWriteUnknown) }
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    private func acceptLoop() {
        while !stopped.load(ordering: .relaxed) {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            accepted.withLock { $0 += 1 }
            Thread.detachNewThread { [self] in drip(connection) }
        }
    }

    private func drip(_ connection: Int32) {
        defer { close(connection) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        _ = read(connection, &buffer, buffer.count)
        let head = Array("HTTP/1.1 200 OK\r\nX-Drip: ".utf8)
        guard send(connection, head, head.count, Int32(MSG_NOSIGNAL)) == head.count else { return }
        for _ in 0..<1200 where !stopped.load(ordering: .relaxed) {
            usleep(100_000)
            guard send(connection, [UInt8(ascii: "a")], 1, Int32(MSG_NOSIGNAL)) == 1 else { return }
        }
    }

    func stop() {
        stopped.store(true, ordering: .relaxed)
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }
}

import Foundation
import NIOCore

/// What one live-reload client has yet to be sent: the opening (comment, `hello`, current problems)
/// and at most one event after it. A client that does not read holds no more than that: a newer
/// event replaces the waiting one, except that a waiting `reload` stays (the reloaded page asks
/// for the current state itself). The bytes are shared by every client, not copied per client.
///
/// One reader iterates it (the response body); it ends when `finish` is called (the server stops,
/// the client went away) or the reading task is cancelled, and then calls `onEnd` once.
public final class EventQueue: AsyncSequence, @unchecked Sendable {
    public typealias Element = ByteBuffer

    private let lock = NSLock()
    private var opening: ByteBuffer?
    private var waiting: (bytes: ByteBuffer, isReload: Bool)?
    private var reader: CheckedContinuation<ByteBuffer?, Never>?
    private var finished = false
    private var onEnd: (@Sendable () -> Void)?

    init(opening: ByteBuffer) {
        self.opening = opening
    }

    /// Called once when the queue ends (set before the queue is handed out).
    func whenEnded(_ action: @escaping @Sendable () -> Void) {
        lock.withLock { onEnd = action }
    }

    /// Queues an event, or hands it to the waiting reader.
    func send(_ bytes: ByteBuffer, isReload: Bool) {
        let handed: CheckedContinuation<ByteBuffer?, Never>? = lock.withLock {
            guard !finished else { return nil }
            if let reader {
                self.reader = nil
                return reader
            }
            if waiting?.isReload != true || isReload { waiting = (bytes, isReload) }
            return nil
        }
        handed?.resume(returning: bytes)
    }

    /// Ends the queue: the reader gets what is left, then the end.
    public func finish() {
        let (handed, action): (CheckedContinuation<ByteBuffer?, Never>?, (@Sendable () -> Void)?) = lock.withLock {
            guard !finished else { return (nil, nil) }
            finished = true
            defer { reader = nil; onEnd = nil }
            return (reader, onEnd)
        }
        handed?.resume(returning: nil)
        action?()
    }

    /// Bytes waiting to be written (the opening and the waiting event).
    var queuedBytes: Int {
        lock.withLock { (opening?.readableBytes ?? 0) + (waiting?.bytes.readableBytes ?? 0) }
    }

    func next() async -> ByteBuffer? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<ByteBuffer?, Never>) in
                let ready: ByteBuffer?? = lock.withLock {
                    if let opening {
                        self.opening = nil
                        return .some(opening)
                    }
                    if let waiting {
                        self.waiting = nil
                        return .some(waiting.bytes)
                    }
                    if finished { return .some(nil) }
                    reader = continuation
                    return .none
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            finish()
        }
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let queue: EventQueue

        public mutating func next() async -> ByteBuffer? {
            await queue.next()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(queue: self)
    }
}

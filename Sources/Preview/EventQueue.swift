import Concurrency
import NIOCore

/// What one live-reload client has yet to be sent: the opening (comment, `hello`, current problems)
/// and at most one event after it. A client that does not read holds no more than that: a newer
/// event replaces the waiting one, except that a waiting `reload` stays (the reloaded page asks
/// for the current state itself). The bytes are shared by every client, not copied per client.
///
/// One reader iterates it (the response body); it ends when `finish` is called (the server stops,
/// the client went away) or the reading task is cancelled, and then calls `onEnd` once.
public final class EventQueue: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer

    /// What the queue holds, behind its lock.
    private struct Held {
        var opening: ByteBuffer?
        var waiting: (bytes: ByteBuffer, isReload: Bool)?
        var reader: CheckedContinuation<ByteBuffer?, Never>?
        var finished = false
        var onEnd: (@Sendable () -> Void)?
    }

    private let held: Locked<Held>

    init(opening: ByteBuffer) {
        held = Locked(Held(opening: opening))
    }

    /// Called once when the queue ends (set before the queue is handed out).
    func whenEnded(_ action: @escaping @Sendable () -> Void) {
        held.withLock { $0.onEnd = action }
    }

    /// Queues an event, or hands it to the waiting reader.
    func send(_ bytes: ByteBuffer, isReload: Bool) {
        let handed: CheckedContinuation<ByteBuffer?, Never>? = held.withLock { held in
            guard !held.finished else { return nil }
            if let reader = held.reader {
                held.reader = nil
                return reader
            }
            if held.waiting?.isReload != true || isReload { held.waiting = (bytes, isReload) }
            return nil
        }
        handed?.resume(returning: bytes)
    }

    /// Ends the queue: the reader gets what is left, then the end.
    public func finish() {
        let (handed, action): (CheckedContinuation<ByteBuffer?, Never>?, (@Sendable () -> Void)?) = held.withLock { held in
            guard !held.finished else { return (nil, nil) }
            held.finished = true
            defer { held.reader = nil; held.onEnd = nil }
            return (held.reader, held.onEnd)
        }
        handed?.resume(returning: nil)
        action?()
    }

    /// Bytes waiting to be written (the opening and the waiting event).
    var queuedBytes: Int {
        held.withLock { ($0.opening?.readableBytes ?? 0) + ($0.waiting?.bytes.readableBytes ?? 0) }
    }

    func next() async -> ByteBuffer? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<ByteBuffer?, Never>) in
                let ready: ByteBuffer?? = held.withLock { held in
                    if let opening = held.opening {
                        held.opening = nil
                        return .some(opening)
                    }
                    if let waiting = held.waiting {
                        held.waiting = nil
                        return .some(waiting.bytes)
                    }
                    if held.finished { return .some(nil) }
                    held.reader = continuation
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

import Synchronization

/// A value shared between threads, read and changed only while holding its lock: `Mutex` from
/// Synchronization, in a class so that everything holding the box shares the one value (a `Mutex`
/// cannot be copied). `Sendable` as checked by the compiler: the value is only reached through the lock.
public final class Locked<Value>: Sendable {
    private let mutex: Mutex<Value>

    public init(_ value: sending Value) {
        mutex = Mutex(value)
    }

    /// Runs `body` on the value while holding the lock; keep it short (no waiting, no I/O).
    public func withLock<Result, Failure: Error>(_ body: (inout sending Value) throws(Failure) -> sending Result) throws(Failure) -> sending Result {
        try mutex.withLock(body)
    }
}

extension Locked where Value: Sendable {
    /// A copy of the value as it is now.
    public var value: Value {
        withLock { $0 }
    }
}

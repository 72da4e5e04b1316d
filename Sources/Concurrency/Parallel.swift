import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Array where Element: Sendable {
    /// Maps every element on all cores, keeping the order of the input.
    public func parallelMap<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
        if count < 2 { return map(transform) }
        let results = UnsafeResults<T>(count: count)
        withoutActuallyEscaping(transform) { transform in
            self.withUnsafeBufferPointer { input in
                let input = UnsafeSendable(input)
                // Many chunks per core, handed out as cores free up, keep the cores busy to the end when
                // items differ in cost (a role page costs ten search fragments): with 8 a core, the last
                // chunk of a 20,000-file write left one core idle for a fifth of a second.
                let chunks = Swift.min(count, ProcessInfo.processInfo.activeProcessorCount * 64)
                DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                    let start = chunk * input.value.count / chunks
                    let end = (chunk + 1) * input.value.count / chunks
                    for index in start..<end {
                        results.set(index, transform(input.value[index]))
                    }
                }
            }
        }
        return results.finish()
    }
}

/// Write-once slots filled from many threads, each slot by exactly one of them.
/// `@unchecked`: the slots are raw memory the compiler cannot follow; each is written once, by the one
/// chunk that owns its index, and read only after `concurrentPerform` has returned (a lock per slot
/// would cost more than most transforms).
private final class UnsafeResults<T>: @unchecked Sendable {
    private let buffer: UnsafeMutablePointer<T>
    private let count: Int

    init(count: Int) {
        self.count = count
        buffer = .allocate(capacity: count)
    }

    func set(_ index: Int, _ value: T) {
        (buffer + index).initialize(to: value)
    }

    func finish() -> [T] {
        let array = Array(UnsafeBufferPointer(start: buffer, count: count))
        buffer.deinitialize(count: count)
        buffer.deallocate()
        return array
    }
}

/// The input's buffer, handed to the chunks. `@unchecked`: a buffer pointer is not `Sendable`, but the
/// array it points into outlives `concurrentPerform` and is only read.
private struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}


/// A value made on another thread from the moment this is made, while the caller goes on; `value`
/// waits for it. For work that would leave a core idle: a stage's one-thread part beside another's
/// all-core part. The work may itself use `parallelMap`.
public final class Concurrent<T: Sendable>: Sendable {
    private let done = DispatchGroup()
    private let result = Locked<T?>(nil)

    public init(_ make: @escaping @Sendable () -> T) {
        done.enter()
        DispatchQueue.global().async { [self] in
            let made = make()
            result.withLock { $0 = made }
            done.leave()
        }
    }

    /// The value, once made (waits until then).
    public var value: T {
        done.wait()
        return result.value!
    }
}

/// One object for each thread, kept until the thread ends: for data every thread reads so often that
/// sharing it costs more than a copy per thread. Reading a shared object changes its reference count,
/// and two cores changing the same count take turns at it: in a 10k-page build the retains of
/// the theme's shared template steps took twelve times as long on two cores as on one (`perf`).
/// Make it once (a `static let`): its key lives as long as the process.
public struct ThreadLocal<Value: AnyObject>: Sendable {
    private let key: pthread_key_t
    /// False when the key could not be made (the process has made PTHREAD_KEYS_MAX, 1,024, of
    /// them): `value` is then always nil and setting it does nothing.
    public let isAvailable: Bool

    public init() {
        var key = pthread_key_t()
        // A closure, not the function itself: the destructor's pointer is optional on Linux and not on macOS.
        isAvailable = pthread_key_create(&key, { releaseThreadValue($0) }) == 0
        self.key = key
    }

    /// This thread's object; nil until one is set on this thread.
    public var value: Value? {
        get {
            guard isAvailable else { return nil }
            return pthread_getspecific(key).map { Unmanaged<Value>.fromOpaque($0).takeUnretainedValue() }
        }
        nonmutating set {
            guard isAvailable else { return }
            let old = pthread_getspecific(key)
            let new = newValue.map { Unmanaged.passRetained($0).toOpaque() }
            releaseThreadValue(pthread_setspecific(key, new) == 0 ? old : new)
        }
    }
}

/// A thread's object, released when the thread ends or its object is replaced.
private func releaseThreadValue(_ pointer: UnsafeMutableRawPointer?) {
    pointer.map { Unmanaged<AnyObject>.fromOpaque($0).release() }
}

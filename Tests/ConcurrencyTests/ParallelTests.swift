import Concurrency
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing

@Suite struct ParallelTests {
    @Test func parallelMapKeepsTheOrderOfItsInput() {
        let input = Array(0..<10_000)
        #expect(input.parallelMap { $0 * 3 } == input.map { $0 * 3 })
        #expect([Int]().parallelMap { $0 } == [])
        #expect([7].parallelMap { $0 + 1 } == [8])
    }

    @Test func concurrentGivesWhatItMade() {
        let made = Concurrent { (1...1000).reduce(0, +) }
        #expect(made.value == 500_500)
        #expect(made.value == 500_500)
    }

    final class Marker: Sendable {
        let name: String
        let released: Released

        init(_ name: String, released: Released) {
            self.name = name
            self.released = released
        }

        deinit { released.add(name) }
    }

    final class Released: Sendable {
        private let names = Locked<[String]>([])

        func add(_ name: String) { names.withLock { $0.append(name) } }
        var all: [String] { names.value }
    }

    static let slot = ThreadLocal<Marker>()

    /// Runs `body` on a thread of its own and waits until that thread has ended (its thread-local
    /// values released: destructors run before `pthread_join` returns).
    func onNewThread(_ body: @escaping @Sendable () -> Void) {
        // pthread_t is a number on Linux and a pointer on macOS (optional until the thread is made).
        #if os(Linux)
        var thread = pthread_t()
        #else
        var thread: pthread_t?
        #endif
        let created = pthread_create(&thread, nil, { runThreadBody($0) }, Unmanaged.passRetained(ThreadBody(body)).toOpaque())
        #expect(created == 0)
        #if os(Linux)
        pthread_join(thread, nil)
        #else
        if let thread { pthread_join(thread, nil) }
        #endif
    }

    @Test func threadLocalValuesBelongToTheirThreadAndAreReleasedWithIt() {
        let released = Released()
        let seen = Released()
        onNewThread {
            seen.add("first sees \(Self.slot.value?.name ?? "nothing")")
            Self.slot.value = Marker("a", released: released)
            seen.add("first sees \(Self.slot.value?.name ?? "nothing")")
            // Replacing a value releases the old one.
            Self.slot.value = Marker("b", released: released)
            seen.add("first sees \(Self.slot.value?.name ?? "nothing")")
        }
        onNewThread {
            seen.add("second sees \(Self.slot.value?.name ?? "nothing")")
        }
        #expect(seen.all == ["first sees nothing", "first sees a", "first sees b", "second sees nothing"])
        // "a" when "b" replaced it, "b" when its thread ended.
        #expect(released.all == ["a", "b"])
    }
}

extension ParallelTests {
    /// Every change made through the lock counts, from any number of threads at once.
    @Test func lockedKeepsEveryChange() {
        let counter = Locked(0)
        let seen = Locked<Set<Int>>([])
        _ = Array(0..<10_000).parallelMap { index in
            let now = counter.withLock { value in
                value += 1
                return value
            }
            seen.withLock { _ = $0.insert(now) }
        }
        #expect(counter.value == 10_000)
        #expect(seen.value == Set(1...10_000))
    }
}

/// What a thread made by `ParallelTests.onNewThread` runs.
private final class ThreadBody {
    let run: @Sendable () -> Void
    init(_ run: @escaping @Sendable () -> Void) { self.run = run }
}

/// A new thread's start: runs its body (the argument is optional on Linux and not on macOS).
private func runThreadBody(_ argument: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    Unmanaged<ThreadBody>.fromOpaque(argument!).takeRetainedValue().run()
    return nil
}

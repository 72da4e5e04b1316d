import Concurrency
import Dispatch

/// A value made once for each generation of the site the preview serves, when first asked for (the
/// search index). The first request starts making it on a Dispatch queue, off the cooperative pool
/// (making it may keep every core busy for seconds on a large site), and every request for that
/// generation awaits the same result; no lock is held while it is made. A request for an older
/// generation than the one kept (it read the site just before a swap) gets a value made for it alone.
final class OncePerGeneration<Value: Sendable>: Sendable {
    private let kept = Locked<(generation: Int, value: Task<Value, Never>)?>(nil)
    private let made = Locked(0)

    /// How many values were made so far.
    var count: Int { made.value }

    /// The value of `generation`, made by `make` if no request for it came before.
    func value(for generation: Int, make: @escaping @Sendable () -> Value) async -> Value {
        let task = kept.withLock { kept -> Task<Value, Never> in
            if let kept, kept.generation == generation { return kept.value }
            let task = Task { await self.offPool(make) }
            if (kept?.generation ?? .min) < generation { kept = (generation, task) }
            return task
        }
        return await task.value
    }

    private func offPool(_ make: @escaping @Sendable () -> Value) async -> Value {
        made.withLock { $0 += 1 }
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: make()) }
        }
    }
}

import Diagnostics
import Foundation
import Site
import Synchronization

/// The preview's rebuild loop: runs a site session's updates one at a time, from whatever thread asks (the first
/// build, then the watcher's thread on every burst of changes), and tells the preview's state what each made. An
/// update that succeeds replaces the served site (tabs reload); one with errors keeps the last good site served
/// and shows its problems. Each update's report goes to `report`, in the order of the updates, for the terminal.
public final class Rebuilder: Sendable {
    /// What one update did, for the terminal.
    public struct Report: Sendable {
        /// The session's update: its diagnostics, what changed, what was rendered and read again, its stages.
        public var update: SiteSession.Update
        /// Whether it was the first update (the whole site built).
        public var isFirst: Bool
        public var milliseconds: Int
        /// The pages of the site served after it (its own and the generated ones); 0 before a good build.
        public var pages: Int
        /// Whether its diagnostics are news: there are some, and they differ from the last update's or it failed.
        public var showsDiagnostics: Bool
    }

    /// The session and what the next update is compared with.
    private struct Running: Sendable {
        var session: SiteSession
        var lastDiagnostics: [Diagnostic] = []
        var updates = 0
    }

    public let state: PreviewState
    private let running: Mutex<Running>
    private let report: @Sendable (Report) -> Void

    /// - Parameter report: told of every update once the state has its result (while no other update runs).
    public init(state: PreviewState, options: BuildOptions, report: @escaping @Sendable (Report) -> Void = { _ in }) {
        self.state = state
        running = Mutex(Running(session: SiteSession(options: options)))
        self.report = report
    }

    /// Brings the site up to date and publishes it; waits for an update already running to finish first.
    /// - Parameter changed: the files that changed (paths inside the site folder), as the watcher names them;
    ///   nil when not known (every file is compared).
    @discardableResult
    public func rebuild(changed: Set<String>?) -> Report {
        running.withLock { running in
            let start = Date()
            let update = running.session.update(changed: changed)
            let milliseconds = Int((Date().timeIntervalSince(start) * 1000).rounded())
            let site = running.session.site
            let sorted = update.diagnostics.sorted
            state.publish(site: update.succeeded ? site : nil, changed: !update.changed.isEmpty, problems: sorted.filter { $0.severity == .error })
            let result = Report(update: update, isFirst: running.updates == 0, milliseconds: milliseconds,
                                pages: (site?.graph.pages.count ?? 0) + (site?.graph.hubs.count ?? 0),
                                showsDiagnostics: !sorted.isEmpty && (sorted != running.lastDiagnostics || !update.succeeded))
            running.lastDiagnostics = sorted
            running.updates += 1
            report(result)
            return result
        }
    }

    /// Watches the site folder at `root` (see `Watcher`) and rebuilds on every burst of changes until the
    /// returned watcher is stopped.
    public func watch(root: String, polling: Bool = false) -> Watcher {
        let watcher = Watcher(root: root, polling: polling) { [self] changed in _ = rebuild(changed: changed) }
        watcher.start()
        return watcher
    }
}

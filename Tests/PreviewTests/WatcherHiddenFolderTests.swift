import Foundation
import Testing
@testable import Preview

/// `static/.well-known/` is published, so the preview sees a save in it (other hidden folders stay unwatched).
@Suite struct WatcherHiddenFolderTests {
    @Test(arguments: [false, true])
    func aSaveInWellKnownIsAChange(polling: Bool) async throws {
        let root = NSTemporaryDirectory() + "guidegen-watch-hidden-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/static/.well-known", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/static/.git", withIntermediateDirectories: true)
        try "a".write(toFile: root + "/static/.well-known/security.txt", atomically: false, encoding: .utf8)
        let changes = WatcherTests.Counter()
        let watcher = Watcher(root: root, polling: polling) { _ in changes.add() }
        watcher.start()
        defer { watcher.stop() }
        try await Task.sleep(for: .milliseconds(400))
        try "x".write(toFile: root + "/static/.git/index", atomically: false, encoding: .utf8)
        try await Task.sleep(for: .milliseconds(400))
        #expect(changes.count == 0, "a hidden folder that is not published is not watched")
        try "Contact: mailto:a@example.org".write(toFile: root + "/static/.well-known/security.txt", atomically: false, encoding: .utf8)
        try await WatcherTests().wait { changes.count >= 1 }
        #expect(changes.count == 1)
    }
}

/// `GUIDEGEN_WATCH=poll` makes the watcher poll on Linux too (as it does on macOS), so that way is tried here.
@Suite struct WatcherPollingChoiceTests {
    @Test func theEnvironmentAsksForPolling() {
        #expect(Watcher.pollingAsked(["GUIDEGEN_WATCH": "poll"]))
        #expect(!Watcher.pollingAsked([:]))
        #expect(!Watcher.pollingAsked(["GUIDEGEN_WATCH": "inotify"]))
    }
}

import Concurrency
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Watches the files a site is made of (guidegen.yml, content/, static/, themes/, data/) and calls back
/// once per burst of changes: a save that writes a temporary file and renames it over the page is
/// one change, not three. inotify on Linux, recursive (folders created later are watched too);
/// elsewhere (macOS), polling: every file's size, time and inode compared four times a second. Each
/// call names the files that changed (paths inside the site folder), or nil when that is not known
/// (a folder moved, the event queue overflowed, polling). `GUIDEGEN_WATCH=poll` in the environment
/// polls on Linux too (the macOS way, for tests and for file systems without inotify events).
public final class Watcher: Sendable {
    public static let folders = ["content", "static", "themes", "data"]
    /// The one folder whose name starts with a dot that the site publishes (`static/.well-known/`, see
    /// `SiteFiles.publishedHiddenNames`); other hidden folders (`.git`) are not watched.
    static let watchedHiddenFolders: Set<String> = [".well-known"]
    /// Quiet time that ends a burst.
    public static let settle = 0.02

    let root: String
    /// Poll even where inotify works (tests of the fallback).
    let polling: Bool
    /// Whether this process's environment asks for polling.
    public static var pollingAsked: Bool { pollingAsked(ProcessInfo.processInfo.environment) }

    /// Whether `environment` asks for polling (`GUIDEGEN_WATCH=poll`).
    static func pollingAsked(_ environment: [String: String]) -> Bool { environment["GUIDEGEN_WATCH"] == "poll" }
    let onChange: @Sendable (Set<String>?) -> Void
    private let stopped = Locked(false)

    public init(root: String, polling: Bool = Watcher.pollingAsked, onChange: @escaping @Sendable (Set<String>?) -> Void) {
        self.root = root
        self.polling = polling
        self.onChange = onChange
    }

    /// Starts watching on a thread of its own.
    public func start() {
        let thread = Thread { [self] in
            #if os(Linux)
            if polling || !watchWithInotify() { poll() }
            #else
            poll()
            #endif
        }
        thread.name = "guidegen-watcher"
        thread.start()
    }

    public func stop() {
        stopped.withLock { $0 = true }
    }

    var isStopped: Bool { stopped.value }

    #if os(Linux)
    /// False when inotify is not available (the caller polls instead). Reads inotify's events until stopped; a
    /// burst ends after `settle` seconds without one, and `onChange` is told what it changed.
    private func watchWithInotify() -> Bool {
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var folders = InotifyFolders(fd: fd, root: root)
        // The site folder itself, not recursively: guidegen.yml and the watched folders appearing.
        let top = inotify_add_watch(fd, root, InotifyFolders.mask)
        guard top >= 0 else { return false }
        for folder in Self.folders { folders.add(root + "/" + folder) }

        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var burst = Burst()
        while !isStopped {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = Glibc.poll(&poller, 1, burst.pending ? Int32(Self.settle * 1000) : 250)
            if ready == 0 {
                if burst.pending {
                    onChange(burst.changed)
                    burst = Burst()
                }
                continue
            }
            guard ready > 0 else { continue }
            let count = read(fd, &buffer, buffer.count)
            guard count > 0 else { continue }
            for event in InotifyEvent.all(in: buffer, count: count) {
                if event.wd == top { siteFolderChanged(event, &folders, &burst) } else { folderChanged(event, &folders, &burst) }
            }
        }
        return true
    }

    /// What changed in a burst of events so far.
    private struct Burst {
        var pending = false
        /// Paths inside the site folder; nil once something happened that names no single file.
        var changed: Set<String>? = []

        mutating func changedWithoutNames() {
            changed = nil
            pending = true
        }
    }

    /// An event in the site folder itself: only what the site is made of counts (guidegen.yml, or one of the
    /// watched folders appearing).
    private func siteFolderChanged(_ event: InotifyEvent, _ folders: inout InotifyFolders, _ burst: inout Burst) {
        if event.name == "guidegen.yml" {
            burst.changed?.insert(event.name)
            burst.pending = true
        } else if Self.folders.contains(event.name), event.isFolder, event.mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 {
            folders.add(root + "/" + event.name)
            burst.changedWithoutNames()
        } else if Self.folders.contains(event.name) {
            burst.changedWithoutNames()
        }
    }

    /// An event in a watched folder: a new folder is watched, one moved out of the site is forgotten, and a file's
    /// change is named (a folder's names none: what is in it changed too).
    private func folderChanged(_ event: InotifyEvent, _ folders: inout InotifyFolders, _ burst: inout Burst) {
        let wd = event.wd
        if event.mask & UInt32(IN_IGNORED) != 0 { folders.paths[wd] = nil; return }
        if event.mask & UInt32(IN_Q_OVERFLOW) != 0 { burst.changedWithoutNames(); return }
        if let folder = folders.paths[wd], event.isFolder, event.mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 {
            folders.add(folder + "/" + event.name)
        }
        if event.mask & UInt32(IN_MOVE_SELF) != 0 { folders.forgetIfGone(wd) }
        if event.isFolder || event.mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF) != 0 || folders.paths[wd] == nil {
            burst.changed = nil
        } else if let folder = folders.paths[wd] {
            burst.changed?.insert(relative(folder + "/" + event.name))
        }
        burst.pending = true
    }

    /// A path inside the site folder, from it.
    private func relative(_ path: String) -> String {
        path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
    }
    #endif

    /// Every file's size and time, compared a few times a second.
    private func poll() {
        var last = fingerprint()
        while !isStopped {
            Thread.sleep(forTimeInterval: 0.25)
            let now = fingerprint()
            if now != last {
                last = now
                Thread.sleep(forTimeInterval: Self.settle)
                last = fingerprint()
                onChange(nil)
            }
        }
    }

    private func fingerprint() -> [String: [Int]] {
        var result: [String: [Int]] = [:]
        var seen = Set<[Int]>()
        func visit(_ path: String) {
            var info = stat()
            guard stat(path, &info) == 0, seen.insert([Int(info.st_dev), Int(info.st_ino)]).inserted else { return }
            #if os(Linux)
            result[path] = [Int(info.st_size), Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec), Int(info.st_ino)]
            #else
            result[path] = [Int(info.st_size), Int(info.st_mtimespec.tv_sec), Int(info.st_mtimespec.tv_nsec), Int(info.st_ino)]
            #endif
            if (info.st_mode & S_IFMT) == S_IFDIR, let names = try? FileManager.default.contentsOfDirectory(atPath: path) {
                for name in names where !name.hasPrefix(".") || Self.watchedHiddenFolders.contains(name) { visit(path + "/" + name) }
            }
        }
        visit(root + "/guidegen.yml")
        for folder in Self.folders { visit(root + "/" + folder) }
        return result
    }
}

#if os(Linux)
/// One inotify event: the watch it came from, what happened, and the name in the watched folder it is about.
private struct InotifyEvent {
    var wd: Int32
    var mask: UInt32
    var name: String

    var isFolder: Bool { mask & UInt32(IN_ISDIR) != 0 }

    /// The events in the first `count` bytes that `read` put in `buffer`.
    static func all(in buffer: [UInt8], count: Int) -> [InotifyEvent] {
        var events: [InotifyEvent] = []
        var offset = 0
        while offset + MemoryLayout<inotify_event>.size <= count {
            let (event, length) = buffer.withUnsafeBytes { raw -> (InotifyEvent, Int) in
                let event = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                let start = offset + MemoryLayout<inotify_event>.size
                let bytes = raw[start..<min(start + Int(event.len), raw.count)].prefix { $0 != 0 }
                return (InotifyEvent(wd: event.wd, mask: event.mask, name: String(decoding: bytes, as: UTF8.self)), Int(event.len))
            }
            offset += MemoryLayout<inotify_event>.size + length
            events.append(event)
        }
        return events
    }
}

/// The folders under the site folder that one inotify instance watches, by watch descriptor, kept up to date as
/// folders appear, are renamed and leave.
private struct InotifyFolders {
    static let mask = UInt32(IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB
                             | IN_DELETE_SELF | IN_MOVE_SELF)
    let fd: Int32
    /// The site folder, every link resolved: only folders inside it are watched.
    let realRoot: String
    var paths: [Int32: String] = [:]

    init(fd: Int32, root: String) {
        self.fd = fd
        realRoot = realpath(root, nil).map { pointer in defer { free(pointer) }; return String(cString: pointer) } ?? root
    }

    /// Watches the folder at `path` and every folder in it (links are followed: a linked folder inside the site is
    /// part of it, and the build checks where it leads), if it is inside the site.
    mutating func add(_ path: String) {
        // Only inside the site: links may lead out.
        var info = stat()
        guard stat(path, &info) == 0, let resolved = realpath(path, nil) else { return }
        let inside = String(cString: resolved).hasPrefix(realRoot + "/")
        free(resolved)
        guard inside else { return }
        // A watch is per folder (inode): a folder already watched gets its watch back.
        let wd = inotify_add_watch(fd, path, Self.mask | UInt32(IN_ONLYDIR))
        guard wd >= 0 else { return }
        if let old = paths[wd] {
            var oldInfo = stat()
            // Already watched under this path, or under another that still leads to it (a link: no loop).
            if old == path || (stat(old, &oldInfo) == 0 && oldInfo.st_dev == info.st_dev && oldInfo.st_ino == info.st_ino) { return }
            // Renamed: it and every folder in it are watched under the new path from now on.
            for (other, otherPath) in paths where otherPath == old || otherPath.hasPrefix(old + "/") {
                paths[other] = path + otherPath.dropFirst(old.count)
            }
        }
        paths[wd] = path
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
        for name in names where !name.hasPrefix(".") || Watcher.watchedHiddenFolders.contains(name) {
            var info = stat()
            let child = path + "/" + name
            if stat(child, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { add(child) }
        }
    }

    /// A watched folder moved: if it is no longer where it was (moved out of the site, not renamed inside it), it
    /// and its folders are no longer watched.
    mutating func forgetIfGone(_ wd: Int32) {
        guard let path = paths[wd] else { return }
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { return }
        for (other, otherPath) in paths where otherPath == path || otherPath.hasPrefix(path + "/") {
            inotify_rm_watch(fd, other)
            paths[other] = nil
        }
    }
}
#endif

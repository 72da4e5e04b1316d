import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What `check --external` learned, kept in a file for a while so that a check run again soon (CI on every push)
/// asks no host twice. The file is guidegen's own (`.guidegen-cache/external-links.json` in the site folder); it is
/// data only: an entry can at most make guidegen skip asking about an address, and a file that is not one (too
/// large, not JSON, a link) is ignored and, when written, replaced only if it is a regular file or missing.
public struct LinkCache: Sendable, Equatable {
    struct Entry: Sendable, Codable, Equatable {
        /// Seconds since 1970 when the address was asked.
        var checked: Double
        var result: LinkResult
    }

    private struct File: Codable {
        var version: Int
        var links: [String: Entry]
    }

    /// The cache file of a site folder.
    public static func path(siteDirectory: String) -> String {
        siteDirectory + "/" + folderName + "/external-links.json"
    }

    public static let folderName = ".guidegen-cache"
    /// More than this is not a cache guidegen wrote for a site (about 300 bytes an address).
    static let largestFile = 64 << 20

    private var entries: [String: Entry]

    public init() {
        entries = [:]
    }

    /// The cache in `path`, or an empty one when there is none or it is not one.
    public init(contentsOf path: String) {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) <= Self.largestFile,
              let data = FileManager.default.contents(atPath: path),
              let file = try? JSONDecoder().decode(File.self, from: data), file.version == 1 else {
            entries = [:]
            return
        }
        entries = file.links
    }

    /// The result for `url` if it was asked less than `maximumAge` seconds before `now`.
    public func result(for url: String, now: Date, maximumAge: TimeInterval) -> LinkResult? {
        guard let entry = entries[url] else { return nil }
        let age = now.timeIntervalSince1970 - entry.checked
        return age >= 0 && age < maximumAge ? entry.result : nil
    }

    public mutating func record(_ result: LinkResult, for url: String, at now: Date) {
        entries[url] = Entry(checked: now.timeIntervalSince1970, result: result)
    }

    /// Drops what is older than `maximumAge`, so the file does not grow with every address a site ever had.
    public mutating func forget(olderThan maximumAge: TimeInterval, now: Date) {
        entries = entries.filter { now.timeIntervalSince1970 - $0.value.checked < maximumAge }
    }

    /// Writes the cache to `path` (its folder made if missing) through a temporary file; false when the folder or the
    /// file is a symbolic link or something else guidegen did not make, or the write failed (the check goes on).
    @discardableResult
    public func write(to path: String) -> Bool {
        let folder = (path as NSString).deletingLastPathComponent
        var info = stat()
        if lstat(folder, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else { return false }
        } else if mkdir(folder, 0o755) != 0 {
            return false
        }
        if lstat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG { return false }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(File(version: 1, links: entries)) else { return false }
        let temporary = path + ".tmp"
        unlink(temporary)
        guard FileManager.default.createFile(atPath: temporary, contents: data) else { return false }
        return rename(temporary, path) == 0
    }
}

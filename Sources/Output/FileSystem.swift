import Diagnostics
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin POSIX file operations: FileManager checks and copies more than a
/// build needs, and with ten thousand pages that is most of the write time.
enum FileSystem {
    /// Makes a folder; true if there is one at `path` afterwards (a file there is not one).
    static func makeDirectory(_ path: String) -> Bool {
        if mkdir(path, 0o755) == 0 { return true }
        guard errno == EEXIST else { return false }
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Writes a file, over an existing one without truncating it first: a file of the same
    /// size keeps its blocks, which saves the file system freeing and allocating them again.
    static func write(_ data: Data, to path: String) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0, Int(info.st_size) > data.count, ftruncate(fd, off_t(data.count)) != 0 { return false }
        return data.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
    }

    static func copy(_ source: String, to target: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: source) else { return false }
        return write(data, to: target)
    }

    /// The entries of a folder (without `.` and `..`), each with whether it is a folder itself.
    /// A symbolic link counts as a file, so removing it never follows it.
    static func entries(of path: String) -> [(name: String, isDirectory: Bool)] {
        guard let handle = opendir(path) else { return [] }
        defer { closedir(handle) }
        var result: [(name: String, isDirectory: Bool)] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.baseAddress!.assumingMemoryBound(to: CChar.self)) }
            if name == "." || name == ".." { continue }
            var isDirectory = entry.pointee.d_type == UInt8(DT_DIR)
            if entry.pointee.d_type == UInt8(DT_UNKNOWN) {
                // Some file systems do not say; ask.
                var info = stat()
                isDirectory = lstat(path + "/" + name, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
            }
            result.append((name, isDirectory))
        }
        return result
    }

    /// Removes every file and folder under `root` whose path (relative to it) is not in `keep`.
    static func removeAll(under root: String, except keep: Set<String>) {
        func visit(_ relative: String) {
            for entry in entries(of: relative.isEmpty ? root : root + "/" + relative) {
                let child = relative.isEmpty ? entry.name : relative + "/" + entry.name
                if !keep.contains(child) {
                    removeTree(root + "/" + child)
                } else if entry.isDirectory {
                    visit(child)
                }
            }
        }
        visit("")
    }

    /// Removes a file, or a folder and everything in it (its top-level entries on all cores).
    static func removeTree(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            unlink(path)
            return
        }
        _ = entries(of: path).parallelMap { entry -> Bool in
            removeRecursively(path + "/" + entry.name, isDirectory: entry.isDirectory)
            return true
        }
        rmdir(path)
    }

    private static func removeRecursively(_ path: String, isDirectory: Bool) {
        guard isDirectory else {
            unlink(path)
            return
        }
        for entry in entries(of: path) {
            removeRecursively(path + "/" + entry.name, isDirectory: entry.isDirectory)
        }
        rmdir(path)
    }
}

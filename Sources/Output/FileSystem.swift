import CGuidegenSystem
import Concurrency
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
    /// Makes a folder; true if there is one at `path` afterwards (a file or a symbolic link there is not one).
    static func makeDirectory(_ path: String) -> Bool {
        if mkdir(path, 0o755) == 0 { return true }
        guard errno == EEXIST else { return false }
        return isDirectory(path)
    }

    /// A real folder, not a link to one.
    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Whether anything (a link included) is at `path`.
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    static var lastError: String { String(cString: strerror(errno)) }

    /// What is in a folder tree: every file, link and folder, relative to `root`, its top-level
    /// folders walked on all cores. Folders for which `descend` says no are listed but not entered.
    /// A folder for which `unchanged` gives a list is not read: only those folders (paths relative to
    /// `root`) are listed in it and entered (the caller knows the rest of what it holds).
    static func walk(_ root: String, descend: @Sendable (String) -> Bool = { _ in true },
                     unchanged: @Sendable (String) -> [String]? = { _ in nil }) -> [(path: String, isDirectory: Bool)] {
        @Sendable func visit(_ relative: String, into result: inout [(path: String, isDirectory: Bool)]) {
            if let folders = unchanged(relative) {
                for child in folders {
                    result.append((child, true))
                    if descend(child) { visit(child, into: &result) }
                }
                return
            }
            for entry in entries(of: root + "/" + relative) {
                let child = relative + "/" + entry.name
                result.append((child, entry.isDirectory))
                if entry.isDirectory, descend(child) { visit(child, into: &result) }
            }
        }
        let top = entries(of: root)
        let below = top.parallelMap { entry -> [(path: String, isDirectory: Bool)] in
            var result: [(path: String, isDirectory: Bool)] = []
            if entry.isDirectory, descend(entry.name) { visit(entry.name, into: &result) }
            return result
        }
        var result: [(path: String, isDirectory: Bool)] = []
        for (entry, children) in zip(top, below) {
            result.append((entry.name, entry.isDirectory))
            result += children
        }
        return result
    }

    /// Swaps two folders in one step where the kernel can (Linux renameat2, macOS renamex_np); elsewhere in
    /// two renames through `aside`, with a short moment where `b` is missing.
    static func exchange(_ a: String, _ b: String, aside: String) -> Bool {
        if guidegen_rename_exchange(a, b) == 0 { return true }
        guard errno == EINVAL || errno == ENOSYS || errno == ENOTSUP else { return false }
        guard rename(b, aside) == 0 else { return false }
        guard rename(a, b) == 0 else {
            rename(aside, b)
            return false
        }
        return rename(aside, a) == 0
    }

    /// Writes a file, over an existing one without truncating it first: a file of the same
    /// size keeps its blocks, which saves the file system freeing and allocating them again.
    /// A file that already holds exactly these bytes is left as it is, and keeps its modification
    /// time, so sync tools see only what changed: `known` (what an earlier build wrote at `path`)
    /// tells that from the file's status alone; without it the file is read back and compared,
    /// which costs far less than writing it out again.
    /// Returns what the file holds now, or nil if it could not be written (errno says why).
    @discardableResult
    static func write(_ data: Data, to path: String, known: FileRecord? = nil) -> FileRecord? {
        let hash = ContentHash(data)
        if let known, known.hash == hash, known.size == data.count, known.matches(path) { return known }
        guard let (fd, readable) = openForWriting(path) else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        let size = Int(info.st_size)
        if readable, size == data.count, holds(fd, data) { return FileRecord(hash: hash, size: size, status: info) }
        if size > data.count, ftruncate(fd, off_t(data.count)) != 0 { return nil }
        let written = data.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let written = pwrite(fd, buffer.baseAddress! + offset, buffer.count - offset, off_t(offset))
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
        guard written, fstat(fd, &info) == 0 else { return nil }
        return FileRecord(hash: hash, size: data.count, status: info)
    }

    /// A file opened (made if missing) for writing, and for reading too where its permissions allow (to compare
    /// what it holds). Never through a link: a symbolic link in the output must not send the write elsewhere.
    private static func openForWriting(_ path: String) -> (fd: Int32, readable: Bool)? {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        if fd >= 0 { return (fd, true) }
        guard errno == EACCES else { return nil }
        let writeOnly = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        return writeOnly >= 0 ? (writeOnly, false) : nil
    }

    /// Whether the open file's bytes are `data` (the caller knows the sizes are equal).
    private static func holds(_ fd: Int32, _ data: Data) -> Bool {
        let chunk = Swift.min(Swift.max(data.count, 1), 1 << 16)
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 16)
        defer { scratch.deallocate() }
        return data.withUnsafeBytes { expected -> Bool in
            var offset = 0
            while offset < expected.count {
                let count = pread(fd, scratch.baseAddress!, Swift.min(chunk, expected.count - offset), off_t(offset))
                if count < 0, errno == EINTR { continue }
                guard count > 0, memcmp(scratch.baseAddress!, expected.baseAddress! + offset, count) == 0 else { return false }
                offset += count
            }
            return true
        }
    }

    /// Copies a file a piece at a time (never the whole file in memory), with `write`'s rules: through no link, and a
    /// target that already holds the same bytes is left as it is. Its bytes are compared with the source's as they are
    /// read, and written from the first piece that differs.
    static func copy(_ source: String, to target: String, known: FileRecord? = nil) -> FileRecord? {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { return nil }
        defer { close(input) }
        var sourceInfo = stat()
        guard fstat(input, &sourceInfo) == 0, (sourceInfo.st_mode & S_IFMT) == S_IFREG else {
            errno = EINVAL
            return nil
        }
        let size = Int(sourceInfo.st_size)
        let piece = 1 << 18
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: piece, alignment: 16)
        let existing = UnsafeMutableRawBufferPointer.allocate(byteCount: piece, alignment: 16)
        defer {
            buffer.deallocate()
            existing.deallocate()
        }
        // A known target: only the source's hash is needed to tell whether it is already the same.
        if let known, known.size == size, known.matches(target), hash(of: input, size: size) == known.hash { return known }
        guard let (fd, readable) = openForWriting(target) else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        // Still the same bytes so far (a target of another size differs from its start).
        var same = readable && Int(info.st_size) == size
        var hasher = ContentHasher(count: size)
        var offset = 0
        while offset < size {
            let count = pread(input, buffer.baseAddress!, Swift.min(piece, size - offset), off_t(offset))
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                if count == 0 { errno = EIO }
                return nil
            }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[..<count])
            hasher.add(chunk)
            if same {
                var held = 0
                while held < count {
                    let read = pread(fd, existing.baseAddress! + held, count - held, off_t(offset + held))
                    if read < 0, errno == EINTR { continue }
                    guard read > 0 else { break }
                    held += read
                }
                same = held == count && memcmp(existing.baseAddress!, chunk.baseAddress!, count) == 0
            }
            if !same {
                var written = 0
                while written < count {
                    let result = pwrite(fd, chunk.baseAddress! + written, count - written, off_t(offset + written))
                    if result < 0 {
                        if errno == EINTR { continue }
                        return nil
                    }
                    written += result
                }
            }
            offset += count
        }
        if Int(info.st_size) > size, ftruncate(fd, off_t(size)) != 0 { return nil }
        guard fstat(fd, &info) == 0 else { return nil }
        return FileRecord(hash: hasher.finish(), size: size, status: info)
    }

    /// The folder holding `relative` (a path inside `root`, checked with `Manifest.isInside`), opened without following
    /// a link at any step, and the path's last part; nil if a part is missing, not a folder, or a link. What is done
    /// through it (`unlinkat`, `fstatat`) stays inside `root` whatever links the tree holds.
    static func openParent(under root: String, _ relative: String) -> (fd: Int32, name: String)? {
        guard Manifest.isInside(relative) else { return nil }
        var parts = relative.split(separator: "/").map(String.init)
        let name = parts.removeLast()
        var fd = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        for part in parts {
            let next = openat(fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            close(fd)
            guard next >= 0 else { return nil }
            fd = next
        }
        return (fd, name)
    }

    /// Removes the file at `relative` inside `root`, reached without following a link, if `isOurs` says it is the one
    /// meant (given its status and a descriptor to read it by). Returns false if something is there and was kept.
    /// With `remove` false, only tells whether it would be removed.
    static func removeFile(under root: String, _ relative: String, remove: Bool = true, isOurs: (stat, Int32) -> Bool) -> Bool {
        guard let (folder, name) = openParent(under: root, relative) else { return !exists(root + "/" + relative) }
        defer { close(folder) }
        var info = stat()
        guard fstatat(folder, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return true }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return false }
        let fd = openat(folder, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return false }
        let ours = isOurs(info, fd)
        close(fd)
        return ours && (!remove || unlinkat(folder, name, 0) == 0)
    }

    /// Removes the folder at `relative` inside `root` if it is empty, reached without following a link.
    @discardableResult
    static func removeEmptyFolder(under root: String, _ relative: String) -> Bool {
        guard let (folder, name) = openParent(under: root, relative) else { return false }
        defer { close(folder) }
        return unlinkat(folder, name, AT_REMOVEDIR) == 0
    }

    /// The hash of an open file's bytes, read a piece at a time (nil if it cannot be read whole).
    static func hash(of fd: Int32, size: Int) -> ContentHash? {
        let piece = 1 << 18
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: piece, alignment: 16)
        defer { buffer.deallocate() }
        var hasher = ContentHasher(count: size)
        var offset = 0
        while offset < size {
            let count = pread(fd, buffer.baseAddress!, Swift.min(piece, size - offset), off_t(offset))
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return nil }
            hasher.add(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
            offset += count
        }
        return hasher.finish()
    }

    /// An exclusive lock on `path` (created if missing), held until the returned descriptor is closed
    /// or the process ends; nil with errno EWOULDBLOCK if another process holds it.
    static func lock(_ path: String) -> Int32? {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { return nil }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let saved = errno
            close(fd)
            errno = saved
            return nil
        }
        return fd
    }

    /// Releases a lock from `lock(_:)` and closes it. Unlocked first: a child process forked in another
    /// thread (and not yet exec'd) shares the descriptor, and closing alone would keep the lock until it execs.
    static func unlock(_ fd: Int32) {
        flock(fd, LOCK_UN)
        close(fd)
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

extension stat {
    /// When the file's status last changed (Linux names it `st_ctim`, macOS `st_ctimespec`).
    var changeTime: timespec {
        #if os(Linux)
        st_ctim
        #else
        st_ctimespec
        #endif
    }

    /// When the file's bytes last changed (Linux names it `st_mtim`, macOS `st_mtimespec`).
    var modificationTime: timespec {
        #if os(Linux)
        st_mtim
        #else
        st_mtimespec
        #endif
    }
}

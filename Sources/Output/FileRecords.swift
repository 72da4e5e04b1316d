import Foundation
#if os(Linux)
import Glibc
#else
import Darwin
#endif

/// A 128-bit hash of a file's bytes (two multiply-mix chains over 16-byte blocks). Not cryptographic:
/// it tells a rebuild that a page it is about to write is the page it wrote there before, the way
/// the bytes' size does, only far more surely.
struct ContentHash: Hashable, Sendable {
    var high: UInt64
    var low: UInt64

    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    init(_ data: Data) {
        self = data.withUnsafeBytes { ContentHash($0) }
    }

    init(_ bytes: UnsafeRawBufferPointer) {
        var hasher = ContentHasher(count: bytes.count)
        hasher.add(bytes)
        self = hasher.finish()
    }
}

/// `ContentHash` a piece at a time, for a file too large to hold in memory: the count is known first (it is
/// mixed in at the start), then the bytes come in pieces of any size.
struct ContentHasher {
    private var a: UInt64
    private var b: UInt64
    /// Bytes of a 16-byte block begun in one piece and not yet finished.
    private var pending: (UInt64, UInt64) = (0, 0)
    private var pendingCount = 0

    init(count: Int) {
        a = 0x243F_6A88_85A3_08D3 ^ UInt64(count)
        b = 0x1319_8A2E_0370_7344 &+ UInt64(count)
    }

    mutating func add(_ bytes: UnsafeRawBufferPointer) {
        var offset = 0
        // Finish a block begun before, a byte at a time.
        while pendingCount > 0, offset < bytes.count {
            take(bytes[offset])
            offset += 1
        }
        while offset + 16 <= bytes.count {
            block(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)),
                  UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self)))
            offset += 16
        }
        while offset < bytes.count {
            take(bytes[offset])
            offset += 1
        }
    }

    /// The hash; the bytes added must add up to the count given at the start.
    func finish() -> ContentHash {
        // The last 0-15 bytes, padded with zeros (the count, mixed in at the start, tells paddings apart).
        let a = Self.mix(self.a ^ pending.0, 0x8EBC_6AF0_9C88_C6E3 ^ pending.1)
        let b = Self.mix(self.b ^ pending.1, 0x5899_65CC_7537_4CC3 ^ pending.0)
        return ContentHash(high: Self.mix(a ^ 0x1D8E_4E27_C47D_124F, b ^ 0xA076_1D64_78BD_642F),
                           low: Self.mix(b ^ 0xE703_7ED1_A0B4_28DB, a ^ 0x8EBC_6AF0_9C88_C6E3))
    }

    private mutating func take(_ byte: UInt8) {
        let value = UInt64(byte)
        if pendingCount < 8 { pending.0 |= value << (8 * pendingCount) } else { pending.1 |= value << (8 * (pendingCount - 8)) }
        pendingCount += 1
        if pendingCount == 16 {
            let (x, y) = pending
            pending = (0, 0)
            pendingCount = 0
            block(x, y)
        }
    }

    private mutating func block(_ x: UInt64, _ y: UInt64) {
        a = Self.mix(a ^ x, 0xA076_1D64_78BD_642F ^ y)
        b = Self.mix(b ^ y, 0xE703_7ED1_A0B4_28DB ^ x)
    }

    private static func mix(_ u: UInt64, _ v: UInt64) -> UInt64 {
        let product = u.multipliedFullWidth(by: v)
        return product.high ^ product.low
    }
}

/// What a build knows about a file it wrote: its bytes' hash and size, and the file's inode and
/// status-change time when they were written. The status-change time moves with every change to
/// the file (a write, a rename, a `touch`, a change of owner) and cannot be set back by hand, so a
/// file whose inode, size and status-change time are still these holds these bytes: a rebuild
/// checks that with one `lstat` instead of reading the file back.
struct FileRecord: Equatable, Sendable {
    var hash: ContentHash
    var size: Int
    var inode: UInt64
    var changedSeconds: Int
    var changedNanoseconds: Int

    init(hash: ContentHash, size: Int, inode: UInt64, changedSeconds: Int, changedNanoseconds: Int) {
        self.hash = hash
        self.size = size
        self.inode = inode
        self.changedSeconds = changedSeconds
        self.changedNanoseconds = changedNanoseconds
    }

    init(hash: ContentHash, size: Int, status info: stat) {
        self.init(hash: hash, size: size, inode: UInt64(info.st_ino),
                  changedSeconds: Int(info.changeTime.tv_sec), changedNanoseconds: Int(info.changeTime.tv_nsec))
    }

    /// Whether the file at `path` is still this record's: a regular file (not a link) with its inode, size and change time.
    func matches(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG && Int(info.st_size) == size
            && UInt64(info.st_ino) == inode && Int(info.changeTime.tv_sec) == changedSeconds && Int(info.changeTime.tv_nsec) == changedNanoseconds
    }
}

/// What a build knows about a folder it finished: its inode and status-change time, taken when the folder held
/// only what that build put there (its files and folders). Adding, removing or renaming anything in a folder
/// moves its change time, so a folder that still matches its record holds the same entries: the next build
/// need not read it to look for files it did not write.
struct FolderRecord: Equatable, Sendable {
    var inode: UInt64
    var changedSeconds: Int
    var changedNanoseconds: Int

    init(inode: UInt64, changedSeconds: Int, changedNanoseconds: Int) {
        self.inode = inode
        self.changedSeconds = changedSeconds
        self.changedNanoseconds = changedNanoseconds
    }

    /// The record of the folder at `path` now, nil if there is no folder there (a link is not one).
    init?(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { return nil }
        self.init(inode: UInt64(info.st_ino), changedSeconds: Int(info.changeTime.tv_sec), changedNanoseconds: Int(info.changeTime.tv_nsec))
    }

    /// The record of a folder that may hold what guidegen did not put there: it matches no folder (no folder has inode 0),
    /// so the folder is read, while its parent's record still names it.
    static let unknown = FolderRecord(inode: 0, changedSeconds: 0, changedNanoseconds: 0)

    func matches(_ path: String) -> Bool {
        inode != 0 && FolderRecord(path) == self
    }
}

/// The records of one written folder, kept beside the output (`.NAME.guidegen-files`), not in it: they
/// change with every build (times and inodes), and the output must be the same bytes for the same site.
///
/// A build writes into the folder the build before last wrote, so two record files are kept, the newest
/// and the one before (`.NAME.guidegen-files.previous`); each names the inode of the folder it describes,
/// and a build reads the one that names its folder. Records that were made within a clock tick or so of
/// the file that holds them are not trusted (`racyWindow`): a change in that tick would leave the change
/// time as it was (the "racy git" problem); those files are read back and compared, as without records.
enum FileRecords {
    static let header = "guidegen file records 1"

    /// Records this close to the record file's own time, or later, are not trusted (file systems that
    /// keep whole seconds only get two of them).
    static func racyWindow(fineGrained: Bool) -> Double { fineGrained ? 0.05 : 2 }

    static func paths(parent: String, name: String) -> (newest: String, previous: String) {
        let base = parent + "/.\(name).guidegen-files"
        return (base, base + ".previous")
    }

    /// The inode of a folder, nil if there is none.
    static func inode(of folder: String) -> UInt64? {
        FolderRecord(folder)?.inode
    }

    /// A table for `files` (paths inside the folder with inode `folder`) holding their trusted records, and the
    /// trusted records of its folders, if either record file describes the folder.
    static func table(for files: [String], folder: UInt64, parent: String, name: String) -> (files: RecordTable, folders: [String: FolderRecord]) {
        let table = RecordTable(count: files.count)
        let (newest, previous) = paths(parent: parent, name: name)
        for path in [newest, previous] {
            if let folders = read(path, folder: folder, into: table, files: files) { return (table, folders) }
        }
        return (table, [:])
    }

    /// The trusted folder records of the folder with inode `folder`, if either record file describes it (the scan of
    /// the output for the writer's files reads no folder that still matches its record).
    static func folders(of folder: UInt64, parent: String, name: String, files: Int) -> [String: FolderRecord] {
        let (newest, previous) = paths(parent: parent, name: name)
        for path in [newest, previous] {
            if let folders = read(path, folder: folder, into: nil, files: [], limit: files) { return folders }
        }
        return [:]
    }

    /// Fills `table` with the records of `files` in one record file and returns its folder records, if it describes
    /// `folder`; nil if it does not (or is not a record file). File records are written in the order of the files they
    /// describe, so the next build, which most often writes the same files in the same order, finds each in its place;
    /// the others are looked up. `limit`: about how many files the folder holds (for the largest sane size).
    /// `keepRacy`: also the records too close to the record file's time to be trusted by their status alone (for a
    /// caller that compares the bytes' hash anyway).
    static func read(_ path: String, folder: UInt64, into table: RecordTable?, files: [String], limit: Int? = nil,
                     keepRacy: Bool = false) -> [String: FolderRecord]? {
        var info = stat()
        // A record line is under 100 bytes plus its path; a file far larger than the list needs is not guidegen's (not read).
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) <= 4096 + (limit ?? files.count) * 8192,
              let data = FileManager.default.contents(atPath: path) else { return nil }
        let written = Double(info.modificationTime.tv_sec) + Double(info.modificationTime.tv_nsec) / 1e9
        let trustedBefore = written - racyWindow(fineGrained: info.modificationTime.tv_nsec != 0)
        return data.withUnsafeBytes { bytes -> [String: FolderRecord]? in
            var reader = LineReader(bytes: bytes)
            guard reader.line() == header, reader.line() == "folder \(folder)" else { return nil }
            var elsewhere: [String: FileRecord] = [:]
            var position = 0
            var folders: [String: FolderRecord] = [:]
            while !reader.atEnd {
                if reader.startsLine(with: folderSection) {
                    reader.skipLine()
                    folders = readFolders(&reader, trustedBefore: trustedBefore)
                    break
                }
                guard let table else {
                    reader.skipLine()
                    continue
                }
                // hash-high hash-low size inode seconds nanoseconds path
                guard let high = reader.number(radix: 16), let low = reader.number(radix: 16), let size = reader.number(radix: 10),
                      let inode = reader.number(radix: 10), let seconds = reader.number(radix: 10), let nanoseconds = reader.number(radix: 10),
                      let text = reader.line(), !text.isEmpty else {
                    reader.skipLine()
                    continue
                }
                position += 1
                guard Double(seconds) + Double(nanoseconds) / 1e9 < trustedBefore || keepRacy, size <= UInt64(Int.max), seconds <= UInt64(Int.max),
                      let file = Manifest.decode(text) else { continue }
                let record = FileRecord(hash: ContentHash(high: high, low: low), size: Int(size), inode: inode,
                                        changedSeconds: Int(seconds), changedNanoseconds: Int(nanoseconds))
                if position - 1 < files.count, files[position - 1] == file {
                    table[position - 1] = record
                } else {
                    elsewhere[file] = record
                }
            }
            if let table, !elsewhere.isEmpty {
                for (index, file) in files.enumerated() where table[index] == nil {
                    if let record = elsewhere[file] { table[index] = record }
                }
            }
            return folders
        }
    }

    /// The line that starts the folder records, after the file records.
    static let folderSection = "folders"

    /// Folder records, one a line: inode seconds nanoseconds path.
    private static func readFolders(_ reader: inout LineReader, trustedBefore: Double) -> [String: FolderRecord] {
        var folders: [String: FolderRecord] = [:]
        while !reader.atEnd {
            guard let inode = reader.number(radix: 10), let seconds = reader.number(radix: 10), let nanoseconds = reader.number(radix: 10),
                  let text = reader.line(), !text.isEmpty else {
                reader.skipLine()
                continue
            }
            guard Double(seconds) + Double(nanoseconds) / 1e9 < trustedBefore, seconds <= UInt64(Int.max), nanoseconds < 1_000_000_000 else { continue }
            guard let path = Manifest.decode(text) else { continue }
            folders[path] = FolderRecord(inode: inode, changedSeconds: Int(seconds), changedNanoseconds: Int(nanoseconds))
        }
        return folders
    }

    /// The record file that describes the folder with inode `folder`, nil if neither does: a folder no record file
    /// names was not made by guidegen for this output (a copy, a folder from git), and its marker is not trusted.
    static func describing(_ folder: UInt64, parent: String, name: String) -> String? {
        let (newest, previous) = paths(parent: parent, name: name)
        return [newest, previous].first { describedFolder($0) == folder }
    }

    /// What guidegen's records say it wrote at `files` in the folder with inode `folder` (racy records included),
    /// and when those records were written: the evidence a file must agree with before guidegen deletes it.
    static func claims(for files: [String], folder: UInt64, parent: String, name: String) -> Claims? {
        guard let path = describing(folder, parent: parent, name: name) else { return nil }
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        let table = RecordTable(count: files.count)
        guard read(path, folder: folder, into: table, files: files, keepRacy: true) != nil else { return nil }
        return Claims(records: table, recordedSeconds: Int(info.modificationTime.tv_sec), recordedNanoseconds: Int(info.modificationTime.tv_nsec))
    }

    /// Guidegen's records of some files in one folder, to tell whether a file there is guidegen's to delete.
    struct Claims {
        let records: RecordTable
        let recordedSeconds: Int
        let recordedNanoseconds: Int

        /// Whether the open file `fd` (status `info`) at position `index` is guidegen's: its record's inode and hash
        /// agree, or it changed after the records were written (a build that failed or was killed wrote it, after
        /// listing it in the marker, before a record of it could be made; the folder is guidegen's by its record).
        func isOurs(_ index: Int, _ info: stat, _ fd: Int32) -> Bool {
            if (Int(info.changeTime.tv_sec), Int(info.changeTime.tv_nsec)) > (recordedSeconds, recordedNanoseconds) { return true }
            guard let record = records[index] else { return false }
            return UInt64(info.st_ino) == record.inode && Int(info.st_size) == record.size
                && FileSystem.hash(of: fd, size: record.size) == record.hash
        }
    }

    /// The inode named by a record file's second line, nil if it is not one.
    static func describedFolder(_ path: String) -> UInt64? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let start = (try? handle.read(upToCount: header.utf8.count + 40)) ?? Data()
        let lines = start.split(separator: 0x0A, maxSplits: 2, omittingEmptySubsequences: false)
        guard lines.count == 3, String(decoding: lines[0], as: UTF8.self) == header else { return nil }
        let folder = String(decoding: lines[1], as: UTF8.self)
        return folder.hasPrefix("folder ") ? UInt64(folder.dropFirst("folder ".count)) : nil
    }

    /// Writes the records of `files` in `table` (those it has) for the folder with inode `folder` as the newest, the
    /// newest so far becoming the previous. Best effort: without records the next build reads its files back instead.
    static func write(_ table: RecordTable, of files: [String], folders: [(path: String, record: FolderRecord)],
                      for folder: UInt64, parent: String, name: String) {
        let (newest, previous) = paths(parent: parent, name: name)
        let temporary = newest + ".tmp"
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { return }
        // Written a piece at a time: at the end of a build, a second copy of the whole list would add to its peak memory.
        var text = header + "\nfolder \(folder)\n"
        var complete = true
        func flush() {
            guard complete else { return }
            complete = text.utf8.withContiguousStorageIfAvailable { buffer -> Bool in
                var offset = 0
                while offset < buffer.count {
                    let count = systemWrite(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if count < 0, errno == EINTR { continue }
                    guard count > 0 else { return false }
                    offset += count
                }
                return true
            } ?? false
            text.removeAll(keepingCapacity: true)
        }
        for (index, path) in files.enumerated() {
            guard let record = table[index] else { continue }
            text += String(record.hash.high, radix: 16) + " " + String(record.hash.low, radix: 16) + " \(record.size) \(record.inode) "
            text += "\(record.changedSeconds) \(record.changedNanoseconds) " + Manifest.encode(path) + "\n"
            if text.utf8.count > 1 << 16 { flush() }
        }
        text += folderSection + "\n"
        for (path, record) in folders {
            text += "\(record.inode) \(record.changedSeconds) \(record.changedNanoseconds) " + Manifest.encode(path) + "\n"
            if text.utf8.count > 1 << 16 { flush() }
        }
        flush()
        close(fd)
        guard complete else {
            unlink(temporary)
            return
        }
        // The newest so far describes the other folder (the next build's); it becomes the previous.
        if describedFolder(newest) != folder {
            rename(newest, previous)
        }
        rename(temporary, newest)
    }
}

/// One record (or none) for each file a build writes, by the file's position in the build's list: read from the
/// record file before the writes, each replaced by what its write found or made, on any thread (each position is
/// only ever touched by the one job that writes its file), then written out. No copy of the paths is kept.
/// `@unchecked`: the records are raw memory shared by the writing threads without a lock; what keeps them
/// apart is that no two jobs have the same position (a lock per record would cost more than most writes).
final class RecordTable: @unchecked Sendable {
    private let records: UnsafeMutableBufferPointer<FileRecord>
    /// Marks a position without a record (no file has a negative size).
    private static let none = FileRecord(hash: ContentHash(high: 0, low: 0), size: -1, inode: 0, changedSeconds: 0, changedNanoseconds: 0)

    init(count: Int) {
        records = .allocate(capacity: count)
        records.initialize(repeating: Self.none)
    }

    deinit {
        records.deallocate()
    }

    subscript(index: Int) -> FileRecord? {
        get { records[index].size < 0 ? nil : records[index] }
        set { records[index] = newValue ?? Self.none }
    }
}

/// Reads the bytes of guidegen's own lists (the marker, the records) a line at a time: far cheaper than
/// splitting them into slices first, which took a tenth of a second for the lists of a 10,000-page site.
struct LineReader {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    var atEnd: Bool { offset >= bytes.count }

    /// The rest of the line (without its line feed), nil at the end.
    mutating func line() -> String? {
        guard !atEnd else { return nil }
        let start = offset
        while offset < bytes.count, bytes[offset] != 0x0A { offset += 1 }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
        offset += 1
        return text
    }

    /// Whether the line at the reading position is exactly `text`.
    func startsLine(with text: String) -> Bool {
        let count = text.utf8.count
        guard offset + count <= bytes.count, offset + count == bytes.count || bytes[offset + count] == 0x0A else { return false }
        return text.utf8.elementsEqual(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)]))
    }

    mutating func skipLine() {
        while offset < bytes.count, bytes[offset] != 0x0A { offset += 1 }
        offset += 1
    }

    /// A number and the space after it; nil (and nothing read past the line) if there is none or it overflows.
    mutating func number(radix: UInt64) -> UInt64? {
        var value: UInt64 = 0
        let start = offset
        while offset < bytes.count {
            let byte = bytes[offset]
            let digit: UInt64
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f") where radix == 16: digit = UInt64(byte - UInt8(ascii: "a") + 10)
            case 0x20:
                guard offset > start else { return nil }
                offset += 1
                return value
            default:
                return nil
            }
            let (times, overflow) = value.multipliedReportingOverflow(by: radix)
            let (sum, carry) = times.addingReportingOverflow(digit)
            guard !overflow, !carry else { return nil }
            value = sum
            offset += 1
        }
        return nil
    }
}

/// The C library's `write` (inside `FileRecords.write`, a plain `write` would name that function).
private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if os(Linux)
    Glibc.write(fd, bytes, count)
    #else
    Darwin.write(fd, bytes, count)
    #endif
}

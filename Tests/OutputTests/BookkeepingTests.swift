import CGuidegenSystem
import Foundation
import Testing
@testable import Output

/// guidegen's own files beside and in the output (the marker, the records, the spare folder) are data, never
/// instructions: a path in them that leads outside, goes through a link or names a file guidegen's records do
/// not show it wrote deletes nothing, and a folder only a marker claims is not guidegen's.
@Suite struct BookkeepingTests {
    /// Two builds, so the spare holds the first one's files and the records describe both folders.
    private func twoBuilds(_ box: Sandbox, _ output: String) {
        #expect(box.write([("index.html", "one"), ("roles/a/index.html", "a")], to: output).isEmpty)
        #expect(box.write([("index.html", "two"), ("roles/a/index.html", "a")], to: output).isEmpty)
    }

    private func appendLine(_ line: String, toMarkerIn folder: String) throws {
        let marker = folder + "/" + OutputFolder.markerName
        let text = try String(contentsOfFile: marker, encoding: .utf8)
        try (text + line + "\n").write(toFile: marker, atomically: false, encoding: .utf8)
    }

    @Test(arguments: ["../victim.txt", "%2e%2e/victim.txt", "roles/../../victim.txt", "/tmp/victim.txt", "./index.html", "a//b", "%2E%2E/victim.txt"])
    func aSpareMarkerLineOutsideDeletesNothing(_ line: String) throws {
        let box = Sandbox()
        let output = box.root + "/public"
        let spare = box.root + "/.public.guidegen-spare"
        box.put(box.root + "/victim.txt", "the writer's")
        twoBuilds(box, output)
        try appendLine(line, toMarkerIn: spare)
        let problems = box.write([("index.html", "three")], to: output)
        #expect(problems.count == 1, "\(problems)")
        #expect(problems.first?.contains(".public.guidegen-spare/.guidegen-output:") == true, "\(problems)")
        #expect(problems.first?.contains("is not a path inside the folder") == true, "\(problems)")
        #expect(box.text(box.root + "/victim.txt") == "the writer's")
        // Nothing else was touched either: the output is the second build's.
        #expect(box.text(output + "/index.html") == "two")
        #expect(box.text(spare + "/roles/a/index.html") == "a")
    }

    @Test func anOutputMarkerLineOutsideDeletesNothingOnTheNextBuilds() throws {
        let box = Sandbox()
        let output = box.root + "/public"
        box.put(box.root + "/victim.txt", "the writer's")
        twoBuilds(box, output)
        try appendLine("../victim.txt", toMarkerIn: output)
        for _ in 0..<2 {
            let problems = box.write([("index.html", "three")], to: output)
            #expect(problems.count == 1 && problems[0].contains("public/.guidegen-output:4:1: error: this line of guidegen's marker"), "\(problems)")
        }
        #expect(box.text(box.root + "/victim.txt") == "the writer's")
        #expect(box.text(output + "/index.html") == "two")
    }

    /// A marker line that names a file through a link inside the spare: the link is not followed.
    @Test func aPathThroughALinkInTheSpareIsNotFollowed() throws {
        let box = Sandbox()
        let output = box.root + "/public"
        let spare = box.root + "/.public.guidegen-spare"
        box.put(box.root + "/elsewhere/victim.txt", "the writer's")
        twoBuilds(box, output)
        try FileManager.default.createSymbolicLink(atPath: spare + "/door", withDestinationPath: box.root + "/elsewhere")
        try appendLine("door/victim.txt", toMarkerIn: spare)
        let problems = box.write([("index.html", "three")], to: output)
        #expect(problems.count == 1 && problems[0].contains("door/victim.txt: error: guidegen's marker lists this file, but guidegen's records do not show it wrote it"),
                "\(problems)")
        #expect(box.text(box.root + "/elsewhere/victim.txt") == "the writer's")
        #expect(FileManager.default.fileExists(atPath: box.root + "/elsewhere"))
    }

    /// A file in the spare that the marker lists but that changed before the records were written (so not by a
    /// build) is not deleted.
    @Test func aListedFileTheRecordsDoNotVouchForIsKept() throws {
        let box = Sandbox()
        let output = box.root + "/public"
        let spare = box.root + "/.public.guidegen-spare"
        twoBuilds(box, output)
        // Replaced by another file (another inode), then the records are written again after it.
        try FileManager.default.removeItem(atPath: spare + "/roles/a/index.html")
        box.put(spare + "/roles/a/index.html", "someone's")
        usleep(20_000)
        let (newest, previous) = FileRecords.paths(parent: box.root, name: "public")
        for path in [newest, previous] {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            try text.write(toFile: path, atomically: false, encoding: .utf8)
        }
        let problems = box.write([("index.html", "three")], to: output)
        #expect(problems.count == 1 && problems[0].contains("roles/a/index.html: error: guidegen's marker lists this file"), "\(problems)")
        #expect(box.text(spare + "/roles/a/index.html") == "someone's")
    }

    /// A build that failed after writing a file it listed, then a build of a site without that page: the file
    /// (written after the last records) is guidegen's, and goes.
    @Test func aFileAFailedBuildWroteIsRemovedByTheNext() throws {
        let box = Sandbox()
        let output = box.root + "/public"
        let spare = box.root + "/.public.guidegen-spare"
        twoBuilds(box, output)
        // The failed build: listed and wrote extra/index.html, then stopped before its records.
        usleep(20_000)
        try appendLine("extra/index.html", toMarkerIn: spare)
        box.put(spare + "/extra/index.html", "half")
        #expect(box.write([("index.html", "three")], to: output).isEmpty)
        #expect(box.write([("index.html", "four")], to: output).isEmpty)
        #expect(snapshotPaths(output) == ["index.html"])
        #expect(snapshotPaths(spare) == ["index.html"])
    }

    /// A spare folder that guidegen did not make (from git, a cache, a copy): refused untouched if it holds what its
    /// marker does not list; made anew if it holds nothing else.
    @Test func aSpareNoRecordNamesIsNotGuidegens() throws {
        let box = Sandbox()
        let output = box.root + "/public"
        let spare = box.root + "/.public.guidegen-spare"
        box.put(spare + "/" + OutputFolder.markerName, Manifest.header + "\nindex.html\n")
        box.put(spare + "/index.html", "committed")
        box.put(spare + "/payload.js", "unchecked")
        var problems = box.write([("index.html", "one")], to: output)
        #expect(problems.count == 1 && problems[0].contains("no record shows guidegen made it here, and it holds what its marker does not list (payload.js)"),
                "\(problems)")
        #expect(box.text(spare + "/payload.js") == "unchecked")
        #expect(box.text(spare + "/index.html") == "committed")
        #expect(!FileManager.default.fileExists(atPath: output))
        // Without the unlisted file, it is only what its marker lists: made anew.
        try FileManager.default.removeItem(atPath: spare + "/payload.js")
        problems = box.write([("index.html", "one")], to: output)
        #expect(problems.isEmpty, "\(problems)")
        #expect(snapshotPaths(output) == ["index.html"])
        #expect(box.text(output + "/index.html") == "one")
    }

    @Test func aFileWithTheSparesNameIsRefused() {
        let box = Sandbox()
        let output = box.root + "/public"
        box.put(box.root + "/.public.guidegen-spare", "notes")
        let problems = box.write([("index.html", "one")], to: output)
        #expect(problems.count == 1 && problems[0].contains("a file has the name of guidegen's working folder"), "\(problems)")
        #expect(box.text(box.root + "/.public.guidegen-spare") == "notes")
    }

    /// A planted marker does not make a folder that holds other work guidegen's.
    @Test func aPlantedMarkerDoesNotMakeAFolderGuidegens() throws {
        let box = Sandbox()
        let home = box.root + "/home"
        box.put(home + "/" + OutputFolder.markerName, Manifest.header + "\nnotes.txt\n")
        box.put(home + "/notes.txt", "mine")
        box.put(home + "/thesis/chapter1.md", "mine too")
        let problems = box.write([("index.html", "one")], to: home)
        #expect(problems.count == 1 && problems[0].contains("has guidegen's marker, but no record shows guidegen wrote this folder"), "\(problems)")
        #expect(problems.first?.contains("thesis") == true)
        #expect(box.text(home + "/notes.txt") == "mine")
        #expect(box.text(home + "/thesis/chapter1.md") == "mine too")
        #expect(!FileManager.default.fileExists(atPath: box.root + "/.home.guidegen-spare"))
    }

    /// A copy of an earlier output (from a cache, `cp -r`) holds only what its marker lists: still guidegen's.
    @Test func aCopiedOutputIsStillGuidegens() throws {
        let box = Sandbox()
        let first = box.root + "/first"
        #expect(box.write([("index.html", "one"), ("roles/a/index.html", "a")], to: first).isEmpty)
        let copy = box.root + "/copy"
        try FileManager.default.copyItem(atPath: first, toPath: copy)
        #expect(box.write([("index.html", "two")], to: copy).isEmpty)
        #expect(box.text(copy + "/index.html") == "two")
        // And once built there, it is recorded: the writer may add a file of their own.
        box.put(copy + "/CNAME", "example.org")
        #expect(box.write([("index.html", "three")], to: copy).isEmpty)
        #expect(snapshotPaths(copy) == ["CNAME", "index.html"])
    }

    /// Marker lines are decoded with the three escapes guidegen writes and no others.
    @Test func markerLinesDecodeOnlyGuidegensEscapes() {
        #expect(Manifest.decode("a%25b/c%0Ad%0De.html") == "a%b/c\nd\re.html")
        #expect(Manifest.decode("a%2eb") == nil)
        #expect(Manifest.decode("a%") == nil)
        #expect(Manifest.decode("..") == nil)
        #expect(Manifest.decode("a/./b") == nil)
        #expect(Manifest.decode("a/") == nil)
        #expect(Manifest.decode("roles/a/index.html") == "roles/a/index.html")
        for path in ["a%b", "x\ny", "x\rz", "%25", "roles/..a/b..", ".well-known/x", "...", "a/.../b"] {
            #expect(Manifest.decode(Manifest.encode(path)) == path)
        }
        // The byte scan agrees with the rule spelled out over parts, on random paths of slashes, dots and letters.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let path = String((0..<Int.random(in: 0...8, using: &generator)).map { _ in "./a".randomElement(using: &generator)! })
            let parts = path.split(separator: "/", omittingEmptySubsequences: false)
            let expected = !path.isEmpty && parts.allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
            #expect(Manifest.isInside(path) == expected, "\(path)")
        }
    }

    /// An output that is a mount point cannot be swapped: the new site moves into it, and the writer's files stay.
    /// (Needs a bind mount: root, as in CI.)
    @Test(.enabled(if: BookkeepingTests.canMount())) func aMountPointIsUpdatedInPlace() throws {
        let box = Sandbox()
        let output = box.root + "/public"
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        #expect(Self.run("/bin/mount", ["--bind", output, output]) == 0)
        defer { _ = Self.run("/bin/umount", [output]) }
        #expect(guidegen_is_mount_point(output) == 1)
        let source = box.root + "/logo.svg"
        box.put(source, "<svg/>")
        #expect(box.write([("index.html", "one"), ("roles/a/index.html", "a"), ("old/index.html", "o")], copies: [("logo.svg", source)], to: output).isEmpty)
        box.put(output + "/CNAME", "example.org")
        box.put(output + "/.git/config", "[core]")
        let inode = FileRecords.inode(of: output)
        for round in ["two", "three"] {
            let problems = box.write([("index.html", round), ("roles/a/index.html", "a"), ("roles/b/index.html", "b")], copies: [("logo.svg", source)], to: output)
            #expect(problems.isEmpty, "\(problems)")
            #expect(box.text(output + "/index.html") == round)
        }
        #expect(FileRecords.inode(of: output) == inode)
        #expect(snapshotPaths(output) == [".git/config", "CNAME", "index.html", "logo.svg", "roles/a/index.html", "roles/b/index.html"])
        #expect(Manifest.read(output) == ["index.html", "logo.svg", "roles/a/index.html", "roles/b/index.html"])
        // A file that already holds the new bytes is left as it is.
        let before = try FileManager.default.attributesOfItem(atPath: output + "/roles/a/index.html")[.modificationDate] as? Date
        usleep(20_000)
        #expect(box.write([("index.html", "four"), ("roles/a/index.html", "a")], to: output).isEmpty)
        let after = try FileManager.default.attributesOfItem(atPath: output + "/roles/a/index.html")[.modificationDate] as? Date
        #expect(before == after)
        #expect(snapshotPaths(output) == [".git/config", "CNAME", "index.html", "roles/a/index.html"])
        // A writer's file where the new site writes is still an error, and kept.
        box.put(output + "/about/index.html", "hand-written")
        let problems = box.write([("index.html", "five"), ("about/index.html", "generated")], to: output)
        #expect(problems.count == 1 && problems[0].contains("was not written by guidegen, and the new site writes about/index.html"), "\(problems)")
        #expect(box.text(output + "/about/index.html") == "hand-written")
    }

    static func canMount() -> Bool {
        guard geteuid() == 0, FileManager.default.isExecutableFile(atPath: "/bin/mount") else { return false }
        let probe = NSTemporaryDirectory() + "guidegen-mount-probe-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: probe, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: probe) }
        guard run("/bin/mount", ["--bind", probe, probe]) == 0 else { return false }
        _ = run("/bin/umount", [probe])
        return true
    }

    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// Static files are copied a piece at a time: the bytes come out the same for every size around the piece size, a
/// target that already holds them is not written, and one that differs anywhere is corrected.
@Suite struct StreamedCopyTests {
    @Test(arguments: [0, 1, 15, 16, 17, (1 << 18) - 1, 1 << 18, (1 << 18) + 1, 3 * (1 << 18) + 7])
    func copiesEverySize(_ size: Int) throws {
        let box = Sandbox()
        var generator = SystemRandomNumberGenerator()
        let bytes = Data((0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let source = box.root + "/source.bin"
        let target = box.root + "/target.bin"
        try bytes.write(to: URL(fileURLWithPath: source))
        let record = try #require(FileSystem.copy(source, to: target))
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == bytes)
        #expect(record.hash == ContentHash(bytes))
        #expect(record.size == size)
        // The same bytes again: the file is not touched (its change time stays).
        usleep(10_000)
        let again = try #require(FileSystem.copy(source, to: target))
        #expect(again == record)
        guard size > 0 else { return }
        // One byte changed late in the file, and a longer target: corrected and cut.
        var changed = bytes
        changed[size - 1] ^= 0xFF
        try (changed + Data([1, 2, 3])).write(to: URL(fileURLWithPath: target))
        _ = try #require(FileSystem.copy(source, to: target))
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == bytes)
    }

    /// The piece-at-a-time hash is the one-shot hash, however the bytes are cut (checked against the formula
    /// written out as it was before `ContentHasher`).
    @Test func theHashDoesNotDependOnThePieces() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let count = Int.random(in: 0...200, using: &generator)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let expected = bytes.withUnsafeBytes { referenceHash($0) }
            #expect(ContentHash(Data(bytes)) == expected)
            var hasher = ContentHasher(count: count)
            var offset = 0
            while offset < count {
                let piece = Int.random(in: 1...40, using: &generator)
                let end = min(count, offset + piece)
                bytes[offset..<end].withUnsafeBytes { hasher.add($0) }
                offset = end
            }
            #expect(hasher.finish() == expected)
        }
    }

    private func referenceHash(_ bytes: UnsafeRawBufferPointer) -> ContentHash {
        func mix(_ u: UInt64, _ v: UInt64) -> UInt64 {
            let product = u.multipliedFullWidth(by: v)
            return product.high ^ product.low
        }
        let count = bytes.count
        var a: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(count)
        var b: UInt64 = 0x1319_8A2E_0370_7344 &+ UInt64(count)
        var offset = 0
        while offset + 16 <= count {
            let x = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            let y = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
            a = mix(a ^ x, 0xA076_1D64_78BD_642F ^ y)
            b = mix(b ^ y, 0xE703_7ED1_A0B4_28DB ^ x)
            offset += 16
        }
        var x: UInt64 = 0
        var y: UInt64 = 0
        for index in offset..<count {
            let byte = UInt64(bytes[index])
            let position = index - offset
            if position < 8 { x |= byte << (8 * position) } else { y |= byte << (8 * (position - 8)) }
        }
        a = mix(a ^ x, 0x8EBC_6AF0_9C88_C6E3 ^ y)
        b = mix(b ^ y, 0x5899_65CC_7537_4CC3 ^ x)
        return ContentHash(high: mix(a ^ 0x1D8E_4E27_C47D_124F, b ^ 0xA076_1D64_78BD_642F),
                           low: mix(b ^ 0xE703_7ED1_A0B4_28DB, a ^ 0x8EBC_6AF0_9C88_C6E3))
    }
}

/// The writer's files in the output are carried into each new site: files get a second name (they never leave the
/// output), folders move, and a journal lets the next build settle what a build that died in between left.
@Suite struct CarryTests {
    /// What `outputWithTheWritersFiles` puts in the output, as the carry lists it.
    static let writersEntries = [Carry.Entry(path: ".git", isDirectory: true), Carry.Entry(path: "CNAME", isDirectory: false),
                                 Carry.Entry(path: "roles/notes.txt", isDirectory: false)]

    private func outputWithTheWritersFiles(_ box: Sandbox) -> String {
        let output = box.root + "/public"
        #expect(box.write([("index.html", "one"), ("roles/a/index.html", "a")], to: output).isEmpty)
        #expect(box.write([("index.html", "two"), ("roles/a/index.html", "a")], to: output).isEmpty)
        box.put(output + "/CNAME", "example.org")
        box.put(output + "/roles/notes.txt", "notes")
        box.put(output + "/.git/HEAD", "ref: refs/heads/main")
        return output
    }

    @Test func aBuildCarriesFilesByLinkAndLeavesNoSecondName() throws {
        let box = Sandbox()
        let output = outputWithTheWritersFiles(box)
        var info = stat()
        #expect(lstat(output + "/CNAME", &info) == 0)
        let inode = info.st_ino
        #expect(box.write([("index.html", "three"), ("roles/a/index.html", "a")], to: output).isEmpty)
        #expect(snapshotPaths(output) == [".git/HEAD", "CNAME", "index.html", "roles/a/index.html", "roles/notes.txt"])
        #expect(lstat(output + "/CNAME", &info) == 0 && info.st_ino == inode && info.st_nlink == 1)
        // The old output, now the spare, keeps no name of the writer's files.
        #expect(snapshotPaths(box.root + "/.public.guidegen-spare") == ["index.html", "roles/a/index.html"])
        #expect(!FileManager.default.fileExists(atPath: Carry.journalPath(parent: box.root, name: "public")))
    }

    /// Killed after carrying, before the swap: the files never left the output, and the next build moves the
    /// folder back before anything else.
    @Test func killedBeforeTheSwap() throws {
        let box = Sandbox()
        let output = outputWithTheWritersFiles(box)
        let spare = box.root + "/.public.guidegen-spare"
        let journal = Carry.journalPath(parent: box.root, name: "public")
        #expect(Carry.begin(Self.writersEntries, from: output, into: spare, journal: journal, output: output) == nil)
        // As the dead build left it: the files are still in the output.
        #expect(box.text(output + "/CNAME") == "example.org")
        #expect(box.text(output + "/roles/notes.txt") == "notes")
        #expect(FileManager.default.fileExists(atPath: journal))
        // Settled first thing by the next build (here, as it begins).
        Carry.settle(target: output, spare: spare, journal: journal)
        #expect(box.text(output + "/.git/HEAD") == "ref: refs/heads/main")
        #expect(!FileManager.default.fileExists(atPath: spare + "/CNAME"))
        #expect(!FileManager.default.fileExists(atPath: spare + "/.git"))
        #expect(!FileManager.default.fileExists(atPath: journal))
        #expect(box.write([("index.html", "three"), ("roles/a/index.html", "a")], to: output).isEmpty)
        #expect(snapshotPaths(output) == [".git/HEAD", "CNAME", "index.html", "roles/a/index.html", "roles/notes.txt"])
    }

    /// Killed after the swap, before the old names went: the next build removes them, and only where they are the
    /// same file as in the output.
    @Test func killedAfterTheSwap() throws {
        let box = Sandbox()
        let output = outputWithTheWritersFiles(box)
        let spare = box.root + "/.public.guidegen-spare"
        let journal = Carry.journalPath(parent: box.root, name: "public")
        #expect(Carry.begin(Self.writersEntries, from: output, into: spare, journal: journal, output: output) == nil)
        #expect(FileSystem.exchange(spare, output, aside: box.root + "/.aside"))
        #expect(box.text(output + "/CNAME") == "example.org")
        #expect(box.text(output + "/.git/HEAD") == "ref: refs/heads/main")
        // The writer replaces the note in the output meanwhile: the old name is another file now, and stays.
        try FileManager.default.removeItem(atPath: output + "/roles/notes.txt")
        box.put(output + "/roles/notes.txt", "new notes")
        #expect(box.write([("index.html", "three"), ("roles/a/index.html", "a")], to: output).isEmpty)
        #expect(box.text(output + "/roles/notes.txt") == "new notes")
        #expect(box.text(output + "/CNAME") == "example.org")
        #expect(!FileManager.default.fileExists(atPath: spare + "/CNAME"))
        #expect(!FileManager.default.fileExists(atPath: journal))
    }

    /// A journal line is data: one that leads outside is left out, and nothing outside is touched.
    @Test func aJournalLineOutsideIsIgnored() throws {
        let box = Sandbox()
        let output = outputWithTheWritersFiles(box)
        box.put(box.root + "/victim.txt", "the writer's")
        let journal = Carry.journalPath(parent: box.root, name: "public")
        let inode = try #require(FileRecords.inode(of: output))
        box.put(journal, Carry.header + "\noutput \(inode + 1)\nf ../victim.txt\nf %2e%2e/victim.txt\n")
        #expect(box.write([("index.html", "three"), ("roles/a/index.html", "a")], to: output).isEmpty)
        #expect(box.text(box.root + "/victim.txt") == "the writer's")
        #expect(!FileManager.default.fileExists(atPath: journal))
    }
}

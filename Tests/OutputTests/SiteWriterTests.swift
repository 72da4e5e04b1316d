import Foundation
import Testing
@testable import Output

/// A temporary folder holding a site folder (`site/`) and room for outputs beside it.
final class Sandbox {
    let root: String
    var site: String { root + "/site" }

    init() {
        root = NSTemporaryDirectory() + "guidegen-output-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: root + "/site/content", withIntermediateDirectories: true)
    }

    func write(_ files: [(String, String)], copies: [(path: String, source: String)] = [], to output: String) -> [String] {
        SiteWriter.write(files: files.map { ($0.0, Data($0.1.utf8)) }, copies: copies, to: output, siteDirectory: site).map(\.description)
    }

    func text(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    func put(_ path: String, _ text: String) {
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try? text.write(toFile: path, atomically: false, encoding: .utf8)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }
}

/// Every file under a folder (links listed as files, never followed), sorted, without guidegen's marker.
func snapshotPaths(_ directory: String) -> [String] {
    FileSystem.walk(directory).filter { !$0.isDirectory && !Manifest.isMarker($0.path) }.map(\.path).sorted()
}

@Suite struct SiteWriterTests {
    @Test func writesAsideThenSwaps() throws {
        let box = Sandbox()
        let output = box.root + "/public"
        let source = box.root + "/logo.svg"
        box.put(source, "<svg/>")
        #expect(box.write([("index.html", "one"), ("roles/a/index.html", "a")], copies: [("img/logo.svg", source)], to: output).isEmpty)
        #expect(box.text(output + "/roles/a/index.html") == "a")
        #expect(box.text(output + "/img/logo.svg") == "<svg/>")
        #expect(box.write([("index.html", "two")], to: output).isEmpty)
        #expect(box.text(output + "/index.html") == "two")
        #expect(!FileManager.default.fileExists(atPath: output + "/roles"))
        // The previous output is kept beside it, to be written over by the next build.
        #expect(try FileManager.default.contentsOfDirectory(atPath: box.root).sorted()
            == [".public.guidegen-files", ".public.guidegen-files.previous", ".public.guidegen-lock", ".public.guidegen-spare", "logo.svg", "public", "site"])
        // Third build: written into the spare, which still holds the first build's files; none of those may survive.
        #expect(box.write([("about/index.html", "three")], to: output).isEmpty)
        #expect(snapshotPaths(output) == ["about/index.html"])
        #expect(Manifest.read(output) == ["about/index.html"])
    }

    @Test func aShorterFileOverALongerOneHasNoLeftovers() {
        let box = Sandbox()
        let output = box.root + "/public"
        for text in ["a long first version", "a long first version", "short", "short"] {
            #expect(box.write([("index.html", text)], to: output).isEmpty)
            #expect(box.text(output + "/index.html") == text)
        }
    }

    /// A file already holding the new bytes is not written again (it keeps its time); a changed one is,
    /// also when its size is the same.
    @Test func unchangedFilesAreNotRewritten() throws {
        let box = Sandbox()
        let output = box.root + "/public"
        let files = [("same.html", "unchanged text"), ("edited.html", "first text"), ("grown.html", "short")]
        // Two builds: the second writes into a new spare; the third writes into the first's files.
        #expect(box.write(files, to: output).isEmpty)
        #expect(box.write(files, to: output).isEmpty)
        let spare = box.root + "/.public.guidegen-spare"
        let old = Date(timeIntervalSince1970: 1_000_000_000)
        for name in ["same.html", "edited.html", "grown.html"] {
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: spare + "/" + name)
        }
        #expect(box.write([("same.html", "unchanged text"), ("edited.html", "other text"), ("grown.html", "longer text")], to: output).isEmpty)
        func modified(_ name: String) throws -> Date? {
            try FileManager.default.attributesOfItem(atPath: output + "/" + name)[.modificationDate] as? Date
        }
        #expect(try modified("same.html") == old)
        #expect(try modified("edited.html") != old)
        #expect(try modified("grown.html") != old)
        #expect(box.text(output + "/same.html") == "unchanged text")
        #expect(box.text(output + "/edited.html") == "other text")
        #expect(box.text(output + "/grown.html") == "longer text")
    }

    /// Two builds of `files`, then the record file of the spare (what the third build writes into) as
    /// if written a second later (so its records are trusted), with `edit` applied to its lines.
    private func recordedSpare(_ box: Sandbox, _ files: [(String, String)], trusted: Bool = true, records: Int? = nil,
                               edit: (inout [String]) -> Void = { _ in }) throws -> String {
        let output = box.root + "/public"
        #expect(box.write(files, to: output).isEmpty)
        #expect(box.write(files, to: output).isEmpty)
        let spare = try #require(FileRecords.inode(of: box.root + "/.public.guidegen-spare"))
        let (newest, previous) = FileRecords.paths(parent: box.root, name: "public")
        let path = try #require([newest, previous].first { FileRecords.describedFolder($0) == spare })
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        edit(&lines)
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: false, encoding: .utf8)
        // Trusted: written a second after now. Not trusted: written in the same instant as the first file it records.
        var info = stat()
        #expect(lstat(box.root + "/.public.guidegen-spare/" + files[0].0, &info) == 0)
        let changed = Date(timeIntervalSince1970: Double(info.changeTime.tv_sec) + Double(info.changeTime.tv_nsec) / 1e9)
        try FileManager.default.setAttributes([.modificationDate: trusted ? Date().addingTimeInterval(1) : changed], ofItemAtPath: path)
        let table = RecordTable(count: files.count)
        #expect(FileRecords.read(path, folder: spare, into: table, files: files.map(\.0)) != nil)
        #expect(files.indices.filter { table[$0] != nil }.count == records ?? (trusted ? files.count : 0))
        return box.root + "/.public.guidegen-spare"
    }

    /// Makes a.html's record claim that the file holds "FIRST TEXT" (it holds "first text").
    private func claimingFirstTextIsUppercase(_ lines: inout [String]) {
        let hash = ContentHash(Data("FIRST TEXT".utf8))
        lines = lines.map { line in
            guard line.hasSuffix(" a.html") else { return line }
            let fields = line.split(separator: " ")
            return ([String(hash.high, radix: 16), String(hash.low, radix: 16)] + fields.dropFirst(2).map(String.init)).joined(separator: " ")
        }
    }

    /// A record says what guidegen wrote; its hash of the new bytes stands in for reading the file back.
    /// (Shown by a record whose hash was changed to that of other bytes of the same size: the file is not
    /// looked at, so it keeps its old bytes. Without records, or with untrusted ones, it would be rewritten.)
    @Test func aRecordedFileIsNotReadBack() throws {
        let box = Sandbox()
        let output = box.root + "/public"
        _ = try recordedSpare(box, [("a.html", "first text"), ("b.html", "kept")], edit: claimingFirstTextIsUppercase)
        // In another order, with a new file first: records are found by path, not only by place.
        #expect(box.write([("new.html", "new"), ("b.html", "kept"), ("a.html", "FIRST TEXT")], to: output).isEmpty)
        #expect(box.text(output + "/a.html") == "first text")
        #expect(box.text(output + "/b.html") == "kept")
        #expect(box.text(output + "/new.html") == "new")
    }

    /// Records made within the record file's clock tick are not trusted: the same change as above is read back and written.
    @Test func racyRecordsAreNotTrusted() throws {
        let box = Sandbox()
        let output = box.root + "/public"
        _ = try recordedSpare(box, [("a.html", "first text")], trusted: false, edit: claimingFirstTextIsUppercase)
        #expect(box.write([("a.html", "FIRST TEXT")], to: output).isEmpty)
        #expect(box.text(output + "/a.html") == "FIRST TEXT")
    }

    /// A recorded file changed since (same size, its modification time set back, or replaced by a link) is
    /// written again: its status-change time or inode no longer match.
    @Test func aFileChangedSinceItsRecordIsWrittenAgain() throws {
        let box = Sandbox()
        let output = box.root + "/public"
        let files = [("same.html", "same text"), ("edited.html", "first text"), ("linked.html", "first link")]
        let spare = try recordedSpare(box, files)
        let before = try FileManager.default.attributesOfItem(atPath: spare + "/edited.html")[.modificationDate] as? Date
        try "FIRST TEXT".write(toFile: spare + "/edited.html", atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.modificationDate: try #require(before)], ofItemAtPath: spare + "/edited.html")
        let outside = box.root + "/outside.html"
        box.put(outside, "first link")
        try FileManager.default.removeItem(atPath: spare + "/linked.html")
        try FileManager.default.createSymbolicLink(atPath: spare + "/linked.html", withDestinationPath: outside)
        let problems = box.write(files, to: output)
        #expect(problems.count == 1 && problems[0].contains("linked.html: error: cannot write this file"), "\(problems)")
        try FileManager.default.removeItem(atPath: spare + "/linked.html")
        #expect(box.write(files, to: output).isEmpty)
        #expect(box.text(output + "/edited.html") == "first text")
        #expect(box.text(output + "/same.html") == "same text")
        #expect(box.text(output + "/linked.html") == "first link")
        #expect(box.text(outside) == "first link")
    }

    /// A records file that is not guidegen's (garbled lines, huge numbers, a link, far too large) gives no records,
    /// and the build still writes the right bytes.
    @Test func damagedRecordsAreIgnored() throws {
        let box = Sandbox()
        let output = box.root + "/public"
        _ = try recordedSpare(box, [("a.html", "first text")], records: 0) { lines in
            lines = Array(lines.prefix(2)) + ["zz 1 2 3 4 5 a.html", "ffffffffffffffffffffffff 1 2 3 4 5 a.html", "1 2 99999999999999999999 3 4 5 a.html", "1 2 3", ""]
        }
        #expect(box.write([("a.html", "FIRST TEXT")], to: output).isEmpty)
        #expect(box.text(output + "/a.html") == "FIRST TEXT")
        let inode = try #require(FileRecords.inode(of: box.root + "/.public.guidegen-spare"))
        let (newest, _) = FileRecords.paths(parent: box.root, name: "public")
        let table = RecordTable(count: 1)
        var huge = FileRecords.header + "\nfolder \(inode)\n"
        huge += String(repeating: "x", count: 100_000)
        try huge.write(toFile: newest, atomically: false, encoding: .utf8)
        #expect(FileRecords.read(newest, folder: inode, into: table, files: ["a.html"]) == nil)
        try FileManager.default.removeItem(atPath: newest)
        try FileManager.default.createSymbolicLink(atPath: newest, withDestinationPath: box.root + "/.public.guidegen-files.previous")
        #expect(FileRecords.read(newest, folder: inode, into: table, files: ["a.html"]) == nil)
        #expect(table[0] == nil)
    }

    /// Both record files as if written a second from now: every record in them is trusted.
    private func trustRecords(_ box: Sandbox) throws {
        let (newest, previous) = FileRecords.paths(parent: box.root, name: "public")
        for path in [newest, previous] where FileManager.default.fileExists(atPath: path) {
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(1)], ofItemAtPath: path)
        }
    }

    private let site = [("index.html", "home"), ("roles/a/index.html", "a"), ("roles/b/index.html", "b")]

    /// The first build with records reads its folders once and records those that hold only its files; later builds
    /// record the folders they found unchanged or made.
    @Test func foldersAreRecorded() throws {
        let box = Sandbox()
        let output = box.root + "/public"
        for _ in 0..<3 {
            #expect(box.write(site, to: output).isEmpty)
            try trustRecords(box)
            let inode = try #require(FileRecords.inode(of: output))
            let folders = FileRecords.folders(of: inode, parent: box.root, name: "public", files: site.count)
            #expect(folders.keys.sorted() == ["roles", "roles/a", "roles/b"])
            #expect(folders.values.allSatisfy { $0 != .unknown && $0.inode != 0 })
        }
        box.put(output + "/roles/b/notes.txt", "mine")
        #expect(box.write(site, to: output).isEmpty)
        try trustRecords(box)
        let inode = try #require(FileRecords.inode(of: output))
        let folders = FileRecords.folders(of: inode, parent: box.root, name: "public", files: site.count)
        #expect(folders["roles/b"] == .unknown && folders["roles"] == .unknown)
        #expect(folders["roles/a"].map { $0 != .unknown } == true)
    }

    /// The writer's file in a recorded folder is found and carried by every build after it: put in the output (the
    /// folder's change time moves), or left in the spare by a build killed after carrying it there (the next build
    /// finds that folder changed since its record and does not record it again, so the build after reads it).
    @Test(arguments: ["public", ".public.guidegen-spare"])
    func aFileInARecordedFolderIsCarried(_ folder: String) throws {
        let box = Sandbox()
        let output = box.root + "/public"
        #expect(box.write(site, to: output).isEmpty)
        #expect(box.write(site, to: output).isEmpty)
        try trustRecords(box)
        box.put(box.root + "/" + folder + "/roles/a/notes.txt", "mine")
        for _ in 0..<3 {
            #expect(box.write(site, to: output).isEmpty)
            try trustRecords(box)
            #expect(box.text(output + "/roles/a/notes.txt") == "mine")
        }
        #expect(snapshotPaths(output) == ["index.html", "roles/a/index.html", "roles/a/notes.txt", "roles/b/index.html"])
    }

    /// A folder that still matches its record is not read. (Shown by a record made to match a folder that holds a
    /// file it did not record: the file is not found, so not carried. Untrusted, the same folder is read.)
    @Test func aFolderAsRecordedIsNotRead() throws {
        for trusted in [true, false] {
            let box = Sandbox()
            let output = box.root + "/public"
            #expect(box.write(site, to: output).isEmpty)
            #expect(box.write(site, to: output).isEmpty)
            box.put(output + "/roles/a/notes.txt", "mine")
            // The output's records (the newest file) now claim roles/a as it is.
            let inode = try #require(FileRecords.inode(of: output))
            let (newest, _) = FileRecords.paths(parent: box.root, name: "public")
            #expect(FileRecords.describedFolder(newest) == inode)
            let now = try #require(FolderRecord(output + "/roles/a"))
            var lines = try String(contentsOfFile: newest, encoding: .utf8).split(separator: "\n").map(String.init)
            lines = lines.map { $0.hasSuffix(" roles/a") && $0.split(separator: " ").count == 4 ? "\(now.inode) \(now.changedSeconds) \(now.changedNanoseconds) roles/a" : $0 }
            #expect(lines.contains("\(now.inode) \(now.changedSeconds) \(now.changedNanoseconds) roles/a"))
            try (lines.joined(separator: "\n") + "\n").write(toFile: newest, atomically: false, encoding: .utf8)
            if trusted { try trustRecords(box) }
            #expect(box.write(site, to: output).isEmpty)
            #expect((box.text(output + "/roles/a/notes.txt") == nil) == trusted)
        }
    }

    /// The hash tells apart bytes that differ anywhere, and in length only.
    @Test func contentHashesDiffer() {
        var seen = Set<ContentHash>()
        var texts: [String] = ["", "\0", "\0\0", String(repeating: "a", count: 15), String(repeating: "a", count: 16), String(repeating: "a", count: 17)]
        let base = Array(String(repeating: "guidegen ", count: 8).utf8)
        for index in base.indices {
            var bytes = base
            bytes[index] ^= 1
            texts.append(String(decoding: bytes, as: UTF8.self))
        }
        for text in texts { seen.insert(ContentHash(Data(text.utf8))) }
        #expect(seen.count == texts.count)
        #expect(ContentHash(Data("same".utf8)) == ContentHash(Data("same".utf8)))
    }

    /// The first files are written before `prepare` runs, and no other file is asked for before it.
    @Test func writesInTwoPhases() {
        let box = Sandbox()
        let output = box.root + "/public"
        final class Log: @unchecked Sendable {
            let lock = NSLock()
            var events: [String] = []
            func add(_ event: String) { lock.withLock { events.append(event) } }
        }
        let log = Log()
        let paths = ["search/a.json", "search/b.json", "page/index.html", "other/index.html"]
        let spare = box.root + "/.public.guidegen-spare"
        let problems = SiteWriter.write(paths: paths, contents: { index in
            log.add(paths[index])
            return Data(paths[index].utf8)
        }, copies: [], to: output, siteDirectory: box.site, first: 2, prepare: {
            let written = FileManager.default.fileExists(atPath: spare + "/search/a.json") && FileManager.default.fileExists(atPath: spare + "/search/b.json")
            log.add(written ? "prepare after both" : "prepare too early")
        })
        #expect(problems.isEmpty)
        #expect(log.events.count == 5)
        #expect(Set(log.events.prefix(2)) == ["search/a.json", "search/b.json"])
        #expect(log.events[2] == "prepare after both")
        #expect(Set(log.events.suffix(2)) == ["page/index.html", "other/index.html"])
        #expect(box.text(output + "/page/index.html") == "page/index.html")
    }

    @Test func aFileWhereAFolderIsNeeded() {
        let box = Sandbox()
        let output = box.root + "/public"
        #expect(box.write([("a", "file")], to: output).isEmpty)
        #expect(box.write([("b", "file")], to: output).isEmpty)
        #expect(box.write([("a/index.html", "page")], to: output).isEmpty)
        #expect(snapshotPaths(output) == ["a/index.html"])
    }

    @Test func aFailedWriteLeavesTheOldOutput() {
        let box = Sandbox()
        let output = box.root + "/public"
        #expect(box.write([("index.html", "old")], to: output).isEmpty)
        // A copy whose source is missing fails the write.
        let problems = box.write([("index.html", "new")], copies: [("x.png", box.root + "/missing.png")], to: output)
        #expect(problems.first?.hasPrefix(box.root + "/missing.png: error: cannot copy") == true)
        #expect(box.text(output + "/index.html") == "old")
        // ... and nothing that breaks the next build.
        #expect(box.write([("index.html", "newer")], to: output).isEmpty)
        #expect(snapshotPaths(output) == ["index.html"])
    }

    /// Places a build must refuse, each with the writer's files untouched.
    @Test func refusesFoldersItDoesNotOwn() throws {
        let box = Sandbox()
        box.put(box.site + "/content/a.md", "writer's page")
        box.put(box.root + "/mine/notes.txt", "writer's notes")
        box.put(box.root + "/a-file", "a file")
        try FileManager.default.createSymbolicLink(atPath: box.root + "/link", withDestinationPath: box.root + "/mine")
        let cases: [(String, String)] = [
            ("", "the output folder is an empty path"),
            (box.site, "the output folder is the site folder itself"),
            (box.root, "holds the site folder"),
            (box.site + "/content", "inside the site's content/ folder"),
            (box.site + "/content/../content/x", "inside the site's content/ folder"),
            (box.site + "/static/out", "inside the site's static/ folder"),
            ("/", "refusing to write the site into /"),
            (ProcessInfo.processInfo.environment["HOME"] ?? "/root", "home folder"),
            (box.root + "/a-file", "is a file, not a folder"),
            (box.root + "/link", "is a symbolic link"),
            (box.root + "/mine", "is not empty and was not written by guidegen (it holds notes.txt)"),
        ]
        for (output, message) in cases {
            let problems = box.write([("index.html", "site")], to: output)
            #expect(problems.count == 1 && problems[0].contains(message), "\(output): \(problems)")
            #expect(problems.first?.contains("hint:") == true)
        }
        #expect(box.text(box.site + "/content/a.md") == "writer's page")
        #expect(try FileManager.default.contentsOfDirectory(atPath: box.root + "/mine") == ["notes.txt"])
        #expect(box.text(box.root + "/a-file") == "a file")
        #expect(!FileManager.default.fileExists(atPath: box.root + "/.mine.guidegen-spare"))
        // The default place, public/ in the site folder, and an empty folder are fine.
        #expect(box.write([("index.html", "site")], to: box.site + "/public").isEmpty)
        try FileManager.default.createDirectory(atPath: box.root + "/empty", withIntermediateDirectories: true)
        #expect(box.write([("index.html", "site")], to: box.root + "/empty").isEmpty)
    }

    /// `.git`, `CNAME` and any other file guidegen did not write stay, build after build.
    @Test func keepsTheWritersFiles() throws {
        let box = Sandbox()
        let output = box.root + "/public"
        #expect(box.write([("index.html", "one"), ("roles/a/index.html", "a")], to: output).isEmpty)
        box.put(output + "/CNAME", "guides.example.org")
        box.put(output + "/.git/config", "[core]")
        box.put(output + "/.git/objects/ab/cdef", "blob")
        box.put(output + "/roles/notes.txt", "nested")
        for round in 1...3 {
            #expect(box.write([("index.html", "build \(round)"), ("roles/b/index.html", "b")], to: output).isEmpty)
            #expect(box.text(output + "/index.html") == "build \(round)")
            #expect(snapshotPaths(output) == [".git/config", ".git/objects/ab/cdef", "CNAME", "index.html", "roles/b/index.html", "roles/notes.txt"])
            #expect(box.text(output + "/CNAME") == "guides.example.org")
        }
        // A new page where the writer has a file: an error, and both stay as they were.
        box.put(output + "/about/index.html", "hand-written")
        let problems = box.write([("index.html", "four"), ("about/index.html", "generated")], to: output)
        #expect(problems.count == 1 && problems[0].contains("was not written by guidegen, and the new site writes about/index.html"))
        #expect(box.text(output + "/about/index.html") == "hand-written")
        #expect(box.text(output + "/index.html") == "build 3")
    }

    /// A build killed after carrying the writer's files into the spare, before the swap: the next build brings them back.
    @Test func aKilledSwapLosesNothing() {
        let box = Sandbox()
        let output = box.root + "/public"
        let spare = box.root + "/.public.guidegen-spare"
        #expect(box.write([("index.html", "one")], to: output).isEmpty)
        #expect(box.write([("index.html", "two")], to: output).isEmpty)
        box.put(output + "/CNAME", "example.org")
        // As the killed build left it: CNAME moved into the spare, spare half-written.
        #expect(rename(output + "/CNAME", spare + "/CNAME") == 0)
        box.put(spare + "/index.html", "half")
        #expect(box.write([("index.html", "three")], to: output).isEmpty)
        #expect(snapshotPaths(output) == ["CNAME", "index.html"])
        #expect(box.text(output + "/CNAME") == "example.org")
    }

    /// A symbolic link in the output or the spare is never written through.
    @Test func writesNeverFollowALink() throws {
        let box = Sandbox()
        let output = box.root + "/public"
        let spare = box.root + "/.public.guidegen-spare"
        let outside = box.root + "/outside"
        box.put(outside + "/index.html", "outside")
        #expect(box.write([("index.html", "one"), ("roles/index.html", "r")], to: output).isEmpty)
        #expect(box.write([("index.html", "two"), ("roles/index.html", "r")], to: output).isEmpty)
        // Someone puts links where the next build writes a folder and a file.
        try FileManager.default.removeItem(atPath: spare + "/roles")
        try FileManager.default.createSymbolicLink(atPath: spare + "/roles", withDestinationPath: outside)
        try FileManager.default.removeItem(atPath: spare + "/index.html")
        try FileManager.default.createSymbolicLink(atPath: spare + "/index.html", withDestinationPath: outside + "/index.html")
        var problems = box.write([("index.html", "three"), ("roles/index.html", "r3")], to: output)
        #expect(problems.count == 1 && problems[0].contains("roles was not written by guidegen (a file or a symbolic link), and the new site needs a folder there"), "\(problems)")
        try FileManager.default.removeItem(atPath: spare + "/roles")
        problems = box.write([("index.html", "three"), ("roles/index.html", "r3")], to: output)
        #expect(problems.count == 1 && problems[0].contains("index.html: error: cannot write this file: Too many levels of symbolic links"), "\(problems)")
        #expect(box.text(outside + "/index.html") == "outside")
        #expect(box.text(output + "/index.html") == "two")
        // A link the writer keeps in the output is carried along as a link, never followed.
        try FileManager.default.removeItem(atPath: spare + "/index.html")
        try FileManager.default.createSymbolicLink(atPath: output + "/docs", withDestinationPath: outside)
        #expect(box.write([("index.html", "four"), ("docs-page/index.html", "d")], to: output).isEmpty)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: output + "/docs") == outside)
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside) == ["index.html"])
        #expect(box.text(outside + "/index.html") == "outside")
    }

    @Test func aSecondBuildIntoTheSameOutputWaitsItsTurn() throws {
        let box = Sandbox()
        let output = box.root + "/public"
        #expect(box.write([("index.html", "one")], to: output).isEmpty)
        let held = try #require(FileSystem.lock(box.root + "/.public.guidegen-lock"))
        let problems = box.write([("index.html", "two")], to: output)
        #expect(problems.count == 1 && problems[0].contains("another guidegen build is writing to"))
        FileSystem.unlock(held)
        #expect(box.text(output + "/index.html") == "one")
        #expect(box.write([("index.html", "two")], to: output).isEmpty)
    }

    /// A child process forked by another thread shares the lock's descriptor until it execs; releasing the
    /// lock must not wait for it (here the shared descriptor is a `dup`).
    @Test func aReleasedLockIsFreeWhileItsDescriptorIsShared() throws {
        let box = Sandbox()
        let path = box.root + "/.public.guidegen-lock"
        let held = try #require(FileSystem.lock(path))
        let shared = dup(held)
        defer { close(shared) }
        FileSystem.unlock(held)
        let again = try #require(FileSystem.lock(path))
        FileSystem.unlock(again)
    }

    /// Readers see the old site or the new one, never no site.
    /// Checks a file again and again on its own thread, counting the times it is missing.
    final class Reader: @unchecked Sendable {
        let path: String
        private let lock = NSLock()
        private var reads = 0
        private var missing = 0
        private var stopped = false

        init(path: String) { self.path = path }

        var counts: (reads: Int, missing: Int) { lock.withLock { (reads, missing) } }
        func stop() { lock.withLock { stopped = true } }

        func run() {
            while true {
                let present = access(path, F_OK) == 0
                let done = lock.withLock { () -> Bool in
                    reads += 1
                    if !present { missing += 1 }
                    return stopped
                }
                if done { return }
            }
        }
    }

    @Test func readersNeverSeeNoOutput() {
        let box = Sandbox()
        let output = box.root + "/public"
        #expect(box.write([("index.html", "0")], to: output).isEmpty)
        let reader = Reader(path: output + "/index.html")
        Thread.detachNewThread { reader.run() }
        while reader.counts.reads == 0 { usleep(1000) }
        for round in 1...30 {
            #expect(box.write([("index.html", "\(round)"), ("page-\(round % 3)/index.html", "p")], to: output).isEmpty)
        }
        reader.stop()
        #expect(reader.counts.reads > 100)
        #expect(reader.counts.missing == 0)
    }
}

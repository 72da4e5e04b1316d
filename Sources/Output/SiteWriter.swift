import Diagnostics
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Stage 5: writes the site into a folder beside the output, then swaps the two in one step.
///
/// - The output is guidegen's alone (see `OutputFolder`). Each output carries a marker file
///   listing what guidegen wrote; anything else in it (`.git`, `CNAME`) is the writer's and is
///   carried into the new output, never deleted or overwritten.
/// - The folder written into is the previous build's output, kept beside the output as
///   `.NAME.guidegen-spare` after each swap: overwriting files that exist is much cheaper than
///   creating and deleting ten thousand folders. Its marker lists everything guidegen may have
///   written there before any write begins, so a killed build leaves nothing unaccounted for, and
///   what is there without being listed is the writer's (carried over by a build killed mid-swap).
/// - Readers of the output see the old site or the new one, never none: the swap is one
///   `renameat2(RENAME_EXCHANGE)`.
/// - A lock beside the output (`.NAME.guidegen-lock`) makes a second build into the same output
///   fail with a clear message instead of mixing two sites.
public enum SiteWriter {
    /// A file to write: its path inside the output folder and its bytes.
    public typealias File = (path: String, data: Data)

    /// - Parameters:
    ///   - files: generated files.
    ///   - copies: files copied as they are: path inside the output -> source path on disk (the site's `static/`).
    ///   - output: the output folder.
    ///   - siteDirectory: the site folder, which the output must neither be nor hold.
    public static func write(files: [File], copies: [(path: String, source: String)], to output: String, siteDirectory: String) -> [Diagnostic] {
        write(paths: files.map(\.path), contents: { files[$0].data }, copies: copies, to: output, siteDirectory: siteDirectory)
    }

    /// The same, with each generated file's bytes asked for when it is written (on any thread), so a
    /// caller can make them then and the whole site need never be in memory at once.
    /// - Parameters:
    ///   - contents: the bytes of `paths[index]`.
    ///   - first: how many of `paths` are written before the rest, and `prepare` runs in between (after
    ///     the first ones are written and before any other is asked for): a build writes its search index
    ///     first and lets it go before the renderer makes its cards.
    public static func write(paths: [String], contents: @Sendable (Int) -> Data, copies: [(path: String, source: String)],
                             to output: String, siteDirectory: String, first: Int = 0, prepare: () -> Void = {}) -> [Diagnostic] {
        if let problem = OutputFolder.problem(output: output, siteDirectory: siteDirectory) { return [problem] }
        let outputURL = URL(fileURLWithPath: output).standardizedFileURL
        let parent = outputURL.deletingLastPathComponent().path
        let name = outputURL.lastPathComponent
        let target = outputURL.path
        let spare = parent + "/.\(name).guidegen-spare"
        let place = SourceLocation(file: output)

        guard FileManager.default.fileExists(atPath: parent) || (try? FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)) != nil else {
            return [.error(.writeFailed, at: place, "cannot create the folder \(parent)", hint: "check that it can be created and written")]
        }
        guard let lock = FileSystem.lock(parent + "/.\(name).guidegen-lock") else {
            if errno == EWOULDBLOCK {
                return [.error(.outputLocked, at: place, "another guidegen build is writing to \(output) right now",
                               hint: "wait for it to finish and build again; two builds into one output would mix two sites")]
            }
            return [.error(.writeFailed, at: place, "cannot create a lock file beside the output: \(FileSystem.lastError)", hint: "check that \(parent) is writable")]
        }
        defer { FileSystem.unlock(lock) }

        let newPaths = paths + copies.map(\.path)
        let newSet = Set(newPaths)
        let folders = Manifest.folders(of: newSet)

        // The staging folder: last build's spare if it is one, else a new folder.
        let spareManifest: Set<String>
        switch prepareSpare(spare, place: place) {
        case let .success(manifest): spareManifest = manifest
        case let .failure(problem): return [problem]
        }
        // Before any write: the spare's marker lists all that guidegen may write there.
        guard newSet.isSubset(of: spareManifest) || Manifest.write(spareManifest.union(newSet), to: spare) else {
            return [.error(.writeFailed, at: place, "cannot write in \(spare): \(FileSystem.lastError)", hint: "check that \(parent) is writable and not full")]
        }
        // A path the new site writes that guidegen did not write before, but where something is: the writer's.
        // (Anything guidegen writes into the spare is in its marker before it is written, so this is exact.)
        var problems: [Diagnostic] = []
        for path in newPaths where !spareManifest.contains(path) && FileSystem.exists(spare + "/" + path) {
            problems.append(collision(path, output: output))
        }
        if !problems.isEmpty { return limited(problems) }

        // What guidegen wrote in the spare and still finds there as it was: those files are not read back.
        // And its folders that hold nothing but what guidegen put there (checked before anything changes them).
        let spareInode = FileRecords.inode(of: spare)
        let (records, spareFolders) = spareInode.map { FileRecords.table(for: newPaths, folder: $0, parent: parent, name: name) }
            ?? (RecordTable(count: newPaths.count), [:])
        let cleanFolders = Set(Array(folders).parallelMap { folder in spareFolders[folder]?.matches(spare + "/" + folder) == true ? folder : nil }.compactMap { $0 })

        // What guidegen wrote before and does not write now.
        let sameFiles = newSet == spareManifest
        if !sameFiles {
            for path in spareManifest where !newSet.contains(path) {
                unlink(spare + "/" + path)
            }
        }

        // The current output is looked through (for the writer's files, carried into the new one) on
        // another thread while the files are written: it does not depend on them.
        let scan = OutputScan(target, folders: folders, records: { inode in FileRecords.folders(of: inode, parent: parent, name: name, files: newPaths.count) })

        // Folders, a level at a time (parents first), each level on all cores; then files on all cores.
        // Folders made now hold only what guidegen puts there, like those found clean (which are there already).
        var madeFolders = Set<String>()
        for level in Manifest.levels(of: folders.subtracting(cleanFolders)) {
            let problems = level.parallelMap { folder -> (made: Bool, problem: Diagnostic?) in
                let path = spare + "/" + folder
                if mkdir(path, 0o755) == 0 { return (true, nil) }
                if errno == EEXIST, FileSystem.isDirectory(path) { return (false, nil) }
                if spareManifest.contains(folder) { FileSystem.removeTree(path) }
                if mkdir(path, 0o755) == 0 { return (true, nil) }
                if FileSystem.makeDirectory(path) { return (false, nil) }
                if FileSystem.exists(path) {
                    return (false, .error(.foreignFile, at: SourceLocation(file: path), "\(folder) was not written by guidegen (a file or a symbolic link), and the new site needs a folder there",
                                          hint: "guidegen never writes through links or over files it did not write; move it away"))
                }
                return (false, .error(.writeFailed, at: SourceLocation(file: output + "/" + folder), "cannot create this folder: \(FileSystem.lastError)",
                                      hint: "check that \(parent) is writable and not full"))
            }
            if let problem = problems.lazy.compactMap(\.problem).first {
                scan.wait()
                return [problem]
            }
            for (folder, result) in zip(level, problems) where result.made { madeFolders.insert(folder) }
        }
        enum Job: Sendable {
            case write(Int)
            /// Position in the new paths, source path.
            case copy(Int, String)
        }
        let jobs: [Job] = paths.indices.map { .write($0) } + copies.enumerated().map { .copy(paths.count + $0.offset, $0.element.source) }
        let split = min(max(first, 0), paths.count)
        let run = { @Sendable (job: Job) -> Diagnostic? in
            switch job {
            case let .write(index):
                let path = paths[index]
                records[index] = FileSystem.write(contents(index), to: spare + "/" + path, known: records[index])
                if records[index] != nil { return nil }
                return .error(.writeFailed, at: SourceLocation(file: output + "/" + path), "cannot write this file: \(FileSystem.lastError)",
                              hint: "check that \(parent) is writable and not full")
            case let .copy(index, source):
                records[index] = FileSystem.copy(source, to: spare + "/" + newPaths[index], known: records[index])
                if records[index] != nil { return nil }
                return .error(.writeFailed, at: SourceLocation(file: source), "cannot copy to \(output)/\(newPaths[index]): \(FileSystem.lastError)",
                              hint: "check that the file is readable and \(parent) is writable")
            }
        }
        var failures = Array(jobs[..<split]).parallelMap(run).compactMap { $0 }
        if failures.isEmpty {
            prepare()
            failures = Array(jobs[split...]).parallelMap(run).compactMap { $0 }
        }
        let foreign = scan.wait()
        if !failures.isEmpty { return failures }
        // Folders guidegen made that hold nothing now, deepest first (a folder still holding a file stays,
        // and then what holds it holds more than guidegen's: not recorded below).
        var kept = Set<String>()
        if !sameFiles {
            for folder in Manifest.folders(of: spareManifest).subtracting(folders).sorted(by: >) where rmdir(spare + "/" + folder) != 0 {
                kept.insert(folder)
            }
        }
        guard sameFiles || Manifest.write(newSet, to: spare) else {
            return [.error(.writeFailed, at: place, "cannot write in \(spare): \(FileSystem.lastError)", hint: "check that \(parent) is writable and not full")]
        }

        // The writer's files in the current output move into the new one.
        if let foreign {
            for entry in foreign where newSet.contains(entry.path) || (folders.contains(entry.path) && !entry.isDirectory) {
                problems.append(collision(entry.path, output: output))
            }
            if !problems.isEmpty { return limited(problems) }
            for entry in foreign {
                let folder = Manifest.parent(of: entry.path)
                if !folder.isEmpty { try? FileManager.default.createDirectory(atPath: spare + "/" + folder, withIntermediateDirectories: true) }
                if rename(target + "/" + entry.path, spare + "/" + entry.path) != 0 {
                    return [.error(.writeFailed, at: SourceLocation(file: output + "/" + entry.path), "cannot carry this file into the new output: \(FileSystem.lastError)",
                                   hint: "it was not written by guidegen, so it is kept; check the folder's permissions")]
                }
            }
        }
        // What the new site's files and folders are now, for the next builds. Every folder is listed (a folder's
        // record names its folders by theirs); one that may hold what guidegen did not put there (found changed
        // before this build, holding a file carried over or a folder kept) gets a record that matches nothing,
        // so the next look through the output reads it.
        if let spareInode {
            let unknown = Manifest.folders(of: Set((foreign ?? []).map(\.path) + kept))
            let known = cleanFolders.union(madeFolders).subtracting(unknown)
            // A folder neither found clean nor made now (the first build with records, or one changed since) is read
            // once here: if it holds only the new site's files and folders, it is recorded (its change time taken
            // before and after the reading, and kept only if the same).
            let verify = folders.subtracting(known).subtracting(unknown)
            var expected: [String: Set<String>] = [:]
            if !verify.isEmpty {
                for path in newPaths + folders where verify.contains(Manifest.parent(of: path)) {
                    expected[Manifest.parent(of: path), default: []].insert(Manifest.name(of: path))
                }
            }
            let names = expected
            let folderRecords = folders.sorted().parallelMap { folder -> (path: String, record: FolderRecord) in
                let path = spare + "/" + folder
                if known.contains(folder) { return (folder, FolderRecord(path) ?? .unknown) }
                guard verify.contains(folder), let before = FolderRecord(path) else { return (folder, .unknown) }
                let allowed = names[folder] ?? []
                guard FileSystem.entries(of: path).allSatisfy({ allowed.contains($0.name) }), FolderRecord(path) == before else { return (folder, .unknown) }
                return (folder, before)
            }
            FileRecords.write(records, of: newPaths, folders: folderRecords, for: spareInode, parent: parent, name: name)
        }
        if foreign != nil {
            // Swap: the new site in, the old output kept as the next spare.
            guard FileSystem.exchange(spare, target, aside: parent + "/.\(name).guidegen-old") else {
                return [.error(.writeFailed, at: place, "cannot swap the new site into place: \(FileSystem.lastError)",
                               hint: "check that \(target) is not in use and \(parent) is writable")]
            }
        } else if rename(spare, target) != 0 {
            return [.error(.writeFailed, at: place, "cannot move the new site into place: \(FileSystem.lastError)", hint: "check that \(parent) is writable")]
        }
        return []
    }

    /// The spare folder is guidegen's by its name: anything there that is not a marked folder
    /// (a file, a link, a folder from an earlier version) is removed and a new one made.
    /// Returns what the spare's marker lists.
    private static func prepareSpare(_ spare: String, place: SourceLocation) -> Result<Set<String>, Diagnostic> {
        if FileSystem.isDirectory(spare), let manifest = Manifest.read(spare) { return .success(manifest) }
        FileSystem.removeTree(spare)
        guard mkdir(spare, 0o755) == 0, Manifest.write([], to: spare) else {
            return .failure(.error(.writeFailed, at: place, "cannot create a folder beside the output: \(FileSystem.lastError)",
                                   hint: "check that the output's parent folder is writable"))
        }
        return .success([])
    }

    private static func collision(_ path: String, output: String) -> Diagnostic {
        .error(.foreignFile, at: SourceLocation(file: output + "/" + path),
               "\(output)/\(path) was not written by guidegen, and the new site writes \(path)",
               hint: "guidegen never overwrites files it did not write; move it into static/ (to publish it) or delete it")
    }

    /// The first few of many errors of one kind, and how many more there are.
    private static func limited(_ problems: [Diagnostic]) -> [Diagnostic] {
        Diagnostic.limited(problems) { "... and \($0) more files guidegen did not write where the new site writes" }
    }


}

/// Looks through the current output for what guidegen did not write there (the writer's files), on
/// a thread of its own from the moment it is made; `wait()` gives the result (nil: no output yet).
final class OutputScan: Sendable {
    private let result: Concurrent<[(path: String, isDirectory: Bool)]?>

    /// - Parameters:
    ///   - folders: the folders the new site writes into (entered, besides those guidegen wrote into before).
    ///   - records: the folder records of the output, given its inode (a folder that still matches its record
    ///     holds only what guidegen put there: it is not read, only its recorded folders are looked at).
    init(_ target: String, folders: Set<String>, records: @escaping @Sendable (UInt64) -> [String: FolderRecord] = { _ in [:] }) {
        result = Concurrent { Self.foreign(in: target, folders: folders, records: records) }
    }

    @discardableResult
    func wait() -> [(path: String, isDirectory: Bool)]? {
        result.value
    }

    private static func foreign(in target: String, folders: Set<String>, records: (UInt64) -> [String: FolderRecord]) -> [(path: String, isDirectory: Bool)]? {
        guard let inode = FileRecords.inode(of: target) else { return nil }
        let outputManifest = Manifest.read(target) ?? []
        // Folders guidegen wrote into, or writes into now, are entered; any other folder is the writer's, moved whole.
        let entered = Manifest.folders(of: outputManifest).union(folders)
        let known = records(inode)
        var children: [String: [String]] = [:]
        for folder in known.keys.sorted() {
            children[Manifest.parent(of: folder), default: []].append(folder)
        }
        let tree = children
        let unchanged = { @Sendable (folder: String) -> [String]? in
            known[folder]?.matches(target + "/" + folder) == true ? tree[folder] ?? [] : nil
        }
        return FileSystem.walk(target, descend: { entered.contains($0) }, unchanged: unchanged).filter { entry in
            !Manifest.isMarker(entry.path) && !outputManifest.contains(entry.path) && !(entry.isDirectory && entered.contains(entry.path))
        }
    }
}

/// The marker file of an output: which files guidegen wrote there, one path a line after a header line
/// (`%`, line feeds and carriage returns in a path are percent-encoded).
enum Manifest {
    static let header = "guidegen output: guidegen replaces the files listed below on each build and keeps every other file in this folder"

    /// The marker and the temporary file it is written through.
    static func isMarker(_ path: String) -> Bool {
        path == OutputFolder.markerName || path == OutputFolder.markerName + ".tmp"
    }

    /// Whether the folder holds a marker (its first line; the list is not read).
    static func isMarked(_ folder: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: folder + "/" + OutputFolder.markerName) else { return false }
        defer { try? handle.close() }
        let start = (try? handle.read(upToCount: header.utf8.count + 1)) ?? Data()
        return start == Data((header + "\n").utf8)
    }

    static func read(_ folder: String) -> Set<String>? {
        let path = folder + "/" + OutputFolder.markerName
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG,
              let data = FileManager.default.contents(atPath: path) else { return nil }
        return data.withUnsafeBytes { bytes -> Set<String>? in
            var reader = LineReader(bytes: bytes)
            guard reader.line() == header else { return nil }
            // As many as there are lines: a set that grows rehashes every path (a 200,000-file marker's
            // first guess, a path per 40 bytes, was short by a fifth and cost one more pass over them all).
            var files = Set<String>(minimumCapacity: bytes.reduce(into: 0) { count, byte in if byte == 0x0A { count += 1 } })
            while let text = reader.line() {
                if text.isEmpty { continue }
                files.insert(decode(text))
            }
            return files
        }
    }

    static func write(_ files: Set<String>, to folder: String) -> Bool {
        var text = header + "\n"
        text.reserveCapacity(files.count * 40)
        for file in files.sorted() {
            text += encode(file)
            text += "\n"
        }
        let path = folder + "/" + OutputFolder.markerName
        let temporary = path + ".tmp"
        unlink(temporary)
        return FileSystem.write(Data(text.utf8), to: temporary) != nil && rename(temporary, path) == 0
    }

    /// A marker line as a path (the reverse of `encode`).
    static func decode(_ line: String) -> String {
        line.utf8.contains(UInt8(ascii: "%")) ? (line.removingPercentEncoding ?? line) : line
    }

    /// The folder holding a path ("" at the top).
    static func parent(of path: String) -> String {
        path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
    }

    /// A path's last component.
    static func name(of path: String) -> String {
        path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
    }

    /// A path as a line of the marker: `%`, line feeds and carriage returns percent-encoded.
    static func encode(_ path: String) -> String {
        guard path.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == 0x0A || $0 == 0x0D }) else { return path }
        return path.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\n", with: "%0A")
            .replacingOccurrences(of: "\r", with: "%0D")
    }

    /// Folders by depth, parents' level first, each level sorted.
    static func levels(of folders: Set<String>) -> [[String]] {
        var levels: [[String]] = []
        for folder in folders {
            let depth = folder.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "/") ? 1 : 0) }
            while levels.count <= depth { levels.append([]) }
            levels[depth].append(folder)
        }
        return levels.map { $0.sorted() }
    }

    /// Every folder that holds a listed file.
    static func folders(of files: Set<String>) -> Set<String> {
        // Room for a folder per file (a site has fewer): no rehash of every folder as the set grows.
        var folders = Set<String>(minimumCapacity: files.count)
        for path in files {
            var end = path.lastIndex(of: "/")
            while let slash = end {
                let folder = String(path[..<slash])
                if !folders.insert(folder).inserted { break }
                end = folder.lastIndex(of: "/")
            }
        }
        return folders
    }
}

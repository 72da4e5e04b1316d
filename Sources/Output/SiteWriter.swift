import CGuidegenSystem
import Concurrency
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
    ///   - verify: asked once every file is written and before the new site is swapped in: errors it gives (a page
    ///     that could not be made) fail the build with the output left as it was.
    public static func write(paths: [String], contents: @Sendable (Int) -> Data, copies: [(path: String, source: String)],
                             to output: String, siteDirectory: String, first: Int = 0, prepare: () -> Void = {},
                             verify: () -> [Diagnostic] = { [] }) -> [Diagnostic] {
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
        // What a build that died while carrying the writer's files left (see `Carry`).
        let journal = Carry.journalPath(parent: parent, name: name)
        Carry.settle(target: target, spare: spare, journal: journal)

        let newPaths = paths + copies.map(\.path)
        let newSet = Set(newPaths)
        let folders = Manifest.folders(of: newSet)

        // The staging folder: last build's spare if it is one, else a new folder.
        let spareManifest: Set<String>
        switch prepareSpare(spare, parent: parent, name: name, place: place) {
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

        // What guidegen wrote before and does not write now goes, if the records show it is guidegen's file as
        // written (a file listed in the marker is only deleted then: the marker alone is no proof).
        let spareInode = FileRecords.inode(of: spare)
        let sameFiles = newSet == spareManifest
        if !sameFiles {
            let stale = spareManifest.subtracting(newSet).sorted()
            let claims = spareInode.flatMap { FileRecords.claims(for: stale, folder: $0, parent: parent, name: name) }
            for (index, path) in stale.enumerated()
            where !FileSystem.removeFile(under: spare, path, isOurs: { claims?.isOurs(index, $0, $1) ?? false }) {
                problems.append(unproven(path, spare: spare))
            }
            if !problems.isEmpty { return limited(problems) }
        }

        // What guidegen wrote in the spare and still finds there as it was: those files are not read back.
        // And its folders that hold nothing but what guidegen put there (checked before anything changes them).
        let (records, spareFolders) = spareInode.map { FileRecords.table(for: newPaths, folder: $0, parent: parent, name: name) }
            ?? (RecordTable(count: newPaths.count), [:])
        let cleanFolders = Set(Array(folders).parallelMap { folder in spareFolders[folder]?.matches(spare + "/" + folder) == true ? folder : nil }.compactMap { $0 })

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
                // A file guidegen wrote where the new site needs a folder (the claims are read only then: rare).
                if spareManifest.contains(folder) {
                    let claims = spareInode.flatMap { FileRecords.claims(for: [folder], folder: $0, parent: parent, name: name) }
                    _ = FileSystem.removeFile(under: spare, folder, isOurs: { claims?.isOurs(0, $0, $1) ?? false })
                }
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
        if failures.isEmpty { failures = verify() }
        let scanned = scan.wait()
        if !failures.isEmpty { return failures }
        let foreign: [(path: String, isDirectory: Bool)]?
        switch scanned {
        case let .failure(problem): return [problem]
        case let .success(found): foreign = found
        }
        // Folders guidegen made that hold nothing now, deepest first (a folder still holding a file stays,
        // and then what holds it holds more than guidegen's: not recorded below).
        var kept = Set<String>()
        if !sameFiles {
            for folder in Manifest.folders(of: spareManifest).subtracting(folders).sorted(by: >) where !FileSystem.removeEmptyFolder(under: spare, folder) {
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
            // An output that is a mount point cannot be swapped: the new site moves into it, the writer's files stay.
            if guidegen_is_mount_point(target) == 1 {
                return InPlaceUpdate.run(.init(spare: spare, target: target, parent: parent, name: name, output: output),
                                         paths: newPaths, folders: folders, records: records)
            }
            let carried = foreign.map { Carry.Entry(path: $0.path, isDirectory: $0.isDirectory) }
            if let problem = Carry.begin(carried, from: target, into: spare, journal: journal, output: output) { return [problem] }
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
                let problem = Diagnostic.error(.writeFailed, at: place, "cannot swap the new site into place: \(FileSystem.lastError)",
                                               hint: "check that \(target) is not in use and \(parent) is writable")
                Carry.settle(target: target, spare: spare, journal: journal)
                return [problem]
            }
            Carry.settle(target: target, spare: spare, journal: journal)
        } else if rename(spare, target) != 0 {
            return [.error(.writeFailed, at: place, "cannot move the new site into place: \(FileSystem.lastError)", hint: "check that \(parent) is writable")]
        }
        return []
    }

    /// The spare folder beside the output, and what its marker lists. It is used only if guidegen made it for this
    /// output: a record file names its inode (a folder from git, a cache or a copy has another) and its marker is a
    /// valid list. A folder there that guidegen did not make, but which holds nothing besides what its marker lists
    /// (or nothing at all), is removed and made anew; anything else there is the writer's, and refused untouched.
    private static func prepareSpare(_ spare: String, parent: String, name: String, place: SourceLocation) -> Result<Set<String>, Diagnostic> {
        var info = stat()
        if lstat(spare, &info) == 0 {
            let isFolder = (info.st_mode & S_IFMT) == S_IFDIR
            let marker = isFolder ? Manifest.contents(of: spare) : .none
            if case let .invalid(line, text) = marker {
                return .failure(Manifest.invalid(spare, line: line, text: text))
            }
            if isFolder, let files = marker.files, FileRecords.describing(UInt64(info.st_ino), parent: parent, name: name) != nil {
                return .success(files)
            }
            switch (info.st_mode & S_IFMT) {
            case S_IFLNK:
                unlink(spare)  // a link, not what it points to
            case S_IFDIR:
                let others = Manifest.unlisted(in: spare, listed: marker.files ?? [])
                guard others.isEmpty else {
                    return .failure(.error(.outputFolder, at: SourceLocation(file: spare),
                                           "this is guidegen's working folder for the output, but no record shows guidegen made it here, "
                                           + "and it holds what its marker does not list (\(Manifest.examples(others)))",
                                           hint: "it may come from git, a cache or a copy; guidegen leaves it untouched: move what is yours out of it, "
                                           + "delete it, and build again (it is made anew)"))
                }
                FileSystem.removeTree(spare)
            default:
                return .failure(.error(.outputFolder, at: SourceLocation(file: spare), "a file has the name of guidegen's working folder for the output",
                                       hint: "guidegen writes the new site there before swapping it in; rename or delete the file"))
            }
        }
        guard mkdir(spare, 0o755) == 0, Manifest.write([], to: spare), let inode = FileRecords.inode(of: spare) else {
            return .failure(.error(.writeFailed, at: place, "cannot create a folder beside the output: \(FileSystem.lastError)",
                                   hint: "check that the output's parent folder is writable"))
        }
        // Recorded at once as guidegen's, so a build killed before its end leaves a spare the next one may use.
        FileRecords.write(RecordTable(count: 0), of: [], folders: [], for: inode, parent: parent, name: name)
        return .success([])
    }

    private static func unproven(_ path: String, spare: String) -> Diagnostic {
        .error(.foreignFile, at: SourceLocation(file: spare + "/" + path),
               "guidegen's marker lists this file, but guidegen's records do not show it wrote it as it is now, so it is not deleted",
               hint: "if it is yours, move it out of \(spare); otherwise delete it, and build again")
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
/// a thread of its own from the moment it is made; `wait()` gives the result (nil: no output yet), or the
/// error for a marker line that is not a path inside the output (then nothing is carried or deleted).
final class OutputScan: Sendable {
    private let result: Concurrent<Result<[(path: String, isDirectory: Bool)]?, Diagnostic>>

    /// - Parameters:
    ///   - folders: the folders the new site writes into (entered, besides those guidegen wrote into before).
    ///   - records: the folder records of the output, given its inode (a folder that still matches its record
    ///     holds only what guidegen put there: it is not read, only its recorded folders are looked at).
    init(_ target: String, folders: Set<String>, records: @escaping @Sendable (UInt64) -> [String: FolderRecord] = { _ in [:] }) {
        result = Concurrent { Self.foreign(in: target, folders: folders, records: records) }
    }

    @discardableResult
    func wait() -> Result<[(path: String, isDirectory: Bool)]?, Diagnostic> {
        result.value
    }

    private static func foreign(in target: String, folders: Set<String>,
                                records: (UInt64) -> [String: FolderRecord]) -> Result<[(path: String, isDirectory: Bool)]?, Diagnostic> {
        guard let inode = FileRecords.inode(of: target) else { return .success(nil) }
        let outputManifest: Set<String>
        switch Manifest.contents(of: target) {
        case let .invalid(line, text): return .failure(Manifest.invalid(target, line: line, text: text))
        case let .files(files): outputManifest = files
        case .none: outputManifest = []
        }
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
        return .success(FileSystem.walk(target, descend: { entered.contains($0) }, unchanged: unchanged).filter { entry in
            !Manifest.isMarker(entry.path) && !outputManifest.contains(entry.path) && !(entry.isDirectory && entered.contains(entry.path))
        })
    }
}

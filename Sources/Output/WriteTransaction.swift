import CGuidegenSystem
import Diagnostics
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where an output is, and the files guidegen keeps beside it in its parent folder.
struct OutputLayout: Sendable {
    /// The output as the caller named it, for messages.
    let output: String
    /// Its absolute path, without `.` and `..`.
    let target: String
    let parent: String
    let name: String
    /// The folder the new site is written into: the output before last (see `SiteWriter`).
    let spare: String
    /// The list of the writer's files being carried into the new site (see `Carry`).
    let journal: String

    init(_ output: String) {
        let url = URL(fileURLWithPath: output).standardizedFileURL
        self.output = output
        target = url.path
        parent = url.deletingLastPathComponent().path
        name = url.lastPathComponent
        spare = parent + "/.\(name).guidegen-spare"
        journal = Carry.journalPath(parent: parent, name: name)
    }

    /// Where messages about the output as a whole point.
    var place: SourceLocation { SourceLocation(file: output) }

    /// Makes the parent folder if it is missing and takes the lock beside the output: its file descriptor, or why not.
    func lock() -> Result<Int32, Diagnostic> {
        guard FileManager.default.fileExists(atPath: parent) || (try? FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)) != nil else {
            return .failure(.error(.writeFailed, at: place, "cannot create the folder \(parent)", hint: "check that it can be created and written"))
        }
        guard let lock = FileSystem.lock(parent + "/.\(name).guidegen-lock") else {
            if errno == EWOULDBLOCK {
                return .failure(.error(.outputLocked, at: place, "another guidegen build is writing to \(output) right now",
                                       hint: "wait for it to finish and build again; two builds into one output would mix two sites"))
            }
            return .failure(.error(.writeFailed, at: place, "cannot create a lock file beside the output: \(FileSystem.lastError)",
                                   hint: "check that \(parent) is writable"))
        }
        return .success(lock)
    }
}

/// One file the write makes in the spare.
enum WriteJob: Sendable {
    /// A generated file: its position in the paths.
    case write(Int)
    /// A copied file: its position in the new paths, and its source path.
    case copy(Int, String)
}

/// A file or folder of the writer's found in the output (see `OutputScan`).
typealias WritersEntry = (path: String, isDirectory: Bool)

/// One build's write into an output, under the output's lock, as named steps that `run` takes in order (see
/// `SiteWriter` for the rules they keep). A step that fails stops the transaction with its errors and the output
/// as it was:
/// 1. settle what a killed build left, prepare the spare (the marker lists all that may be written before any write),
///    refuse the writer's files where the new site writes, remove the old site's files it no longer writes, and read
///    the records that let unchanged files and folders be left alone;
/// 2. make the folders and write the files, while another thread looks through the current output for the writer's
///    files; then the caller verifies what it made;
/// 3. tidy the spare (emptied folders, the marker), carry the writer's files into the new site, record what was
///    written, and swap the new site in (or move it into an output that is a mount point).
struct WriteTransaction: Sendable {
    /// The errors that stop the transaction.
    struct Stop: Error {
        var diagnostics: [Diagnostic]

        init(_ diagnostics: [Diagnostic]) {
            self.diagnostics = diagnostics
        }

        init(_ problem: Diagnostic) {
            diagnostics = [problem]
        }
    }

    let layout: OutputLayout
    let spare: String
    /// The generated files' paths inside the output.
    let paths: [String]
    /// Files copied as they are: path inside the output, source path on disk.
    let copies: [(path: String, source: String)]
    /// Every path the new site writes: the generated files, then the copies.
    let newPaths: [String]
    let newSet: Set<String>
    /// The folders that hold the new site's files.
    let folders: Set<String>
    /// What the spare's marker listed before this build: all that guidegen may have written there.
    private var spareManifest: Set<String> = []
    private var spareInode: UInt64?
    /// The new site writes the same paths as the spare's: nothing to remove, no marker to rewrite.
    private var sameFiles = false
    /// Each new path's record: what guidegen wrote there before, then what it writes now.
    private var records = RecordTable(count: 0)
    /// The spare's folders that hold only what guidegen put there, found so before anything changed them.
    private var cleanFolders: Set<String> = []
    /// Folders made by this build.
    private var madeFolders: Set<String> = []
    /// Folders of the old site that still hold something once its files are gone.
    private var kept: Set<String> = []

    init(_ layout: OutputLayout, paths: [String], copies: [(path: String, source: String)]) {
        self.layout = layout
        spare = layout.spare
        self.paths = paths
        self.copies = copies
        newPaths = paths + copies.map(\.path)
        newSet = Set(newPaths)
        folders = Manifest.folders(of: newSet)
    }

    /// The steps in order: the errors of the first that fails, or none once the new site is in place.
    mutating func run(contents: @Sendable (Int) -> Data, first: Int, prepare: () -> Void, verify: () -> [Diagnostic]) -> [Diagnostic] {
        do throws(Stop) {
            settle()
            try prepareSpare()
            try refuseWritersFilesInSpare()
            try removeStale()
            readRecords()
            // The current output is looked through (for the writer's files, carried into the new one) on
            // another thread while the files are written: it does not depend on them.
            let (parent, name, count) = (layout.parent, layout.name, newPaths.count)
            let scan = OutputScan(layout.target, folders: folders, records: { inode in FileRecords.folders(of: inode, parent: parent, name: name, files: count) })
            do throws(Stop) { try makeFolders() } catch {
                scan.wait()
                throw error
            }
            var failures = writeFiles(contents, first: first, prepare: prepare)
            if failures.isEmpty { failures = verify() }
            let scanned = scan.wait()
            if !failures.isEmpty { return failures }
            let foreign: [WritersEntry]?
            switch scanned {
            case let .failure(problem): return [problem]
            case let .success(found): foreign = found
            }
            try tidySpare()
            if let foreign {
                try refuseCollisions(with: foreign)
                if guidegen_is_mount_point(layout.target) == 1 { return updateInPlace() }
                try carry(foreign)
            }
            record(foreign: foreign)
            try swap(carrying: foreign != nil)
            return []
        } catch {
            return error.diagnostics
        }
    }

    // MARK: Before any file is written

    /// Finishes or undoes what a build that died while carrying the writer's files left (see `Carry`).
    private func settle() {
        Carry.settle(target: layout.target, spare: spare, journal: layout.journal)
    }

    /// The staging folder: last build's spare if it is one, else a new folder. Before any write, its marker lists
    /// all that guidegen may write there.
    private mutating func prepareSpare() throws(Stop) {
        switch openSpare() {
        case let .success(manifest): spareManifest = manifest
        case let .failure(problem): throw Stop(problem)
        }
        guard newSet.isSubset(of: spareManifest) || Manifest.write(spareManifest.union(newSet), to: spare) else {
            throw Stop(.error(.writeFailed, at: layout.place, "cannot write in \(spare): \(FileSystem.lastError)",
                              hint: "check that \(layout.parent) is writable and not full"))
        }
        spareInode = FileRecords.inode(of: spare)
        sameFiles = newSet == spareManifest
    }

    /// The spare folder beside the output, and what its marker lists. It is used only if guidegen made it for this
    /// output: a record file names its inode (a folder from git, a cache or a copy has another) and its marker is a
    /// valid list. A folder there that guidegen did not make, but which holds nothing besides what its marker lists
    /// (or nothing at all), is removed and made anew; anything else there is the writer's, and refused untouched.
    private func openSpare() -> Result<Set<String>, Diagnostic> {
        let (parent, name) = (layout.parent, layout.name)
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
            return .failure(.error(.writeFailed, at: layout.place, "cannot create a folder beside the output: \(FileSystem.lastError)",
                                   hint: "check that the output's parent folder is writable"))
        }
        // Recorded at once as guidegen's, so a build killed before its end leaves a spare the next one may use.
        FileRecords.write(RecordTable(count: 0), of: [], folders: [], for: inode, parent: parent, name: name)
        return .success([])
    }

    /// A path the new site writes that guidegen did not write before, but where something is: the writer's.
    /// (Anything guidegen writes into the spare is in its marker before it is written, so this is exact.)
    private func refuseWritersFilesInSpare() throws(Stop) {
        var problems: [Diagnostic] = []
        for path in newPaths where !spareManifest.contains(path) && FileSystem.exists(spare + "/" + path) {
            problems.append(Self.collision(path, output: layout.output))
        }
        if !problems.isEmpty { throw Stop(Self.limited(problems)) }
    }

    /// What guidegen wrote before and does not write now goes, if the records show it is guidegen's file as
    /// written (a file listed in the marker is only deleted then: the marker alone is no proof).
    private func removeStale() throws(Stop) {
        guard !sameFiles else { return }
        let stale = spareManifest.subtracting(newSet).sorted()
        let claims = spareInode.flatMap { FileRecords.claims(for: stale, folder: $0, parent: layout.parent, name: layout.name) }
        var problems: [Diagnostic] = []
        for (index, path) in stale.enumerated()
        where !FileSystem.removeFile(under: spare, path, isOurs: { claims?.isOurs(index, $0, $1) ?? false }) {
            problems.append(Self.unproven(path, spare: spare))
        }
        if !problems.isEmpty { throw Stop(Self.limited(problems)) }
    }

    /// What guidegen wrote in the spare and still finds there as it was: those files are not read back.
    /// And its folders that hold nothing but what guidegen put there (checked before anything changes them).
    private mutating func readRecords() {
        let (files, spareFolders) = spareInode.map { FileRecords.table(for: newPaths, folder: $0, parent: layout.parent, name: layout.name) }
            ?? (RecordTable(count: newPaths.count), [:])
        records = files
        let spare = self.spare
        cleanFolders = Set(Array(folders).parallelMap { folder in spareFolders[folder]?.matches(spare + "/" + folder) == true ? folder : nil }.compactMap { $0 })
    }

    // MARK: Writing

    /// Folders, a level at a time (parents first), each level on all cores. Folders made now hold only what
    /// guidegen puts there, like those found clean (which are there already).
    private mutating func makeFolders() throws(Stop) {
        let transaction = self
        for level in Manifest.levels(of: folders.subtracting(cleanFolders)) {
            let results = level.parallelMap { transaction.makeFolder($0) }
            if let problem = results.lazy.compactMap(\.problem).first { throw Stop(problem) }
            for (folder, result) in zip(level, results) where result.made { madeFolders.insert(folder) }
        }
    }

    /// One folder in the spare: whether this build made it, or why it cannot be there.
    private func makeFolder(_ folder: String) -> (made: Bool, problem: Diagnostic?) {
        let path = spare + "/" + folder
        if mkdir(path, 0o755) == 0 { return (true, nil) }
        if errno == EEXIST, FileSystem.isDirectory(path) { return (false, nil) }
        // A file guidegen wrote where the new site needs a folder (the claims are read only then: rare).
        if spareManifest.contains(folder) {
            let claims = spareInode.flatMap { FileRecords.claims(for: [folder], folder: $0, parent: layout.parent, name: layout.name) }
            _ = FileSystem.removeFile(under: spare, folder, isOurs: { claims?.isOurs(0, $0, $1) ?? false })
        }
        if mkdir(path, 0o755) == 0 { return (true, nil) }
        if FileSystem.makeDirectory(path) { return (false, nil) }
        if FileSystem.exists(path) {
            return (false, .error(.foreignFile, at: SourceLocation(file: path), "\(folder) was not written by guidegen (a file or a symbolic link), and the new site needs a folder there",
                                  hint: "guidegen never writes through links or over files it did not write; move it away"))
        }
        return (false, .error(.writeFailed, at: SourceLocation(file: layout.output + "/" + folder), "cannot create this folder: \(FileSystem.lastError)",
                              hint: "check that \(layout.parent) is writable and not full"))
    }

    /// The files on all cores: the first `first` generated ones, then `prepare`, then the rest and the copies. Each
    /// file's record is kept for the next build. The errors of those that could not be written.
    private func writeFiles(_ contents: @Sendable (Int) -> Data, first: Int, prepare: () -> Void) -> [Diagnostic] {
        let jobs: [WriteJob] = paths.indices.map { .write($0) } + copies.enumerated().map { .copy(paths.count + $0.offset, $0.element.source) }
        let split = min(max(first, 0), paths.count)
        let transaction = self
        let run = { @Sendable (job: WriteJob) -> Diagnostic? in transaction.perform(job, contents: contents) }
        var failures = Array(jobs[..<split]).parallelMap(run).compactMap { $0 }
        if failures.isEmpty {
            prepare()
            failures = Array(jobs[split...]).parallelMap(run).compactMap { $0 }
        }
        return failures
    }

    /// One file written or copied into the spare (left as it is if its record shows it holds those bytes already).
    private func perform(_ job: WriteJob, contents: (Int) -> Data) -> Diagnostic? {
        switch job {
        case let .write(index):
            let path = paths[index]
            records[index] = FileSystem.write(contents(index), to: spare + "/" + path, known: records[index])
            if records[index] != nil { return nil }
            return .error(.writeFailed, at: SourceLocation(file: layout.output + "/" + path), "cannot write this file: \(FileSystem.lastError)",
                          hint: "check that \(layout.parent) is writable and not full")
        case let .copy(index, source):
            records[index] = FileSystem.copy(source, to: spare + "/" + newPaths[index], known: records[index])
            if records[index] != nil { return nil }
            return .error(.writeFailed, at: SourceLocation(file: source), "cannot copy to \(layout.output)/\(newPaths[index]): \(FileSystem.lastError)",
                          hint: "check that the file is readable and \(layout.parent) is writable")
        }
    }

    // MARK: Once the new site is written

    /// Folders guidegen made that hold nothing now go, deepest first (a folder still holding a file stays, and then
    /// what holds it holds more than guidegen's: not recorded); then the spare's marker lists the new site's files.
    private mutating func tidySpare() throws(Stop) {
        if !sameFiles {
            for folder in Manifest.folders(of: spareManifest).subtracting(folders).sorted(by: >) where !FileSystem.removeEmptyFolder(under: spare, folder) {
                kept.insert(folder)
            }
        }
        guard sameFiles || Manifest.write(newSet, to: spare) else {
            throw Stop(.error(.writeFailed, at: layout.place, "cannot write in \(spare): \(FileSystem.lastError)",
                              hint: "check that \(layout.parent) is writable and not full"))
        }
    }

    /// The writer's files in the current output where the new site writes a file, or needs a folder.
    private func refuseCollisions(with foreign: [WritersEntry]) throws(Stop) {
        var problems: [Diagnostic] = []
        for entry in foreign where newSet.contains(entry.path) || (folders.contains(entry.path) && !entry.isDirectory) {
            problems.append(Self.collision(entry.path, output: layout.output))
        }
        if !problems.isEmpty { throw Stop(Self.limited(problems)) }
    }

    /// An output that is a mount point cannot be swapped: the new site moves into it, the writer's files stay.
    private func updateInPlace() -> [Diagnostic] {
        InPlaceUpdate.run(.init(spare: spare, target: layout.target, parent: layout.parent, name: layout.name, output: layout.output),
                          paths: newPaths, folders: folders, records: records)
    }

    /// The writer's files in the current output go into the new site (see `Carry`).
    private func carry(_ foreign: [WritersEntry]) throws(Stop) {
        let carried = foreign.map { Carry.Entry(path: $0.path, isDirectory: $0.isDirectory) }
        if let problem = Carry.begin(carried, from: layout.target, into: spare, journal: layout.journal, output: layout.output) { throw Stop(problem) }
    }

    /// What the new site's files and folders are now, for the next builds. Every folder is listed (a folder's
    /// record names its folders by theirs); one that may hold what guidegen did not put there (found changed
    /// before this build, holding a file carried over or a folder kept) gets a record that matches nothing,
    /// so the next look through the output reads it.
    private func record(foreign: [WritersEntry]?) {
        guard let spareInode else { return }
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
        let (names, spare) = (expected, self.spare)
        let folderRecords = folders.sorted().parallelMap { folder -> (path: String, record: FolderRecord) in
            let path = spare + "/" + folder
            if known.contains(folder) { return (folder, FolderRecord(path) ?? .unknown) }
            guard verify.contains(folder), let before = FolderRecord(path) else { return (folder, .unknown) }
            let allowed = names[folder] ?? []
            guard FileSystem.entries(of: path).allSatisfy({ allowed.contains($0.name) }), FolderRecord(path) == before else { return (folder, .unknown) }
            return (folder, before)
        }
        FileRecords.write(records, of: newPaths, folders: folderRecords, for: spareInode, parent: layout.parent, name: layout.name)
    }

    /// The new site in place: swapped with the current output, which is kept as the next spare, and what was
    /// carried settled; or, with no output yet, moved there.
    private func swap(carrying: Bool) throws(Stop) {
        if carrying {
            guard FileSystem.exchange(spare, layout.target, aside: layout.parent + "/.\(layout.name).guidegen-old") else {
                let problem = Diagnostic.error(.writeFailed, at: layout.place, "cannot swap the new site into place: \(FileSystem.lastError)",
                                               hint: "check that \(layout.target) is not in use and \(layout.parent) is writable")
                settle()
                throw Stop(problem)
            }
            settle()
        } else if rename(spare, layout.target) != 0 {
            throw Stop(.error(.writeFailed, at: layout.place, "cannot move the new site into place: \(FileSystem.lastError)",
                              hint: "check that \(layout.parent) is writable"))
        }
    }

    // MARK: Messages

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

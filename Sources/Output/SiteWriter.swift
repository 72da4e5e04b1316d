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
///
/// The write's steps, in order, are `WriteTransaction`'s.
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
        let layout = OutputLayout(output)
        let lock: Int32
        switch layout.lock() {
        case let .success(descriptor): lock = descriptor
        case let .failure(problem): return [problem]
        }
        defer { FileSystem.unlock(lock) }
        var transaction = WriteTransaction(layout, paths: paths, copies: copies)
        return transaction.run(contents: contents, first: first, prepare: prepare, verify: verify)
    }
}

extension SiteWriter {
    /// Puts back what a build killed while carrying the writer's files into its new site left (`Carry`): a folder of
    /// the writer's moved into that site, which never became the output, goes back into the output. A build calls
    /// this first, so the writer's folder is back at once, not only when the build reaches its write. Does nothing
    /// when there is no journal, or another build holds the output (it settles the journal itself).
    public static func recoverInterruptedWrite(output: String, siteDirectory: String) {
        guard OutputFolder.problem(output: output, siteDirectory: siteDirectory) == nil else { return }
        let layout = OutputLayout(output)
        guard FileManager.default.fileExists(atPath: layout.journal), case let .success(lock) = layout.lock() else { return }
        defer { FileSystem.unlock(lock) }
        Carry.settle(target: layout.target, spare: layout.spare, journal: layout.journal)
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

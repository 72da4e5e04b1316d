import Diagnostics
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Stage 5: writes the site into a folder beside the output, then swaps it in.
/// The output folder is replaced only when every file was written; until then it
/// stays exactly as it was.
///
/// The folder written into is the previous build's output, kept beside the output as
/// `.NAME.guidegen-spare` after each swap: overwriting files that already exist is much
/// cheaper for the file system than creating and deleting ten thousand folders on every
/// build. Deleting the spare folder is always safe; the next build then starts afresh.
public enum SiteWriter {
    /// A file to write: its path inside the output folder and its bytes.
    public typealias File = (path: String, data: Data)

    /// - Parameters:
    ///   - files: generated files.
    ///   - copies: files copied as they are: path inside the output -> source path on disk (the site's `static/`).
    ///   - output: the output folder.
    public static func write(files: [File], copies: [(path: String, source: String)], to output: String) -> [Diagnostic] {
        let fileManager = FileManager.default
        let outputURL = URL(fileURLWithPath: output).standardizedFileURL
        let parent = outputURL.deletingLastPathComponent().path
        let name = outputURL.lastPathComponent
        let target = outputURL.path
        let spare = parent + "/.\(name).guidegen-spare"
        let old = parent + "/.\(name).guidegen-old-\(ProcessInfo.processInfo.processIdentifier)"
        let place = SourceLocation(file: output)

        // The staging folder: last build's spare if there is one, else a new folder.
        var isDirectory: ObjCBool = false
        if fileManager.fileExists(atPath: spare, isDirectory: &isDirectory), !isDirectory.boolValue {
            try? fileManager.removeItem(atPath: spare)
        }
        do {
            try fileManager.createDirectory(atPath: spare, withIntermediateDirectories: true)
        } catch {
            return [.error(at: place, "cannot create a folder beside the output: \(error.localizedDescription)",
                           hint: "check that \(parent) is writable")]
        }

        // Folders first (parents before children), then files on all cores.
        var folders = Set<String>()
        func parentFolder(_ path: String) -> String {
            path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
        }
        for path in files.map(\.path) + copies.map(\.path) {
            var folder = parentFolder(path)
            while !folder.isEmpty, folders.insert(folder).inserted {
                folder = parentFolder(folder)
            }
        }
        for folder in folders.sorted() {
            let path = spare + "/" + folder
            if !FileSystem.makeDirectory(path) {
                // A file where the new site needs a folder: replace it.
                FileSystem.removeTree(path)
                _ = FileSystem.makeDirectory(path)
            }
        }
        enum Job: Sendable {
            case write(String, Data)
            case copy(String, String)
        }
        let jobs: [Job] = files.map { .write($0.path, $0.data) } + copies.map { .copy($0.path, $0.source) }
        let failures = jobs.parallelMap { job -> Diagnostic? in
            switch job {
            case let .write(path, data):
                if FileSystem.write(data, to: spare + "/" + path) { return nil }
                return .error(at: SourceLocation(file: output + "/" + path), "cannot write this file: \(String(cString: strerror(errno)))")
            case let .copy(path, source):
                if FileSystem.copy(source, to: spare + "/" + path) { return nil }
                return .error(at: SourceLocation(file: source), "cannot copy to \(output)/\(path)")
            }
        }.compactMap { $0 }
        if !failures.isEmpty { return failures }

        // What the previous build left that this one does not write.
        let keep = Set(files.map(\.path) + copies.map(\.path)).union(folders)
        FileSystem.removeAll(under: spare, except: keep)

        // Swap: the output out of the way, the new site in, the old output kept as the next spare.
        let exists = fileManager.fileExists(atPath: target)
        if exists, rename(target, old) != 0 {
            return [.error(at: place, "cannot move the old output aside: \(String(cString: strerror(errno)))",
                           hint: "check that \(target) is not in use and its folder is writable")]
        }
        if rename(spare, target) != 0 {
            let reason = String(cString: strerror(errno))
            if exists { rename(old, target) }
            return [.error(at: place, "cannot move the new site into place: \(reason)",
                           hint: "check that \(parent) is writable")]
        }
        if exists, rename(old, spare) != 0 { FileSystem.removeTree(old) }
        return []
    }
}

import Diagnostics
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Stage 5: writes the site into a new folder beside the output, then swaps it in.
/// An existing output folder is replaced only when every file was written.
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
        let parent = outputURL.deletingLastPathComponent()
        let name = outputURL.lastPathComponent
        let pid = ProcessInfo.processInfo.processIdentifier
        let staging = parent.appendingPathComponent(".\(name).guidegen-new-\(pid)")
        let old = parent.appendingPathComponent(".\(name).guidegen-old-\(pid)")
        let place = SourceLocation(file: output)

        do {
            try fileManager.createDirectory(at: parent, withIntermediateDirectories: true)
            try? fileManager.removeItem(at: staging)
            try fileManager.createDirectory(at: staging, withIntermediateDirectories: true)
        } catch {
            return [.error(at: place, "cannot create the output folder: \(error.localizedDescription)",
                           hint: "check that \(parent.path) is writable")]
        }

        // Folders first (one thread), then files on all cores.
        var folders = Set<String>()
        for path in files.map(\.path) + copies.map(\.path) {
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty { folders.insert(folder) }
        }
        // Sorted, a parent comes before its children; missing parents are made on the way.
        for folder in folders.sorted() {
            var path = staging.path
            for component in folder.split(separator: "/") {
                path += "/" + component
                if !FileSystem.makeDirectory(path) { break }
            }
        }
        let stagingPath = staging.path
        enum Job: Sendable {
            case write(String, Data)
            case copy(String, String)
        }
        let jobs: [Job] = files.map { .write($0.path, $0.data) } + copies.map { .copy($0.path, $0.source) }
        let failures = jobs.parallelMap { job -> Diagnostic? in
            switch job {
            case let .write(path, data):
                if FileSystem.write(data, to: stagingPath + "/" + path) { return nil }
                return .error(at: SourceLocation(file: output + "/" + path), "cannot write this file: \(String(cString: strerror(errno)))")
            case let .copy(path, source):
                if FileSystem.copy(source, to: stagingPath + "/" + path) { return nil }
                return .error(at: SourceLocation(file: source), "cannot copy to \(output)/\(path)")
            }
        }.compactMap { $0 }
        if !failures.isEmpty {
            FileSystem.removeTree(staging.path)
            return failures
        }

        // Swap: old out of the way, new in, old removed.
        do {
            let exists = fileManager.fileExists(atPath: outputURL.path)
            if exists { try fileManager.moveItem(at: outputURL, to: old) }
            do {
                try fileManager.moveItem(at: staging, to: outputURL)
            } catch {
                if exists { try? fileManager.moveItem(at: old, to: outputURL) }
                throw error
            }
            if exists { FileSystem.removeTree(old.path) }
        } catch {
            try? fileManager.removeItem(at: staging)
            return [.error(at: place, "cannot replace the output folder: \(error.localizedDescription)",
                           hint: "check that \(outputURL.path) is not in use and its folder is writable")]
        }
        return []
    }
}

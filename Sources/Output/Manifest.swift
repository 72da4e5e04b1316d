import Diagnostics
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The marker file of an output: which files guidegen wrote there, one path a line after a header line
/// (`%`, line feeds and carriage returns in a path are percent-encoded).
enum Manifest {
    static let header = "guidegen output: guidegen replaces the files listed below on each build and keeps every other file in this folder"

    /// The marker and the temporary file it is written through.
    static func isMarker(_ path: String) -> Bool {
        path == OutputFolder.markerName || path == OutputFolder.markerName + ".tmp"
    }

    /// What a marker lists, or why it cannot be used. Its lines are data, never instructions: each must be a
    /// path that guidegen could have written, inside the folder (no `..`, `.`, empty or absolute part, no escape
    /// but the three `encode` makes), or the whole list is refused and nothing it names is touched.
    enum Contents: Equatable {
        /// No marker (or a file that is not one: another header, not a regular file).
        case none
        case files(Set<String>)
        /// The first line that is not such a path (1-based, the header being line 1) and its text.
        case invalid(line: Int, text: String)

        /// The files listed, if the marker is there and valid.
        var files: Set<String>? {
            if case let .files(files) = self { return files }
            return nil
        }
    }

    /// The marker of `folder`, read without following a link.
    static func contents(of folder: String) -> Contents {
        var files = Set<String>()
        let scanned = scan(folder, lines: { count in
            // As many as there are lines: a set that grows rehashes every path (a 200,000-file marker's
            // first guess, a path per 40 bytes, was short by a fifth and cost one more pass over them all).
            files.reserveCapacity(count)
        }, each: { file, _ in files.insert(file) })
        switch scanned {
        case .none: return .none
        case let .invalid(line, text): return .invalid(line: line, text: text)
        case .read: return .files(files)
        }
    }

    /// What `scan` found: no marker, a marker read to its end, or its first line that is not a path.
    enum Scan {
        case none
        case read
        case invalid(line: Int, text: String)
    }

    /// Reads the marker of `folder` (without following a link) and hands `each` every path it lists with its line
    /// (1-based, the header being line 1), after telling `lines` how many lines it has. Stops at the first line
    /// that is not a path (`.invalid`).
    static func scan(_ folder: String, lines: (Int) -> Void = { _ in }, each: (String, Int) -> Void) -> Scan {
        let path = folder + "/" + OutputFolder.markerName
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG,
              let data = FileManager.default.contents(atPath: path) else { return .none }
        return data.withUnsafeBytes { bytes -> Scan in
            var reader = LineReader(bytes: bytes)
            guard reader.line() == header else { return .none }
            lines(bytes.reduce(into: 0) { count, byte in if byte == 0x0A { count += 1 } })
            var number = 1
            while let text = reader.line() {
                number += 1
                if text.isEmpty { continue }
                guard let file = decode(text) else { return .invalid(line: number, text: text) }
                each(file, number)
            }
            return .read
        }
    }

    /// The files a valid marker lists; nil without one or when it is not valid.
    static func read(_ folder: String) -> Set<String>? {
        contents(of: folder).files
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

    /// The error for a marker line that is not a path inside its folder.
    static func invalid(_ folder: String, line: Int, text: String) -> Diagnostic {
        .error(.outputFolder, at: SourceLocation(file: folder + "/" + OutputFolder.markerName, line: line, column: 1),
               "this line of guidegen's marker is not a path inside the folder (\(shown(text))); guidegen uses none of the list and deletes nothing",
               hint: "the marker was edited or does not come from guidegen; remove the line, or delete \(folder) if guidegen wrote it "
               + "(the next build writes it again)")
    }

    /// What a folder holds besides its marker, the files in `listed` and the folders that hold them (links not followed).
    static func unlisted(in folder: String, listed: Set<String>) -> [String] {
        let folders = self.folders(of: listed)
        return FileSystem.walk(folder, descend: { folders.contains($0) }).compactMap { entry in
            isMarker(entry.path) || (entry.isDirectory ? folders.contains(entry.path) : listed.contains(entry.path)) ? nil : entry.path
        }.sorted()
    }

    /// The first three of some paths, for a message.
    static func examples(_ paths: [String]) -> String {
        paths.prefix(3).joined(separator: ", ") + (paths.count > 3 ? ", and \(paths.count - 3) more" : "")
    }

    /// A line as shown in a message: at most 100 characters.
    static func shown(_ text: String) -> String {
        text.count > 100 ? String(text.prefix(100)) + "..." : text
    }

    /// A marker line as a path (the reverse of `encode`), nil if it is not a path guidegen writes: only `%25`,
    /// `%0A` and `%0D` are escapes (so `%2e%2e` is no way around the check), and the path must stay inside.
    static func decode(_ line: String) -> String? {
        var path = line
        if line.utf8.contains(UInt8(ascii: "%")) {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(line.utf8.count)
            var rest = line.utf8[...]
            while let byte = rest.popFirst() {
                guard byte == UInt8(ascii: "%") else {
                    bytes.append(byte)
                    continue
                }
                let escape = String(decoding: rest.prefix(2), as: UTF8.self)
                switch escape {
                case "25": bytes.append(UInt8(ascii: "%"))
                case "0A": bytes.append(0x0A)
                case "0D": bytes.append(0x0D)
                default: return nil
                }
                rest = rest.dropFirst(2)
            }
            path = String(decoding: bytes, as: UTF8.self)
        }
        return isInside(path) ? path : nil
    }

    /// Whether `path` names something inside a folder: relative, and no part empty, `.` or `..` (and no NUL).
    static func isInside(_ path: String) -> Bool {
        var path = path
        path.makeContiguousUTF8()
        return path.utf8.withContiguousStorageIfAvailable(isInside) ?? false
    }

    /// `isInside` over a path's bytes: each part between slashes is checked as it ends (no part is made).
    private static func isInside(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !bytes.isEmpty else { return false }
        var partLength = 0
        var dots = 0
        for byte in bytes {
            switch byte {
            case 0:
                return false
            case UInt8(ascii: "/"):
                guard partLength > 0, !(dots == partLength && dots <= 2) else { return false }
                partLength = 0
                dots = 0
            case UInt8(ascii: "."):
                partLength += 1
                dots += 1
            default:
                partLength += 1
            }
        }
        return partLength > 0 && !(dots == partLength && dots <= 2)
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

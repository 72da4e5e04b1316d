import Diagnostics
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The rules for where a build may write: only a folder that is missing, empty, or marked as
/// an earlier guidegen output. The site's own folders, anything holding them, `/`, the home
/// folder, a file and a symbolic link are refused, so a mistyped `--output` cannot replace
/// or delete what the writer owns.
public enum OutputFolder {
    /// The file that marks a folder as guidegen's output and lists what guidegen wrote there.
    public static let markerName = ".guidegen-output"

    /// Why `output` must not be written, or nil if it may be.
    public static func problem(output: String, siteDirectory: String) -> Diagnostic? {
        let place = SourceLocation(file: output.isEmpty ? "--output" : output)
        func refuse(_ message: String, _ hint: String) -> Diagnostic { .error(.outputFolder, at: place, message, hint: hint) }
        let defaultHint = "pass --output with a new or empty folder, like --output public"
        guard !output.isEmpty else {
            return refuse("the output folder is an empty path", "pass --output DIR (an unset shell variable gives an empty path)")
        }
        let target = resolved(output)
        let site = resolved(siteDirectory)
        if target == "/" { return refuse("refusing to write the site into /", defaultHint) }
        if target == site { return refuse("the output folder is the site folder itself", "the site is written to public/ in the site folder by default; " + defaultHint) }
        if site.hasPrefix(target + "/") { return refuse("the output folder \(target) holds the site folder \(site)", defaultHint) }
        for folder in ["content", "static", "themes"] where target == site + "/" + folder || target.hasPrefix(site + "/" + folder + "/") {
            return refuse("the output folder is inside the site's \(folder)/ folder, which the build reads", defaultHint)
        }
        if let home = ProcessInfo.processInfo.environment["HOME"], !home.isEmpty, target == resolved(home) {
            return refuse("refusing to write the site into the home folder \(target)", defaultHint)
        }
        var info = stat()
        guard lstat(output, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
            break
        case S_IFLNK:
            return refuse("the output folder is a symbolic link", "pass the folder it points to, or a new folder; guidegen does not write through links")
        default:
            return refuse("the output path is a file, not a folder", defaultHint)
        }
        let entries = FileSystem.entries(of: output)
        if entries.isEmpty { return nil }
        // A folder a record names is guidegen's (its marker's lines are checked as the build reads them).
        let url = URL(fileURLWithPath: output).standardizedFileURL
        if FileRecords.describing(UInt64(info.st_ino), parent: url.deletingLastPathComponent().path, name: url.lastPathComponent) != nil { return nil }
        switch Manifest.contents(of: output) {
        case let .invalid(line, text):
            return Manifest.invalid(output, line: line, text: text)
        case let .files(listed):
            // A marker alone does not make a folder guidegen's: no record names it, so it must hold nothing else.
            let others = Manifest.unlisted(in: output, listed: listed)
            if others.isEmpty { return nil }
            return refuse("\(output) has guidegen's marker, but no record shows guidegen wrote this folder, and it holds what the marker does not list "
                          + "(\(Manifest.examples(others)))",
                          "a marker alone does not make a folder guidegen's; if this is a copy of an earlier output, move your files out of it "
                          + "(static/ publishes files), delete it and build again, or pass --output with a new folder")
        case .none:
            break
        }
        let examples = entries.map(\.name).sorted().prefix(3).joined(separator: ", ")
        return refuse("\(output) is not empty and was not written by guidegen (it holds \(examples)\(entries.count > 3 ? ", ..." : ""))",
                      "guidegen writes only into a new or empty folder, or one it wrote before (marked by \(markerName)); "
                      + "if an earlier guidegen version wrote it, delete it and build again")
    }

    /// The absolute path with `.` and `..` removed and links resolved in the part that exists.
    static func resolved(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var parts: [String] = []
        for part in absolute.split(separator: "/") {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(String(part))
            }
        }
        // Resolve the longest existing prefix, keep the rest as written.
        var existing = parts.count
        while existing > 0 {
            let prefix = "/" + parts[0..<existing].joined(separator: "/")
            if let real = realpath(prefix, nil) {
                defer { free(real) }
                let base = String(cString: real)
                let rest = parts[existing...].joined(separator: "/")
                return rest.isEmpty ? base : (base == "/" ? "/" : base + "/") + rest
            }
            existing -= 1
        }
        return "/" + parts.joined(separator: "/")
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The pages an earlier build published into an output folder, as its marker lists them: what `url-removed`
/// compares a new build with.
public enum PublishedPages {
    /// One published page: its site-relative folder URL (`/roles/backend-developer/`, `/` for the home page)
    /// and the marker line that lists its `index.html`.
    public struct Entry: Sendable, Equatable {
        public var url: String
        public var line: Int
    }

    /// Every `index.html` the marker of `output` lists, as page URLs in the marker's order; nil when the folder
    /// has no valid marker (no earlier build, or one whose list guidegen does not trust).
    public static func listed(in output: String) -> [Entry]? {
        let path = output + "/" + OutputFolder.markerName
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG,
              let data = FileManager.default.contents(atPath: path) else { return nil }
        return data.withUnsafeBytes { bytes -> [Entry]? in
            var reader = LineReader(bytes: bytes)
            guard reader.line() == Manifest.header else { return nil }
            var entries: [Entry] = []
            var number = 1
            while let text = reader.line() {
                number += 1
                if text.isEmpty { continue }
                guard let file = Manifest.decode(text) else { return nil }
                if let url = url(ofFile: file) { entries.append(Entry(url: url, line: number)) }
            }
            return entries
        }
    }

    /// The page URL an output file is served at, if it is a page (`roles/x/index.html` -> `/roles/x/`).
    public static func url(ofFile path: String) -> String? {
        if path == "index.html" { return "/" }
        guard path.hasSuffix("/index.html") else { return nil }
        return "/" + path.dropLast("index.html".count)
    }
}

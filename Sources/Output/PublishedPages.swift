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
        var entries: [Entry] = []
        let scanned = Manifest.scan(output) { file, line in
            if let url = url(ofFile: file) { entries.append(Entry(url: url, line: line)) }
        }
        guard case .read = scanned else { return nil }
        return entries
    }

    /// The page URL an output file is served at, if it is a page (`roles/x/index.html` -> `/roles/x/`).
    public static func url(ofFile path: String) -> String? {
        if path == "index.html" { return "/" }
        guard path.hasSuffix("/index.html") else { return nil }
        return "/" + path.dropLast("index.html".count)
    }
}

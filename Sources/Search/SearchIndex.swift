import Diagnostics

/// The static search index: written once by the build, read piece by piece by the browser.
///
/// Files (under `search/` in the output):
/// - `manifest.json`: the number of pages, a version, and the first term of every shard.
///   The only file a first query always needs (a few KiB).
/// - `s/N.bin`: shards. Terms in order (by UTF-16 code units, as JavaScript compares),
///   cut into files of about `shardBytes`, so a query fetches only the shards of its
///   terms (or of its last word's prefix). Format in `ShardEncoder`.
/// - `f/N.json`: one small fragment per page (title, kind, category, URL, summary and the
///   start of the text for snippets), fetched only for results shown.
public struct SearchIndex: Sendable {
    public struct Options: Sendable {
        /// Shards are closed once they reach this size; one term never spans two shards.
        public var shardBytes = 6 * 1024
        /// Text kept per page for snippets, in UTF-8 bytes.
        public var excerptBytes = 700

        public init() {}
    }

    public struct File: Sendable {
        /// Path inside the output folder.
        public var path: String
        public var bytes: [UInt8]
    }

    public var files: [File]
    public var termCount: Int
    public var shardCount: Int

    public static let folder = "search"

    public static func build(_ documents: [SearchDocument], options: Options = Options()) -> SearchIndex {
        let scoring = Scoring(documents: documents)
        let perDocument = documents.parallelMap { scoring.levels(of: $0) }

        // term -> postings (document << 8 | level), documents ascending.
        var postings: [String: [UInt32]] = [:]
        postings.reserveCapacity(documents.count * 8)
        for (document, levels) in perDocument.enumerated() {
            for (term, level) in levels {
                postings[term, default: []].append(UInt32(document) << 8 | UInt32(level))
            }
        }
        let terms = postings.keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }

        var files: [File] = []
        var firstTerms: [String] = []
        var encoder = ShardEncoder()
        var hash = FNV1a()
        func closeShard() {
            let bytes = encoder.finish()
            hash.add(bytes)
            files.append(File(path: "\(folder)/s/\(firstTerms.count - 1).bin", bytes: bytes))
        }
        for term in terms {
            if encoder.isEmpty { firstTerms.append(term) }
            encoder.add(term: term, postings: postings[term]!)
            if encoder.byteCount >= options.shardBytes { closeShard() }
        }
        if !encoder.isEmpty { closeShard() }

        let fragments = documents.parallelMap { fragment(of: $0, excerptBytes: options.excerptBytes) }
        for (index, bytes) in fragments.enumerated() {
            hash.add(bytes)
            files.append(File(path: "\(folder)/f/\(index).json", bytes: bytes))
        }

        let manifest = JSON.object([
            "format": .int(1),
            "version": .string(hash.hex),
            "pages": .int(documents.count),
            "shards": .array(firstTerms.map { .string($0) }),
            "levelsPerPoint": .number(Scoring.levelsPerPoint),
        ])
        files.append(File(path: "\(folder)/manifest.json", bytes: Array(manifest.text.utf8)))
        return SearchIndex(files: files, termCount: terms.count, shardCount: firstTerms.count)
    }

    static func fragment(of document: SearchDocument, excerptBytes: Int) -> [UInt8] {
        var members: [String: JSON] = [
            "t": .string(document.title),
            "u": .string(document.url),
            "k": .string(document.kind),
            "x": .string(excerpt(document.body, maxBytes: excerptBytes)),
        ]
        if let category = document.category { members["c"] = .string(category) }
        if let summary = document.summary { members["s"] = .string(summary) }
        if !document.alternateTitles.isEmpty { members["a"] = .array(document.alternateTitles.map { .string($0) }) }
        var bytes: [UInt8] = []
        JSON.object(members).write(to: &bytes)
        return bytes
    }

    /// The start of `text` with whitespace runs collapsed, cut at a word boundary.
    static func excerpt(_ text: String, maxBytes: Int) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(min(maxBytes + 8, text.utf8.count))
        var pendingSpace = false
        var lastSpace = 0
        for byte in text.utf8 {
            if byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D {
                pendingSpace = !output.isEmpty
                continue
            }
            if pendingSpace {
                if output.count + 1 > maxBytes { break }
                lastSpace = output.count
                output.append(0x20)
                pendingSpace = false
            }
            if output.count >= maxBytes, byte & 0xC0 != 0x80 {
                // Over the limit at the start of a character: cut at the last space.
                output.removeSubrange((lastSpace > 0 ? lastSpace : output.count)...)
                output.append(contentsOf: "…".utf8)
                break
            }
            output.append(byte)
        }
        return String(decoding: output, as: UTF8.self)
    }
}

/// FNV-1a, 64 bits: a stable version string for the index (cache busting), not security.
struct FNV1a {
    private var state: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ bytes: [UInt8]) {
        for byte in bytes {
            state ^= UInt64(byte)
            state &*= 0x100_0000_01b3
        }
    }

    var hex: String {
        let text = String(state, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}
